// bench:package — what a consumer's job pays for the CLI before it answers: the package as it was
// before the bundle (BENCH_BASELINE, default the last commit that shipped tsc's dist/ with five
// runtime dependencies) against this checkout's bundled one. Both are published by the release
// job's own script (scripts/release/publish-npm.ts) to a local verdaccio, then installed the way
// docs/cli.md says: `npm install --omit=dev` into an empty project, with an empty npm cache each
// time. Our scope comes from the local registry; any dependency comes from the machine's
// configured npm registry, as it would for a consumer. Targets (issue 19): install at most 1/10
// of the baseline's time, first answer of `validate` at most 1/2, at most 3 packages added.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, table } from "../lib/cli/table.ts";
import { projectRoot } from "../lib/project.ts";
import { LocalNpmRegistry } from "../local-registry/verdaccio.ts";
import { formatBytes } from "./bytes.ts";
import { targetLines, type TargetResult } from "./bench-report.ts";

/** main before the bundle (c6ca8ae): tsc's dist/, dependencies @gitbeaker/*, re2-wasm, semver, yaml. */
const BASELINE = process.env.BENCH_BASELINE ?? "c6ca8ae73543ed387bbbcb280bf22a0afabbc98f";
const INSTALL_RUNS = Number(process.env.BENCH_INSTALL_RUNS ?? 3);
const ANSWER_RUNS = Number(process.env.BENCH_ANSWER_RUNS ?? 5);
const SCOPE = "bench";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Asynchronous: the registry's proxy runs in this process and must keep serving. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, ms: performance.now() - started }));
  });
}

function must(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  return r;
}

/** This machine's environment without anything of a GitLab job or a debug switch. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(CI_|CI$|GITLAB_|HARBOR_|npm_)/i.test(k)) env[k] = v;
  return { ...env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", ...extra };
}

interface Contender {
  label: string;
  /** Where the release script packs it from. */
  tree: string;
  name: string;
}

interface Result {
  contender: Contender;
  tarballBytes: number;
  packages: number;
  installMs: number[];
  answerMs: number[];
  answerCpuMs: number[];
  /** The first install's project, where `validate` is timed. */
  installedIn: string;
}

/** The baseline's sources (git archive), sharing this checkout's node_modules for its build. */
function baselineTree(work: string): string {
  const dir = join(work, "baseline");
  mkdirSync(dir);
  const archive = spawnSync("sh", ["-c", `git archive "${BASELINE}" | tar -x -C "${dir}"`], { cwd: projectRoot, encoding: "utf8" });
  if (archive.status !== 0) throw new Error(`git archive ${BASELINE} failed: ${archive.stderr}`);
  rmSync(join(dir, "node_modules"), { recursive: true, force: true });
  symlinkSync(join(projectRoot, "node_modules"), join(dir, "node_modules"));
  return dir;
}

const PIPELINE = (version: string) =>
  `stages: [build]\ninclude:\n  - component: $CI_SERVER_FQDN/${SCOPE}/harbor-ci-components/build-push@${version}\n    inputs:\n      image_name: my-app\n      stage: build\n`;

/** Publishes the contender with the release job's script; its tarball as the registry serves it. */
async function publish(registry: LocalNpmRegistry, token: string, c: Contender, version: string, work: string): Promise<Result> {
  const published = must(
    await run(
      process.execPath,
      ["--import", "tsx", "scripts/release/publish-npm.ts"],
      c.tree,
      cleanEnv({
        HARBOR_CI_PACKAGE_NAME: c.name,
        CI_COMMIT_TAG: version,
        CI_API_V4_URL: registry.apiUrl,
        CI_PROJECT_ID: String(registry.projectId),
        CI_JOB_TOKEN: token,
        CI_PROJECT_ROOT_NAMESPACE: SCOPE,
        npm_config_cache: join(work, `cache-publish-${c.label}`),
      }),
    ),
    `publishing ${c.label}`,
  );
  process.stderr.write(`bench:package: ${published.stdout.split("\n").find((l) => l.startsWith("published")) ?? `published ${c.name}`}\n`);
  const doc = await registry.packument(c.name, token);
  const dist = (doc?.versions[version] as { dist?: { tarball?: string } } | undefined)?.dist;
  if (!dist?.tarball) throw new Error(`the registry has no tarball for ${c.name}@${version}`);
  const tarball = await fetch(dist.tarball, { headers: { authorization: `Bearer ${token}` } });
  if (!tarball.ok) throw new Error(`GET ${dist.tarball}: HTTP ${tarball.status}`);
  const tarballBytes = (await tarball.arrayBuffer()).byteLength;
  return { contender: c, tarballBytes, packages: 0, installMs: [], answerMs: [], answerCpuMs: [], installedIn: "" };
}

/** `npm install --omit=dev` of the contender into an empty project, with an empty npm cache. */
async function install(registry: LocalNpmRegistry, token: string, r: Result, version: string, work: string, i: number): Promise<void> {
  const c = r.contender;
  const dir = join(work, `${c.label}-${i}`);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), '{ "name": "consumer", "private": true }\n');
  const host = registry.registryUrl.replace(/^https?:/, "");
  writeFileSync(join(dir, ".npmrc"), `@${SCOPE}:registry=${registry.registryUrl}\n${host}:_authToken=${token}\n`);
  writeFileSync(join(dir, ".gitlab-ci.yml"), PIPELINE(version));
  const cache = join(work, `cache-${c.label}-${i}`); // empty: nothing comes from an earlier run
  const installed = must(
    await run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", `${c.name}@${version}`], dir, cleanEnv({ npm_config_cache: cache })),
    `npm install ${c.name}`,
  );
  rmSync(cache, { recursive: true, force: true });
  r.installMs.push(installed.ms);
  const lock = JSON.parse(readFileSync(join(dir, "node_modules", ".package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
  r.packages = Object.keys(lock.packages).filter((p) => p.startsWith("node_modules/")).length;
  if (!existsSync(join(dir, "node_modules", ".bin", "harbor-ci"))) throw new Error(`${c.name} installed no harbor-ci command`);
  r.installedIn ||= dir;
}

/**
 * One `harbor-ci validate` from process start to exit: wall time, and the CPU time the process
 * used (a preload reports process.cpuUsage() at exit), which a busy machine disturbs less.
 */
async function answer(r: Result, work: string): Promise<void> {
  const cpuFile = join(work, "cpu.json");
  rmSync(cpuFile, { force: true });
  const bin = join(r.installedIn, "node_modules", ".bin", "harbor-ci");
  const done = await run(
    process.execPath,
    ["--import", join(work, "cpu-probe.mjs"), bin, "validate", ".gitlab-ci.yml"],
    r.installedIn,
    cleanEnv({ HCI_BENCH_CPU_FILE: cpuFile }),
  );
  if (done.code !== 0 || !done.stdout.includes("1 component include(s), 0 error(s)"))
    throw new Error(`${r.contender.label}: harbor-ci validate failed (exit ${done.code}):\n${done.stdout}${done.stderr}`);
  const cpu = JSON.parse(readFileSync(cpuFile, "utf8")) as { user: number; system: number };
  r.answerMs.push(done.ms);
  r.answerCpuMs.push((cpu.user + cpu.system) / 1000);
}

const CPU_PROBE = `import { writeFileSync } from "node:fs";
process.on("exit", () => writeFileSync(process.env.HCI_BENCH_CPU_FILE, JSON.stringify(process.cpuUsage())));
`;

const ms = (v: number) => `${Math.round(v)} ms`;

/** npm with nothing to install: the part of every install time that no package can save. */
async function npmFloor(work: string, i: number): Promise<number> {
  const dir = join(work, `floor-${i}`);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), '{ "name": "consumer", "private": true }\n');
  const cache = join(work, `cache-floor-${i}`);
  const r = must(await run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund"], dir, cleanEnv({ npm_config_cache: cache })), "npm install (nothing)");
  rmSync(cache, { recursive: true, force: true });
  return r.ms;
}

export function packageTargets(today: Result, bundled: Result, floorMs: number): TargetResult[] {
  const install = median(bundled.installMs) / median(today.installMs);
  const above = (v: number) => Math.max(0, v - floorMs);
  const firstAnswer = median(bundled.answerMs) / median(today.answerMs);
  return [
    {
      target: "install takes at most 1/10 of today's",
      met: install <= 1 / 10,
      detail:
        `median ${ms(median(bundled.installMs))} vs ${ms(median(today.installMs))} = ${install.toFixed(3)}; ` +
        `above npm's own ${ms(floorMs)}: ${ms(above(median(bundled.installMs)))} vs ${ms(above(median(today.installMs)))} = ${(above(median(bundled.installMs)) / above(median(today.installMs))).toFixed(3)}`,
    },
    {
      target: "first answer of `harbor-ci validate` takes at most 1/2 of today's",
      met: firstAnswer <= 1 / 2,
      detail:
        `median ${ms(median(bundled.answerMs))} vs ${ms(median(today.answerMs))} = ${firstAnswer.toFixed(2)}; ` +
        `CPU ${ms(median(bundled.answerCpuMs))} vs ${ms(median(today.answerCpuMs))} = ${(median(bundled.answerCpuMs) / median(today.answerCpuMs)).toFixed(2)}`,
    },
    {
      target: "`npm install --omit=dev` adds at most 3 packages",
      met: bundled.packages <= 3,
      detail: `${bundled.packages} (today: ${today.packages})`,
    },
  ];
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "hci-bench-package-"));
  const registry = new LocalNpmRegistry(1234);
  try {
    await registry.start();
    const token = await registry.token();
    const version = (JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { version: string }).version;
    process.stderr.write(`bench:package: baseline ${BASELINE.slice(0, 12)} against this checkout; ${INSTALL_RUNS} install(s), ${ANSWER_RUNS} answer(s) each\n`);
    const today = await publish(registry, token, { label: "today", tree: baselineTree(work), name: `@${SCOPE}/harbor-ci-today` }, version, work);
    const bundled = await publish(registry, token, { label: "bundled", tree: projectRoot, name: `@${SCOPE}/harbor-ci-bundled` }, version, work);
    // Taken in turns, so that whatever else the machine does weighs on both alike.
    const floorMs: number[] = [];
    for (let i = 0; i < INSTALL_RUNS; i++) {
      for (const r of [today, bundled]) await install(registry, token, r, version, work, i);
      floorMs.push(await npmFloor(work, i));
    }
    writeFileSync(join(work, "cpu-probe.mjs"), CPU_PROBE);
    for (let j = 0; j < ANSWER_RUNS; j++) for (const r of [today, bundled]) await answer(r, work);
    const rows = [today, bundled].map((r) => [
      r.contender.label === "today" ? `today (${BASELINE.slice(0, 7)})` : "bundled (this checkout)",
      formatBytes(r.tarballBytes),
      r.packages,
      ms(median(r.installMs)),
      r.installMs.map((v) => Math.round(v)).join("/"),
      ms(median(r.answerMs)),
      r.answerMs.map((v) => Math.round(v)).join("/"),
      ms(median(r.answerCpuMs)),
    ]);
    process.stdout.write(
      table(
        ["package", "tarball", "packages added", "install (median)", "install runs ms", "first answer (median)", "answer runs ms", "answer CPU (median)"],
        rows,
      ) + "\n\n",
    );
    process.stdout.write(
      `npm's own cost (npm install --omit=dev of an empty project, empty cache): median ${ms(median(floorMs))} (${floorMs.map((v) => Math.round(v)).join("/")} ms)\n\n`,
    );
    const results = packageTargets(today, bundled, median(floorMs));
    process.stdout.write(targetLines(results).join("\n") + "\n");
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
