// harbor-ci scan: parse the request, run it in the library (scripts/lib/scan/run.ts), write the
// outcome (terminal and reports). Credentials only from the environment.

import { readFileSync } from "node:fs";
import type { Command } from "./command.ts";
import { intOption, parseCommandArgs } from "../lib/cli/args.ts";
import { CliError, usageError } from "../lib/cli/diagnostics.ts";
import { inertLines, inertProblem } from "../lib/cli/inert.ts";
import { Output, processIO, type CommandIO } from "../lib/cli/io.ts";
import { Redactor } from "../lib/cli/redact.ts";
import { checkHarborUrl } from "../lib/harbor-api/transport.ts";
import { NETWORK_OPTIONS, networkSettings } from "../lib/http/options.ts";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from "../lib/http/retry.ts";
import { packageInfo } from "../lib/release/package-info.ts";
import { readAllowList } from "../lib/scan/allow-list.ts";
import { SCAN_EXIT } from "../lib/scan/codes.ts";
import { summaryTable, undecided } from "../lib/scan/gate.ts";
import { harborScanSource } from "../lib/scan/harbor-source.ts";
import { parseImageRef } from "../lib/scan/image-ref.ts";
import { writeReports, type ReportPaths } from "../lib/scan/reports.ts";
import { runScan, type ScanOutcome, type ScanRun } from "../lib/scan/run.ts";
import { FAIL_ON, type FailOn } from "../lib/scan/severity.ts";
import type { ScanSource } from "../lib/scan/source.ts";

const DEFAULT_WAIT_S = 600;
const DEFAULT_POLL_MS = 5_000;

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
  0 passed · 1 a finding reaches --fail-on (and nothing else) · 2 bad options or environment, or a
  report file that cannot be written · 3 Harbor refused or failed (credentials, permission, digest
  not found, unreachable), or answered about another digest, with a severity outside its own set,
  or with counts that disagree with its findings · 4 the scan did not finish within --timeout
  (Pending/Running) · 5 the scan ended in Error or Stopped · 6 no scan: no scanner configured,
  artifact not scannable, or not scanned and no permission to start a scan.

Reports are replaced, never written through: a symlink at the path is replaced by the file, its
target left as it was. Secrets are redacted from them as from the terminal, and Harbor's text
(descriptions, package names) is shown with control characters escaped (\\x1b).

Examples:
  harbor-ci scan --image "$IMAGE_REF" --fail-on high --timeout 600 --report gl-container-scanning-report.json
  harbor-ci scan --image "$IMAGE_REF" --fail-on critical --allow .harbor-allow --junit scan-junit.xml
`;

/** What the user asked, checked: the run for the library, where to write, how to reach Harbor. */
export interface ScanRequest {
  run: ScanRun;
  image: string;
  allowFile?: string;
  paths: ReportPaths;
  password: string;
  verbose: boolean;
  net: ReturnType<typeof networkSettings>;
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

/** HARBOR_URL and the robot's credentials from the environment; the password is registered for redaction first. */
function harborAccess(values: { "username-variable"?: string; "password-variable"?: string }, env: CommandIO["env"], redactor: Redactor) {
  const userVar = envName("username-variable", values["username-variable"], "HARBOR_USERNAME");
  const passVar = envName("password-variable", values["password-variable"], "HARBOR_PASSWORD");
  const password = env[passVar];
  redactor.add(password, env[userVar]);
  const harborUrl = env.HARBOR_URL;
  if (!harborUrl)
    throw usageError(
      "HARBOR_URL_MISSING",
      "HARBOR_URL is not set",
      "activate GitLab's Harbor integration (Settings > Integrations > Harbor), or export HARBOR_URL=https://harbor.example.com",
    );
  // The Harbor client's one check (http/base-url.ts): credentials in the URL are refused, not used.
  checkHarborUrl(harborUrl, "HARBOR_URL", `the robot's credentials go in ${userVar} and ${passVar}`);
  const username = env[userVar];
  if (!username || !password) {
    throw usageError(
      "HARBOR_CREDENTIALS_MISSING",
      `${!username ? userVar : passVar} is not set`,
      `activate GitLab's Harbor integration, or export ${userVar} and ${passVar} (never pass them as arguments)`,
    );
  }
  return { harborUrl, username, password };
}

function failOnOf(value: string | undefined): FailOn {
  const failOn = (value ?? "high").toLowerCase();
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw usageError("OPTION_INVALID", `--fail-on \`${value}\` is not a severity`, `pass one of ${FAIL_ON.join(", ")}`, {
      expected: FAIL_ON.join(" | "),
      actual: value,
    });
  }
  return failOn as FailOn;
}

/** Step 1: the request, from argv and the environment; coded usage errors (exit 2) before any call. */
function parseRequest(argv: string[], io: CommandIO, redactor: Redactor): ScanRequest {
  const { values } = parseCommandArgs("scan", argv, OPTIONS);
  const { harborUrl, username, password } = harborAccess(values, io.env, redactor);
  if (!values.image) throw usageError("IMAGE_MISSING", "no image given", 'pass --image "$IMAGE_REF" (the digest build-push pushed)');
  const failOn = failOnOf(values["fail-on"]);
  const paths: ReportPaths = { ...(values.report ? { report: values.report } : {}), ...(values.junit ? { junit: values.junit } : {}) };
  const waitMs = intOption("timeout", values.timeout, DEFAULT_WAIT_S, 0, 86_400) * 1000;
  const pollMs = intOption("poll-interval", values["poll-interval"], DEFAULT_POLL_MS, 1, 600_000);
  if (values.registry !== undefined && !/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(values.registry)) {
    throw usageError(
      "OPTION_INVALID",
      `--registry \`${values.registry}\` is not host or host:port`,
      "pass the registry as host or host:port, e.g. harbor.example.com",
      {
        expected: "host[:port]",
        actual: values.registry,
      },
    );
  }
  const target = parseImageRef(values.image, harborUrl, values.registry);
  const allow = values.allow ? readAllowList(values.allow, io.cwd) : [];
  const net = networkSettings({
    retries: values.retries,
    "retry-delay": values["retry-delay"],
    timeout: values["request-timeout"],
    "max-response-bytes": values["max-response-bytes"],
  });
  return {
    run: { target, harborUrl, username, failOn, waitMs, pollMs, trigger: !values["no-trigger"], allow },
    image: values.image,
    ...(values.allow ? { allowFile: values.allow } : {}),
    paths,
    password,
    verbose: !!values.verbose,
    net,
  };
}

/** The CLI's own version, for the report's scanner entry (packageInfo finds package.json from the bundle too). */
function toolVersion(): string {
  try {
    return packageInfo().version;
  } catch {
    return "0.0.0";
  }
}

/** Step 3: the outcome on the terminal (Harbor's text shown inert) and in the reports; returns the exit code. */
function writeOutcome(o: ScanOutcome, req: ScanRequest, say: (s: string) => void, warn: (s: string) => void, files: () => string[]): number {
  const e = o.evaluation;
  if (o.overviewOnly) warn(`WARNING: ${o.overviewOnly}`);
  say("");
  say(summaryTable(e));
  say("");
  for (const x of e.expired) warn(`WARNING: allow-list entry ${x.id} (${req.allowFile}:${x.line}) expired on ${x.expires}: it no longer allows anything`);
  for (const x of e.unused) say(`note: allow-list entry ${x.id} (${req.allowFile}:${x.line}) matched no finding`);
  for (const f of e.findings) if (f.gating && f.allowedBy) say(`allowed: ${f.id} (${f.severity}, ${f.package}) until ${f.allowedBy.expires}`);
  for (const f of e.blocking.slice(0, 50))
    say(`${f.severity.padEnd(8)} ${f.id}  ${f.package} ${f.version}${f.fix_version ? ` -> fixed in ${f.fix_version}` : " (no fix yet)"}`);
  if (e.blocking.length > 50) say(`... and ${e.blocking.length - 50} more (see the reports)`);
  say(`Harbor: ${o.link}`);
  for (const line of files()) say(line);
  const failOn = req.run.failOn;
  if (e.blockingCount > 0) {
    warn(`FAILED: ${e.blockingCount} finding(s) at or above ${failOn}${e.fromOverviewOnly ? " (from the overview)" : ""}`);
    return SCAN_EXIT.findings;
  }
  say(failOn === "never" ? "passed: --fail-on never only reports" : `passed: no finding at or above ${failOn}`);
  return SCAN_EXIT.passed;
}

export interface ScanDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Harbor, behind the narrow interface scan uses; by default the client of scripts/lib/scan/harbor-source.ts. */
  source?: (req: ScanRequest, out: Output) => ScanSource;
}

function defaultSource(req: ScanRequest, out: Output): ScanSource {
  const { username, harborUrl } = req.run;
  return harborScanSource({
    url: harborUrl,
    username,
    password: req.password,
    ...req.net,
    onCall: (c) => req.verbose && out.line(inertLines(`  call  ${c.method.padEnd(5)} ${c.url}  as ${username}`)),
    onRetry: (i) => out.warn(inertLines(`retry: attempt ${i.attempt} failed (${i.reason}); retrying in ${i.delayMs} ms`)),
  });
}

export async function scanMain(argv: string[], io: CommandIO, deps: ScanDeps = {}): Promise<number> {
  const redactor = new Redactor();
  const out = new Output(io, redactor);
  const say = (s: string) => out.line(inertLines(s));
  const warn = (s: string) => out.warn(inertLines(s));
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = new Date(now());
  let reportsTo: { image: string; failOn: FailOn; paths: ReportPaths } | undefined;
  const context = (extra: { scanner?: ScanOutcome["scanner"]; operatingSystem?: string; failure?: { code: string; message: string; fix?: string } }) => ({
    image: reportsTo?.image ?? "",
    toolVersion: toolVersion(),
    scanner: extra.scanner,
    start: started,
    end: new Date(now()),
    ...(extra.operatingSystem ? { operatingSystem: extra.operatingSystem } : {}),
    ...(extra.failure ? { failure: extra.failure } : {}),
  });
  try {
    const req = parseRequest(argv, io, redactor);
    // From here on, the reports say why the gate could not decide.
    reportsTo = { image: req.image, failOn: req.run.failOn, paths: req.paths };
    const t = req.run.target;
    say(`harbor-ci scan: ${t.project}/${t.repository}@${t.digest} on ${req.run.harborUrl} (fail on ${req.run.failOn})`);
    const source = (deps.source ?? defaultSource)(req, out);
    const outcome = await runScan(req.run, source, { now, sleep, progress: say });
    const files = () =>
      writeReports(
        io.cwd,
        req.paths,
        outcome.evaluation,
        context({ scanner: outcome.scanner, ...(outcome.operatingSystem ? { operatingSystem: outcome.operatingSystem } : {}) }),
        redactor,
      );
    return writeOutcome(outcome, req, say, warn, files);
  } catch (err) {
    // Reports exist whenever the job ran far enough to know where to write them, so that GitLab
    // shows why the gate failed: a container-scanning report with status failure, and a JUnit
    // report whose one case carries the error. Not for a report that could not be written.
    if (reportsTo && err instanceof CliError && err.code !== "REPORT_UNWRITABLE") {
      try {
        const failure = { code: err.code, message: err.message, ...(err.fix ? { fix: err.fix } : {}) };
        writeReports(io.cwd, reportsTo.paths, undecided(reportsTo.failOn), context({ failure }), redactor);
      } catch {
        // the error below is what matters
      }
    }
    return out.fail(inertProblem(err));
  }
}

export const command: Command = {
  summary: "gate on Harbor's vulnerability scan of an image digest; GitLab and JUnit reports",
  help,
  run: (argv) => scanMain(argv, processIO()),
};
