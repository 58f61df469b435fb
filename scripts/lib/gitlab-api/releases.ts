// What a published version holds, read from GitLab:
//   GET /projects/:id/releases                          -> [{tag_name, name, released_at, upcoming_release, commit: {id}}]
//   GET /projects/:id/repository/tree?path=templates&ref=<tag>&recursive=true -> [{type, path}]
//   GET /projects/:id/repository/files/<path>/raw?ref=<tag>                   -> the file
// Components are templates/<name>.yml or templates/<name>/template.yml; their inputs come from
// templates/<name>/inputs.schema.json.

import { CliError } from "../cli/diagnostics.ts";
import type { ComponentSchema, ReleaseInfo, SchemaMap } from "./catalog.ts";
import { failureOf, gitlabCall, gitlabId, type GitlabApi, type GitlabConnection, type GitlabContext } from "./client.ts";
import { expectShape } from "./shapes.ts";

export interface VersionContents {
  ref: string;
  components: string[];
  schemas: SchemaMap;
  /** Components without a published inputs.schema.json. */
  withoutSchema: string[];
}

export class CatalogReader {
  constructor(
    private readonly api: GitlabApi,
    private readonly conn: GitlabConnection,
    private readonly project: string,
  ) {}

  private ctx(what: string): GitlabContext {
    return { what, subject: `project ${this.project}`, role: "Reporter (Guest for public projects)", scope: "read_api" };
  }

  async projectPath(): Promise<string> {
    const id = gitlabId(this.project);
    if (typeof id === "string") return id;
    const ctx = this.ctx(`read project ${id}`);
    const p = expectShape<{ path_with_namespace: string }>(await gitlabCall(this.conn, ctx, () => this.api.Projects.show(id)), "project", ctx, this.conn.url);
    return p.path_with_namespace;
  }

  /**
   * Whether GitLab shows the project to this caller (GET /projects/:id answers 200). GitLab answers
   * 404 Project Not Found both for a project that does not exist and for one the caller may not
   * read (lib/api/helpers.rb `find_project!`; docs.gitlab.com/api/rest/troubleshooting/#status-codes),
   * so false means "cannot see", never "does not exist".
   */
  visible(): Promise<boolean> {
    this.shown ??= this.askVisible();
    return this.shown;
  }

  private shown: Promise<boolean> | undefined;

  private async askVisible(): Promise<boolean> {
    try {
      const ctx = this.ctx(`read project ${this.project}`);
      expectShape(await gitlabCall(this.conn, ctx, () => this.api.Projects.show(gitlabId(this.project))), "project", ctx, this.conn.url);
      return true;
    } catch (err) {
      if (err instanceof CliError && err.code === "GITLAB_NOT_FOUND") return false;
      throw err;
    }
  }

  async releases(limitPages = 10): Promise<ReleaseInfo[]> {
    const id = gitlabId(this.project);
    const ctx = this.ctx(`list the releases of ${this.project}`);
    const answer = await gitlabCall(this.conn, ctx, () => this.api.ProjectReleases.all(id, { perPage: 100, maxPages: limitPages }));
    const list = expectShape<typeof answer>(answer, "releases", ctx, this.conn.url);
    return list.map((r) => {
      const info: ReleaseInfo = { tag: r.tag_name };
      if (r.name) info.name = r.name;
      if (r.released_at) info.releasedAt = r.released_at;
      const sha = (r.commit as { id?: unknown } | undefined)?.id;
      if (typeof sha === "string") info.commitSha = sha;
      if (r.upcoming_release) info.upcoming = true;
      return info;
    });
  }

  private async refExists(ref: string): Promise<boolean> {
    try {
      const ctx = this.ctx(`read commit ${ref}`);
      expectShape(await gitlabCall(this.conn, ctx, () => this.api.Commits.show(gitlabId(this.project), ref)), "commit", ctx, this.conn.url);
      return true;
    } catch (err) {
      if (err instanceof CliError && err.code === "GITLAB_NOT_FOUND") return false;
      throw err;
    }
  }

  /** Components and their input schemas at a tag (or any ref). */
  async contentsAt(ref: string): Promise<VersionContents> {
    const id = gitlabId(this.project);
    const tree = await gitlabCall(this.conn, this.ctx(`list templates/ at ${ref}`), async () => {
      try {
        return await this.api.Repositories.allRepositoryTrees(id, { path: "templates", ref, recursive: true, perPage: 100 });
      } catch (err) {
        // lib/api/repositories.rb answers 404 "Tree Not Found" when the ref does not exist, and
        // (newer versions) another 404 when the path does not exist at that ref: ask which.
        const f = failureOf(err);
        if (f?.status === 404) {
          if (await this.refExists(ref)) return [];
          // A ref is absent only from a project GitLab shows: else it is the project that is hidden.
          if (!(await this.visible())) throw err;
          throw new CliError({
            code: "GITLAB_REF_NOT_FOUND",
            message: `\`${ref}\` is not a tag, branch or commit of ${this.project}`,
            actual: f.description,
            fix: "run `harbor-ci versions` without --from/--to to list the published versions",
          });
        }
        throw err;
      }
    });
    const components = new Set<string>();
    const schemaPaths: Array<[string, string]> = [];
    expectShape(tree, "tree", this.ctx(`list templates/ at ${ref}`), this.conn.url);
    for (const entry of tree) {
      if (entry.type !== "blob") continue;
      let m = /^templates\/([\w-]+)\.yml$/.exec(entry.path);
      if (m) components.add(m[1]!);
      m = /^templates\/([\w-]+)\/template\.yml$/.exec(entry.path);
      if (m) components.add(m[1]!);
      m = /^templates\/([\w-]+)\/inputs\.schema\.json$/.exec(entry.path);
      if (m) schemaPaths.push([m[1]!, entry.path]);
    }
    const schemas: SchemaMap = {};
    for (const [component, path] of schemaPaths.sort()) {
      if (!components.has(component)) continue;
      schemas[component] = await this.readSchema(path, ref);
    }
    const names = [...components].sort();
    return { ref, components: names, schemas, withoutSchema: names.filter((c) => !(c in schemas)) };
  }

  private async readSchema(path: string, ref: string): Promise<ComponentSchema> {
    const id = gitlabId(this.project);
    const raw = await gitlabCall(this.conn, this.ctx(`read ${path} at ${ref}`), () => this.api.RepositoryFiles.showRaw(id, path, ref));
    // gitbeaker parses application/json bodies, returns text/* as a string and the rest as a Blob.
    let value: unknown = raw;
    if (typeof Blob !== "undefined" && raw instanceof Blob) value = await raw.text();
    if (typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch (err) {
        throw new CliError({
          code: "CATALOG_SCHEMA_INVALID",
          message: `${path} at ${ref} is not valid JSON (${(err as Error).message})`,
          fix: `regenerate the schemas (npm run generate) and publish a new version; ${ref} stays unreadable`,
        });
      }
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new CliError({
        code: "CATALOG_SCHEMA_INVALID",
        message: `${path} at ${ref} is not a JSON Schema object`,
        actual: typeof value,
        fix: "regenerate the schemas (npm run generate) and publish a new version",
      });
    }
    return value as ComponentSchema;
  }
}
