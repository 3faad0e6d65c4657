import { mkdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The two widths every page is checked and photographed at. */
export const WIDTHS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "mobile", width: 390, height: 844 },
] as const;

// Playwright runs from the repository root.
const SCREENSHOTS = path.resolve("docs", "screenshots");

/**
 * axe-core on the page as it is now: no serious or critical violation (WCAG 2.1 A/AA rules and
 * best practices). The failure message names each rule and the first offending elements.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const blocking = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  const summary = blocking.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(" "))
        .join("\n    ")}`,
  );
  expect(summary, `${label}: axe violations`).toEqual([]);
}

/** Nothing wider than the viewport: a person at 390 px never scrolls sideways to read. */
export async function expectNoHorizontalScroll(page: Page, label: string): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${label}: page wider than the viewport`).toBeLessThanOrEqual(1);
}

/** A full-page screenshot under docs/screenshots/<name>-<width>.png (shown in the README). */
export async function screenshot(page: Page, name: string, width: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}-${width}.png`),
    fullPage: true,
    animations: "disabled",
  });
}
