import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { StreamItem } from "./batch";
import { newStreamSecret, objectKey, splunkEventUrl } from "./send";

const item = (type: StreamItem["type"], seq: number, at: string): StreamItem => ({
  type,
  id: `${type === "pqseal-audit-event" ? "aud" : "ckp"}_${seq}`,
  seq,
  at,
  line: {},
});

describe("audit stream senders", () => {
  it("names S3 objects by tenant, UTC day of the first item and zero-padded seqs", () => {
    const items = [
      item("pqseal-audit-event", 41, "2026-12-01T23:59:59.000Z"),
      item("pqseal-audit-checkpoint", 41, "2026-12-02T00:00:01.000Z"),
      item("pqseal-audit-event", 1042, "2026-12-02T00:00:02.000Z"),
    ];
    expect(objectKey("pqseal", "ten_A", items)).toBe(
      "pqseal/ten_A/2026/12/01/000000000041-000000001042.ndjson",
    );
    // No prefix: no leading slash.
    expect(objectKey("", "ten_A", items)).toBe("ten_A/2026/12/01/000000000041-000000001042.ndjson");
    // A late checkpoint alone does not overwrite the object of the events it signs.
    expect(objectKey("p", "ten_A", [items[1] as StreamItem])).toBe(
      "p/ten_A/2026/12/02/000000000041-000000000041.checkpoints.ndjson",
    );
  });

  it("completes a bare Splunk URL with the HEC event endpoint, keeps a full one", () => {
    expect(splunkEventUrl("https://splunk.example.com:8088")).toBe(
      "https://splunk.example.com:8088/services/collector/event",
    );
    expect(splunkEventUrl("https://hec.example.com/services/collector/event")).toBe(
      "https://hec.example.com/services/collector/event",
    );
  });

  it("makes whsec_ secrets a stock Standard Webhooks library signs and verifies with", () => {
    const secret = newStreamSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const wh = new Webhook(secret);
    const now = new Date();
    const body = '{"a":1}\n{"b":2}\n';
    const headers = {
      "webhook-id": "aud_1..aud_2",
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": wh.sign("aud_1..aud_2", now, body),
    };
    expect(() => wh.verify(body, headers, { jsonParse: false })).not.toThrow();
    expect(() => new Webhook(newStreamSecret()).verify(body, headers)).toThrow();
  });
});
