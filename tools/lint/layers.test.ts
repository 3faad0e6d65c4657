import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { layers } from "./layers.mjs";

// The layering rule must fail on an import that runs against the direction of the tree.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [
    { files: ["**/*.{ts,tsx,mjs}"], languageOptions: { parser: tseslint.parser } },
    ...layers,
  ],
});

async function problems(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId);
}

describe("import direction (tools/lint/layers.mjs)", () => {
  it.each([
    ["lib/platform/x.ts", 'import { a } from "@/lib/features/vault/service";'],
    ["lib/shared/x.ts", 'import { a } from "@/lib/platform/log/logger";'],
    ["lib/shared/x.ts", 'import { createHash } from "node:crypto";'],
    ["lib/shared/x.ts", 'import { getDb } from "@/db";'],
    ["db/schema/x.ts", 'import { a } from "@/lib/features/audit/queries";'],
    ["lib/features/vault/x.ts", 'import { a } from "@/lib/features/integrations/service";'],
    ["lib/features/integrations/x.ts", 'import { a } from "@/lib/features/webhooks/intake";'],
    ["lib/features/proxy/x.ts", 'import { a } from "@/components/ui/button";'],
    ["lib/features/proxy/x.ts", 'import { a } from "@/tools/twilio-double/double";'],
    ["lib/features/proxy/x.ts", 'import { a } from "../vault/service";'],
    ["components/ui/x.tsx", 'import { a } from "@/lib/features/vault/queries";'],
    ["components/vault/x.tsx", 'import { db } from "@/db";'],
    [
      "lib/features/audit/x-worker.mjs",
      'import { a } from "@/lib/platform/audit/chain-lines.mjs";',
    ],
    ["lib/platform/audit/x.mjs", 'import { a } from "../../features/audit/export-lines.mjs";'],
    ["components/vault/x.tsx", 'import { db } from "../../db";'],
    ["app/t/page.tsx", 'import { db } from "../../db/schema";'],
    ["db/schema/x.ts", 'import { a } from "../../lib/features/vault/service";'],
    ["lib/shared/x.ts", 'import fs from "fs";'],
    ["lib/features/audit/x.ts", 'import { startUp } from "@/lib/start-up";'],
    ["lib/features/webhooks/x.ts", 'import { startJobs } from "@/lib/jobs";'],
    ["lib/platform/x.ts", 'import { startJobs } from "@/lib/jobs";'],
    ["lib/start-up.ts", 'import { a } from "@/tools/bench/bench-server";'],
  ])("refuses %s: %s", async (file, code) => {
    expect(await problems(file, code)).toContain("no-restricted-imports");
  });

  it.each([
    ["lib/platform/x.ts", 'import { a } from "@/lib/shared/ids";'],
    ["lib/features/webhooks/x.ts", 'import { a } from "@/lib/features/proxy/messages";'],
    ["lib/features/proxy/x.ts", 'import { a } from "@/lib/features/vault/service";'],
    ["lib/features/vault/x.ts", 'import { a } from "./schemas";'],
    ["db/index.ts", 'import { env } from "@/lib/platform/config/env";'],
    ["lib/features/vault/x.int.test.ts", 'import { a } from "@/test/factories";'],
    [
      "lib/features/audit/x-worker.mjs",
      'import { a } from "../../platform/audit/chain-lines.mjs";',
    ],
  ])("allows %s: %s", async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
