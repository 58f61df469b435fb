// The gate: which findings reach --fail-on, which the allow list covers, and the summary table.
import type { NativeReportSummary } from "../harbor-api/scan-model.ts";
import { isExpired, type AllowEntry } from "./allow-list.ts";
import type { VulnerabilityFinding } from "./overview.ts";
import { bySeverityDesc, reaches, type FailOn, type Severity } from "./severity.ts";

export interface Finding extends VulnerabilityFinding {
  /** At or above --fail-on. */
  gating: boolean;
  /** In force allow-list entry covering it. */
  allowedBy?: AllowEntry;
}

export interface SeverityRow {
  severity: Severity;
  count: number;
  fixable: number;
}

export interface Evaluation {
  failOn: FailOn;
  findings: Finding[];
  /** Findings that fail the gate: gating and not allowed. */
  blocking: Finding[];
  /** How many findings fail the gate (from the overview's counts when the list was not readable). */
  blockingCount: number;
  /** Expired allow-list entries (reported; they no longer allow anything). */
  expired: AllowEntry[];
  /** Entries in force that matched nothing. */
  unused: AllowEntry[];
  rows: SeverityRow[];
  total: number;
  fixable: number;
  /** Details were not readable: the decision rests on the overview's counts. */
  fromOverviewOnly: boolean;
}

const ROW_ORDER: Severity[] = ["Critical", "High", "Medium", "Low", "Negligible", "Unknown"];

/** Decides from the full list of findings. */
export function evaluate(vulns: VulnerabilityFinding[], failOn: FailOn, allow: AllowEntry[], now: Date): Evaluation {
  const inForce = allow.filter((e) => !isExpired(e, now));
  const used = new Set<AllowEntry>();
  const findings: Finding[] = vulns.map((v) => {
    const allowedBy = inForce.find((e) => e.id === v.id);
    if (allowedBy) used.add(allowedBy);
    return { ...v, gating: reaches(v.severity, failOn), ...(allowedBy ? { allowedBy } : {}) };
  });
  findings.sort((a, b) => bySeverityDesc(a.severity, b.severity) || a.id.localeCompare(b.id) || a.package.localeCompare(b.package));
  const rows = ROW_ORDER.map((severity) => {
    const of = findings.filter((f) => f.severity === severity);
    return { severity, count: of.length, fixable: of.filter((f) => !!f.fix_version).length };
  });
  const blocking = findings.filter((f) => f.gating && !f.allowedBy);
  return {
    failOn,
    findings,
    blocking,
    blockingCount: blocking.length,
    expired: allow.filter((e) => isExpired(e, now)),
    unused: inForce.filter((e) => !used.has(e)),
    rows,
    total: findings.length,
    fixable: findings.filter((f) => !!f.fix_version).length,
    fromOverviewOnly: false,
  };
}

/** Decides from the overview's counts alone (no permission to read the findings); overview.ts checked its severities. */
export function evaluateOverview(report: NativeReportSummary, failOn: FailOn, allow: AllowEntry[], now: Date): Evaluation {
  const counts = report.summary?.summary ?? {};
  const rows = ROW_ORDER.map((severity) => ({ severity, count: counts[severity] ?? 0, fixable: 0 }));
  const blockingCount = rows.filter((r) => reaches(r.severity, failOn)).reduce((n, r) => n + r.count, 0);
  return {
    failOn,
    findings: [],
    blocking: [],
    blockingCount,
    expired: allow.filter((e) => isExpired(e, now)),
    unused: [],
    rows,
    total: report.summary?.total ?? rows.reduce((n, r) => n + r.count, 0),
    fixable: report.summary?.fixable ?? 0,
    fromOverviewOnly: true,
  };
}

/** An evaluation of nothing: what the reports hold when the gate could not decide. */
export function undecided(failOn: FailOn): Evaluation {
  return { failOn, findings: [], blocking: [], blockingCount: 0, expired: [], unused: [], rows: [], total: 0, fixable: 0, fromOverviewOnly: false };
}

export function summaryTable(e: Evaluation): string {
  const head = ["Severity", "Count", "Fixable", e.failOn === "never" ? "" : `Gate (--fail-on ${e.failOn})`];
  const body = e.rows.map((r) => [
    r.severity,
    String(r.count),
    e.fromOverviewOnly ? "-" : String(r.fixable),
    reaches(r.severity, e.failOn) ? (r.count > 0 ? "fails" : "ok") : "",
  ]);
  body.push(["Total", String(e.total), String(e.fixable), ""]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(i === 3 ? 0 : (widths[i] as number))))
      .join("  ")
      .trimEnd();
  return [fmt(head), fmt(widths.map((w) => "-".repeat(w))), ...body.map(fmt)].join("\n");
}
