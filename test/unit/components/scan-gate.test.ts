import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkPackageDefaults } from "../../../scripts/lib/toolchain/package-facts.ts";
import { allScripts, HARBOR_ENV, renderErrors, renderJob, runJob, shellcheck, syntaxErrors, type JobRun, type RunOptions } from "./support.ts";

const IMAGE_REF = "harbor.example.com:8443/my-project/my-app@sha256:" + "1".repeat(64);
const ROOT = resolve(import.meta.dirname, "../../..");
const runs: JobRun[] = [];

// Stand-ins for npm and the installed harbor-ci: they record their arguments (one a line) and the
// npm configuration they were given, and harbor-ci exits with $STUB_SCAN_EXIT.
const NPM_STUB = `#!/bin/sh
{ echo CALL; pwd; for a in "$@"; do echo "ARG $a"; done; } >>"$STUB_DIR/npm"
[ -f .npmrc ] && cp .npmrc "$STUB_DIR/npmrc"
[ -n "\${STUB_NPM_FAIL:-}" ] && { echo "npm ERR! 404 Not Found" >&2; exit 1; }
mkdir -p node_modules/.bin
cat >node_modules/.bin/harbor-ci <<'STUB'
#!/bin/sh
[ "$1" = --version ] && { echo "harbor-ci 0.1.0"; exit 0; }
{ for a in "$@"; do echo "ARG $a"; done; echo "CA \${NODE_EXTRA_CA_CERTS:-}"; } >>"$STUB_DIR/harbor-ci"
exit "\${STUB_SCAN_EXIT:-0}"
STUB
chmod +x node_modules/.bin/harbor-ci
`;

async function run(inputs: Record<string, unknown> = {}, options: RunOptions = {}): Promise<JobRun> {
  const { job } = renderJob("scan-gate", inputs);
  const r = await runJob(job, {
    ...options,
    tools: { npm: NPM_STUB, ...options.tools },
    env: {
      ...HARBOR_ENV,
      IMAGE_REF,
      CI_API_V4_URL: "https://gitlab.example.com/api/v4",
      // A consumer in another top-level group, with upper-case letters in its path.
      CI_PROJECT_ROOT_NAMESPACE: "Consumer-GROUP",
      CI_JOB_TOKEN: "glcbt-64_jobTokenValue1234567890",
      ...options.env,
    },
  });
  runs.push(r);
  return r;
}

const argsOf = (text: string | undefined) =>
  (text ?? "")
    .split("\n")
    .filter((l) => l.startsWith("ARG "))
    .map((l) => l.slice(4));

afterEach(() => {
  for (const r of runs.splice(0)) r.cleanup();
});

describe("scan-gate: the rendered job", () => {
  it("runs in the test stage on a Node.js image and needs build-push's dotenv report", () => {
    const { name, job } = renderJob("scan-gate");
    expect(name).toBe("scan-gate");
    expect(job.stage).toBe("test");
    expect(job.image).toBe("node:20-slim");
    expect(job.needs).toEqual([{ job: "build-push", optional: true }]);
    expect(job.variables["HCI_IMAGE"]).toBe("$IMAGE_REF");
  });

  it("keeps both reports when the job fails: container_scanning and junit", () => {
    const { job } = renderJob("scan-gate", { report: "reports/cs.json", junit_report: "reports/junit.xml" });
    expect((job as unknown as { artifacts: unknown }).artifacts).toEqual({
      when: "always",
      reports: { container_scanning: "reports/cs.json", junit: "reports/junit.xml" },
    });
  });

  it("pins the package version to the library's own version (GitLab 17.x cannot interpolate a component's version)", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const schema = JSON.parse(readFileSync(join(ROOT, "templates/scan-gate/inputs.schema.json"), "utf8")) as {
      properties: Record<string, { default?: unknown }>;
    };
    expect(schema.properties["package_version"]!.default).toBe(pkg.version);
    expect(renderJob("scan-gate").job.variables["HCI_PACKAGE_VERSION"]).toBe(pkg.version);
  });

  it("installs by default the package the library's release publishes, whatever the consumer's group", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string };
    const schema = JSON.parse(readFileSync(join(ROOT, "templates/scan-gate/inputs.schema.json"), "utf8")) as {
      properties: Record<string, { default?: unknown }>;
    };
    expect(schema.properties["package"]!.default).toBe(pkg.name);
    // A literal: no variable of the consumer's job (its group, its project) can change it.
    expect(pkg.name).toMatch(/^@[a-z0-9][a-z0-9._~-]*\/harbor-ci-components$/);
    expect(renderJob("scan-gate").job.variables["HCI_PACKAGE"]).toBe(pkg.name);
  });

  it("fails npm run check when the default package or version drifts from package.json", () => {
    const root = mkdtempSync(join(tmpdir(), "hci-drift-"));
    try {
      writeFileSync(join(root, "package.json"), JSON.stringify({ name: "@platform/harbor-ci-components", version: "1.4.2" }));
      const schemas = new Map([
        ["scan-gate", { properties: { package: { default: "@my-group/harbor-ci-components" }, package_version: { default: "1.4.2" } } }],
      ]);
      const problems = checkPackageDefaults(root, schemas, (p) => p);
      expect(problems.map((d) => [d.code, d.expected, d.actual])).toEqual([
        ["PACKAGE_DEFAULT_DRIFT", '@default "@platform/harbor-ci-components"', '@default "@my-group/harbor-ci-components"'],
      ]);
      schemas.get("scan-gate")!.properties.package.default = "@platform/harbor-ci-components";
      expect(checkPackageDefaults(root, schemas, (p) => p)).toEqual([]);
      schemas.get("scan-gate")!.properties.package_version.default = "1.4.1";
      expect(checkPackageDefaults(root, schemas, (p) => p).map((d) => d.code)).toEqual(["PACKAGE_DEFAULT_DRIFT"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("accepts only the severities harbor-ci scan knows", () => {
    expect(renderErrors("scan-gate", { fail_on: "severe" })).toEqual([
      "`fail_on` input: `severe` cannot be used because it is not in the list of allowed options",
    ]);
    expect(renderErrors("scan-gate", { fail_on: "critical" })).toEqual([]);
  });

  for (const { label, script } of allScripts(renderJob("scan-gate").job)) {
    it(`${label} passes shellcheck -s sh`, () => {
      expect(shellcheck(script)).toBe("");
    });
    it(`${label} parses with busybox sh -n`, () => {
      expect(syntaxErrors(script)).toBe("");
    });
  }
});

describe("scan-gate: the job as a runner runs it", () => {
  it("installs the pinned package from the scope's registry with CI_JOB_TOKEN, which it writes nowhere", async () => {
    const r = await run();
    expect(r.code, r.output).toBe(0);
    expect(argsOf(r.stubFile("npm"))).toEqual([
      "install",
      "--no-audit",
      "--no-fund",
      "--omit=dev",
      "--no-save",
      "--loglevel=error",
      "@my-group/harbor-ci-components@0.1.0",
    ]);
    expect(r.stubFile("npmrc")).toBe(
      "@my-group:registry=https://gitlab.example.com/api/v4/packages/npm/\n//gitlab.example.com/api/v4/packages/npm/:_authToken=${CI_JOB_TOKEN}\n",
    );
    expect(r.output).toContain("section_start:");
    expect(r.output).toContain("Installed harbor-ci 0.1.0");
  });

  it("runs harbor-ci scan with the inputs as arguments and the credentials by variable NAME only", async () => {
    const r = await run(
      {
        fail_on: "critical",
        timeout: 120,
        allow_list: ".harbor-allow",
        registry: "registry.example.com",
        username_variable: "MY_USER",
        password_variable: "MY_PASS",
      },
      { env: { MY_USER: "u", MY_PASS: "p4ssw0rd-secret" } },
    );
    expect(r.code, r.output).toBe(0);
    expect(argsOf(r.stubFile("harbor-ci"))).toEqual([
      "scan",
      "--image",
      IMAGE_REF,
      "--fail-on",
      "critical",
      "--timeout",
      "120",
      "--report",
      "gl-container-scanning-report.json",
      "--junit",
      "harbor-scan-junit.xml",
      "--username-variable",
      "MY_USER",
      "--password-variable",
      "MY_PASS",
      "--allow",
      ".harbor-allow",
      "--registry",
      "registry.example.com",
    ]);
    const everything = [r.output, r.afterOutput, r.stubFile("npm"), r.stubFile("harbor-ci"), r.stubFile("npmrc")].join("\n");
    expect(everything).not.toContain("p4ssw0rd-secret");
    expect(everything).not.toContain(HARBOR_ENV.HARBOR_PASSWORD);
    expect(everything).not.toContain("glcbt-64_jobTokenValue1234567890");
  });

  it("fails with the tool's exit code, so that findings fail the pipeline", async () => {
    const r = await run({}, { stub: { STUB_SCAN_EXIT: "1" } });
    expect(r.code).toBe(1);
  });

  it("fails with exit code 2 when there is no image: no IMAGE_REF from a build-push job", async () => {
    const r = await run({}, { env: { IMAGE_REF: undefined as unknown as string } });
    expect(r.code).toBe(2);
    expect(r.output).toContain("no image to check");
    expect(r.stubFile("npm")).toBeUndefined();
  });

  it("installs a package tarball from the repository when package is a path", async () => {
    const r = await run({ package: "./tools/harbor-ci-components-0.1.0.tgz" });
    expect(r.code, r.output).toBe(0);
    expect(argsOf(r.stubFile("npm")).at(-1)).toBe(join(r.projectDir, "tools/harbor-ci-components-0.1.0.tgz"));
    expect(r.stubFile("npmrc")).toBe("");
  });

  it("fails with exit code 8 and npm's message when the package cannot be installed", async () => {
    const r = await run({}, { stub: { STUB_NPM_FAIL: "1" } });
    expect(r.code).toBe(8);
    expect(r.output).toContain("npm ERR! 404 Not Found");
    expect(r.output).toContain("Job token permissions");
  });

  it("gives a private CA from a variable to Node.js as NODE_EXTRA_CA_CERTS", async () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    const r = await run({ harbor_ca_variable: "HARBOR_CA" }, { env: { HARBOR_CA: pem } });
    expect(r.code, r.output).toBe(0);
    expect(r.stubFile("harbor-ci")).toMatch(/CA \/tmp\/hci-scan-gate-\d+\/harbor-ca\.pem/);
  });

  it("removes the installed tool in after_script", async () => {
    const r = await run();
    expect(r.afterCode).toBe(0);
    // Only the runner's own echo of the command: rm printed nothing.
    expect(r.afterOutput.split("\n").filter((l) => l !== "" && !l.startsWith("$ "))).toEqual([]);
  });
});
