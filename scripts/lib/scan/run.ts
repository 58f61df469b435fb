// One run of the gate in the library: wait for Harbor's scan, settle what it ended in, read and check
// the findings, and decide. The command parses the request before and writes the outcome after.
import type { NativeReportSummary } from "../harbor-api/scan-model.ts";
import type { AllowEntry } from "./allow-list.ts";
import { scanError } from "./codes.ts";
import { evaluate, evaluateOverview, type Evaluation } from "./gate.ts";
import { artifactUiUrl, type ImageTarget } from "./image-ref.ts";
import { checkFindings, checkSummaryAgainstFindings, operatingSystemOf } from "./overview.ts";
import type { FailOn } from "./severity.ts";
import type { ScanSource } from "./source.ts";
import { waitForScan, type WaitDeps, type Waited } from "./wait.ts";

export interface ScanRun {
  target: ImageTarget;
  harborUrl: string;
  /** The robot's name, for messages. */
  username: string;
  failOn: FailOn;
  waitMs: number;
  pollMs: number;
  trigger: boolean;
  allow: AllowEntry[];
}

export interface ScanOutcome {
  evaluation: Evaluation;
  /** The artifact in Harbor's UI. */
  link: string;
  scanner: NativeReportSummary["scanner"];
  operatingSystem?: string;
  /** Why the decision rests on the overview's counts, when it does. */
  overviewOnly?: string;
}

/** A finished scan's overview, or the coded error of a scan that gave none. */
function settle(w: Waited, run: ScanRun, link: string): NativeReportSummary {
  const t = run.target;
  const name = `${t.project}/${t.repository}@${t.digest}`;
  const s = w.state;
  if (s.kind === "no-scanner") {
    throw scanError("NO_SCANNER", "notScanned", {
      message: `Harbor cannot scan ${name}: no scanner is configured for the project, or it does not support this artifact`,
      expected: "a scanner (Trivy by default) set as the system default or for the project",
      actual: "the artifact has no vulnerabilities addition",
      fix: `ask a Harbor administrator to configure a scanner (Administration > Interrogation Services); artifact: ${link}`,
    });
  }
  if (s.kind === "not-scanned") {
    throw scanError("NOT_SCANNED", "notScanned", {
      message: `${name} has not been scanned${run.trigger ? "" : " (--no-trigger)"}`,
      expected: "a scan report",
      actual: w.triggered ? "no report after starting a scan" : "no scan",
    });
  }
  if (s.kind === "error" || s.kind === "stopped") {
    throw scanError(s.kind === "error" ? "SCAN_ERROR" : "SCAN_STOPPED", "scanFailed", {
      message: `Harbor's scan of ${name} ended with status ${s.status}`,
      expected: "scan status Success",
      actual: s.status,
      fix: `read the scan log in Harbor (${link}, Vulnerabilities > Log), then scan again (Harbor UI > Scan, or rerun this job${run.trigger ? "" : " without --no-trigger"})`,
    });
  }
  // in-progress never comes back from waitForScan (it throws SCAN_TIMEOUT).
  if (s.kind !== "done") throw new Error(`unexpected scan state ${s.kind}`);
  return s.report;
}

export async function runScan(run: ScanRun, source: ScanSource, deps: WaitDeps): Promise<ScanOutcome> {
  const t = run.target;
  const waited = await waitForScan(source, t, { timeoutMs: run.waitMs, pollMs: run.pollMs, trigger: run.trigger }, deps);
  const link = artifactUiUrl(run.harborUrl, waited.artifact.project_id, t);
  const overview = settle(waited, run, link);
  const os = operatingSystemOf(waited.artifact);
  const base = { link, scanner: overview.scanner, ...(os ? { operatingSystem: os } : {}) };
  const details = await source.readFindings(t);
  const now = new Date(deps.now());
  if (typeof details === "object") {
    const findings = checkFindings(details.report, t);
    checkSummaryAgainstFindings(overview, findings);
    return { ...base, evaluation: evaluate(findings, run.failOn, run.allow, now) };
  }
  const overviewOnly =
    details === "forbidden"
      ? `${run.username} may not read the findings (additions/vulnerabilities needs artifact-addition:read): the gate uses the overview's counts, the allow list cannot apply, and the reports list no findings. Grant it with \`harbor-ci setup --scan\`.`
      : "Harbor returned no vulnerability details: the gate uses the overview's counts.";
  return { ...base, evaluation: evaluateOverview(overview, run.failOn, run.allow, now), overviewOnly };
}
