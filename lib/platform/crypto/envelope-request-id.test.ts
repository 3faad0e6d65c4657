import { describe, expect, it } from "vitest";
import { envelopeRequestId } from "./build-envelope";

const headers = (h: Record<string, string>) => new Headers(h);

describe("envelopeRequestId", () => {
  it("is the client's X-Client-Request-Id when sent", () => {
    expect(envelopeRequestId(headers({ "x-client-request-id": "cli_order-42" }), "req_1")).toBe(
      "cli_order-42",
    );
  });

  it("is the server's request id otherwise", () => {
    expect(envelopeRequestId(headers({}), "req_1")).toBe("req_1");
  });

  it("is never the caller's X-Request-Id, which a retry may repeat", () => {
    const id = envelopeRequestId(headers({ "x-request-id": "trace-1" }), "trace-1");
    expect(id).not.toBe("trace-1");
    expect(id).toMatch(/^req_/);
  });
});
