import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bandOf } from "../../../scripts/lib/ci/versions.ts";
import {
  allScripts,
  callsOf,
  HARBOR_ENV,
  renderErrors,
  renderJob,
  runJob,
  runServiceScript,
  scriptsOf,
  shellcheck,
  syntaxErrors,
  type JobRun,
  type RunOptions,
} from "./support.ts";

const APP = {
  "app/Dockerfile": "FROM scratch\n",
};
const base = { image_name: "my-app", context: "app" };
const runs: JobRun[] = [];

async function run(inputs: Record<string, unknown> = {}, options: RunOptions = {}): Promise<JobRun> {
  const { job } = renderJob("build-push", { ...base, ...inputs });
  const r = await runJob(job, { files: APP, ...options, env: { ...HARBOR_ENV, ...options.env } });
  runs.push(r);
  return r;
}

/** The registry cache's build: BuildKit pushes the image itself, the daemon does not keep it. */
const DIRECT_PUSH = "--output=type=image,push=true,store=false";

/** The references pushed: by `docker push`, or by BuildKit during the build (registry cache). */
function pushedTags(r: JobRun): string[] {
  const pushes = callsOf(r, "push").map((c) => c.args.at(-1)!);
  const build = callsOf(r, "build").at(-1);
  if (pushes.length > 0 || !build?.args.includes(DIRECT_PUSH) || r.code !== 0) return pushes;
  return build.args.filter((a) => a.startsWith("--tag=")).map((a) => a.slice("--tag=".length));
}

function buildArgs(r: JobRun): string[] {
  const builds = callsOf(r, "build");
  expect(builds).toHaveLength(1);
  return builds[0]!.args;
}

afterEach(() => {
  for (const r of runs.splice(0)) r.cleanup();
});

describe("build-push: the rendered job", () => {
  it("runs in a docker:27 job with a docker:27-dind service reachable as docker, TLS on", () => {
    const { name, job } = renderJob("build-push", base);
    expect(name).toBe("build-push");
    expect(job.stage).toBe("build");
    expect(job.image).toBe("docker:27");
    expect(job.services).toHaveLength(1);
    expect(job.services![0]).toMatchObject({ name: "docker:27-dind", alias: "docker" });
    expect(job.variables["DOCKER_TLS_CERTDIR"]).toBe("/certs");
  });

  it("takes the job name, stage, rules, needs and both images from inputs (for a proxy cache)", () => {
    const { name, job } = renderJob("build-push", {
      ...base,
      job_name: "image api",
      stage: "package",
      rules: [{ if: "$CI_COMMIT_TAG" }],
      needs: ["compile"],
      docker_image: "harbor.example.com/dockerhub/library/docker:27",
      dind_image: "harbor.example.com/dockerhub/library/docker:27-dind",
    });
    expect(name).toBe("image api");
    expect(job.stage).toBe("package");
    expect(job.rules).toEqual([{ if: "$CI_COMMIT_TAG" }]);
    expect(job.needs).toEqual(["compile"]);
    expect(job.image).toBe("harbor.example.com/dockerhub/library/docker:27");
    expect(job.services![0]).toMatchObject({ name: "harbor.example.com/dockerhub/library/docker:27-dind", alias: "docker" });
  });

  it("runs in branch and tag pipelines but not in merge-request pipelines by default", () => {
    const { job } = renderJob("build-push", base);
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"', when: "never" }, { if: "$CI_COMMIT_BRANCH || $CI_COMMIT_TAG" }]);
    expect(job.needs).toEqual([]);
  });

  it("retries runner failures, not script failures", () => {
    const { job } = renderJob("build-push", base);
    expect(job.retry).toEqual({ max: 2, when: ["runner_system_failure", "stuck_or_timeout_failure", "scheduler_failure"] });
  });

  it("hands the image to later jobs through a dotenv report", () => {
    const { job } = renderJob("build-push", base);
    expect(job.artifacts).toEqual({ reports: { dotenv: "hci-build-push.env" } });
  });

  it("passes input values to the scripts through job variables only", () => {
    const marker = "zz-marker-zz";
    const { job } = renderJob("build-push", {
      image_name: `${marker}`,
      context: `${marker}-ctx`,
      dockerfile: `${marker}.Dockerfile`,
      target: `${marker}-target`,
      build_args: `M=${marker}\n`,
      labels: `m=${marker}\n`,
      tags: `${marker}-tag`,
      cache_from: `reg/${marker}:c`,
      registry: `${marker}.example.com`,
      project: `${marker}-project`,
      username_variable: `${marker.toUpperCase().replace(/-/g, "_")}_USER`,
      dotenv_prefix: "ZZ_",
    });
    for (const { label, script } of allScripts(job)) {
      expect(script, label).not.toContain(marker);
      expect(script, label).not.toContain("$[[");
    }
    expect(Object.values(job.variables).filter((v) => String(v).includes(marker)).length).toBeGreaterThanOrEqual(9);
  });

  it("keeps boolean inputs out of variable values (older GitLab versions reject them)", () => {
    const { job } = renderJob("build-push", { ...base, cache: "none" });
    for (const [k, v] of Object.entries(job.variables)) expect(typeof v, k).not.toBe("boolean");
    expect(job.variables["HCI_CACHE"]).toBe("none");
  });

  it("prefixes every variable the library defines with HCI_ (except dind's DOCKER_TLS_CERTDIR)", () => {
    const { job } = renderJob("build-push", base);
    for (const k of Object.keys(job.variables)) expect(k === "DOCKER_TLS_CERTDIR" || k.startsWith("HCI_"), k).toBe(true);
  });
});

describe("build-push: scripts are portable POSIX sh", () => {
  const { job } = renderJob("build-push", { ...base, build_args: "A=1\n", labels: "a=b\n", registry_ca_variable: "CA_PEM" });
  for (const { label, script } of allScripts(job)) {
    it(`${label} passes shellcheck -s sh`, () => {
      expect(shellcheck(script)).toBe("");
    });
    it(`${label} parses with busybox sh -n`, () => {
      expect(syntaxErrors(script)).toBe("");
    });
  }
});

describe("build-push: GitLab rejects bad inputs at pipeline creation", () => {
  it.each([
    ["image_name", "My App"],
    ["image_name", "app;rm -rf /"],
    ["tags", "v1 feature/x"],
    ["tags", "$(id)"],
    ["project", "My Project"],
    ["username_variable", "$HARBOR_USERNAME"],
    ["docker_image", "docker 27"],
    ["job_name", "-bad"],
  ])("rejects %s = %j", (input, value) => {
    expect(renderErrors("build-push", { ...base, [input]: value })).toEqual([`\`${input}\` input: provided value does not match required RegEx pattern`]);
  });

  // GitLab 17.0–18.2 rejects a regex on an empty default (README: Supported GitLab versions), so
  // these inputs are checked by the job's configuration step instead, from the same @pattern.
  it.each([
    ["build_args", "1BAD=x"],
    ["build_args", "A B=c"],
    ["labels", "no-equals-sign"],
    ["target", "-x"],
    ["registry", "https://harbor.example.com"],
    ["registry_ca_variable", "a-b"],
    ["dotenv_prefix", "A-"],
    ["docker_host", "docker:2376"],
  ])("GitLab accepts %s = %j; the job stops with exit 2, naming the input, the value and the fix", async (input, value) => {
    expect(renderErrors("build-push", { ...base, [input]: value })).toEqual([]);
    const r = await run({ [input]: value });
    expect(r.code).toBe(2);
    expect(r.output).toContain(`ERROR: input ${input} is '${value}', which does not match `);
    expect(r.output).toContain(`fix the input ${input}`);
    expect(callsOf(r, "build")).toHaveLength(0);
  });

  it("lets the job accept the empty defaults and valid values of those inputs", async () => {
    const r = await run({ target: "runtime", build_args: "A=1\n# note\nB", labels: "a.b=c", dotenv_prefix: "API_" });
    expect(r.output).not.toContain("does not match");
    expect(r.code).toBe(0);
  });

  it("accepts tags made of $CI_... references (the regex runs before expansion)", () => {
    expect(renderErrors("build-push", { ...base, tags: "$CI_COMMIT_SHORT_SHA ${CI_COMMIT_REF_SLUG}-$CI_PIPELINE_IID\nstable" })).toEqual([]);
  });

  it("offers default-branch, always and never for latest", () => {
    expect(renderErrors("build-push", { ...base, latest: "sometimes" })).toEqual([
      "`latest` input: `sometimes` cannot be used because it is not in the list of allowed options",
    ]);
  });

  it("offers registry, inline and none for cache (a boolean is 1.x's form: a major change)", () => {
    expect(renderErrors("build-push", { ...base, cache: "yes" })).toEqual([
      "`cache` input: `yes` cannot be used because it is not in the list of allowed options",
    ]);
    expect(renderJob("build-push", base).job.variables["HCI_CACHE"]).toBe("registry");
  });

  it("checks the types of push_retries and daemon_timeout", () => {
    expect(renderErrors("build-push", { ...base, push_retries: "3", daemon_timeout: "60" })).toEqual([
      "`push_retries` input: provided value is not a number",
      "`daemon_timeout` input: provided value is not a number",
    ]);
  });

  it("requires image_name", () => {
    expect(renderErrors("build-push", {})).toEqual(["`image_name` input: required value has not been provided"]);
  });
});

describe("build-push: configuration errors fail before building", () => {
  it("names HARBOR_URL and the integration setting when the Harbor integration is off", async () => {
    const r = await run({}, { env: { HARBOR_URL: "", HARBOR_HOST: "" } });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: no registry: HARBOR_URL is not set");
    expect(r.output).toContain("Settings › Integrations › Harbor");
    expect(r.output).toContain("input registry");
    expect(r.calls).toEqual([]);
  });

  it("names HARBOR_PROJECT's setting and the input project when the project is empty", async () => {
    const r = await run({}, { env: { HARBOR_PROJECT: "" } });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: no Harbor project");
    expect(r.output).toContain("input project");
    expect(r.calls).toEqual([]);
  });

  it("names the username variable when it is empty", async () => {
    const r = await run({}, { env: { HARBOR_USERNAME: "" } });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: HARBOR_USERNAME is empty or not set");
    expect(r.output).toContain("input username_variable");
  });

  it("names the password variable when it is empty", async () => {
    const r = await run({}, { env: { HARBOR_PASSWORD: "" } });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: HARBOR_PASSWORD is empty or not set");
    expect(r.output).toContain("Settings › Integrations › Harbor");
    expect(r.output).toContain("input password_variable");
    expect(r.calls).toEqual([]);
  });

  it("names the variable given in username_variable / password_variable", async () => {
    const r = await run({ username_variable: "DEPLOY_USER", password_variable: "DEPLOY_TOKEN" }, { env: { DEPLOY_USER: "robot$x+y" } });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: DEPLOY_TOKEN is empty or not set");
  });

  it("fails when the context directory does not exist", async () => {
    const r = await run({ context: "nowhere" });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: the build context 'nowhere' is not a directory");
    expect(r.calls).toEqual([]);
  });

  it("fails when the Dockerfile does not exist", async () => {
    const r = await run({ dockerfile: "Containerfile" });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: no Dockerfile at './app/Containerfile'");
  });

  it("rejects a tag that expands to something Docker refuses, naming $CI_COMMIT_REF_SLUG", async () => {
    const r = await run({ tags: "$CI_COMMIT_REF_NAME" }, { env: { CI_COMMIT_REF_NAME: "feature/login" } });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: 'feature/login' (from the input tags) is not a valid Docker tag");
    expect(r.output).toContain("$CI_COMMIT_REF_SLUG");
    expect(r.calls).toEqual([]);
  });
});

describe("build-push: registry and login", () => {
  it("derives host:port from HARBOR_URL, not from HARBOR_HOST (which drops the port)", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(pushedTags(r)).toEqual(["harbor.example.com:8443/my-project/my-app:01234567", "harbor.example.com:8443/my-project/my-app:latest"]);
    expect(callsOf(r, "login")[0]!.args.at(-1)).toBe("harbor.example.com:8443");
  });

  it("drops the scheme's default port and any path from HARBOR_URL", async () => {
    const r = await run({}, { env: { HARBOR_URL: "https://harbor.example.com:443/harbor/" } });
    expect(r.code).toBe(0);
    expect(pushedTags(r)[0]).toBe("harbor.example.com/my-project/my-app:01234567");
  });

  it("never prints credentials written into HARBOR_URL", async () => {
    const r = await run({}, { env: { HARBOR_URL: "https://admin:s3cr3t-in-url@harbor.example.com:8443" } });
    expect(r.code).toBe(0);
    expect(pushedTags(r)[0]).toBe("harbor.example.com:8443/my-project/my-app:01234567");
    expect(r.output + r.afterOutput).not.toContain("s3cr3t-in-url");
  });

  it("lets the inputs registry and project override the integration", async () => {
    const r = await run({ registry: "registry.internal:5000", project: "platform" });
    expect(r.code).toBe(0);
    expect(pushedTags(r)[0]).toBe("registry.internal:5000/platform/my-app:01234567");
  });

  it("logs in with --password-stdin: the password is on no command line and in no log line", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    const login = callsOf(r, "login");
    expect(login).toHaveLength(1);
    expect(login[0]!.args).toContain("--password-stdin");
    expect(r.stubFile("login-stdin")).toBe(HARBOR_ENV.HARBOR_PASSWORD);
    for (const c of r.calls) for (const a of c.args) expect(a).not.toContain("s3cr3t");
    expect(r.output + r.afterOutput).not.toContain("s3cr3t");
  });

  it("passes the robot account name through untouched", async () => {
    const r = await run();
    const args = callsOf(r, "login")[0]!.args;
    expect(args).toContain("--username=robot$my-project+ci");
    expect(r.output).toContain("Logged in to harbor.example.com:8443 as robot$my-project+ci");
  });

  it("keeps the credentials outside the project directory and removes them in after_script", async () => {
    const r = await run();
    const config = callsOf(r, "login")[0]!.env["DOCKER_CONFIG"]!;
    expect(config).toMatch(/^\/tmp\/hci-docker-config-\d+$/);
    expect(config.startsWith(r.projectDir)).toBe(false);
    expect(callsOf(r, "logout")[0]!.args).toEqual(["logout", "--", "harbor.example.com:8443"]);
    expect(existsSync(config)).toBe(false);
    expect(r.afterCode).toBe(0);
  });

  it("removes the credentials in after_script when the job failed too", async () => {
    const r = await run({}, { stub: { STUB_BUILD_FAIL: "1" } });
    expect(r.code).toBe(5);
    const config = callsOf(r, "login")[0]!.env["DOCKER_CONFIG"]!;
    expect(existsSync(config)).toBe(false);
    expect(callsOf(r, "logout")).toHaveLength(1);
  });

  it("does not retry refused credentials and says what to check", async () => {
    const r = await run(
      {},
      { stub: { STUB_LOGIN_ERROR: 'Error response from daemon: Get "https://harbor.example.com:8443/v2/": unauthorized: authentication required' } },
    );
    expect(r.code).toBe(4);
    expect(callsOf(r, "login")).toHaveLength(1);
    expect(r.output).toContain("ERROR: harbor.example.com:8443 rejected the credentials of 'robot$my-project+ci'");
    expect(r.output).toContain("Settings › Integrations › Harbor");
    expect(callsOf(r, "build")).toEqual([]);
  });

  it("explains an untrusted certificate with the registry_ca_variable input", async () => {
    const r = await run(
      {},
      {
        stub: {
          STUB_LOGIN_ERROR:
            'Error response from daemon: Get "https://harbor.example.com:8443/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
        },
      },
    );
    expect(r.code).toBe(4);
    expect(r.output).toContain("registry_ca_variable");
  });

  it("retries a login that failed on the network, up to 3 attempts", async () => {
    const r = await run({}, { stub: { STUB_LOGIN_ERROR: 'Error response from daemon: Get "https://harbor.example.com:8443/v2/": dial tcp: i/o timeout' } });
    expect(r.code).toBe(4);
    expect(callsOf(r, "login")).toHaveLength(3);
    expect(r.output).toContain("ERROR: cannot log in to harbor.example.com:8443 after 3 attempts");
  });
});

describe("build-push: the Docker daemon", () => {
  it("uses tcp://docker:2376 with TLS on the Docker executor", async () => {
    const r = await run();
    const env = callsOf(r, "build")[0]!.env;
    expect(env["DOCKER_HOST"]).toBe("tcp://docker:2376");
    expect(env["DOCKER_TLS_VERIFY"]).toBe("1");
    expect(env["DOCKER_CERT_PATH"]).toMatch(/\/certs\/client$/);
    expect(env["DOCKER_BUILDKIT"]).toBe("1");
  });

  it("uses localhost on the Kubernetes executor, where services share the pod", async () => {
    const r = await run({}, { env: { KUBERNETES_SERVICE_HOST: "10.0.0.1" } });
    expect(r.code).toBe(0);
    expect(callsOf(r, "build")[0]!.env["DOCKER_HOST"]).toBe("tcp://localhost:2376");
    expect(r.output).toContain("Kubernetes executor");
  });

  it("uses localhost when the host name docker does not resolve", async () => {
    const r = await run({}, { stub: { STUB_DOCKER_UNRESOLVABLE: "1" } });
    expect(callsOf(r, "build")[0]!.env["DOCKER_HOST"]).toBe("tcp://localhost:2376");
  });

  it("lets the input docker_host override the detection; port 2375 turns TLS off", async () => {
    const r = await run({ docker_host: "tcp://dind.internal:2375" }, { env: { KUBERNETES_SERVICE_HOST: "10.0.0.1" } });
    const env = callsOf(r, "build")[0]!.env;
    expect(env["DOCKER_HOST"]).toBe("tcp://dind.internal:2375");
    expect(env["DOCKER_TLS_VERIFY"]).toBe("");
  });

  it("replaces a DOCKER_HOST inherited from the environment, and says so", async () => {
    const r = await run({}, { env: { DOCKER_HOST: "tcp://docker:2375" } });
    expect(callsOf(r, "build")[0]!.env["DOCKER_HOST"]).toBe("tcp://docker:2376");
    expect(r.output).toContain("Note: DOCKER_HOST=tcp://docker:2375 from the environment is replaced");
  });

  it("waits until the daemon answers", async () => {
    const r = await run({}, { stub: { STUB_DAEMON_FAILS: "3" } });
    expect(r.code).toBe(0);
    expect(callsOf(r, "version")).toHaveLength(4);
    expect(r.output).toMatch(/Docker daemon 27\.3\.1 is ready at tcp:\/\/docker:2376/);
  });

  it("fails with a clear message when the daemon never answers, bounded by daemon_timeout", async () => {
    const start = Date.now();
    const r = await run({ daemon_timeout: 1 }, { stub: { STUB_DAEMON_FAILS: "always" } });
    expect(r.code).toBe(3);
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(r.output).toContain("ERROR: the Docker daemon at tcp://docker:2376 did not become ready within 1s");
    expect(r.output).toContain("Cannot connect to the Docker daemon");
    expect(r.output).toContain("daemon_timeout");
    expect(callsOf(r, "build")).toEqual([]);
  });

  it("explains missing TLS client certificates (the runner must share /certs/client)", async () => {
    const r = await run({ daemon_timeout: 1 }, { override: { DOCKER_TLS_CERTDIR: "/nonexistent-certs" } });
    expect(r.code).toBe(3);
    expect(r.output).toContain("no TLS client certificate in /nonexistent-certs/client");
    expect(r.output).toContain('volumes = ["/certs/client"]');
    expect(r.output).toContain("empty_dir");
  });

  it("fails with a hint when the job image has no buildx plugin", async () => {
    const r = await run({}, { stub: { STUB_NO_BUILDX: "1" } });
    expect(r.code).toBe(5);
    expect(r.output).toContain("no buildx plugin");
  });
});

describe("build-push: build", () => {
  it("builds once, with BuildKit, the context and Dockerfile given", async () => {
    const r = await run({ context: "app", dockerfile: "Dockerfile", target: "runtime" });
    expect(r.code).toBe(0);
    const args = buildArgs(r);
    expect(args.at(-1)).toBe("./app");
    expect(args).toContain("--file=./app/Dockerfile");
    expect(args).toContain("--target=runtime");
    expect(args).toContain("--progress=plain");
  });

  it("passes build args, labels and tags as data: nothing in them runs", async () => {
    const nasty = "$(touch pwned1) `touch pwned2` \"q\" 'q'; touch pwned3";
    const r = await run({ build_args: `  # a comment\nA=${nasty}\n\nB\nC=x=y\n`, labels: `com.example.note=${nasty}\n` }, { env: { B: "from the job" } });
    expect(r.code).toBe(0);
    const args = buildArgs(r);
    expect(args).toContain(`--build-arg=A=${nasty}`);
    expect(args).toContain("--build-arg=B");
    expect(args).toContain("--build-arg=C=x=y");
    expect(args).toContain(`--label=com.example.note=${nasty}`);
    for (const f of ["pwned1", "pwned2", "pwned3"]) expect(existsSync(join(r.projectDir, f))).toBe(false);
    expect(r.output).toContain("Build arguments: A B C");
  });

  it("keeps each line of labels and build_args one argument: no split at blanks, no pathname expansion", async () => {
    const r = await run({ labels: "a=*\nb=  two  spaces  \n", build_args: "  GLOB=app/*\nB  \n" }, { files: { ...APP, "app/x": "", y: "" } });
    expect(r.code).toBe(0);
    const args = buildArgs(r);
    expect(args).toContain("--label=a=*");
    expect(args).toContain("--label=b=  two  spaces  ");
    expect(args).toContain("--build-arg=GLOB=app/*");
    // A name alone, with the trailing blanks the input's pattern allows: the job's variable B.
    expect(args).toContain("--build-arg=B");
    // The user's labels after the OCI labels, then the build arguments, then the tags.
    const at = (a: string) => args.indexOf(a);
    expect(at("--label=org.opencontainers.image.title=my-app")).toBeLessThan(at("--label=a=*"));
    expect(at("--label=b=  two  spaces  ")).toBeLessThan(at("--build-arg=GLOB=app/*"));
    expect(at("--build-arg=B")).toBeLessThan(args.findIndex((a) => a.startsWith("--tag=")));
    expect(r.output).toContain("Labels: org.opencontainers.image.{source,revision,created,version,title} a b");
    expect(r.output).toContain("Build arguments: GLOB B");
  });

  it("expands $VAR references in build args (the runner does), and nothing else", async () => {
    const r = await run({ build_args: "VERSION=$CI_COMMIT_SHORT_SHA\nLITERAL=$$HOME\n" });
    const args = buildArgs(r);
    expect(args).toContain("--build-arg=VERSION=01234567");
    expect(args).toContain("--build-arg=LITERAL=$HOME");
  });

  it("sets the OCI labels from CI variables, then the extra labels", async () => {
    const r = await run({ labels: "org.opencontainers.image.title=Custom\nteam=platform\n" }, { env: { CI_COMMIT_TAG: "v1.2.0", CI_COMMIT_BRANCH: "" } });
    const labels = buildArgs(r).filter((a) => a.startsWith("--label="));
    expect(labels.slice(0, 5).map((l) => l.replace(/=.*$/, "").replace(/^--label$/, ""))).toHaveLength(5);
    expect(labels).toContain("--label=org.opencontainers.image.source=https://gitlab.example.com/group/project");
    expect(labels).toContain("--label=org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567");
    expect(labels).toContain("--label=org.opencontainers.image.version=v1.2.0");
    expect(labels).toContain("--label=org.opencontainers.image.title=my-app");
    expect(labels.find((l) => l.startsWith("--label=org.opencontainers.image.created="))).toMatch(/=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Later labels win in docker build: the extra ones come last.
    expect(labels.slice(-2)).toEqual(["--label=org.opencontainers.image.title=Custom", "--label=team=platform"]);
  });

  it("stamps the image with the commit time, converted to UTC, so that a rebuild is reproducible", async () => {
    const r = await run({}, { env: { CI_COMMIT_TIMESTAMP: "2026-11-27T11:30:05+02:00" } });
    const args = buildArgs(r);
    // 2026-11-27T09:30:05Z
    expect(args).toContain("--build-arg=SOURCE_DATE_EPOCH=1795771805");
    expect(args).toContain("--label=org.opencontainers.image.created=2026-11-27T09:30:05Z");
    expect(r.output).toContain("from CI_COMMIT_TIMESTAMP");
  });

  it("converts a commit time with a negative UTC offset", async () => {
    const r = await run({}, { env: { CI_COMMIT_TIMESTAMP: "2026-11-26T22:00:00-05:00" } });
    expect(buildArgs(r)).toContain("--label=org.opencontainers.image.created=2026-11-27T03:00:00Z");
  });

  it("prefers a SOURCE_DATE_EPOCH variable over the commit time", async () => {
    const r = await run({}, { env: { SOURCE_DATE_EPOCH: "1700000000", CI_COMMIT_TIMESTAMP: "2026-11-27T11:30:05+02:00" } });
    const args = buildArgs(r);
    expect(args).toContain("--build-arg=SOURCE_DATE_EPOCH=1700000000");
    expect(args).toContain("--label=org.opencontainers.image.created=2023-11-14T22:13:20Z");
  });

  it("warns and falls back to the build time when the commit time cannot be read", async () => {
    const r = await run({}, { env: { CI_COMMIT_TIMESTAMP: "yesterday" } });
    expect(r.output).toMatch(/WARNING: .*CI_COMMIT_TIMESTAMP/);
    expect(buildArgs(r).find((a) => a.startsWith("--build-arg=SOURCE_DATE_EPOCH="))).toMatch(/=\d+$/);
  });

  it("reads the registry cache of this branch, then of the default branch, and writes this branch's", async () => {
    const r = await run({}, { env: { CI_COMMIT_BRANCH: "feature/Login-Page", CI_COMMIT_REF_NAME: "feature/Login-Page" } });
    expect(r.code).toBe(0);
    const args = buildArgs(r);
    const repo = "harbor.example.com:8443/my-project/my-app";
    // "feature/Login-Page" is not a tag: lower case, / replaced, and 8 hex digits of the real name's SHA-256.
    const branchTag = /^buildcache-feature-login-page-[0-9a-f]{8}$/;
    const from = args.filter((a) => a.startsWith("--cache-from="));
    expect(from).toHaveLength(2);
    expect(from[0]!.replace(`--cache-from=type=registry,ref=${repo}:`, "")).toMatch(branchTag);
    expect(from[1]).toBe(`--cache-from=type=registry,ref=${repo}:buildcache-main`);
    const to = args.filter((a) => a.startsWith("--cache-to="));
    expect(to).toHaveLength(1);
    const [ref, ...opts] = to[0]!.replace("--cache-to=type=registry,ref=", "").split(",");
    expect(ref).toBe(from[0]!.replace("--cache-from=type=registry,ref=", ""));
    expect(opts).toEqual(["mode=max", "image-manifest=true", "oci-mediatypes=true", "ignore-error=true"]);
    expect(args).toContain("--provenance=false");
    expect(args.some((a) => a.includes("BUILDKIT_INLINE_CACHE"))).toBe(false);
    expect(args.at(-1)).toBe("./app");
  });

  it("gives branches whose names differ only in replaced characters different cache tags", async () => {
    const tagOf = async (branch: string): Promise<string> => {
      const r = await run({}, { env: { CI_COMMIT_BRANCH: branch } });
      return buildArgs(r)
        .find((a) => a.startsWith("--cache-to="))!
        .split(",")[1]!;
    };
    const slash = await tagOf("feature/x");
    const dash = await tagOf("feature-x");
    expect(dash).toBe("ref=harbor.example.com:8443/my-project/my-app:buildcache-feature-x");
    expect(slash).not.toBe(dash);
    expect(slash).toMatch(/:buildcache-feature-x-[0-9a-f]{8}$/);
  });

  it("reads the default branch's cache once on the default branch, and only reads on a tag pipeline", async () => {
    const onMain = buildArgs(await run());
    expect(onMain.filter((a) => a.startsWith("--cache-from="))).toEqual([
      "--cache-from=type=registry,ref=harbor.example.com:8443/my-project/my-app:buildcache-main",
    ]);
    const onTag = await run({}, { env: { CI_COMMIT_TAG: "v1.0.0", CI_COMMIT_BRANCH: "", CI_COMMIT_REF_NAME: "v1.0.0" } });
    const args = buildArgs(onTag);
    expect(args.filter((a) => a.startsWith("--cache-from="))).toEqual([
      "--cache-from=type=registry,ref=harbor.example.com:8443/my-project/my-app:buildcache-main",
    ]);
    expect(args.some((a) => a.startsWith("--cache-to="))).toBe(false);
    expect(onTag.output).toContain("written to nothing (tag pipeline)");
  });

  it("keeps the cache in the repository named by cache_repository, and adds cache_from", async () => {
    const args = buildArgs(await run({ cache_repository: "caches/my-app", cache_from: "harbor.example.com:8443/other/base:buildcache-main\n" }));
    expect(args.filter((a) => a.startsWith("--cache-from="))).toEqual([
      "--cache-from=type=registry,ref=harbor.example.com:8443/my-project/caches/my-app:buildcache-main",
      "--cache-from=harbor.example.com:8443/other/base:buildcache-main",
    ]);
    expect(args.find((a) => a.startsWith("--cache-to="))).toContain("ref=harbor.example.com:8443/my-project/caches/my-app:buildcache-main,");
  });

  it("falls back to the inline cache, with a warning, when the daemon has no containerd image store", async () => {
    const r = await run({}, { stub: { STUB_DRIVER_TYPE: "overlay2" } });
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/WARNING: the Docker daemon does not use the containerd image store.*inline cache/);
    const args = buildArgs(r);
    expect(args).toContain("--build-arg=BUILDKIT_INLINE_CACHE=1");
    expect(args.some((a) => a.startsWith("--cache-to="))).toBe(false);
  });

  it("reuses the layers of the last pushed image through the inline cache with cache: inline", async () => {
    const r = await run({ cache: "inline", cache_from: "harbor.example.com:8443/my-project/my-app:main\n" });
    const args = buildArgs(r);
    expect(args).toContain("--build-arg=BUILDKIT_INLINE_CACHE=1");
    expect(args.filter((a) => a.startsWith("--cache-from="))).toEqual([
      "--cache-from=harbor.example.com:8443/my-project/my-app:01234567",
      "--cache-from=harbor.example.com:8443/my-project/my-app:latest",
      "--cache-from=harbor.example.com:8443/my-project/my-app:main",
    ]);
    expect(args.some((a) => a.startsWith("--cache-to=") || a.startsWith("--provenance"))).toBe(false);
  });

  it("builds without the cache when cache is none", async () => {
    const r = await run({ cache: "none" });
    const args = buildArgs(r);
    expect(args.some((a) => a.startsWith("--cache-") || a.includes("BUILDKIT_INLINE_CACHE"))).toBe(false);
    expect(r.output).toContain("Layer cache: off");
  });

  it("says how to migrate when the variable still holds 1.x's boolean", async () => {
    const r = await run({}, { override: { HCI_CACHE: "true" } });
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/ERROR: input cache is 'true': since version 2\.0\.0 it is registry .* inline .* none/);
    expect(callsOf(r, "build")).toEqual([]);
  });

  it("prints a missing cache as a note, not an ERROR line", async () => {
    const r = await run(
      {},
      {
        stub: {
          STUB_BUILD_OUTPUT: [
            "#4 importing cache manifest from harbor.example.com:8443/my-project/my-app:buildcache-main",
            "#4 ERROR: failed to configure registry cache importer: harbor.example.com:8443/my-project/my-app:buildcache-main: not found",
            "#7 [2/3] RUN make",
            "#7 ERROR: process did not complete",
          ].join("\n"),
        },
      },
    );
    expect(r.code).toBe(0);
    expect(r.output).toContain("#4 no cache at harbor.example.com:8443/my-project/my-app:buildcache-main yet");
    expect(r.output).not.toContain("#4 ERROR");
    // Only the cache's vertices are rewritten: a step's error stays an error.
    expect(r.output).toContain("#7 ERROR: process did not complete");
  });

  it("turns a refused cache export into a warning and still pushes the image", async () => {
    const r = await run(
      {},
      {
        stub: {
          STUB_BUILD_OUTPUT: [
            "#12 exporting cache to registry",
            "#12 preparing build cache for export",
            '#12 ERROR: error writing manifest blob: failed commit on ref "sha256:6a7b": unexpected status: 412 Precondition Failed',
          ].join("\n"),
        },
      },
    );
    expect(r.code).toBe(0);
    expect(r.output).toContain("#12 WARNING: cannot write the cache: error writing manifest blob");
    expect(r.output).toMatch(
      /WARNING: the layer cache was not written to harbor\.example\.com:8443\/my-project\/my-app:buildcache-main \(error writing manifest blob.*412 Precondition Failed\)\. The image is built and is pushed now/,
    );
    expect(r.output.split("\n").filter((l) => /^(#\d+ )?ERROR/.test(l))).toEqual([]);
    expect(pushedTags(r)).toHaveLength(2);
  });

  it("fails with exit code 5 and pushes nothing when the build fails", async () => {
    const r = await run({}, { stub: { STUB_BUILD_FAIL: "1" } });
    expect(r.code).toBe(5);
    expect(r.output).toContain("ERROR: docker build failed");
    expect(callsOf(r, "push")).toEqual([]);
  });
});

describe("build-push: tags", () => {
  it("tags the short SHA by default", async () => {
    const r = await run({}, { env: { CI_COMMIT_BRANCH: "feature-x", CI_COMMIT_REF_SLUG: "feature-x" } });
    expect(r.code).toBe(0);
    expect(pushedTags(r)).toEqual(["harbor.example.com:8443/my-project/my-app:01234567"]);
  });

  it("pushes latest only on the default branch", async () => {
    const onMain = await run();
    expect(pushedTags(onMain).map((t) => t.split(":").at(-1))).toEqual(["01234567", "latest"]);
    const onBranch = await run({}, { env: { CI_COMMIT_BRANCH: "feature-x" } });
    expect(pushedTags(onBranch).map((t) => t.split(":").at(-1))).toEqual(["01234567"]);
    expect(onBranch.output).toContain("Not tagging latest");
  });

  it("pushes latest always or never, as the input latest says", async () => {
    const always = await run({ latest: "always" }, { env: { CI_COMMIT_BRANCH: "feature-x" } });
    expect(pushedTags(always).map((t) => t.split(":").at(-1))).toEqual(["01234567", "latest"]);
    const never = await run({ latest: "never" });
    expect(pushedTags(never).map((t) => t.split(":").at(-1))).toEqual(["01234567"]);
  });

  it("pushes the git tag on a tag pipeline", async () => {
    const r = await run({}, { env: { CI_COMMIT_TAG: "v1.4.0", CI_COMMIT_BRANCH: "" } });
    expect(pushedTags(r).map((t) => t.split(":").at(-1))).toEqual(["01234567", "v1.4.0"]);
  });

  it("turns a git tag Docker refuses into a valid tag and says so", async () => {
    const r = await run({}, { env: { CI_COMMIT_TAG: "release/2.0+build.7", CI_COMMIT_BRANCH: "" } });
    expect(r.code).toBe(0);
    expect(pushedTags(r).at(-1)).toBe("harbor.example.com:8443/my-project/my-app:release-2.0-build.7");
    expect(r.output).toContain("The git tag release/2.0+build.7 is pushed as the Docker tag 'release-2.0-build.7'");
  });

  it("pushes every tag of the input, expanded, once each", async () => {
    const r = await run({ tags: "$CI_COMMIT_SHORT_SHA\n$CI_COMMIT_REF_SLUG  stable $CI_COMMIT_SHORT_SHA" });
    expect(pushedTags(r).map((t) => t.split(":").at(-1))).toEqual(["01234567", "main", "stable", "latest"]);
  });

  it("builds once and pushes every tag of that one image", async () => {
    const r = await run({ tags: "a b c" });
    expect(callsOf(r, "build")).toHaveLength(1);
    const tagArgs = buildArgs(r).filter((a) => a.startsWith("--tag="));
    expect(tagArgs.map((a) => a.split(":").at(-1))).toEqual(["a", "b", "c", "latest"]);
    expect(pushedTags(r)).toHaveLength(4);
    expect(r.output).toContain("All tags point to sha256:1111");
    const inline = await run({ tags: "a b c", cache: "inline" });
    expect(callsOf(inline, "build")).toHaveLength(1);
    expect(callsOf(inline, "push")).toHaveLength(4);
    expect(inline.output).toContain("All tags point to sha256:1111");
  });

  it("fails with exit code 7 when the tags' digests disagree", async () => {
    const r = await run({ tags: "a b" }, { stub: { STUB_ODD_TAG: "b" } });
    expect(r.code).toBe(7);
    expect(r.output).toContain("ERROR: the tags do not point to one digest");
    expect(existsSync(join(r.projectDir, "hci-build-push.env"))).toBe(false);
  });

  it("fails when there is no tag to push (GitLab 18.3 on lets an empty tags through)", async () => {
    expect(renderErrors("build-push", { ...base, tags: "" })).toEqual(["`tags` input: provided value does not match required RegEx pattern"]);
    const { job } = renderJob("build-push", { ...base, tags: "", latest: "never" }, bandOf("18.3"));
    const r = await runJob(job, { files: APP, env: HARBOR_ENV });
    runs.push(r);
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: no tag to push");
  });
});

describe("build-push: push", () => {
  it("lets BuildKit push with the registry cache: no docker push, the image never stored in the daemon", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(buildArgs(r)).toContain(DIRECT_PUSH);
    expect(callsOf(r, "push")).toEqual([]);
    expect(r.output).toContain("BuildKit pushed every tag during the build");
    expect(r.output).toContain("All tags point to sha256:1111");
  });

  it("accepts the second push of buildx before 0.22, which fails on an image the daemon does not keep", async () => {
    const old = await run({}, { stub: { STUB_BUILDX_VERSION: "0.17.1" } });
    expect(old.code).toBe(0);
    expect(old.output).toContain("Note: BuildKit pushed every tag (above); this buildx then pushes again");
    const current = await run({}, { stub: { STUB_BUILDX_VERSION: "0.29.1" } });
    expect(current.code).toBe(0);
    expect(current.output).not.toContain("Note: BuildKit pushed every tag");
    expect(current.output).toContain("All tags point to sha256:1111");
  });

  it("reads the pushed digest from buildx's metadata file when the build output names none", async () => {
    const digest = `sha256:${"3".repeat(64)}`;
    const r = await run({}, { stub: { STUB_BUILDX_VERSION: "0.29.1", STUB_METADATA_DIGEST: digest, STUB_NO_PUSH_LINES: "1" } });
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.projectDir, "hci-build-push.env"), "utf8")).toContain(`IMAGE_DIGEST=${digest}`);
  });

  it("fails with exit code 5 on a build failure that prints no ERROR line, without retrying it", async () => {
    const r = await run({}, { stub: { STUB_BUILD_FAIL: "1", STUB_BUILD_FAIL_MESSAGE: 'error during connect: Head "https://docker:2376/_ping": EOF' } });
    expect(r.code).toBe(5);
    expect(r.output).toContain("ERROR: docker build failed (exit code 1)");
    expect(callsOf(r, "build")).toHaveLength(1);
  });

  it("fails a second push of old buildx when BuildKit did not push every tag", async () => {
    const r = await run({}, { stub: { STUB_BUILDX_VERSION: "0.17.1", STUB_NO_PUSH_LINES: "1" } });
    expect(r.code).toBe(5);
    expect(r.output).toContain("ERROR: docker build failed");
  });

  // The same rules whoever pushes: BuildKit in the build (registry cache; a retry builds again,
  // from the daemon's own cache) or docker push (inline cache).
  describe.each([
    ["BuildKit, registry cache", {}, "build"],
    ["docker push, inline cache", { cache: "inline" }, "push"],
  ] as const)("%s", (_label, inputs, attempts) => {
    it("retries a transient push failure with a growing wait", async () => {
      const r = await run({ ...inputs, latest: "never" }, { stub: { STUB_PUSH_FAILS: "2" } });
      expect(r.code).toBe(0);
      expect(callsOf(r, attempts)).toHaveLength(3);
      expect(r.sleeps.filter((s) => s !== "1")).toEqual(["2", "4"]);
      expect(r.output).toContain("WARNING: push of harbor.example.com:8443/my-project/my-app:01234567 failed (attempt 1 of 4)");
    });

    it("gives up after push_retries retries with exit code 6", async () => {
      const r = await run({ ...inputs, push_retries: 1 }, { stub: { STUB_PUSH_FAILS: "always" } });
      expect(r.code).toBe(6);
      expect(callsOf(r, attempts)).toHaveLength(2);
      expect(r.output).toContain("ERROR: cannot push harbor.example.com:8443/my-project/my-app:01234567 after 2 attempts");
    });

    it("does not retry a refused push and names the permission to grant", async () => {
      const r = await run(inputs, {
        stub: {
          STUB_PUSH_FAILS: "always",
          STUB_PUSH_ERROR: "unauthorized: unauthorized to access repository: my-project/my-app, action: push: unauthorized to access repository",
        },
      });
      expect(r.code).toBe(6);
      expect(callsOf(r, attempts)).toHaveLength(1);
      expect(r.output).toContain("needs the Push permission");
    });

    it("does not retry a push to a project that does not exist", async () => {
      const r = await run(inputs, { stub: { STUB_PUSH_FAILS: "always", STUB_PUSH_ERROR: "NOT_FOUND: project my-project not found" } });
      expect(r.code).toBe(6);
      expect(callsOf(r, attempts)).toHaveLength(1);
      expect(r.output).toContain("Check that the Harbor project my-project exists");
    });
  });
});

describe("build-push: output", () => {
  it("writes IMAGE, IMAGE_TAG, IMAGE_DIGEST and IMAGE_REF (repository@digest) to the dotenv report", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    const digest = "sha256:" + "1".repeat(64);
    expect(readFileSync(join(r.projectDir, "hci-build-push.env"), "utf8")).toBe(
      [
        "IMAGE=harbor.example.com:8443/my-project/my-app",
        "IMAGE_TAG=01234567",
        `IMAGE_DIGEST=${digest}`,
        `IMAGE_REF=harbor.example.com:8443/my-project/my-app@${digest}`,
        "",
      ].join("\n"),
    );
  });

  it("prefixes the dotenv variables with dotenv_prefix", async () => {
    const r = await run({ dotenv_prefix: "API_" });
    const text = readFileSync(join(r.projectDir, "hci-build-push.env"), "utf8");
    expect(
      text
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("=")[0]),
    ).toEqual(["API_IMAGE", "API_IMAGE_TAG", "API_IMAGE_DIGEST", "API_IMAGE_REF"]);
  });

  it("logs in collapsible sections: setup collapsed, the build open", async () => {
    const r = await run();
    expect(r.output).toMatch(/section_start:\d+:hci_config\[collapsed=true\]\r\u001b\[0KChecking the configuration/);
    expect(r.output).toMatch(/section_start:\d+:hci_build\r\u001b\[0KBuilding /);
    for (const s of ["hci_config", "hci_docker", "hci_login", "hci_build", "hci_push"]) {
      expect(r.output).toMatch(new RegExp(`\\u001b\\[0Ksection_start:\\d+:${s}(\\[collapsed=true\\])?\\r\\u001b\\[0K`));
      expect(r.output).toMatch(new RegExp(`\\u001b\\[0Ksection_end:\\d+:${s}\\r\\u001b\\[0K`));
    }
  });
});

describe("build-push: the dind service trusts a private registry CA", () => {
  const PEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----";
  const DOCKERD = '#!/bin/sh\necho "dockerd-entrypoint.sh $*"\n';

  function serviceScript(inputs: Record<string, unknown> = {}): string {
    const { job } = renderJob("build-push", { ...base, ...inputs });
    const s = scriptsOf(job).services;
    expect(s).toHaveLength(1);
    return s[0]!.script;
  }

  it("writes the PEM to certs.d/<host:port>/ca.crt from HARBOR_URL, then starts the daemon", async () => {
    const r = await runServiceScript(
      serviceScript(),
      { HCI_REGISTRY_CA_VARIABLE: "MY_CA", MY_CA: PEM, HCI_REGISTRY: "", HARBOR_URL: "https://harbor.example.com:8443" },
      { "dockerd-entrypoint.sh": DOCKERD },
      ["--mtu=1400"],
    );
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.root, "certs.d", "harbor.example.com:8443", "ca.crt"), "utf8")).toBe(PEM + "\n");
    expect(r.output).toContain("hci-dind: trusting the CA in MY_CA for harbor.example.com:8443");
    expect(r.output).toContain("dockerd-entrypoint.sh --mtu=1400");
  });

  it("uses the input registry for the certificate's directory", async () => {
    const r = await runServiceScript(
      serviceScript(),
      { HCI_REGISTRY_CA_VARIABLE: "MY_CA", MY_CA: PEM, HCI_REGISTRY: "registry.internal:5000", HARBOR_URL: "https://harbor.example.com" },
      { "dockerd-entrypoint.sh": DOCKERD },
    );
    expect(existsSync(join(r.root, "certs.d", "registry.internal:5000", "ca.crt"))).toBe(true);
  });

  it("starts the daemon unchanged when no CA is configured", async () => {
    const r = await runServiceScript(
      serviceScript(),
      { HCI_REGISTRY_CA_VARIABLE: "", HARBOR_URL: "https://harbor.example.com" },
      { "dockerd-entrypoint.sh": DOCKERD },
    );
    expect(r.code).toBe(0);
    expect(existsSync(join(r.root, "certs.d"))).toBe(false);
    expect(r.output.trim()).toBe("dockerd-entrypoint.sh");
  });

  it("warns when the CA variable does not reach the service (defined only in the UI)", async () => {
    const r = await runServiceScript(
      serviceScript(),
      { HCI_REGISTRY_CA_VARIABLE: "MY_CA", HARBOR_URL: "https://harbor.example.com" },
      { "dockerd-entrypoint.sh": DOCKERD },
    );
    expect(r.code).toBe(0);
    expect(r.output).toContain("hci-dind: WARNING: MY_CA holds no PEM certificate in this service");
  });

  it("turns on the containerd image store for the registry cache (the job's HCI_CACHE reaches the service)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hci-daemon-json-"));
    try {
      const json = join(dir, "docker", "daemon.json");
      const r = await runServiceScript(serviceScript(), { HCI_CACHE: "registry", HCI_DOCKER_DAEMON_JSON: json }, { "dockerd-entrypoint.sh": DOCKERD });
      expect(r.code).toBe(0);
      expect(JSON.parse(readFileSync(json, "utf8"))).toEqual({ features: { "containerd-snapshotter": true } });
      expect(r.output).toContain("hci-dind: containerd image store on");
      // An existing configuration is the image's or the runner's: kept, and the log says what it lacks.
      writeFileSync(json, '{"mtu":1400}\n');
      const kept = await runServiceScript(serviceScript(), { HCI_CACHE: "registry", HCI_DOCKER_DAEMON_JSON: json }, { "dockerd-entrypoint.sh": DOCKERD });
      expect(readFileSync(json, "utf8")).toBe('{"mtu":1400}\n');
      expect(kept.output).toContain("exists and is kept");
      rmSync(json);
      for (const mode of ["inline", "none", ""]) {
        await runServiceScript(serviceScript(), { HCI_CACHE: mode, HCI_DOCKER_DAEMON_JSON: json }, { "dockerd-entrypoint.sh": DOCKERD });
        expect(existsSync(json), mode).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("falls back to dockerd when the image has no dockerd-entrypoint.sh", async () => {
    const r = await runServiceScript(serviceScript(), {}, { dockerd: '#!/bin/sh\necho "dockerd $*"\n' }, ["--debug"]);
    expect(r.output.trim()).toBe("dockerd --debug");
  });

  it("tells in the job log where the CA is installed, and warns about a File variable", async () => {
    const ok = await run({ registry_ca_variable: "MY_CA" }, { env: { MY_CA: PEM } });
    expect(ok.output).toContain(
      "Registry CA: MY_CA, written by the dind service to /etc/docker/certs.d/harbor.example.com:8443/ca.crt when the variable is defined in .gitlab-ci.yml",
    );
    const file = await run({ registry_ca_variable: "MY_CA" }, { env: { MY_CA: "/etc/hostname" } });
    expect(file.code).toBe(0);
    expect(file.output).toContain("WARNING: MY_CA is a File variable");
  });
});
