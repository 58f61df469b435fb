// Error codes and exit codes of `harbor-ci scan` (scripts/lib/<subsystem>/codes.ts convention).
import type { CodeTable } from "../cli/codes.ts";
import { CliError, type ApiProblem } from "../cli/diagnostics.ts";
import { CODES as HARBOR_API_CODES } from "../harbor-api/codes.ts";

/**
 * The exit codes of `harbor-ci scan`, one per outcome (docs/cli.md, the command's --help). 1 means
 * "a finding failed the gate" and nothing else: every error exits with another code.
 */
export const SCAN_EXIT = {
  passed: 0,
  findings: 1,
  usage: 2,
  /** Harbor refused, failed, or answered something that does not identify the digest asked or contradicts itself. */
  harbor: 3,
  timeout: 4,
  scanFailed: 5,
  notScanned: 6,
} as const;
export type ScanExit = keyof typeof SCAN_EXIT;

export const CODES = {
  IMAGE_MISSING: { summary: "`scan` was given no --image", fix: 'pass --image "$IMAGE_REF" (the digest build-push pushed)' },
  IMAGE_REF_INVALID: {
    summary: "--image is not <harbor-host>/<project>/<repository>[:tag]@sha256:<digest>",
    fix: "pass the full reference with its digest, as build-push hands it over in IMAGE_REF",
  },
  IMAGE_NOT_IN_HARBOR: {
    summary: "the image's registry is not the Harbor of HARBOR_URL (or --registry)",
    fix: "scan images pushed to the integration's Harbor; pass --registry when Harbor serves images under another host name",
  },
  ALLOW_LIST_UNREADABLE: { summary: "the --allow file cannot be read", fix: "pass an existing regular file with --allow, or leave the option out" },
  ALLOW_LIST_TOO_LARGE: { summary: "the --allow file is over 1 MB", fix: "keep one vulnerability ID and an expiry date a line" },
  ALLOW_LIST_INVALID: { summary: "a line of the --allow file is not `<ID> <YYYY-MM-DD> [reason]`", fix: "correct the line; every entry needs an expiry date" },
  HARBOR_ANSWER_INVALID: {
    summary: "Harbor's answer about the artifact or its findings is not of the shape Harbor's API describes",
    fix: "check that HARBOR_URL points at Harbor 2.x itself (not a proxy or the UI); the gate does not decide on an answer it cannot read",
  },
  DIGEST_MISMATCH: {
    summary: "Harbor described another digest than the one asked",
    fix: "check that HARBOR_URL is Harbor itself and nothing in between rewrites answers; the gate never passes on another artifact's scan",
  },
  SEVERITY_UNKNOWN: {
    summary: "a severity in Harbor's answer is not one of Harbor's (None, Unknown, Negligible, Low, Medium, High, Critical)",
    fix: "check the scanner configured in Harbor (Administration > Interrogation Services); the gate does not guess a severity",
  },
  SUMMARY_MISMATCH: {
    summary: "the scan overview's counts disagree with the list of findings",
    fix: "scan the digest again in Harbor; if it persists, report it to the Harbor administrators: the gate does not decide on contradicting answers",
  },
  NOT_SCANNED: {
    summary: "the digest has not been scanned and no scan was started",
    fix: 'turn on "Automatically scan images on push" in the Harbor project, or let the job start a scan (drop --no-trigger; the robot needs scan:create: `harbor-ci setup --scan`)',
  },
  SCAN_ERROR: { summary: "Harbor's scan ended with status Error", fix: "read the scan log in Harbor (Vulnerabilities > Log), then scan again" },
  SCAN_STOPPED: { summary: "Harbor's scan was stopped", fix: "scan again (Harbor UI > Scan, or rerun the job)" },
  SCAN_TIMEOUT: {
    summary: "the scan did not finish within --timeout",
    fix: "raise --timeout (the component's input timeout), or check Harbor's job service (Administration > Job Service Dashboard) for a queue",
  },
  REPORT_UNWRITABLE: {
    summary: "a report file (--report, --junit) could not be written",
    fix: "pass a path inside the job's directory whose folder can be created and written",
  },
} as const satisfies CodeTable;

export type ScanCode = keyof typeof CODES;

/** A coded error of `scan`, with the exit code of its outcome; the fix defaults to the table's. */
export function scanError(
  code: ScanCode | "NO_SCANNER",
  exit: ScanExit,
  problem: Omit<ApiProblem, "code" | "fix"> & { fix?: string; cause?: unknown },
): CliError {
  // NO_SCANNER is the Harbor client's code (harbor-api/codes.ts), defined once there.
  const info = code === "NO_SCANNER" ? HARBOR_API_CODES.NO_SCANNER : CODES[code];
  return new CliError({ fix: info.fix, ...problem, code, exitCode: SCAN_EXIT[exit] });
}
