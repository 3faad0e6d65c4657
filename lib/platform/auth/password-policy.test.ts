import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy";

describe("passwordProblem", () => {
  it("refuses short, repeated, common and personal passwords with advice", () => {
    expect(passwordProblem("short one")).toBe("Use at least 12 characters.");
    expect(passwordProblem("aaaaaaaaaaaa")).toMatch(/too easy to guess.*Repeated characters/);
    expect(passwordProblem("password1234")).toMatch(/too easy to guess/);
    expect(
      passwordProblem("olivia.owner@acme.test", {
        email: "olivia.owner@acme.test",
        name: "Olivia",
      }),
    ).toMatch(/too easy to guess/);
  });

  // The passwords the tests and the end-to-end specs sign up with must stay accepted.
  it.each([
    ["correct horse battery staple", "user@example.test", "user"],
    ["owner password 123", "olivia@acme.test", "Olivia Owner"],
    ["auditor password 1", "aldo@acme.test", "Aldo Auditor"],
    ["operator password", "opal@acme.test", "Opal Operator"],
  ])("accepts %s", (password, email, name) => {
    expect(passwordProblem(password, { email, name })).toBeNull();
  });
});
