import { describe, expect, it } from "vitest";
import { firstDuplicateKey } from "./duplicate-keys";

describe("firstDuplicateKey", () => {
  it("finds a key repeated in one object, at any depth", () => {
    expect(firstDuplicateKey('{"a":1,"b":2,"a":3}')).toBe("a");
    expect(firstDuplicateKey('{"d":{"x":1,"x":2}}')).toBe("x");
    expect(firstDuplicateKey('{"d":[{"x":1},{"x":2}],"y":"\\"x\\":"}')).toBeNull();
  });

  it("does not mistake equal keys in different objects or string values for duplicates", () => {
    expect(firstDuplicateKey('{"a":{"a":1},"b":"a"}')).toBeNull();
    expect(firstDuplicateKey('{"k":"\\\\","k2":1}')).toBeNull();
  });
});
