// The Docker daemon never answers: build-push stops after its bounded wait (input
// daemon_timeout) with exit code 3 and a message that names the address, the limit, the last
// error and what to check, instead of hanging until the job's timeout.
import { beforeAll, describe, expect, it } from "vitest";
import type { ImageTags } from "../../../scripts/runner/images.ts";
import { runJob } from "../../../scripts/runner/runner.ts";
import { buildRan, componentJob, EXAMPLE_APP_DIR, plainLog, testImages } from "./support.ts";

describe("build-push: a Docker daemon that never comes up", () => {
  let images: ImageTags;

  beforeAll(async () => {
    images = await testImages();
  }, 60_000);

  it("fails with exit code 3 after daemon_timeout, saying what it waited for and what to check", async () => {
    // The dind service runs, but the job is pointed at a port where nothing listens: from the
    // job's side, exactly a daemon that never starts (connection refused until the deadline).
    const { name, job } = componentJob("build-push", { image_name: "never-built", docker_host: "tcp://docker:2399", daemon_timeout: 5 });
    const result = await runJob(job, {
      name,
      projectDir: EXAMPLE_APP_DIR,
      images,
      // No registry is needed: the job must stop before the login.
      harbor: { url: "https://harbor.test:5443", project: "harbor-ci", username: "robot$harbor-ci+ci", password: "unused-secret" },
      timeoutMs: 120_000,
    });

    expect(result.status).toBe("failed");
    expect(result.exitCode, result.log).toBe(3);
    const log = plainLog(result.log);
    expect(log).toContain("Docker daemon: tcp://docker:2399 (input docker_host; TLS: yes)");
    // One ERROR line with the limit, the daemon's last answer and what to check.
    const error = log.split("\n").find((l) => l.startsWith("ERROR: the Docker daemon"));
    expect(error).toMatch(
      /^ERROR: the Docker daemon at tcp:\/\/docker:2399 did not become ready within 5s\. Last error: Cannot connect to the Docker daemon at tcp:\/\/docker:2399\./,
    );
    expect(error).toContain("raise the input daemon_timeout, or set the input docker_host");
    expect(log).not.toContain("Logging in to");
    expect(buildRan(result.log)).toBe(false);
    // Bounded: the script gave up after about daemon_timeout (5 s), not after the job timeout.
    // The job counts whole seconds (`date +%s`), so 5 "seconds" can be a little over 4 s.
    expect(result.timings.script).toBeGreaterThanOrEqual(4_000);
    expect(result.timings.script).toBeLessThan(20_000);
  }, 180_000);
});
