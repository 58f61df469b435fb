// The documented shape of each GitLab answer harbor-ci believes, checked before it is used:
//   integration (lib/api/entities/project_integration.rb): {active: boolean, properties: {...}}
//   CI lint (lib/api/entities/ci/lint/result.rb): {valid: boolean, errors: [], warnings: []}
//   releases (lib/api/entities/release.rb): [{tag_name: string, ...}]
//   repository tree (lib/api/entities/tree_object.rb): [{type, path}]
//   project (lib/api/entities/project.rb): {id, path_with_namespace}
// A JSON answer of another shape (another service, an API gateway's own JSON) is reported as
// GITLAB_UNEXPECTED_RESPONSE, never read as "inactive", "invalid" or "no releases".

import { firstBytes } from "../http/bounded.ts";
import { unexpectedGitlabAnswer, type GitlabContext } from "./client.ts";

type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export const SHAPES = {
  integration: {
    expected: "GitLab's integration entity {active: boolean, properties: {...}}",
    check: ((v) => isObject(v) && typeof v.active === "boolean" && (v.properties === undefined || isObject(v.properties))) as Check,
  },
  lint: {
    expected: "GitLab's CI lint result {valid: boolean, errors: [...], warnings: [...]}",
    check: ((v) =>
      isObject(v) &&
      typeof v.valid === "boolean" &&
      (v.errors === undefined || Array.isArray(v.errors)) &&
      (v.warnings === undefined || Array.isArray(v.warnings))) as Check,
  },
  releases: {
    expected: "a JSON list of GitLab releases [{tag_name: string, name, released_at: string or null, commit: {id}, upcoming_release: boolean}]",
    // Every field releases.ts reads, with its type (GitLab's Entities::Release).
    check: ((v) =>
      Array.isArray(v) &&
      v.every(
        (r) =>
          isObject(r) &&
          typeof r.tag_name === "string" &&
          optional(r.name, "string") &&
          optional(r.released_at, "string") &&
          optional(r.upcoming_release, "boolean") &&
          (r.commit === undefined || r.commit === null || (isObject(r.commit) && optional(r.commit.id, "string"))),
      )) as Check,
  },
  tree: {
    expected: "a JSON list of repository tree entries [{type, path}]",
    check: ((v) => Array.isArray(v) && v.every((e) => isObject(e) && typeof e.type === "string" && typeof e.path === "string")) as Check,
  },
  project: {
    expected: "GitLab's project entity {id, path_with_namespace}",
    check: ((v) => isObject(v) && typeof v.path_with_namespace === "string") as Check,
  },
  commit: {
    expected: "GitLab's commit entity {id, ...}",
    check: ((v) => isObject(v) && typeof v.id === "string") as Check,
  },
} as const;

/** Absent, null, or of the given type. */
function optional(v: unknown, type: "string" | "boolean"): boolean {
  return v === undefined || v === null || typeof v === type;
}

/** Returns `value` when it has the documented shape; otherwise GITLAB_UNEXPECTED_RESPONSE. */
export function expectShape<T>(value: unknown, shape: keyof typeof SHAPES, ctx: GitlabContext, gitlabUrl: string): T {
  const s = SHAPES[shape];
  if (s.check(value)) return value as T;
  let shown: string;
  try {
    shown = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    shown = String(value);
  }
  throw unexpectedGitlabAnswer(
    ctx,
    gitlabUrl,
    s.expected,
    firstBytes(shown),
    "another service or an API gateway answering in GitLab's place, or a GitLab version this tool does not support",
  );
}
