// Engine access shared by the harness modules: the testcontainers client (and its dockerode),
// ownership labels, streamed exec with stdin, image transfer into an inner dind, cleanup.
import { hostname } from "node:os";
import { connect } from "node:net";
import { PassThrough, Readable, type Writable } from "node:stream";
import { randomUUID } from "node:crypto";
import { getContainerRuntimeClient } from "testcontainers";

// Read lazily by testcontainers, so setting them before its first call is enough: the reaper
// image (ryuk) cannot be pulled here, and without a host override it pulls alpine to find the host.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "localhost";

export type RuntimeClient = Awaited<ReturnType<typeof getContainerRuntimeClient>>;
export type Dockerode = RuntimeClient["container"]["dockerode"];

let clientPromise: Promise<RuntimeClient> | undefined;

export function runtimeClient(): Promise<RuntimeClient> {
  clientPromise ??= getContainerRuntimeClient().catch((error: unknown) => {
    clientPromise = undefined;
    throw new Error(
      `No Docker engine reachable (${(error as Error).message}). Run \`sh scripts/engine/ensure-engine.sh\` first (npm run test:integration does).`,
    );
  });
  return clientPromise;
}

export async function dockerode(): Promise<Dockerode> {
  return (await runtimeClient()).container.dockerode;
}

// ---------------------------------------------------------------------------------------------
// Ownership labels: everything the harness creates carries them, so a crashed run's leftovers
// can be removed without touching the resources of another run on the same engine.

export const LABEL = "harbor-ci-test";
export const LABEL_SESSION = "harbor-ci-test.session";
export const LABEL_OWNER = "harbor-ci-test.owner"; // "<hostname>:<pid>" of the process that owns the run
export const LABEL_JOB = "harbor-ci-test.job"; // one runJob call

/** Session of this test run: set by the vitest global setup, inherited by the workers. */
export function sessionId(): string {
  ownerTag();
  process.env.HARBOR_CI_TEST_SESSION ??= randomUUID().slice(0, 8);
  return process.env.HARBOR_CI_TEST_SESSION;
}

function ownerTag(): string {
  process.env.HARBOR_CI_TEST_OWNER ??= `${hostname()}:${process.pid}`;
  return process.env.HARBOR_CI_TEST_OWNER;
}

export function ownedLabels(role: string): Record<string, string> {
  return { [LABEL]: role, [LABEL_SESSION]: sessionId(), [LABEL_OWNER]: ownerTag() };
}

function ownerAlive(owner: string | undefined): boolean {
  if (!owner) return false;
  const [host, pid] = owner.split(":");
  if (host !== hostname()) return true; // another machine's run: not ours to judge
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

export interface CleanupReport {
  containers: number;
  networks: number;
  volumes: number;
}

/**
 * Removes harness resources: those of `session` when given, else those whose owner process is
 * gone (leftovers of a crashed or interrupted run).
 */
export async function cleanupResources(opts: { session?: string } = {}): Promise<CleanupReport> {
  const docker = await dockerode();
  const mine = (labels: Record<string, string> | undefined): boolean => {
    if (!labels || labels[LABEL] === undefined) return false;
    if (opts.session) return labels[LABEL_SESSION] === opts.session;
    return !ownerAlive(labels[LABEL_OWNER]);
  };
  const report: CleanupReport = { containers: 0, networks: 0, volumes: 0 };
  const containers = await docker.listContainers({ all: true, filters: { label: [LABEL] } });
  await Promise.all(
    containers
      .filter((c) => mine(c.Labels))
      .map(async (c) => {
        await docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined);
        report.containers++;
      }),
  );
  const networks = await docker.listNetworks({ filters: { label: [LABEL] } });
  for (const n of networks.filter((n) => mine(n.Labels))) {
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
    report.networks++;
  }
  const volumes = (await docker.listVolumes({ filters: { label: [LABEL] } })).Volumes ?? [];
  for (const v of volumes.filter((v) => mine(v.Labels as Record<string, string>))) {
    await docker
      .getVolume(v.Name)
      .remove()
      .catch(() => undefined);
    report.volumes++;
  }
  return report;
}

/** Removes the containers carrying `label=value` (with their anonymous volumes). */
export async function removeContainersByLabel(label: string, value: string): Promise<number> {
  const docker = await dockerode();
  const containers = await docker.listContainers({ all: true, filters: { label: [`${label}=${value}`] } });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  return containers.length;
}

export async function createNetwork(name: string, role = "network"): Promise<string> {
  const docker = await dockerode();
  const network = await docker.createNetwork({ Name: name, Driver: "bridge", Labels: ownedLabels(role) });
  return network.id;
}

export async function removeNetwork(name: string): Promise<void> {
  const docker = await dockerode();
  await docker
    .getNetwork(name)
    .remove()
    .catch(() => undefined);
}

export async function createVolume(name: string, role = "volume"): Promise<string> {
  const docker = await dockerode();
  await docker.createVolume({ Name: name, Labels: ownedLabels(role) });
  return name;
}

export async function removeVolume(name: string): Promise<void> {
  const docker = await dockerode();
  await docker
    .getVolume(name)
    .remove()
    .catch(() => undefined);
}

export async function imageExists(ref: string): Promise<boolean> {
  const docker = await dockerode();
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// exec with streamed output and optional stdin (testcontainers' exec has neither).

export interface ExecStreamOptions {
  cmd: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  /** Written to the process's stdin, which is then closed. */
  stdin?: string | Readable;
  /** Called with each chunk of combined stdout+stderr, in arrival order. */
  onOutput?: (chunk: string) => void;
  timeoutMs?: number;
}

export interface ExecStreamResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

export async function execStream(containerId: string, opts: ExecStreamOptions): Promise<ExecStreamResult> {
  const docker = await dockerode();
  const container = docker.getContainer(containerId);
  const exec = await container.exec({
    Cmd: opts.cmd,
    Env: opts.env,
    WorkingDir: opts.workingDir,
    User: opts.user,
    AttachStdin: opts.stdin !== undefined,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = (await exec.start({ hijack: true, stdin: opts.stdin !== undefined })) as NodeJS.ReadWriteStream & {
    destroy(): void;
  };
  let output = "";
  const sink = new PassThrough();
  sink.setEncoding("utf8");
  sink.on("data", (chunk: string) => {
    output += chunk;
    opts.onOutput?.(chunk);
  });
  docker.modem.demuxStream(stream, sink, sink);

  if (opts.stdin !== undefined) {
    if (typeof opts.stdin === "string") {
      stream.write(opts.stdin);
      stream.end();
    } else {
      opts.stdin.pipe(stream as unknown as Writable);
    }
  }

  let timedOut = false;
  await new Promise<void>((resolve, reject) => {
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stream.destroy();
            resolve();
          }, opts.timeoutMs);
    stream.on("end", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("error", (error) => {
      clearTimeout(timer);
      if (timedOut) resolve();
      else reject(error);
    });
  });
  sink.end();
  if (timedOut) return { exitCode: 124, output, timedOut };
  // The exit code lands shortly after the stream closes.
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return { exitCode: info.ExitCode, output, timedOut };
    await sleep(100);
  }
  throw new Error(`exec ${JSON.stringify(opts.cmd[0])} in ${containerId.slice(0, 12)}: no exit code 5 s after its output ended`);
}

// ---------------------------------------------------------------------------------------------

/**
 * Copies images from the outer engine into the engine of a dind container, without any
 * registry: `GET /images/get` outside piped into `docker load` inside (through exec, so it
 * works whatever the daemon's TLS setup is).
 */
export async function transferImages(refs: string[], dindContainerId: string): Promise<void> {
  if (refs.length === 0) return;
  const docker = await dockerode();
  // dockerode's getImages is untyped; same request: GET /images/get?names=a&names=b
  const tar = await new Promise<Readable>((resolve, reject) => {
    docker.modem.dial(
      {
        path: "/images/get?",
        method: "GET",
        options: { names: refs },
        isStream: true,
        statusCodes: { 200: true, 404: "image not found", 500: "server error" },
      },
      (error: unknown, stream: unknown) => (error ? reject(error) : resolve(stream as Readable)),
    );
  });
  const result = await execStream(dindContainerId, { cmd: ["docker", "load", "-q"], stdin: tar, timeoutMs: 300_000 });
  if (result.exitCode !== 0) {
    throw new Error(`Loading ${refs.join(", ")} into dind ${dindContainerId.slice(0, 12)} failed (exit ${result.exitCode}): ${result.output.trim()}`);
  }
}

/**
 * The host at which this process reaches the engine's published ports: the engine's own host when
 * it is remote (GitLab's integration job talks to a dind service: TESTCONTAINERS_HOST_OVERRIDE=docker),
 * else the loopback address.
 */
export function engineHost(): string {
  const override = process.env.TESTCONTAINERS_HOST_OVERRIDE;
  if (override && override !== "localhost") return override;
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost?.startsWith("tcp://")) return new URL(dockerHost.replace(/^tcp:/, "http:")).hostname;
  return "127.0.0.1";
}

/**
 * Whether container addresses are routable from this process. They are not when the engine is
 * remote (its bridge networks live on another host), nor when HARBOR_CI_SERVICE_PROBE=exec
 * forces the in-container check that remote engines need.
 */
export function containerAddressesReachable(): boolean {
  return engineHost() === "127.0.0.1" && process.env.HARBOR_CI_SERVICE_PROBE !== "exec";
}

/**
 * Resolves when a process in the container listens on `port`, read from /proc/net/tcp{,6} inside
 * it (the check testcontainers uses for remote engines): needs only `cat`, no route to the
 * container. Rejects after timeoutMs.
 */
export async function waitForListeningPort(containerId: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  // local_address is "ADDR:PORT" (hex), state 0A is LISTEN.
  const listening = new RegExp(`^\\s*\\d+:\\s+[0-9A-F]+:${hex}\\s+[0-9A-F]+:[0-9A-F]+\\s+0A\\s`, "m");
  let last = "";
  while (Date.now() < deadline) {
    const r = await execStream(containerId, { cmd: ["cat", "/proc/net/tcp", "/proc/net/tcp6"], timeoutMs: 5_000 }).catch((e: unknown) => ({
      exitCode: -1,
      output: String(e),
    }));
    if (listening.test(r.output)) return;
    last = r.exitCode === -1 ? r.output : `nothing listens on port ${port} yet`;
    await sleep(250);
  }
  throw new Error(`port ${port} of container ${containerId.slice(0, 12)} not listening after ${timeoutMs} ms: ${last}`);
}

/** Resolves when a TCP connection to host:port succeeds, or rejects after timeoutMs. */
export async function waitForTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port, timeout: 1000 });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("timeout", () => {
        lastError = "timeout";
        socket.destroy();
        resolve(false);
      });
      socket.once("error", (error) => {
        lastError = error.message;
        resolve(false);
      });
    });
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`${host}:${port} did not accept TCP connections within ${timeoutMs} ms (last error: ${lastError})`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Elapsed-time formatter for progress lines. */
export function since(startMs: number): string {
  return `${((Date.now() - startMs) / 1000).toFixed(1)}s`;
}

/**
 * A container's whole log (stdout and stderr as written), demultiplexed by dockerode's modem: a
 * non-TTY container's log comes in frames [stream, 0, 0, 0, size] + payload. "" when it is gone.
 */
export async function containerLogs(containerId: string): Promise<string> {
  const docker = await dockerode();
  let raw: Buffer | string;
  try {
    raw = (await docker.getContainer(containerId).logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer | string;
  } catch {
    return "";
  }
  if (typeof raw === "string") return raw;
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on("data", (chunk: Buffer) => chunks.push(chunk));
  const source = Readable.from([raw]);
  docker.modem.demuxStream(source, sink, sink);
  await new Promise<void>((resolve, reject) => {
    source.on("end", resolve);
    source.on("error", reject);
  });
  return Buffer.concat(chunks).toString("utf8");
}
