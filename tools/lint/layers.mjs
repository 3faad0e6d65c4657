// The import direction of the tree (CONTRIBUTING.md, docs/decisions/0006-layered-layout.md):
//   app/ -> components/ -> lib/features/ -> lib/platform/ -> lib/shared/
// with db/ used by platform and features. Features may use only the features listed below them
// (one way: vault <- integrations <- proxy <- webhooks); tools/ and test/ are used by nobody
// but tests. Tests themselves may import across layers. lib/start-up.ts is the composition root
// of the web server: only instrumentation.ts imports it. lib/jobs.ts composes the background jobs
// of every feature: only lib/start-up.ts and the worker (tools/worker/main.ts) import it.
// lib/metrics.ts registers the features' scrape-time gauges: only app/api/metrics imports it.
import { builtinModules } from "node:module";

export const FEATURES = [
  "account",
  "api-keys",
  "audit",
  "audit-streams",
  "auth",
  "integrations",
  "members",
  "mfa",
  "onboarding",
  "openapi",
  "proxy",
  "settings",
  "sso",
  "tenants",
  "vault",
  "webhooks",
];

/**
 * The features each feature may import (everything not listed is off limits).
 * @type {Record<string, string[]>}
 */
export const FEATURE_DEPENDENCIES = {
  "audit-streams": ["audit"],
  integrations: ["vault"],
  mfa: ["auth"],
  // The OpenAPI document describes every /api/v2 route from the features' own schemas.
  openapi: ["audit", "integrations", "proxy", "vault", "webhooks"],
  proxy: ["integrations", "vault"],
  sso: ["auth"],
  webhooks: ["audit", "integrations", "proxy", "vault"],
};

/** @typedef {{ regex: string, message: string }} Pattern */
/** @param {...Pattern} patterns */
const rule = (...patterns) => ({
  "no-restricted-imports": /** @type {["error", { patterns: Pattern[] }]} */ ([
    "error",
    { patterns },
  ]),
});
/** @type {(regex: string, message: string) => Pattern} */
const no = (regex, message) => ({ regex, message });

const NOT_TOOLS = no(
  "^@/(tools|test|e2e)(/|$)",
  "Product code never imports tools/, test/ or e2e/.",
);
const NO_PARENT = no("^\\.\\./", "Import through @/… instead of ../ (keeps layers visible).");
// Worker modules (*.mjs) run in plain Node worker threads, where the @/ alias does not exist:
// they import each other by relative path, and may not reach outside lib/.
const NO_ALIAS = no(
  "^@/",
  "Worker modules (.mjs) run without the bundler: import by relative path.",
);
const NO_APP = no("^@/app(/|$)", "Only Next.js loads app/: move shared code into lib/.");
const tests = ["**/*.test.ts", "**/*.int.test.ts"];
const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith("_")).join("|");
const NO_START_UP = no(
  "^@/lib/(start-up|jobs|metrics)$",
  "Only instrumentation.ts starts the server (lib/start-up.ts), and only it and the worker start the jobs (lib/jobs.ts); only app/api/metrics composes the metrics (lib/metrics.ts).",
);

/** @type {import("eslint").Linter.Config[]} */
export const layers = [
  {
    files: ["lib/shared/**/*.{ts,tsx}"],
    ignores: tests,
    rules: rule(
      no(
        `^(@/(lib/(platform|features|start-up|jobs)|db|components|app)(/|$)|node:|next(/|$)|server-only$|(${NODE_BUILTINS})(/|$))`,
        "lib/shared is browser-safe: it imports only lib/shared and packages (no node:, next, db or server code).",
      ),
      NOT_TOOLS,
      NO_PARENT,
    ),
  },
  {
    files: ["lib/platform/**/*.{ts,tsx}"],
    ignores: tests,
    rules: rule(
      no(
        "^@/(lib/features|components|lib/start-up|lib/jobs|lib/metrics)(/|$)",
        "lib/platform never imports features: move the shared piece down into lib/platform or lib/shared.",
      ),
      NO_APP,
      NOT_TOOLS,
      NO_PARENT,
    ),
  },
  {
    files: ["db/**/*.ts"],
    ignores: tests,
    rules: rule(
      no(
        "^@/(lib/features|lib/platform/(?!config/)|components|app)",
        "db/ imports only lib/shared and the config module.",
      ),
      NOT_TOOLS,
      NO_PARENT,
    ),
  },
  ...FEATURES.map((feature) => {
    const allowed = [feature, ...(FEATURE_DEPENDENCIES[feature] ?? [])];
    return {
      files: [`lib/features/${feature}/**/*.{ts,tsx}`],
      ignores: tests,
      rules: rule(
        no(
          `^@/lib/features/(?!(${allowed.join("|")})/)`,
          `lib/features/${feature} may import only ${allowed.filter((f) => f !== feature).join(", ") || "no other feature"} (FEATURE_DEPENDENCIES in tools/lint/layers.mjs).`,
        ),
        no("^@/components(/|$)", "Features hold no UI: it lives in components/<feature>/."),
        NO_START_UP,
        NO_APP,
        NOT_TOOLS,
        NO_PARENT,
      ),
    };
  }),
  {
    files: ["lib/platform/**/*.mjs", "lib/shared/**/*.mjs"],
    rules: rule(NO_ALIAS, no("/features/", "lib/platform and lib/shared never import features.")),
  },
  {
    files: ["lib/features/**/*.mjs"],
    rules: rule(NO_ALIAS),
  },
  {
    files: ["components/ui/**/*.{ts,tsx}"],
    rules: rule(
      no(
        "^@/(lib/(features|platform)|db|components/(?!ui/))",
        "components/ui holds primitives only: no data access, no feature UI.",
      ),
      NO_APP,
      NOT_TOOLS,
    ),
  },
  {
    files: ["components/**/*.{ts,tsx}", "app/**/*.{ts,tsx}"],
    ignores: ["components/ui/**"],
    rules: rule(
      no("^@/db(/|$)", "Pages and components read data through lib/features, never db/ directly."),
      NOT_TOOLS,
      NO_PARENT,
    ),
  },
  {
    files: ["lib/*.ts"],
    rules: rule(NOT_TOOLS, NO_APP, NO_PARENT),
  },
];
