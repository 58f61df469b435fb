// Harbor robot accounts, v2 API (vendor/harbor/swagger.yaml; goharbor/harbor src/server/v2.0/handler/robot.go):
//   GET   /robots?q=Level=project,ProjectID=<id> -> [Robot] (name is the full robot$p+n)
//   POST  /robots  RobotCreate                   -> 201 RobotCreated {id, name, secret, expires_at}
//   PATCH /robots/{robot_id}  RobotSec {}        -> 200 RobotSec {secret} (a new random secret)

import { HttpStatusError } from "../http/errors.ts";
import { isRobotNamed, type HarborPermission } from "./permissions.ts";
import { ROBOT_CREATED, ROBOT_LIST, ROBOT_SEC } from "./shapes.ts";
import { harborMessage, type HarborTransport } from "./transport.ts";

export interface HarborRobot {
  id: number;
  name: string;
  description?: string;
  level: string;
  duration?: number;
  disable?: boolean;
  editable?: boolean;
  /** Unix seconds; -1 = never. */
  expires_at?: number;
  permissions: HarborPermission[];
}

export interface RobotCreate {
  name: string;
  description: string;
  level: "project";
  duration: number;
  disable: false;
  permissions: HarborPermission[];
}

export interface RobotCreated {
  id: number;
  name: string;
  secret: string;
  expires_at?: number;
}

const PAGE_SIZE = 100;

export class Robots {
  constructor(private readonly t: HarborTransport) {}

  /** Every visible project-level robot of the project (paged). */
  async listForProject(projectId: number): Promise<HarborRobot[]> {
    const robots: HarborRobot[] = [];
    for (let page = 1; page <= 100; page++) {
      const qs = new URLSearchParams({ q: `Level=project,ProjectID=${projectId}`, page: String(page), page_size: String(PAGE_SIZE) });
      let res: { body: HarborRobot[]; headers: Headers };
      try {
        res = await this.t.request<HarborRobot[]>(
          { method: "GET", path: `/robots?${qs}` },
          { shape: ROBOT_LIST, expected: "a JSON list of Robot objects {id, name, level, permissions: [{kind, namespace, access}]}" },
        );
      } catch (err) {
        throw this.t.adminFailed(err, "list the project's robot accounts");
      }
      robots.push(...res.body.map((r) => ({ ...r, permissions: r.permissions ?? [] })));
      const total = Number(res.headers.get("x-total-count"));
      if (res.body.length < PAGE_SIZE || (Number.isFinite(total) && robots.length >= total)) break;
    }
    return robots;
  }

  /** Creates a project robot; an answer naming another robot is HARBOR_ANSWER_MISMATCH (its secret is not used). */
  async create(body: RobotCreate): Promise<RobotCreated> {
    const project = body.permissions[0]?.namespace ?? "";
    try {
      const res = await this.t.request<RobotCreated>(
        { method: "POST", path: "/robots", body },
        { shape: ROBOT_CREATED, expected: "RobotCreated {id: integer, name: string, secret: string}" },
      );
      const created = res.body;
      if (!isRobotNamed(created.name, project, body.name)) {
        throw this.t.mismatch(`POST ${this.t.api}/robots`, "robot", `robot$${project}+${body.name} (any robot name prefix)`, created.name);
      }
      if (created.secret === "") {
        throw this.t.error("HARBOR_UNEXPECTED_RESPONSE", {
          message: `Harbor created robot \`${body.name}\` but returned no secret`,
          expected: "RobotCreated {id, name, secret}",
          actual: "an empty secret",
          fix: "run `harbor-ci setup` again with --rotate-secret to give the robot a new secret",
        });
      }
      return { id: created.id, name: created.name, secret: created.secret, ...(created.expires_at !== undefined ? { expires_at: created.expires_at } : {}) };
    } catch (err) {
      if (err instanceof HttpStatusError && err.status === 409) {
        throw this.t.error("HARBOR_ROBOT_CONFLICT", {
          message: `Harbor says a robot named \`${body.name}\` already exists in project \`${project}\` (HTTP 409), but it was not in the robot list`,
          actual: harborMessage(err.body) ?? "409 Conflict",
          fix: "an earlier attempt that failed midway (or a concurrent run) created it: run again with --rotate-secret, which issues a new secret for the existing robot",
        });
      }
      if (err instanceof HttpStatusError && err.status === 400) {
        throw this.t.error("HARBOR_ROBOT_REJECTED", {
          message: `Harbor refused to create robot \`${body.name}\` (HTTP 400)`,
          actual: harborMessage(err.body) ?? "400 Bad Request",
          fix: "check --robot-name (lowercase letters, digits and . _ - separators) and --duration (a positive number of days); Harbor older than 2.3 lacks these permissions",
        });
      }
      throw this.t.adminFailed(err, `create robot \`${body.name}\``);
    }
  }

  /** Harbor generates a new secret when the body's secret is empty; the old one stops working. */
  async refreshSecret(robot: { id: number; name: string }): Promise<string> {
    try {
      const res = await this.t.request<{ secret: string }>(
        { method: "PATCH", path: `/robots/${robot.id}`, body: {} },
        { shape: ROBOT_SEC, expected: "RobotSec {secret: string}" },
      );
      if (res.body.secret === "") {
        throw this.t.error("HARBOR_UNEXPECTED_RESPONSE", {
          message: `Harbor refreshed the secret of \`${robot.name}\` but returned none`,
          expected: "RobotSec {secret}",
          actual: "an empty secret",
          fix: "check the Harbor version (2.2 or later refreshes secrets with PATCH /robots/{id})",
        });
      }
      return res.body.secret;
    } catch (err) {
      throw this.t.adminFailed(err, `refresh the secret of \`${robot.name}\``);
    }
  }
}
