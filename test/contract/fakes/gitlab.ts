// GitLab's REST API v4 as documented (lib/api/integrations.rb, lib/api/lint.rb, releases,
// repository tree/files/commits): the endpoints harbor-ci uses, their shapes and error bodies
// ({"message": "404 Project Not Found"}, {"error": "insufficient_scope", ...}).

import { parseAllDocuments } from "yaml";
import { FakeServer, type FakeResponse, type RecordedRequest } from "./server.ts";

export interface FakeToken {
  scopes: Array<"api" | "read_api">;
  /** Role on every project and group: guest < reporter < developer < maintainer < owner. */
  role: "guest" | "reporter" | "developer" | "maintainer" | "owner";
}

export interface FakeIntegration {
  active: boolean;
  url: string;
  project_name: string;
  username: string;
  password: string;
  use_inherited_settings?: boolean;
}

export interface FakeRelease {
  tag_name: string;
  name?: string;
  released_at: string;
  upcoming_release?: boolean;
  commit: { id: string };
}

export interface FakeProject {
  id: number;
  path: string;
  /**
   * Default public. A private project is visible to its members' tokens only (`members`; absent:
   * every token), an internal one to every token; to anyone else GitLab answers every
   * /projects/:id route with 404 Project Not Found, as for a project that does not exist
   * (lib/api/helpers.rb `find_project!`: `not_found!('Project')` unless `can?(current_user,
   * :read_project, project)`; docs.gitlab.com/api/rest/troubleshooting/#status-codes).
   */
  visibility?: "public" | "internal" | "private";
  members?: string[];
  integration?: FakeIntegration;
  releases: FakeRelease[];
  /** ref -> path -> content; refs are tags, branches or commit SHAs. */
  files: Map<string, Map<string, string>>;
}

const ROLES = ["guest", "reporter", "developer", "maintainer", "owner"] as const;
const atLeast = (t: FakeToken, role: FakeToken["role"]) => ROLES.indexOf(t.role) >= ROLES.indexOf(role);

const msg = (status: number, message: string): FakeResponse => ({ status, body: { message } });

const INSUFFICIENT_SCOPE: FakeResponse = {
  status: 403,
  body: { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token.", scope: "api" },
  headers: {
    "WWW-Authenticate":
      'Bearer realm="", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", scope="api"',
  },
};

const RESERVED = new Set(["stages", "variables", "default", "include", "workflow", "image", "services", "before_script", "after_script", "cache", "spec"]);

export class FakeGitlab extends FakeServer {
  tokens = new Map<string, FakeToken>([
    ["glpat-maintainer-token-0001", { scopes: ["api"], role: "maintainer" }],
    ["glpat-readapi-token-000002", { scopes: ["read_api"], role: "maintainer" }],
    ["glpat-developer-token-0003", { scopes: ["api"], role: "developer" }],
  ]);
  projects: FakeProject[] = [{ id: 42, path: "my-group/my-app", releases: [], files: new Map() }];
  groups = new Map<string, { id: number; path: string; integration?: FakeIntegration }>([["my-group", { id: 5, path: "my-group" }]]);

  private canRead(project: FakeProject, token: string | undefined): boolean {
    const visibility = project.visibility ?? "public";
    if (visibility === "public") return true;
    if (!token) return false;
    return visibility === "internal" || !project.members || project.members.includes(token);
  }

  project(idOrPath: string): FakeProject | undefined {
    return this.projects.find((p) => String(p.id) === idOrPath || p.path === idOrPath);
  }

  private entity(i: FakeIntegration, id: number) {
    return {
      id,
      title: "Harbor",
      slug: "harbor",
      created_at: "2024-01-01T00:00:00.000Z",
      updated_at: "2024-01-01T00:00:00.000Z",
      active: i.active,
      commit_events: true,
      push_events: true,
      issues_events: true,
      confidential_issues_events: true,
      merge_requests_events: true,
      tag_push_events: true,
      note_events: true,
      confidential_note_events: true,
      pipeline_events: true,
      wiki_page_events: true,
      job_events: true,
      comment_on_event_enabled: true,
      // api_field_names: the password is a secret field, never exposed.
      properties: { url: i.url, project_name: i.project_name, username: i.username },
    };
  }

  protected handle(req: RecordedRequest): FakeResponse {
    const s = req.segments;
    if (s[0] !== "api" || s[1] !== "v4") return msg(404, "404 Not Found");
    const raw = req.headers["private-token"];
    const token = typeof raw === "string" ? this.tokens.get(raw) : undefined;
    if (raw !== undefined && !token) return msg(401, "401 Unauthorized");
    const route = s.slice(2);
    const write = req.method !== "GET" && req.method !== "HEAD";
    if (token && write && !token.scopes.includes("api")) return INSUFFICIENT_SCOPE;

    // Harbor integration, project or group: authenticate!, authorize_admin_project
    if ((route[0] === "projects" || route[0] === "groups") && route[2] === "integrations" && route[3] === "harbor" && route.length === 4) {
      if (!token) return msg(401, "401 Unauthorized");
      const holder =
        route[0] === "projects" ? this.project(route[1]!) : (this.groups.get(route[1]!) ?? [...this.groups.values()].find((g) => String(g.id) === route[1]));
      if (!holder) return msg(404, `404 ${route[0] === "projects" ? "Project" : "Group"} Not Found`);
      if (!atLeast(token, "maintainer")) return msg(403, "403 Forbidden");
      if (req.method === "GET") {
        return holder.integration ? { status: 200, body: this.entity(holder.integration, 99) } : msg(404, "404 Integration Not Found");
      }
      if (req.method === "PUT") {
        const b = (req.body ?? {}) as Record<string, unknown>;
        for (const k of ["url", "project_name", "username", "password"]) {
          if (typeof b[k] !== "string" || b[k] === "") return { status: 400, body: { error: `${k} is missing` } };
        }
        holder.integration = {
          active: true,
          url: b.url as string,
          project_name: b.project_name as string,
          username: b.username as string,
          password: b.password as string,
          use_inherited_settings: b.use_inherited_settings as boolean,
        };
        return { status: 200, body: this.entity(holder.integration, 99) };
      }
    }

    if (route[0] !== "projects") return msg(404, "404 Not Found");
    const project = this.project(route[1] ?? "");
    if (!project || !this.canRead(project, typeof raw === "string" ? raw : undefined)) return msg(404, "404 Project Not Found");
    const rest = route.slice(2);

    if (req.method === "GET" && rest.length === 0) return { status: 200, body: { id: project.id, path_with_namespace: project.path } };

    // GET /projects/:id/releases (newest first, paginated)
    if (req.method === "GET" && rest[0] === "releases" && rest.length === 1) {
      const page = Number(req.query.page ?? 1);
      const perPage = Number(req.query.per_page ?? 20);
      const sorted = [...project.releases].sort((a, b) => b.released_at.localeCompare(a.released_at));
      const slice = sorted.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = { "x-total": String(sorted.length), "x-page": String(page), "x-per-page": String(perPage) };
      if (page * perPage < sorted.length) {
        headers.link = `<${this.url}/api/v4/projects/${project.id}/releases?page=${page + 1}&per_page=${perPage}>; rel="next"`;
      }
      return {
        status: 200,
        body: slice.map((r) => ({ name: r.tag_name, description: "", created_at: r.released_at, upcoming_release: false, ...r })),
        headers,
      };
    }

    // GET /projects/:id/repository/commits/:sha
    if (req.method === "GET" && rest[0] === "repository" && rest[1] === "commits" && rest.length === 3) {
      return project.files.has(rest[2]!) ? { status: 200, body: { id: rest[2], short_id: rest[2]!.slice(0, 8) } } : msg(404, "404 Commit Not Found");
    }

    // GET /projects/:id/repository/tree?path=&ref=&recursive=
    if (req.method === "GET" && rest[0] === "repository" && rest[1] === "tree" && rest.length === 2) {
      const ref = req.query.ref ?? "main";
      const files = project.files.get(ref);
      if (!files) return msg(404, "404 Tree Not Found");
      const prefix = req.query.path ? `${req.query.path.replace(/\/$/, "")}/` : "";
      const blobs = [...files.keys()].filter((p) => p.startsWith(prefix));
      const dirs = new Set<string>();
      for (const p of blobs) {
        const parts = p.split("/");
        for (let i = prefix.split("/").length; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
      }
      const entries = [
        ...[...dirs].map((d) => ({ id: "t" + d, name: d.split("/").pop(), type: "tree", path: d, mode: "040000" })),
        ...blobs.map((p) => ({ id: "b" + p, name: p.split("/").pop(), type: "blob", path: p, mode: "100644" })),
      ].filter((e) => req.query.recursive === "true" || e.path.split("/").length === prefix.split("/").length);
      return { status: 200, body: entries };
    }

    // GET /projects/:id/repository/files/:file_path/raw?ref=
    if (req.method === "GET" && rest[0] === "repository" && rest[1] === "files" && rest[3] === "raw" && rest.length === 4) {
      const content = project.files.get(req.query.ref ?? "")?.get(rest[2]!);
      return content === undefined ? msg(404, "404 File Not Found") : { status: 200, text: content };
    }

    // POST /projects/:id/ci/lint {content, dry_run, ref}: authorize! :create_pipeline
    if (req.method === "POST" && rest[0] === "ci" && rest[1] === "lint" && rest.length === 2) {
      if (!token) return msg(401, "401 Unauthorized");
      if (!atLeast(token, "developer")) return msg(403, "403 Forbidden");
      const content = (req.body as { content?: unknown } | undefined)?.content;
      if (typeof content !== "string") return { status: 400, body: { error: "content is missing" } };
      return { status: 200, body: { ...this.lint(content), merged_yaml: content, includes: [] } };
    }

    return msg(404, "404 Not Found");
  }

  /** A small stand-in for Gitlab::Ci::Lint: YAML errors, jobs without script, a rules:when warning. */
  lint(content: string): { valid: boolean; errors: string[]; warnings: string[] } {
    const docs = parseAllDocuments(content);
    const list = Array.isArray(docs) ? docs : [docs];
    const syntax = list.flatMap((d) => d.errors.map((e) => `(<unknown>): ${e.message}`));
    if (syntax.length) return { valid: false, errors: syntax, warnings: [] };
    const root = list[list.length - 1]?.toJS() as Record<string, unknown> | null;
    if (!root || typeof root !== "object") return { valid: false, errors: ["Please provide content of .gitlab-ci.yml"], warnings: [] };
    const errors: string[] = [];
    const warnings: string[] = [];
    for (const [name, job] of Object.entries(root)) {
      if (RESERVED.has(name) || name.startsWith(".")) continue;
      const j = job as Record<string, unknown> | null;
      if (!j || typeof j !== "object" || !("script" in j || "run" in j || "trigger" in j || "extends" in j)) {
        errors.push(`jobs:${name} config should implement the script:, run:, or trigger: keyword`);
        continue;
      }
      const rules = Array.isArray(j.rules) ? (j.rules as Array<Record<string, unknown>>) : [];
      if (!("workflow" in root) && rules.some((r) => r.when && r.when !== "never" && !r.if)) {
        warnings.push(
          `jobs:${name} may allow multiple pipelines to run for a single action due to \`rules:when\` clause with no \`workflow:rules\` - read more: https://docs.gitlab.com/ee/ci/troubleshooting.html#pipeline-warnings`,
        );
      }
    }
    return { valid: errors.length === 0, errors, warnings };
  }
}
