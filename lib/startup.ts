import "server-only";
import { ensureMigrated, getDbHandle } from "@/db";
import { env, EnvError } from "@/lib/config/env";
import { authSecret } from "@/lib/auth/auth-secret";
import { logger } from "@/lib/log/logger";

/** Runs once when the server starts: check configuration, then apply migrations. */
export async function startUp(): Promise<void> {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      // Printed plainly (not through the logger, whose level comes from the bad config).
      console.error(`PQSeal cannot start. ${error.message}\nSee .env.example for every variable.`);
      process.exit(1);
    }
    throw error;
  }
  authSecret();
  const { driver } = getDbHandle();
  await ensureMigrated();
  logger().info({ driver }, "database ready, migrations applied");
}
