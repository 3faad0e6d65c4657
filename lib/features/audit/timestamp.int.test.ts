import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditCheckpoints } from "@/db/schema";
import { checkpointMessage } from "@/lib/platform/audit/chain";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { logger } from "@/lib/platform/log/logger";
import { readTimestampToken, verifyTimestamp } from "@/lib/platform/audit/timestamp-token";
import { systemActing } from "@/lib/platform/request-context/acting";
import { createTestTenant } from "@/test/factories";
import { startTestTsa, type TestTsa } from "@/tools/test-tsa/tsa";
import { latestCheckpoint, signCheckpoint, verifyCheckpoint } from "./checkpoints";
import { startAuditExport } from "./export-events";
import { verifyChain } from "./verify-chain";
import { verifyExport } from "./verify-export";

// Each integration project has its own port (next to its Twilio double's), read before the
// env module caches AUDIT_TSA_URL.
const TSA_PORT = vi.hoisted(() => {
  const port = Number(process.env.TWILIO_DOUBLE_PORT) + 200;
  process.env.AUDIT_TSA_URL = `http://127.0.0.1:${port}/tsa`;
  return port;
});

let tsa: TestTsa;
beforeAll(async () => {
  tsa = await startTestTsa({ port: TSA_PORT });
});
afterAll(async () => {
  await tsa.close();
});

async function tenantWithEvents(n = 2) {
  const t = await createTestTenant();
  for (let i = 0; i < n; i++)
    await getDb().transaction((tx) =>
      recordAudit(tx, systemActing(t.id), { action: "audit.verified", outcome: "succeeded" }),
    );
  return t;
}

async function storedRow(tenantId: string, id: string) {
  const [row] = await getDb()
    .select()
    .from(auditCheckpoints)
    .where(and(eq(auditCheckpoints.tenantId, tenantId), eq(auditCheckpoints.id, id)));
  return row;
}

async function signed(tenantId: string) {
  const checkpoint = await signCheckpoint(systemActing(tenantId));
  if (!checkpoint) throw new Error("no checkpoint");
  return checkpoint;
}

async function exportJsonl(tenantId: string) {
  const { lines } = await startAuditExport({
    ...systemActing(tenantId),
    filters: {},
    format: "jsonl",
  });
  let text = "";
  for await (const chunk of lines) text += chunk;
  return text;
}

describe("RFC 3161 timestamps of checkpoints (AUDIT_TSA_URL, a local OpenSSL TSA)", () => {
  it("stores a token over SHA-256 of the checkpoint message that verifies against the TSA", async () => {
    const t = await tenantWithEvents();
    const checkpoint = await signed(t.id);
    const token = checkpoint.timestamp_token ?? "";
    expect(checkpoint.timestamp_authority).toBe(process.env.AUDIT_TSA_URL);
    const row = await storedRow(t.id, checkpoint.id);
    expect(row).toMatchObject({
      timestampToken: token,
      timestampAuthority: process.env.AUDIT_TSA_URL,
    });
    expect((await latestCheckpoint(t.id))?.timestamp_token).toBe(token);

    const message = checkpointMessage(checkpoint);
    const { tstInfo } = readTimestampToken(Buffer.from(token, "base64"));
    expect(Buffer.from(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView)).toEqual(
      createHash("sha256").update(message).digest(),
    );
    const verified = await verifyTimestamp(token, message, tsa.certPem);
    expect(verified).toMatchObject({ ok: true });
    // genTime is after the checkpoint was signed (the TSA's clock has whole seconds)
    if (verified.ok)
      expect(Date.parse(verified.genTime)).toBeGreaterThan(Date.parse(checkpoint.signed_at) - 1000);

    // The same token does not vouch for another checkpoint message.
    for (const other of [
      { ...checkpoint, seq: checkpoint.seq - 1 },
      { ...checkpoint, head_hash: "0".repeat(64) },
      { ...checkpoint, signed_at: new Date(0).toISOString() },
    ]) {
      expect(await verifyTimestamp(token, checkpointMessage(other), tsa.certPem)).toMatchObject({
        ok: false,
      });
    }
    // A token is not trusted on its own say-so: another TSA's root does not verify it.
    const stranger = await startTestTsa();
    await stranger.close();
    expect(await verifyTimestamp(token, message, stranger.certPem)).toMatchObject({ ok: false });
  });

  it("verifies with the OpenSSL command CHAIN.md gives", async () => {
    const t = await tenantWithEvents();
    const checkpoint = await signed(t.id);
    const dir = mkdtempSync(path.join(os.tmpdir(), "pqseal-ts-verify-"));
    try {
      writeFileSync(path.join(dir, "message"), checkpointMessage(checkpoint));
      writeFileSync(
        path.join(dir, "token.der"),
        Buffer.from(checkpoint.timestamp_token ?? "", "base64"),
      );
      writeFileSync(path.join(dir, "tsa.pem"), tsa.certPem);
      const verify = (data: string) =>
        spawnSync(
          "openssl",
          ["ts", "-verify", "-data", data, "-in", "token.der", "-token_in", "-CAfile", "tsa.pem"],
          { cwd: dir, encoding: "utf8" },
        );
      const ok = verify("message");
      expect(ok.stdout).toContain("Verification: OK");
      expect(ok.status).toBe(0);
      writeFileSync(path.join(dir, "tampered"), `${checkpoint.seq + 1}`);
      expect(verify("tampered").status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("carries the token in the export, where the offline verifier checks its imprint", async () => {
    const t = await tenantWithEvents(3);
    const text = await exportJsonl(t.id);
    const result = verifyExport(text);
    expect(result).toMatchObject({ ok: true, complete: true });
    expect(result.checkpoint?.timestampedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    // A genuine token of another checkpoint (here: another tenant's) does not pass for this one.
    const foreign = (await signed((await tenantWithEvents()).id)).timestamp_token ?? "";
    const lines = text.trimEnd().split("\n");
    const trailer = JSON.parse(lines.at(-1) ?? "{}") as Record<string, unknown>;
    const swapped = [
      ...lines.slice(0, -1),
      JSON.stringify({ ...trailer, timestamp_token: foreign }),
    ];
    const bad = verifyExport(swapped.join("\n") + "\n");
    expect(bad.ok).toBe(false);
    expect(bad.problems).toContain(
      "checkpoint timestamp: the token's imprint is not SHA-256 of the checkpoint message",
    );
  });

  it("a TSA that refuses leaves the checkpoint signed, without a timestamp", async () => {
    const t = await tenantWithEvents();
    tsa.fault = "rejection";
    try {
      const checkpoint = await signed(t.id);
      expect(checkpoint.timestamp_token).toBeUndefined();
      expect(verifyCheckpoint(checkpoint)).toBe(true);
      expect(await storedRow(t.id, checkpoint.id)).toMatchObject({
        timestampToken: null,
        timestampAuthority: null,
      });
    } finally {
      tsa.fault = null;
    }
  });

  it("a TSA that is down leaves the checkpoint signed, without a timestamp, and does not throw", async () => {
    const t = await tenantWithEvents();
    await tsa.close();
    const warn = vi.spyOn(logger(), "warn");
    try {
      const checkpoint = await signed(t.id);
      expect(checkpoint).not.toHaveProperty("timestamp_token");
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ checkpointId: checkpoint.id, tenantId: t.id }),
        expect.stringContaining("not timestamped"),
      );
      expect(await storedRow(t.id, checkpoint.id)).toMatchObject({ timestampToken: null });
      expect(await latestCheckpoint(t.id)).not.toHaveProperty("timestamp_token");
      expect((await verifyChain(t.id)).ok).toBe(true);
      // An export still verifies; it just has no timestamp to check.
      const result = verifyExport(await exportJsonl(t.id));
      expect(result.ok).toBe(true);
      expect(result.checkpoint?.timestampedAt).toBeUndefined();
    } finally {
      warn.mockRestore();
      tsa = await startTestTsa({ port: TSA_PORT });
    }
  });
});
