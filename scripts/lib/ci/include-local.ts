// `include: local:` resolved the way GitLab resolves it, on the working tree instead of a commit
// (gitlab-org/gitlab, lib/gitlab/ci/config/external/):
//   - mapper/normalizer.rb: a string include is `remote:` when it is a URL, `local:` otherwise;
//   - file/local.rb: the leading slashes are removed (`Gitlab::Utils.remove_leading_slashes`),
//     the path is looked up in the repository at the pipeline's commit (`blobs_at`), so it is
//     always relative to the project root and can never leave the repository; anything that is
//     not a file there (a directory, a path outside) "does not exist";
//   - file/base.rb: messages "Included file `x` needs to be a string", "... does not have YAML
//     extension!", "Local file `x` does not exist!", "Local file `x` is empty!";
//   - mapper/location_expander.rb + app/models/repository.rb `search_files_by_wildcard_path`:
//     `**` matches anything, `*` anything but `/`, the pattern anchored on the whole path, the
//     location used as written (a leading `/` is not removed before matching);
//   - mapper/verifier.rb: "Maximum of #{max_includes} nested includes are allowed!" with
//     `ci_max_includes` = 150 by default (application settings); every included file counts, and
//     the same file may be included again, so a loop ends at that limit.

import { type Dirent, readdirSync, realpathSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { compileRe2, type Re2 } from "./re2.ts";

/** GitLab's default `ci_max_includes` (GitLab 16.0 and later; the constant was 150 before). */
export const MAX_INCLUDES = 150;

/** Entries walked when expanding a wildcard; a repository larger than this is not expanded. */
export const MAX_WALKED_ENTRIES = 50_000;

const YAML_EXTENSION = /.+\.(yml|yaml)$/i;

export const includeMessages = {
  notAString: (shown: string) => `Included file \`${shown}\` needs to be a string`,
  noYamlExtension: (location: string) => `Included file \`${location}\` does not have YAML extension!`,
  doesNotExist: (location: string) => `Local file \`${location}\` does not exist!`,
  empty: (location: string) => `Local file \`${location}\` is empty!`,
  invalidYaml: (location: string) => `Included file \`${location}\` does not have valid YAML syntax!`,
  tooMany: (max = MAX_INCLUDES) => `Maximum of ${max} nested includes are allowed!`,
};

/** Ruby's `to_s` of a YAML value, as GitLab interpolates a location into its messages. */
export function rubyShown(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === "string" ? JSON.stringify(v) : rubyShown(v))).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}=>${typeof v === "string" ? JSON.stringify(v) : rubyShown(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

/** Normalizer: a string include is remote when it is an http(s) URL (Gitlab::UrlSanitizer.valid?). */
export function isRemoteLocation(location: string): boolean {
  return /^https?:\/\/[^\s/]+/i.test(location);
}

export function hasYamlExtension(location: string): boolean {
  const base = location.split("/").pop() ?? "";
  return YAML_EXTENSION.test(base);
}

export type LocalResolution = { ok: true; abs: string; location: string } | { ok: false; reason: "outside" | "missing"; location: string };

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

/**
 * A local include's file in the working tree at `projectDir`. A path that leaves the repository
 * (`..`, an absolute path after the slashes are removed cannot be, a symlink pointing out) is
 * refused; GitLab could never read it from the repository either.
 */
export function resolveLocal(projectDir: string, raw: string): LocalResolution {
  const location = raw.replace(/^\/+/, "");
  const segments = location.split("/");
  if (segments.includes("..") || location.includes("\0")) return { ok: false, reason: "outside", location };
  // GitLab reads the blob at this exact path from the commit's tree (file/local.rb fetch_local_content:
  // repository.blob_data_at(sha, location)); git tree paths are never normalised, so `ci/./job.yml`
  // and `ci//job.yml` name no blob, where the file system would find one.
  if (segments.some((s) => s === "." || s === "")) return { ok: false, reason: "missing", location };
  const root = realpathSync(projectDir);
  const candidate = join(root, location);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return { ok: false, reason: "missing", location };
  }
  if (!inside(root, real)) return { ok: false, reason: "outside", location };
  return { ok: true, abs: real, location };
}

/**
 * GitLab's wildcard as an anchored pattern (repository.rb search_files_by_wildcard_path), run by
 * RE2 as GitLab runs it: linear in the path's length whatever the pattern, so
 * `*a*a*a*a*a*a*a*a*.yml` against a long name cannot backtrack for minutes as a JS RegExp did.
 */
export function wildcardRegExp(pattern: string): Re2 {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => `\\${c}`);
  const re = escaped
    .replace(/\\\*\\\*/g, "\u0000")
    .replace(/\\\*/g, "[^/]*")
    .replace(/\u0000/g, "(?s:.*)");
  const compiled = compileRe2(`^${re}$`);
  // Every character is escaped but `*`: the pattern always compiles; if not, it matches nothing.
  return compiled instanceof Error ? { test: () => false } : compiled;
}

/** Repository-relative paths (posix) of the files under `projectDir`, `.git` excluded, bounded. */
export function listProjectFiles(projectDir: string, max = MAX_WALKED_ENTRIES): { files: string[]; truncated: boolean } {
  const files: string[] = [];
  let walked = 0;
  const stack: string[] = [""];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(join(projectDir, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (++walked > max) return { files: files.sort(), truncated: true };
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== ".git") stack.push(rel);
      } else if (e.isFile() || e.isSymbolicLink()) files.push(rel);
    }
  }
  return { files: files.sort(), truncated: false };
}

/** The files a wildcard local include expands to, as GitLab would list them. */
export function expandWildcard(projectDir: string, pattern: string): { paths: string[]; truncated: boolean } {
  const re = wildcardRegExp(pattern);
  const { files, truncated } = listProjectFiles(projectDir);
  return { paths: files.filter((f) => re.test(f)), truncated };
}
