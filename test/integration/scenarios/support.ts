// Shared by the component scenarios (project issue 4): render a component into the job the
// harness runs, read images back through the registry's HTTP API (never the job's word), and
// look at the job log without GitLab's section markers.
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, inject } from "vitest";
import { renderComponent } from "../../../scripts/lib/ci/render.ts";
import { containerLogs } from "../../../scripts/runner/docker.ts";
import { ensureImages, type ImageTags } from "../../../scripts/runner/images.ts";
import { RegistryFixture, type RegistryRequest } from "../../../scripts/runner/registry.ts";
import type { JobDefinition } from "../../../scripts/runner/runner.ts";

/** The sample app of the docs: deps stage, APP_VERSION build arg, echoes its arguments, `--exit N`. */
export const EXAMPLE_APP_DIR = fileURLToPath(new URL("../../../examples/app", import.meta.url));

/** Projects used only by these scenarios, one folder per case. */
export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** The test images, built once by the global setup. */
export async function testImages(): Promise<ImageTags> {
  return inject("harborCiImages") ?? (await ensureImages());
}

/** Renders `component` as GitLab would include it and returns its one job. */
export function componentJob(component: string, inputs: Record<string, unknown>): { name: string; job: JobDefinition } {
  const body = renderComponent(component, inputs).body;
  const names = Object.keys(body);
  if (names.length !== 1) throw new Error(`${component}: expected one job, got ${names.join(", ")}`);
  return { name: names[0]!, job: body[names[0]!] as JobDefinition };
}

/** A repository name no other test of the run uses (a registry fixture is shared per file). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

/** The job log without ANSI codes and GitLab's `section_start:...`/`section_end:...` markers. */
export function plainLog(log: string): string {
  return log.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "").replace(/section_(?:start|end):\d+:[\w.-]+(?:\[[^\]]*\])?\r?/g, "");
}

export function logLines(log: string): string[] {
  return plainLog(log).split(/\r?\n/);
}

/** What a build left in the log: BuildKit's step lines or the section the component opens. */
export function buildRan(log: string): boolean {
  const text = plainLog(log);
  return /^#\d+ \[/m.test(text) || /^Building \S+$/m.test(text) || text.includes("docker build failed");
}

// ---------------------------------------------------------------------------------------------
// Images through the registry's HTTP API.

const MANIFEST_TYPES = ["application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"].join(", ");

export interface ImageConfig {
  architecture?: string;
  created?: string;
  config: { Env?: string[]; Labels?: Record<string, string>; Entrypoint?: string[]; Cmd?: string[] };
  history?: { created?: string; created_by?: string }[];
  rootfs: { diff_ids: string[] };
  [key: string]: unknown;
}

export interface RegistryImage {
  /** Digest of the manifest (what `repository@digest` names). */
  digest: string;
  configDigest: string;
  /** Digests of the (compressed) layer blobs, in order. */
  layers: string[];
  config: ImageConfig;
}

/** The manifest and image config of `repository:reference` as the registry serves them. */
export async function registryImage(registry: RegistryFixture, repository: string, reference: string): Promise<RegistryImage> {
  const m = await registry.http("GET", `/v2/${repository}/manifests/${reference}`, { headers: { Accept: MANIFEST_TYPES } });
  if (m.status !== 200) throw new Error(`GET /v2/${repository}/manifests/${reference}: HTTP ${m.status} ${m.body}`);
  const manifest = JSON.parse(m.body) as { config: { digest: string }; layers: { digest: string }[] };
  const blob = await registry.http("GET", `/v2/${repository}/blobs/${manifest.config.digest}`);
  if (blob.status !== 200) throw new Error(`GET /v2/${repository}/blobs/${manifest.config.digest}: HTTP ${blob.status}`);
  return {
    digest: String(m.headers["docker-content-digest"]),
    configDigest: manifest.config.digest,
    layers: manifest.layers.map((l) => l.digest),
    config: JSON.parse(blob.body) as ImageConfig,
  };
}

/** The image's tags in `repository`, without the registry cache's `buildcache-<branch>` tags. */
export async function imageTags(registry: RegistryFixture, repository: string): Promise<string[]> {
  return (await registry.tags(repository)).filter((t) => !t.startsWith("buildcache-"));
}

/** Digest of the blob a completed upload (PUT .../blobs/uploads/...?digest=...) stored. */
export function uploadedDigest(upload: RegistryRequest): string {
  const match = /[?&]digest=([^&]+)/.exec(upload.path);
  if (!match) throw new Error(`blob upload without a digest: ${upload.path}`);
  return decodeURIComponent(match[1]!);
}

/**
 * The registry container's whole log. `RegistryFixture.requests()` only lists requests that
 * reached a handler ("response completed"); a request refused by the auth layer (401) only shows
 * here, as `error authenticating user "<name>"` and an access-log line.
 */
export async function registryLog(registry: RegistryFixture): Promise<string> {
  return containerLogs(registry.containerId);
}

/** The registry's access-log lines (one per HTTP request, refused ones included) after `sinceChars` of its log. */
export async function registryAccessLog(registry: RegistryFixture, sinceChars = 0): Promise<string[]> {
  return (await registryLog(registry))
    .slice(sinceChars)
    .split("\n")
    .filter((l) => /"(?:GET|HEAD|POST|PUT|PATCH|DELETE) \/\S* HTTP\/[\d.]+" \d{3} /.test(l));
}

/** Every way a leaked secret could appear in a log: as is, percent-encoded, in base64 auth. */
export function secretForms(username: string, password: string): Record<string, string> {
  return {
    password,
    "percent-encoded password": encodeURIComponent(password),
    "base64 of user:password (docker's auth)": Buffer.from(`${username}:${password}`).toString("base64"),
    "base64 of the password": Buffer.from(password).toString("base64"),
  };
}

/** A robot secret with the `$` and `+` Harbor puts in them (the runner's expansion keeps them). */
export function robotSecret(prefix: string): string {
  return `${prefix}$+${randomBytes(6).toString("hex")}+Sec$`;
}

/** The marker-file check appended to a job's after_script: prints `FOUND:<path>` per marker. */
export const MARKER_CHECK = "find / -xdev -name 'pwned*' 2>/dev/null | sed 's|^|FOUND:|'; echo \"marker check done\"";

export function withMarkerCheck(job: JobDefinition): JobDefinition {
  const after = job.after_script === undefined ? [] : Array.isArray(job.after_script) ? job.after_script : [job.after_script];
  return { ...job, after_script: [...after, MARKER_CHECK] };
}

export function foundMarkers(log: string): string[] {
  return logLines(log).filter((l) => l.startsWith("FOUND:"));
}

/**
 * One registry for a test file: started (with the test images) before its tests, disposed after
 * them; `use` receives both once they are ready.
 */
export function useRegistry(use: (images: ImageTags, registry: RegistryFixture) => void): void {
  let started: RegistryFixture | undefined;
  beforeAll(async () => {
    const images = await testImages();
    started = await RegistryFixture.start({ images });
    use(images, started);
  }, 60_000);
  afterAll(async () => {
    await started?.dispose();
  });
}
