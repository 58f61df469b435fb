// The few Harbor v2.0 API calls `setup` needs (shapes from goharbor/harbor api/v2.0/swagger.yaml):
//   GET   /api/v2.0/projects/{project_name_or_id}        (X-Is-Resource-Name: true) -> Project
//   GET   /api/v2.0/robots?q=Level=project,ProjectID=<id> -> Robot[] (name is the full robot$p+n)
//   POST  /api/v2.0/robots   RobotCreate                 -> 201 RobotCreated {id, name, secret, expires_at}
//   PATCH /api/v2.0/robots/{robot_id}  RobotSec {}       -> 200 RobotSec {secret} (new random secret)
//   GET   /api/v2.0/projects/{name}/repositories         -> what GitLab's Harbor view calls; needs
//                                                          repository:list, so it proves the robot works.
// Errors come back as {"errors": [{"code", "message"}]}.

import { HttpStatusError } from "../http/errors.ts";
import { CliError } from "../cli/diagnostics.ts";
import type { CallRecord } from "../cli/io.ts";
import { basicAuth, requestJson, type FetchLike, type JsonRequest, type JsonResponse } from "../http/request.ts";
import { RetriesExhaustedError, networkFailure, withRetry, type RetryPolicy } from "../http/retry.ts";
import type { HarborPermission } from "./permissions.ts";
import { ResponseTooLargeError, UnexpectedResponseError, firstBytes, likelyCause } from "../http/bounded.ts";

export interface HarborProject {
  project_id: number;
  name: string;
}

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

export interface HarborClientOptions {
  /** Base URL of Harbor, e.g. https://harbor.example.com (no /api/v2.0). */
  url: string;
  adminUser: string;
  adminPassword: string;
  retry: RetryPolicy;
  timeoutMs: number;
  /** Cap of one answer's body (http/bounded.ts DEFAULT_MAX_BODY_BYTES when absent). */
  maxBodyBytes?: number;
  fetch?: FetchLike;
  /** Every call made, for --verbose and --dry-run. */
  onCall?: (call: CallRecord) => void;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; url: string }) => void;
}

const PAGE_SIZE = 100;

function harborMessage(body: unknown): string | undefined {
  const errors = (body as { errors?: Array<{ code?: string; message?: string }> } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors.map((e) => [e.code, e.message].filter(Boolean).join(": ")).join("; ");
  }
  return typeof body === "string" && body.trim() !== "" ? body.trim().slice(0, 300) : undefined;
}

export class HarborClient {
  readonly api: string;
  readonly adminUser: string;
  constructor(private readonly opts: HarborClientOptions) {
    this.api = opts.url.replace(/\/+$/, "") + "/api/v2.0";
    this.adminUser = opts.adminUser;
  }

  private async call(req: Omit<JsonRequest, "timeoutMs">, as: { user: string; password: string }): Promise<JsonResponse> {
    this.opts.onCall?.({ method: req.method, url: req.url, as: as.user, body: req.body, sent: true });
    const full: JsonRequest = {
      ...req,
      timeoutMs: this.opts.timeoutMs,
      ...(this.opts.maxBodyBytes !== undefined ? { maxBodyBytes: this.opts.maxBodyBytes } : {}),
      headers: { ...req.headers, authorization: basicAuth(as.user, as.password) },
    };
    try {
      return await withRetry(() => requestJson(full, this.opts.fetch), this.opts.retry, {
        onRetry: (info) => this.opts.onRetry?.({ ...info, url: req.url }),
      });
    } catch (err) {
      if (err instanceof RetriesExhaustedError) {
        throw new CliError({
          code: "HARBOR_UNAVAILABLE",
          message: `Harbor did not answer ${req.method} ${req.url} after ${err.attempts} attempt(s) (${err.reason})`,
          expected: "a 2xx answer",
          actual: err.reason,
          fix: `check that ${this.opts.url} is up and reachable from here (proxy, VPN, TLS), then run the command again; --retries and --timeout tune the backoff`,
          cause: err,
        });
      }
      if (err instanceof UnexpectedResponseError) {
        throw this.unexpected(
          `${req.method} ${req.url}`,
          err.expected,
          `HTTP ${err.status}, ${err.contentType || "no content type"}: ${err.firstBytes}`,
          likelyCause(err.contentType, err.firstBytes),
        );
      }
      if (err instanceof ResponseTooLargeError) {
        throw new CliError({
          code: "HARBOR_RESPONSE_TOO_LARGE",
          message: `Harbor's answer to ${req.method} ${req.url} is larger than ${err.limit} bytes; reading stopped there`,
          expected: `an answer of at most ${err.limit} bytes`,
          actual: "more",
          fix: "check --harbor-url (a proxy or another service may be answering); raise --max-response-bytes if the answer is legitimately that large",
        });
      }
      const failure = err instanceof HttpStatusError || err instanceof CliError ? undefined : networkFailure(err);
      if (failure) {
        throw new CliError({
          code: "HARBOR_UNREACHABLE",
          message: `cannot reach Harbor at ${this.opts.url} (${failure})`,
          fix: "check --harbor-url (scheme, host, port), DNS, proxy and TLS settings",
          cause: err,
        });
      }
      throw err;
    }
  }

  /** HARBOR_UNEXPECTED_RESPONSE: the answer is not what Harbor's API (swagger) documents. */
  private unexpected(call: string, expected: string, actual: string, cause: string): CliError {
    return new CliError({
      code: "HARBOR_UNEXPECTED_RESPONSE",
      message: `the answer to ${call} is not Harbor's: nothing was believed or changed`,
      expected,
      actual,
      fix: `likely ${cause}; check that ${this.opts.url} is Harbor's base URL (no /api/v2.0, not behind a sign-in page) and that Harbor is 2.x`,
    });
  }

  private get admin() {
    return { user: this.opts.adminUser, password: this.opts.adminPassword };
  }

  /** Maps the admin-credential failures every call shares. */
  private adminError(err: unknown, what: string): unknown {
    if (!(err instanceof HttpStatusError)) return err;
    const detail = harborMessage(err.body);
    if (err.status === 401) {
      return new CliError({
        code: "HARBOR_ADMIN_REJECTED",
        message: `Harbor rejected the credentials of \`${this.opts.adminUser}\` (HTTP 401) while trying to ${what}`,
        expected: "valid credentials of a Harbor system administrator or of the project's administrator",
        actual: detail ?? "401 Unauthorized",
        fix: "set HARBOR_ADMIN_USER and HARBOR_ADMIN_PASSWORD to valid credentials (OIDC users: use the CLI secret from your Harbor user profile as the password)",
      });
    }
    if (err.status === 403) {
      return new CliError({
        code: "HARBOR_ADMIN_FORBIDDEN",
        message: `Harbor refused to let \`${this.opts.adminUser}\` ${what} (HTTP 403)`,
        expected: "a user with the Project Admin role on the project, or a Harbor system administrator",
        actual: detail ?? "403 Forbidden",
        fix: "use an account that administers the Harbor project (HARBOR_ADMIN_USER / HARBOR_ADMIN_PASSWORD), or ask a Harbor administrator to grant that role",
      });
    }
    return new CliError({
      code: "HARBOR_REQUEST_FAILED",
      message: `Harbor answered HTTP ${err.status} to ${err.method} ${err.url} while trying to ${what}`,
      actual: detail ?? `HTTP ${err.status}`,
      fix: "read Harbor's message above; check the Harbor version (2.3 or later has the robots v2 API) and the server logs",
    });
  }

  async getProject(name: string): Promise<HarborProject> {
    const url = `${this.api}/projects/${encodeURIComponent(name)}`;
    try {
      const res = await this.call({ method: "GET", url, headers: { "X-Is-Resource-Name": "true" } }, this.admin);
      const p = res.body as HarborProject;
      if (typeof p?.project_id !== "number") {
        throw new CliError({
          code: "HARBOR_UNEXPECTED_RESPONSE",
          message: `Harbor's answer to GET ${url} has no project_id`,
          expected: "a Project object",
          actual: firstBytes(JSON.stringify(res.body) ?? "empty body"),
          fix: "check that the Harbor URL points at Harbor itself (not a proxy page or the UI) and that Harbor is 2.x",
        });
      }
      return p;
    } catch (err) {
      if (err instanceof HttpStatusError && err.status === 404) {
        throw new CliError({
          code: "HARBOR_PROJECT_NOT_FOUND",
          message: `Harbor project \`${name}\` does not exist at ${this.opts.url}`,
          expected: `a project named \`${name}\``,
          actual: harborMessage(err.body) ?? "404 Not Found",
          fix: `create the project in Harbor (Projects > New Project) or pass the right name with --harbor-project`,
        });
      }
      throw this.adminError(err, `read project \`${name}\``);
    }
  }

  /** Every visible project-level robot of the project (paged). */
  async listProjectRobots(projectId: number): Promise<HarborRobot[]> {
    const robots: HarborRobot[] = [];
    for (let page = 1; page <= 100; page++) {
      const qs = new URLSearchParams({ q: `Level=project,ProjectID=${projectId}`, page: String(page), page_size: String(PAGE_SIZE) });
      const url = `${this.api}/robots?${qs}`;
      let res: JsonResponse;
      try {
        res = await this.call({ method: "GET", url }, this.admin);
      } catch (err) {
        throw this.adminError(err, "list the project's robot accounts");
      }
      // swagger: ListRobot -> 200 [Robot]; each Robot has id (integer) and name (string).
      const valid =
        Array.isArray(res.body) &&
        res.body.every((r) => r && typeof r === "object" && typeof (r as HarborRobot).id === "number" && typeof (r as HarborRobot).name === "string");
      if (!valid)
        throw this.unexpected(
          `GET ${url}`,
          "a JSON list of Robot objects {id, name, level, permissions}",
          firstBytes(JSON.stringify(res.body) ?? "empty body"),
          likelyCause("application/json", ""),
        );
      const batch = res.body as HarborRobot[];
      robots.push(...batch);
      const total = Number(res.headers.get("x-total-count"));
      if (batch.length < PAGE_SIZE || (Number.isFinite(total) && robots.length >= total)) break;
    }
    return robots;
  }

  async createRobot(body: RobotCreate): Promise<RobotCreated> {
    const url = `${this.api}/robots`;
    try {
      const res = await this.call({ method: "POST", url, body }, this.admin);
      const created = res.body as RobotCreated;
      if (typeof created?.secret !== "string" || created.secret === "") {
        throw new CliError({
          code: "HARBOR_UNEXPECTED_RESPONSE",
          message: `Harbor created robot \`${body.name}\` but returned no secret`,
          expected: "RobotCreated {id, name, secret}",
          actual: "no secret in the answer",
          fix: "run `harbor-ci setup` again with --rotate-secret to give the robot a new secret",
        });
      }
      return created;
    } catch (err) {
      if (err instanceof HttpStatusError && err.status === 409) {
        throw new CliError({
          code: "HARBOR_ROBOT_CONFLICT",
          message: `Harbor says a robot named \`${body.name}\` already exists in project \`${body.permissions[0]?.namespace}\` (HTTP 409), but it was not in the robot list`,
          actual: harborMessage(err.body) ?? "409 Conflict",
          fix: "an earlier attempt that failed midway (or a concurrent run) created it: run again with --rotate-secret, which issues a new secret for the existing robot",
        });
      }
      if (err instanceof HttpStatusError && err.status === 400) {
        throw new CliError({
          code: "HARBOR_ROBOT_REJECTED",
          message: `Harbor refused to create robot \`${body.name}\` (HTTP 400)`,
          actual: harborMessage(err.body) ?? "400 Bad Request",
          fix: "check --robot-name (lowercase letters, digits and . _ - separators) and --duration (a positive number of days); Harbor older than 2.3 lacks these permissions",
        });
      }
      throw this.adminError(err, `create robot \`${body.name}\``);
    }
  }

  /** Harbor generates a new secret when the body's secret is empty; the old one stops working. */
  async refreshRobotSecret(robot: { id: number; name: string }): Promise<string> {
    const url = `${this.api}/robots/${robot.id}`;
    try {
      const res = await this.call({ method: "PATCH", url, body: {} }, this.admin);
      const secret = (res.body as { secret?: unknown } | undefined)?.secret;
      if (typeof secret !== "string" || secret === "") {
        throw new CliError({
          code: "HARBOR_UNEXPECTED_RESPONSE",
          message: `Harbor refreshed the secret of \`${robot.name}\` but returned none`,
          expected: "RobotSec {secret}",
          actual: "no secret in the answer",
          fix: "check the Harbor version (2.2 or later refreshes secrets with PATCH /robots/{id})",
        });
      }
      return secret;
    } catch (err) {
      throw this.adminError(err, `refresh the secret of \`${robot.name}\``);
    }
  }

  /** Proves the robot's credentials work on the project the way GitLab's Harbor view uses them. */
  async checkRobotAccess(project: string, robotName: string, secret: string): Promise<string> {
    const url = `${this.api}/projects/${encodeURIComponent(project)}/repositories?page=1&page_size=1`;
    try {
      const res = await this.call({ method: "GET", url }, { user: robotName, password: secret });
      // swagger: ListRepositories -> 200 [Repository]
      if (!Array.isArray(res.body))
        throw this.unexpected(
          `GET ${url}`,
          "a JSON list of Repository objects",
          firstBytes(JSON.stringify(res.body) ?? "empty body"),
          likelyCause("application/json", ""),
        );
      return `GET ${url} -> ${res.status}`;
    } catch (err) {
      if (err instanceof HttpStatusError && (err.status === 401 || err.status === 403)) {
        throw new CliError({
          code: "HARBOR_ROBOT_CHECK_FAILED",
          message: `Harbor refused the new credentials of \`${robotName}\` on project \`${project}\` (HTTP ${err.status})`,
          expected: "200 on the project's repository list (repository:list)",
          actual: harborMessage(err.body) ?? `HTTP ${err.status}`,
          fix: "check the robot in Harbor (Project > Robot Accounts: enabled, not expired, permissions) and run again with --rotate-secret",
        });
      }
      throw this.adminError(err, `list repositories of \`${project}\` as the robot`);
    }
  }
}
