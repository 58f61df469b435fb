// harbor-ci scan: thin wrapper over scripts/lib/harbor-api/scan.ts (Harbor calls, wait) and
// scan-model.ts (pure: gate, reports). Credentials only from the environment.

import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "./command.ts";
import { CliError, usageError } from "../lib/cli/diagnostics.ts";
import { Output, processIO, type CommandIO } from "../lib/cli/io.ts";
import { NETWORK_OPTIONS, networkSettings } from "../lib/http/options.ts";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from "../lib/http/retry.ts";
import { intOption, parseCommandArgs } from "../lib/cli/args.ts";
import { Redactor } from "../lib/cli/redact.ts";
import { packageInfo } from "../lib/release/package-info.ts";
import {
  FAIL_ON,
  artifactUiUrl,
  containerScanningReport,
  evaluate,
  evaluateOverview,
  junitReport,
  parseAllowList,
  parseImageRef,
  summaryTable,
  type AllowEntry,
  type Evaluation,
  type FailOn,
} from "../lib/harbor-api/scan-model.ts";
import { SCAN_EXIT, ScanClient, waitForScan } from "../lib/harbor-api/scan.ts";
import { checkHarborUrl } from "../lib/harbor-api/transport.ts";

const DEFAULT_WAIT_S = 600;
const DEFAULT_POLL_MS = 5_000;
const MAX_ALLOW_BYTES = 1_000_000;

const { timeout: _requestTimeout, ...NETWORK_WITHOUT_TIMEOUT } = NETWORK_OPTIONS;

const OPTIONS = {
  image: { type: "string" },
  "fail-on": { type: "string" },
  timeout: { type: "string" },
  "poll-interval": { type: "string" },
  allow: { type: "string" },
  report: { type: "string" },
  junit: { type: "string" },
  "no-trigger": { type: "boolean" },
  registry: { type: "string" },
  "username-variable": { type: "string" },
  "password-variable": { type: "string" },
  "request-timeout": { type: "string" },
  ...NETWORK_WITHOUT_TIMEOUT,
} as const;

const help = `Usage: harbor-ci scan --image <ref@digest> [--fail-on <severity>] [--timeout <s>] [options]

Gates a pipeline on Harbor's own vulnerability scan of an image digest:
  1. reads the artifact by digest, with its scan overview (artifact:read);
  2. when it was never scanned, starts a scan (scan:create); without that permission, says to turn
     on "scan on push" in the Harbor project or to grant it with \`harbor-ci setup --scan\`;
  3. waits, printing progress, until the scan is done, at most --timeout seconds;
  4. reads the findings (artifact-addition:read; without it, decides on the overview's counts and
     says so), applies the --allow list, prints a summary table and a link to the artifact in
     Harbor's UI, writes the reports, and fails when a finding reaches --fail-on.

Options:
  --image <ref>             Image to check: <harbor-host>/<project>/<repository>[:tag]@sha256:<digest>,
                            e.g. "$IMAGE_REF" from build-push. Its registry must be HARBOR_URL's.
  --fail-on <severity>      Lowest severity that fails: ${FAIL_ON.join(", ")}. Default high.
  --timeout <s>             Longest wait for the scan to finish, in seconds. Default ${DEFAULT_WAIT_S}.
  --poll-interval <ms>      Time between two looks at the scan. Default ${DEFAULT_POLL_MS}.
  --allow <file>            Allow list: one vulnerability a line, \`<ID> <YYYY-MM-DD> [reason]\`
                            (the date is the last day the entry holds); # starts a comment.
                            Expired entries allow nothing and are reported.
  --report <file>           Write GitLab's container-scanning report (security report schema) there.
  --junit <file>            Write a JUnit report there: one test case per finding at or above --fail-on.
  --no-trigger              Never start a scan; only read what Harbor has.
  --registry <host[:port]>  Registry name of Harbor's images when it is not HARBOR_URL's host.
  --username-variable <n>   Environment variable holding the user. Default HARBOR_USERNAME.
  --password-variable <n>   Environment variable holding the password. Default HARBOR_PASSWORD.

Network options:
  --retries <n>             Retries of a call that failed transiently (connection refused or reset,
                            timeout, HTTP 429/5xx), with exponential backoff. Default ${DEFAULT_RETRY.retries}.
  --retry-delay <ms>        First backoff delay, doubled at each retry. Default ${DEFAULT_RETRY.baseDelayMs}.
  --request-timeout <ms>    Timeout of one HTTP request. Default ${DEFAULT_TIMEOUT_MS}.
  -v, --verbose             Print every API call made.

Environment (credentials are never taken from arguments):
  HARBOR_URL                 Harbor's base URL (http:// or https://, any port), as GitLab's Harbor
                             integration sets it.
  HARBOR_USERNAME, HARBOR_PASSWORD
                             The integration's robot. It needs artifact:read (the registry guide's
                             robot has it); artifact-addition:read to list findings; scan:create to
                             start a scan. \`harbor-ci setup --scan\` grants the last two.
  NODE_EXTRA_CA_CERTS        PEM file of a private CA that signed Harbor's certificate.

Exit codes:
  0 passed · 1 a finding reaches --fail-on · 2 bad options or environment · 3 Harbor refused or
  failed (credentials, permission, digest not found, unreachable) · 4 the scan did not finish
  within --timeout (Pending/Running) · 5 the scan ended in Error or Stopped · 6 no scan: no
  scanner configured, artifact not scannable, or not scanned and no permission to start a scan.

Examples:
  harbor-ci scan --image "$IMAGE_REF" --fail-on high --timeout 600 --report gl-container-scanning-report.json
  harbor-ci scan --image "$IMAGE_REF" --fail-on critical --allow .harbor-allow --junit scan-junit.xml
`;

interface ScanRequest {
  image: string;
  failOn: FailOn;
  waitMs: number;
  pollMs: number;
  allowFile?: string;
  report?: string;
  junit?: string;
  trigger: boolean;
}

function envName(option: string, value: string | undefined, fallback: string): string {
  const v = value ?? fallback;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) {
    throw usageError("OPTION_INVALID", `--${option} \`${v}\` is not a variable name`, `pass the NAME of the variable (e.g. ${fallback}), never its value`, {
      expected: "[A-Za-z_][A-Za-z0-9_]*",
      actual: v,
    });
  }
  return v;
}

function readAllowList(file: string, cwd: string): AllowEntry[] {
  const path = resolve(cwd, file);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error("not a regular file");
    size = st.size;
  } catch (err) {
    throw usageError(
      "ALLOW_LIST_UNREADABLE",
      `cannot read the allow list \`${file}\` (${err instanceof Error ? err.message : String(err)})`,
      "pass an existing file with --allow, or leave the option out",
      { actual: path },
    );
  }
  if (size > MAX_ALLOW_BYTES) {
    throw usageError(
      "ALLOW_LIST_TOO_LARGE",
      `allow list \`${file}\` is ${size} bytes`,
      "keep the allow list small: one vulnerability ID and an expiry date a line",
      { expected: `at most ${MAX_ALLOW_BYTES} bytes`, actual: `${size} bytes` },
    );
  }
  return parseAllowList(readFileSync(path, "utf8"), file);
}

function writeFile(cwd: string, file: string, text: string): void {
  const path = resolve(cwd, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function toolVersion(): string {
  try {
    return packageInfo().version || "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export interface ScanDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function scanMain(argv: string[], io: CommandIO, deps: ScanDeps = {}): Promise<number> {
  const redactor = new Redactor();
  const out = new Output(io, redactor);
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = new Date(now());
  let req: ScanRequest | undefined;
  let image = "";
  try {
    const { values } = parseCommandArgs("scan", argv, OPTIONS);
    const userVar = envName("username-variable", values["username-variable"], "HARBOR_USERNAME");
    const passVar = envName("password-variable", values["password-variable"], "HARBOR_PASSWORD");
    const password = io.env[passVar];
    redactor.add(password);
    const harborUrl = io.env.HARBOR_URL;
    if (!harborUrl)
      throw usageError(
        "HARBOR_URL_MISSING",
        "HARBOR_URL is not set",
        "activate GitLab's Harbor integration (Settings > Integrations > Harbor), or export HARBOR_URL=https://harbor.example.com",
      );
    // The Harbor client's one check (http/base-url.ts): credentials in the URL are refused, not used.
    checkHarborUrl(harborUrl, "HARBOR_URL", "the robot's credentials go in HARBOR_USERNAME and HARBOR_PASSWORD");
    const username = io.env[userVar];
    if (!username || !password) {
      throw usageError(
        "HARBOR_CREDENTIALS_MISSING",
        `${!username ? userVar : passVar} is not set`,
        `activate GitLab's Harbor integration, or export ${userVar} and ${passVar} (never pass them as arguments)`,
      );
    }
    if (!values.image) throw usageError("IMAGE_MISSING", "no image given", 'pass --image "$IMAGE_REF" (the digest build-push pushed)');
    const failOn = (values["fail-on"] ?? "high").toLowerCase();
    if (!(FAIL_ON as readonly string[]).includes(failOn)) {
      throw usageError("OPTION_INVALID", `--fail-on \`${values["fail-on"]}\` is not a severity`, `pass one of ${FAIL_ON.join(", ")}`, {
        expected: FAIL_ON.join(" | "),
        actual: values["fail-on"],
      });
    }
    req = {
      image: values.image,
      failOn: failOn as FailOn,
      waitMs: intOption("timeout", values.timeout, DEFAULT_WAIT_S, 0, 86_400) * 1000,
      pollMs: intOption("poll-interval", values["poll-interval"], DEFAULT_POLL_MS, 1, 600_000),
      ...(values.allow ? { allowFile: values.allow } : {}),
      ...(values.report ? { report: values.report } : {}),
      ...(values.junit ? { junit: values.junit } : {}),
      trigger: !values["no-trigger"],
    };
    image = req.image;
    if (values.registry !== undefined && !/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(values.registry)) {
      throw usageError(
        "OPTION_INVALID",
        `--registry \`${values.registry}\` is not host or host:port`,
        "pass the registry as host or host:port, e.g. harbor.example.com",
        { expected: "host[:port]", actual: values.registry },
      );
    }
    const target = parseImageRef(req.image, harborUrl, values.registry);
    const allow = req.allowFile ? readAllowList(req.allowFile, io.cwd) : [];
    const net = networkSettings({
      retries: values.retries,
      "retry-delay": values["retry-delay"],
      timeout: values["request-timeout"],
      "max-response-bytes": values["max-response-bytes"],
    });
    const verbose = !!values.verbose;
    const client = new ScanClient({
      url: harborUrl,
      username,
      password,
      ...net,
      onCall: (c) => verbose && out.line(`  call  ${c.method.padEnd(5)} ${c.url}  as ${username}`),
      onRetry: (i) => out.warn(`retry: attempt ${i.attempt} failed (${i.reason}); retrying in ${i.delayMs} ms`),
    });

    out.line(`harbor-ci scan: ${target.project}/${target.repository}@${target.digest} on ${harborUrl} (fail on ${req.failOn})`);
    const { artifact, state, triggered } = await waitForScan(
      client,
      target,
      { timeoutMs: req.waitMs, pollMs: req.pollMs, trigger: req.trigger },
      { now, sleep, progress: (l) => out.line(l) },
    );
    const link = artifactUiUrl(harborUrl, artifact.project_id, target);

    if (state.kind === "no-scanner") {
      throw new CliError({
        code: "NO_SCANNER",
        message: `Harbor cannot scan ${target.project}/${target.repository}@${target.digest}: no scanner is configured for the project, or it does not support this artifact`,
        expected: "a scanner (Trivy by default) set as the system default or for the project",
        actual: "the artifact has no vulnerabilities addition",
        fix: `ask a Harbor administrator to configure a scanner (Administration > Interrogation Services); artifact: ${link}`,
        exitCode: SCAN_EXIT.notScanned,
      });
    }
    if (state.kind === "not-scanned") {
      throw new CliError({
        code: "NOT_SCANNED",
        message: `${target.project}/${target.repository}@${target.digest} has not been scanned${req.trigger ? "" : " (--no-trigger)"}`,
        expected: "a scan report",
        actual: triggered ? "no report after starting a scan" : "no scan",
        fix: 'turn on "Automatically scan images on push" in the Harbor project, or let the job start a scan (drop --no-trigger; the robot needs scan:create: `harbor-ci setup --scan`)',
        exitCode: SCAN_EXIT.notScanned,
      });
    }
    if (state.kind === "error" || state.kind === "stopped") {
      throw new CliError({
        code: state.kind === "error" ? "SCAN_ERROR" : "SCAN_STOPPED",
        message: `Harbor's scan of ${target.project}/${target.repository}@${target.digest} ended with status ${state.status}`,
        expected: "scan status Success",
        actual: state.status,
        fix: `read the scan log in Harbor (${link}, Vulnerabilities > Log), then scan again (Harbor UI > Scan, or rerun this job${req.trigger ? "" : " without --no-trigger"})`,
        exitCode: SCAN_EXIT.scanFailed,
      });
    }
    // state.kind === "in-progress" never returns (waitForScan throws SCAN_TIMEOUT); "done" here.
    if (state.kind !== "done") throw new Error(`unexpected scan state ${state.kind}`);
    const overview = state.report;
    const details = await client.getVulnerabilities(target);
    let evaluation: Evaluation;
    let blockingCount: number;
    const nowDate = new Date(now());
    if (typeof details === "object") {
      evaluation = evaluate(details.vulnerabilities, req.failOn, allow, nowDate);
      blockingCount = evaluation.blocking.length;
    } else {
      const e = evaluateOverview(overview, req.failOn, allow, nowDate);
      evaluation = e;
      blockingCount = e.blockingCount;
      out.warn(
        details === "forbidden"
          ? `WARNING: ${username} may not read the findings (additions/vulnerabilities needs artifact-addition:read): the gate uses the overview's counts, the allow list cannot apply, and the reports list no findings. Grant it with \`harbor-ci setup --scan\`.`
          : "WARNING: Harbor returned no vulnerability details: the gate uses the overview's counts.",
      );
    }

    out.line("");
    out.line(summaryTable(evaluation));
    out.line("");
    for (const e of evaluation.expired)
      out.warn(`WARNING: allow-list entry ${e.id} (${req.allowFile}:${e.line}) expired on ${e.expires}: it no longer allows anything`);
    for (const e of evaluation.unused) out.line(`note: allow-list entry ${e.id} (${req.allowFile}:${e.line}) matched no finding`);
    for (const f of evaluation.findings.filter((x) => x.gating && x.allowedBy))
      out.line(`allowed: ${f.id} (${f.severity}, ${f.package}) until ${f.allowedBy!.expires}`);
    for (const f of evaluation.blocking.slice(0, 50))
      out.line(`${f.severity.padEnd(8)} ${f.id}  ${f.package} ${f.version}${f.fix_version ? ` -> fixed in ${f.fix_version}` : " (no fix yet)"}`);
    if (evaluation.blocking.length > 50) out.line(`... and ${evaluation.blocking.length - 50} more (see the reports)`);
    out.line(`Harbor: ${link}`);

    const end = new Date(now());
    const scanner = overview.scanner;
    if (req.report) {
      writeFile(
        io.cwd,
        req.report,
        JSON.stringify(containerScanningReport(evaluation, { image: req.image, toolVersion: toolVersion(), scanner, start: started, end }), null, 2) + "\n",
      );
      out.line(`report: ${req.report} (GitLab container scanning)`);
    }
    if (req.junit) {
      writeFile(io.cwd, req.junit, junitReport(evaluation, req.image, (end.getTime() - started.getTime()) / 1000, blockingCount));
      out.line(`report: ${req.junit} (JUnit)`);
    }
    if (blockingCount > 0) {
      out.warn(`FAILED: ${blockingCount} finding(s) at or above ${req.failOn}${evaluation.fromOverviewOnly ? " (from the overview)" : ""}`);
      return SCAN_EXIT.gateFailed;
    }
    out.line(req.failOn === "never" ? "passed: --fail-on never only reports" : `passed: no finding at or above ${req.failOn}`);
    return SCAN_EXIT.passed;
  } catch (err) {
    // Reports exist whenever the job ran far enough to know where to write them, so that GitLab
    // shows why the gate failed: an empty container-scanning report with status failure, and a
    // JUnit report whose one case carries the error.
    if (req && err instanceof CliError && err.exitCode !== SCAN_EXIT.usage) {
      const end = new Date(now());
      const empty: Evaluation = {
        failOn: req.failOn,
        findings: [],
        blocking: [],
        expired: [],
        unused: [],
        rows: [],
        total: 0,
        fixable: 0,
        fromOverviewOnly: false,
      };
      try {
        if (req.report) {
          const report = containerScanningReport(empty, { image, toolVersion: toolVersion(), scanner: undefined, start: started, end }) as {
            scan: { status: string; messages?: unknown[] };
          };
          report.scan.status = "failure";
          report.scan.messages = [{ level: "fatal", value: `${err.code}: ${err.message}` }];
          writeFile(io.cwd, req.report, JSON.stringify(report, null, 2) + "\n");
        }
        if (req.junit) {
          const x = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
          writeFile(
            io.cwd,
            req.junit,
            `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="harbor-ci scan" tests="1" failures="1">\n  <testsuite name="Harbor scan of ${x(image)}" tests="1" failures="1" errors="0" skipped="0">\n    <testcase classname="${x(image)}" name="Harbor scan"><failure type="${x(err.code)}" message="${x(err.message)}">${x(err.fix ?? "")}</failure></testcase>\n  </testsuite>\n</testsuites>\n`,
          );
        }
      } catch {
        // the error below is what matters
      }
    }
    return out.fail(err);
  }
}

export const command: Command = {
  summary: "gate on Harbor's vulnerability scan of an image digest; GitLab and JUnit reports",
  help,
  run: (argv) => scanMain(argv, processIO()),
};
