// npm run db:migrate – apply committed migrations to DATABASE_URL, or to the embedded PGlite folder.
import { parseEnv } from "@/lib/platform/config/env";
import { connect } from "./connect";

async function main() {
  const env = parseEnv(process.env);
  const handle = connect({
    databaseUrl: env.DATABASE_URL,
    pgliteDataDir: env.PGLITE_DATA_DIR,
    max: 2,
  });
  await handle.migrate();
  await handle.close();
  console.log(`migrations applied (${handle.driver})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
