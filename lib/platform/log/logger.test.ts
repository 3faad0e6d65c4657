import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildLogger } from "./logger";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: buildLogger(stream), text: () => lines.join("") };
}

describe("logger", () => {
  it("never writes a failed query's parameters (a password hash was seen in the log, #14)", () => {
    const { logger, text } = capture();
    const cause = Object.assign(
      new Error('duplicate key value violates unique constraint "users_email"'),
      {
        code: "23505",
        parameters: ["usr_1", "a@example.test", "scrypt$32768$8$1$c2FsdA$aGFzaA"],
      },
    );
    const error = new Error(
      'Failed query: insert into "users" ("id", "email", "password_hash") values ($1, $2, $3)\nparams: usr_1,a@example.test,scrypt$32768$8$1$c2FsdA$aGFzaA',
      { cause },
    );
    logger.level = "error";
    logger.error({ err: error }, "insert failed");
    const out = text();
    expect(out).toContain("Failed query: insert into");
    expect(out).toContain("params: [redacted]");
    expect(out).not.toContain("scrypt$");
    expect(out).not.toContain("a@example.test");
  });
});
