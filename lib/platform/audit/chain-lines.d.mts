// Types of chain-lines.mjs (plain JavaScript so worker threads can load it without a loader).
import type { ChainRecord } from "./chain";

export type ExportField = keyof ChainRecord | "prev_hash" | "hash";
export declare const EXPORT_FIELDS: readonly ExportField[];
export declare const LINE_FIELDS: readonly ExportField[];
export declare const NULL_BITS: readonly ExportField[];
export declare const CHAIN_LINE_COLUMNS: string;
export declare const CHAIN_ROW_COLUMNS: string;
export interface ChainLineRow {
  l: string;
  n: number;
}
export interface Broken {
  seq: number;
  reason: string;
}
export interface Segment {
  from: number;
  through: number;
  nextSeq: number;
  prevHash: string | null;
  firstPrevHash: string | null;
  lastHash: string | null;
  suspects: number[];
  broken: Broken | null;
}
export declare function lineSeq(line: string): number;
export declare function plainFields(line: string, nulls: number): string[] | null;
export declare function hashInput(fields: string[], nulls: number): string;
export declare function jsonlEvent(fields: string[], nulls: number): string;
export declare function csvCell(value: unknown): string;
export declare function csvEvent(fields: string[], nulls: number): string;
export declare function newSegment(from: number, through: number): Segment;
export declare function checkLines(
  segment: Segment,
  rows: ChainLineRow[],
  hash: (text: string) => string,
): boolean;
export declare function finishSegment(segment: Segment): void;
export declare function runSegment(
  segment: Segment,
  fetchAfter: (after: number) => Promise<ChainLineRow[]>,
  hash: (text: string) => string,
  batch: number,
): Promise<Segment>;
export declare function breathe(): Promise<unknown>;
export declare function lineFetcher(
  query: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>,
  where: string,
  params: unknown[],
  through: number,
): (after: number, limit: number) => Promise<ChainLineRow[]>;
export declare const TENANT_WHERE: string;
