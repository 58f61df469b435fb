// Harbor's severities, lowest first: src/pkg/scan/vuln/severity.go of goharbor/harbor
// (None < Unknown < Negligible < Low < Medium < High < Critical). The values are matched exactly:
// Harbor writes them so, and a severity outside this set is an error (SEVERITY_UNKNOWN, overview.ts),
// never guessed, so that a misspelt "CRITICAL " or "Kritisch" cannot pass the gate.

export const SEVERITIES = ["None", "Unknown", "Negligible", "Low", "Medium", "High", "Critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
/** --fail-on values, lowest first; `never` only reports. */
export const FAIL_ON = ["unknown", "negligible", "low", "medium", "high", "critical", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function isSeverity(s: unknown): s is Severity {
  return typeof s === "string" && (SEVERITIES as readonly string[]).includes(s);
}

function rank(s: Severity | Exclude<FailOn, "never">): number {
  return SEVERITIES.findIndex((x) => x.toLowerCase() === s.toLowerCase());
}

/** Whether a finding of severity `s` reaches the threshold. */
export function reaches(s: Severity, failOn: FailOn): boolean {
  return failOn !== "never" && rank(s) >= rank(failOn);
}

/** Highest first, for sorting. */
export function bySeverityDesc(a: Severity, b: Severity): number {
  return rank(b) - rank(a);
}
