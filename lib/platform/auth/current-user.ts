import "server-only";
import { cache } from "react";
import { getDb } from "@/db";
import { env } from "@/lib/platform/config/env";
import { auth } from "./auth";
import { validateSession, type SessionUser } from "./sessions";

/** The signed-in user of this request, or null. Cached for the duration of one request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  if (!session?.sid) return null;
  return validateSession(getDb(), session.sid, env().SESSION_IDLE_MINUTES * 60 * 1000);
});
