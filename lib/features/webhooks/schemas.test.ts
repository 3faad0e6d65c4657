import { describe, expect, it } from "vitest";
import { newId } from "@/lib/shared/ids";
import { replaySchema } from "./schemas";

describe("replaySchema", () => {
  it("takes ids of their kind only (a phone number as a delivery id once failed inside)", () => {
    const integrationId = newId("integration");
    expect(replaySchema.safeParse({ integrationId }).success).toBe(true);
    expect(replaySchema.safeParse({ integrationId, deliveryId: newId("delivery") }).success).toBe(
      true,
    );
    for (const deliveryId of ["+14155550123", "", "dlv_x", newId("webhookEvent")]) {
      expect(replaySchema.safeParse({ integrationId, deliveryId }).success, deliveryId).toBe(false);
    }
    expect(replaySchema.safeParse({ integrationId: "+14155550123" }).success).toBe(false);
  });
});
