import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  allScripts,
  callsOf,
  HARBOR_ENV,
  renderErrors,
  renderJob,
  runJob,
  scriptsOf,
  shellcheck,
  syntaxErrors,
  type JobRun,
  type RunOptions,
} from "./support.ts";

const IMAGE_REF = "harbor.example.com:8443/my-project/my-app@sha256:" + "1".repeat(64);
const runs: JobRun[] = [];

async function run(inputs: Record<string, unknown> = {}, options: RunOptions = {}): Promise<JobRun> {
  const { job } = renderJob("pull-run", inputs);
  const r = await runJob(job, { ...options, env: { ...HARBOR_ENV, IMAGE_REF, ...options.env } });
  runs.push(r);
  return r;
}

function runArgs(r: JobRun): string[] {
  const c = callsOf(r, "run");
  expect(c).toHaveLength(1);
  return c[0]!.args;
}

afterEach(() => {
  for (const r of runs.splice(0)) r.cleanup();
});

describe("pull-run: the rendered job", () => {
  it("runs in the test stage, in a docker:27 job with a docker:27-dind service reachable as docker", () => {
    const { name, job } = renderJob("pull-run");
    expect(name).toBe("pull-run");
    expect(job.stage).toBe("test");
    expect(job.image).toBe("docker:27");
    expect(job.services![0]).toMatchObject({ name: "docker:27-dind", alias: "docker" });
    expect(job.variables["DOCKER_TLS_CERTDIR"]).toBe("/certs");
  });

  it("defaults to the IMAGE_REF of a build-push job, which it needs when the pipeline has one", () => {
    const { job } = renderJob("pull-run");
    expect(job.variables["HCI_IMAGE"]).toBe("$IMAGE_REF");
    expect(job.needs).toEqual([{ job: "build-push", optional: true }]);
  });

  it("takes job name, stage, rules, needs and images from inputs", () => {
    const { name, job } = renderJob("pull-run", {
      job_name: "smoke test",
      stage: "verify",
      rules: [{ when: "manual" }],
      needs: [{ job: "image api", artifacts: true }],
      docker_image: "mirror.example.com/docker:27",
      dind_image: "mirror.example.com/docker:27-dind",
    });
    expect(name).toBe("smoke test");
    expect(job.stage).toBe("verify");
    expect(job.rules).toEqual([{ when: "manual" }]);
    expect(job.needs).toEqual([{ job: "image api", artifacts: true }]);
    expect(job.image).toBe("mirror.example.com/docker:27");
    expect(job.services![0]!.name).toBe("mirror.example.com/docker:27-dind");
  });

  it("retries runner failures, not script failures", () => {
    expect(renderJob("pull-run").job.retry).toEqual({ max: 2, when: ["runner_system_failure", "stuck_or_timeout_failure", "scheduler_failure"] });
  });

  it("shares its Docker functions, dind entrypoint and cleanup with build-push (generated from templates/lib)", () => {
    const a = renderJob("build-push", { image_name: "x" }).job;
    const b = renderJob("pull-run").job;
    expect(b.before_script).toEqual(a.before_script);
    expect(scriptsOf(b).services).toEqual(scriptsOf(a).services);
    expect(b.after_script).toEqual(a.after_script);
  });

  it("passes input values to the scripts through job variables only", () => {
    const marker = "zz-marker-zz";
    const { job } = renderJob("pull-run", {
      image: `${marker}:1`,
      command: `${marker}\n`,
      entrypoint: marker,
      run_options: `--env=${marker}\n`,
      registry: `${marker}.io`,
    });
    for (const { label, script } of allScripts(job)) expect(script, label).not.toContain(marker);
  });
});

describe("pull-run: scripts are portable POSIX sh", () => {
  const { job } = renderJob("pull-run", { command: "a\n", run_options: "--env=A=1\n" });
  for (const { label, script } of allScripts(job)) {
    it(`${label} passes shellcheck -s sh`, () => {
      expect(shellcheck(script)).toBe("");
    });
    it(`${label} parses with busybox sh -n`, () => {
      expect(syntaxErrors(script)).toBe("");
    });
  }
});

describe("pull-run: GitLab rejects bad inputs at pipeline creation", () => {
  it.each([
    ["image", "my app:1"],
    ["image", "$(id)"],
    ["password_variable", "HARBOR PASSWORD"],
  ])("rejects %s = %j", (input, value) => {
    expect(renderErrors("pull-run", { [input]: value })).toEqual([`\`${input}\` input: provided value does not match required RegEx pattern`]);
  });

  // An empty default cannot carry a regex on GitLab 17.0–18.2: the job checks these instead.
  it.each([
    ["run_options", "--env=A=1\nrm -rf /"],
    ["entrypoint", "a\nb"],
    ["registry", "harbor.example.com/project"],
  ])("GitLab accepts %s = %j; the job stops with exit 2, naming the input, the value and the fix", async (input, value) => {
    expect(renderErrors("pull-run", { [input]: value })).toEqual([]);
    const r = await run({ [input]: value });
    expect(r.code).toBe(2);
    expect(r.output).toContain(`ERROR: input ${input} is '${value}', which does not match `);
    expect(r.output).toContain(`fix the input ${input}`);
  });

  it("checks that command is a string and pull_retries a number", () => {
    expect(renderErrors("pull-run", { command: ["a"], pull_retries: "2" })).toEqual([
      "`command` input: provided value is not a string",
      "`pull_retries` input: provided value is not a number",
    ]);
  });
});

describe("pull-run: image and login", () => {
  it("fails when there is no image: no IMAGE_REF from a build-push job and no input image", async () => {
    const r = await run({}, { env: { IMAGE_REF: "" } });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: no image to run");
    expect(r.output).toContain("needs");
    expect(r.calls).toEqual([]);
  });

  it("pulls the IMAGE_REF of the build-push job by default", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(callsOf(r, "pull")[0]!.args).toEqual(["pull", "--", IMAGE_REF]);
    expect(runArgs(r)).toContain(IMAGE_REF);
  });

  it("logs in with --password-stdin when the image is in the Harbor registry and credentials exist", async () => {
    const r = await run();
    const login = callsOf(r, "login");
    expect(login).toHaveLength(1);
    expect(login[0]!.args).toEqual(["login", "--username=robot$my-project+ci", "--password-stdin", "--", "harbor.example.com:8443"]);
    expect(r.stubFile("login-stdin")).toBe(HARBOR_ENV.HARBOR_PASSWORD);
    expect(r.output).not.toContain("s3cr3t");
  });

  it("pulls anonymously when there are no credentials (a public image needs none)", async () => {
    const r = await run({}, { env: { HARBOR_USERNAME: "", HARBOR_PASSWORD: "" } });
    expect(r.code).toBe(0);
    expect(callsOf(r, "login")).toEqual([]);
    expect(r.output).toContain("pulling harbor.example.com:8443/my-project/my-app@sha256");
  });

  it("does not send the Harbor credentials to another registry", async () => {
    const r = await run({ image: "docker.io/library/alpine:3.20" });
    expect(r.code).toBe(0);
    expect(callsOf(r, "login")).toEqual([]);
    expect(r.output).toContain("is not in the Harbor registry harbor.example.com:8443");
  });

  it("works without the Harbor integration for a public image", async () => {
    const r = await run({ image: "alpine:3.20" }, { env: { HARBOR_URL: "", HARBOR_USERNAME: "", HARBOR_PASSWORD: "" } });
    expect(r.code).toBe(0);
    expect(callsOf(r, "pull")[0]!.args).toEqual(["pull", "--", "alpine:3.20"]);
  });

  it("removes the credentials in after_script", async () => {
    const r = await run({}, { stub: { STUB_RUN_EXIT: "1" } });
    const config = callsOf(r, "login")[0]!.env["DOCKER_CONFIG"]!;
    expect(config.startsWith(r.projectDir)).toBe(false);
    expect(existsSync(config)).toBe(false);
    expect(callsOf(r, "logout")).toHaveLength(1);
  });
});

describe("pull-run: pull", () => {
  it("retries a transient pull failure with a growing wait", async () => {
    const r = await run({}, { stub: { STUB_PULL_FAILS: "2" } });
    expect(r.code).toBe(0);
    expect(callsOf(r, "pull")).toHaveLength(3);
    expect(r.sleeps.filter((s) => s !== "1")).toEqual(["2", "4"]);
  });

  it("gives up after pull_retries retries with exit code 6", async () => {
    const r = await run({ pull_retries: 2 }, { stub: { STUB_PULL_FAILS: "always" } });
    expect(r.code).toBe(6);
    expect(callsOf(r, "pull")).toHaveLength(3);
    expect(r.output).toContain("ERROR: cannot pull " + IMAGE_REF + " after 3 attempts");
    expect(callsOf(r, "run")).toEqual([]);
  });

  it("does not retry a missing image", async () => {
    const r = await run({}, { stub: { STUB_PULL_FAILS: "always", STUB_PULL_ERROR: "manifest unknown: manifest unknown" } });
    expect(r.code).toBe(6);
    expect(callsOf(r, "pull")).toHaveLength(1);
    expect(r.output).toContain("does not exist");
  });

  it("explains a refused anonymous pull of a private image", async () => {
    const r = await run(
      {},
      {
        env: { HARBOR_USERNAME: "", HARBOR_PASSWORD: "" },
        stub: { STUB_PULL_FAILS: "always", STUB_PULL_ERROR: "unauthorized: unauthorized to access repository" },
      },
    );
    expect(r.code).toBe(6);
    expect(r.output).toContain("refused an anonymous pull");
    expect(r.output).toContain("Settings › Integrations › Harbor");
  });
});

describe("pull-run: run", () => {
  it("runs the image with --rm and its default command", async () => {
    const r = await run();
    expect(runArgs(r)).toEqual(["run", "--rm", "--pull=never", "--", IMAGE_REF]);
    expect(r.output).toContain("The container exited with code 0");
  });

  it("passes the command, entrypoint and options as data: nothing in them runs", async () => {
    const nasty = "$(touch pwned1) `touch pwned2` \"q\" 'q'; touch pwned3";
    const r = await run({ command: `--greet\n${nasty}\n\n  indented\n`, entrypoint: "/bin/app", run_options: `# env\n--env=NOTE=${nasty}\n--workdir=/tmp\n` });
    expect(r.code).toBe(0);
    expect(runArgs(r)).toEqual([
      "run",
      "--rm",
      "--pull=never",
      `--env=NOTE=${nasty}`,
      "--workdir=/tmp",
      "--entrypoint=/bin/app",
      "--",
      IMAGE_REF,
      "--greet",
      nasty,
      "  indented",
    ]);
    for (const f of ["pwned1", "pwned2", "pwned3"]) expect(existsSync(join(r.projectDir, f))).toBe(false);
  });

  it("fails with the container's exit code", async () => {
    const r = await run({}, { stub: { STUB_RUN_EXIT: "3" } });
    expect(r.code).toBe(3);
    expect(r.output).toContain("ERROR: the container exited with code 3");
  });

  it("explains docker run's own failure (exit code 125)", async () => {
    const r = await run({}, { stub: { STUB_RUN_EXIT: "125" } });
    expect(r.code).toBe(125);
    expect(r.output).toContain("docker run failed before the container started");
  });

  it("rejects a run option line that is not an option at run time too", async () => {
    const { job } = renderJob("pull-run");
    const r = await runJob(job, { env: { ...HARBOR_ENV, IMAGE_REF }, override: { HCI_RUN_OPTIONS: "--env=A=1\nrm -rf /" } });
    runs.push(r);
    expect(r.code).toBe(2);
    // The generated check of the input's @pattern stops it first (input-checks.ts).
    expect(r.output).toContain("ERROR: input run_options is '--env=A=1\nrm -rf /', which does not match ");
  });

  it("waits for the Docker daemon like build-push, bounded by daemon_timeout", async () => {
    const r = await run({ daemon_timeout: 1 }, { stub: { STUB_DAEMON_FAILS: "always" } });
    expect(r.code).toBe(3);
    expect(r.output).toContain("did not become ready within 1s");
  });

  it("logs in collapsible sections", async () => {
    const r = await run();
    for (const s of ["hci_config", "hci_docker", "hci_login", "hci_pull", "hci_run"]) {
      expect(r.output).toMatch(new RegExp(`section_start:\\d+:${s}(\\[collapsed=true\\])?`));
      expect(r.output).toMatch(new RegExp(`section_end:\\d+:${s}\\r`));
    }
  });
});

describe("pull-run: README", () => {
  it("documents the private image as a job image", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    expect(readme).toMatch(/private image as a job image/i);
  });
});
