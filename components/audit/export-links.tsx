"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState, type MouseEvent } from "react";
import { EXPORT_COOKIE, EXPORT_TOKEN_PARAM } from "@/lib/features/audit/export-download";

const FORMATS = [
  { format: "csv", label: "Export CSV" },
  { format: "jsonl", label: "Export JSONL" },
] as const;

type Format = (typeof FORMATS)[number]["format"];

/** How long "Preparing…" may last before the page says the export did not start. */
const GIVE_UP_MS = 120_000;

// getRandomValues, unlike randomUUID, works outside secure contexts too (plain http).
const newToken = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");

const cookieHas = (token: string) =>
  document.cookie.split("; ").includes(`${EXPORT_COOKIE}=${token}`);

/**
 * The export downloads, with progress: from the click until the server starts sending the
 * file (it signs a checkpoint and records the export first) the link says "Preparing…"; the
 * response's cookie (lib/features/audit/export-download.ts) ends it. One click, one request:
 * a download link, so the browser streams the file to disk.
 */
export function ExportLinks({ tenantId, filters }: { tenantId: string; filters: string }) {
  const router = useRouter();
  const [preparing, setPreparing] = useState<{ format: Format; token: string } | null>(null);
  const [status, setStatus] = useState("");

  useEffect(() => {
    if (!preparing) return;
    const started = Date.now();
    const timer = window.setInterval(() => {
      if (cookieHas(preparing.token)) {
        document.cookie = `${EXPORT_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict`;
        setStatus("The download has started: see your browser's downloads.");
        // The export is recorded and its checkpoint signed: the list and the card show them.
        router.refresh();
      } else if (Date.now() - started > GIVE_UP_MS) {
        setStatus("The export did not start. Try again, or narrow the filters.");
      } else return;
      window.clearInterval(timer);
      setPreparing(null);
    }, 400);
    return () => window.clearInterval(timer);
  }, [preparing, router]);

  const href = (format: Format, token?: string) => {
    const query = new URLSearchParams(filters);
    query.set("format", format);
    if (token) query.set(EXPORT_TOKEN_PARAM, token);
    return `/api/tenants/${tenantId}/audit/export?${query.toString()}`;
  };

  const start = (format: Format) => (e: MouseEvent<HTMLAnchorElement>) => {
    // A click to open in a new tab or window is the browser's business.
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    // One export at a time: a second click while one is prepared adds nothing.
    if (preparing) return;
    // The token is drawn at the click (drawn while rendering, the server's HTML and the
    // browser would disagree); a detached link carries it, so the page stays.
    const token = newToken();
    const link = document.createElement("a");
    link.href = href(format, token);
    link.download = "";
    link.click();
    setStatus("");
    setPreparing({ format, token });
  };

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      {FORMATS.map(({ format, label }) => (
        <a
          key={format}
          className="underline aria-disabled:cursor-wait aria-disabled:text-slate-600"
          href={href(format)}
          download
          aria-disabled={preparing ? true : undefined}
          onClick={start(format)}
        >
          {preparing?.format === format ? `Preparing ${format.toUpperCase()}…` : label}
        </a>
      ))}
      <span role="status" className="text-slate-600" data-testid="export-status">
        {preparing ? `Preparing the ${preparing.format.toUpperCase()} export…` : status}
      </span>
    </div>
  );
}
