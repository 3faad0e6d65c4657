// GET /api/health – database reachability and migration state (503 when not ready)
import { NextResponse } from "next/server";
import { getDbHandle } from "@/db";
import { checkHealth } from "@/lib/platform/health/check-health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<NextResponse> {
  const { db, driver } = getDbHandle();
  const health = await checkHealth(db, driver);
  return NextResponse.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
