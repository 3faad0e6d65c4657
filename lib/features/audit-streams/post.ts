import "server-only";
import { fetch as undiciFetch } from "undici";
import { env } from "@/lib/platform/config/env";
import { deploymentMode, forwardDispatcher, forwardUrlProblem } from "@/lib/platform/http/ssrf";

/**
 * POSTs a batch to a receiver under the SSRF rules webhook forwarding follows (https only,
 * http only to localhost in development mode, no private addresses in production, checked in
 * the connection's own DNS lookup; redirects never followed). Resolves on a 2xx; anything else
 * throws an error whose message is safe to store (status only, never the body or a header).
 */
export async function postBatch(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal?: AbortSignal,
): Promise<void> {
  const problem = forwardUrlProblem(url);
  if (problem) throw new Error(`the URL ${problem}`);
  const response = await undiciFetch(url, {
    method: "POST",
    headers: { "user-agent": "PQSeal-Audit-Stream/1", ...headers },
    body,
    redirect: "manual",
    signal: AbortSignal.any([
      AbortSignal.timeout(env().FORWARD_TIMEOUT_MS),
      ...(signal ? [signal] : []),
    ]),
    dispatcher: forwardDispatcher(deploymentMode()),
  });
  await response.body?.cancel().catch(() => undefined);
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`HTTP ${response.status}`);
  }
}
