// Writing the reports (--report, --junit): redacted like the terminal (every file the CLI writes),
// and never through a symlink or onto a half-written file: the text goes to a new file created
// exclusively (O_EXCL) in the same folder, which is then renamed over the path. A symlink at the
// path is replaced, its target left untouched.
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Redactor } from "../cli/redact.ts";
import { scanError } from "./codes.ts";
import { containerScanningReport, type ReportContext } from "./container-scanning.ts";
import type { Evaluation } from "./gate.ts";
import { errorCases, evaluationCases, junitDocument } from "./junit.ts";

/** Writes `text` at `file` (relative to `cwd`) by exclusive create + rename; throws REPORT_UNWRITABLE. */
export function writeReportFile(cwd: string, file: string, text: string): void {
  const path = resolve(cwd, file);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(tmp, "wx", 0o644);
    created = true;
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    if (created) rmSync(tmp, { force: true });
    throw scanError("REPORT_UNWRITABLE", "usage", {
      message: `cannot write the report \`${file}\` (${err instanceof Error ? err.message : String(err)})`,
      actual: path,
    });
  }
}

export interface ReportPaths {
  /** GitLab's container-scanning report. */
  report?: string;
  junit?: string;
}

/**
 * Writes the reports of an evaluation, or (with ctx.failure) of a gate that could not decide.
 * Secrets go first (redactValue on the data), then formatting, then a last scrub of the text.
 */
export function writeReports(cwd: string, paths: ReportPaths, e: Evaluation, ctx: ReportContext, redactor: Redactor): string[] {
  const clean = redactor.redactValue(e) as Evaluation;
  const cctx = redactor.redactValue(ctx) as ReportContext;
  const written: string[] = [];
  if (paths.report) {
    const json = JSON.stringify(containerScanningReport(clean, { ...cctx, start: ctx.start, end: ctx.end }), null, 2);
    writeReportFile(cwd, paths.report, redactor.scrub(json) + "\n");
    written.push(`report: ${paths.report} (GitLab container scanning)`);
  }
  if (paths.junit) {
    const seconds = (ctx.end.getTime() - ctx.start.getTime()) / 1000;
    const cases = cctx.failure
      ? errorCases({ ...cctx.failure, ...(ctx.failure?.fix ? { fix: redactor.scrub(ctx.failure.fix) } : {}) })
      : evaluationCases(clean);
    writeReportFile(cwd, paths.junit, redactor.scrub(junitDocument(cctx.image, cases, seconds)));
    written.push(`report: ${paths.junit} (JUnit)`);
  }
  return written;
}
