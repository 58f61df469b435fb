// build-push with `cache: inline` run again on an unchanged commit (a retried pipeline, a re-run
// job): every layer comes from the inline cache and none is uploaded again; the image's times are the commit's
// (SOURCE_DATE_EPOCH from CI_COMMIT_TIMESTAMP), so from the second rebuild on the image is
// byte-identical and nothing at all is uploaded.
//
// Why not from the FIRST rebuild: the image config also carries BuildKit's inline cache metadata
// (`moby.buildkit.cache.v0`). A build from scratch writes it as layer records stamped with the
// time each layer was made; a build whose layers all came from an imported cache writes it as
// imported chains without times. So the first rebuild has the same layers, `created`, history
// and labels, but a different config blob (a few KB) and digest; rebuilds of that one reproduce
// it exactly. The inline cache cannot avoid this; the registry cache (the default, see
// build-push-cache.test.ts) keeps the metadata out of the image config.
import { beforeAll, describe, expect, it } from "vitest";
import type { ImageTags } from "../../../scripts/runner/images.ts";
import type { RegistryFixture } from "../../../scripts/runner/registry.ts";
import { runJob, type JobResult } from "../../../scripts/runner/runner.ts";
import type { Scenario } from "../../../scripts/runner/variables.ts";
import { componentJob, EXAMPLE_APP_DIR, logLines, type RegistryImage, registryImage, uniqueName, uploadedDigest, useRegistry } from "./support.ts";

const COMMIT: Scenario = {
  branch: "main",
  sha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
  commitTimestamp: "2025-05-06T07:08:09Z",
};

describe("build-push: rebuilding an unchanged commit", () => {
  let images: ImageTags;
  let registry: RegistryFixture;
  const imageName = uniqueName("rebuild");
  let repo: string;
  let first: RegistryImage;
  let firstRebuild: RegistryImage | undefined;

  async function build(scenario: Scenario): Promise<{ result: JobResult; uploads: string[]; mounts: number; image: RegistryImage }> {
    const { name, job } = componentJob("build-push", { image_name: imageName, cache: "inline" });
    const mark = await registry.mark();
    const result = await runJob(job, { name, projectDir: EXAMPLE_APP_DIR, images, harbor: registry.integration(), registry, scenario, timeoutMs: 180_000 });
    expect(result.status, result.log).toBe("success");
    const uploads = (await registry.blobUploads(mark)).map(uploadedDigest);
    const mounts = (await registry.blobMounts(mark)).length;
    const image = await registryImage(registry, repo, scenario.sha!.slice(0, 8));
    return { result, uploads, mounts, image };
  }

  useRegistry((i, r) => {
    images = i;
    registry = r;
  });

  beforeAll(async () => {
    repo = `${registry.project}/${imageName}`;
    const initial = await build(COMMIT);
    expect(initial.uploads.length).toBeGreaterThan(initial.image.layers.length); // every layer + the config
    first = initial.image;
  }, 240_000);

  it("uploads no layer again: every step is cached, only the new image config is uploaded", async () => {
    const { result, uploads, mounts, image } = await build(COMMIT);
    const steps = logLines(result.log).filter((l) => /^#\d+ \[(?:[\w-]+ )?\d+\/\d+\] (?:RUN|COPY|WORKDIR)/.test(l));
    expect(steps.length).toBeGreaterThan(0);
    expect(logLines(result.log).filter((l) => /^#\d+ CACHED$/.test(l)).length).toBeGreaterThanOrEqual(steps.length);

    expect(image.layers).toEqual(first.layers);
    expect(uploads.filter((d) => image.layers.includes(d))).toEqual([]);
    expect(uploads).toEqual([image.configDigest]);
    expect(mounts).toBe(0);
    // Same content and the commit's times: only BuildKit's cache metadata differs (see the header).
    expect(image.config.rootfs).toEqual(first.config.rootfs);
    expect(image.config.created).toBe("2025-05-06T07:08:09Z");
    expect(image.config.created).toBe(first.config.created);
    expect(image.config.history).toEqual(first.config.history);
    expect(image.config.config).toEqual(first.config.config);
    firstRebuild = image;
  }, 240_000);

  it("pushes the same digest and uploads nothing at all from the second rebuild on", async () => {
    expect(firstRebuild, "needs the previous test's rebuild").toBeDefined();
    const { result, uploads, mounts, image } = await build(COMMIT);
    expect(image.digest).toBe(firstRebuild!.digest);
    expect(result.dotenv.IMAGE_DIGEST).toBe(firstRebuild!.digest);
    expect(uploads).toEqual([]);
    expect(mounts).toBe(0);
    expect(logLines(result.log).filter((l) => l.endsWith(": Pushed"))).toEqual([]);
    expect(await registry.tags(repo)).toEqual([COMMIT.sha!.slice(0, 8), "latest"].sort());
  }, 240_000);

  it("reuses every layer for a new commit with the same sources: the commit time does not bust the cache", async () => {
    const next: Scenario = { branch: "main", sha: "b2c3d4e5f60718293a4b5c6d7e8f901234567890", commitTimestamp: "2025-05-07T10:00:00+02:00" };
    const { uploads, image } = await build(next);
    expect(image.layers).toEqual(first.layers);
    expect(uploads).toEqual([image.configDigest]);
    expect(image.config.created).toBe("2025-05-07T08:00:00Z");
    expect(image.config.config.Labels?.["org.opencontainers.image.created"]).toBe("2025-05-07T08:00:00Z");
  }, 240_000);
});
