import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { noSuchRoute } from "./no-such-route";

describe("an /api/v2 path no route serves", () => {
  it.each(["GET", "POST", "DELETE"])(
    "answers %s with 404 not_found problem details carrying the request id",
    async (method) => {
      const response = await noSuchRoute(
        new NextRequest("http://localhost/api/v2/integrationz", {
          method,
          headers: { "x-request-id": "trace-abc.1" },
        }),
      );
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(response.headers.get("x-request-id")).toBe("trace-abc.1");
      expect(await response.json()).toMatchObject({
        status: 404,
        code: "not_found",
        request_id: "trace-abc.1",
        instance: "urn:pqseal:request:trace-abc.1",
      });
    },
  );
});
