import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError, ERROR_CODES, errorStatus, errorTitle } from "./app-error";
import { toErrorResponse } from "./to-response";

const logged = vi.hoisted(() => ({ error: vi.fn() }));
vi.mock("@/lib/platform/log/logger", () => ({ logger: () => logged }));

describe("toErrorResponse", () => {
  it("answers an AppError as RFC 9457 problem details with its code and status", async () => {
    const res = toErrorResponse(
      new AppError("invalid_input", "values.username: Required.", {
        remediation: "Send both values.",
        fieldErrors: { "values.username": ["Required."] },
        headers: { "retry-after": "3" },
      }),
      "req_1",
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("x-request-id")).toBe("req_1");
    expect(res.headers.get("retry-after")).toBe("3");
    expect(await res.json()).toEqual({
      type: "/api-reference#error-invalid_input",
      title: "Invalid input",
      status: 400,
      detail: "values.username: Required.",
      instance: "urn:pqseal:request:req_1",
      code: "invalid_input",
      remediation: "Send both values.",
      request_id: "req_1",
      fields: { "values.username": ["Required."] },
    });
  });

  it("leaves out the optional members an error does not have", async () => {
    const res = toErrorResponse(new AppError("payload_too_large", "Too large."), "req_2");
    expect(res.status).toBe(413);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ["code", "detail", "instance", "request_id", "status", "title", "type"].sort(),
    );
  });

  it("answers a ZodError that escaped validation as a server fault, not the caller's", async () => {
    // Caller input is validated with parseInput (400 invalid_input); a ZodError that reaches
    // here came from the server's own data (a stored row, a config value, an upstream answer).
    const error = z.object({ a: z.string() }).safeParse({ a: 1 }).error;
    const res = toErrorResponse(error, "req_3");
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("x-request-id")).toBe("req_3");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: "internal_error", status: 500, request_id: "req_3" });
    expect(body.detail).not.toContain("expected string");
    expect(logged.error).toHaveBeenCalledOnce();
  });
});

describe("error titles", () => {
  it("gives every code a short title of its own", () => {
    for (const code of ERROR_CODES) {
      expect(errorTitle(code), code).toMatch(/^[A-Z][^.]{2,60}$/);
      expect(errorStatus(code), code).toBeGreaterThanOrEqual(400);
    }
    expect(new Set(ERROR_CODES.map(errorTitle)).size).toBe(ERROR_CODES.length);
  });
});
