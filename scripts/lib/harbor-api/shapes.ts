// Hand-written type guards for the parts of Harbor's answers the CLI reads, after the definitions
// of vendor/harbor/swagger.yaml (Project, Robot, RobotCreated, RobotSec, Access, RobotPermission,
// Repository, Artifact, NativeReportSummary, VulnerabilitySummary). Only the fields read are
// checked, each to its swagger type; the test fakes validate whole answers against the swagger.

/** What is wrong with a value, as a path and the type found, or undefined when it is right. */
export type Guard = (v: unknown, at: string) => string | undefined;

const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const bad = (at: string, want: string, v: unknown) => `${at}: ${want} expected, ${kind(v)} found`;

export const str: Guard = (v, at) => (typeof v === "string" ? undefined : bad(at, "string", v));
export const int: Guard = (v, at) => (typeof v === "number" && Number.isInteger(v) ? undefined : bad(at, "integer", v));
export const num: Guard = (v, at) => (typeof v === "number" && Number.isFinite(v) ? undefined : bad(at, "number", v));
export const bool: Guard = (v, at) => (typeof v === "boolean" ? undefined : bad(at, "boolean", v));

export function optional(g: Guard): Guard {
  return (v, at) => (v === undefined || v === null ? undefined : g(v, at));
}

export function arrayOf(g: Guard): Guard {
  return (v, at) => {
    if (!Array.isArray(v)) return bad(at, "array", v);
    for (let i = 0; i < v.length; i++) {
      const p = g(v[i], `${at}[${i}]`);
      if (p) return p;
    }
    return undefined;
  };
}

export function object(fields: Record<string, Guard>): Guard {
  return (v, at) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return bad(at, "object", v);
    for (const [k, g] of Object.entries(fields)) {
      const p = g((v as Record<string, unknown>)[k], `${at}.${k}`);
      if (p) return p;
    }
    return undefined;
  };
}

export function mapOf(g: Guard): Guard {
  return (v, at) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return bad(at, "object", v);
    for (const [k, x] of Object.entries(v)) {
      const p = g(x, `${at}[${JSON.stringify(k)}]`);
      if (p) return p;
    }
    return undefined;
  };
}

// swagger: Project (project_id integer, name string)
export const PROJECT = object({ project_id: int, name: str });

// swagger: Access, RobotPermission, Robot
const ACCESS = object({ resource: str, action: str, effect: optional(str) });
const PERMISSION = object({ kind: str, namespace: str, access: arrayOf(ACCESS) });
export const ROBOT = object({
  id: int,
  name: str,
  level: str,
  disable: optional(bool),
  expires_at: optional(int),
  permissions: optional(arrayOf(PERMISSION)),
});
export const ROBOT_LIST = arrayOf(ROBOT);
// swagger: RobotCreated, RobotSec
export const ROBOT_CREATED = object({ id: int, name: str, secret: str, expires_at: optional(int) });
export const ROBOT_SEC = object({ secret: str });
// swagger: ListRepositories -> [Repository]
export const REPOSITORY_LIST = arrayOf(object({ name: optional(str) }));

// swagger: NativeReportSummary, VulnerabilitySummary, Scanner
const SCANNER = optional(object({ name: optional(str), vendor: optional(str), version: optional(str) }));
const REPORT_SUMMARY = object({
  scan_status: optional(str),
  severity: optional(str),
  complete_percent: optional(num),
  summary: optional(object({ total: optional(int), fixable: optional(int), summary: optional(mapOf(int)) })),
  scanner: SCANNER,
});
// swagger: Artifact (AdditionLinks, ScanOverview: a map of MIME type -> NativeReportSummary)
export const ARTIFACT = object({
  project_id: int,
  digest: str,
  addition_links: optional(mapOf(object({ href: optional(str), absolute: optional(bool) }))),
  scan_overview: optional(mapOf(REPORT_SUMMARY)),
});
// additions/vulnerabilities: a map MIME type -> report (src/pkg/scan/vuln/report.go)
const VULNERABILITY = object({
  id: str,
  package: str,
  version: str,
  severity: str,
  fix_version: optional(str),
  description: optional(str),
  links: optional(arrayOf(str)),
});
export const VULNERABILITY_REPORTS = mapOf(object({ vulnerabilities: optional(arrayOf(VULNERABILITY)), scanner: SCANNER, severity: optional(str) }));
