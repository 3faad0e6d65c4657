import nextVitals from "eslint-config-next/core-web-vitals";
import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";
import { layers } from "./tools/lint/layers.mjs";

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "db/migrations/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "lib/shared/sdk/dist/**",
    ],
  },
  ...nextVitals,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": [
        "error",
        { drizzleObjectName: ["db", "tx", "getDb()"] },
      ],
      "drizzle/enforce-update-with-where": [
        "error",
        { drizzleObjectName: ["db", "tx", "getDb()"] },
      ],
      "@typescript-eslint/no-explicit-any": "error",
      // `const { secret: _, ...rest } = x` is how a field is left out of an object.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read configuration through lib/platform/config/env.ts.",
        },
      ],
    },
  },
  {
    // The env module itself, Next.js's runtime switch, and test/tool configuration may read process.env.
    files: [
      "lib/platform/config/env.ts",
      "instrumentation.ts",
      "proxy.ts",
      "*.config.ts",
      "*.config.mjs",
      "e2e/**",
      "db/migrate-cli.ts",
      "**/*.test.ts",
      "test/**",
      "tools/**",
    ],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Config files are outside the TypeScript project; the worker modules in lib/ are in it
    // (checkJs), so they get the type-checked rules too.
    files: ["**/*.mjs"],
    ignores: ["lib/**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  ...layers,
);
