// The runner emulation's local mode: a job's two shells run as processes of this machine, with a
// shell chosen by the caller (busybox sh for the component unit tests: the job image's shell).
// Same job model, variable expansion and stage scripts as the container mode (runner.ts); no
// services, no images. Used where a test stubs the tools a job calls (docker, sleep...).
import { spawn } from "node:child_process";
import { jobVariables, stepCommands, type JobDefinition } from "./job.ts";
import { stageScript } from "./job-script.ts";
import { toRecord } from "./variables.ts";

/**
 * The job's variables expanded as the runner does, over CI/CD variables given with their final
 * values (predefined, integration, settings: not expanded again).
 */
export function expandJobVariables(job: Pick<JobDefinition, "variables">, variables: Record<string, string>): Record<string, string> {
  const predefined = Object.entries(variables).map(([key, value]) => ({ key, value, raw: true, public: true }));
  return toRecord(jobVariables(job, { predefined }).expanded);
}

export interface LocalShellOptions {
  /** The shell to run, read from stdin as the runner feeds it, for example [busybox, "sh"]. */
  shell: string[];
  /** CI_PROJECT_DIR: the working directory of both shells. */
  projectDir: string;
  /** The whole environment of the shells (variables and PATH, HOME...). */
  env: Record<string, string>;
}

export interface LocalShellResult {
  code: number | null;
  /** stdout and stderr, interleaved as written (stderr joins stdout as in the runner's shell). */
  output: string;
}

function runStage(commands: string[], env: Record<string, string>, opts: LocalShellOptions): Promise<LocalShellResult> {
  const script = `exec 2>&1\n${stageScript(commands, { projectDir: opts.projectDir })}`;
  return new Promise((resolve, reject) => {
    const child = spawn(opts.shell[0]!, opts.shell.slice(1), { env, cwd: opts.projectDir, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
    child.stdin.end(script);
  });
}

/** before_script + script in one shell, then after_script in a new one with CI_JOB_STATUS. */
export async function runJobShells(
  job: Pick<JobDefinition, "before_script" | "script" | "after_script">,
  opts: LocalShellOptions,
): Promise<{ main: LocalShellResult; after: LocalShellResult }> {
  const { main: mainCommands, after: afterCommands } = stepCommands(job);
  const main = await runStage(mainCommands, opts.env, opts);
  const after = await runStage(afterCommands, { ...opts.env, CI_JOB_STATUS: main.code === 0 ? "success" : "failed" }, opts);
  return { main, after };
}
