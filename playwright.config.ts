import { defineConfig, devices } from "@playwright/test";
import { E2E_TWILIO } from "./e2e/helpers";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;
const DOUBLE_PORT = PORT + 99;
const DOUBLE_URL = `http://127.0.0.1:${DOUBLE_PORT}`;
// The Twilio account the e2e story seals in the vault (see e2e/console.spec.ts).
const E2E_TWILIO_ACCOUNTS = `${E2E_TWILIO.accountSid}:${E2E_TWILIO.authToken}`;

// Playwright cannot download its own browser here: it drives the system Chromium.
// CHROMIUM_PATH overrides the default /usr/bin/chromium.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    },
  },
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } },
    },
  ],
  // A production build on a fresh in-memory embedded database, so every run starts at first-run setup.
  webServer: [
    {
      // The stateful Twilio double (tools/twilio-double): the console's Twilio account lives here.
      command: `npx tsx tools/twilio-double/cli.ts --port ${DOUBLE_PORT}`,
      url: `${DOUBLE_URL}/__control/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: { TWILIO_DOUBLE_ACCOUNTS: E2E_TWILIO_ACCOUNTS },
    },
    {
      command: `node tools/serve/start.mjs -H 127.0.0.1 -p ${PORT}`,
      url: `${baseURL}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        DATABASE_URL: "",
        PGLITE_DATA_DIR: "memory://",
        PQSEAL_DATA_DIR: ".data/e2e",
        AUTH_SECRET: "e2e-only-secret-not-for-production-use-0123456789",
        LOG_LEVEL: "warn",
        TWILIO_API_BASE_URL: DOUBLE_URL,
        TWILIO_VERIFY_BASE_URL: DOUBLE_URL,
        TWILIO_LOOKUP_BASE_URL: DOUBLE_URL,
      },
    },
  ],
});
