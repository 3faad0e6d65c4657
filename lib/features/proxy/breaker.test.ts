import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/platform/errors/app-error";
import { resetBreakers, withBreaker } from "./breaker";

const KEY = "cred_test";
const failed = () => Promise.resolve({ upstreamFailed: true });
const answered = () => Promise.resolve({ upstreamFailed: false });
const kmsDown = () => Promise.reject(new AppError("kms_unavailable", "The KMS is unavailable."));

async function open() {
  for (let i = 0; i < 5; i++) await withBreaker(KEY, failed);
}

async function expectFailFast(retryAfter: string) {
  const fn = vi.fn(answered);
  await expect(withBreaker(KEY, fn)).rejects.toMatchObject({
    code: "upstream_unavailable",
    status: 503,
    options: { headers: { "retry-after": retryAfter } },
  });
  expect(fn).not.toHaveBeenCalled();
}

beforeEach(() => {
  vi.useFakeTimers();
  resetBreakers();
});
afterEach(() => vi.useRealTimers());

describe("circuit breaker", () => {
  it("opens after 5 upstream failures in a row and fails fast for 30 s", async () => {
    await open();
    await expectFailFast("30");
    vi.advanceTimersByTime(20_500);
    await expectFailFast("10");
    // Other credentials are not affected.
    expect(await withBreaker("cred_other", answered)).toEqual({ upstreamFailed: false });
  });

  it("counts neither a Twilio answer nor a thrown error as an upstream failure", async () => {
    for (let i = 0; i < 4; i++) await withBreaker(KEY, failed);
    await withBreaker(KEY, answered); // e.g. a 4xx: resets the count
    for (let i = 0; i < 4; i++) await withBreaker(KEY, failed);
    await expect(withBreaker(KEY, kmsDown)).rejects.toMatchObject({ code: "kms_unavailable" });
    expect(await withBreaker(KEY, answered)).toEqual({ upstreamFailed: false });
  });

  it("lets one trial through after 30 s, failing the others fast meanwhile", async () => {
    await open();
    vi.advanceTimersByTime(30_000);
    let finish = () => {};
    const trial = withBreaker(
      KEY,
      () =>
        new Promise<{ upstreamFailed: boolean }>((resolve) => {
          finish = () => resolve({ upstreamFailed: false });
        }),
    );
    await expectFailFast("1");
    finish();
    await trial;
    expect(await withBreaker(KEY, answered)).toEqual({ upstreamFailed: false });
  });

  it("opens again for 30 s when the trial fails upstream", async () => {
    await open();
    vi.advanceTimersByTime(30_000);
    await withBreaker(KEY, failed);
    await expectFailFast("30");
  });

  it("ends the trial when it throws before Twilio (KMS down): later calls proceed", async () => {
    await open();
    vi.advanceTimersByTime(30_000);
    await expect(withBreaker(KEY, kmsDown)).rejects.toMatchObject({ code: "kms_unavailable" });
    const fn = vi.fn(answered);
    expect(await withBreaker(KEY, fn)).toEqual({ upstreamFailed: false });
    expect(fn).toHaveBeenCalledOnce();
  });

  it("after a trial that threw, reopens at the next upstream failure if Twilio is still down", async () => {
    await open();
    vi.advanceTimersByTime(30_000);
    await expect(withBreaker(KEY, kmsDown)).rejects.toMatchObject({ code: "kms_unavailable" });
    await withBreaker(KEY, failed);
    await expectFailFast("30");
  });
});
