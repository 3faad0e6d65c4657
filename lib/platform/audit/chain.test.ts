import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXPORT_FIELDS } from "./chain-lines.mjs";
import { canonicalJson } from "@/lib/shared/jcs";
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

describe("JCS (RFC 8785)", () => {
  it("sorts keys by UTF-16 code units and writes numbers and strings as ECMAScript does", () => {
    // RFC 8785 section 3.2.3 sorting example keys, and number forms from appendix B.
    const value = {
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew",
      "1": "One",
      "\u{1f600}": "Emoji",
      "\u0080": "Control",
      "\u00f6": "Latin",
    };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin","\u20ac":"Euro Sign","\u{1f600}":"Emoji","\ufb33":"Hebrew"}',
    );
    expect(canonicalJson([1e21, 1e-7, 0.1, -0, 333333333.3333333, 9007199254740991])).toBe(
      "[1e+21,1e-7,0.1,0,333333333.3333333,9007199254740991]",
    );
    expect(canonicalJson({ b: [true, null, { d: 1, c: "x" }], a: "\u2028" })).toBe(
      '{"a":"\u2028","b":[true,null,{"c":"x","d":1}]}',
    );
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe("audit chain encoding", () => {
  it("writes exactly the RFC 8785 canonical JSON of the record", () => {
    expect(canonicalRecord(base)).toBe(canonicalJson(base));
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
    expect(canonicalRecord(sparse)).toBe(canonicalJson(sparse));
  });

  it("changes the hash when any field or the previous hash changes", () => {
    const h = eventHash(GENESIS_HASH, base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(GENESIS_HASH, { ...base, outcome: "denied" })).not.toBe(h);
    expect(eventHash(GENESIS_HASH, { ...base, details: { ...base.details, n: 2 } })).not.toBe(h);
    expect(eventHash("f".repeat(64), base)).not.toBe(h);
  });

  it("documents what it implements: CHAIN.md's field table and test vector record", () => {
    const doc = readFileSync(path.join(process.cwd(), "docs/CHAIN.md"), "utf8");
    const tableFields = [...doc.matchAll(/^\| `(\w+)`\s+\|/gm)].map((m) => m[1]);
    expect(tableFields).toEqual([...EXPORT_FIELDS]);
    const vector = /Test vector[\s\S]*?```json\n([\s\S]+?)\n```/.exec(doc)?.[1] ?? "{}";
    const record = JSON.parse(vector) as ChainRecord;
    expect(record).toEqual(base);
    expect(doc).toContain(eventHash(GENESIS_HASH, record));
  });

  it("matches the documented test vector (docs/CHAIN.md)", () => {
    expect(eventHash(GENESIS_HASH, base)).toMatchInlineSnapshot(
      `"8a8c1d86366d2b4e937ac416dee2501fcce88c659d1ab8bbc4109fdacef5e16d"`,
    );
  });
});
