import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "./api-routes";

// The console's API reference lists API_ROUTES; this reads the route handlers themselves, so a
// route added, removed or re-scoped without updating the list fails here.
const root = path.join(import.meta.dirname, "..", "..");
const apiDir = path.join(root, "app", "api", "v2");

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    // The catch-all ([...path]) answers paths no route serves: it is no route of the API.
    if (entry.isDirectory() && entry.name.startsWith("[...")) return [];
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

/** app/api/v2/integrations/[integrationId]/route.ts -> /api/v2/integrations/{integration_id} */
function urlPathOf(file: string): string {
  const segments = path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep);
  const named = segments.map((s) => {
    const param = /^\[(\w+)\]$/.exec(s)?.[1];
    return param ? `{${param.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}}` : s;
  });
  return `/${named.join("/")}`;
}

function handlersIn(file: string) {
  const source = readFileSync(file, "utf8");
  const exports = [...source.matchAll(/export const (GET|POST|PATCH|PUT|DELETE) = ([^;]+);/g)];
  expect(exports.length, `${file} exports no handler`).toBeGreaterThan(0);
  return exports.map(([, method, body = ""]) => {
    const scope = /withApiKey(?:<[^>]*>)?\(\s*(?:"([^"]+)"|(null))/.exec(body);
    const auth = scope
      ? (scope[1] ?? "any_key")
      : body.startsWith("withRequestId(")
        ? "public"
        : "twilio_signature";
    return `${method} ${urlPathOf(file)} ${auth}`;
  });
}

describe("the API reference's route list (lib/shared/api-routes.ts)", () => {
  it("names every /api/v2 handler with its method and scope, and nothing else", () => {
    const handlers = routeFiles(apiDir).flatMap(handlersIn).sort();
    const listed = API_ROUTES.map((r) => `${r.method} ${r.path} ${r.auth}`).sort();
    expect(handlers.length).toBeGreaterThan(10);
    expect(listed).toEqual(handlers);
  });

  it("gives each route a one-line purpose", () => {
    for (const route of API_ROUTES) {
      expect(route.purpose, route.path).toMatch(/^[A-Z].{10,}\.$/);
      expect(route.purpose, route.path).not.toContain("\n");
    }
  });
});
