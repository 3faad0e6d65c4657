import { describe, expect, it } from "vitest";
import { readCappedText } from "./read-body";

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://localhost/x", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);

describe("readCappedText", () => {
  it("reads a body of up to the limit as UTF-8, and no body as empty", async () => {
    expect(await readCappedText(post("héllo"), 6)).toBe("héllo");
    expect(await readCappedText(post(null), 6)).toBe("");
    expect(await readCappedText(new Request("http://localhost/x"), 6)).toBe("");
  });

  it("reads bytes that are not UTF-8 as U+FFFD, as they came otherwise (a BOM stays)", async () => {
    expect(await readCappedText(post(new Uint8Array([0x61, 0xff, 0x62])), 10)).toBe("a\uFFFDb");
    expect(await readCappedText(post(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])), 10)).toBe(
      "\uFEFF{}",
    );
  });

  it("answers null for a body over the limit, declared or streamed, without reading it all", async () => {
    expect(await readCappedText(post("x".repeat(7)), 6)).toBeNull();
    expect(await readCappedText(post("x", { "content-length": "7" }), 6)).toBeNull();
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
    });
    expect(await readCappedText(post(endless), 4096)).toBeNull();
    expect(pulled).toBeLessThan(16 * 1024);
  });
});
