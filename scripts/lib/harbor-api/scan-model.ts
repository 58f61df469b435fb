// Pure logic of `harbor-ci scan`: which artifact to ask Harbor about, what its scan overview says,
// which findings fail the gate, and the two reports GitLab reads. No I/O here.
//
// Harbor facts used (goharbor/harbor):
// - MIME types of vulnerability reports: src/pkg/scan/rest/v1/models.go (MimeTypeNativeReport,
//   MimeTypeGenericVulnerabilityReport); the X-Accept-Vulnerabilities default in api/v2.0/swagger.yaml.
// - scan_overview is a map MIME type -> NativeReportSummary; scan_status takes the job statuses
//   of src/jobservice/job/status.go (Pending, Scheduled, Running, Stopped, Error, Success).
// - The artifact gets addition_links.vulnerabilities only when a scanner can scan it
//   (src/server/v2.0/handler/assembler/vul.go): without it, no scanner is configured for the
//   project or the scanner does not support the artifact.
// - Severities: src/pkg/scan/vuln/severity.go (None < Unknown < Negligible < Low < Medium < High < Critical).

import { CliError, usageError } from "../cli/diagnostics.ts";

export const MIME_NATIVE = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
export const MIME_GENERIC = "application/vnd.security.vulnerability.report; version=1.1";
/** The header value Harbor's swagger documents as the default, preferred type first. */
export const ACCEPT_VULNERABILITIES = `${MIME_GENERIC}, ${MIME_NATIVE}`;

export const SEVERITIES = ["None", "Unknown", "Negligible", "Low", "Medium", "High", "Critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
/** --fail-on values, lowest first; `never` only reports. */
export const FAIL_ON = ["unknown", "negligible", "low", "medium", "high", "critical", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function severityRank(s: string | undefined): number {
  const i = SEVERITIES.findIndex((x) => x.toLowerCase() === (s ?? "").toLowerCase());
  return i < 0 ? 1 : i; // an unrecognised severity counts as Unknown
}

export function normalSeverity(s: string | undefined): Severity {
  return SEVERITIES[severityRank(s)]!;
}

/** Whether a finding of severity `s` reaches the threshold. */
export function reaches(s: string | undefined, failOn: FailOn): boolean {
  if (failOn === "never") return false;
  return severityRank(s) >= severityRank(failOn);
}

// ---------------------------------------------------------------------------------------------
// Image reference and Harbor URL

export interface ImageTarget {
  /** host[:port] as written in the reference (default ports dropped). */
  registry: string;
  /** Harbor project: the first path segment. */
  project: string;
  /** Repository inside the project, may contain `/` (`team/api`). */
  repository: string;
  digest: string;
  tag?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** `host[:port]` of a URL, with the scheme's default port dropped (as docker writes registries). */
export function registryOfUrl(url: string): string {
  const u = new URL(url);
  const defaultPort = (u.protocol === "https:" && u.port === "443") || (u.protocol === "http:" && u.port === "80");
  return (u.port && !defaultPort ? `${u.hostname}:${u.port}` : u.hostname).toLowerCase();
}

/**
 * Parses `host[:port]/project/repo[:tag]@sha256:...`; the digest is required (build-push's
 * IMAGE_REF has it). The registry must be Harbor's: `registry` when given, else HARBOR_URL's host.
 */
export function parseImageRef(ref: string, harborUrl: string, registry?: string): ImageTarget {
  const bad = (why: string, fix: string) =>
    usageError("IMAGE_REF_INVALID", `--image \`${ref}\` ${why}`, fix, { expected: "<harbor-host>/<project>/<repository>[:tag]@sha256:<64 hex>", actual: ref });
  const at = ref.indexOf("@");
  if (at < 0) throw bad("has no digest", 'pass the digest build-push hands over: --image "$IMAGE_REF" (repository@sha256:...)');
  const digest = ref.slice(at + 1);
  if (!DIGEST.test(digest)) throw bad(`has a malformed digest \`${digest}\``, "give a sha256 digest of 64 lowercase hex digits");
  const name = ref.slice(0, at);
  const slash = name.indexOf("/");
  if (slash < 0) throw bad("names no registry", "give the full reference with Harbor's host, e.g. harbor.example.com/my-project/app@sha256:...");
  const host = name.slice(0, slash).toLowerCase();
  let path = name.slice(slash + 1);
  let tag: string | undefined;
  const colon = path.lastIndexOf(":");
  if (colon > path.lastIndexOf("/")) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  const parts = path.split("/");
  if (parts.length < 2 || parts.some((p) => !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p))) {
    throw bad("is not <project>/<repository> in lowercase", "Harbor images are <host>/<project>/<repository>; check the image name");
  }
  const harbor = (registry || registryOfUrl(harborUrl)).toLowerCase().replace(/:443$/, "");
  const refRegistry = host.replace(/:443$/, "");
  if (refRegistry !== harbor) {
    throw usageError(
      "IMAGE_NOT_IN_HARBOR",
      `image registry \`${host}\` is not Harbor's registry (${harbor}, from ${registry ? "--registry" : "HARBOR_URL"})`,
      "scan images pushed to the Harbor of the integration; when Harbor serves images under another name than HARBOR_URL's host, pass it with --registry",
      { expected: harbor, actual: host },
    );
  }
  return { registry: host, project: parts[0]!, repository: parts.slice(1).join("/"), digest, ...(tag ? { tag } : {}) };
}

/** Harbor wants `/` in a repository name encoded twice in API paths: `team/api` -> `team%252Fapi`. */
export function encodeRepository(repository: string): string {
  return encodeURIComponent(encodeURIComponent(repository));
}

/** Link to the artifact in Harbor's web UI (routes of src/portal: projects/:id/repositories/:repo/artifacts-tab/artifacts/:digest). */
export function artifactUiUrl(harborUrl: string, projectId: number | undefined, t: ImageTarget): string {
  const base = harborUrl.replace(/\/+$/, "");
  if (projectId === undefined) return `${base}/harbor/projects`;
  return `${base}/harbor/projects/${projectId}/repositories/${encodeURIComponent(t.repository)}/artifacts-tab/artifacts/${t.digest}`;
}

// ---------------------------------------------------------------------------------------------
// Scan overview

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
  const keys = Object.keys(overview);
  const key = [MIME_GENERIC, MIME_NATIVE].find((m) => keys.includes(m)) ?? keys[0];
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

// ---------------------------------------------------------------------------------------------
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
  scanner?: { name?: string; vendor?: string; version?: string };
  severity?: string;
  vulnerabilities: VulnerabilityItem[];
}

/** The report of the preferred MIME type from the additions answer; undefined when it has none. */
export function pickReport(body: unknown): VulnerabilityReport | undefined {
  if (!body || typeof body !== "object") return undefined;
  const map = body as Record<string, unknown>;
  const key = [MIME_GENERIC, MIME_NATIVE].find((m) => m in map) ?? Object.keys(map)[0];
  const r = key === undefined ? undefined : (map[key] as VulnerabilityReport | undefined);
  if (!r || typeof r !== "object") return undefined;
  const vulns = Array.isArray(r.vulnerabilities) ? r.vulnerabilities.filter((v) => v && typeof v.id === "string") : [];
  return { ...r, vulnerabilities: vulns };
}

// ---------------------------------------------------------------------------------------------
// Allow list: one entry a line, `<ID> <YYYY-MM-DD> [reason]`; `#` starts a comment.

export interface AllowEntry {
  id: string;
  expires: string;
  reason: string;
  line: number;
}

export function parseAllowList(text: string, file: string): AllowEntry[] {
  const entries: AllowEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const m = /^(\S+)\s+(\d{4}-\d{2}-\d{2})(?:\s+(.*))?$/.exec(line);
    const valid = m && !Number.isNaN(Date.parse(`${m[2]}T00:00:00Z`)) && new Date(`${m[2]}T00:00:00Z`).toISOString().startsWith(m[2]!);
    if (!m || !valid) {
      throw new CliError({
        code: "ALLOW_LIST_INVALID",
        message: `${file}:${i + 1}: \`${raw.trim()}\` is not an allow-list entry`,
        expected: "<vulnerability ID> <expiry YYYY-MM-DD> [reason], e.g. CVE-2024-12345 2026-12-31 no fix upstream",
        actual: raw.trim(),
        fix: `correct line ${i + 1} of ${file}; every entry needs an expiry date`,
        exitCode: 2,
      });
    }
    entries.push({ id: m[1]!, expires: m[2]!, reason: (m[3] ?? "").trim(), line: i + 1 });
  });
  return entries;
}

/** An entry is in force through its expiry day (UTC). */
export function isExpired(e: AllowEntry, now: Date): boolean {
  return now.toISOString().slice(0, 10) > e.expires;
}

// ---------------------------------------------------------------------------------------------
// The gate

export interface Finding extends VulnerabilityItem {
  severity: Severity;
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

/** Decides from the full list of vulnerabilities. */
export function evaluate(vulns: VulnerabilityItem[], failOn: FailOn, allow: AllowEntry[], now: Date): Evaluation {
  const inForce = allow.filter((e) => !isExpired(e, now));
  const expired = allow.filter((e) => isExpired(e, now));
  const used = new Set<AllowEntry>();
  const findings: Finding[] = vulns.map((v) => {
    const severity = normalSeverity(v.severity);
    const allowedBy = inForce.find((e) => e.id === v.id);
    if (allowedBy) used.add(allowedBy);
    return { ...v, severity, gating: reaches(severity, failOn), ...(allowedBy ? { allowedBy } : {}) };
  });
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id) || a.package.localeCompare(b.package));
  const rows = ROW_ORDER.map((severity) => {
    const of = findings.filter((f) => f.severity === severity);
    return { severity, count: of.length, fixable: of.filter((f) => !!f.fix_version).length };
  });
  return {
    failOn,
    findings,
    blocking: findings.filter((f) => f.gating && !f.allowedBy),
    expired,
    unused: inForce.filter((e) => !used.has(e)),
    rows,
    total: findings.length,
    fixable: findings.filter((f) => !!f.fix_version).length,
    fromOverviewOnly: false,
  };
}

/** Decides from the overview's counts alone (no permission to read the details). */
export function evaluateOverview(report: NativeReportSummary, failOn: FailOn, allow: AllowEntry[], now: Date): Evaluation & { blockingCount: number } {
  const counts = report.summary?.summary ?? {};
  const rows = ROW_ORDER.map((severity) => ({
    severity,
    count: Object.entries(counts)
      .filter(([k]) => normalSeverity(k) === severity)
      .reduce((n, [, c]) => n + (Number(c) || 0), 0),
    fixable: 0,
  }));
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

export function summaryTable(e: Evaluation): string {
  const head = ["Severity", "Count", "Fixable", e.failOn === "never" ? "" : `Gate (--fail-on ${e.failOn})`];
  const body = e.rows.map((r) => [
    r.severity,
    String(r.count),
    e.fromOverviewOnly ? "-" : String(r.fixable),
    reaches(r.severity, e.failOn) ? (r.count > 0 ? "fails" : "ok") : "",
  ]);
  body.push(["Total", String(e.total), String(e.fixable), ""]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(i === 3 ? 0 : widths[i]!)))
      .join("  ")
      .trimEnd();
  return [fmt(head), fmt(widths.map((w) => "-".repeat(w))), ...body.map(fmt)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Reports

/** Declared schema version: 15.0.x is accepted from GitLab 16.x to the newest; later revisions are
 * refused by older 17.x (gitlab-org/gitlab#497405). The tests validate against the vendored schema. */
export const CONTAINER_SCANNING_SCHEMA_VERSION = "15.0.7";

function gitlabTime(d: Date): string {
  return d.toISOString().slice(0, 19);
}

function identifierOf(id: string): { type: string; name: string; value: string; url?: string } {
  if (/^CVE-\d{4}-\d+$/i.test(id)) return { type: "cve", name: id, value: id, url: `https://nvd.nist.gov/vuln/detail/${id}` };
  if (/^GHSA-/i.test(id)) return { type: "ghsa", name: id, value: id, url: `https://github.com/advisories/${id}` };
  return { type: "harbor", name: id, value: id };
}

/** Stable id per finding (GitLab recommends a UUID): a hash of image, vulnerability and package. */
function findingId(image: string, f: Finding): string {
  // FNV-1a, 4 rounds with different seeds, shaped as a UUID: deterministic across runs.
  const text = `${image}\n${f.id}\n${f.package}\n${f.version}`;
  const parts: string[] = [];
  for (let seed = 0; seed < 4; seed++) {
    let h = 0x811c9dc5 ^ seed;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    parts.push(h.toString(16).padStart(8, "0"));
  }
  const hex = parts.join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export interface ReportContext {
  image: string;
  toolVersion: string;
  scanner: { name?: string; vendor?: string; version?: string } | undefined;
  start: Date;
  end: Date;
  operatingSystem?: string;
}

/** GitLab's container-scanning report (security report schema, container-scanning-report-format.json). */
export function containerScanningReport(e: Evaluation, ctx: ReportContext): unknown {
  const scannerName = ctx.scanner?.name || "Harbor scanner";
  return {
    version: CONTAINER_SCANNING_SCHEMA_VERSION,
    scan: {
      type: "container_scanning",
      status: "success",
      start_time: gitlabTime(ctx.start),
      end_time: gitlabTime(ctx.end),
      analyzer: {
        id: "harbor-ci-scan",
        name: "harbor-ci scan (Harbor's own scan)",
        version: ctx.toolVersion || "0.0.0",
        vendor: { name: "harbor-ci-components" },
      },
      scanner: {
        id:
          scannerName
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, "-")
            .replace(/^-|-$/g, "") || "harbor-scanner",
        name: scannerName,
        version: ctx.scanner?.version || "unknown",
        vendor: { name: ctx.scanner?.vendor || "unknown" },
      },
      ...(e.fromOverviewOnly
        ? {
            messages: [
              {
                level: "warn",
                value:
                  "Harbor's findings were not readable (the robot lacks artifact-addition:read): the gate used the scan overview's counts and this report lists no findings",
              },
            ],
          }
        : {}),
    },
    vulnerabilities: e.findings.map((f) => ({
      id: findingId(ctx.image, f),
      // GitLab: the name must not carry the finding's specifics (package, version): those are in location.
      name: f.id.slice(0, 255),
      description: (f.description ?? "").slice(0, 1_000_000),
      severity: f.severity === "None" ? "Info" : f.severity === "Negligible" ? "Info" : f.severity,
      solution: f.fix_version ? `Upgrade ${f.package} to ${f.fix_version}` : "No fix available yet",
      identifiers: [identifierOf(f.id)],
      links: (f.links ?? []).filter((l) => /^(https?|ftp):\/\/.+/.test(l)).map((url) => ({ url })),
      location: {
        dependency: { package: { name: f.package }, version: f.version },
        operating_system: ctx.operatingSystem || "unknown",
        image: ctx.image,
      },
    })),
    remediations: [],
  };
}

function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** JUnit XML: one test case per finding at or above the threshold (allowed ones pass, with a note). */
export function junitReport(e: Evaluation, image: string, seconds: number, blockingCount = e.blocking.length): string {
  const gated = e.findings.filter((f) => f.gating);
  const cases = gated.map((f) => {
    const name = `${f.severity} ${f.id} in ${f.package} ${f.version}`;
    const detail = [
      `${f.id} (${f.severity}) in ${f.package} ${f.version}`,
      f.fix_version ? `fixed in ${f.fix_version}` : "no fix available yet",
      ...(f.links ?? []).slice(0, 3),
    ].join("\n");
    if (f.allowedBy) {
      return `    <testcase classname="${xml(image)}" name="${xml(name)}"><system-out>${xml(`allowed until ${f.allowedBy.expires}: ${f.allowedBy.reason}`)}</system-out></testcase>`;
    }
    return `    <testcase classname="${xml(image)}" name="${xml(name)}"><failure type="${xml(f.severity)}" message="${xml(`${f.id} reaches --fail-on ${e.failOn}`)}">${xml(detail)}</failure></testcase>`;
  });
  if (e.fromOverviewOnly && blockingCount > 0) {
    cases.push(
      `    <testcase classname="${xml(image)}" name="vulnerabilities at or above ${xml(e.failOn)}"><failure type="overview" message="${blockingCount} finding(s) at or above ${xml(e.failOn)}">${xml("details not readable: grant the robot artifact-addition:read (harbor-ci setup --scan)")}</failure></testcase>`,
    );
  }
  if (cases.length === 0) cases.push(`    <testcase classname="${xml(image)}" name="no vulnerabilities at or above ${xml(e.failOn)}"/>`);
  const failures = e.fromOverviewOnly ? (blockingCount > 0 ? 1 : 0) : e.blocking.length;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="harbor-ci scan" tests="${cases.length}" failures="${failures}" time="${seconds.toFixed(3)}">`,
    `  <testsuite name="Harbor scan of ${xml(image)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds.toFixed(3)}">`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}
