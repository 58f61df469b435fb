import { describe, expect, it } from "vitest";
import { demoPipelineJobs, DEMO_STAGES } from "../../../scripts/local-pipeline/demo-pipeline.ts";
import {
  dotenvFor,
  normalizeNeeds,
  PipelineError,
  planPipeline,
  runPipeline,
  type JobRunResult,
  type PipelineJobInput,
  type PlannedJob,
} from "../../../scripts/local-pipeline/pipeline.ts";

const job = (name: string, stage: string, needs?: unknown, extra: Partial<PipelineJobInput<string>> = {}): PipelineJobInput<string> => ({
  name,
  stage,
  needs,
  definition: name,
  ...extra,
});

function plan(jobs: PipelineJobInput<string>[], stages = ["build", "test", "deploy"]): PlannedJob<string>[] {
  return planPipeline(jobs, stages);
}

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof PipelineError) return e.messages;
    throw e;
  }
  throw new Error("expected a PipelineError");
}

/** A fake executor: each job succeeds with `{ FROM_<job>: "1" }` unless listed as failing. */
function fakeRunner(opts: { fail?: string[]; throws?: string[]; log?: string[] } = {}) {
  const received: Record<string, Record<string, string>> = {};
  const order: string[] = opts.log ?? [];
  let running = 0;
  let maxRunning = 0;
  const execute = async (j: PlannedJob<string>, dotenv: Record<string, string>): Promise<JobRunResult> => {
    received[j.name] = dotenv;
    order.push(`start ${j.name}`);
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    order.push(`end ${j.name}`);
    if (opts.throws?.includes(j.name)) throw new Error(`harness broke in ${j.name}`);
    const failed = opts.fail?.includes(j.name) ?? false;
    return { status: failed ? "failed" : "success", dotenv: { [`FROM_${j.name.replace(/-/g, "_")}`]: "1", SHARED: j.name }, durationMs: 5 };
  };
  return { execute, received, order, maxRunning: () => maxRunning };
}

describe("needs", () => {
  it("keeps the difference between no needs keyword and an empty list", () => {
    expect(normalizeNeeds(undefined)).toBeUndefined();
    expect(normalizeNeeds([])).toEqual([]);
  });

  it("reads names and hashes with optional and artifacts", () => {
    expect(normalizeNeeds(["a", { job: "b", optional: true }, { job: "c", artifacts: false }])).toEqual([
      { job: "a", optional: false, artifacts: true },
      { job: "b", optional: true, artifacts: true },
      { job: "c", optional: false, artifacts: false },
    ]);
  });

  it("rejects what GitLab rejects", () => {
    expect(() => normalizeNeeds("a", "x")).toThrow("x job: needs config should be an array");
    expect(() => normalizeNeeds([42], "x")).toThrow(PipelineError);
  });
});

describe("planning", () => {
  it("orders jobs by stage, then as defined", () => {
    const p = plan([job("deploy", "deploy"), job("test-a", "test"), job("build", "build"), job("test-b", "test")]);
    expect(p.map((j) => j.name)).toEqual(["build", "test-a", "test-b", "deploy"]);
    expect(p.map((j) => j.index)).toEqual([0, 1, 2, 3]);
  });

  it("makes a job without needs wait for every earlier stage and receive all their dotenv reports", () => {
    const p = plan([job("build-a", "build"), job("build-b", "build"), job("test", "test"), job("deploy", "deploy")]);
    const deploy = p.find((j) => j.name === "deploy")!;
    expect(deploy.waitsFor).toEqual(["build-a", "build-b", "test"]);
    expect(deploy.dotenvFrom).toEqual(["build-a", "build-b", "test"]);
    expect(p[0]!.waitsFor).toEqual([]);
  });

  it("makes a job with needs wait only for those, and needs: [] for nothing", () => {
    const p = plan([job("build", "build"), job("lint", "build"), job("smoke", "test", ["build"]), job("db", "test", [])]);
    expect(p.find((j) => j.name === "smoke")!.waitsFor).toEqual(["build"]);
    expect(p.find((j) => j.name === "db")!.waitsFor).toEqual([]);
    expect(p.find((j) => j.name === "db")!.dotenvFrom).toEqual([]);
  });

  it("does not hand a dotenv report over a need with artifacts: false", () => {
    const p = plan([job("build", "build"), job("smoke", "test", [{ job: "build", artifacts: false }])]);
    expect(p[1]!.waitsFor).toEqual(["build"]);
    expect(p[1]!.dotenvFrom).toEqual([]);
  });

  it("drops an optional need of a job that is not in the pipeline", () => {
    const p = plan([job("smoke", "test", [{ job: "build-push", optional: true }])]);
    expect(p[0]!.waitsFor).toEqual([]);
  });

  it("refuses unknown stages, missing needs and cycles, with GitLab's messages", () => {
    expect(errorsOf(() => plan([job("a", "qa")]))).toEqual(["a job: chosen stage qa does not exist; available stages are build, test, deploy"]);
    expect(errorsOf(() => plan([job("a", "test", ["ghost"])]))[0]).toMatch(/^'a' job needs 'ghost' job, but 'ghost' does not exist in the pipeline/);
    expect(errorsOf(() => plan([job("a", "test", ["b"]), job("b", "test", ["a"])]))).toEqual(["The pipeline has a circular dependency: a, b"]);
    expect(errorsOf(() => plan([job("a", "test"), job("a", "build")]))).toEqual(["a job: defined twice"]);
    expect(errorsOf(() => plan([job("smoke", "test", ["deploy"]), job("deploy", "deploy")]))).toEqual([
      "smoke job: need deploy is not defined in current or prior stages",
    ]);
  });

  it("merges dotenv reports in pipeline order, later jobs winning", () => {
    const p = plan([job("one", "build"), job("two", "build"), job("use", "test", ["two", "one"])]);
    const use = p.find((j) => j.name === "use")!;
    expect(use.dotenvFrom).toEqual(["one", "two"]);
    const reports = new Map<string, Record<string, string>>([
      ["one", { A: "1", SAME: "one" }],
      ["two", { B: "2", SAME: "two" }],
    ]);
    expect(dotenvFor(use, reports)).toEqual({ A: "1", B: "2", SAME: "two" });
  });
});

describe("running", () => {
  it("runs one job at a time in pipeline order and hands build-push's dotenv to the job that needs it", async () => {
    const p = plan([job("build-push", "build", []), job("pull-run", "test", [{ job: "build-push", optional: true }]), job("service-db", "test", [])]);
    const fake = fakeRunner();
    const outcomes = await runPipeline(p, { execute: fake.execute });
    expect(fake.order).toEqual(["start build-push", "end build-push", "start pull-run", "end pull-run", "start service-db", "end service-db"]);
    expect(fake.received["pull-run"]).toEqual({ FROM_build_push: "1", SHARED: "build-push" });
    expect(fake.received["service-db"]).toEqual({});
    expect(outcomes.map((o) => [o.job.name, o.status])).toEqual([
      ["build-push", "success"],
      ["pull-run", "success"],
      ["service-db", "success"],
    ]);
  });

  it("starts a job with needs: [] beside the first stage when two may run", async () => {
    const p = plan([job("build-push", "build", []), job("pull-run", "test", ["build-push"]), job("service-db", "test", [])]);
    const fake = fakeRunner();
    await runPipeline(p, { execute: fake.execute, concurrency: 2 });
    expect(fake.order.slice(0, 2)).toEqual(["start build-push", "start service-db"]);
    expect(fake.maxRunning()).toBe(2);
    expect(fake.order.indexOf("start pull-run")).toBeGreaterThan(fake.order.indexOf("end build-push"));
  });

  it("skips the jobs after a failed one, and still runs the independent ones", async () => {
    const p = plan([job("build-push", "build", []), job("pull-run", "test", ["build-push"]), job("service-db", "test", []), job("deploy", "deploy")]);
    const events: string[] = [];
    const fake = fakeRunner({ fail: ["build-push"] });
    const outcomes = await runPipeline(p, {
      execute: fake.execute,
      onEvent: (e) => events.push(`${e.type} ${e.job.name}${e.type === "skip" ? `: ${e.reason}` : ""}`),
    });
    expect(Object.fromEntries(outcomes.map((o) => [o.job.name, o.status]))).toEqual({
      "build-push": "failed",
      "pull-run": "skipped",
      "service-db": "success",
      deploy: "skipped",
    });
    expect(outcomes.find((o) => o.job.name === "deploy")!.reason).toBe("build-push, pull-run did not succeed");
    expect(events).toContain("skip pull-run: build-push did not succeed");
    expect(fake.received["pull-run"]).toBeUndefined();
  });

  it("lets a failure with allow_failure through, without its dotenv report", async () => {
    const p = plan([job("flaky", "build", undefined, { allowFailure: true }), job("next", "test")]);
    const fake = fakeRunner({ fail: ["flaky"] });
    const outcomes = await runPipeline(p, { execute: fake.execute });
    expect(outcomes.map((o) => o.status)).toEqual(["failed", "success"]);
    expect(fake.received.next).toEqual({});
  });

  it("turns a harness error into a failed job with its message", async () => {
    const p = plan([job("build-push", "build"), job("pull-run", "test")]);
    const outcomes = await runPipeline(p, { execute: fakeRunner({ throws: ["build-push"] }).execute });
    expect(outcomes[0]).toMatchObject({ status: "failed", error: "harness broke in build-push" });
    expect(outcomes[1]!.status).toBe("skipped");
  });
});

describe("the npm start pipeline", () => {
  it("renders the three components with their defaults: build-push, then pull-run with its dotenv, then service-db", () => {
    const p = planPipeline(demoPipelineJobs(), DEMO_STAGES);
    expect(p.map((j) => [j.name, j.stage, j.waitsFor, j.dotenvFrom])).toEqual([
      ["build-push", "build", [], []],
      ["pull-run", "test", ["build-push"], ["build-push"]],
      ["service-db", "test", [], []],
    ]);
    const pullRun = p[1]!.definition;
    // The embedded default: the image is build-push's dotenv IMAGE_REF.
    expect(pullRun.variables?.HCI_IMAGE).toBe("$IMAGE_REF");
    expect(p[2]!.definition.image).toBe("postgres:16");
  });
});
