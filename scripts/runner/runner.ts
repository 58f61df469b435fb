// Runs ONE GitLab job definition (a job object as in a rendered .gitlab-ci.yml) the way the
// runner's Docker executor does: services first on a per-job network under their aliases, the
// job's variables expanded, before_script+script in one shell, after_script in a new one,
// /certs/client shared with dind, the dotenv report read back. Returns the raw log (no masking:
// tests assert that secrets are absent).
import { randomBytes } from "node:crypto";
import { GenericContainer, type StartedTestContainer } from "testcontainers";
import {
  containerLogs,
  createNetwork,
  createVolume,
  dockerode,
  execStream,
  imageExists,
  LABEL_JOB,
  ownedLabels,
  removeContainersByLabel,
  removeNetwork,
  removeVolume,
  since,
  sleep,
  transferImages,
  waitForTcp,
  containerAddressesReachable,
  waitForListeningPort,
} from "./docker.ts";
import { BASE_IMAGE_ALIAS, ensureImages, imageMode, UPSTREAM_IMAGES, type ImageName, type ImageTags } from "./images.ts";
import { DETECT_SHELL, stageScript } from "./job-script.ts";
import { jobVariables, stepCommands, type JobDefinition, type JobImage, type JobService } from "./job.ts";
import type { RegistryFixture } from "./registry.ts";
import {
  DotenvError,
  expandAll,
  expandValue,
  fromYaml,
  harborVariables,
  lookupIn,
  parseDotenv,
  predefinedVariables,
  serviceAliases,
  toEnvList,
  toRecord,
  type HarborIntegration,
  type Scenario,
} from "./variables.ts";

// The job model (JobDefinition...) lives in job.ts, shared with the local mode (local.ts).
export type { JobDefinition, JobImage, JobService, ScriptLines } from "./job.ts";

export type DindMode = "privileged" | "caps";

export interface RunJobOptions {
  /** CI_JOB_NAME (default "job"). */
  name?: string;
  /** Host folder copied into CI_PROJECT_DIR (the sample app). */
  projectDir?: string;
  scenario?: Scenario;
  /** Harbor integration settings: HARBOR_* variables are injected as GitLab does. */
  harbor?: HarborIntegration;
  /** Connected to the job network under its host name and trusted by every dind service. */
  registry?: RegistryFixture;
  /** Project/group CI/CD settings variables: highest precedence, not passed to services. */
  variables?: Record<string, string | { value: string; raw?: boolean }>;
  /** Variables from earlier jobs' dotenv reports (`needs`). */
  dotenv?: Record<string, string>;
  /** Outer-engine images loaded into every dind service (the base image always is). */
  preload?: string[];
  images?: ImageTags;
  dindMode?: DindMode;
  /** Job timeout (default 10 min). */
  timeoutMs?: number;
  /** How long the runner waits for a service port (default 30 s, as the runner). */
  serviceWaitMs?: number;
  /** Live job log. Default: written to stderr when HARBOR_CI_TEST_VERBOSE=1. */
  onLog?: (chunk: string) => void;
  /** Leave containers, network and volumes behind for debugging (also HARBOR_CI_TEST_KEEP=1). */
  keep?: boolean;
}

export interface JobResult {
  status: "success" | "failed";
  /** Exit code of the before_script+script shell. */
  exitCode: number;
  /** The whole job log: runner messages and the combined output of every command. */
  log: string;
  durationMs: number;
  /** Variables of the dotenv report (empty unless the artifact would be uploaded). */
  dotenv: Record<string, string>;
  dotenvError?: string;
  /** The environment the script ran with, after expansion. */
  variables: Record<string, string>;
  /** Milliseconds per harness step. */
  timings: Record<string, number>;
  /** Output of each service container, by its alias (or derived name when it has none). */
  serviceLogs: Record<string, string>;
  /** Other `artifacts:reports` files the runner would upload (junit, container_scanning...), by path. */
  reports: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Image mapping: the upstream names used in components and guides → the local test images.

/** The test image an upstream reference stands for (`registry.example/dh/library/docker:27` → job). */
export function imageKind(ref: string): ImageName | undefined {
  const last = ref.split("@")[0]!.split("/").pop()!;
  const [repo, tag = "latest"] = last.split(":");
  if (repo === "docker") return tag.includes("dind") ? "dind" : "job";
  if (repo === "registry") return "registry";
  if (repo === "postgres") return "postgres";
  if (repo === "mariadb") return "mariadb";
  if (repo === "node") return "node";
  return undefined;
}

/** Nothing can be pulled on this machine: say so before testcontainers tries to. */
async function assertAvailable(ref: string, image: string): Promise<void> {
  if (imageMode() === "upstream" || (await imageExists(image))) return;
  throw new Error(
    `Image ${ref} is neither a test image (docker:*, docker:*-dind, registry:*, postgres:*, mariadb:*, node:*, under any registry prefix) ` +
      `nor present in the engine, and no registry can be pulled from here. Build or load it first, or use one of the mapped names.`,
  );
}

export function resolveImage(ref: string, images: ImageTags): { image: string; kind: ImageName | undefined } {
  const kind = imageKind(ref);
  if (!kind) return { image: ref, kind };
  if (imageMode() === "local") return { image: images[kind], kind };
  // Upstream: the short official name (a proxy-cache prefix is not reachable from tests).
  return { image: ref.split("@")[0]!.split("/").pop()!, kind };
}

// ---------------------------------------------------------------------------------------------
// dind privileges: --privileged where the host allows it, else a capability set: on VMs without
// CAP_SYS_RESOURCE, --privileged fails ("unable to apply caps: operation not permitted"), while
// --cap-add ALL --cap-drop SYS_RESOURCE with seccomp unconfined runs dockerd once its entrypoint
// remounts the cgroups read-write (test/images/dind/dockerd-entrypoint.sh).

const CAPS_SECURITY_OPTS = ["seccomp=unconfined", "apparmor=unconfined"];
let detectedDindMode: Promise<DindMode> | undefined;

export function dindMode(images: ImageTags): Promise<DindMode> {
  const forced = process.env.HARBOR_CI_DIND_MODE;
  if (forced === "privileged" || forced === "caps") return Promise.resolve(forced);
  if (forced && forced !== "auto") throw new Error(`HARBOR_CI_DIND_MODE=${forced}: use privileged, caps or auto`);
  detectedDindMode ??= (async () => {
    const docker = await dockerode();
    const container = await docker.createContainer({
      Image: images.base,
      Cmd: ["true"],
      Labels: ownedLabels("probe"),
      HostConfig: { Privileged: true, AutoRemove: false },
    });
    try {
      await container.start();
      await container.wait();
      return "privileged" as const;
    } catch {
      return "caps" as const;
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  })();
  return detectedDindMode;
}

// ---------------------------------------------------------------------------------------------

/** Containers of the harness; services leave the default bridge: only the job network, as the runner. */
class HarnessContainer extends GenericContainer {
  private leaveBridge = false;

  onlyOnNetwork(network: string, aliases: string[]): this {
    this.leaveBridge = true;
    return this.withNetworkMode(network).withNetworkAliases(...aliases);
  }

  /** The API form of `--security-opt systempaths=unconfined` (writable /proc/sys, as privileged). */
  withUnconfinedSystemPaths(): this {
    this.hostConfig.MaskedPaths = [];
    this.hostConfig.ReadonlyPaths = [];
    return this;
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    if (!this.leaveBridge) return;
    const docker = await dockerode();
    await docker
      .getNetwork("bridge")
      .disconnect({ Container: containerId, Force: true })
      .catch(() => undefined);
  }
}

// stderr joins stdout inside the container: docker relays the two streams separately, which
// reorders lines written close together; the job log is one stream anyway.
const SHELL_COMMAND = `exec 2>&1\n${DETECT_SHELL}`;

interface StartedService {
  ref: string;
  /** The explicit alias if any, else the first derived name: key of `serviceLogs`. */
  name: string;
  kind: ImageName | undefined;
  aliases: string[];
  container: StartedTestContainer;
  env: Record<string, string>;
}

/** What the steps of one runJob call share: the job, its variables and names, the log, and the outcome so far. */
interface JobRun {
  job: JobDefinition;
  opts: RunJobOptions;
  /** Random suffix of every container, network and volume of this call. */
  id: string;
  jobName: string;
  started: number;
  /** Leave containers, network and volumes behind (RunJobOptions.keep). */
  keep: boolean;
  images: ImageTags;
  /** Every variable definition, and the expanded ones (lowest precedence first). */
  all: ReturnType<typeof jobVariables>["all"];
  expanded: ReturnType<typeof jobVariables>["expanded"];
  jobEnv: Record<string, string>;
  projectDir: string;
  /** Image and service names are expanded with the job's variables, as the runner does. */
  expandName: (value: string) => string;
  imageSpec: JobImage;
  jobImage: { image: string; kind: ImageName | undefined };
  network: string;
  certsVolume: string;
  /** Volumes to remove at the end (the certs volume and each dind's storage). */
  volumes: string[];
  services: StartedService[];
  log: string;
  write: (text: string) => void;
  say: (line: string) => void;
  /** Marks the end of a harness step: its duration goes to `timings`. */
  step: (name: string) => void;
  timings: Record<string, number>;
  exitCode: number;
  status: JobResult["status"];
  dotenv: Record<string, string>;
  dotenvError: string | undefined;
  reports: Record<string, string>;
  serviceLogs: Record<string, string>;
}

export async function runJob(job: JobDefinition, opts: RunJobOptions = {}): Promise<JobResult> {
  const run = await prepareRun(job, opts);
  const { say } = run;
  say(`Running with harbor-ci test harness (Docker executor emulation, ${imageMode()} images)`);
  say(`Using Docker executor with image ${run.imageSpec.name} (${run.jobImage.image}) ...`);
  try {
    await createJobNetwork(run);
    await startServices(run);
    await waitForServices(run);
    const { containerId, entrypoint } = await startJobContainer(run);
    await runStepScript(run, containerId, entrypoint);
    await runAfterScript(run, containerId, entrypoint);
    await collectReports(run, containerId);
    say(run.status === "success" ? "Job succeeded" : `ERROR: Job failed: exit code ${run.exitCode === 0 ? 1 : run.exitCode}`);
  } catch (error) {
    // A harness failure (not a job failure): keep what the job printed so far.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`runJob(${run.jobName}): the harness failed: ${message}\n--- job log so far ---\n${run.log}`, { cause: error });
  } finally {
    await cleanUp(run);
  }
  const { status, exitCode, log, dotenv, dotenvError, jobEnv, timings, serviceLogs, reports } = run;
  const durationMs = Date.now() - run.started;
  return { status, exitCode, log, durationMs, dotenv, dotenvError, variables: jobEnv, timings, serviceLogs, reports };
}

// ---- before the job: images, variables, names
async function prepareRun(job: JobDefinition, opts: RunJobOptions): Promise<JobRun> {
  const started = Date.now();
  const id = randomBytes(4).toString("hex");
  const jobName = opts.name ?? "job";
  const verbose = process.env.HARBOR_CI_TEST_VERBOSE === "1";
  const onLog = opts.onLog ?? (verbose ? (c: string) => process.stderr.write(c) : undefined);
  const timings: Record<string, number> = {};
  let stepStart = Date.now();
  const step = (name: string): void => {
    timings[name] = Date.now() - stepStart;
    stepStart = Date.now();
  };

  const images = opts.images ?? (await ensureImages(undefined, { quiet: true }));

  // Variables, lowest precedence first (the runner's lookup takes the last definition).
  const predefined = predefinedVariables(opts.scenario ?? {}, { name: jobName, stage: job.stage });
  const { all, expanded } = jobVariables(job, {
    predefined,
    harbor: opts.harbor ? harborVariables(opts.harbor) : [],
    dotenv: opts.dotenv,
    settings: opts.variables,
  });
  const jobEnv = toRecord(expanded);
  const expandName = (value: string): string => expandValue(value, lookupIn(expanded));
  const imageSpec: JobImage = typeof job.image === "string" ? { name: job.image } : (job.image ?? { name: UPSTREAM_IMAGES.job });
  const certsVolume = `harbor-ci-certs-${id}`;
  const run: JobRun = {
    job,
    opts,
    id,
    jobName,
    started,
    keep: opts.keep ?? process.env.HARBOR_CI_TEST_KEEP === "1",
    images,
    all,
    expanded,
    jobEnv,
    projectDir: jobEnv.CI_PROJECT_DIR!,
    expandName,
    imageSpec,
    jobImage: resolveImage(expandName(imageSpec.name), images),
    network: `harbor-ci-job-${id}`,
    certsVolume,
    volumes: [certsVolume],
    services: [],
    log: "",
    write: (text) => {
      run.log += text;
      onLog?.(text);
    },
    say: (line) => run.write(`${line}\n`),
    step,
    timings,
    exitCode: -1,
    status: "failed",
    dotenv: {},
    dotenvError: undefined,
    reports: {},
    serviceLogs: {},
  };
  return run;
}

async function createJobNetwork(run: JobRun): Promise<void> {
  const { job, images, opts, expandName } = run;
  await assertAvailable(run.imageSpec.name, run.jobImage.image);
  for (const s of job.services ?? []) {
    const ref = expandName(typeof s === "string" ? s : s.name);
    await assertAvailable(ref, resolveImage(ref, images).image);
  }
  await createNetwork(run.network, "job-network");
  await createVolume(run.certsVolume, "certs");
  if (opts.registry) await opts.registry.connect(run.network);
  run.step("network");
}

// ---- services
async function startServices(run: JobRun): Promise<void> {
  const { job, images, expandName } = run;
  const specs = (job.services ?? []).map((s) => (typeof s === "string" ? { name: s } : s));
  const mode = specs.some((s) => resolveImage(expandName(s.name), images).kind === "dind") ? await dindMode(images) : undefined;
  await Promise.all(specs.map((spec, index) => startService(run, spec, index, mode)));
  run.step("services-start");
}

async function startService(run: JobRun, spec: JobService, index: number, mode: DindMode | undefined): Promise<void> {
  const { id, opts, expandName } = run;
  const ref = expandName(spec.name);
  const { image, kind } = resolveImage(ref, run.images);
  const aliases = serviceAliases(ref, spec.alias ? expandName(spec.alias) : undefined);
  run.say(`Starting service ${ref}${image !== ref ? ` (${image})` : ""} as ${aliases.join(", ")} ...`);
  const publicVars = run.expanded.filter((v) => v.public);
  const own = expandAll(fromYaml(spec.variables), [...run.all, ...fromYaml(spec.variables)]);
  const env = toRecord([...publicVars, ...own]);
  const container = new HarnessContainer(image)
    .withName(`harbor-ci-svc-${id}-${index}`)
    .withLabels({ ...ownedLabels("service"), [LABEL_JOB]: id })
    .onlyOnNetwork(run.network, aliases)
    .withEnvironment(env);
  const mounts = [{ source: run.certsVolume, target: "/certs/client" }];
  if (spec.entrypoint) container.withEntrypoint(spec.entrypoint);
  if (spec.command) container.withCommand(spec.command);
  if (kind === "dind") {
    const dockerVolume = `harbor-ci-dind-${id}-${index}`;
    run.volumes.push(dockerVolume);
    await createVolume(dockerVolume, "dind-storage");
    // overlay2 cannot run on the container's overlay root: /var/lib/docker is a volume.
    mounts.push({ source: dockerVolume, target: "/var/lib/docker" });
    if (mode === "privileged") container.withPrivilegedMode();
    else {
      container
        .withAddedCapabilities("ALL")
        .withDroppedCapabilities("SYS_RESOURCE")
        .withSecurityOpt(...CAPS_SECURITY_OPTS)
        .withUnconfinedSystemPaths();
    }
    if (opts.registry) container.withCopyContentToContainer(opts.registry.dockerTrust());
  }
  container.withBindMounts(mounts); // replaces earlier mounts: call once
  const name =
    (spec.alias
      ? expandName(spec.alias)
          .split(/[\s,]+/)
          .find(Boolean)
      : undefined) ?? aliases[0]!;
  run.services.push({ ref, name, kind, aliases, container: await container.withStartupTimeout(60_000).start(), env });
}

// ---- wait for services: dind fully (images must be loaded), others like the runner (port)
async function waitForServices(run: JobRun): Promise<void> {
  const { images, opts } = run;
  await Promise.all(
    run.services.map(async (svc) => {
      if (svc.kind === "dind") {
        await waitForDind(svc, 60_000);
        const preload = [...new Set([images.base, ...(opts.preload ?? [])])];
        const t = Date.now();
        await transferImages(preload, svc.container.getId());
        if (images.base !== BASE_IMAGE_ALIAS) {
          await execStream(svc.container.getId(), { cmd: ["docker", "tag", images.base, BASE_IMAGE_ALIAS] });
        }
        run.say(`Loaded ${preload.join(", ")} into ${svc.aliases[0]} (${since(t)})`);
      } else {
        const warning = await waitForServicePort(svc, run.network, opts.serviceWaitMs ?? 30_000);
        if (warning) run.say(warning);
      }
    }),
  );
  run.step("services-ready");
}

// ---- job container (kept idle; each stage is a new shell through the image's entrypoint)
async function startJobContainer(run: JobRun): Promise<{ containerId: string; entrypoint: string[] }> {
  const { id, opts, projectDir } = run;
  const jc = new HarnessContainer(run.jobImage.image)
    .withName(`harbor-ci-job-${id}`)
    .withLabels({ ...ownedLabels("job"), [LABEL_JOB]: id })
    .withNetworkMode(run.network)
    .withHostname(`runner-harbor-ci-project-42-concurrent-0`)
    .withEnvironment(run.jobEnv)
    .withWorkingDir(projectDir)
    .withEntrypoint(["/bin/sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"])
    .withBindMounts([{ source: run.certsVolume, target: "/certs/client", mode: "rw" }]);
  if (opts.projectDir) jc.withCopyDirectoriesToContainer([{ source: opts.projectDir, target: projectDir }]);
  const jobContainer = await jc.start();
  if (!opts.projectDir) await jobContainer.exec(["mkdir", "-p", projectDir]);
  // `entrypoint: [""]` disables the image's entrypoint, as with docker run --entrypoint "".
  const entrypoint = (run.imageSpec.entrypoint ?? (await imageEntrypoint(run.jobImage.image))).filter((part, i, all) => !(all.length === 1 && part === ""));
  run.step("job-container");
  return { containerId: jobContainer.getId(), entrypoint };
}

// ---- step_script: before_script + script in one shell
async function runStepScript(run: JobRun, containerId: string, entrypoint: string[]): Promise<void> {
  run.say(`Executing "step_script" stage of the job script`);
  const commands = stepCommands(run.job).main;
  const timeoutMs = run.opts.timeoutMs ?? 600_000;
  const result = await execStream(containerId, {
    cmd: [...entrypoint, "sh", "-c", SHELL_COMMAND],
    env: toEnvList(run.expanded),
    workingDir: run.projectDir,
    stdin: stageScript(commands, { projectDir: run.projectDir }),
    onOutput: run.write,
    timeoutMs,
  });
  run.exitCode = result.exitCode;
  run.status = run.exitCode === 0 ? "success" : "failed";
  if (result.timedOut) run.say(`ERROR: Job failed: execution took longer than ${timeoutMs / 1000} seconds`);
  run.step("script");
}

// ---- after_script: a new shell, always, with CI_JOB_STATUS; its result does not count
async function runAfterScript(run: JobRun, containerId: string, entrypoint: string[]): Promise<void> {
  const after = stepCommands(run.job).after;
  if (after.length === 0) return;
  run.say("Running after_script");
  const afterEnv = [...toEnvList(run.expanded), `CI_JOB_STATUS=${run.status}`];
  const res = await execStream(containerId, {
    cmd: [...entrypoint, "sh", "-c", SHELL_COMMAND],
    env: afterEnv,
    workingDir: run.projectDir,
    stdin: stageScript(after, { projectDir: run.projectDir }),
    onOutput: run.write,
    timeoutMs: 300_000,
  });
  if (res.exitCode !== 0) run.say(`WARNING: after_script failed, but job will continue unaffected: exit code ${res.exitCode}`);
  run.step("after_script");
}

// ---- reports: uploaded on success unless artifacts:when says otherwise
async function collectReports(run: JobRun, containerId: string): Promise<void> {
  const { job, projectDir, say } = run;
  const when = job.artifacts?.when ?? "on_success";
  const upload = when === "always" || (when === "on_success" ? run.status === "success" : run.status === "failed");
  const dotenvPaths = job.artifacts?.reports?.dotenv;
  if (dotenvPaths && upload) {
    for (const path of Array.isArray(dotenvPaths) ? dotenvPaths : [dotenvPaths]) {
      const file = path.startsWith("/") ? path : `${projectDir}/${path}`;
      const read = await execStream(containerId, { cmd: ["cat", file] });
      if (read.exitCode !== 0) {
        say(`WARNING: ${path}: no matching files`);
        continue;
      }
      try {
        run.dotenv = { ...run.dotenv, ...parseDotenv(read.output) };
        say(`Uploading artifacts... ${path}: found 1 matching artifact files and directories`);
      } catch (error) {
        if (!(error instanceof DotenvError)) throw error;
        run.dotenvError = error.message;
        say(`ERROR: Uploading artifacts as "dotenv" to coordinator... 400 Bad Request (${error.message})`);
        run.status = "failed";
      }
    }
    run.step("dotenv");
  }
  // Other reports: uploaded under the same `when` (GitLab parses them server-side).
  for (const [kind, paths] of Object.entries(job.artifacts?.reports ?? {})) {
    if (kind === "dotenv" || !paths || !upload) continue;
    for (const path of Array.isArray(paths) ? paths : [paths]) {
      const file = path.startsWith("/") ? path : `${projectDir}/${path}`;
      const read = await execStream(containerId, { cmd: ["cat", file] });
      if (read.exitCode !== 0) say(`WARNING: ${path}: no matching files`);
      else {
        run.reports[path] = read.output;
        say(`Uploading artifacts as "${kind}" to coordinator... ${path}: found 1 matching artifact files and directories`);
      }
    }
  }
}

// ---- cleanup: service logs kept, everything else removed (unless kept for debugging)
async function cleanUp(run: JobRun): Promise<void> {
  const { opts, id } = run;
  const t = Date.now();
  for (const svc of run.services) run.serviceLogs[svc.name] = await containerLogs(svc.container.getId());
  if (!run.keep) {
    // By label: also catches a service that was created but failed to start.
    await removeContainersByLabel(LABEL_JOB, id);
    if (opts.registry) await opts.registry.disconnect(run.network);
    await removeNetwork(run.network);
    await Promise.all(run.volumes.map((v) => removeVolume(v)));
  }
  run.timings.cleanup = Date.now() - t;
  process.stderr.write(
    `[runner ${run.jobName}] ${run.status} in ${since(run.started)}: ${Object.entries(run.timings)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`)
      .join(", ")}\n`,
  );
}

async function imageEntrypoint(image: string): Promise<string[]> {
  const docker = await dockerode();
  const info = await docker.getImage(image).inspect();
  const ep = info.Config.Entrypoint as string[] | string | null | undefined;
  if (!ep) return [];
  const list = Array.isArray(ep) ? ep : ["/bin/sh", "-c", ep];
  return list.length === 1 && list[0] === "" ? [] : list;
}

async function waitForDind(svc: StartedService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    // `docker version` fails while the daemon does not answer (`docker info --format` does not).
    const res = await execStream(svc.container.getId(), { cmd: ["docker", "version", "--format", "{{.Server.Version}}"], timeoutMs: 10_000 }).catch(
      (e: Error) => ({ exitCode: 1, output: e.message }),
    );
    if (res.exitCode === 0 && res.output.trim() !== "") return;
    last = res.output.trim();
    await sleep(250);
  }
  const logs = await containerLogs(svc.container.getId());
  throw new Error(
    `dind service ${svc.ref} did not answer \`docker info\` within ${timeoutMs / 1000} s (last: ${last}).\n` +
      `If the log below says "unable to apply caps", set HARBOR_CI_DIND_MODE=caps.\n--- service log (tail) ---\n${logs.split("\n").slice(-30).join("\n")}`,
  );
}

/** The runner's health check: TCP to the service's lowest exposed port (or HEALTHCHECK_TCP_PORT). */
async function waitForServicePort(svc: StartedService, network: string, timeoutMs: number): Promise<string | undefined> {
  const docker = await dockerode();
  const info = await docker.getContainer(svc.container.getId()).inspect();
  const exposed = Object.keys(info.Config.ExposedPorts ?? {})
    .filter((p) => p.endsWith("/tcp"))
    .map((p) => Number.parseInt(p, 10))
    .sort((a, b) => a - b);
  const port = svc.env.HEALTHCHECK_TCP_PORT ? Number(svc.env.HEALTHCHECK_TCP_PORT) : exposed[0];
  if (port === undefined) return undefined;
  const ip = info.NetworkSettings.Networks[network]?.IPAddress;
  if (!ip) return `*** WARNING: Service ${svc.ref} has no address on the job network`;
  try {
    if (containerAddressesReachable()) await waitForTcp(ip, port, timeoutMs);
    else await waitForListeningPort(svc.container.getId(), port, timeoutMs);
    return undefined;
  } catch (error) {
    const logs = await containerLogs(svc.container.getId());
    return `*** WARNING: Service ${svc.aliases[0]} probably didn't start properly.\n\nHealth check error:\n${(error as Error).message}\n\nService container logs:\n${logs}\n*********`;
  }
}
