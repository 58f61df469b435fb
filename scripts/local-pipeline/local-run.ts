// Runs a planned pipeline of rendered component jobs with the integration harness (GitLab's Docker
// executor emulation): live prefixed logs, dotenv reports handed along, one summary row per job.
import type { RegistryFixture } from "../runner/registry.ts";
import type { ImageTags } from "../runner/images.ts";
import { resolveImage, runJob, type JobDefinition, type JobResult } from "../runner/runner.ts";
import type { Scenario } from "../runner/variables.ts";
import { jobLogStream } from "./job-log.ts";
import type { LogMode } from "./log-view.ts";
import { runPipeline, type JobOutcome, type PlannedJob } from "./pipeline.ts";
import type { Progress } from "./session.ts";
import { formatDuration, jobImage, type SummaryRow } from "./summary.ts";

export interface LocalRunOptions {
  projectDir: string;
  scenario: Scenario;
  registry: RegistryFixture;
  images: ImageTags;
  mode: LogMode;
  concurrency: number;
  progress: Progress;
  /** Where job log lines go (default stderr). */
  write?: (line: string) => void;
}

export type LocalOutcome = JobOutcome<JobDefinition, JobResult>;

export async function runLocalPipeline(plan: PlannedJob<JobDefinition>[], opts: LocalRunOptions): Promise<LocalOutcome[]> {
  const width = Math.max(...plan.map((j) => j.name.length));
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  let jobId = opts.scenario.jobId ?? 5000;
  return runPipeline<JobDefinition, JobResult>(plan, {
    concurrency: opts.concurrency,
    onEvent: (e) => {
      if (e.type === "start") {
        const received = Object.keys(e.dotenv);
        opts.progress(
          `job ${e.job.name} (stage ${e.job.stage}) starting${received.length ? `, with ${received.join(", ")} from ${e.job.dotenvFrom.join(", ")}` : ""}`,
        );
      } else if (e.type === "finish") {
        opts.progress(
          `job ${e.job.name} ${e.status === "success" ? "passed" : "FAILED"}${e.durationMs !== undefined ? ` in ${formatDuration(e.durationMs)}` : ""}`,
        );
      } else {
        opts.progress(`job ${e.job.name} skipped: ${e.reason}`);
      }
    },
    execute: async (job, dotenv) => {
      const log = jobLogStream(job.name, width, opts.mode, write);
      try {
        return await runJob(job.definition, {
          name: job.name,
          projectDir: opts.projectDir,
          scenario: { ...opts.scenario, jobId: ++jobId, stage: job.stage },
          harbor: opts.registry.integration(),
          registry: opts.registry,
          dotenv,
          images: opts.images,
          onLog: log.onLog,
        });
      } finally {
        log.flush();
      }
    },
  });
}

/** The summary row of an outcome. */
export function summaryRow(o: LocalOutcome, images: ImageTags): SummaryRow {
  const spec = o.job.definition.image;
  const ref = typeof spec === "string" ? spec : spec?.name;
  let runIn: string | undefined;
  if (ref) {
    const local = resolveImage(ref, images).image;
    runIn = local === ref ? ref : `${ref} (local build ${local})`;
  }
  const note = o.status === "skipped" ? o.reason : o.error ? "harness error" : o.status === "failed" ? `exit code ${o.result?.exitCode}` : undefined;
  return {
    job: o.job.name,
    stage: o.job.stage,
    status: o.status,
    durationMs: o.result?.durationMs,
    image: o.result ? jobImage({ dotenv: o.result.dotenv, variables: o.result.variables, jobImage: runIn }) : undefined,
    note,
  };
}
