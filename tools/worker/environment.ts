// Imported first by main.ts, so that it runs before any other module: the environment as
// `next start` makes it for the web server. NODE_ENV is production unless set (the deployment
// mode follows it, and a worker left in development mode would forward webhooks to private
// addresses), and the same .env files are read, with the same precedence, by Next's own loader.
import { loadEnvConfig } from "@next/env";

if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: "production" });
loadEnvConfig(process.cwd(), false);
