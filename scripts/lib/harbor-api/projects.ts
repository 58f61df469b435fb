// Harbor projects (vendor/harbor/swagger.yaml):
//   GET /projects/{project_name_or_id}   (X-Is-Resource-Name: true) -> Project
//   GET /projects/{project_name}/repositories -> [Repository]; needs repository:list, so it
//       proves a robot works the way GitLab's Harbor view uses it.

import { HttpStatusError } from "../http/errors.ts";
import { PROJECT, REPOSITORY_LIST } from "./shapes.ts";
import { harborMessage, type HarborCredentials, type HarborTransport } from "./transport.ts";

export interface HarborProject {
  project_id: number;
  name: string;
}

export class Projects {
  constructor(private readonly t: HarborTransport) {}

  /** The project named `name`; an answer about another project is HARBOR_ANSWER_MISMATCH. */
  async show(name: string): Promise<HarborProject> {
    const path = `/projects/${encodeURIComponent(name)}`;
    try {
      const res = await this.t.request<HarborProject>(
        { method: "GET", path, headers: { "X-Is-Resource-Name": "true" } },
        { shape: PROJECT, expected: "a Project object {project_id: integer, name: string}" },
      );
      if (res.body.name !== name)
        throw this.t.mismatch(`GET ${this.t.api}${path}`, "project", `name ${JSON.stringify(name)}`, `name ${JSON.stringify(res.body.name)}`);
      if (res.body.project_id <= 0) throw this.t.unexpected(`GET ${this.t.api}${path}`, "a positive project_id", String(res.body.project_id));
      return { project_id: res.body.project_id, name: res.body.name };
    } catch (err) {
      if (err instanceof HttpStatusError && err.status === 404) {
        throw this.t.error("HARBOR_PROJECT_NOT_FOUND", {
          message: `Harbor project \`${name}\` does not exist at ${this.t.url}`,
          expected: `a project named \`${name}\``,
          actual: harborMessage(err.body) ?? "404 Not Found",
          fix: "create the project in Harbor (Projects > New Project) or pass the right name with --harbor-project",
        });
      }
      throw this.t.adminFailed(err, `read project \`${name}\``);
    }
  }

  /** One page of the project's repositories, as `as` (a robot): proves its credentials work. */
  async checkRepositoryAccess(project: string, as: HarborCredentials): Promise<string> {
    const path = `/projects/${encodeURIComponent(project)}/repositories?page=1&page_size=1`;
    try {
      const res = await this.t.request<unknown[]>({ method: "GET", path, as }, { shape: REPOSITORY_LIST, expected: "a JSON list of Repository objects" });
      return `GET ${this.t.api}${path} -> ${res.status}`;
    } catch (err) {
      if (err instanceof HttpStatusError && (err.status === 401 || err.status === 403)) {
        throw this.t.error("HARBOR_ROBOT_CHECK_FAILED", {
          message: `Harbor refused the new credentials of \`${as.user}\` on project \`${project}\` (HTTP ${err.status})`,
          expected: "200 on the project's repository list (repository:list)",
          actual: harborMessage(err.body) ?? `HTTP ${err.status}`,
          fix: "check the robot in Harbor (Project > Robot Accounts: enabled, not expired, permissions) and run again with --rotate-secret",
        });
      }
      throw this.t.adminFailed(err, `list repositories of \`${project}\` as the robot`);
    }
  }
}
