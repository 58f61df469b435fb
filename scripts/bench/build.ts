// bench:build — the user guide's naive build job against the build-push component, side by side,
// on two sample apps in one run: examples/bench-app (single stage: a ~20 MB dependency step, then
// the source) and examples/builder-app (the builder pattern: the dependency step sits in a builder
// stage, the final stage copies the artifact), each in three cases: cold (empty repository),
// after a one-line source change, with no change.
//
// Each job runs as on GitLab's Docker executor (scripts/runner): a FRESH Docker-in-Docker service
// per job, so its layer cache starts empty every time. The naive job therefore rebuilds and
// re-pushes everything; build-push reads its registry cache (every stage, `buildcache-main`).
// Each job pushes to its own embedded registry; bytes are counted on the registry's side (its
// request log and blob sizes: scripts/bench/bytes.ts). The Dockerfile's base comes from
// that registry's proxy-cache path, pulled by every job's fresh daemon (proxy-cache.ts says why).
//
//   BENCH_RUNS=3 npm run bench:build      medians of 3 runs (default 1)
//   BENCH_DEPS_SECONDS=3 npm run bench:build    the dependency install's duration (default 20 s,
//                                               about an `npm ci` of a small app; with 3 s the fixed
//                                               cost of pulling the cached layers dominates)
//   npm run bench:build -- --verbose      stream the job logs
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { renderComponent } from "../lib/ci/render.ts";
import { RegistryFixture } from "../runner/registry.ts";
import { runJob, type JobDefinition, type JobResult } from "../runner/runner.ts";
import { NAIVE_JOB_NAME, naiveBuildJob } from "./naive-job.ts";
import {
  aggregate,
  BENCH_CASES,
  benchTable,
  CASE_LABEL,
  CONTENDER_LABEL,
  evaluateTargets,
  oneLineChange,
  targetLines,
  type BenchCase,
  type Contender,
  type Measurement,
} from "./bench-report.ts";
import { changedLayers, formatBytes, parseImageManifest, type ImageManifest } from "./bytes.ts";
import { jobLogStream } from "../local-pipeline/job-log.ts";
import { logTail } from "../local-pipeline/log-view.ts";
import { uploadsSince } from "./registry-uploads.ts";
import { depsMegabytes, withArgDefault } from "./dockerfile.ts";
import { emptyImage, seedProxyCache } from "./proxy-cache.ts";
import { openSession, prepareEngine, progressPrinter } from "../local-pipeline/session.ts";
import { projectRoot } from "../lib/project.ts";

/** The sample apps, in the order they run. */
const APPS = [
  { dir: join(projectRoot, "examples/bench-app"), label: "examples/bench-app (single stage)" },
  { dir: join(projectRoot, "examples/builder-app"), label: "examples/builder-app (builder pattern)" },
] as const;
/** The naive job pushes `$HARBOR_HOST/$HARBOR_PROJECT/my-app`: build-push gets the same name. */
const IMAGE_NAME = "my-app";

function wholeNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name] ?? String(fallback);
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  return n;
}

function options(): { runs: number; depsSeconds: number; verbose: boolean } {
  const { values } = parseArgs({ options: { verbose: { type: "boolean", short: "v" } }, strict: true });
  return {
    runs: wholeNumber("BENCH_RUNS", 1, 1, 20),
    // The install time the dependency step stands for (examples/bench-app: 3 s, a small npm ci).
    depsSeconds: wholeNumber("BENCH_DEPS_SECONDS", 20, 0, 600),
    verbose: values.verbose === true || process.env.BENCH_VERBOSE === "1",
  };
}

interface Track {
  app: (typeof APPS)[number];
  contender: Contender;
  name: string;
  job: JobDefinition;
  registry: RegistryFixture;
  projectDir: string;
  /** Manifest of the image this job pushed last (for the layers that changed). */
  last?: ImageManifest;
}

/** A commit SHA per run and case: each case is a new commit, as on GitLab. */
function commitSha(app: string, run: number, c: BenchCase): string {
  return createHash("sha1").update(`bench-build ${app} ${run} ${c}`).digest("hex");
}

/** What the registry cache holds after the runs: its blobs, and those the image does not share. */
async function cacheStorage(t: Track): Promise<{ blobs: number; bytes: number; extraBytes: number } | undefined> {
  const repository = `${t.registry.project}/${IMAGE_NAME}`;
  const res = await t.registry.http("GET", `/v2/${repository}/manifests/buildcache-main`, {
    headers: { Accept: "application/vnd.oci.image.manifest.v1+json" },
  });
  if (res.status !== 200) return undefined;
  const cache = parseImageManifest(res.body);
  const image = new Set([t.last?.config.digest, ...(t.last?.layers ?? []).map((l) => l.digest)]);
  const blobs = [cache.config, ...cache.layers];
  return {
    blobs: blobs.length,
    bytes: blobs.reduce((n, b) => n + b.size, 0),
    extraBytes: blobs.filter((b) => !image.has(b.digest)).reduce((n, b) => n + b.size, 0),
  };
}

/** What the steps of one benchmark share: options, the session, images, and what was measured. */
interface Bench {
  runs: number;
  depsSeconds: number;
  verbose: boolean;
  /** Size of the dependency step (examples/bench-app/deps.txt). */
  depsMb: number;
  started: number;
  progress: ReturnType<typeof progressPrinter>;
  session: Awaited<ReturnType<typeof openSession>>;
  images: Awaited<ReturnType<typeof prepareEngine>>;
  /** The images of the measured jobs: their dind services start empty (base pulled from the proxy cache). */
  jobImages: Awaited<ReturnType<typeof prepareEngine>>;
  ours: JobDefinition;
  measurements: Map<(typeof APPS)[number], Measurement[]>;
  storage: Map<(typeof APPS)[number], Awaited<ReturnType<typeof cacheStorage>>>;
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof options>;
  try {
    opts = options();
  } catch (error) {
    process.stderr.write(`bench:build: ${(error as Error).message}\n`);
    return 2;
  }
  const depsMb = depsMegabytes(readFileSync(join(APPS[0].dir, "deps.txt"), "utf8"));
  const started = Date.now();
  const progress = progressPrinter(started);
  const ours = Object.values(renderComponent("build-push", { image_name: IMAGE_NAME }).body)[0] as JobDefinition;
  const session = await openSession(progress);
  try {
    const images = await prepareEngine(["job", "dind", "registry"], progress);
    // The measured jobs' dind services start empty: the base is pulled from the proxy cache.
    const jobImages = { ...images, base: await emptyImage() };
    const bench: Bench = {
      ...opts,
      depsMb,
      started,
      progress,
      session,
      images,
      jobImages,
      ours,
      measurements: new Map(APPS.map((a) => [a, []])),
      storage: new Map(),
    };
    for (const app of APPS) {
      for (let run = 1; run <= opts.runs; run++) {
        if (!(await benchRun(bench, app, run))) return 1;
      }
    }
    process.stdout.write(`${benchReport(bench).join("\n")}\n`);
    return 0;
  } finally {
    const r = await session.close();
    if (!r.kept && r.remaining === 0) progress("clean-up done: registries, jobs' containers, networks and volumes, working copies removed");
  }
}

/** One run of one app: both contenders through every case. False when a job failed. */
async function benchRun(bench: Bench, app: (typeof APPS)[number], run: number): Promise<boolean> {
  const tracks = await prepareTracks(bench, app, run);
  for (const c of BENCH_CASES) {
    const sha = commitSha(app.dir, run, c);
    // Alternate which job goes first, so that neither always runs on a warmer engine.
    const order = run % 2 === 1 ? tracks : [...tracks].reverse();
    for (const t of order) {
      if (!(await measureCase(bench, t, run, c, sha))) return false;
    }
  }
  bench.storage.set(app, await cacheStorage(tracks.find((t) => t.contender === "ours")!));
  for (const t of tracks) await t.registry.dispose();
  return true;
}

// Fresh registries and working copies per run: "cold" means an empty repository.
async function prepareTracks(bench: Bench, app: (typeof APPS)[number], run: number): Promise<Track[]> {
  const { runs, progress, session, images } = bench;
  const tracks: Track[] = [];
  for (const [contender, name, job] of [
    ["naive", NAIVE_JOB_NAME, naiveBuildJob],
    ["ours", "build-push", bench.ours],
  ] as const) {
    const registry = await RegistryFixture.start({ images, onProgress: () => undefined });
    session.defer(() => registry.dispose());
    progress(`run ${run}/${runs}: registry for ${CONTENDER_LABEL[contender]}: seeding its proxy cache with the Debian base`);
    const base = await seedProxyCache(registry, images);
    const projectDir = mkdtempSync(join(tmpdir(), `hci-bench-${contender}-`));
    session.defer(() => rmSync(projectDir, { recursive: true, force: true }));
    cpSync(app.dir, projectDir, { recursive: true });
    const dockerfile = join(projectDir, "Dockerfile");
    writeFileSync(
      dockerfile,
      withArgDefault(withArgDefault(readFileSync(dockerfile, "utf8"), "BASE", base), "DEPS_INSTALL_SECONDS", String(bench.depsSeconds)),
    );
    tracks.push({ app, contender, name, job, registry, projectDir });
  }
  progress(`run ${run}/${runs}: two registries (base image in their proxy cache) and two working copies of ${app.label} ready`);
  return tracks;
}

/** One job of one case: run it, count what the registry received. False when the job failed. */
async function measureCase(bench: Bench, t: Track, run: number, c: BenchCase, sha: string): Promise<boolean> {
  const { runs, progress } = bench;
  if (c === "change") {
    const file = join(t.projectDir, "src/app");
    writeFileSync(file, oneLineChange(readFileSync(file, "utf8"), `revision ${sha.slice(0, 8)}`));
  }
  const label = `${t.app.label}, run ${run}/${runs}, ${CASE_LABEL[c]}, ${CONTENDER_LABEL[t.contender]}`;
  progress(`${label}: starting`);
  const mark = await t.registry.mark();
  const log = bench.verbose ? jobLogStream(`${t.contender} ${c}`, 16, "verbose", (l) => process.stderr.write(`${l}\n`), { timestamps: true }) : undefined;
  let result: JobResult;
  try {
    result = await runJob(t.job, {
      name: t.name,
      projectDir: t.projectDir,
      scenario: { branch: "main", sha },
      // The guide's setup: Harbor on the default HTTPS port (the naive job uses
      // $HARBOR_HOST, which has no port). Both jobs talk to the same endpoint.
      harbor: t.registry.integration({ withPort: false }),
      registry: t.registry,
      images: bench.jobImages,
      ...(log ? { onLog: log.onLog } : {}),
    });
  } finally {
    log?.flush();
  }
  if (result.status !== "success") {
    process.stderr.write(`\n--- ${label}: the job failed (exit code ${result.exitCode}); last 40 lines ---\n${logTail(result.log, 40).join("\n")}\n`);
    return false;
  }
  const repository = `${t.registry.project}/${IMAGE_NAME}`;
  const { account, manifests } = await uploadsSince(t.registry, mark, [
    { repository, reference: sha.slice(0, 8) },
    { repository, reference: "latest" },
  ]);
  const pushed = manifests.get(`${repository}:${sha.slice(0, 8)}`);
  if (!pushed) throw new Error(`${label}: ${repository}:${sha.slice(0, 8)} is not in the registry after the job`);
  const changed = changedLayers(t.last, pushed).map((l) => l.digest);
  t.last = pushed;
  bench.measurements.get(t.app)!.push({
    run,
    case: c,
    contender: t.contender,
    wallMs: result.durationMs,
    scriptMs: result.timings.script ?? 0,
    uploads: account,
    changedLayers: changed,
  });
  progress(
    `${label}: ${(result.durationMs / 1000).toFixed(1)}s (script ${((result.timings.script ?? 0) / 1000).toFixed(1)}s), ` +
      `uploaded ${formatBytes(account.totalBytes)}: ${account.layerBlobs} layer blob(s) ${formatBytes(account.layerBytes)} + ${account.otherBlobs} other ${formatBytes(account.otherBytes)}` +
      (account.unknown.length ? `, ${account.unknown.length} blob(s) of unknown size` : ""),
  );
  return true;
}

/** The lines of the benchmark's report: per app, the table, the cache's storage and the targets. */
function benchReport(bench: Bench): string[] {
  const { runs, depsSeconds, depsMb } = bench;
  const out = [
    "",
    `bench:build — the user guide's naive job vs build-push (cache: registry), dependency step ${depsMb} MB, ${depsSeconds} s, median of ${runs} run(s)`,
    "Each job gets a fresh Docker-in-Docker service (empty layer cache, base image pulled from the registry's proxy-cache path), as on",
    'GitLab. "job wall": the whole job (services, script, clean-up); "script": before_script + script. Bytes: blobs the registry',
    "received (layers + image configs + build-push's cache blobs; manifests and cross-repository mounts not counted).",
  ];
  for (const app of APPS) {
    const ms = bench.measurements.get(app)!;
    const aggregates = aggregate(ms);
    const cache = bench.storage.get(app);
    out.push(
      "",
      `${app.label}:`,
      "",
      benchTable(aggregates),
      "",
      cache
        ? `Registry storage of the cache (buildcache-main, last run): ${cache.blobs} blobs, ${formatBytes(cache.bytes)}; ${formatBytes(cache.extraBytes)} of it not shared with the image.`
        : "Registry storage of the cache: no buildcache-main manifest found.",
      "Targets:",
      ...targetLines(evaluateTargets(ms, aggregates)).map((l) => `  ${l}`),
    );
  }
  out.push("", `Total benchmark time ${((Date.now() - bench.started) / 1000).toFixed(0)}s.`);
  return out;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench:build failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
