// npm start: a local pipeline of the three components on the example app (examples/app), run as
// GitLab's Docker executor would run them (scripts/runner), against an embedded Harbor stand-in
// (a TLS registry with a robot account), ending with a summary table.
//
//   build-push  (stage build)  builds examples/app in Docker-in-Docker, pushes it, writes IMAGE_REF
//   pull-run    (stage test)   needs build-push: pulls IMAGE_REF (by digest) and runs it
//   service-db  (stage test)   a PostgreSQL service; the script writes and reads a row via DATABASE_URL
//
// The components are rendered with their defaults and only the inputs they require (plus the
// command pull-run passes to the app): what a user gets from the README's shortest include.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RegistryFixture } from "./runner/registry.ts";
import { DEFAULT_SHA, type Scenario } from "./runner/variables.ts";
import { logTail } from "./local-pipeline/log-view.ts";
import { runLocalPipeline, summaryRow } from "./local-pipeline/local-run.ts";
import { demoPipelineJobs, DEMO_IMAGE_NAME, DEMO_STAGES } from "./local-pipeline/demo-pipeline.ts";
import { planPipeline } from "./local-pipeline/pipeline.ts";
import { openSession, prepareEngine, progressPrinter } from "./local-pipeline/session.ts";
import { summaryLine, summaryTable } from "./local-pipeline/summary.ts";
import { projectRoot } from "./lib/project.ts";

const APP_DIR = join(projectRoot, "examples/app");

const HELP = `npm start [-- options]

Runs a local pipeline of build-push, pull-run and service-db on examples/app, against an embedded
registry (harbor.test:5443, robot account, TLS), each job as GitLab's Docker executor runs it:
services first, a fresh Docker-in-Docker daemon per job, dotenv reports handed to later jobs.
Needs a Docker engine (scripts/engine/ensure-engine.sh installs one as root on Debian).

Options:
  -v, --verbose          stream every job log line (default: section titles, build steps,
                         what runs outside collapsed sections, errors and warnings)
      --fail             make the app exit with code 3 in pull-run: shows a failing pipeline
      --concurrency <n>  jobs running at once (default 1; service-db has needs: [] and can run
                         beside build-push)
  -h, --help             this text

Exit code: 0 when every job passed, 1 when a job failed (its log tail is printed), 2 on bad options.
Environment: HARBOR_CI_TEST_KEEP=1 leaves the registry and every job's containers, networks and
volumes behind for inspection (the next run removes them).`;

function gitHead(): string {
  const r = spawnSync("git", ["rev-parse", "HEAD"], { cwd: projectRoot, encoding: "utf8" });
  const sha = r.status === 0 ? r.stdout.trim() : "";
  return /^[0-9a-f]{40}$/.test(sha) ? sha : DEFAULT_SHA;
}

async function main(): Promise<number> {
  const options = {
    verbose: { type: "boolean", short: "v" },
    fail: { type: "boolean" },
    concurrency: { type: "string" },
    help: { type: "boolean", short: "h" },
  } as const;
  let args: ReturnType<typeof parseArgs<{ options: typeof options; strict: true }>>;
  try {
    args = parseArgs({ options, strict: true });
  } catch (error) {
    process.stderr.write(`npm start: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const concurrency = Number(args.values.concurrency ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 3) {
    process.stderr.write(`npm start: --concurrency must be 1, 2 or 3, not ${args.values.concurrency}\n`);
    return 2;
  }

  const started = Date.now();
  const progress = progressPrinter(started);
  // Check the pipeline before touching the engine: a template error shows at once.
  const plan = planPipeline(demoPipelineJobs(args.values.fail ? { appExitCode: 3 } : {}), DEMO_STAGES);
  const session = await openSession(progress);
  try {
    progress("test images (built from Debian packages, no registry needed; first time about 1-2 min)");
    const images = await prepareEngine(["job", "dind", "registry", "postgres"], progress);
    const registry = await RegistryFixture.start({ images, onProgress: (m) => progress(`registry: ${m}`) });
    session.defer(() => registry.dispose());
    const scenario: Scenario = { projectPath: "harbor-ci/example-app", branch: "main", sha: gitHead() };
    progress(`pipeline for branch ${scenario.branch} at ${scenario.sha!.slice(0, 8)}: ${plan.map((j) => `${j.name} (${j.stage})`).join(", ")}`);

    const outcomes = await runLocalPipeline(plan, {
      projectDir: APP_DIR,
      scenario,
      registry,
      images,
      mode: args.values.verbose ? "verbose" : "summary",
      concurrency,
      progress,
    });

    const rows = outcomes.map((o) => summaryRow(o, images));
    const out: string[] = ["", summaryTable(rows), "", summaryLine(rows, Date.now() - started)];
    const repository = `${registry.project}/${DEMO_IMAGE_NAME}`;
    const tags = await registry.tags(repository);
    out.push(`Registry ${registry.hostname}:${registry.port}, ${repository}: tags ${tags.join(", ") || "none"}`);
    process.stdout.write(`${out.join("\n")}\n`);

    const failed = outcomes.filter((o) => o.status === "failed");
    for (const o of failed) {
      const text = o.result?.log ?? o.error ?? "";
      process.stdout.write(`\n--- ${o.job.name}: last 40 lines of its log ---\n${logTail(text, 40).join("\n")}\n`);
    }
    return failed.length > 0 || outcomes.some((o) => o.status === "skipped") ? 1 : 0;
  } finally {
    const r = await session.close();
    if (!r.kept && r.remaining === 0) progress("clean-up done: the registry and every job's containers, networks and volumes are removed");
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
