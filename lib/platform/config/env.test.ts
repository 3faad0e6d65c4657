import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

function issuesOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.issues;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("starts with no variables at all: embedded database, generated secret", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DATA_DIR).toBe(".data/pglite");
    expect(env.SESSION_IDLE_MINUTES).toBe(480);
    expect(env.SIGNING_KEY_SWITCHOVER_HOURS).toBe(24);
  });

  it("keeps the embedded database inside PQSEAL_DATA_DIR unless told otherwise", () => {
    expect(parseEnv({ PQSEAL_DATA_DIR: "/var/lib/pqseal" }).PGLITE_DATA_DIR).toBe(
      "/var/lib/pqseal/pglite",
    );
    expect(
      parseEnv({ PQSEAL_DATA_DIR: "/var/lib/pqseal", PGLITE_DATA_DIR: "/srv/db" }).PGLITE_DATA_DIR,
    ).toBe("/srv/db");
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: "mysql://localhost/db" }, "DATABASE_URL"],
    [{ AUTH_SECRET: "short" }, "AUTH_SECRET"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ SESSION_IDLE_MINUTES: "600" }, "SESSION_IDLE_MINUTES"],
    [{ SESSION_IDLE_MINUTES: "soon" }, "SESSION_IDLE_MINUTES"],
    [{ SIGNING_KEY_SWITCHOVER_HOURS: "721" }, "SIGNING_KEY_SWITCHOVER_HOURS"],
    [{ SIGNING_KEY_SWITCHOVER_HOURS: "-1" }, "SIGNING_KEY_SWITCHOVER_HOURS"],
    [{ PQSEAL_JOBS: "elsewhere" }, "PQSEAL_JOBS"],
    [{ PQSEAL_JOBS: "off" }, "PQSEAL_JOBS"],
    [{ METRICS_TOKEN: "too-short-to-guess" }, "METRICS_TOKEN"],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "grpc://collector:4317" }, "OTEL_EXPORTER_OTLP_ENDPOINT"],
    // Credentials go in OTEL_EXPORTER_OTLP_HEADERS, never in a URL that is logged.
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: "https://user:secret@collector:4318" },
      "OTEL_EXPORTER_OTLP_ENDPOINT",
    ],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" }, "OTEL_EXPORTER_OTLP_ENDPOINT"],
    [{ AUDIT_TSA_URL: "https://user:secret@tsa.example" }, "AUDIT_TSA_URL"],
    [{ AUDIT_TSA_URL: "not a url" }, "AUDIT_TSA_URL"],
  ])("refuses %o with a message naming %s", (source, variable) => {
    const issues = issuesOf(source);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(new RegExp(`^${variable}: `));
  });

  it("needs PUBLIC_BASE_URL in production when reset links are mailed (M3)", () => {
    // Otherwise a mailed reset link would be built from the request's Host header.
    const smtp = { SMTP_URL: "smtp://mail.example:25" };
    const issues = issuesOf({ ...smtp, NODE_ENV: "production" });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/PUBLIC_BASE_URL/);
    expect(issues[0]).toMatch(/SMTP_URL/);
    expect(
      parseEnv({ ...smtp, NODE_ENV: "production", PUBLIC_BASE_URL: "https://pqseal.example" })
        .PUBLIC_BASE_URL,
    ).toBe("https://pqseal.example");
    expect(parseEnv({ NODE_ENV: "production" }).SMTP_URL).toBeUndefined();
    expect(parseEnv({ ...smtp, NODE_ENV: "development" }).SMTP_URL).toBe(smtp.SMTP_URL);
    expect(parseEnv({ ...smtp, NODE_ENV: "test" }).SMTP_URL).toBe(smtp.SMTP_URL);
  });

  it("runs the background jobs in the server unless told they run in a worker", () => {
    expect(parseEnv({}).PQSEAL_JOBS).toBe("in-process");
    expect(
      parseEnv({ PQSEAL_JOBS: "off", DATABASE_URL: "postgres://u@127.0.0.1:5432/db" }).PQSEAL_JOBS,
    ).toBe("off");
  });

  it("leaves metrics and trace export off unless configured", () => {
    const env = parseEnv({});
    expect(env.METRICS_TOKEN).toBeUndefined();
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(env.OTEL_SERVICE_NAME).toBe("pqseal");
  });

  it("accepts a postgres URL", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://u@127.0.0.1:5432/db" }).DATABASE_URL).toContain(
      "127.0.0.1",
    );
  });

  it("lets only owners create tenants unless told otherwise", () => {
    expect(parseEnv({}).TENANT_CREATION).toBe("owners");
    expect(parseEnv({ TENANT_CREATION: "nobody" }).TENANT_CREATION).toBe("nobody");
    expect(issuesOf({ TENANT_CREATION: "admins" })).toEqual([
      expect.stringMatching(/^TENANT_CREATION: /),
    ]);
  });
});
