// The release job's npm step: packs the CLI (the build runs as `prepack`), gives the package the
// installation's scoped name and the tag's version, and publishes it to the library project's
// GitLab package registry with the job token. test/package/npm-registry.test.ts runs this very
// script against a local npm registry.
//
//   node --import tsx scripts/release/publish-npm.ts
//
// The name is package.json's (the same literal as scan-gate's default `package`); the release
// refuses to publish when it is not @<CI_PROJECT_ROOT_NAMESPACE, lower-cased>/harbor-ci-components.
// Environment (a GitLab tag pipeline sets them all): CI_COMMIT_TAG, CI_API_V4_URL, CI_PROJECT_ID,
// CI_JOB_TOKEN, CI_PROJECT_ROOT_NAMESPACE.
// Running it again for a version already published with the same contents does nothing; other
// contents under that version are refused (a published version never changes).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliError, formatProblem } from "../lib/cli/diagnostics.ts";
import { Redactor } from "../lib/cli/redact.ts";
import { publishedManifest, releaseNpmrc, releaseSettings } from "../lib/release/npm.ts";
import { packageInfo } from "../lib/release/package-info.ts";
import { projectRoot } from "../lib/project.ts";

const redactor = new Redactor().add(process.env.CI_JOB_TOKEN);
const say = (text: string) => process.stdout.write(redactor.scrub(text) + "\n");

// GitLab's collapsible job-log sections (docs.gitlab.com/ci/jobs/job_logs/#custom-collapsible-sections).
function section<T>(name: string, header: string, fn: () => T): T {
  const now = () => Math.floor(Date.now() / 1000);
  process.stdout.write(`\x1b[0Ksection_start:${now()}:${name}[collapsed=true]\r\x1b[0K${header}\n`);
  try {
    return fn();
  } finally {
    process.stdout.write(`\x1b[0Ksection_end:${now()}:${name}\r\x1b[0K\n`);
  }
}

function npm(args: string[], cwd: string, what: string, allowFailure = false): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("npm", args, { cwd, encoding: "utf8", env: process.env, maxBuffer: 64 * 1024 * 1024 });
  const out = { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  if (out.stderr.trim()) say(out.stderr.trimEnd());
  if (out.status !== 0 && !allowFailure) {
    throw new CliError({
      code: "NPM_FAILED",
      message: `npm ${args[0]} failed (exit ${out.status}) while trying to ${what}`,
      actual: redactor.scrub(
        (
          out.stderr
            .trim()
            .split("\n")
            .filter((l) => /err/i.test(l))
            .slice(-3)
            .join(" | ") || out.stdout.trim()
        ).slice(0, 600),
      ),
      fix: "read npm's messages above; fix what they name and run the job again",
    });
  }
  return out;
}

interface Packed {
  filename: string;
  integrity: string;
}

function pack(cwd: string, dest: string, ignoreScripts: boolean, what: string): Packed {
  const r = npm(["pack", "--json", "--pack-destination", dest, ...(ignoreScripts ? ["--ignore-scripts"] : [])], cwd, what);
  // Lifecycle scripts (the build) print before npm's JSON: take the JSON array at the end.
  const json = r.stdout.slice(r.stdout.lastIndexOf("\n[") + 1 || r.stdout.indexOf("["));
  const [info] = JSON.parse(json) as Packed[];
  if (!info)
    throw new CliError({
      code: "NPM_FAILED",
      message: `npm pack printed no package while trying to ${what}`,
      fix: "run `npm pack` locally and read its output",
    });
  return { filename: join(dest, info.filename), integrity: info.integrity };
}

function main(): number {
  const local = packageInfo();
  const settings = releaseSettings(process.env, local);
  const spec = `${settings.name}@${settings.version}`;
  say(`Publishing ${spec} to ${settings.registry} (dist-tag ${settings.distTag})`);
  const work = mkdtempSync(join(tmpdir(), "hci-publish-"));
  try {
    const npmrc = join(work, ".npmrc");
    writeFileSync(npmrc, releaseNpmrc(settings));
    const registryArgs = ["--registry", settings.registry, "--userconfig", npmrc];

    const built = section("hci_build", `Build and pack ${local.name}@${local.version}`, () => pack(projectRoot, work, false, "build and pack the CLI"));
    const tarball = section("hci_stage", `Name the package ${settings.name}`, () => {
      const stage = join(work, "stage");
      mkdirSync(stage);
      const untar = spawnSync("tar", ["-xzf", built.filename, "-C", stage], { encoding: "utf8" });
      if (untar.status !== 0)
        throw new CliError({
          code: "PACK_UNREADABLE",
          message: `cannot unpack ${built.filename}: ${untar.stderr.trim()}`,
          fix: "check that tar is installed in the job image",
        });
      const dir = join(stage, "package");
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
      writeFileSync(join(dir, "package.json"), JSON.stringify(publishedManifest(manifest, settings), null, 2) + "\n");
      return pack(dir, work, true, `pack ${spec}`);
    });
    say(`packed ${spec}: ${tarball.integrity}`);

    // A retried job finds its own version published: the same contents are fine, others are not.
    const seen = npm(["view", spec, "dist.integrity", "--json", ...registryArgs], work, `ask the registry for ${spec}`, true);
    if (seen.status === 0 && seen.stdout.trim()) {
      const integrity = JSON.parse(seen.stdout) as string;
      if (integrity === tarball.integrity) {
        say(`${spec} is already published with the same contents: nothing to do`);
        return 0;
      }
      throw new CliError({
        code: "PACKAGE_VERSION_EXISTS",
        message: `${spec} is already published with other contents`,
        expected: tarball.integrity,
        actual: integrity,
        fix: "a published version never changes: tag a new version (and set it in package.json)",
      });
    } else if (seen.status !== 0 && !/E404|404 Not Found|is not in this registry/i.test(seen.stdout + seen.stderr)) {
      throw new CliError({
        code: "NPM_FAILED",
        message: `cannot ask ${settings.registry} whether ${spec} exists (npm view exit ${seen.status})`,
        fix: "check that the project's package registry is enabled (Settings > General > Visibility > Package registry) and that the job token may publish",
      });
    }

    section("hci_publish", `Publish ${spec}`, () => npm(["publish", tarball.filename, "--tag", settings.distTag, ...registryArgs], work, `publish ${spec}`));
    say(`published ${spec}`);
    say(`install: npx --yes --package=${spec} -- harbor-ci --version`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (e) {
  if (!(e instanceof CliError)) throw e;
  process.stderr.write(redactor.scrub(formatProblem(e)) + "\n");
  process.exitCode = e.exitCode;
}
