import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalRecord, eventHash, GENESIS_HASH, type ChainRecord } from "./chain";
import {
  checkLines,
  csvCell,
  csvEvent,
  finishSegment,
  hashInput,
  jsonlEvent,
  LINE_FIELDS,
  newSegment,
  NULL_BITS,
  plainFields,
} from "./chain-lines.mjs";
import { canonicalJson } from "@/lib/shared/jcs";

// The line PostgreSQL builds for a row (CHAIN_LINE_COLUMNS): fields joined by U+001F, NULL as
// an empty field with its bit set, details as its stored text.
type Row = ChainRecord & { prev_hash: string; hash: string };

function lineOf(row: Row, detailsText = canonicalJson(row.details)) {
  const value = (f: (typeof LINE_FIELDS)[number]) =>
    f === "details" ? detailsText : f === "seq" ? String(row.seq) : (row[f] ?? "");
  const n = NULL_BITS.reduce((bits, f, i) => (row[f] === null ? bits + 2 ** i : bits), 0);
  return { l: LINE_FIELDS.map(value).join("\u001f"), n };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function chain(records: ChainRecord[]): Row[] {
  let prev = GENESIS_HASH;
  return records.map((r) => {
    const hash = eventHash(prev, r);
    const row = { ...r, prev_hash: prev, hash };
    prev = hash;
    return row;
  });
}

const record = (seq: number, over: Partial<ChainRecord> = {}): ChainRecord => ({
  id: `aud_01JX00000000000000000000${String(seq).padStart(2, "0")}`,
  tenant_id: "ten_01JX0000000000000000000000",
  seq,
  occurred_at: "2026-11-21T22:48:03.123Z",
  actor_type: "api_key",
  actor_id: "key_01JX0000000000000000000000",
  actor_label: "qs_live_Abcd1234",
  action: "proxy.send_sms",
  target_type: "integration",
  target_id: "int_01JX0000000000000000000000",
  integration_id: "int_01JX0000000000000000000000",
  outcome: "succeeded",
  ip: "203.0.113.7",
  user_agent: "Mozilla/5.0 (X11; Linux x86_64) ünïcödé \u2028",
  request_id: "req_1",
  destination_hmac: "ab".repeat(32),
  destination_last2: "23",
  details: { twilio_sid: "SM" + "0".repeat(32), segments: 1, nested: { b: [1, "x"], a: null } },
  ...over,
});

describe("the fast path of audit lines", () => {
  it("builds the same hash input, JSONL and CSV as the exact encoding, nulls included", () => {
    const sparse = record(2, {
      actor_id: null,
      actor_label: null,
      target_type: null,
      target_id: null,
      integration_id: null,
      ip: null,
      user_agent: null,
      request_id: null,
      destination_hmac: null,
      destination_last2: null,
      details: {},
    });
    for (const row of chain([record(1), sparse])) {
      const { l, n } = lineOf(row);
      const f = plainFields(l, n);
      expect(f).not.toBeNull();
      if (!f) continue;
      expect(hashInput(f, n)).toBe(`pqseal-audit-v1\n${row.prev_hash}\n${canonicalRecord(row)}`);
      expect(jsonlEvent(f, n)).toBe(
        // the exact path writes details as read back from the json column: in JCS key order
        JSON.stringify({
          type: "event",
          ...row,
          details: JSON.parse(canonicalJson(row.details)) as unknown,
        }) + "\n",
      );
      const { prev_hash, hash, ...rest } = row;
      const cells = [...Object.values({ ...rest, details: canonicalJson(row.details) })];
      expect(csvEvent(f, n)).toBe([...cells, prev_hash, hash].map(csvCell).join(",") + "\n");
    }
  });

  it.each([
    ["a quote", 'say "hi"'],
    ["a backslash", "C:\\path"],
    ["a control character", "tab\there"],
    ["the separator", "a\u001fb"],
  ])("sends a line with %s in a field to the exact path", (_, value) => {
    const [row] = chain([record(1, { user_agent: value })]);
    if (!row) throw new Error("unreachable");
    const { l, n } = lineOf(row);
    expect(plainFields(l, n)).toBeNull();
  });

  it("sends a NOT NULL field that reads NULL to the exact path", () => {
    const [row] = chain([record(1)]);
    if (!row) throw new Error("unreachable");
    const { l, n } = lineOf(row);
    expect(plainFields(l, n | (2 ** NULL_BITS.indexOf("action")))).toBeNull();
  });

  it("is not fooled by a backslash that turns a stored quote into an escaped one", () => {
    // Genuine: user_agent a"b, hashed as "a\"b". Forged: a\"b, which put between quotes as it is
    // would read exactly like the genuine JCS text. The forged line must not take the fast path.
    const [genuine] = chain([record(1, { user_agent: 'a"b' })]);
    if (!genuine) throw new Error("unreachable");
    const forged = { ...genuine, user_agent: 'a\\"b' };
    const { l, n } = lineOf(forged);
    expect(plainFields(l, n)).toBeNull();
    expect(eventHash(forged.prev_hash, forged)).not.toBe(genuine.hash);
  });

  it("checks a segment: links, missing events, and hashes it cannot confirm", () => {
    const rows = chain([1, 2, 3, 4, 5].map((seq) => record(seq)));
    const lines = rows.map((r) => lineOf(r));
    const ok = newSegment(0, 5);
    expect(checkLines(ok, lines, sha256)).toBe(true);
    finishSegment(ok);
    expect(ok).toMatchObject({ broken: null, suspects: [], firstPrevHash: GENESIS_HASH });
    expect(ok.lastHash).toBe(rows[4]?.hash);

    // details stored in another rendering than JCS (rows written before migration 0007)
    const legacy = lines.map((x, i) =>
      i === 2 && rows[2] ? lineOf(rows[2], JSON.stringify(rows[2].details, null, 1)) : x,
    );
    const s = newSegment(0, 5);
    expect(checkLines(s, legacy, sha256)).toBe(true);
    expect(s.suspects).toEqual([3]);

    const gap = newSegment(0, 5);
    expect(
      checkLines(
        gap,
        [lines[0], lines[1], lines[3]].filter((x) => x !== undefined),
        sha256,
      ),
    ).toBe(false);
    expect(gap.broken).toEqual({ seq: 3, reason: "event 3 is missing" });

    const short = newSegment(0, 5);
    checkLines(short, lines.slice(0, 4), sha256);
    finishSegment(short);
    expect(short.broken).toEqual({ seq: 5, reason: "event 5 is missing" });

    const other = chain([1, 2, 3].map((seq) => record(seq, { ip: "198.51.100.1" })));
    const relinked = [lines[0], lines[1], other[2] && lineOf(other[2])].filter(
      (x) => x !== undefined,
    );
    const broken = newSegment(0, 3);
    expect(checkLines(broken, relinked, sha256)).toBe(false);
    expect(broken.broken).toMatchObject({
      seq: 3,
      reason: expect.stringContaining("prev_hash") as unknown,
    });
  });
});
