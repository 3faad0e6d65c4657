import { defineConfig } from "drizzle-kit";

// Migrations are generated (`npm run db:generate`) and committed; never `push`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
