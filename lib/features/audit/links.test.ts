import { describe, expect, it } from "vitest";
import { auditEventHref, auditListHref, safeBackHref } from "./links";

const T = "ten_01ARZ3NDEKTSV4RRFFQ69G5FAV";
const OTHER = "ten_01BX5ZZKBKACTAV9WEVGEMMVRZ";
const LIST = `/t/${T}/audit`;

describe("audit list links", () => {
  it("keeps the filters and the page, drops empty and unknown parameters", () => {
    expect(auditListHref(T, { action: "member.joined", actor: "", cursor: "40", evil: "x" })).toBe(
      `${LIST}?action=member.joined&cursor=40`,
    );
    expect(auditListHref(T, {})).toBe(LIST);
  });

  it("opens an event with the list it came from, and returns to it", () => {
    const back = auditListHref(T, { from: "2026-11-21", destination: "+44 7700 900123" });
    const href = auditEventHref(T, "aud_1", back);
    const url = new URL(href, "http://localhost");
    expect(url.pathname).toBe(`${LIST}/aud_1`);
    const returned = safeBackHref(T, url.searchParams.get("back") ?? undefined);
    expect(returned).toBe(back);
    expect(new URL(returned, "http://localhost").searchParams.get("destination")).toBe(
      "+44 7700 900123",
    );
    expect(auditEventHref(T, "aud_1", LIST)).toBe(`${LIST}/aud_1`);
  });

  it.each([
    ["nothing", undefined],
    ["an absolute URL", "https://evil.example/t/x/audit"],
    ["an absolute URL to this path", `https://evil.example${LIST}?action=auth.sign_in`],
    ["a protocol-relative URL", `//evil.example${LIST}`],
    ["a backslash path", `/\\evil.example${LIST}`],
    ["a javascript: URL", "javascript:alert(1)"],
    ["another tenant's list", `/t/${OTHER}/audit?action=auth.sign_in`],
    ["another page", `/t/${T}/members`],
    ["a path inside the list", `${LIST}/aud_1`],
    ["a dot-segment escape", `${LIST}/../members`],
    ["a relative path", "audit?action=auth.sign_in"],
  ])("sends %s back to the unfiltered list", (_what, back) => {
    expect(safeBackHref(T, back)).toBe(LIST);
  });

  it("rebuilds a valid back link from its known parameters only", () => {
    expect(safeBackHref(T, `${LIST}?action=auth.sign_in&next=https://evil.example#x`)).toBe(
      `${LIST}?action=auth.sign_in`,
    );
  });
});
