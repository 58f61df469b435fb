// Harbor's vocabulary for vulnerability scans: report MIME types, the Accept header, repository
// encoding, and the shapes of the answers (vendor/harbor/swagger.yaml: Artifact, NativeReportSummary,
// VulnerabilitySummary; the additions answer is src/pkg/scan/vuln/report.go of goharbor/harbor).
// What `harbor-ci scan` makes of them (identity checks, the gate, the reports) is scripts/lib/scan/.
//
// Harbor facts used (goharbor/harbor):
// - MIME types of vulnerability reports: src/pkg/scan/rest/v1/models.go (MimeTypeNativeReport,
//   MimeTypeGenericVulnerabilityReport); the X-Accept-Vulnerabilities default in api/v2.0/swagger.yaml.
// - scan_overview is a map MIME type -> NativeReportSummary; scan_status takes the job statuses
//   of src/jobservice/job/status.go (Pending, Scheduled, Running, Stopped, Error, Success).
// - The artifact gets addition_links.vulnerabilities only when a scanner can scan it
//   (src/server/v2.0/handler/assembler/vul.go): without it, no scanner is configured for the
//   project or the scanner does not support the artifact.

export const MIME_NATIVE = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
export const MIME_GENERIC = "application/vnd.security.vulnerability.report; version=1.1";
/** The header value Harbor's swagger documents as the default, preferred type first. */
export const ACCEPT_VULNERABILITIES = `${MIME_GENERIC}, ${MIME_NATIVE}`;

/** The artifact a call is about: a digest in a repository of a project. */
export interface ArtifactRef {
  project: string;
  /** Inside the project, may contain `/` (`team/api`). */
  repository: string;
  digest: string;
}
/** The name harbor-api/scan.ts uses for an ArtifactRef. */
export type ImageTarget = ArtifactRef;

/** Harbor wants `/` in a repository name encoded twice in API paths: `team/api` -> `team%252Fapi`. */
export function encodeRepository(repository: string): string {
  return encodeURIComponent(encodeURIComponent(repository));
}

export interface VulnerabilitySummary {
  total?: number;
  fixable?: number;
  summary?: Record<string, number>;
}

export interface NativeReportSummary {
  report_id?: string;
  scan_status?: string;
  severity?: string;
  duration?: number;
  summary?: VulnerabilitySummary;
  start_time?: string;
  end_time?: string;
  complete_percent?: number;
  scanner?: { name?: string; vendor?: string; version?: string };
}

export interface ArtifactView {
  id?: number;
  project_id?: number;
  digest?: string;
  addition_links?: Record<string, { href?: string; absolute?: boolean }>;
  scan_overview?: Record<string, NativeReportSummary>;
  /** Swagger ExtraAttrs; for an image Harbor sets architecture, os, config, created, author
   * (src/controller/artifact/processor/image/manifest_v2.go). */
  extra_attrs?: Record<string, unknown>;
}

export type ScanState =
  | { kind: "no-scanner" }
  | { kind: "not-scanned" }
  | { kind: "in-progress"; status: string; percent?: number; report: NativeReportSummary }
  | { kind: "error" | "stopped"; status: string; report: NativeReportSummary }
  | { kind: "done"; report: NativeReportSummary };

/** The overview of the preferred report type, if any. */
export function pickOverview(overview: ArtifactView["scan_overview"]): NativeReportSummary | undefined {
  if (!overview || typeof overview !== "object") return undefined;
  // Only the report types asked for (X-Accept-Vulnerabilities): another type's overview says
  // nothing about these findings, so it is no overview at all (fail closed).
  const keys = Object.keys(overview);
  const key = [MIME_GENERIC, MIME_NATIVE].find((m) => keys.includes(m));
  return key === undefined ? undefined : overview[key];
}

export function scanState(a: ArtifactView): ScanState {
  const report = pickOverview(a.scan_overview);
  if (!report) return a.addition_links?.vulnerabilities ? { kind: "not-scanned" } : { kind: "no-scanner" };
  const status = report.scan_status ?? "";
  switch (status.toLowerCase()) {
    case "success":
      return { kind: "done", report };
    case "error":
      return { kind: "error", status, report };
    case "stopped":
      return { kind: "stopped", status, report };
    default:
      // Pending, Scheduled, Running, and anything newer: still working.
      return {
        kind: "in-progress",
        status: status || "Pending",
        ...(report.complete_percent !== undefined ? { percent: report.complete_percent } : {}),
        report,
      };
  }
}

// Vulnerability details (additions/vulnerabilities: a map MIME type -> report, src/pkg/scan/vuln/report.go)

export interface VulnerabilityItem {
  id: string;
  package: string;
  version: string;
  fix_version?: string;
  severity: string;
  description?: string;
  links?: string[];
}

export interface VulnerabilityReport {
  generated_at?: string;
  artifact?: { repository?: string; digest?: string; mime_type?: string };
  scanner?: { name?: string; vendor?: string; version?: string };
  severity?: string;
  vulnerabilities: VulnerabilityItem[];
}

/**
 * The report of the preferred MIME type from the additions answer, as Harbor sent it (the list is
 * not filtered: scripts/lib/scan/overview.ts checks every item); undefined when it has none.
 */
export function pickReport(body: unknown): VulnerabilityReport | undefined {
  if (!body || typeof body !== "object") return undefined;
  const map = body as Record<string, unknown>;
  const key = [MIME_GENERIC, MIME_NATIVE].find((m) => m in map);
  const r = key === undefined ? undefined : (map[key] as VulnerabilityReport | undefined);
  if (!r || typeof r !== "object") return undefined;
  return r;
}
