// End-to-end proof of the harness: the user guide's naive build job, run as GitLab's Docker
// executor would, pushes to the Harbor stand-in; the result is checked through the registry API.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureImages, type ImageTags } from "../../scripts/runner/images.ts";
import { RegistryFixture } from "../../scripts/runner/registry.ts";
import { runJob } from "../../scripts/runner/runner.ts";
import { DEFAULT_SHA } from "../../scripts/runner/variables.ts";
import { NAIVE_JOB_NAME, naiveBuildJob } from "../../scripts/bench/naive-job.ts";
import { SAMPLE_APP_DIR } from "./sample-app.ts";

describe("harness: the guide's naive build-image job", () => {
  let images: ImageTags;
  let registry: RegistryFixture;

  beforeAll(async () => {
    images = inject("harborCiImages") ?? (await ensureImages());
    registry = await RegistryFixture.start({ images });
  });

  afterAll(async () => {
    await registry?.dispose();
  });

  it("pushes the short-SHA tag and latest, same digest, without the secret in the log", async () => {
    const before = await registry.mark();
    const result = await runJob(naiveBuildJob, {
      name: NAIVE_JOB_NAME,
      projectDir: SAMPLE_APP_DIR,
      images,
      // The guide's setup: Harbor on the default HTTPS port, so $HARBOR_HOST is enough.
      harbor: registry.integration({ withPort: false }),
      registry,
    });

    expect(result.log).toContain("Login Succeeded");
    expect(result.status, result.log).toBe("success");
    expect(result.exitCode).toBe(0);

    const repo = `${registry.project}/my-app`;
    const shortSha = DEFAULT_SHA.slice(0, 8);
    expect(await registry.tags(repo)).toEqual([shortSha, "latest"].sort());
    const bySha = await registry.manifest(repo, shortSha);
    const latest = await registry.manifest(repo, "latest");
    expect(bySha?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(latest?.digest).toBe(bySha?.digest);

    const uploads = await registry.blobUploads(before);
    expect(uploads.length).toBeGreaterThan(0);
    // $HARBOR_HOST has no port: everything went through the default HTTPS port.
    expect(uploads.every((u) => u.host === registry.hostname)).toBe(true);

    // The runner turned GitLab's `robot$$…` back into the real robot name.
    expect(result.variables.HARBOR_USERNAME).toBe(registry.username);
    expect(result.log).not.toContain(registry.password);
  });

  it("fails the job at the first failing command and still runs after_script with CI_JOB_STATUS=failed", async () => {
    const result = await runJob(
      {
        image: "docker:27",
        variables: { GREETING: "hello $CI_PROJECT_NAME", LITERAL: { value: "$CI_PROJECT_NAME", expand: false }, DOLLARS: "a$$b" },
        before_script: ['echo "greeting=$GREETING literal=$LITERAL dollars=$DOLLARS"'],
        script: ["echo FOO=from-script > build.env", "false", "echo never-printed"],
        after_script: ['echo "status=$CI_JOB_STATUS foo=${FOO:-unset}"', "exit 3"],
        artifacts: { when: "always", reports: { dotenv: "build.env" } },
      },
      { name: "shell-semantics", images },
    );
    expect(result.status).toBe("failed");
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain("greeting=hello sample-app literal=$CI_PROJECT_NAME dollars=a$b");
    expect(result.log).not.toContain("never-printed");
    expect(result.log).toContain("status=failed foo=unset");
    expect(result.log).toContain("WARNING: after_script failed");
    expect(result.dotenv).toEqual({ FOO: "from-script" });
  });

  it("runs scripts with a POSIX sh without bash, as the Alpine docker image", async () => {
    const result = await runJob(
      { image: "docker:27", script: ["test ! -e /bin/bash", "command -v bash || echo NO-BASH", "arr=(a b) && echo ARRAYS-OK"] },
      { name: "no-bash", images },
    );
    const lines = result.log.split("\n");
    expect(lines).toContain("NO-BASH");
    expect(result.status).toBe("failed");
    expect(result.exitCode).toBe(2); // syntax error
    expect(lines).not.toContain("ARRAYS-OK");
  });

  it("talks to dind without TLS on 2375 when DOCKER_TLS_CERTDIR is empty, extra dockerd args from the service command", async () => {
    const result = await runJob(
      {
        image: { name: "docker:27", entrypoint: [""] },
        services: [{ name: "docker:27-dind", command: ["--tls=false", "--insecure-registry=example.invalid:5000"] }],
        variables: { DOCKER_HOST: "tcp://docker:2375", DOCKER_TLS_CERTDIR: "" },
        script: ['docker info --format "insecure={{json .RegistryConfig.IndexConfigs}}"', "docker image ls --format '{{.Repository}}:{{.Tag}}'"],
      },
      { name: "dind-no-tls", images },
    );
    expect(result.status, result.log).toBe("success");
    expect(result.log).toContain("example.invalid:5000");
    expect(result.log).toContain("debian:trixie-slim");
  });
});
