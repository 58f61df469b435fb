// build-push on the default branch, another branch and a tag pipeline: which tags the registry
// ends up with, that they name one manifest, and that the dotenv report hands that digest on.
import { describe, expect, it } from "vitest";
import type { ImageTags } from "../../../scripts/runner/images.ts";
import type { RegistryFixture } from "../../../scripts/runner/registry.ts";
import { runJob } from "../../../scripts/runner/runner.ts";
import type { Scenario } from "../../../scripts/runner/variables.ts";
import { componentJob, EXAMPLE_APP_DIR, registryImage, uniqueName, useRegistry, imageTags } from "./support.ts";

const SHA = "3f2a9c1e5b7d4f6a8c0e2b4d6f8a0c2e4b6d8f0a";
const SHORT_SHA = SHA.slice(0, 8);
// GitLab gives the committer's offset; the image says UTC.
const COMMIT_TIMESTAMP = "2025-03-04T05:06:07+02:00";
const CREATED = "2025-03-04T03:06:07Z";

describe("build-push: tags and the dotenv report", () => {
  let images: ImageTags;
  let registry: RegistryFixture;

  useRegistry((i, r) => {
    images = i;
    registry = r;
  });

  async function buildPush(imageName: string, scenario: Scenario) {
    const { name, job } = componentJob("build-push", { image_name: imageName });
    return runJob(job, {
      name,
      projectDir: EXAMPLE_APP_DIR,
      images,
      harbor: registry.integration(),
      registry,
      scenario: { sha: SHA, commitTimestamp: COMMIT_TIMESTAMP, ...scenario },
      timeoutMs: 180_000,
    });
  }

  it("pushes the SHA tag and latest with one digest on the default branch, and hands that digest on", async () => {
    const imageName = uniqueName("default-branch");
    const repo = `${registry.project}/${imageName}`;
    const result = await buildPush(imageName, { branch: "main", defaultBranch: "main" });
    expect(result.status, result.log).toBe("success");

    expect(await imageTags(registry, repo)).toEqual([SHORT_SHA, "latest"].sort());
    const bySha = await registry.manifest(repo, SHORT_SHA);
    const latest = await registry.manifest(repo, "latest");
    expect(bySha?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(latest?.digest).toBe(bySha?.digest);

    const host = `${registry.hostname}:${registry.port}`;
    expect(result.dotenv).toEqual({
      IMAGE: `${host}/${repo}`,
      IMAGE_TAG: SHORT_SHA,
      IMAGE_DIGEST: bySha!.digest,
      IMAGE_REF: `${host}/${repo}@${bySha!.digest}`,
    });
    // The reference resolves in the registry: the exact manifest, not a tag.
    expect((await registry.manifest(repo, bySha!.digest))?.digest).toBe(bySha!.digest);

    // The image carries the OCI labels, its times are the commit's (not the build's).
    const image = await registryImage(registry, repo, bySha!.digest);
    expect(image.config.config.Labels).toMatchObject({
      "org.opencontainers.image.revision": SHA,
      "org.opencontainers.image.source": "https://gitlab.example.com/harbor-ci/sample-app",
      "org.opencontainers.image.version": SHORT_SHA,
      "org.opencontainers.image.title": imageName,
      "org.opencontainers.image.created": CREATED,
    });
    expect(image.config.created).toBe(CREATED);
  }, 240_000);

  it("pushes no latest on another branch", async () => {
    const imageName = uniqueName("feature-branch");
    const repo = `${registry.project}/${imageName}`;
    const result = await buildPush(imageName, { branch: "feature/login", defaultBranch: "main" });
    expect(result.status, result.log).toBe("success");

    expect(await imageTags(registry, repo)).toEqual([SHORT_SHA]);
    expect(await registry.manifest(repo, "latest")).toBeUndefined();
    expect(result.dotenv.IMAGE_DIGEST).toBe((await registry.manifest(repo, SHORT_SHA))?.digest);
    expect(result.log).toContain("Not tagging latest: this pipeline is not for the default branch main");
  }, 240_000);

  it("pushes the git tag on a tag pipeline, on the same digest as the SHA tag, and no latest", async () => {
    const imageName = uniqueName("tag-pipeline");
    const repo = `${registry.project}/${imageName}`;
    const result = await buildPush(imageName, { tag: "v1.2.0", defaultBranch: "main" });
    expect(result.status, result.log).toBe("success");

    expect(await imageTags(registry, repo)).toEqual([SHORT_SHA, "v1.2.0"].sort());
    const bySha = await registry.manifest(repo, SHORT_SHA);
    expect((await registry.manifest(repo, "v1.2.0"))?.digest).toBe(bySha?.digest);
    expect(result.dotenv.IMAGE_DIGEST).toBe(bySha?.digest);
    const image = await registryImage(registry, repo, "v1.2.0");
    expect(image.config.config.Labels?.["org.opencontainers.image.version"]).toBe("v1.2.0");
  }, 240_000);
});
