// bench:check — how `npm run check` scales with the number of components. All components share
// one TypeScript program, so the compiler starts once: cost should grow per component, not per
// component x compiler start-up.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inputsTypeName, projectRoot } from "../lib/project.ts";
import { readmeMarkers } from "../lib/ci/spec-inputs.ts";
import { median, table } from "../lib/cli/table.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const cli = join(projectRoot, "bin/harbor-ci.js");

function run(args: string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`harbor-ci ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return ms;
}

/** A project with `n` components: the real ones, then copies of build-push under new names. */
function project(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), `hci-bench-${n}-`));
  cpSync(join(projectRoot, "templates"), join(dir, "templates"), { recursive: true });
  let readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const source = join(projectRoot, "templates/build-push");
  for (let i = 4; i <= n; i++) {
    const name = `generated-${String(i).padStart(3, "0")}`;
    const target = join(dir, "templates", name);
    mkdirSync(target);
    writeFileSync(join(target, "inputs.ts"), readFileSync(join(source, "inputs.ts"), "utf8").replaceAll(inputsTypeName("build-push"), inputsTypeName(name)));
    writeFileSync(join(target, "template.yml"), readFileSync(join(source, "template.yml"), "utf8"));
    const { begin, end } = readmeMarkers(name);
    readme += `\n## ${name}\n\n\`\`\`yaml\ninclude:\n  - component: $CI_SERVER_FQDN/bench/harbor-ci-components/${name}@1.0.0\n    inputs:\n      image_name: app-${i}\n\`\`\`\n\n${begin}\n${end}\n`;
  }
  writeFileSync(join(dir, "README.md"), readme);
  run(["generate", "--root", dir]);
  return dir;
}

const rows: Array<Array<string | number>> = [];
let base: { n: number; ms: number } | undefined;
for (const n of [1, 3, 10, 50]) {
  process.stderr.write(`bench:check: ${n} component(s), ${RUNS} run(s)...\n`);
  const dir = n === 3 ? projectRoot : project(Math.max(n, 3));
  if (n === 1) {
    // One component alone: the fixed cost (node, tsx, compiler start-up) that must not multiply.
    for (const other of ["pull-run", "service-db"]) rmSync(join(dir, "templates", other), { recursive: true });
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    writeFileSync(join(dir, "README.md"), readme.replace(/## pull-run[\s\S]*?(?=<!-- END COMPONENT SECTIONS -->)/, ""));
    run(["generate", "--root", dir]);
  }
  const times = Array.from({ length: RUNS }, () => run(["check", "--root", dir]));
  const ms = median(times);
  base ??= { n, ms };
  const perComponent = n > base.n ? (ms - base.ms) / (n - base.n) : 0;
  rows.push([n, ms.toFixed(0), n > base.n ? perComponent.toFixed(1) : "-", (base.ms * n).toFixed(0), ((base.ms * n) / ms).toFixed(1) + "x"]);
  if (dir !== projectRoot) rmSync(dir, { recursive: true, force: true });
}
// Least squares over every point: the fixed cost and the cost of each component.
const points = rows.map((r) => ({ n: Number(r[0]), ms: Number(r[1]) }));
const meanN = points.reduce((a, p) => a + p.n, 0) / points.length;
const meanMs = points.reduce((a, p) => a + p.ms, 0) / points.length;
const slope = points.reduce((a, p) => a + (p.n - meanN) * (p.ms - meanMs), 0) / points.reduce((a, p) => a + (p.n - meanN) ** 2, 0);
console.log("\nnpm run check, median of " + RUNS + " runs (ms)\n");
console.log(table(["components", "check ms", "ms per extra component", "one compiler per component (est. ms)", "saved"], rows));
console.log(`\nfit: ${(meanMs - slope * meanN).toFixed(0)} ms fixed + ${slope.toFixed(1)} ms per component`);
