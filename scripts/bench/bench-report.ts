// bench:build's numbers: medians per case and job, the ours/naive ratios, and the targets.
// Pure functions over the measurements scripts/bench/build.ts takes.
import { median, table } from "../lib/cli/table.ts";
import { formatBytes, type UploadAccount } from "./bytes.ts";

export const BENCH_CASES = ["cold", "change", "nochange"] as const;
export type BenchCase = (typeof BENCH_CASES)[number];
export const CASE_LABEL: Record<BenchCase, string> = {
  cold: "cold (empty repo)",
  change: "one-line change",
  nochange: "no change",
};

export type Contender = "naive" | "ours";
export const CONTENDER_LABEL: Record<Contender, string> = { naive: "naive (guide)", ours: "build-push" };

export interface Measurement {
  run: number;
  case: BenchCase;
  contender: Contender;
  /** The whole job as the runner sees it: services, script, clean-up. */
  wallMs: number;
  /** before_script + script only (without the per-job service start-up, the same for both jobs). */
  scriptMs: number;
  uploads: UploadAccount;
  /** Layers of the pushed image that the previous image of the same job did not have. */
  changedLayers: string[];
}

export interface Aggregate {
  case: BenchCase;
  contender: Contender;
  runs: number;
  wallMs: number;
  scriptMs: number;
  totalBytes: number;
  layerBytes: number;
  layerBlobs: number;
}

export function aggregate(measurements: readonly Measurement[]): Aggregate[] {
  const out: Aggregate[] = [];
  for (const c of BENCH_CASES) {
    for (const contender of ["naive", "ours"] as const) {
      const ms = measurements.filter((m) => m.case === c && m.contender === contender);
      if (ms.length === 0) continue;
      out.push({
        case: c,
        contender,
        runs: ms.length,
        wallMs: median(ms.map((m) => m.wallMs)),
        scriptMs: median(ms.map((m) => m.scriptMs)),
        totalBytes: median(ms.map((m) => m.uploads.totalBytes)),
        layerBytes: median(ms.map((m) => m.uploads.layerBytes)),
        layerBlobs: median(ms.map((m) => m.uploads.layerBlobs)),
      });
    }
  }
  return out;
}

/** `0.31` (or `-` when the base is 0). */
export function ratio(ours: number, naive: number): string {
  if (naive === 0) return ours === 0 ? "-" : "inf";
  return (ours / naive).toFixed(2);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export function benchTable(aggregates: readonly Aggregate[]): string {
  const rows: string[][] = [];
  for (const a of aggregates) {
    const naive = a.contender === "ours" ? aggregates.find((b) => b.case === a.case && b.contender === "naive") : undefined;
    rows.push([
      CASE_LABEL[a.case],
      CONTENDER_LABEL[a.contender],
      seconds(a.wallMs),
      seconds(a.scriptMs),
      formatBytes(a.totalBytes),
      String(a.layerBlobs),
      formatBytes(a.layerBytes),
      naive ? ratio(a.wallMs, naive.wallMs) : "",
      naive ? ratio(a.scriptMs, naive.scriptMs) : "",
      naive ? ratio(a.totalBytes, naive.totalBytes) : "",
    ]);
  }
  const headers = ["case", "job", "job wall", "script", "uploaded", "layer blobs", "layer bytes", "wall ours/naive", "script ours/naive", "bytes ours/naive"];
  // table() right-aligns every column but the first: pad the job names so they read left-aligned.
  const width = Math.max(headers[1]!.length, ...rows.map((r) => r[1]!.length));
  headers[1] = headers[1]!.padEnd(width);
  for (const r of rows) r[1] = r[1]!.padEnd(width);
  return table(headers, rows);
}

export interface TargetResult {
  target: string;
  met: boolean;
  detail: string;
}

/**
 * The targets: no change uploads no layer byte and takes at most a quarter of the naive job's
 * time; a one-line change takes at most a third of it (judged on the job's wall time; the
 * script-only ratio is printed beside it) and uploads only the layer that changed; a cold build
 * takes at most 1.1 times the naive job's.
 */
export function evaluateTargets(measurements: readonly Measurement[], aggregates: readonly Aggregate[]): TargetResult[] {
  const results: TargetResult[] = [];
  const ours = (c: BenchCase): Measurement[] => measurements.filter((m) => m.case === c && m.contender === "ours");
  const agg = (c: BenchCase, who: Contender): Aggregate | undefined => aggregates.find((a) => a.case === c && a.contender === who);

  const still = ours("nochange");
  if (still.length > 0) {
    const worst = Math.max(...still.map((m) => m.uploads.layerBytes));
    const blobs = Math.max(...still.map((m) => m.uploads.layerBlobs));
    results.push({
      target: "no change: build-push uploads 0 layer bytes",
      met: worst === 0,
      detail: `${blobs} layer blob(s), ${formatBytes(worst)} at most over ${still.length} run(s)`,
    });
  }

  const naiveChange = agg("change", "naive");
  const oursChange = agg("change", "ours");
  if (naiveChange && oursChange) {
    const wall = oursChange.wallMs / naiveChange.wallMs;
    const script = oursChange.scriptMs / naiveChange.scriptMs;
    results.push({
      target: "one-line change: build-push takes at most 1/3 of the naive job's time",
      met: wall <= 1 / 3,
      detail:
        `job wall ${seconds(oursChange.wallMs)} vs ${seconds(naiveChange.wallMs)} = ${wall.toFixed(2)}; ` +
        `script only ${seconds(oursChange.scriptMs)} vs ${seconds(naiveChange.scriptMs)} = ${script.toFixed(2)} (${script <= 1 / 3 ? "within" : "above"} 1/3)`,
    });
  }

  const changed = ours("change");
  if (changed.length > 0) {
    const bad = changed.filter((m) => !sameSet(m.uploads.layerDigests, m.changedLayers) || m.changedLayers.length !== 1);
    const m = changed[0]!;
    results.push({
      target: "one-line change: build-push uploads only the changed layer",
      met: bad.length === 0,
      detail:
        bad.length === 0
          ? `${m.uploads.layerBlobs} layer blob (${formatBytes(m.uploads.layerBytes)}) = the ${m.changedLayers.length} layer that differs from the previous image`
          : `run ${bad[0]!.run}: uploaded ${bad[0]!.uploads.layerBlobs} layer blob(s) (${formatBytes(bad[0]!.uploads.layerBytes)}); ${bad[0]!.changedLayers.length} layer(s) differ from the previous image`,
    });
  }

  // Time targets of the other two cases, on the job's wall time like the one-line change.
  for (const [c, limit, label] of [
    ["nochange", 1 / 4, "no change: build-push takes at most 1/4 of the naive job's time"],
    ["cold", 1.1, "cold: build-push takes at most 1.1 times the naive job's time"],
  ] as const) {
    const naive = agg(c, "naive");
    const mine = agg(c, "ours");
    if (!naive || !mine) continue;
    const wall = mine.wallMs / naive.wallMs;
    const script = mine.scriptMs / naive.scriptMs;
    results.push({
      target: label,
      met: wall <= limit,
      detail: `job wall ${seconds(mine.wallMs)} vs ${seconds(naive.wallMs)} = ${wall.toFixed(2)}; script only ${seconds(mine.scriptMs)} vs ${seconds(naive.scriptMs)} = ${script.toFixed(2)}`,
    });
  }
  return results;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

export function targetLines(results: readonly TargetResult[]): string[] {
  return results.map((r) => `${r.met ? "MET    " : "MISSED "} ${r.target}: ${r.detail}`);
}

/** The benchmark's "one-line change": the `greeting=` line of the app's source gets a new revision. */
export function oneLineChange(source: string, revision: string): string {
  const lines = source.split("\n");
  const i = lines.findIndex((l) => /^greeting=/.test(l));
  if (i < 0) throw new Error("the source has no `greeting=` line to change (src/app of examples/bench-app or examples/builder-app)");
  // The app's own greeting, without the revision a previous change added.
  const greeting = /^greeting="(.*?)(?: \([^)]*\))?"$/.exec(lines[i]!)?.[1] ?? "Hello";
  lines[i] = `greeting="${greeting} (${revision})"`;
  return lines.join("\n");
}
