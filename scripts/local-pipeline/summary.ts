// The summary table `npm start` ends with: one row per job, its status, its duration and the image
// it produced or ran (by digest). Pure functions over the pipeline's outcomes.
import { table } from "../lib/cli/table.ts";
import type { JobStatus } from "./pipeline.ts";

export interface SummaryRow {
  job: string;
  stage: string;
  status: JobStatus;
  durationMs?: number;
  /** `repository@sha256:…` (or the image reference the job ran in). */
  image?: string;
  /** A short note: why it was skipped, the exit code of a failure. */
  note?: string;
}

/** `83.2s`, `1m 05s`: wall times of jobs. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "-";
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

/**
 * The image a job stands for in the summary: the one it pushed (its dotenv report's `*IMAGE_REF`),
 * else the one it pulled and ran (pull-run's `HCI_IMAGE`, after expansion), else its job image.
 */
export function jobImage(parts: { dotenv?: Record<string, string>; variables?: Record<string, string>; jobImage?: string }): string | undefined {
  const dotenv = parts.dotenv ?? {};
  const refKey = Object.keys(dotenv).find((k) => k === "IMAGE_REF" || k.endsWith("_IMAGE_REF"));
  if (refKey && dotenv[refKey]) return dotenv[refKey];
  const pulled = parts.variables?.HCI_IMAGE;
  if (pulled && !pulled.includes("$")) return pulled;
  return parts.jobImage;
}

const STATUS_TEXT: Record<JobStatus, string> = { success: "passed", failed: "FAILED", skipped: "skipped" };

/** Pads the cells of the given columns to one width, so that table()'s right alignment reads as left. */
function leftAlign(rows: string[][], headers: string[], columns: number[]): void {
  for (const c of columns) {
    const width = Math.max(headers[c]!.length, ...rows.map((r) => r[c]!.length));
    headers[c] = headers[c]!.padEnd(width);
    for (const r of rows) r[c] = r[c]!.padEnd(width);
  }
}

export function summaryTable(rows: SummaryRow[]): string {
  const headers = ["job", "stage", "status", "duration", "image@digest"];
  const cells = rows.map((r) => [r.job, r.stage, STATUS_TEXT[r.status] + (r.note ? ` (${r.note})` : ""), formatDuration(r.durationMs), r.image ?? "-"]);
  leftAlign(cells, headers, [1, 2, 4]);
  return table(headers, cells);
}

/** One line under the table: how many jobs passed, failed, were skipped, and the total time. */
export function summaryLine(rows: SummaryRow[], totalMs: number): string {
  const count = (s: JobStatus): number => rows.filter((r) => r.status === s).length;
  const parts = [`${count("success")} passed`];
  if (count("failed") > 0) parts.push(`${count("failed")} failed`);
  if (count("skipped") > 0) parts.push(`${count("skipped")} skipped`);
  return `Pipeline ${count("failed") + count("skipped") > 0 ? "failed" : "passed"}: ${parts.join(", ")} in ${formatDuration(totalMs)}`;
}
