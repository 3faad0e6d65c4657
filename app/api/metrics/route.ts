// GET /api/metrics – Prometheus metrics (Authorization: Bearer METRICS_TOKEN; 404 when unset)
import { serveMetrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

export const GET = (request: Request): Promise<Response> => serveMetrics(request);
