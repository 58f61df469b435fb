// pull-run after build-push, as in a pipeline: the build job's dotenv report (IMAGE_REF,
// repository@digest) reaches the next job, which pulls that exact manifest and runs it with the
// input command; the job ends with the container's exit code.
import { beforeAll, describe, expect, it } from "vitest";
import type { ImageTags } from "../../../scripts/runner/images.ts";
import type { RegistryFixture } from "../../../scripts/runner/registry.ts";
import { runJob } from "../../../scripts/runner/runner.ts";
import { componentJob, EXAMPLE_APP_DIR, logLines, uniqueName, useRegistry } from "./support.ts";

describe("pull-run: the image build-push pushed", () => {
  let images: ImageTags;
  let registry: RegistryFixture;
  let built: Record<string, string>;
  let repo: string;

  useRegistry((i, r) => {
    images = i;
    registry = r;
  });

  beforeAll(async () => {
    const imageName = uniqueName("smoke");
    repo = `${registry.project}/${imageName}`;
    const { name, job } = componentJob("build-push", { image_name: imageName, build_args: "APP_VERSION=$CI_COMMIT_SHORT_SHA" });
    const result = await runJob(job, { name, projectDir: EXAMPLE_APP_DIR, images, harbor: registry.integration(), registry, timeoutMs: 180_000 });
    expect(result.status, result.log).toBe("success");
    built = result.dotenv;
    expect(built.IMAGE_REF).toMatch(/@sha256:[0-9a-f]{64}$/);
  }, 240_000);

  it("pulls IMAGE_REF by digest and runs it with the command's arguments", async () => {
    const mark = await registry.mark();
    const { name, job } = componentJob("pull-run", { command: "--greet\nhello, world\n" });
    const result = await runJob(job, { name, images, harbor: registry.integration(), registry, dotenv: built, timeoutMs: 180_000 });
    expect(result.status, result.log).toBe("success");
    expect(result.exitCode).toBe(0);

    // The registry saw the manifest asked for by digest, never by tag.
    const manifestGets = (await registry.requests())
      .slice(mark)
      .filter((r) => r.method === "GET" && r.path.startsWith(`/v2/${repo}/manifests/`) && r.status === 200);
    expect(manifestGets.map((r) => r.path)).toEqual([`/v2/${repo}/manifests/${built.IMAGE_DIGEST}`]);

    const lines = logLines(result.log);
    // `app <APP_VERSION> (<n> dependencies)`: the build arg baked in by build-push.
    expect(lines).toContain("app 01234567 (2 dependencies)");
    expect(lines).toContain("arg[1]=--greet");
    expect(lines).toContain("Hello from examples/app");
    expect(lines).toContain("arg[2]=hello, world");
    expect(lines).toContain("The container exited with code 0");
  }, 240_000);

  it("fails the job with the container's exit code", async () => {
    const { name, job } = componentJob("pull-run", { command: "--exit\n3\n" });
    const result = await runJob(job, { name, images, harbor: registry.integration(), registry, dotenv: built, timeoutMs: 180_000 });
    expect(result.status).toBe("failed");
    expect(result.exitCode, result.log).toBe(3);
    const lines = logLines(result.log);
    expect(lines).toContain("arg[1]=--exit");
    expect(lines).toContain("arg[2]=3");
    expect(lines).toContain("ERROR: the container exited with code 3");
  }, 240_000);
});
