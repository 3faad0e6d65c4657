import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const alias = {
  "@": root,
  // `server-only` throws outside React Server Components; tests run the same modules in Node.
  "server-only": path.join(root, "test/server-only-stub.ts"),
};
// A fixed, test-only master key (the local KMS), so tests never write a key file.
const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString("base64");
const TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";
// Each integration project talks to its own Twilio double (tools/twilio-double), started by the
// tests on this port (TEST_DOUBLE_PORT moves both, so two runs can share a machine); a short
// timeout keeps the timeout tests quick.
const DOUBLE_PORT = Number(process.env.TEST_DOUBLE_PORT ?? 4987);
const twilioDouble = (port: number) => ({
  TWILIO_API_BASE_URL: `http://127.0.0.1:${port}`,
  TWILIO_VERIFY_BASE_URL: `http://127.0.0.1:${port}`,
  TWILIO_LOOKUP_BASE_URL: `http://127.0.0.1:${port}`,
  TWILIO_DOUBLE_PORT: String(port),
  TWILIO_TIMEOUT_MS: "1500",
});

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          environment: "node",
          include: ["lib/**/*.test.ts", "tools/**/*.test.ts", "db/**/*.test.ts"],
          exclude: ["lib/**/*.int.test.ts"],
          // next-auth imports `next/server` without an extension, which only a bundler resolves.
          server: { deps: { inline: ["next-auth"] } },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "pglite",
          environment: "node",
          include: ["lib/**/*.int.test.ts"],
          setupFiles: ["test/setup-db.ts"],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: {
            PGLITE_DATA_DIR: "memory://",
            DATABASE_URL: "",
            LOG_LEVEL: "silent",
            PQSEAL_MASTER_KEY: TEST_MASTER_KEY,
            ...twilioDouble(DOUBLE_PORT),
          },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "postgres",
          environment: "node",
          include: ["lib/**/*.int.test.ts"],
          globalSetup: ["test/reset-postgres.ts"],
          setupFiles: ["test/setup-db.ts"],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: {
            DATABASE_URL: process.env.TEST_DATABASE_URL ?? TEST_DATABASE_URL,
            LOG_LEVEL: "silent",
            PQSEAL_MASTER_KEY: TEST_MASTER_KEY,
            ...twilioDouble(DOUBLE_PORT + 1),
          },
        },
      },
    ],
  },
});
