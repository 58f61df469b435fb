// Harbor v2.0 as documented (goharbor/harbor api/v2.0/swagger.yaml, src/server/v2.0/handler/robot.go):
// the endpoints `setup` uses, with their request and response shapes and their error bodies
// ({"errors": [{"code", "message"}]}).

import { basicCredentials, FakeServer, type FakeResponse, type RecordedRequest } from "./server.ts";

export interface FakeAccess {
  resource: string;
  action: string;
  effect?: string;
}

export interface FakeRobot {
  id: number;
  /** Full name: robot$<project>+<name>. */
  name: string;
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

// A subset of Harbor's rbac.PoliciesMap["Project"], enough to reject nonsense.
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
      name: `robot$${project}+${name}`,
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

  private auth(req: RecordedRequest): "admin" | "limited" | FakeRobot | undefined {
    const c = basicCredentials(req.headers);
    if (!c) return undefined;
    if (c.user === this.admin.user && c.password === this.admin.password) return "admin";
    if (c.user === this.limitedUser.user && c.password === this.limitedUser.password) return "limited";
    return this.robots.find((r) => r.name === c.user && r.secret === c.password && !r.disable);
  }

  private toSwagger(r: FakeRobot) {
    const { secret: _secret, project_id: _pid, ...rest } = r;
    return { ...rest, update_time: r.creation_time };
  }

  protected handle(req: RecordedRequest): FakeResponse {
    const s = req.segments;
    if (s[0] !== "api" || s[1] !== "v2.0") return err(404, "NOT_FOUND", "not found");
    const who = this.auth(req);
    if (!who) return err(401, "UNAUTHORIZED", "unauthorized");
    const route = s.slice(2);

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
        const full = `robot$${ns}+${b.name}`;
        if (this.robots.some((r) => r.name === full)) return err(409, "CONFLICT", `robot account ${full} already exists`);
        const robot: FakeRobot = {
          id: this.nextId++,
          name: full,
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
