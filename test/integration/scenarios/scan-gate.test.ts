// scan-gate after build-push, as in two pipelines: build-push pushes to the real registry, its
// dotenv report (IMAGE_REF) reaches scan-gate, which installs the harbor-ci package packed from
// this checkout into a Node.js job image and asks Harbor's API about that exact digest. Harbor's
// API is the swagger-checked fake (test/contract/fakes/harbor.ts), beside the real registry: one
// pipeline passes (findings below `high`), one fails on a `high`.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { integrationAccess } from "../../../scripts/lib/harbor-api/permissions.ts";
import { FakeHarbor, type FakeVulnerability } from "../../contract/fakes/harbor.ts";
import { containerAddressesReachable, dockerode } from "../../../scripts/runner/docker.ts";
import type { ImageTags } from "../../../scripts/runner/images.ts";
import type { RegistryFixture } from "../../../scripts/runner/registry.ts";
import { runJob } from "../../../scripts/runner/runner.ts";
import { componentJob, EXAMPLE_APP_DIR, logLines, registryImage, uniqueName, useRegistry } from "./support.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const SCHEMA = JSON.parse(readFileSync(join(ROOT, "test/fixtures/gitlab-security-report-schemas/container-scanning-report-format.json"), "utf8"));

const HIGH: FakeVulnerability = {
  id: "CVE-2024-45490",
  package: "libexpat1",
  version: "2.6.2-1",
  fix_version: "2.6.3-1",
  severity: "High",
  description: "negative length in XML_ParseBuffer",
};
const MEDIUM: FakeVulnerability = { id: "CVE-2024-2511", package: "libssl3", version: "3.0.13-1", fix_version: "3.0.14-1", severity: "Medium" };
const LOW: FakeVulnerability = { id: "CVE-2011-3389", package: "libgnutls30", version: "3.8.5-2", severity: "Low" };

// Job containers reach this process through the engine's bridge address: only with a local engine.
describe.skipIf(!containerAddressesReachable())("scan-gate: Harbor's scan of the digest build-push pushed", () => {
  let images: ImageTags;
  let registry: RegistryFixture;
  let harbor: FakeHarbor;
  let harborUrl: string;
  let projectDir: string;

  useRegistry((i, r) => {
    images = i;
    registry = r;
  });

  beforeAll(async () => {
    harbor = new FakeHarbor();
    await harbor.start("0.0.0.0");
    // The default bridge's gateway is this host, as seen from any container of the engine.
    const bridge = await (await dockerode()).getNetwork("bridge").inspect();
    // Docker 20.10 leaves Gateway out for the default bridge: it is then the subnet's first address.
    const config = (bridge.IPAM?.Config as Array<{ Gateway?: string; Subnet?: string }> | undefined)?.find(
      (c) => c.Gateway || /^\d+\.\d+\.\d+\.\d+\//.test(c.Subnet ?? ""),
    );
    const gateway = config?.Gateway || config?.Subnet?.replace(/\.\d+\/\d+$/, ".1");
    expect(gateway, "the engine's bridge network has no gateway").toBeTruthy();
    harborUrl = `http://${gateway}:${new URL(harbor.url).port}`;
    // Harbor's project and the integration's robot, with the secret the registry accepts.
    harbor.projects.set(registry.project, { project_id: 12, name: registry.project });
    const robot = harbor.addRobot(registry.project, "ci", integrationAccess(true));
    robot.name = registry.username;
    robot.secret = registry.password;

    // The application project, with the CLI packed from this checkout (what the release publishes).
    projectDir = mkdtempSync(join(tmpdir(), "harbor-ci-scan-gate-"));
    cpSync(EXAMPLE_APP_DIR, projectDir, { recursive: true });
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", projectDir], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
    execFileSync("mv", [join(projectDir, packed), join(projectDir, "harbor-ci.tgz")]);
    writeFileSync(join(projectDir, ".harbor-allow"), "# accepted findings\nCVE-2011-3389 2099-12-31 TLS 1.0 only, not used\n");
  }, 120_000);

  afterAll(async () => {
    await harbor?.stop();
    if (projectDir) rmSync(projectDir, { recursive: true, force: true });
    // Every answer the job got from the fake conforms to Harbor's swagger.
    expect(harbor.swaggerViolations).toEqual([]);
  });

  /** build-push, then scan-gate on its dotenv report, as one pipeline. */
  async function pipeline(vulnerabilities: FakeVulnerability[], scanned: boolean) {
    const imageName = uniqueName("scanned");
    const build = componentJob("build-push", { image_name: imageName });
    const built = await runJob(build.job, {
      name: build.name,
      projectDir: EXAMPLE_APP_DIR,
      images,
      harbor: registry.integration(),
      registry,
      timeoutMs: 180_000,
    });
    expect(built.status, built.log).toBe("success");
    // The digest is real: the registry serves that manifest.
    const stored = await registryImage(registry, `${registry.project}/${imageName}`, built.dotenv.IMAGE_DIGEST!);
    expect(stored.digest).toBe(built.dotenv.IMAGE_DIGEST);
    harbor.addArtifact(registry.project, imageName, built.dotenv.IMAGE_DIGEST!, { statuses: scanned ? ["Success"] : [], vulnerabilities });

    const gate = componentJob("scan-gate", {
      package: "./harbor-ci.tgz",
      // Harbor's API (the fake) and its registry (the fixture) answer at two addresses here.
      registry: `${registry.hostname}:${registry.port}`,
      allow_list: ".harbor-allow",
    });
    // npm in the job uses this machine's npm registry and CA bundle (a TLS-inspecting proxy may sign it).
    const npmRegistry = execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8" }).trim();
    const npmEnv: Record<string, string> = { NPM_CONFIG_REGISTRY: npmRegistry };
    const cafile = execFileSync("npm", ["config", "get", "cafile"], { encoding: "utf8" }).trim();
    if (cafile && cafile !== "null" && cafile !== "undefined") {
      cpSync(cafile, join(projectDir, ".npm-ca.pem"));
      npmEnv.NPM_CONFIG_CAFILE = "$CI_PROJECT_DIR/.npm-ca.pem";
    }
    const scan = await runJob(gate.job, {
      name: gate.name,
      projectDir,
      images,
      harbor: registry.integration(),
      dotenv: built.dotenv,
      variables: { HARBOR_URL: harborUrl, ...npmEnv },
      timeoutMs: 300_000,
    });
    return { built, scan, imageName };
  }

  it("passes when the findings stay below high, with both reports uploaded and valid", async () => {
    const { built, scan } = await pipeline([MEDIUM, LOW], true);
    expect(scan.status, scan.log).toBe("success");
    const lines = logLines(scan.log);
    expect(
      lines.some((l) => /^High\s+0\s+0\s+ok$/.test(l)),
      scan.log,
    ).toBe(true);
    expect(lines.some((l) => /^Medium\s+1\s+1$/.test(l))).toBe(true);
    expect(lines).toContain("passed: no finding at or above high");
    expect(scan.log).toContain(`Harbor: ${harborUrl}/harbor/projects/12/repositories/`);
    // The artifact was read by the digest build-push handed over.
    expect(harbor.requests.some((q) => q.method === "GET" && q.rawPath.endsWith(`/artifacts/${built.dotenv.IMAGE_DIGEST}`))).toBe(true);

    const report = JSON.parse(scan.reports["gl-container-scanning-report.json"]!);
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(SCHEMA);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.vulnerabilities.map((v: { identifiers: Array<{ value: string }> }) => v.identifiers[0]!.value)).toEqual(["CVE-2024-2511", "CVE-2011-3389"]);
    expect(report.vulnerabilities[0].location.image).toBe(built.dotenv.IMAGE_REF);
    expect(scan.reports["harbor-scan-junit.xml"]).toContain('name="no vulnerabilities at or above high"');
    expect(scan.log).not.toContain(registry.password);
  }, 600_000);

  it("fails on a high, after starting the scan and waiting for it, and still uploads the reports", async () => {
    const { scan } = await pipeline([HIGH, MEDIUM], false);
    expect(scan.status).toBe("failed");
    expect(scan.exitCode, scan.log).toBe(1);
    const lines = logLines(scan.log);
    expect(lines).toContain("scan: not scanned yet; started a scan");
    expect(
      lines.some((l) => /^scan: Running \(50%\), \d+ s of 600 s$/.test(l)),
      scan.log,
    ).toBe(true);
    expect(lines.some((l) => /^High\s+CVE-2024-45490\s+libexpat1 2\.6\.2-1 -> fixed in 2\.6\.3-1$/.test(l))).toBe(true);
    expect(lines).toContain("FAILED: 1 finding(s) at or above high");
    expect(harbor.scansStarted).toBeGreaterThanOrEqual(1);
    // Kept although the job failed (artifacts:when: always).
    expect(scan.reports["harbor-scan-junit.xml"]).toContain('name="High CVE-2024-45490 in libexpat1 2.6.2-1"><failure');
    const report = JSON.parse(scan.reports["gl-container-scanning-report.json"]!);
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(SCHEMA);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(scan.log).not.toContain(registry.password);
  }, 600_000);
});
