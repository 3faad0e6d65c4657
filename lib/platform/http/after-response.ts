import "server-only";
import { after } from "next/server";

/**
 * Runs `task` once the response has been sent (next/server `after`), so how long it takes
 * (an SMTP conversation) does not show in the answer's timing. Outside a request (tests, jobs)
 * there is no response to wait for: it runs now. The task must handle its own errors.
 */
export async function afterResponse(task: () => Promise<void>): Promise<void> {
  try {
    after(task);
  } catch {
    await task();
  }
}
