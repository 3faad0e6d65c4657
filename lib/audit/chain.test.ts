import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { canonicalRecord, CHAIN_FIELDS, eventHash, GENESIS_HASH, type ChainRecord } from "./chain";

const base: ChainRecord = {
  id: "aud_01JX0000000000000000000000",
  tenant_id: "ten_01JX0000000000000000000000",
  seq: 1,
  occurred_at: "2026-11-21T22:48:03.123Z",
  actor_type: "user",
  actor_id: "usr_01JX0000000000000000000000",
  actor_label: "ops@example.test",
  action: "member.role_changed",
  target_type: "membership",
  target_id: "mem_01JX0000000000000000000000",
  integration_id: null,
  outcome: "succeeded",
  ip: "203.0.113.7",
  user_agent: 'Mozilla/5.0 "quoted" \u2028 ünïcödé',
  request_id: null,
  destination_hmac: null,
  destination_last2: null,
  details: { role: { to: "auditor", from: "operator" }, n: 1.5, list: [3, "x", null], é: true },
};

describe("audit chain encoding", () => {
  it("writes exactly the RFC 8785 canonical JSON of the record", () => {
    expect(canonicalRecord(base)).toBe(canonicalize(base));
    const nulls = Object.fromEntries(CHAIN_FIELDS.map((f) => [f, null])) as unknown as ChainRecord;
    const sparse = {
      ...nulls,
      id: "aud_x",
      tenant_id: "ten_x",
      seq: 99,
      occurred_at: "x",
      actor_type: "system",
      action: "a",
      outcome: "failed",
      details: {},
    };
    expect(canonicalRecord(sparse)).toBe(canonicalize(sparse));
  });

  it("changes the hash when any field or the previous hash changes", () => {
    const h = eventHash(GENESIS_HASH, base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(GENESIS_HASH, { ...base, outcome: "denied" })).not.toBe(h);
    expect(eventHash(GENESIS_HASH, { ...base, details: { ...base.details, n: 2 } })).not.toBe(h);
    expect(eventHash("f".repeat(64), base)).not.toBe(h);
  });

  it("matches the documented test vector (lib/audit/CHAIN.md)", () => {
    expect(eventHash(GENESIS_HASH, base)).toMatchInlineSnapshot(
      `"8a8c1d86366d2b4e937ac416dee2501fcce88c659d1ab8bbc4109fdacef5e16d"`,
    );
  });
});
