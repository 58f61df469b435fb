// A local pipeline: the order in which GitLab starts the jobs of one pipeline, and which dotenv
// reports each job receives. Pure logic; the job itself is run by the `execute` callback
// (scripts/start.ts passes the integration harness's runJob).
//
// GitLab's rules reproduced here:
// - a job without `needs` starts when every job of the earlier stages has finished, and gets the
//   dotenv reports of all of them (the default `dependencies`);
// - a job with `needs` starts as soon as the jobs it lists have finished, whatever its stage, and
//   gets the dotenv reports of those (unless `artifacts: false`); `needs: []` starts at once;
// - `optional: true` needs of jobs that are not in the pipeline are dropped; other unknown needs,
//   unknown stages and cycles are pipeline errors (GitLab refuses to create the pipeline);
// - a job whose prerequisites did not all succeed is skipped (a failed job with
//   `allow_failure: true` counts as a success for what comes after it).

export interface Need {
  job: string;
  optional: boolean;
  artifacts: boolean;
}

/** A job as it sits in a rendered .gitlab-ci.yml (only the keywords the order depends on). */
export interface PipelineJobInput<D = unknown> {
  name: string;
  stage?: string;
  /** As written: undefined (no `needs`), [] or a list of names / `{job, optional, artifacts}`. */
  needs?: unknown;
  allowFailure?: boolean;
  definition: D;
}

export interface PlannedJob<D = unknown> {
  name: string;
  stage: string;
  stageIndex: number;
  /** Position in the pipeline: stage order, then definition order. */
  index: number;
  /** Jobs that must have finished before this one starts. */
  waitsFor: string[];
  /** Jobs whose dotenv reports this one receives, in the order they are merged (later wins). */
  dotenvFrom: string[];
  allowFailure: boolean;
  definition: D;
}

export class PipelineError extends Error {
  override name = "PipelineError";
  constructor(readonly messages: string[]) {
    super(messages.join("\n"));
  }
}

/** `needs:` as written → normalized list; undefined when the job has no `needs` keyword. */
export function normalizeNeeds(needs: unknown, job = "job"): Need[] | undefined {
  if (needs === undefined || needs === null) return undefined;
  if (!Array.isArray(needs)) throw new PipelineError([`${job} job: needs config should be an array of strings or hashes`]);
  return needs.map((n): Need => {
    if (typeof n === "string") return { job: n, optional: false, artifacts: true };
    if (n && typeof n === "object" && typeof (n as { job?: unknown }).job === "string") {
      const o = n as { job: string; optional?: unknown; artifacts?: unknown };
      return { job: o.job, optional: o.optional === true, artifacts: o.artifacts !== false };
    }
    throw new PipelineError([`${job} job: needs config should be an array of strings or hashes, got ${JSON.stringify(n)}`]);
  });
}

/**
 * Orders the jobs and resolves what each waits for and receives. Throws PipelineError with every
 * problem (GitLab's wording where it has one).
 */
export function planPipeline<D>(jobs: PipelineJobInput<D>[], stages: string[]): PlannedJob<D>[] {
  const errors: string[] = [];
  const names = new Set<string>();
  for (const j of jobs) {
    if (names.has(j.name)) errors.push(`${j.name} job: defined twice`);
    names.add(j.name);
  }
  const staged = jobs.map((j, position) => {
    const stage = j.stage ?? "test";
    const stageIndex = stages.indexOf(stage);
    if (stageIndex < 0) errors.push(`${j.name} job: chosen stage ${stage} does not exist; available stages are ${stages.join(", ")}`);
    let needs: Need[] | undefined;
    try {
      needs = normalizeNeeds(j.needs, j.name);
    } catch (e) {
      errors.push(...(e as PipelineError).messages);
    }
    return { job: j, stage, stageIndex, position, needs };
  });
  const ordered = [...staged].sort((a, b) => a.stageIndex - b.stageIndex || a.position - b.position);
  const planned = ordered.map(({ job, stage, stageIndex, needs }, index): PlannedJob<D> => {
    let waitsFor: string[];
    let dotenvFrom: string[];
    if (needs === undefined) {
      const earlier = ordered.filter((o) => o.stageIndex < stageIndex).map((o) => o.job.name);
      waitsFor = earlier;
      dotenvFrom = earlier;
    } else {
      const present = needs.filter((n) => {
        if (names.has(n.job)) return true;
        if (!n.optional) {
          errors.push(
            `'${job.name}' job needs '${n.job}' job, but '${n.job}' does not exist in the pipeline. This might be because of the only, except, or rules keywords. To need a job that sometimes does not exist in the pipeline, use needs:optional.`,
          );
        }
        return false;
      });
      for (const n of present) {
        const needed = staged.find((o) => o.job.name === n.job)!;
        if (needed.stageIndex > stageIndex) errors.push(`${job.name} job: need ${n.job} is not defined in current or prior stages`);
      }
      waitsFor = present.map((n) => n.job);
      dotenvFrom = present.filter((n) => n.artifacts).map((n) => n.job);
    }
    return { name: job.name, stage, stageIndex, index, waitsFor, dotenvFrom, allowFailure: job.allowFailure === true, definition: job.definition };
  });
  // Cycles (a needs b needs a): a topological walk must reach every job.
  const done = new Set<string>();
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const p of planned) {
      if (!done.has(p.name) && p.waitsFor.every((w) => done.has(w))) {
        done.add(p.name);
        progressed = true;
      }
    }
  }
  const stuck = planned.filter((p) => !done.has(p.name)).map((p) => p.name);
  if (stuck.length > 0 && errors.length === 0) errors.push(`The pipeline has a circular dependency: ${stuck.join(", ")}`);
  if (errors.length > 0) throw new PipelineError(errors);
  // Dotenv merge order follows the pipeline order, whatever order `needs` listed them in.
  for (const p of planned) p.dotenvFrom.sort((a, b) => planned.findIndex((q) => q.name === a) - planned.findIndex((q) => q.name === b));
  return planned;
}

/** What a job run reports back (the harness's JobResult has these and more). */
export interface JobRunResult {
  status: "success" | "failed";
  dotenv: Record<string, string>;
  durationMs: number;
}

export type JobStatus = "success" | "failed" | "skipped";

export interface JobOutcome<D, R extends JobRunResult> {
  job: PlannedJob<D>;
  status: JobStatus;
  result?: R;
  /** The harness failed (not the job): its message. */
  error?: string;
  /** Why the job was skipped. */
  reason?: string;
  /** The variables it received from earlier jobs' dotenv reports. */
  dotenv: Record<string, string>;
}

export type PipelineEvent<D> =
  | { type: "start"; job: PlannedJob<D>; dotenv: Record<string, string> }
  | { type: "finish"; job: PlannedJob<D>; status: JobStatus; durationMs?: number }
  | { type: "skip"; job: PlannedJob<D>; reason: string };

export interface RunPipelineOptions<D, R extends JobRunResult> {
  execute: (job: PlannedJob<D>, dotenv: Record<string, string>) => Promise<R>;
  /** Jobs running at the same time (default 1: one after another, in pipeline order). */
  concurrency?: number;
  onEvent?: (event: PipelineEvent<D>) => void;
}

/** The variables a job receives: the dotenv reports of `dotenvFrom`, merged in order. */
export function dotenvFor<D>(job: PlannedJob<D>, reports: ReadonlyMap<string, Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const from of job.dotenvFrom) Object.assign(merged, reports.get(from) ?? {});
  return merged;
}

/** Runs a planned pipeline; resolves with one outcome per job, in pipeline order. */
export async function runPipeline<D, R extends JobRunResult>(plan: PlannedJob<D>[], opts: RunPipelineOptions<D, R>): Promise<JobOutcome<D, R>[]> {
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const outcomes = new Map<string, JobOutcome<D, R>>();
  const reports = new Map<string, Record<string, string>>();
  const running = new Map<string, Promise<void>>();
  const passed = (name: string): boolean => {
    const o = outcomes.get(name);
    return o !== undefined && (o.status === "success" || (o.status === "failed" && o.job.allowFailure));
  };

  const start = (job: PlannedJob<D>): void => {
    const dotenv = dotenvFor(job, reports);
    opts.onEvent?.({ type: "start", job, dotenv });
    const promise = opts.execute(job, dotenv).then(
      (result) => {
        outcomes.set(job.name, { job, status: result.status, result, dotenv });
        if (result.status === "success") reports.set(job.name, result.dotenv);
        opts.onEvent?.({ type: "finish", job, status: result.status, durationMs: result.durationMs });
      },
      (error: unknown) => {
        outcomes.set(job.name, { job, status: "failed", error: error instanceof Error ? error.message : String(error), dotenv });
        opts.onEvent?.({ type: "finish", job, status: "failed" });
      },
    );
    running.set(
      job.name,
      promise.finally(() => running.delete(job.name)),
    );
  };

  for (;;) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const job of plan) {
        if (outcomes.has(job.name) || running.has(job.name)) continue;
        if (!job.waitsFor.every((w) => outcomes.has(w))) continue;
        const blocked = job.waitsFor.filter((w) => !passed(w));
        if (blocked.length > 0) {
          const reason = `${blocked.join(", ")} did not succeed`;
          outcomes.set(job.name, { job, status: "skipped", reason, dotenv: {} });
          opts.onEvent?.({ type: "skip", job, reason });
          changed = true;
          continue;
        }
        if (running.size >= concurrency) break;
        start(job);
        changed = true;
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return plan.map((job) => outcomes.get(job.name) ?? { job, status: "skipped" as const, reason: "never became ready", dotenv: {} });
}
