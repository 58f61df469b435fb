// Harbor v2.0 as documented (goharbor/harbor api/v2.0/swagger.yaml, src/server/v2.0/handler/robot.go):
// the endpoints `setup` uses, with their request and response shapes and their error bodies
// ({"errors": [{"code", "message"}]}).

import { basicCredentials, FakeServer, type FakeResponse, type RecordedRequest } from "./server.ts";
import { swaggerProblems } from "./harbor-swagger.ts";

// Scan model (goharbor/harbor): report MIME types from src/pkg/scan/rest/v1/models.go; statuses
// from src/jobservice/job/status.go; the vulnerabilities addition link only when a scanner can
// scan the artifact (src/server/v2.0/handler/assembler/vul.go); permissions checked by the
// handlers: artifact:read (getArtifact), scan:create (scanArtifact), artifact-addition:read
// (getVulnerabilitiesAddition); POST .../scan on a running scan -> 409 (base_controller.go).
export const MIME_NATIVE = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
export const MIME_GENERIC = "application/vnd.security.vulnerability.report; version=1.1";

export interface FakeVulnerability {
  id: string;
  package: string;
  version: string;
  fix_version?: string;
  /** Harbor's severities; any other string plays a scanner that writes something else. */
  severity: "Unknown" | "Negligible" | "Low" | "Medium" | "High" | "Critical" | (string & {});
  description?: string;
  links?: string[];
}

export type FakeScanStatus = "Pending" | "Scheduled" | "Running" | "Success" | "Error" | "Stopped";

export interface FakeArtifact {
  id: number;
  project: string;
  /** Inside the project: `api` or `team/api`. */
  repository: string;
  digest: string;
  /** Statuses shown by successive reads of the artifact; the last one stays. Empty = never scanned. */
  statuses: FakeScanStatus[];
  vulnerabilities: FakeVulnerability[];
  pushTime: string;
  /** Hostile Harbor: the digest its answers describe, when not the one asked. */
  answerDigest?: string;
  /** Hostile Harbor: the overview's counts per severity, when not those of the findings. */
  overviewCounts?: Record<string, number>;
}

export interface FakeAccess {
  resource: string;
  action: string;
  effect?: string;
}

export interface FakeRobot {
  id: number;
  /** The name as listed: Harbor's robot_name_prefix + `stored`. */
  name: string;
  /** The name in Harbor's database: `<project>+<name>` (src/controller/robot/controller.go Create). */
  stored: string;
  description: string;
  level: "project" | "system";
  duration: number;
  disable: boolean;
  editable: boolean;
  expires_at: number;
  project_id: number;
  permissions: Array<{ kind: string; namespace: string; access: FakeAccess[] }>;
  secret: string;
  creation_time: string;
}

// A subset of Harbor's rbac.PoliciesMap["Project"] (src/common/rbac/const.go: what a project robot
// may be granted), enough to reject nonsense.
const PROJECT_POLICIES = new Set([
  "repository:pull",
  "repository:push",
  "repository:list",
  "repository:read",
  "repository:delete",
  "artifact:list",
  "artifact:read",
  "artifact:create",
  "artifact:delete",
  "tag:list",
  "tag:create",
  "tag:delete",
  "scan:create",
  "scan:read",
  "scan:stop",
  "artifact-addition:read",
  "helm-chart:read",
]);

const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

function err(status: number, code: string, message: string): FakeResponse {
  return { status, body: { errors: [{ code, message }] } };
}

let secretCounter = 0;

export class FakeHarbor extends FakeServer {
  admin = { user: "admin", password: "Harbor12345" };
  /** Credentials that authenticate but lack rights on the project (a non-admin user). */
  limitedUser = { user: "dev", password: "Dev12345" };
  projects = new Map<string, { project_id: number; name: string }>([["my-project", { project_id: 7, name: "my-project" }]]);
  robots: FakeRobot[] = [];
  private nextId = 1;
  /**
   * Harbor's robot_name_prefix (default `robot$`). Harbor stores `<project>+<name>` and adds the
   * prefix whenever it presents a robot (controller.go populate), so changing it renames them all.
   */
  get robotPrefix(): string {
    return this.prefix;
  }
  set robotPrefix(prefix: string) {
    this.prefix = prefix;
    for (const r of this.robots) if (r.editable) r.name = prefix + r.stored;
  }
  private prefix = "robot$";
  /** Every secret this server ever issued: tests check none reaches the terminal. */
  issuedSecrets: string[] = [];

  newSecret(): string {
    const s = `Xq${++secretCounter}RobotSecret${Math.random().toString(36).slice(2, 12)}Z9`;
    this.issuedSecrets.push(s);
    return s;
  }

  addRobot(project: string, name: string, access: FakeAccess[], extra: Partial<FakeRobot> = {}): FakeRobot {
    const p = this.projects.get(project)!;
    const robot: FakeRobot = {
      id: this.nextId++,
      name: `${this.prefix}${project}+${name}`,
      stored: `${project}+${name}`,
      description: "",
      level: "project",
      duration: 90,
      disable: false,
      editable: true,
      expires_at: Math.floor(Date.now() / 1000) + 90 * 86400,
      project_id: p.project_id,
      permissions: [{ kind: "project", namespace: project, access }],
      secret: this.newSecret(),
      creation_time: new Date().toISOString(),
      ...extra,
    };
    this.robots.push(robot);
    return robot;
  }

  /** Whether a scanner is configured (system default or the project's). */
  scannerConfigured = true;
  /** Status sequence a scan started through the API goes through. */
  scanStatusesWhenStarted: FakeScanStatus[] = ["Pending", "Running", "Success"];
  artifacts: FakeArtifact[] = [];
  /** Every answer that does not conform to harbor-swagger.yaml (tests assert it stays empty). */
  swaggerViolations: string[] = [];
  /** Answers checked against the swagger (a test asserts the check ran). */
  swaggerChecked = 0;

  protected override check(req: RecordedRequest, res: FakeResponse): void {
    this.swaggerChecked++;
    this.swaggerViolations.push(...swaggerProblems(req, res));
  }

  addArtifact(project: string, repository: string, digest: string, extra: Partial<FakeArtifact> = {}): FakeArtifact {
    const a: FakeArtifact = {
      id: this.nextId++,
      project,
      repository,
      digest,
      statuses: ["Success"],
      vulnerabilities: [],
      pushTime: "2026-11-30T10:00:00.000Z",
      ...extra,
    };
    this.artifacts.push(a);
    return a;
  }

  private allowed(who: "admin" | "limited" | FakeRobot, project: string, resource: string, action: string): boolean {
    if (who === "admin") return true;
    if (who === "limited") return false;
    return who.permissions.some((p) => p.namespace === project && p.access.some((a) => a.resource === resource && a.action === action && a.effect !== "deny"));
  }

  private overview(a: FakeArtifact, mime: string) {
    const status = a.statuses[0];
    if (!status) return undefined;
    const done = status === "Success";
    const counts: Record<string, number> = {};
    for (const v of a.vulnerabilities) counts[v.severity] = (counts[v.severity] ?? 0) + 1;
    if (a.overviewCounts) Object.assign(counts, a.overviewCounts);
    const order = ["Unknown", "Negligible", "Low", "Medium", "High", "Critical"];
    const top = a.vulnerabilities.reduce((best, v) => (order.indexOf(v.severity) > order.indexOf(best) ? v.severity : best), "None" as string);
    return {
      [mime]: {
        report_id: `5f62c830-f996-11e9-957f-0242c0a8${String(a.id).padStart(4, "0")}`,
        scan_status: status,
        severity: done ? top : "",
        duration: done ? 12 : 0,
        ...(done ? { summary: { total: a.vulnerabilities.length, fixable: a.vulnerabilities.filter((v) => v.fix_version).length, summary: counts } } : {}),
        start_time: "2026-11-30T10:00:01Z",
        ...(done || status === "Error" || status === "Stopped" ? { end_time: "2026-11-30T10:00:13Z" } : {}),
        complete_percent: done ? 100 : status === "Running" ? 50 : 0,
        scanner: { name: "Trivy", vendor: "Aqua Security", version: "v0.56.1" },
      },
    };
  }

  private artifactRoutes(req: RecordedRequest, who: "admin" | "limited" | FakeRobot): FakeResponse | undefined {
    // /api/v2.0/projects/{p}/repositories/{r}/artifacts/{ref}[/scan | /additions/vulnerabilities]
    const raw = req.rawPath.split("/").filter(Boolean);
    if (raw[2] !== "projects" || raw[4] !== "repositories" || raw[6] !== "artifacts" || raw.length < 8) return undefined;
    const project = decodeURIComponent(raw[3]!);
    // Harbor unescapes the path once for routing and once more for the repository name: a `/`
    // sent encoded once (%2F) is a path separator to it, and the artifact is not found.
    if (/%2F/i.test(raw[5]!)) return err(404, "NOT_FOUND", `repository name ${decodeURIComponent(raw[5]!)} must have its / encoded twice`);
    const repository = decodeURIComponent(decodeURIComponent(raw[5]!));
    const reference = decodeURIComponent(raw[7]!);
    const p = this.projects.get(project);
    if (!p) return err(404, "NOT_FOUND", `project ${project} not found`);
    const a = this.artifacts.find((x) => x.project === project && x.repository === repository && x.digest === reference);
    const accept = String(req.headers["x-accept-vulnerabilities"] ?? `${MIME_GENERIC}, ${MIME_NATIVE}`);
    const mime =
      accept
        .split(",")
        .map((m) => m.trim())
        .find((m) => m === MIME_GENERIC || m === MIME_NATIVE) ?? MIME_NATIVE;
    const base = `/api/v2.0/projects/${project}/repositories/${encodeURIComponent(encodeURIComponent(repository))}/artifacts/${reference}`;

    if (req.method === "GET" && raw.length === 8) {
      if (!this.allowed(who, project, "artifact", "read")) return err(403, "FORBIDDEN", "forbidden");
      if (!a) return err(404, "NOT_FOUND", `artifact ${project}/${repository}@${reference} not found`);
      this.reads.set(a.id, (this.reads.get(a.id) ?? 0) + 1);
      const body: Record<string, unknown> = {
        id: a.id,
        type: "IMAGE",
        media_type: "application/vnd.oci.image.config.v1+json",
        manifest_media_type: "application/vnd.oci.image.manifest.v1+json",
        project_id: p.project_id,
        repository_id: a.id + 100,
        repository_name: `${project}/${repository}`,
        digest: a.answerDigest ?? a.digest,
        size: 31_457_280,
        push_time: a.pushTime,
        pull_time: "0001-01-01T00:00:00.000Z",
        // Swagger: ExtraAttrs values are objects.
        extra_attrs: { config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] } },
        annotations: {},
        references: [],
        labels: [],
        accessories: [],
        addition_links: {
          build_history: { href: `${base}/additions/build_history`, absolute: false },
          ...(this.scannerConfigured ? { vulnerabilities: { href: `${base}/additions/vulnerabilities`, absolute: false } } : {}),
        },
      };
      if (req.query.with_scan_overview === "true" && this.scannerConfigured) {
        const o = this.overview(a, mime);
        if (o) body.scan_overview = o;
        // The next read shows the next status.
        if (a.statuses.length > 1) a.statuses.shift();
      }
      return { status: 200, body };
    }

    if (req.method === "POST" && raw.length === 9 && raw[8] === "scan") {
      if (!this.allowed(who, project, "scan", "create")) return err(403, "FORBIDDEN", "forbidden");
      if (!a) return err(404, "NOT_FOUND", `artifact ${project}/${repository}@${reference} not found`);
      const current = a.statuses[0];
      if (current && current !== "Success" && current !== "Error" && current !== "Stopped")
        return err(409, "CONFLICT", `a previous scan process is ${current}`);
      a.statuses = [...this.scanStatusesWhenStarted];
      this.scansStarted++;
      return { status: 202 };
    }

    if (req.method === "GET" && raw.length === 10 && raw[8] === "additions" && raw[9] === "vulnerabilities") {
      if (!this.allowed(who, project, "artifact-addition", "read")) return err(403, "FORBIDDEN", "forbidden");
      if (!a) return err(404, "NOT_FOUND", `artifact ${project}/${repository}@${reference} not found`);
      const report = {
        generated_at: "2026-11-30T10:00:13Z",
        artifact: { repository: `${project}/${repository}`, digest: a.answerDigest ?? a.digest, mime_type: "application/vnd.oci.image.manifest.v1+json" },
        scanner: { name: "Trivy", vendor: "Aqua Security", version: "v0.56.1" },
        severity: a.vulnerabilities.length ? "High" : "None",
        vulnerabilities: a.vulnerabilities.map((v) => ({ fix_version: "", description: "", links: [], ...v, artifact_digests: [a.digest] })),
      };
      return { status: 200, text: JSON.stringify({ [mime]: report }), headers: { "content-type": "application/json" } };
    }
    return undefined;
  }

  /** How many times each artifact (by id) was read. */
  reads = new Map<number, number>();
  scansStarted = 0;

  private auth(req: RecordedRequest): "admin" | "limited" | FakeRobot | undefined {
    const c = basicCredentials(req.headers);
    if (!c) return undefined;
    if (c.user === this.admin.user && c.password === this.admin.password) return "admin";
    if (c.user === this.limitedUser.user && c.password === this.limitedUser.password) return "limited";
    return this.robots.find((r) => r.name === c.user && r.secret === c.password && !r.disable);
  }

  private toSwagger(r: FakeRobot) {
    const { secret: _secret, project_id: _pid, stored: _stored, ...rest } = r;
    return { ...rest, update_time: r.creation_time };
  }

  protected handle(req: RecordedRequest): FakeResponse {
    const s = req.segments;
    if (s[0] !== "api" || s[1] !== "v2.0") return err(404, "NOT_FOUND", "not found");
    const who = this.auth(req);
    if (!who) return err(401, "UNAUTHORIZED", "unauthorized");
    const route = s.slice(2);

    if (route[0] === "projects" && route[2] === "repositories") {
      const answer = this.artifactRoutes(req, who);
      if (answer) return answer;
    }

    // GET /projects/{project_name_or_id}
    if (req.method === "GET" && route[0] === "projects" && route.length === 2) {
      if (who !== "admin" && who !== "limited") return err(403, "FORBIDDEN", "forbidden");
      const p = this.projects.get(route[1]!);
      if (!p) return err(404, "NOT_FOUND", `project ${route[1]} not found`);
      return { status: 200, body: { project_id: p.project_id, name: p.name, owner_id: 1, repo_count: 0, metadata: { public: "false" } } };
    }

    // GET /projects/{project_name}/repositories (repository:list)
    if (req.method === "GET" && route[0] === "projects" && route[2] === "repositories" && route.length === 3) {
      const p = this.projects.get(route[1]!);
      if (!p) return err(404, "NOT_FOUND", `project ${route[1]} not found`);
      if (typeof who === "object") {
        const grants = who.permissions.some(
          (perm) => perm.namespace === p.name && perm.access.some((a) => a.resource === "repository" && a.action === "list" && a.effect !== "deny"),
        );
        if (!grants) return err(403, "FORBIDDEN", "forbidden");
      } else if (who === "limited") {
        return err(403, "FORBIDDEN", "forbidden");
      }
      return { status: 200, body: [], headers: { "X-Total-Count": "0" } };
    }

    if (route[0] === "robots") {
      if (who !== "admin") return err(403, "FORBIDDEN", `${typeof who === "object" ? who.name : who} has no robot:* permission`);

      // GET /robots?q=Level=project,ProjectID=<id>&page=&page_size=
      if (req.method === "GET" && route.length === 1) {
        const q = Object.fromEntries(
          (req.query.q ?? "")
            .split(",")
            .filter(Boolean)
            .map((kv) => kv.split("=") as [string, string]),
        );
        if (q.Level === "project" && !q.ProjectID) return err(400, "BAD_REQUEST", "must with project ID when to query project robots");
        const list = this.robots.filter((r) => (q.Level === "project" ? r.level === "project" && String(r.project_id) === q.ProjectID : r.level === "system"));
        const page = Number(req.query.page ?? 1);
        const size = Number(req.query.page_size ?? 10);
        return {
          status: 200,
          body: list.slice((page - 1) * size, page * size).map((r) => this.toSwagger(r)),
          headers: { "X-Total-Count": String(list.length) },
        };
      }

      // POST /robots  RobotCreate
      if (req.method === "POST" && route.length === 1) {
        const b = req.body as {
          name?: string;
          level?: string;
          duration?: number;
          disable?: boolean;
          description?: string;
          permissions?: Array<{ kind: string; namespace: string; access: FakeAccess[] }>;
        };
        if (!b?.name || !NAME.test(b.name)) return err(400, "BAD_REQUEST", "robot name is not in lower case or contains illegal characters");
        if (typeof b.duration !== "number" || !(b.duration === -1 || b.duration > 0)) {
          return err(400, "BAD_REQUEST", `bad request error duration input: ${b.duration}, duration must be either -1(Never) or a positive integer`);
        }
        if (b.level !== "project" && b.level !== "system") return err(400, "BAD_REQUEST", `bad request error level input: ${b.level}`);
        if (!b.permissions?.length) return err(400, "BAD_REQUEST", "bad request empty permission");
        if (b.level === "project" && b.permissions.length > 1) return err(400, "BAD_REQUEST", "bad request permission");
        for (const perm of b.permissions) {
          if (!perm.access?.length) return err(400, "BAD_REQUEST", "bad request empty access");
          for (const a of perm.access)
            if (!PROJECT_POLICIES.has(`${a.resource}:${a.action}`)) return err(400, "BAD_REQUEST", `bad request permission: ${a.resource}:${a.action}`);
        }
        const ns = b.permissions[0]!.namespace;
        const p = this.projects.get(ns);
        if (!p) return err(404, "NOT_FOUND", `project ${ns} not found`);
        const stored = `${ns}+${b.name}`;
        const full = `${this.prefix}${stored}`;
        if (this.robots.some((r) => r.stored === stored)) return err(409, "CONFLICT", `robot account ${full} already exists`);
        const robot: FakeRobot = {
          id: this.nextId++,
          name: full,
          stored,
          description: b.description ?? "",
          level: "project",
          duration: b.duration,
          disable: !!b.disable,
          editable: true,
          expires_at: b.duration === -1 ? -1 : Math.floor(Date.now() / 1000) + b.duration * 86400,
          project_id: p.project_id,
          permissions: b.permissions.map((perm) => ({ ...perm, access: perm.access.map((a) => ({ ...a, effect: "allow" })) })),
          secret: this.newSecret(),
          creation_time: new Date().toISOString(),
        };
        this.robots.push(robot);
        return {
          status: 201,
          body: { id: robot.id, name: robot.name, secret: robot.secret, creation_time: robot.creation_time, expires_at: robot.expires_at },
          headers: { Location: `/api/v2.0/robots/${robot.id}` },
        };
      }

      // PATCH /robots/{robot_id}  RobotSec -> RobotSec
      if (req.method === "PATCH" && route.length === 2) {
        const robot = this.robots.find((r) => r.id === Number(route[1]));
        if (!robot) return err(404, "NOT_FOUND", `robot ${route[1]} not found`);
        const given = (req.body as { secret?: string } | undefined)?.secret;
        if (given) {
          robot.secret = given;
          return { status: 200, body: { secret: "" } };
        }
        robot.secret = this.newSecret();
        return { status: 200, body: { secret: robot.secret } };
      }
    }
    return err(404, "NOT_FOUND", `no route for ${req.method} ${req.rawPath}`);
  }
}
