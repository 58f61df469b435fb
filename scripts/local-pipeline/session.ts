// The engine side of a local pipeline run (npm start, npm run bench:build): a session of labelled
// containers that is cleaned up on every way out (normal end, error, Ctrl-C, SIGTERM), the test
// images with progress, and the dind mode of this machine.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { cleanupResources, dockerode, LABEL_SESSION, sleep, type CleanupReport } from "../runner/docker.ts";
import { ensureImages, type ImageName, type ImageTags } from "../runner/images.ts";
import { dindMode } from "../runner/runner.ts";

export type Progress = (message: string) => void;

/** A progress printer on stderr: `[  4.2s] message` (time since the run started). */
export function progressPrinter(startedMs = Date.now(), stream: NodeJS.WritableStream = process.stderr): Progress {
  return (message) => {
    const t = ((Date.now() - startedMs) / 1000).toFixed(1).padStart(6);
    for (const line of message.split("\n")) stream.write(`[${t}s] ${line}\n`);
  };
}

export interface CloseReport extends CleanupReport {
  /** HARBOR_CI_TEST_KEEP=1: nothing was removed. */
  kept: boolean;
  /** Resources of this session still on the engine after the clean-up. */
  remaining: number;
}

export interface Session {
  id: string;
  /** Registers a clean-up step (run last-registered first). */
  defer(step: () => Promise<unknown> | unknown): void;
  /** Runs the clean-up steps, then removes whatever this session's label still marks. */
  close(): Promise<CloseReport>;
}

/**
 * Starts a session: its own label value (never another run's: an integration suite may be running
 * on the same engine), leftovers of dead runs removed, and signal handlers that clean up before
 * exiting (a second Ctrl-C exits at once).
 */
export async function openSession(progress: Progress): Promise<Session> {
  // Fresh values: never inherit the session of a parent process (a vitest run, another script).
  process.env.HARBOR_CI_TEST_SESSION = randomUUID().slice(0, 8);
  process.env.HARBOR_CI_TEST_OWNER = `${hostname()}:${process.pid}`;
  const id = process.env.HARBOR_CI_TEST_SESSION;
  const steps: (() => Promise<unknown> | unknown)[] = [];
  let closing: Promise<CloseReport> | undefined;

  const close = (): Promise<CloseReport> => {
    closing ??= (async () => {
      if (process.env.HARBOR_CI_TEST_KEEP === "1") {
        progress(
          `HARBOR_CI_TEST_KEEP=1: everything of this run is left for inspection (docker ps -a --filter label=${LABEL_SESSION}=${id}); the next run removes it`,
        );
        return { containers: 0, networks: 0, volumes: 0, kept: true, remaining: await remaining(id) };
      }
      for (const step of steps.reverse()) {
        try {
          await step();
        } catch (error) {
          progress(`clean-up step failed: ${(error as Error).message}`);
        }
      }
      // A job interrupted by a signal is still tearing itself down: a volume cannot go while a
      // container still holds it. Sweep until nothing of this session is left (bounded).
      const total: CloseReport = { containers: 0, networks: 0, volumes: 0, kept: false, remaining: 0 };
      for (let pass = 0; pass < 10; pass++) {
        const r = await cleanupResources({ session: id });
        total.containers += r.containers;
        total.networks += r.networks;
        total.volumes += r.volumes;
        total.remaining = await remaining(id);
        if (total.remaining === 0) return total;
        await sleep(500);
      }
      progress(`some resources of this run are still there: docker ps -a / docker network ls / docker volume ls --filter label=${LABEL_SESSION}=${id}`);
      return total;
    })();
    return closing;
  };

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      process.stderr.write(`\n${signal} again: exiting without finishing the clean-up (docker ps -a --filter label=harbor-ci-test.session=${id})\n`);
      process.exit(130);
    }
    interrupted = true;
    progress(`${signal}: removing this run's containers, networks and volumes (Ctrl-C again to skip)...`);
    void close().then(
      (r) => {
        progress(`removed ${r.containers} container(s), ${r.networks} network(s), ${r.volumes} volume(s)`);
        process.exit(signal === "SIGINT" ? 130 : 143);
      },
      () => process.exit(1),
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const stale = await cleanupResources();
  if (stale.containers + stale.networks + stale.volumes > 0) {
    progress(`removed leftovers of interrupted runs: ${stale.containers} container(s), ${stale.networks} network(s), ${stale.volumes} volume(s)`);
  }
  progress(`this run's containers, networks and volumes carry the label ${LABEL_SESSION}=${id}`);
  return { id, defer: (step) => void steps.push(step), close };
}

/** How many containers, networks and volumes still carry this session's label. */
async function remaining(session: string): Promise<number> {
  const docker = await dockerode();
  const filters = { label: [`${LABEL_SESSION}=${session}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return containers.length + networks.length + (volumes.Volumes ?? []).length;
}

/** Builds (or finds) the images, and settles how dind runs here; both with progress. */
export async function prepareEngine(names: readonly ImageName[], progress: Progress): Promise<ImageTags> {
  const images = await ensureImages(names, { onProgress: (m) => progress(`images: ${m}`) });
  const mode = await dindMode(images);
  process.env.HARBOR_CI_DIND_MODE ??= mode;
  progress(
    `Docker-in-Docker services run ${mode === "privileged" ? "--privileged" : "with --cap-add ALL --cap-drop SYS_RESOURCE (this VM refuses --privileged)"}`,
  );
  return images;
}
