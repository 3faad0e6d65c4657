import { describe, expect, it } from "vitest";
import { createClient, generateClientKeyPair, PqsealApiError } from "./index";

const pair = generateClientKeyPair();

const answering = (response: Response) =>
  createClient({
    baseUrl: "https://pqseal.invalid",
    tenantId: "ten_x",
    apiKey: "qs_test_x",
    clientKeyId: "ckey_x",
    clientSecretKey: pair.secretKey,
    signingPublicKeys: {},
    fetch: () => Promise.resolve(response),
  });

const send = (response: Response) =>
  answering(response)
    .proxy.outbound({ integration_id: "int_x", operation: "send_sms", payload: {} })
    .catch((e: unknown) => e);

describe("PqsealApiError from problem details", () => {
  it("keeps code, detail as message, remediation, and adds status, request id, type, fields", async () => {
    const problem = {
      type: "/api-reference#error-invalid_input",
      title: "Invalid input",
      status: 400,
      detail: "payload.to: Required.",
      instance: "urn:pqseal:request:req_1",
      code: "invalid_input",
      remediation: "Send a number.",
      request_id: "req_1",
      fields: { "payload.to": ["Required."] },
    };
    const error = await send(
      new Response(JSON.stringify(problem), {
        status: 400,
        headers: { "content-type": "application/problem+json", "x-request-id": "req_1" },
      }),
    );
    expect(error).toBeInstanceOf(PqsealApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "invalid_input",
      message: "payload.to: Required.",
      remediation: "Send a number.",
      requestId: "req_1",
      type: "/api-reference#error-invalid_input",
      title: "Invalid input",
      fields: { "payload.to": ["Required."] },
    });
  });

  it("names an answer that is neither an envelope nor problem details", async () => {
    const error = await send(new Response("<html>bad gateway</html>", { status: 502 }));
    expect(error).toMatchObject({
      status: 502,
      code: "unexpected_response",
      message: "PQSEAL answered HTTP 502",
      requestId: undefined,
    });
  });
});
