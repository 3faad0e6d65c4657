// The console's API reference page, rendered as the server renders it: every operation of the
// document is on it, every in-page link has its target (the problem `type` of every error code
// and each schema a response names), no id repeats, and headings never skip a level.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OpenApiReference } from "@/components/api-reference/openapi-reference";
import { ERROR_CODES } from "@/lib/platform/errors/app-error";
import { API_ROUTES } from "@/lib/shared/api-routes";

const html = renderToStaticMarkup(createElement(OpenApiReference));
const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1] ?? "");

describe("the API reference page", () => {
  it("shows every route with an example call, and links the OpenAPI document", () => {
    for (const route of API_ROUTES) {
      expect(html, route.path).toContain(`>${route.path}</code>`);
    }
    expect(html).toContain('href="/api/v2/openapi.json"');
    expect(html.match(/curl -s -X /g)).toHaveLength(API_ROUTES.length);
    expect(html).not.toContain("<script");
  });

  it("has an anchor for every error code's problem type, and every in-page link lands", () => {
    for (const code of ERROR_CODES) expect(ids, code).toContain(`error-${code}`);
    const targets = [...html.matchAll(/ href="#([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(targets.filter((t) => !ids.includes(t))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("labels every table and scrolling region, and keeps heading levels in order", () => {
    const tables = html.match(/<table[^>]*>/g) ?? [];
    expect(tables.length).toBeGreaterThan(API_ROUTES.length);
    for (const table of tables) expect(table).toMatch(/aria-label="[^"]+"/);
    for (const pre of html.match(/<pre[^>]*>/g) ?? []) {
      expect(pre).toMatch(/role="region"/);
      expect(pre).toMatch(/aria-label="[^"]+"/);
      expect(pre).toMatch(/tabindex="0"/);
    }
    const levels = [...html.matchAll(/<h(\d)/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => {
      if (i > 0) expect(level - (levels[i - 1] ?? 1), `heading ${i}`).toBeLessThanOrEqual(1);
    });
  });
});
