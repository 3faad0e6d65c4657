// Vitest setup for integration tests: migrate the database this project points at.
import { beforeAll } from "vitest";
import { ensureMigrated } from "@/db";

beforeAll(async () => {
  await ensureMigrated();
});
