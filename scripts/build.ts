// `npm run build` (run by `npm pack`): the installed CLI as ONE file, dist/cli.js, with its
// dependencies bundled in by esbuild, so `npm install` of the package fetches nothing else.
// Beside it: dist/cli.js.map (stack traces point at scripts/**/*.ts under --debug, see
// bin/harbor-ci.js), re2.wasm, which re2-wasm's loader reads from the bundle's own folder, and
// THIRD-PARTY-LICENSES.txt, the licences of the bundled packages.
// The developer commands (generate, check) stay out: they compile templates/<name>/inputs.ts with
// TypeScript. Their imports are left as they are written, to files the package does not ship, so
// the installed CLI answers DEVELOPER_COMMAND (scripts/cli.ts).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { build, type Plugin } from "esbuild";
import { DEVELOPER_ENTRY_POINTS, PACKAGE_ENTRY_POINT } from "./lib/toolchain/subsystems.ts";
import { projectRoot } from "./lib/project.ts";

const require = createRequire(import.meta.url);
const dist = join(projectRoot, "dist");

/** Leaves `import("./commands/generate.ts")` and its kind unresolved: not in the bundle. */
const developerCommandsOut: Plugin = {
  name: "developer-commands-out",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = relative(projectRoot, join(args.resolveDir, args.path)).replaceAll("\\", "/");
      return DEVELOPER_ENTRY_POINTS.includes(target) ? { path: args.path, external: true } : undefined;
    });
  },
};

/** What may never be in the bundle: the toolchain and the compilers it drives. */
const FORBIDDEN = [/^scripts\/lib\/toolchain\//, /(^|\/)node_modules\/(typescript|typescript-json-schema|tsx|esbuild)\//];

export async function buildPackage(): Promise<{ bytes: number; inputs: number }> {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const result = await build({
    absWorkingDir: projectRoot,
    entryPoints: [PACKAGE_ENTRY_POINT],
    outfile: join(dist, "cli.js"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    // Error names and `instanceof` checks by class name stay readable in --debug traces.
    keepNames: true,
    sourcemap: "linked",
    // Only the mappings: the sources are in the repository, and the tarball stays small.
    sourcesContent: false,
    legalComments: "linked",
    metafile: true,
    logLevel: "warning",
    plugins: [developerCommandsOut],
    // Bundled CommonJS (gitbeaker's dependencies, re2-wasm) calls require() and reads __dirname:
    // give the ES module both, for the bundle's own location.
    banner: {
      js: [
        'import { createRequire as __hciCreateRequire } from "node:module";',
        'import { dirname as __hciDirname } from "node:path";',
        'import { fileURLToPath as __hciFileURLToPath } from "node:url";',
        "const require = __hciCreateRequire(import.meta.url);",
        "const __filename = __hciFileURLToPath(import.meta.url);",
        "const __dirname = __hciDirname(__filename);",
      ].join("\n"),
    },
  });
  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = inputs.filter((f) => FORBIDDEN.some((re) => re.test(f)));
  if (forbidden.length > 0) throw new Error(`the bundle must not contain developer code, but it has: ${forbidden.join(", ")}`);
  // re2-wasm's Emscripten loader reads re2.wasm from `__dirname`: the bundle's folder.
  copyFileSync(join(dirname(require.resolve("re2-wasm")), "..", "wasm", "re2.wasm"), join(dist, "re2.wasm"));
  writeFileSync(join(dist, "THIRD-PARTY-LICENSES.txt"), thirdPartyLicenses(inputs));
  const out = result.metafile.outputs["dist/cli.js"];
  return { bytes: out?.bytes ?? 0, inputs: inputs.length };
}

/**
 * The licence texts of every package the bundle holds: their licences (MIT, ISC, Apache-2.0, BSD)
 * ask that the notice travel with the code, and the bundle no longer ships their folders.
 */
function thirdPartyLicenses(inputs: string[]): string {
  const dirs = new Set<string>();
  for (const f of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(f);
    if (m) dirs.add(m[1]!);
  }
  const parts: string[] = [];
  for (const dir of [...dirs].sort()) {
    const abs = join(projectRoot, dir);
    const pkg = JSON.parse(readFileSync(join(abs, "package.json"), "utf8")) as { name: string; version: string; license?: string };
    const file = readdirSync(abs).find((n) => /^(licen[cs]e|copying)(\.|$)/i.test(n));
    const text =
      file && existsSync(join(abs, file)) ? readFileSync(join(abs, file), "utf8").trim() : `(no licence file; package.json says ${pkg.license ?? "nothing"})`;
    parts.push(`${pkg.name}@${pkg.version} (${pkg.license ?? "no licence field"})\n\n${text}\n`);
  }
  return `harbor-ci's dist/cli.js bundles these packages:\n\n${parts.join("\n" + "-".repeat(72) + "\n\n")}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { bytes, inputs } = await buildPackage();
  process.stdout.write(`built dist/cli.js: ${inputs} modules bundled, ${Math.round(bytes / 1000)} kB (with cli.js.map, re2.wasm, THIRD-PARTY-LICENSES.txt)\n`);
}
