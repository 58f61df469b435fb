// The CLI as consumers get it: published by the release job's own script to a real npm registry
// (verdaccio, loopback, no uplinks), installed the way docs/cli.md says, run on consumer pipelines.
// Only our scope is mapped to the local registry; the CLI's dependencies come from the
// machine's configured npm registry, as they would for a consumer. Each flow gets an empty npm
// cache, so nothing of ours can come from anywhere but the local registry.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageInfo } from "../../scripts/lib/release/package-info.ts";
import { projectRoot } from "../../scripts/lib/project.ts";
import { fencedBlocks } from "../../scripts/lib/ci/readme-examples.ts";
import { LocalNpmRegistry } from "../../scripts/local-registry/verdaccio.ts";

const SCOPE = "my-group"; // docs/cli.md's placeholders: scope, project ID 1234, version 1.4.2
const NAME = `@${SCOPE}/harbor-ci-components`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** sh -e -c, asynchronously: the registry's proxy runs in this process and must keep serving. */
function sh(script: string, cwd: string, env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-e", "-c", script], { cwd, env: env as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** This machine's environment without anything of a GitLab job, and with a fresh npm cache. */
function cleanEnv(cache: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(CI_|CI$|GITLAB_|HARBOR_|npm_config_cache$|npm_config_prefer)/i.test(k)) env[k] = v;
  return { ...env, npm_config_cache: cache, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", ...extra };
}

/** The install instructions' fenced block after `<!-- package-test: <name> -->`. */
function readmeBlock(name: string): string {
  const text = readFileSync(join(projectRoot, "docs/cli.md"), "utf8");
  const lines = text.split("\n");
  const block = fencedBlocks(text).find((b) => lines[b.line - 3]?.trim() === `<!-- package-test: ${name} -->`);
  if (!block) throw new Error(`docs/cli.md has no block marked <!-- package-test: ${name} -->`);
  return block.text;
}

const pipeline = (version: string, inputs: string) =>
  `stages: [build]\ninclude:\n  - component: $CI_SERVER_FQDN/${SCOPE}/harbor-ci-components/build-push@${version}\n    inputs:\n${inputs}`;
const GOOD = "      image_name: my-app\n      stage: build\n";
const MISSPELT = "      image_name: my-app\n      stagee: build\n";

describe("the harbor-ci npm package", () => {
  const registry = new LocalNpmRegistry(1234);
  const work = mkdtempSync(join(tmpdir(), "hci-package-"));
  const { version } = packageInfo();
  let token = "";

  beforeAll(async () => {
    await registry.start();
    token = await registry.token();
  }, 120_000);
  afterAll(async () => {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** A scratch consumer project holding a good and a misspelt pipeline. */
  function consumer(name: string): string {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, ".gitlab-ci.yml"), pipeline(version, GOOD));
    writeFileSync(join(dir, "misspelt.yml"), pipeline(version, MISSPELT));
    return dir;
  }

  const releaseEnv = (over: Record<string, string> = {}) =>
    cleanEnv(join(work, "cache-release"), {
      CI_COMMIT_TAG: version,
      CI_API_V4_URL: registry.apiUrl,
      CI_PROJECT_ID: "1234",
      CI_JOB_TOKEN: token,
      CI_PROJECT_ROOT_NAMESPACE: SCOPE,
      ...over,
    });
  const releaseScript = () => {
    const jobs = parse(readFileSync(join(projectRoot, ".gitlab-ci.yml"), "utf8")) as Record<string, { script: string[] }>;
    return jobs["publish-npm"]!.script.join("\n");
  };

  it("refuses to publish when the tag is not the package version, before anything is built or sent", async () => {
    const r = await sh(releaseScript(), projectRoot, releaseEnv({ CI_COMMIT_TAG: "99.0.0" }));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain("error PACKAGE_VERSION_MISMATCH");
    expect(await registry.packument(NAME, token)).toBeUndefined();
  });

  it("is published by the release job's own script, under the scope of the root namespace, at the tag's version", async () => {
    const r = await sh(releaseScript(), projectRoot, releaseEnv());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`published ${NAME}@${version}`);
    expect(r.stdout + r.stderr).not.toContain(token);
    const doc = await registry.packument(NAME, token);
    expect(Object.keys(doc!.versions)).toEqual([version]);
    expect(doc!["dist-tags"].latest).toBe(version);
    const manifest = doc!.versions[version] as Record<string, unknown>;
    expect(manifest).not.toHaveProperty("private");
    expect(manifest).not.toHaveProperty("devDependencies");
    expect(manifest.dependencies ?? {}).toEqual({}); // everything it runs is bundled into dist/cli.js
    expect(manifest.bin).toEqual({ "harbor-ci": "bin/harbor-ci.js" });
    expect(
      registry.requests.some((q) => q.method === "PUT" && q.path === `/api/v4/projects/1234/packages/npm/@${SCOPE}%2fharbor-ci-components` && q.status === 201),
    ).toBe(true);

    // A retried job: the same contents are already there, nothing changes.
    const again = await sh(releaseScript(), projectRoot, releaseEnv());
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("already published with the same contents");
  });

  it("installs with the documented .npmrc and npx command, and validates the consumer's pipeline", async () => {
    const dir = consumer("developer");
    const origin = registry.apiUrl.replace(/\/api\/v4$/, "");
    const npmrc = readmeBlock("npmrc")
      .replaceAll("https://gitlab.example.com", origin)
      .replaceAll("//gitlab.example.com", origin.replace(/^http:/, ""));
    writeFileSync(join(dir, ".npmrc"), npmrc + "\n");
    const command = readmeBlock("npx").replaceAll("@1.4.2", `@${version}`);
    const before = registry.requests.length;
    const r = await sh(command, dir, cleanEnv(join(work, "cache-developer"), { GITLAB_TOKEN: token }));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(".gitlab-ci.yml: 1 component include(s), 0 error(s)");
    const served = registry.requests.slice(before);
    expect(served.some((q) => q.method === "GET" && q.path.endsWith(`/@${SCOPE}%2fharbor-ci-components`) && q.status === 200)).toBe(true);
    expect(served.some((q) => q.path.includes("/-/harbor-ci-components-") && q.status === 200)).toBe(true);
  });

  it("runs the documented merge-request job: a good pipeline passes, a misspelt input fails with UNKNOWN_INPUT", async () => {
    const job = parse(readmeBlock("job")) as Record<string, { script: string[] }>;
    const script = job["harbor-ci-validate"]!.script.join("\n").replaceAll("@1.4.2", `@${version}`);
    const env = cleanEnv(join(work, "cache-job"), { CI_API_V4_URL: registry.apiUrl, CI_JOB_TOKEN: token });
    const dir = consumer("job");
    const good = await sh(script, dir, env);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(readFileSync(join(dir, ".npmrc"), "utf8")).not.toContain(token); // referenced, never written

    const bad = await sh(script.replace(/validate \.gitlab-ci\.yml$/m, "validate misspelt.yml"), dir, env);
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/misspelt\.yml:\d+:\d+: error UNKNOWN_INPUT: build-push: unknown input arguments: stagee/);
    expect(bad.stdout).toContain("did you mean `stage`?");
  });

  it("installs from the registry with npm install --omit=dev as one bundled package: at most 3 packages, no TypeScript, every shipped command works", async () => {
    const dir = consumer("installed");
    writeFileSync(join(dir, "package.json"), '{ "name": "consumer", "private": true }\n');
    const host = registry.registryUrl.replace(/^https?:/, "");
    writeFileSync(join(dir, ".npmrc"), `@${SCOPE}:registry=${registry.registryUrl}\n${host}:_authToken=${token}\n`);
    const env = cleanEnv(join(work, "cache-installed"));
    const installed = await sh(`npm install --omit=dev --no-audit --no-fund "${NAME}@${version}"`, dir, env);
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    // What npm put in node_modules (its own record of the tree): the CLI and nothing it drags in.
    const lock = JSON.parse(readFileSync(join(dir, "node_modules", ".package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
    const added = Object.keys(lock.packages).filter((p) => p.startsWith("node_modules/"));
    expect(added.length, added.join(", ")).toBeLessThanOrEqual(3);
    expect(added).toContain(`node_modules/${NAME}`);
    for (const loader of ["typescript", "tsx", "typescript-json-schema", "esbuild"]) expect(existsSync(join(dir, "node_modules", loader)), loader).toBe(false);
    // One bundled file, its source map, RE2's WebAssembly and the bundled packages' licences: no module tree.
    expect(readdirSync(join(dir, "node_modules", NAME, "dist")).sort()).toEqual(["THIRD-PARTY-LICENSES.txt", "cli.js", "cli.js.map", "re2.wasm"]);

    const v = await sh("npx harbor-ci --version", dir, env);
    expect(v.stdout.trim(), v.stderr).toBe(version);
    const good = await sh("npx harbor-ci validate .gitlab-ci.yml", dir, env);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain(".gitlab-ci.yml: 1 component include(s), 0 error(s)");
    const bad = await sh("npx harbor-ci validate misspelt.yml", dir, env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("error UNKNOWN_INPUT");
    // RE2 (re2-wasm's .wasm beside the bundle) judges build-push's image_name pattern.
    const rendered = await sh("npx harbor-ci render build-push --input image_name=my-app", dir, env);
    expect(rendered.code, rendered.stdout + rendered.stderr).toBe(0);
    expect(rendered.stdout).toMatch(/^build-push:/m);
    expect(rendered.stdout).toContain("HCI_IMAGE_NAME: my-app");
    const refused = await sh("npx harbor-ci render build-push --input 'image_name=Not An Image'", dir, env);
    expect(refused.code, refused.stdout + refused.stderr).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain("does not match required RegEx pattern");
    for (const developer of ["generate", "check"]) {
      const r = await sh(`npx harbor-ci ${developer}`, dir, env);
      expect(r.code, developer).toBe(2);
      expect(r.stderr).toContain("error DEVELOPER_COMMAND");
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it("maps a failure's stack trace to the TypeScript sources under --debug, and prints none without it", async () => {
    const dir = join(work, "installed");
    // An unexpected failure: stdout refuses to be written, so `--version` throws out of main().
    writeFileSync(join(dir, "broken-stdout.mjs"), 'process.stdout.write = () => { throw new Error("probe: stdout refused"); };\n');
    const bin = join(dir, "node_modules", ".bin", "harbor-ci");
    const env = cleanEnv(join(work, "cache-installed"));
    const debug = await sh(`node --import ./broken-stdout.mjs "${bin}" --debug --version`, dir, env);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain("error INTERNAL");
    expect(debug.stderr).toMatch(/\n\s+at .*scripts\/cli\.ts:\d+:\d+/);
    const plain = await sh(`node --import ./broken-stdout.mjs "${bin}" --version`, dir, env);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("error INTERNAL");
    expect(plain.stderr).not.toMatch(/\n\s+at /);
  });
});
