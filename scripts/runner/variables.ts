// CI/CD variables the way GitLab and its runner produce them: predefined variables for a
// scenario, the Harbor integration's variables, `$VAR`/`${VAR}`/`$$` expansion (Go's os.Expand,
// as the runner does it), service network aliases and dotenv report parsing. Pure functions.

export interface Variable {
  key: string;
  value: string;
  /** Not expanded (`expand: false` in YAML, "Expand variable reference" unchecked in settings). */
  raw?: boolean;
  /** Passed to service containers (YAML and predefined ones are; settings/UI ones are not). */
  public?: boolean;
}

/** A `variables:` value as written in .gitlab-ci.yml. */
export type YamlVariableValue = string | number | boolean | { value?: string | number | boolean; expand?: boolean; description?: string; options?: unknown[] };

export function fromYaml(variables: Record<string, YamlVariableValue> | undefined): Variable[] {
  return Object.entries(variables ?? {}).map(([key, v]) => {
    if (typeof v === "object" && v !== null) return { key, value: String(v.value ?? ""), raw: v.expand === false, public: true };
    return { key, value: String(v), public: true };
  });
}

// ---------------------------------------------------------------------------------------------
// Expansion: a port of Go's os.Expand with the runner's lookup (the last variable with a key wins,
// `$$` gives `$`, positional/special names give ""). One pass: the value of a referenced variable
// is inserted as it is, not expanded again.

function isShellSpecial(c: string): boolean {
  return "*#$@!?-0123456789".includes(c);
}

function isAlphaNum(c: string): boolean {
  return /^[A-Za-z0-9_]$/.test(c);
}

function shellName(s: string): [name: string, width: number] {
  if (s[0] === "{") {
    if (s.length > 2 && isShellSpecial(s[1]!) && s[2] === "}") return [s.slice(1, 2), 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === "}") return i === 1 ? ["", 2] : [s.slice(1, i), i + 1];
    }
    return ["", 1];
  }
  if (isShellSpecial(s[0]!)) return [s.slice(0, 1), 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i]!)) i++;
  return [s.slice(0, i), i];
}

export function expandValue(value: string, lookup: (name: string) => string): string {
  let out = "";
  let i = 0;
  for (let j = 0; j < value.length; j++) {
    if (value[j] === "$" && j + 1 < value.length) {
      out += value.slice(i, j);
      const [name, width] = shellName(value.slice(j + 1));
      if (name === "" && width > 0) {
        // invalid syntax such as "${": eaten, as Go does
      } else if (name === "") {
        out += "$";
      } else {
        out += lookup(name);
      }
      j += width;
      i = j + 1;
    }
  }
  return out + value.slice(i);
}

export function lookupIn(variables: readonly Variable[]): (name: string) => string {
  return (name) => {
    if (name === "$") return "$";
    if ("*#@!?0123456789".includes(name) && name.length === 1) return "";
    for (let i = variables.length - 1; i >= 0; i--) if (variables[i]!.key === name) return variables[i]!.value;
    return "";
  };
}

/** The runner's `Expand()`: every non-raw value expanded once against the unexpanded list. */
export function expandAll(variables: readonly Variable[], source: readonly Variable[] = variables): Variable[] {
  const lookup = lookupIn(source);
  return variables.map((v) => (v.raw ? { ...v } : { ...v, value: expandValue(v.value, lookup) }));
}

/** Last value of each key (later definitions override earlier ones). */
export function toRecord(variables: readonly Variable[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of variables) out[v.key] = v.value;
  return out;
}

export function toEnvList(variables: readonly Variable[]): string[] {
  return Object.entries(toRecord(variables)).map(([k, v]) => `${k}=${v}`);
}

// ---------------------------------------------------------------------------------------------
// Predefined variables.

export interface Scenario {
  /** "group/subgroup/project" (default "harbor-ci/sample-app"). */
  projectPath?: string;
  /** Branch the pipeline runs for (default: the default branch). Ignored when `tag` is set. */
  branch?: string;
  /** Tag pipeline: CI_COMMIT_TAG is set and CI_COMMIT_BRANCH is not. */
  tag?: string;
  defaultBranch?: string;
  /** 40 hex digits (default: fixed test value). */
  sha?: string;
  pipelineSource?: string;
  pipelineIid?: number;
  pipelineId?: number;
  jobId?: number;
  stage?: string;
  serverUrl?: string;
  commitTimestamp?: string;
  commitMessage?: string;
  /** Merge request pipeline: sets CI_MERGE_REQUEST_* and no CI_COMMIT_BRANCH. */
  mergeRequest?: { iid: number; sourceBranch: string; targetBranch: string };
}

export const DEFAULT_SHA = "0123456789abcdef0123456789abcdef01234567";

/** GitLab's `Gitlab::Utils.slugify`: CI_COMMIT_REF_SLUG, CI_PROJECT_PATH_SLUG. */
export function slugify(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
}

export function predefinedVariables(scenario: Scenario, job: { name: string; stage?: string }): Variable[] {
  const projectPath = scenario.projectPath ?? "harbor-ci/sample-app";
  const namespace = projectPath.includes("/") ? projectPath.slice(0, projectPath.lastIndexOf("/")) : "";
  const projectName = projectPath.slice(projectPath.lastIndexOf("/") + 1);
  const serverUrl = (scenario.serverUrl ?? "https://gitlab.example.com").replace(/\/+$/, "");
  const server = new URL(serverUrl);
  const defaultBranch = scenario.defaultBranch ?? "main";
  const sha = scenario.sha ?? DEFAULT_SHA;
  const mr = scenario.mergeRequest;
  const ref = scenario.tag ?? mr?.sourceBranch ?? scenario.branch ?? defaultBranch;
  const pipelineId = scenario.pipelineId ?? 1000;
  const jobId = scenario.jobId ?? 5000;
  const projectUrl = `${serverUrl}/${projectPath}`;
  const vars: Record<string, string | undefined> = {
    CI: "true",
    GITLAB_CI: "true",
    CI_SERVER: "yes",
    CI_SERVER_URL: serverUrl,
    CI_SERVER_FQDN: server.host,
    CI_SERVER_HOST: server.hostname,
    CI_SERVER_PORT: server.port || (server.protocol === "https:" ? "443" : "80"),
    CI_SERVER_PROTOCOL: server.protocol.replace(":", ""),
    CI_SERVER_NAME: "GitLab",
    CI_API_V4_URL: `${serverUrl}/api/v4`,
    CI_PROJECT_PATH: projectPath,
    CI_PROJECT_PATH_SLUG: slugify(projectPath),
    CI_PROJECT_NAME: projectName,
    CI_PROJECT_TITLE: projectName,
    CI_PROJECT_NAMESPACE: namespace,
    CI_PROJECT_ROOT_NAMESPACE: namespace.split("/")[0] ?? "",
    CI_PROJECT_ID: "42",
    CI_PROJECT_URL: projectUrl,
    CI_PROJECT_VISIBILITY: "private",
    CI_BUILDS_DIR: "/builds",
    CI_PROJECT_DIR: `/builds/${projectPath}`,
    CI_DEFAULT_BRANCH: defaultBranch,
    CI_COMMIT_SHA: sha,
    CI_COMMIT_SHORT_SHA: sha.slice(0, 8),
    CI_COMMIT_BEFORE_SHA: "0000000000000000000000000000000000000000",
    CI_COMMIT_REF_NAME: ref,
    CI_COMMIT_REF_SLUG: slugify(ref),
    CI_COMMIT_REF_PROTECTED: ref === defaultBranch || scenario.tag !== undefined ? "true" : "false",
    CI_COMMIT_BRANCH: scenario.tag !== undefined || mr ? undefined : ref,
    CI_COMMIT_TAG: scenario.tag,
    CI_COMMIT_TIMESTAMP: scenario.commitTimestamp ?? "2025-01-02T03:04:05+00:00",
    CI_COMMIT_MESSAGE: scenario.commitMessage ?? "Test commit\n",
    CI_COMMIT_TITLE: (scenario.commitMessage ?? "Test commit").split("\n")[0],
    CI_COMMIT_AUTHOR: "Test User <test@example.com>",
    CI_PIPELINE_ID: String(pipelineId),
    CI_PIPELINE_IID: String(scenario.pipelineIid ?? 7),
    CI_PIPELINE_SOURCE: scenario.pipelineSource ?? (mr ? "merge_request_event" : "push"),
    CI_PIPELINE_URL: `${projectUrl}/-/pipelines/${pipelineId}`,
    CI_PIPELINE_CREATED_AT: "2025-01-02T03:04:06Z",
    CI_JOB_ID: String(jobId),
    CI_JOB_NAME: job.name,
    CI_JOB_NAME_SLUG: slugify(job.name),
    CI_JOB_STAGE: job.stage ?? scenario.stage ?? "test",
    CI_JOB_URL: `${projectUrl}/-/jobs/${jobId}`,
    CI_JOB_STARTED_AT: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    CI_JOB_TOKEN: "test-job-token",
    CI_NODE_TOTAL: "1",
    CI_CONCURRENT_ID: "0",
    CI_CONCURRENT_PROJECT_ID: "0",
    CI_RUNNER_ID: "1",
    CI_RUNNER_DESCRIPTION: "harbor-ci test harness",
    CI_RUNNER_TAGS: "[]",
    CI_RUNNER_EXECUTABLE_ARCH: "linux/amd64",
    CI_REPOSITORY_URL: `https://gitlab-ci-token:[MASKED]@${server.host}/${projectPath}.git`,
    GITLAB_USER_LOGIN: "test-user",
    GITLAB_USER_NAME: "Test User",
    GITLAB_USER_EMAIL: "test@example.com",
    GITLAB_USER_ID: "1",
    CI_MERGE_REQUEST_IID: mr ? String(mr.iid) : undefined,
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: mr?.sourceBranch,
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: mr?.targetBranch,
  };
  return (
    Object.entries(vars)
      .filter((e): e is [string, string] => e[1] !== undefined)
      // Predefined values are never expanded by the runner (a `$` in a commit message stays).
      .map(([key, value]) => ({ key, value, raw: true, public: true }))
  );
}

// ---------------------------------------------------------------------------------------------
// Harbor integration (app/models/integrations/harbor.rb, `ci_variables`).

export interface HarborIntegration {
  /** As entered in the integration form, e.g. "https://harbor.example.com:5443". */
  url: string;
  project: string;
  /** The robot's real name, e.g. "robot$my-project+ci". */
  username: string;
  password: string;
}

export function harborVariables(h: HarborIntegration): Variable[] {
  const u = new URL(h.url);
  // Ruby: URI.parse(url) with scheme 'oci'; to_s drops the port when it is the scheme's default.
  const defaultPort = u.protocol === "https:" ? "443" : u.protocol === "http:" ? "80" : "";
  const explicitPort = /^[a-z][a-z0-9+.-]*:\/\/[^/]*:(\d+)/i.exec(h.url)?.[1];
  const port = explicitPort && explicitPort !== defaultPort ? `:${explicitPort}` : "";
  const rest = h.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "");
  return [
    { key: "HARBOR_URL", value: h.url, public: true },
    { key: "HARBOR_HOST", value: u.hostname, public: true },
    { key: "HARBOR_OCI", value: `oci://${u.hostname}${port}${rest}`, public: true },
    { key: "HARBOR_PROJECT", value: h.project, public: true },
    // GitLab doubles the `$` so that the runner's expansion gives the real name back.
    { key: "HARBOR_USERNAME", value: h.username.replace(/^robot\$/, "robot$$$$"), public: true },
    { key: "HARBOR_PASSWORD", value: h.password, public: false },
  ];
}

// ---------------------------------------------------------------------------------------------
// Services.

/**
 * Host names under which the runner makes a service reachable: `tutum/wordpress:latest` →
 * `tutum__wordpress` and `tutum-wordpress` (registry port and tag/digest dropped), plus the
 * `alias` (comma- or space-separated list).
 */
export function serviceAliases(image: string, alias?: string): string[] {
  let name = image.split("@")[0]!;
  // Drop a registry port ("host:5000/x") before looking for the tag.
  name = name.replace(/^([^/]+):\d+\//, "$1/");
  const lastSlash = name.lastIndexOf("/");
  const colon = name.indexOf(":", lastSlash + 1);
  if (colon >= 0) name = name.slice(0, colon);
  const names = [name.replaceAll("/", "__"), name.replaceAll("/", "-")];
  for (const a of (alias ?? "").split(/[\s,]+/)) if (a) names.push(a);
  return [...new Set(names)];
}

// ---------------------------------------------------------------------------------------------
// dotenv reports (Ci::ParseDotenvArtifactService).

export class DotenvError extends Error {
  override name = "DotenvError";
}

export function parseDotenv(text: string, limits: { maxBytes?: number; maxVariables?: number } = {}): Record<string, string> {
  const maxBytes = limits.maxBytes ?? 5120;
  const maxVariables = limits.maxVariables ?? 20;
  if (Buffer.byteLength(text) >= maxBytes) throw new DotenvError(`Dotenv Artifact Too Big. Maximum Allowable Size: ${maxBytes}`);
  const out: Record<string, string> = {};
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  for (const line of lines) {
    const m = /^(.*?)=(.*)$/m.exec(line);
    if (!m) throw new DotenvError(`Invalid Format: ${JSON.stringify(line)}`);
    const key = m[1]!.trim();
    const value = m[2]!.trim();
    if (!/^[a-zA-Z0-9_]+$/.test(key)) throw new DotenvError(`Key can contain only letters, digits and '_': ${JSON.stringify(key)}`);
    out[key] = value;
  }
  if (Object.keys(out).length > maxVariables) throw new DotenvError(`Dotenv files cannot have more than ${maxVariables} variables`);
  return out;
}
