// Inputs can never become docker options or paths: GitLab's regex refuses them where it can (a
// literal value), the job's configuration step refuses them after variable expansion (a `$VAR`
// holding `--help`), and the dind service never writes outside certs.d.

import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { callsOf, HARBOR_ENV, renderErrors, renderJob, runJob, runServiceScript, scriptsOf, type JobRun } from "./support.ts";

const runs: JobRun[] = [];
afterEach(() => {
  for (const r of runs.splice(0)) r.cleanup();
});

async function buildPush(inputs: Record<string, unknown>, env: Record<string, string> = {}): Promise<JobRun> {
  const { job } = renderJob("build-push", { image_name: "my-app", context: "app", ...inputs });
  const r = await runJob(job, { files: { "app/Dockerfile": "FROM scratch\n" }, env: { ...HARBOR_ENV, ...env } });
  runs.push(r);
  return r;
}

async function pullRun(inputs: Record<string, unknown>, env: Record<string, string> = {}): Promise<JobRun> {
  const { job } = renderJob("pull-run", inputs);
  const r = await runJob(job, { env: { ...HARBOR_ENV, IMAGE_REF: "harbor.example.com:8443/my-project/app:1", ...env } });
  runs.push(r);
  return r;
}

describe("image inputs: GitLab's regex refuses an option or a parent directory", () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ["build-push", "docker_image", { image_name: "a", context: "." }],
    ["build-push", "dind_image", { image_name: "a", context: "." }],
    ["pull-run", "image", {}],
    ["pull-run", "docker_image", {}],
    ["pull-run", "dind_image", {}],
    ["service-db", "db_image", { image: "node:20", script: ["true"] }],
    ["service-db", "image", { script: ["true"] }],
  ];
  for (const [component, input, rest] of cases) {
    for (const value of ["--help", "-v", "a/../b", "..", ".hidden"]) {
      it(`${component} ${input}=${value}: provided value does not match required RegEx pattern`, () => {
        expect(renderErrors(component, { ...rest, [input]: value })).toContain(`\`${input}\` input: provided value does not match required RegEx pattern`);
      });
    }
    it(`${component} ${input}: an ordinary reference and a variable still pass`, () => {
      expect(renderErrors(component, { ...rest, [input]: "harbor.example.com:8443/proxy/library/docker:27-dind" })).toEqual([]);
      expect(renderErrors(component, { ...rest, [input]: "${CI_REGISTRY_IMAGE}/app:1.0" })).toEqual([]);
    });
  }
});

describe("job configuration step: values checked after variable expansion", () => {
  it("build-push: a registry from a variable holding --help stops before any docker call", async () => {
    const r = await buildPush({ registry: "$MY_REGISTRY" }, { MY_REGISTRY: "--help" });
    expect(r.code).toBe(2);
    expect(r.output).toContain("registry (from input registry) '--help' starts with '-', which docker would read as an option.");
    expect(callsOf(r, "login")).toEqual([]);
    expect(callsOf(r, "push")).toEqual([]);
  });

  it("build-push: a registry from a variable holding .. stops", async () => {
    const r = await buildPush({ registry: "$MY_REGISTRY" }, { MY_REGISTRY: "a..b" });
    expect(r.code).toBe(2);
    expect(r.output).toContain("contains '..'");
  });

  it("build-push: HARBOR_URL whose host starts with - stops", async () => {
    const r = await buildPush({}, { HARBOR_URL: "https://-oops.example.com" });
    expect(r.code).toBe(2);
    expect(r.output).toContain("starts with '-'");
  });

  it("pull-run: an image from a variable holding --help stops before docker pull", async () => {
    const r = await pullRun({}, { IMAGE_REF: "--help" });
    expect(r.code).toBe(2);
    expect(callsOf(r, "pull")).toEqual([]);
    expect(callsOf(r, "run")).toEqual([]);
  });

  it("every docker call ends its options before the user's value (--)", async () => {
    const b = await buildPush({});
    expect(b.code).toBe(0);
    for (const sub of ["push", "logout"]) for (const c of callsOf(b, sub)) expect(c.args[1]).toBe("--");
    expect(callsOf(b, "login")[0]!.args.slice(-2)).toEqual(["--", "harbor.example.com:8443"]);
    expect(callsOf(b, "build")[0]!.args.at(-2)).toBe("--");
    const p = await pullRun({});
    expect(p.code).toBe(0);
    expect(callsOf(p, "pull")[0]!.args[1]).toBe("--");
    expect(callsOf(p, "run")[0]!.args).toContain("--");
  });
});

describe("dind service: the registry is checked before anything is written under certs.d", () => {
  const PEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----";
  const DOCKERD = '#!/bin/sh\necho "dockerd-entrypoint.sh $*"\n';
  const script = () => scriptsOf(renderJob("build-push", { image_name: "a", context: "." }).job).services[0]!.script;

  /** Every file under `dir`, recursively. */
  const filesUnder = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

  for (const registry of ["..", "../..", "../../etc/docker", "-x", "a/b", "host..:5000"]) {
    it(`registry ${JSON.stringify(registry)}: no file written, the daemon still starts`, async () => {
      // certs.d three levels down a fresh directory: a `..` that escaped would land inside it.
      const sandbox = mkdtempSync(join(tmpdir(), "hci-certs-"));
      try {
        const certsDir = join(sandbox, "etc", "docker", "certs.d");
        const r = await runServiceScript(
          script(),
          { HCI_REGISTRY_CA_VARIABLE: "MY_CA", MY_CA: PEM, HCI_REGISTRY: registry, HCI_DOCKER_CERTS_DIR: certsDir },
          { "dockerd-entrypoint.sh": DOCKERD },
        );
        expect(r.code).toBe(0);
        expect(r.output).toContain(`hci-dind: ERROR: registry '${registry}' is not a host or host:port: no CA written`);
        expect(r.output).toContain("dockerd-entrypoint.sh");
        expect(filesUnder(sandbox)).toEqual([]);
      } finally {
        rmSync(sandbox, { recursive: true, force: true });
      }
    });
  }
});
