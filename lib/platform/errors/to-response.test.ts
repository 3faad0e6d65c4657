import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "./app-error";
import { toErrorResponse } from "./to-response";

const logged = vi.hoisted(() => ({ error: vi.fn() }));
vi.mock("@/lib/platform/log/logger", () => ({ logger: () => logged }));

describe("toErrorResponse", () => {
  it("answers an AppError with its code and status", async () => {
    const res = toErrorResponse(new AppError("payload_too_large", "Too large."), "req_1");
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it("answers a ZodError that escaped validation as a server fault, not the caller's", async () => {
    // Caller input is validated with parseInput (400 invalid_input); a ZodError that reaches
    // here came from the server's own data (a stored row, a config value, an upstream answer).
    const error = z.object({ a: z.string() }).safeParse({ a: 1 }).error;
    const res = toErrorResponse(error, "req_2");
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: "internal_error" } });
    expect(logged.error).toHaveBeenCalledOnce();
  });
});
