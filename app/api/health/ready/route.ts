// GET /api/health/ready – readiness: database reachable and migrations current (200), else 503
import { NextResponse } from "next/server";
import { currentHealth } from "@/lib/platform/health/check-health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<NextResponse> {
  const { status } = await currentHealth();
  return NextResponse.json(
    { status },
    { status: status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
