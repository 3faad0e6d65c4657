import "server-only";
import { cache } from "react";
import { getDb } from "@/db";
import { env } from "@/lib/platform/config/env";
import { auth } from "./auth";
import { validateSession, type SessionUser } from "./sessions";

/** This request's session, whatever its state, or null. Cached for the duration of one request. */
const currentSession = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  if (!session?.sid) return null;
  return validateSession(getDb(), session.sid, env().SESSION_IDLE_MINUTES * 60 * 1000);
});

/**
 * The signed-in user of this request, or null. A session still waiting for its second factor
 * is not signed in: it opens nothing but the second-factor page (currentPendingUser).
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await currentSession();
  return session && !session.pendingSecondFactor ? session : null;
});

/** The user whose password was accepted and whose second factor is awaited, or null. */
export const currentPendingUser = cache(async (): Promise<SessionUser | null> => {
  const session = await currentSession();
  return session?.pendingSecondFactor ? session : null;
});
