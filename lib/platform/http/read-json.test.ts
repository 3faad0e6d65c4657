import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/platform/errors/app-error";
import { readJson } from "./read-json";

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/v2/x", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
    duplex: "half",
  } as RequestInit);

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) {
      return { status: error.status, code: error.code, fields: error.options.fieldErrors };
    }
    throw error;
  }
  return "accepted";
}

describe("readJson", () => {
  it("reads a JSON body", async () => {
    expect(await readJson(post('{"a":[1,"b",null]}'))).toEqual({ a: [1, "b", null] });
  });

  it("refuses a body over 64 KiB with 413, declared or streamed, without reading it all", async () => {
    const big = JSON.stringify({ s: "x".repeat(64 * 1024) });
    expect(await refusal(readJson(post(big)))).toMatchObject({
      status: 413,
      code: "payload_too_large",
    });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    expect(await refusal(readJson(post(endless)))).toMatchObject({ code: "payload_too_large" });
    expect(pulled).toBeLessThan(256 * 1024);
    const lying = post(big, { "content-length": "10" });
    expect(await refusal(readJson(lying))).toMatchObject({ code: "payload_too_large" });
  });

  it("reads a body of exactly 64 KiB", async () => {
    const exact = JSON.stringify({ s: "x".repeat(64 * 1024 - 8) });
    expect(exact.length).toBe(64 * 1024);
    expect(await readJson(post(exact))).toEqual({ s: "x".repeat(64 * 1024 - 8) });
  });

  it("refuses malformed JSON and bytes that are not UTF-8 with 400", async () => {
    expect(await refusal(readJson(post("{")))).toMatchObject({ code: "invalid_input" });
    expect(await refusal(readJson(post(new Uint8Array([0x22, 0xff, 0x22]))))).toMatchObject({
      code: "invalid_input",
    });
  });

  it("refuses control characters anywhere in the body, naming the field", async () => {
    expect(await refusal(readJson(post('{"values":{"password":"a\\u0000b"}}')))).toMatchObject({
      code: "invalid_input",
      fields: { "values.password": [expect.stringMatching(/U\+0000/)] },
    });
    expect(await refusal(readJson(post('{"list":["ok","\\u009b"]}')))).toMatchObject({
      fields: { "list.1": [expect.any(String)] },
    });
    expect(await refusal(readJson(post('{"a\\u0000":1}')))).toMatchObject({
      code: "invalid_input",
    });
  });

  it("keeps line breaks and tabs (message bodies have them)", async () => {
    expect(await readJson(post('{"body":"line 1\\r\\nline\\t2"}'))).toEqual({
      body: "line 1\r\nline\t2",
    });
  });

  it("refuses nesting deeper than any API body needs", async () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    expect(await refusal(readJson(post(deep)))).toMatchObject({ code: "invalid_input" });
  });
});
