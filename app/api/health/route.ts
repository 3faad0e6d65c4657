// GET /api/health – database reachability and migration state (503 when not ready)
import { NextResponse } from "next/server";
import { currentHealth } from "@/lib/platform/health/check-health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<NextResponse> {
  const health = await currentHealth();
  return NextResponse.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
