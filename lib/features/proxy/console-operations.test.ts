import { describe, expect, it } from "vitest";
import { OPERATIONS } from "@/lib/features/integrations/schemas";
import { consoleOperationsFor, waitText } from "./console-operations";

describe("test console operations", () => {
  it("offers only what the integration allows, in tab order", () => {
    expect(consoleOperationsFor(["check_verification", "send_sms", "create_verification"])).toEqual(
      ["send_sms", "create_verification", "check_verification"],
    );
    expect(consoleOperationsFor([])).toEqual([]);
    expect(consoleOperationsFor(["nope"])).toEqual([]);
    // Every operation the proxy knows has a tab.
    expect([...consoleOperationsFor(OPERATIONS)].sort()).toEqual([...OPERATIONS].sort());
  });

  it("says a wait in seconds, or whole minutes from two minutes on", () => {
    expect([0, 1, 41.2, 119, 120, 121, 600].map(waitText)).toEqual([
      "1 s",
      "1 s",
      "42 s",
      "119 s",
      "2 min",
      "3 min",
      "10 min",
    ]);
  });
});
