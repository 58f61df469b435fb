// build-push's registry cache (input cache: registry, the default) on real Docker-in-Docker
// daemons, each job on a FRESH daemon as on GitLab: a builder-pattern Dockerfile
// (examples/builder-app) keeps its builder stage's dependency step across jobs, a new branch
// starts from the default branch's cache, a refused cache write leaves a pushed image and a green
// job, a changed base image is never served stale layers, and two branches building at once keep
// their own caches. The stored cache is an OCI image manifest (what Harbor accepts), not the
// index of layers Harbor refuses (goharbor/harbor#14774): Distribution accepts both, so the form
// is asserted here.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execStream } from "../../../scripts/runner/docker.ts";
import type { ImageTags } from "../../../scripts/runner/images.ts";
import type { RegistryFixture } from "../../../scripts/runner/registry.ts";
import { runJob, type JobDefinition, type JobResult } from "../../../scripts/runner/runner.ts";
import type { Scenario } from "../../../scripts/runner/variables.ts";
import { componentJob, logLines, registryImage, uniqueName, uploadedDigest, useRegistry } from "./support.ts";

const BUILDER_APP = fileURLToPath(new URL("../../../examples/builder-app", import.meta.url));
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const CACHE_CONFIG = "application/vnd.buildkit.cacheconfig.v0";

/** A working copy of the builder-pattern app whose greeting line can be changed. */
function workingCopy(dirs: string[]): { dir: string; change(text: string): void } {
  const dir = mkdtempSync(join(tmpdir(), "hci-builder-app-"));
  dirs.push(dir);
  cpSync(BUILDER_APP, dir, { recursive: true });
  return {
    dir,
    change(text: string) {
      const file = join(dir, "src/app");
      writeFileSync(file, readFileSync(file, "utf8").replace(/^greeting=.*$/m, `greeting="${text}"`));
    },
  };
}

/** The build steps whose line matches (BuildKit may print a step's title twice), and whether each was CACHED. */
function steps(log: string, step: RegExp): { cached: boolean }[] {
  const lines = logLines(log);
  const vertices = new Set<string>();
  for (const l of lines) {
    const m = /^(#\d+) \[[^\]]+\] (.*)$/.exec(l);
    if (m && step.test(m[2]!)) vertices.add(m[1]!);
  }
  return [...vertices].map((v) => ({ cached: lines.includes(`${v} CACHED`) }));
}

const DEPS_STEP = /^RUN set -eu; mkdir -p deps;/;

/**
 * Whether the builder's dependency step ran: when it runs it prints `du -sh deps` (`#12 3.504 21M
 * deps`); a reused step prints nothing of its own. BuildKit's plain progress may print a reused
 * step that it then pulls lazily without a `#N CACHED` line, so "no output" is the sure sign.
 */
function depsStepRan(log: string): boolean {
  return logLines(log).some((l) => /^#\d+ \d+(\.\d+)? +\S+\s+deps$/.test(l));
}

/** Digest of the largest layer of a cache manifest: the dependency step's ~20 MB of random bytes. */
async function depsLayerDigest(registry: RegistryFixture, repository: string, tag: string): Promise<string> {
  const layers = (await cacheManifest(registry, repository, tag)).body.layers as { digest: string; size: number }[];
  return [...layers].sort((a, b) => b.size - a.size)[0]!.digest;
}
const BUILD_STEP = /^RUN set -eu; mkdir -p \/out\/bin;/;

/** The stored form of a cache tag, read with both OCI types accepted. */
async function cacheManifest(
  registry: RegistryFixture,
  repository: string,
  tag: string,
): Promise<{ status: number; digest: string; body: Record<string, unknown> }> {
  const res = await registry.http("GET", `/v2/${repository}/manifests/${tag}`, { headers: { Accept: [OCI_MANIFEST, OCI_INDEX].join(", ") } });
  return {
    status: res.status,
    digest: String(res.headers["docker-content-digest"] ?? ""),
    body: res.status === 200 ? (JSON.parse(res.body) as Record<string, unknown>) : {},
  };
}

describe("build-push: the registry cache", () => {
  let images: ImageTags;
  let registry: RegistryFixture;
  const dirs: string[] = [];

  useRegistry((i, r) => {
    images = i;
    registry = r;
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function build(imageName: string, projectDir: string, scenario: Scenario, inputs: Record<string, unknown> = {}): Promise<JobResult> {
    const { name, job } = componentJob("build-push", { image_name: imageName, ...inputs });
    return runJob(job, { name, projectDir, images, harbor: registry.integration(), registry, scenario, timeoutMs: 240_000 });
  }

  describe("builder pattern on the default branch, then a new branch", () => {
    const imageName = uniqueName("builder");
    let repo: string;
    let app: ReturnType<typeof workingCopy>;
    let cold: JobResult;
    let mainCacheDigest: string;

    beforeAll(async () => {
      repo = `${registry.project}/${imageName}`;
      app = workingCopy(dirs);
      cold = await build(imageName, app.dir, { branch: "main", sha: "1111111111111111111111111111111111111111" });
      expect(cold.status, cold.log).toBe("success");
    }, 300_000);

    it("says on a first build that there is no cache yet, with no ERROR line", () => {
      const lines = logLines(cold.log);
      expect(
        lines.filter((l) => /^(#\d+ )?ERROR/.test(l)),
        cold.log,
      ).toEqual([]);
      expect(
        lines.some((l) => / no cache at \S+:buildcache-main yet/.test(l)),
        cold.log,
      ).toBe(true);
      expect(steps(cold.log, DEPS_STEP)).toEqual([{ cached: false }]);
      expect(depsStepRan(cold.log), cold.log).toBe(true);
    });

    it("stores the cache as an OCI image manifest with BuildKit's cache config, not an index of layers", async () => {
      const m = await cacheManifest(registry, repo, "buildcache-main");
      expect(m.status).toBe(200);
      expect(m.body.mediaType).toBe(OCI_MANIFEST);
      expect(m.body.manifests).toBeUndefined();
      expect((m.body.config as { mediaType: string }).mediaType).toBe(CACHE_CONFIG);
      const layers = m.body.layers as { mediaType: string; size: number }[];
      // Every stage: the builder's dependency layer (~20 MB of random bytes) is in the cache
      // although the final image does not contain it.
      expect(Math.max(...layers.map((l) => l.size))).toBeGreaterThan(15_000_000);
      const image = await registryImage(registry, repo, "11111111");
      expect(image.layers.length).toBeLessThan(layers.length);
      mainCacheDigest = m.digest;
    });

    it("pushes the image tags only (one plain image manifest, no attestation index)", async () => {
      expect(await registry.tags(repo)).toEqual(["11111111", "buildcache-main", "latest"]);
      const res = await registry.http("GET", `/v2/${repo}/manifests/latest`, {
        headers: { Accept: [OCI_MANIFEST, OCI_INDEX, "application/vnd.docker.distribution.manifest.v2+json"].join(", ") },
      });
      expect(JSON.parse(res.body).manifests).toBeUndefined();
    });

    it("after a one-line source change, on a fresh daemon, the builder's dependency step is CACHED", async () => {
      const depsLayer = await depsLayerDigest(registry, repo, "buildcache-main");
      app.change("Hello after a one-line change");
      const r = await build(imageName, app.dir, { branch: "main", sha: "2222222222222222222222222222222222222222" });
      expect(r.status, r.log).toBe("success");
      // Not rerun: no output of its own, and the cache written again still holds the same random
      // bytes (a rerun would have made new ones).
      expect(depsStepRan(r.log), r.log).toBe(false);
      expect(await depsLayerDigest(registry, repo, "buildcache-main")).toBe(depsLayer);
      expect(steps(r.log, BUILD_STEP)).toEqual([{ cached: false }]);
      const before = await registryImage(registry, repo, "11111111");
      const after = await registryImage(registry, repo, "22222222");
      // Same base layer, a new artifact layer.
      expect(after.layers[0]).toBe(before.layers[0]);
      expect(after.layers.at(-1)).not.toBe(before.layers.at(-1));
    }, 300_000);

    it("with no change, on a fresh daemon, every step is CACHED and no layer is downloaded or uploaded", async () => {
      const mark = await registry.mark();
      const r = await build(imageName, app.dir, { branch: "main", sha: "2222222222222222222222222222222222222222" });
      expect(r.status, r.log).toBe("success");
      expect(depsStepRan(r.log), r.log).toBe(false);
      expect(steps(r.log, BUILD_STEP)).toEqual([{ cached: true }]);
      const image = await registryImage(registry, repo, "22222222");
      const uploaded = (await registry.blobUploads(mark)).map(uploadedDigest);
      expect(uploaded.filter((d) => image.layers.includes(d))).toEqual([]);
      // BuildKit pushes from its cache records: the image is not stored, so not downloaded, in
      // the fresh daemon (the base's layers included).
      const downloaded = (await registry.requests())
        .slice(mark)
        .filter((q) => q.method === "GET" && q.status === 200 && /\/blobs\/sha256:/.test(q.path))
        .map((q) => q.path.slice(q.path.lastIndexOf("/") + 1));
      // The log does see downloads: the cache's configuration blob was read.
      expect(downloaded.length).toBeGreaterThan(0);
      expect(downloaded.filter((d) => image.layers.includes(d))).toEqual([]);
      expect(r.dotenv.IMAGE_DIGEST).toBe(image.digest);
      mainCacheDigest = (await cacheManifest(registry, repo, "buildcache-main")).digest;
    }, 300_000);

    it("a new branch's first pipeline reuses the default branch's cache and writes its own", async () => {
      const r = await build(imageName, app.dir, { branch: "feature/login", sha: "3333333333333333333333333333333333333333" });
      expect(r.status, r.log).toBe("success");
      const lines = logLines(r.log);
      expect(
        lines.filter((l) => /^(#\d+ )?ERROR/.test(l)),
        r.log,
      ).toEqual([]);
      expect(
        lines.some((l) => /no cache at \S+:buildcache-feature-login-[0-9a-f]{8} yet/.test(l)),
        r.log,
      ).toBe(true);
      expect(depsStepRan(r.log), r.log).toBe(false);
      expect(steps(r.log, BUILD_STEP)).toEqual([{ cached: true }]);
      const tags = await registry.tags(repo);
      const branchTag = tags.find((t) => t.startsWith("buildcache-feature-login-"));
      expect(branchTag, tags.join(" ")).toBeDefined();
      expect((await cacheManifest(registry, repo, branchTag!)).body.mediaType).toBe(OCI_MANIFEST);
      // The default branch's cache is read, never written, by another branch.
      expect((await cacheManifest(registry, repo, "buildcache-main")).digest).toBe(mainCacheDigest);
    }, 300_000);
  });

  it("a cache write the registry refuses leaves a pushed image and a green job with a warning", async () => {
    const imageName = uniqueName("refused");
    const cacheRepository = `${imageName}-cache`;
    // The registry cannot store anything under the cache's repository: a file stands where its
    // directory would be, so every write there fails (HTTP 500), as a full disk or a quota would.
    const exec = await execStream(registry.containerId, {
      cmd: [
        "sh",
        "-c",
        `mkdir -p /var/lib/registry/docker/registry/v2/repositories/${registry.project} && touch /var/lib/registry/docker/registry/v2/repositories/${registry.project}/${cacheRepository}`,
      ],
    });
    expect(exec.exitCode).toBe(0);
    const app = workingCopy(dirs);
    const r = await build(imageName, app.dir, { branch: "main", sha: "4444444444444444444444444444444444444444" }, { cache_repository: cacheRepository });
    expect(r.status, r.log).toBe("success");
    const lines = logLines(r.log);
    expect(
      lines.some((l) =>
        l.startsWith(
          `WARNING: the layer cache was not written to ${registry.hostname}:${registry.port}/${registry.project}/${cacheRepository}:buildcache-main`,
        ),
      ),
      r.log,
    ).toBe(true);
    expect(
      lines.filter((l) => /^(#\d+ )?ERROR/.test(l)),
      r.log,
    ).toEqual([]);
    expect(await registry.tags(`${registry.project}/${imageName}`)).toEqual(["44444444", "latest"]);
    expect(r.dotenv.IMAGE_DIGEST).toMatch(/^sha256:/);
  }, 300_000);

  it("never reuses layers built on an old base when the FROM image changes", async () => {
    const imageName = uniqueName("rebase");
    const repo = `${registry.project}/${imageName}`;
    const baseRef = `${registry.hostname}:${registry.port}/${registry.project}/${uniqueName("base")}:stable`;
    // Publishes the base as a real registry would: v1 is Debian, v2 Debian plus a file.
    async function publishBase(version: string): Promise<void> {
      const seed: JobDefinition = {
        image: "docker:27",
        services: ["docker:27-dind"],
        variables: { BASE_REF: baseRef, VERSION: version },
        script: [
          'printf "%s" "$HARBOR_PASSWORD" | docker login "$HARBOR_URL" -u "$HARBOR_USERNAME" --password-stdin',
          'printf "FROM debian:trixie-slim\\nRUN echo %s >/base-version\\n" "$VERSION" | docker build -q -t "$BASE_REF" -',
          'docker push -q "$BASE_REF"',
        ],
      };
      const r = await runJob(seed, { name: "publish-base", images, harbor: registry.integration(), registry });
      expect(r.status, r.log).toBe("success");
    }
    const app = workingCopy(dirs);
    const inputs = { build_args: `BASE=${baseRef}\n` };
    await publishBase("v1");
    const first = await build(imageName, app.dir, { branch: "main", sha: "5555555555555555555555555555555555555555" }, inputs);
    expect(first.status, first.log).toBe("success");
    await publishBase("v2");
    const rebuilt = await build(imageName, app.dir, { branch: "main", sha: "6666666666666666666666666666666666666666" }, inputs);
    expect(rebuilt.status, rebuilt.log).toBe("success");
    // Same sources, new base: every step after FROM runs again.
    expect(steps(rebuilt.log, DEPS_STEP)).toEqual([{ cached: false }]);
    expect(depsStepRan(rebuilt.log), rebuilt.log).toBe(true);
    expect(steps(rebuilt.log, BUILD_STEP)).toEqual([{ cached: false }]);
    const newBase = await registryImage(registry, baseRef.slice(`${registry.hostname}:${registry.port}/`.length).split(":")[0]!, "stable");
    const image = await registryImage(registry, repo, "66666666");
    expect(image.layers.slice(0, newBase.layers.length)).toEqual(newBase.layers);
    expect(image.layers).not.toEqual((await registryImage(registry, repo, "55555555")).layers);
  }, 400_000);

  it("two branches building at once keep their own caches", async () => {
    const imageName = uniqueName("branches");
    const repo = `${registry.project}/${imageName}`;
    const a = workingCopy(dirs);
    const b = workingCopy(dirs);
    a.change("branch a");
    b.change("branch b");
    const scenarioA: Scenario = { branch: "team-a", sha: "7777777777777777777777777777777777777777" };
    const scenarioB: Scenario = { branch: "team-b", sha: "8888888888888888888888888888888888888888" };
    const [ra, rb] = await Promise.all([build(imageName, a.dir, scenarioA), build(imageName, b.dir, scenarioB)]);
    expect(ra.status, ra.log).toBe("success");
    expect(rb.status, rb.log).toBe("success");
    const tags = await registry.tags(repo);
    expect(tags).toEqual(expect.arrayContaining(["buildcache-team-a", "buildcache-team-b"]));
    for (const t of ["buildcache-team-a", "buildcache-team-b"]) expect((await cacheManifest(registry, repo, t)).body.mediaType).toBe(OCI_MANIFEST);
    // Each branch's next pipeline (fresh daemons again) finds ITS sources' steps in its cache.
    const [again_a, again_b] = await Promise.all([
      build(imageName, a.dir, { ...scenarioA, sha: "9999999999999999999999999999999999999999" }),
      build(imageName, b.dir, { ...scenarioB, sha: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }),
    ]);
    for (const r of [again_a, again_b]) {
      expect(r.status, r.log).toBe("success");
      expect(depsStepRan(r.log), r.log).toBe(false);
      expect(steps(r.log, BUILD_STEP)).toEqual([{ cached: true }]);
    }
    expect((await registryImage(registry, repo, "99999999")).layers).toEqual((await registryImage(registry, repo, "77777777")).layers);
    expect((await registryImage(registry, repo, "aaaaaaaa")).layers).toEqual((await registryImage(registry, repo, "88888888")).layers);
  }, 600_000);
});
