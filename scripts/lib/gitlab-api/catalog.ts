// Pure catalog logic for `harbor-ci versions`: semantic versions, input changes between two
// versions of the components, and which versions a pipeline pins.

import semver from "semver";
import { componentIncludes, parseComponentReference as splitReference } from "../ci/component-reference.ts";

// ---------------------------------------------------------------------------------------------
// Semantic versions (the catalog publishes only semver tags, gitlab-org/gitlab#427286; `~latest`
// is the newest of them, gitlab-org/gitlab#442238)

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  raw: string;
}

/** A tag's version by semver.org's rules (the `semver` package); a leading `v` is accepted. */
export function parseSemver(tag: string): SemVer | undefined {
  const v = semver.parse(tag.trim());
  if (!v) return undefined;
  return { major: v.major, minor: v.minor, patch: v.patch, prerelease: v.prerelease.map(String), raw: tag };
}

/** semver.org's precedence (build metadata ignored). */
export function compareSemver(a: SemVer, b: SemVer): number {
  return semver.compare(a.raw.trim(), b.raw.trim());
}

export interface ReleaseInfo {
  tag: string;
  name?: string;
  releasedAt?: string;
  commitSha?: string;
  upcoming?: boolean;
}

/** Releases newest first: semver ones by version, then the others by date. */
export function sortReleases(releases: readonly ReleaseInfo[]): ReleaseInfo[] {
  return [...releases].sort((a, b) => {
    const va = parseSemver(a.tag);
    const vb = parseSemver(b.tag);
    if (va && vb) return compareSemver(vb, va);
    if (va || vb) return va ? -1 : 1;
    return (b.releasedAt ?? "").localeCompare(a.releasedAt ?? "");
  });
}

/** The newest published, non-prerelease semver release. */
export function latestRelease(releases: readonly ReleaseInfo[]): ReleaseInfo | undefined {
  return sortReleases(releases.filter((r) => !r.upcoming && (parseSemver(r.tag)?.prerelease.length ?? 1) === 0))[0];
}

// ---------------------------------------------------------------------------------------------
// Input changes between two versions (over the published JSON Schemas, templates/<c>/inputs.schema.json)

export interface InputSchemaProperty {
  type?: string | string[];
  default?: unknown;
  description?: string;
  enum?: unknown[];
  pattern?: string;
}

export interface ComponentSchema {
  properties?: Record<string, InputSchemaProperty>;
  required?: string[];
}

export type SchemaMap = Record<string, ComponentSchema>;

export type InputField = "type" | "default" | "required" | "enum" | "pattern";

export interface FieldChange {
  field: InputField;
  from: unknown;
  to: unknown;
}

export interface InputChange {
  input: string;
  kind: "added" | "removed" | "changed";
  /** For added/removed: the input's definition; for changed: what changed. */
  definition?: { type?: string; default?: unknown; required: boolean };
  changes?: FieldChange[];
  /** Can break a pipeline that worked with the older version. */
  breaking: boolean;
}

export interface ComponentChange {
  component: string;
  status: "added" | "removed" | "changed" | "unchanged";
  inputs: InputChange[];
  breaking: boolean;
}

/** Stable JSON for comparing defaults (key order does not matter). */
function canonical(v: unknown): string {
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

function typeOf(p: InputSchemaProperty | undefined): string | undefined {
  if (!p) return undefined;
  if (Array.isArray(p.type)) return p.type.join("|");
  return p.type ?? "string";
}

function isRequired(schema: ComponentSchema, input: string): boolean {
  return (schema.required ?? []).includes(input);
}

function definition(schema: ComponentSchema, input: string): NonNullable<InputChange["definition"]> {
  const p = schema.properties?.[input] ?? {};
  const d: NonNullable<InputChange["definition"]> = { required: isRequired(schema, input) };
  const t = typeOf(p);
  if (t !== undefined) d.type = t;
  if ("default" in p) d.default = p.default;
  return d;
}

/** Pure: how the inputs of one component changed from `from` to `to`. */
export function diffComponentInputs(from: ComponentSchema, to: ComponentSchema): InputChange[] {
  const a = from.properties ?? {};
  const b = to.properties ?? {};
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: InputChange[] = [];
  for (const input of names) {
    const pa = a[input];
    const pb = b[input];
    if (!pa && pb) {
      const def = definition(to, input);
      out.push({ input, kind: "added", definition: def, breaking: def.required });
      continue;
    }
    if (pa && !pb) {
      out.push({ input, kind: "removed", definition: definition(from, input), breaking: true });
      continue;
    }
    const changes: FieldChange[] = [];
    let breaking = false;
    const ta = typeOf(pa);
    const tb = typeOf(pb);
    if (ta !== tb) {
      changes.push({ field: "type", from: ta, to: tb });
      breaking = true;
    }
    const ra = isRequired(from, input);
    const rb = isRequired(to, input);
    if (ra !== rb) {
      changes.push({ field: "required", from: ra, to: rb });
      if (rb) breaking = true;
    }
    if (canonical(pa!.default) !== canonical(pb!.default)) changes.push({ field: "default", from: pa!.default, to: pb!.default });
    if (canonical(pa!.enum) !== canonical(pb!.enum)) {
      changes.push({ field: "enum", from: pa!.enum, to: pb!.enum });
      // Narrowed (a value allowed before is not now) or newly restricted: may break callers.
      if (pb!.enum && (!pa!.enum || pa!.enum.some((v) => !pb!.enum!.some((w) => canonical(w) === canonical(v))))) breaking = true;
    }
    if ((pa!.pattern ?? "") !== (pb!.pattern ?? "")) {
      changes.push({ field: "pattern", from: pa!.pattern, to: pb!.pattern });
      if (pb!.pattern) breaking = true;
    }
    if (changes.length > 0) out.push({ input, kind: "changed", changes, breaking });
  }
  return out;
}

/** Pure: input changes per component between two `{component: schema}` maps. */
export function diffSchemaMaps(from: SchemaMap, to: SchemaMap): ComponentChange[] {
  const names = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return names.map((component) => {
    const a = from[component];
    const b = to[component];
    if (!a) {
      // A new component breaks nobody, whatever its required inputs.
      const inputs = diffComponentInputs({}, b!).map((i) => ({ ...i, breaking: false }));
      return { component, status: "added", inputs, breaking: false };
    }
    if (!b) return { component, status: "removed", inputs: diffComponentInputs(a, {}), breaking: true };
    const inputs = diffComponentInputs(a, b);
    return { component, status: inputs.length ? "changed" : "unchanged", inputs, breaking: inputs.some((i) => i.breaking) };
  });
}

const show = (v: unknown) => (v === undefined ? "(none)" : JSON.stringify(v));

export function formatInputChange(c: InputChange): string {
  const mark = c.breaking ? "  [breaking]" : "";
  if (c.kind === "added" || c.kind === "removed") {
    const d = c.definition!;
    const parts = [d.type ?? "string", d.required ? "required" : `default ${show(d.default)}`];
    return `${c.kind === "added" ? "+" : "-"} ${c.input} (${parts.join(", ")})${mark}`;
  }
  const what = c.changes!.map((ch) => (ch.field === "required" ? (ch.to ? "now required" : "now optional") : `${ch.field} ${show(ch.from)} -> ${show(ch.to)}`));
  return `~ ${c.input}: ${what.join("; ")}${mark}`;
}

// ---------------------------------------------------------------------------------------------
// Pinned versions in a pipeline: include: - component: <fqdn>/<project path>/<name>@<version>

export interface ComponentPin {
  /** The whole reference as written. */
  reference: string;
  host: string;
  projectPath: string;
  component: string;
  version: string;
  line: number;
}

/** Splits `<fqdn>/<group>/<project>/<name>@<version>`; undefined when it is not of that shape. */
export function parseComponentReference(ref: string): Omit<ComponentPin, "line"> | undefined {
  const r = splitReference(ref);
  if (!r || r.projectPath === "" || r.host === "") return undefined;
  if (r.projectPath.split("/").some((p) => p === "")) return undefined;
  return { reference: ref, host: r.host, projectPath: r.projectPath, component: r.name, version: r.version };
}

/** Every `include: component:` of a pipeline file, with its line (all YAML documents, so a `spec:` header is fine). */
export function findComponentPins(text: string): ComponentPin[] {
  return componentIncludes(text).flatMap(({ reference, line }) => {
    const parsed = parseComponentReference(reference);
    return parsed ? [{ ...parsed, line }] : [];
  });
}

export type PinStatus = "latest" | "behind" | "unknown-version" | "not-a-release" | "variable";

export interface PinReport extends ComponentPin {
  status: PinStatus;
  /** The release the pin resolves to, when it is one. */
  resolves?: string;
  latest?: string;
  detail: string;
}

function normalizePath(p: string): string {
  return p.replace(/^\/+|\/+$/g, "").toLowerCase();
}

/** Whether a pin points at the library (by path; `$CI_PROJECT_PATH` means the current project). */
export function pinMatchesProject(pin: ComponentPin, projectPath: string): boolean {
  return normalizePath(pin.projectPath) === normalizePath(projectPath) || /^\$\{?CI_PROJECT_PATH\}?$/.test(pin.projectPath);
}

/**
 * Pure: where each pin stands against the releases. `1` and `1.2` resolve like GitLab does, to the
 * newest release with that prefix; `~latest` is always the latest; a SHA matches a release's commit.
 */
export function analysePins(pins: readonly ComponentPin[], releases: readonly ReleaseInfo[]): PinReport[] {
  const latest = latestRelease(releases);
  const published = sortReleases(releases.filter((r) => !r.upcoming));
  const latestV = latest ? parseSemver(latest.tag) : undefined;
  return pins.map((pin): PinReport => {
    const base = { ...pin, ...(latest ? { latest: latest.tag } : {}) };
    const v = pin.version;
    if (/\$/.test(v)) return { ...base, status: "variable", detail: `version is a variable (${v}): resolved by GitLab at pipeline time` };
    if (v === "~latest") return { ...base, status: "latest", ...(latest ? { resolves: latest.tag } : {}), detail: "always the latest release" };
    if (!latest || !latestV) return { ...base, status: "unknown-version", detail: "the project has no semantic-version release" };
    // GitLab tries a commit SHA first, then a tag, then a branch.
    if (/^[0-9a-f]{7,40}$/i.test(v)) {
      const release = published.find((r) => r.commitSha && r.commitSha.toLowerCase().startsWith(v.toLowerCase()));
      if (release) {
        const rv = parseSemver(release.tag);
        const behind = rv ? compareSemver(rv, latestV) < 0 : true;
        return {
          ...base,
          resolves: release.tag,
          status: behind ? "behind" : "latest",
          detail: `commit of release ${release.tag}${behind ? `; latest is ${latest.tag}` : ""}`,
        };
      }
    }
    const partial = /^(\d+)(?:\.(\d+))?$/.exec(v);
    if (partial) {
      const major = +partial[1]!;
      const minor = partial[2] === undefined ? undefined : +partial[2];
      const match = published.find((r) => {
        const s = parseSemver(r.tag);
        return s && s.prerelease.length === 0 && s.major === major && (minor === undefined || s.minor === minor);
      });
      if (!match) return { ...base, status: "unknown-version", detail: `no release matches ${v}` };
      const behind = compareSemver(parseSemver(match.tag)!, latestV) < 0;
      return {
        ...base,
        resolves: match.tag,
        status: behind ? "behind" : "latest",
        detail: behind ? `resolves to ${match.tag}; latest is ${latest.tag}` : `resolves to ${match.tag}, the latest`,
      };
    }
    const sv = parseSemver(v);
    if (sv) {
      const exists = published.some((r) => r.tag === v || r.tag === `v${v}` || `v${r.tag}` === v);
      if (!exists) return { ...base, status: "unknown-version", detail: `${v} is not a published release` };
      const behind = compareSemver(sv, latestV) < 0;
      return { ...base, resolves: v, status: behind ? "behind" : "latest", detail: behind ? `latest is ${latest.tag}` : "the latest release" };
    }
    if (/^[0-9a-f]{7,40}$/i.test(v)) {
      return { ...base, status: "not-a-release", detail: "a commit that is not a release: pin a released version to get updates you can review" };
    }
    return { ...base, status: "not-a-release", detail: `\`${v}\` is a branch or tag without a release: pin a released version` };
  });
}
