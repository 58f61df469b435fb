// GitLab's container-scanning report (security report schema, container-scanning-report-format.json
// of gitlab-org/security-products/security-report-schemas).
import type { Evaluation, Finding } from "./gate.ts";

/**
 * The schema version the report declares; GitLab validates a report against the version it declares
 * (https://docs.gitlab.com/user/application_security/detect/security_report_validation). 15.0.7 is
 * accepted from GitLab 16.x to the newest; later revisions (15.1.x, 15.2.x) are refused by older
 * 17.x releases, which this library supports (gitlab-org/gitlab#497405). The tests validate the
 * report against the schema of this version only if it is vendored (test/fixtures/…/NOTICE says which).
 */
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
  /** What Harbor records as the image's OS (extra_attrs.os, see overview.ts); "unknown" without it. */
  operatingSystem?: string;
  /** The gate could not decide: the report says so with status failure and this message. */
  failure?: { code: string; message: string; fix?: string };
}

function scannerOf(ctx: ReportContext) {
  const name = ctx.scanner?.name || "Harbor scanner";
  const id =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "harbor-scanner";
  return { id, name, version: ctx.scanner?.version || "unknown", vendor: { name: ctx.scanner?.vendor || "unknown" } };
}

function messagesOf(e: Evaluation, ctx: ReportContext): Array<{ level: string; value: string }> {
  if (ctx.failure) return [{ level: "fatal", value: `${ctx.failure.code}: ${ctx.failure.message}` }];
  if (e.fromOverviewOnly)
    return [
      {
        level: "warn",
        value:
          "Harbor's findings were not readable (the robot lacks artifact-addition:read): the gate used the scan overview's counts and this report lists no findings",
      },
    ];
  return [];
}

/** GitLab's container-scanning report of an evaluation (or, with ctx.failure, of a gate that could not decide). */
export function containerScanningReport(e: Evaluation, ctx: ReportContext): unknown {
  const messages = messagesOf(e, ctx);
  return {
    version: CONTAINER_SCANNING_SCHEMA_VERSION,
    scan: {
      type: "container_scanning",
      status: ctx.failure ? "failure" : "success",
      start_time: gitlabTime(ctx.start),
      end_time: gitlabTime(ctx.end),
      analyzer: {
        id: "harbor-ci-scan",
        name: "harbor-ci scan (Harbor's own scan)",
        version: ctx.toolVersion || "0.0.0",
        vendor: { name: "harbor-ci-components" },
      },
      scanner: scannerOf(ctx),
      ...(messages.length > 0 ? { messages } : {}),
    },
    vulnerabilities: e.findings.map((f) => ({
      id: findingId(ctx.image, f),
      // GitLab: the name must not carry the finding's specifics (package, version): those are in location.
      name: f.id.slice(0, 255),
      description: (f.description ?? "").slice(0, 1_000_000),
      severity: f.severity === "None" || f.severity === "Negligible" ? "Info" : f.severity,
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
