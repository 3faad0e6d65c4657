// Types of export-lines.mjs (plain JavaScript so worker threads can load it without a loader).
import type { ExportField } from "@/lib/platform/audit/chain-lines.mjs";

export declare const CSV_COLUMNS: readonly ExportField[];
export type Query = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
export interface ExportWindow {
  where: string;
  params: unknown[];
  format: "jsonl" | "csv";
  from: number;
  through: number;
  batch: number;
}
export declare function exportWindow(query: Query, window: ExportWindow): AsyncGenerator<string>;
