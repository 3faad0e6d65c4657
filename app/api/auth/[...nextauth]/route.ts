// GET|POST /api/auth/* – Auth.js endpoints (session, CSRF, credentials callback)
import { handlers } from "@/lib/platform/auth/auth";

export const { GET, POST } = handlers;
