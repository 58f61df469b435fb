// The registry goes down during the build and comes back a few seconds after the first push
// attempt failed: build-push retries (input push_retries) and succeeds, every tag on one digest.
import { describe, expect, it } from "vitest";
import { sleep } from "../../../scripts/runner/docker.ts";
import type { ImageTags } from "../../../scripts/runner/images.ts";
import type { RegistryFixture } from "../../../scripts/runner/registry.ts";
import { runJob } from "../../../scripts/runner/runner.ts";
import { componentJob, fixtureDir, logLines, uniqueName, useRegistry, imageTags } from "./support.ts";

const SHORT_SHA = "01234567"; // the harness's default commit

describe("build-push: the registry is down when the push starts", () => {
  let images: ImageTags;
  let registry: RegistryFixture;

  useRegistry((i, r) => {
    images = i;
    registry = r;
  });

  it("retries the push until the registry is back, and all tags end on one digest", async () => {
    const imageName = uniqueName("outage");
    const repo = `${registry.project}/${imageName}`;
    const ref = `${registry.hostname}:${registry.port}/${repo}`;
    const { name, job } = componentJob("build-push", { image_name: imageName });

    // Down while the fixture's `RUN sleep 4` runs (login and cache import are done by then);
    // back 5 s after going down, and not before the first push attempt has failed.
    let log = "";
    let outage: Promise<void> | undefined;
    const events: Record<string, number> = {};
    const t0 = Date.now();
    let firstFailure!: () => void;
    const failed = new Promise<void>((resolve) => (firstFailure = resolve));
    const onLog = (chunk: string): void => {
      log += chunk;
      if (!outage && /^#\d+ \[\d+\/\d+\] RUN sleep 4/m.test(log)) {
        outage = (async () => {
          await registry.stop();
          events.stopped = Date.now() - t0;
          await Promise.all([sleep(5_000), failed]);
          await registry.start();
          events.started = Date.now() - t0;
        })();
      }
      if (log.includes(`WARNING: push of ${ref}:`)) firstFailure();
    };
    const result = await runJob(job, {
      name,
      projectDir: fixtureDir("slow-build"),
      images,
      harbor: registry.integration(),
      registry,
      onLog,
      timeoutMs: 180_000,
    });
    firstFailure(); // never leave the outage waiting
    await outage;
    expect(outage, "the build step that triggers the outage was not seen in the log").toBeDefined();
    const retries = logLines(result.log).filter((l) => l.startsWith("WARNING: push of"));
    process.stderr.write(`[registry-outage] registry stopped at ${events.stopped} ms, back at ${events.started} ms\n${retries.join("\n")}\n`);

    expect(result.status, result.log).toBe("success");
    const lines = logLines(result.log);
    expect(
      lines.some((l) => l.startsWith(`WARNING: push of ${ref}:${SHORT_SHA} failed (attempt 1 of 4)`)),
      result.log,
    ).toBe(true);
    expect(lines.some((l) => l.startsWith(`All tags point to ${result.dotenv.IMAGE_DIGEST}`))).toBe(true);

    // The registry's view once it is back: both tags, one digest, the one handed on.
    expect(await imageTags(registry, repo)).toEqual([SHORT_SHA, "latest"].sort());
    const bySha = await registry.manifest(repo, SHORT_SHA);
    expect((await registry.manifest(repo, "latest"))?.digest).toBe(bySha?.digest);
    expect(result.dotenv.IMAGE_DIGEST).toBe(bySha?.digest);
  }, 240_000);
});
