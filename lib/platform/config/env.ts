import proxyaddr from "proxy-addr";
import { z } from "zod";

/** A comma-separated setting as its entries, trimmed, empty ones dropped. */
export const commaList = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Whether a URL setting is free of a user name and password: such a URL is logged and shown,
 * so credentials go elsewhere. Not a URL at all is left to the URL check (no exception here).
 */
const withoutCredentials = (value: string): boolean => {
  if (!URL.canParse(value)) return true;
  const { username, password } = new URL(value);
  return !username && !password;
};

// The only module that reads process.env. Every variable is documented in .env.example.
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// or postgresql:// URL")
    .optional(),
  /** Unset: PQSEAL_DATA_DIR/pglite, so one folder holds everything local. */
  PGLITE_DATA_DIR: z.string().min(1).optional(),
  PQSEAL_DATA_DIR: z.string().min(1).default(".data"),
  AUTH_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (openssl rand -base64 32)")
    .optional(),
  PQSEAL_MASTER_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, "base64").length === 32,
      "must be 32 bytes, base64 (openssl rand -base64 32)",
    )
    .optional(),
  AUDIT_CHECKPOINT_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
  /**
   * Where the background jobs (webhook forwarding, audit checkpoints and purges) run: in each web
   * server (in-process), or only in worker processes, `npm run worker` (off; PostgreSQL only).
   */
  PQSEAL_JOBS: z.enum(["in-process", "off"]).default("in-process"),
  /** An RFC 3161 time stamping authority that countersigns every audit checkpoint (unset: none). */
  AUDIT_TSA_URL: z
    .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
    .refine(withoutCredentials, "must not hold credentials")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PQSEAL_CRYPTO_BACKEND: z.enum(["auto", "liboqs", "noble"]).default("auto"),
  PQSEAL_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  /**
   * After "Rotate signing key", hours the new key is published (and endorsed) before it starts
   * signing, so clients can fetch it (ENVELOPE.md §9.1); the rotate action may choose its own.
   */
  SIGNING_KEY_SWITCHOVER_HOURS: z.coerce.number().int().min(0).max(720).default(24),
  PQSEAL_ENVELOPE_MAX_AGE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  AWS_KMS_ENDPOINT: z.url().optional(),
  TWILIO_API_BASE_URL: z.url().default("https://api.twilio.com"),
  TWILIO_VERIFY_BASE_URL: z.url().default("https://verify.twilio.com"),
  TWILIO_LOOKUP_BASE_URL: z.url().default("https://lookups.twilio.com"),
  TWILIO_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5000),
  /** The public origin Twilio calls (https://pqseal.example.com): webhook signatures are checked against it. */
  PUBLIC_BASE_URL: z.url().optional(),
  /**
   * Proxies in front of PQSeal (IPs, CIDRs, or loopback / linklocal / uniquelocal, comma-separated)
   * whose X-Forwarded-For/Proto/Host are believed, hop by hop, as Express's `trust proxy` does.
   */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .refine((v) => {
      try {
        proxyaddr.compile(commaList(v));
        return true;
      } catch {
        return false;
      }
    }, "must be IP addresses or CIDRs (or loopback, linklocal, uniquelocal), comma-separated"),
  /** development allows http://localhost forward URLs; production refuses private addresses. */
  PQSEAL_DEPLOYMENT_MODE: z.enum(["development", "production"]).optional(),
  /**
   * Proxy requests one server process works on at once; more are refused at once with 503
   * `overloaded` and Retry-After, so accepted ones keep a bounded latency (0: no limit).
   */
  PROXY_MAX_IN_FLIGHT: z.coerce.number().int().min(0).max(10_000).default(32),
  WEBHOOK_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(65_536),
  FORWARD_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Hours of continuous failed deliveries after which forwarding to an endpoint is disabled. */
  FORWARD_DISABLE_AFTER_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  /** Bearer token of GET /api/metrics (Prometheus); unset: the endpoint answers 404. */
  METRICS_TOKEN: z
    .string()
    .min(32, "must be at least 32 characters (openssl rand -base64 32)")
    .optional(),
  /**
   * OTLP/HTTP collector (http://otel-collector:4318); unset: no traces are exported. Its
   * credentials go in OTEL_EXPORTER_OTLP_HEADERS, which the exporter reads.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
    .refine(withoutCredentials, "must not hold credentials (use OTEL_EXPORTER_OTLP_HEADERS)")
    .optional(),
  /** service.name on exported spans. */
  OTEL_SERVICE_NAME: z.string().min(1).default("pqseal"),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(480, "must be at most 480 (8 hours)")
    .default(480),
  /** Sensitive actions need a second factor (or password) proved within this many minutes. */
  STEP_UP_MINUTES: z.coerce.number().int().min(1).max(480).default(10),
  /**
   * Outgoing mail for password resets, `smtp://user:pass@host:port` or `smtps://…`. Without it
   * owners and admins issue reset links themselves, as they do invites.
   */
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).default("PQSeal <no-reply@pqseal.invalid>"),
  /** OpenID Connect single sign-on for the deployment: all three, or none. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The button's label: "Sign in with <OIDC_NAME>". */
  OIDC_NAME: z.string().min(1).max(60).default("single sign-on"),
  /**
   * Who may create another tenant from the console: people who own a tenant already (owners),
   * everyone signed in, or nobody (only the first-run setup creates one).
   */
  TENANT_CREATION: z.enum(["owners", "everyone", "nobody"]).default("owners"),
});

export type Env = z.infer<typeof envSchema> & { PGLITE_DATA_DIR: string };
export type TenantCreationPolicy = Env["TENANT_CREATION"];

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const { PGLITE_DATA_DIR, PQSEAL_DATA_DIR, PQSEAL_JOBS, DATABASE_URL } = result.data;
  const oidc = [
    result.data.OIDC_ISSUER,
    result.data.OIDC_CLIENT_ID,
    result.data.OIDC_CLIENT_SECRET,
  ];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw new EnvError([
      "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three for single sign-on, or none",
    ]);
  }
  // Mailed reset links are built on PUBLIC_BASE_URL; without it, on the request's Host header,
  // which whoever asks for the link controls (a link to their own site, mailed by us).
  if (
    result.data.NODE_ENV === "production" &&
    result.data.SMTP_URL &&
    !result.data.PUBLIC_BASE_URL
  ) {
    throw new EnvError([
      "PUBLIC_BASE_URL: required in production when SMTP_URL is set (mailed password reset links are built on it, never on the request's Host header)",
    ]);
  }
  // The embedded database opens in one process only, so no worker could run the jobs for it:
  // turning them off would leave webhooks unforwarded and checkpoints unsigned, silently.
  if (PQSEAL_JOBS === "off" && !DATABASE_URL) {
    throw new EnvError([
      "PQSEAL_JOBS: off needs DATABASE_URL (the worker, npm run worker, runs on PostgreSQL only; the embedded database runs the jobs in the server)",
    ]);
  }
  return { ...result.data, PGLITE_DATA_DIR: PGLITE_DATA_DIR ?? `${PQSEAL_DATA_DIR}/pglite` };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * env() for the start of a process (`what`: "PQSeal", "The PQSeal worker"): a bad configuration
 * is printed plainly, not through the logger, whose level comes from it, and ends the process.
 */
export function envOrExit(what: string): Env {
  try {
    return env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`${what} cannot start. ${error.message}\nSee .env.example for every variable.`);
    process.exit(1);
  }
}
