// Types of export-lines.mjs (plain JavaScript so worker threads can load it without a loader).
export declare const CSV_COLUMNS: readonly [
  "id",
  "tenant_id",
  "seq",
  "occurred_at",
  "actor_type",
  "actor_id",
  "actor_label",
  "action",
  "target_type",
  "target_id",
  "integration_id",
  "outcome",
  "ip",
  "user_agent",
  "request_id",
  "destination_hmac",
  "destination_last2",
  "details",
  "prev_hash",
  "hash",
];
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
