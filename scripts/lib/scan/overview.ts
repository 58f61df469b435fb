// What Harbor says about the artifact, checked before the gate believes it (fail closed): the answer
// must name the digest asked, have the shapes of Harbor's API (vendor/harbor/swagger.yaml: Artifact,
// NativeReportSummary, VulnerabilitySummary; the findings of src/pkg/scan/vuln/report.go), use only
// Harbor's severities, and its overview's counts must agree with its list of findings (Harbor
// computes the summary from that list: src/pkg/scan/report/summary.go, GenerateNativeSummary).
import { inert } from "../cli/inert.ts";
import { pickOverview, scanState, type ArtifactRef, type ArtifactView, type NativeReportSummary, type ScanState } from "../harbor-api/scan-model.ts";
import { scanError } from "./codes.ts";
import { SEVERITIES, isSeverity, type Severity } from "./severity.ts";

/** A finding as Harbor lists it, checked. */
export interface VulnerabilityFinding {
  id: string;
  package: string;
  version: string;
  fix_version?: string;
  severity: Severity;
  description?: string;
  links?: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const show = (v: unknown) => inert(JSON.stringify(v)?.slice(0, 200) ?? String(v));

function invalid(what: string, where: string, expected: string, value: unknown) {
  return scanError("HARBOR_ANSWER_INVALID", "harbor", {
    message: `Harbor's ${what} has an unexpected ${where}`,
    expected,
    actual: show(value),
  });
}

function unknownSeverity(where: string, value: unknown) {
  return scanError("SEVERITY_UNKNOWN", "harbor", {
    message: `Harbor's ${where} has severity ${show(value)}, which is not one of Harbor's`,
    expected: SEVERITIES.join(", "),
    actual: show(value),
  });
}

function mismatch(t: ArtifactRef, where: string, digest: unknown) {
  return scanError("DIGEST_MISMATCH", "harbor", {
    message: `Harbor's ${where} describes ${digest === undefined ? "no digest" : show(digest)}, not the digest asked (${t.digest})`,
    expected: t.digest,
    actual: digest === undefined ? "no digest" : show(digest),
  });
}

function checkSummary(o: NativeReportSummary): void {
  const s = o.summary as unknown;
  // Harbor fills the summary when a scan succeeds (src/pkg/scan/report/summary.go); before that it
  // may be absent or null. A finished scan without one says nothing: no pass on it.
  if (s === undefined || s === null) {
    if ((o.scan_status ?? "").toLowerCase() === "success") throw invalid("scan overview", "summary", "a VulnerabilitySummary object for a finished scan", s);
    return;
  }
  if (!isObject(s)) throw invalid("scan overview", "summary", "a VulnerabilitySummary object", s);
  for (const k of ["total", "fixable"] as const) {
    if (s[k] !== undefined && !(Number.isInteger(s[k]) && (s[k] as number) >= 0)) throw invalid("scan overview", `summary.${k}`, "a count", s[k]);
  }
  if (s.summary === undefined) return;
  if (!isObject(s.summary)) throw invalid("scan overview", "summary.summary", "an object of counts per severity", s.summary);
  for (const [k, n] of Object.entries(s.summary)) {
    if (!isSeverity(k)) throw unknownSeverity("scan overview", k);
    if (!(Number.isInteger(n) && (n as number) >= 0)) throw invalid("scan overview", `count of ${k}`, "a count", n);
  }
}

function checkOverview(o: unknown): void {
  if (!isObject(o)) throw invalid("artifact", "scan_overview", "an object: report MIME type -> NativeReportSummary", o);
  for (const r of Object.values(o)) {
    if (!isObject(r)) throw invalid("artifact", "scan_overview entry", "a NativeReportSummary object", r);
    if (r.scan_status !== undefined && typeof r.scan_status !== "string") throw invalid("scan overview", "scan_status", "a string", r.scan_status);
    if (r.complete_percent !== undefined && typeof r.complete_percent !== "number")
      throw invalid("scan overview", "complete_percent", "a number", r.complete_percent);
    if (r.scanner !== undefined && !isObject(r.scanner)) throw invalid("scan overview", "scanner", "a Scanner object", r.scanner);
  }
  const picked = pickOverview(o as ArtifactView["scan_overview"]);
  if (picked) checkSummary(picked);
}

/** Harbor's answer to GET …/artifacts/{digest}, checked: it names the digest asked and has Artifact's shape. */
export function checkArtifact(body: unknown, t: ArtifactRef): { artifact: ArtifactView; state: ScanState } {
  if (!isObject(body)) throw invalid("answer to the artifact read", "body", "an Artifact object (JSON)", body);
  if (body.digest !== t.digest) throw mismatch(t, "artifact", body.digest);
  if (body.project_id !== undefined && !Number.isInteger(body.project_id)) throw invalid("artifact", "project_id", "an integer", body.project_id);
  if (body.addition_links !== undefined && !isObject(body.addition_links)) throw invalid("artifact", "addition_links", "an object", body.addition_links);
  if (body.extra_attrs !== undefined && body.extra_attrs !== null && !isObject(body.extra_attrs))
    throw invalid("artifact", "extra_attrs", "an object", body.extra_attrs);
  if (body.scan_overview !== undefined && body.scan_overview !== null) checkOverview(body.scan_overview);
  const artifact = body as ArtifactView;
  return { artifact, state: scanState(artifact) };
}

/**
 * The operating system Harbor records for an image: extra_attrs.os, copied from the image config's
 * `os` field (src/controller/artifact/processor/image/manifest_v2.go). It is the OS family
 * ("linux"); Harbor's scan overview and findings name no distribution.
 */
export function operatingSystemOf(a: ArtifactView): string | undefined {
  const os = a.extra_attrs?.os;
  return typeof os === "string" && os.trim() !== "" ? os.trim() : undefined;
}

const optionalString = (v: unknown) => v === undefined || v === null || typeof v === "string";

function checkFinding(v: unknown, i: number): VulnerabilityFinding {
  const where = `finding ${i + 1}`;
  if (!isObject(v)) throw invalid("list of findings", where, "a VulnerabilityItem object", v);
  for (const k of ["id", "package", "version"] as const) {
    if (typeof v[k] !== "string" || v[k] === "") throw invalid("list of findings", `${k} of ${where}`, "a non-empty string", v[k]);
  }
  if (!isSeverity(v.severity)) throw unknownSeverity(`${where} (${show(v.id)})`, v.severity);
  for (const k of ["fix_version", "description"] as const) {
    if (!optionalString(v[k])) throw invalid("list of findings", `${k} of ${where}`, "a string", v[k]);
  }
  if (v.links !== undefined && v.links !== null && !(Array.isArray(v.links) && v.links.every((l) => typeof l === "string")))
    throw invalid("list of findings", `links of ${where}`, "a list of strings", v.links);
  return {
    id: v.id as string,
    package: v.package as string,
    version: v.version as string,
    severity: v.severity,
    ...(typeof v.fix_version === "string" && v.fix_version !== "" ? { fix_version: v.fix_version } : {}),
    ...(typeof v.description === "string" ? { description: v.description } : {}),
    ...(Array.isArray(v.links) ? { links: v.links as string[] } : {}),
  };
}

/** The findings of Harbor's additions/vulnerabilities report, checked: right digest, right shapes, Harbor's severities. */
export function checkFindings(report: unknown, t: ArtifactRef): VulnerabilityFinding[] {
  if (!isObject(report)) throw invalid("vulnerability report", "body", "a report object", report);
  if (report.artifact !== undefined && report.artifact !== null) {
    if (!isObject(report.artifact)) throw invalid("vulnerability report", "artifact", "an object", report.artifact);
    if (report.artifact.digest !== undefined && report.artifact.digest !== t.digest) throw mismatch(t, "vulnerability report", report.artifact.digest);
  }
  if (!Array.isArray(report.vulnerabilities)) throw invalid("vulnerability report", "vulnerabilities", "a list", report.vulnerabilities);
  return report.vulnerabilities.map(checkFinding);
}

/** The overview's counts must be those of the findings: per severity, in total, and the fixable ones. */
export function checkSummaryAgainstFindings(overview: NativeReportSummary, findings: VulnerabilityFinding[]): void {
  const s = overview.summary;
  if (!s) return;
  const diffs: string[] = [];
  if (s.total !== undefined && s.total !== findings.length) diffs.push(`total ${s.total} vs ${findings.length}`);
  const fixable = findings.filter((f) => f.fix_version).length;
  if (s.fixable !== undefined && s.fixable !== fixable) diffs.push(`fixable ${s.fixable} vs ${fixable}`);
  for (const sev of SEVERITIES) {
    const listed = findings.filter((f) => f.severity === sev).length;
    const counted = s.summary?.[sev] ?? 0;
    if (s.summary !== undefined && counted !== listed) diffs.push(`${sev} ${counted} vs ${listed}`);
  }
  if (diffs.length > 0) {
    throw scanError("SUMMARY_MISMATCH", "harbor", {
      message: `Harbor's scan overview counts other findings than its list holds (${diffs.join(", ")})`,
      expected: "the overview's counts equal to the listed findings",
      actual: `overview: ${diffs.map((d) => d.split(" vs ")[0]).join(", ")}; list: ${diffs.map((d) => `${d.split(" ")[0]} ${d.split(" vs ")[1]}`).join(", ")}`,
    });
  }
}
