// build-push when the Harbor integration is wrong or missing: the job stops early with a message
// that says what to fix, nothing reaches the registry, and the secret never reaches the log.
import { describe, expect, it } from "vitest";
import type { ImageTags } from "../../../scripts/runner/images.ts";
import type { RegistryFixture } from "../../../scripts/runner/registry.ts";
import { runJob } from "../../../scripts/runner/runner.ts";
import {
  buildRan,
  componentJob,
  EXAMPLE_APP_DIR,
  plainLog,
  registryAccessLog,
  registryLog,
  robotSecret,
  secretForms,
  uniqueName,
  useRegistry,
} from "./support.ts";

describe("build-push: wrong or missing Harbor credentials", () => {
  let images: ImageTags;
  let registry: RegistryFixture;

  useRegistry((i, r) => {
    images = i;
    registry = r;
  });

  it("fails the login on a wrong password naming the robot and what to check, pushes nothing, never prints the secret", async () => {
    const imageName = uniqueName("wrong-password");
    const repo = `${registry.project}/${imageName}`;
    const wrong = robotSecret("Wr0ng");
    const mark = await registry.mark();
    const logMark = (await registryLog(registry)).length;
    const { name, job } = componentJob("build-push", { image_name: imageName });
    const result = await runJob(job, {
      name,
      projectDir: EXAMPLE_APP_DIR,
      images,
      harbor: { ...registry.integration(), password: wrong },
      registry,
      timeoutMs: 120_000,
    });

    expect(result.status).toBe("failed");
    expect(result.exitCode, result.log).toBe(4);
    const log = plainLog(result.log);
    expect(log).toContain(`ERROR: harbor.test:5443 rejected the credentials of '${registry.username}' (HARBOR_USERNAME / HARBOR_PASSWORD)`);
    expect(log).toContain("Check the robot account's name and secret in Settings › Integrations › Harbor, and that the robot is enabled and not expired.");
    expect(buildRan(result.log)).toBe(false);

    // The registry's view: the login was refused, and no repository, tag or blob appeared.
    const serverLog = (await registryLog(registry)).slice(logMark);
    // logrus quotes the message: error authenticating user \"<name>\": authentication failure
    expect(serverLog).toContain(`error authenticating user \\"${registry.username}\\": authentication failure`);
    expect((await registryAccessLog(registry, logMark)).every((l) => l.includes('"GET /v2/ HTTP/1.1" 401 '))).toBe(true);
    expect(serverLog).not.toContain(`/v2/${repo}/`);
    expect((await registry.requests()).slice(mark)).toEqual([]);
    expect(await registry.blobUploads(mark)).toEqual([]);
    expect(await registry.tags(repo)).toEqual([]);
    expect(await registry.catalog()).not.toContain(repo);

    // The log is never masked here: the secret must simply not be in it (nor in the services' logs).
    for (const [form, value] of [
      ...Object.entries(secretForms(registry.username, wrong)),
      ...Object.entries(secretForms(registry.username, registry.password)),
    ]) {
      expect(result.log.includes(value), `${form} in the job log`).toBe(false);
      for (const [service, text] of Object.entries(result.serviceLogs)) expect(text.includes(value), `${form} in the log of service ${service}`).toBe(false);
    }
    // after_script removed the Docker client configuration that held the (refused) credentials.
    expect(log).toMatch(/^Logged out; removed the Docker client configuration \/tmp\/hci-docker-config-\d+$/m);
  }, 180_000);

  it("stops before any build with exit code 2 when the Harbor integration is not configured", async () => {
    const imageName = uniqueName("no-integration");
    const logMark = (await registryLog(registry)).length;
    const { name, job } = componentJob("build-push", { image_name: imageName });
    // The registry is on the job network, so only the missing settings can stop the push.
    const result = await runJob(job, { name, projectDir: EXAMPLE_APP_DIR, images, registry, timeoutMs: 120_000 });

    expect(result.status).toBe("failed");
    expect(result.exitCode, result.log).toBe(2);
    expect(result.variables.HARBOR_URL).toBeUndefined();
    const log = plainLog(result.log);
    expect(log).toContain(
      "ERROR: no registry: HARBOR_URL is not set. Activate the Harbor integration (Settings › Integrations › Harbor) or set the input registry",
    );
    // Before the daemon, the login and the build: the configuration check is the first step.
    expect(log).not.toContain("Waiting for the Docker daemon");
    expect(log).not.toContain("Logging in to");
    expect(buildRan(result.log)).toBe(false);
    expect(await registryAccessLog(registry, logMark)).toEqual([]); // not one request, refused or not
  }, 180_000);

  it("names HARBOR_PASSWORD and the setting when the integration has no password", async () => {
    const imageName = uniqueName("no-password");
    const logMark = (await registryLog(registry)).length;
    const { name, job } = componentJob("build-push", { image_name: imageName });
    const result = await runJob(job, {
      name,
      projectDir: EXAMPLE_APP_DIR,
      images,
      harbor: { ...registry.integration(), password: "" },
      registry,
      timeoutMs: 120_000,
    });

    expect(result.status).toBe("failed");
    expect(result.exitCode, result.log).toBe(2);
    const log = plainLog(result.log);
    expect(log).toContain("ERROR: HARBOR_PASSWORD is empty or not set, so there is no registry password.");
    expect(log).toContain("Settings › Integrations › Harbor");
    expect(log).not.toContain("Logging in to");
    expect(buildRan(result.log)).toBe(false);
    expect(await registryAccessLog(registry, logMark)).toEqual([]); // not one request, refused or not
  }, 180_000);
});
