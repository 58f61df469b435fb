import { describe, expect, it } from "vitest";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";
import { MIME_GENERIC } from "../../../scripts/lib/harbor-api/scan-model.ts";
import { SCAN_EXIT } from "../../../scripts/lib/scan/codes.ts";
import { checkArtifact, checkFindings, checkSummaryAgainstFindings, operatingSystemOf } from "../../../scripts/lib/scan/overview.ts";

const D = "sha256:" + "a".repeat(64);
const OTHER = "sha256:" + "b".repeat(64);
const T = { project: "p", repository: "team/api", digest: D };
const links = { vulnerabilities: { href: "/x", absolute: false } };
const done = (summary: Record<string, number>, total: number) => ({
  [MIME_GENERIC]: { scan_status: "Success", summary: { total, fixable: 0, summary } },
});

function failure(f: () => unknown): CliError {
  try {
    f();
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error("no error");
}

describe("scan: Harbor's answers are checked before the gate believes them", () => {
  it("refuses an artifact that describes another digest, or none (DIGEST_MISMATCH, exit 3, never 1)", () => {
    for (const digest of [OTHER, undefined, D.toUpperCase()]) {
      const e = failure(() => checkArtifact({ digest, addition_links: links, scan_overview: done({}, 0) }, T));
      expect(e.code).toBe("DIGEST_MISMATCH");
      expect(e.exitCode).toBe(SCAN_EXIT.harbor);
      expect(e.exitCode).not.toBe(SCAN_EXIT.findings);
    }
    expect(checkArtifact({ digest: D, addition_links: links, scan_overview: done({ High: 1 }, 1) }, T).state.kind).toBe("done");
  });

  it("refuses findings whose report names another digest", () => {
    expect(failure(() => checkFindings({ artifact: { digest: OTHER }, vulnerabilities: [] }, T)).code).toBe("DIGEST_MISMATCH");
  });

  it("refuses a severity outside Harbor's set, in the overview or in a finding (SEVERITY_UNKNOWN)", () => {
    expect(failure(() => checkArtifact({ digest: D, scan_overview: done({ Kritisch: 1 }, 1) }, T)).code).toBe("SEVERITY_UNKNOWN");
    for (const severity of ["Kritisch", "CRITICAL ", "critical", 4, null]) {
      const e = failure(() => checkFindings({ vulnerabilities: [{ id: "CVE-1", package: "p", version: "1", severity }] }, T));
      expect(e.code).toBe("SEVERITY_UNKNOWN");
      expect(e.exitCode).toBe(SCAN_EXIT.harbor);
    }
  });

  it("refuses an overview whose counts disagree with the findings (SUMMARY_MISMATCH)", () => {
    const overview = { scan_status: "Success", summary: { total: 1, fixable: 0, summary: { Critical: 1 } } };
    const e = failure(() => checkSummaryAgainstFindings(overview, []));
    expect(e.code).toBe("SUMMARY_MISMATCH");
    expect(e.message).toContain("Critical 1 vs 0");
    expect(e.exitCode).toBe(SCAN_EXIT.harbor);
    // Same counts per severity but another severity: still a mismatch.
    expect(failure(() => checkSummaryAgainstFindings(overview, [{ id: "C", package: "p", version: "1", severity: "High" }])).code).toBe("SUMMARY_MISMATCH");
    expect(() => checkSummaryAgainstFindings(overview, [{ id: "C", package: "p", version: "1", severity: "Critical" }])).not.toThrow();
  });

  it("refuses wrong nested types with HARBOR_ANSWER_INVALID instead of crashing", () => {
    const cases: unknown[] = [
      "<html>sign in</html>",
      { digest: D, scan_overview: { [MIME_GENERIC]: { scan_status: 3 } } },
      { digest: D, scan_overview: { [MIME_GENERIC]: { scan_status: "Success", summary: { summary: { High: "1" } } } } },
      { digest: D, scan_overview: [] },
      { digest: D, project_id: "7" },
    ];
    for (const body of cases) expect(failure(() => checkArtifact(body, T)).code).toBe("HARBOR_ANSWER_INVALID");
    for (const report of [
      { vulnerabilities: {} },
      { vulnerabilities: [{ id: 1 }] },
      { vulnerabilities: [{ id: "C", package: "p", version: "1", severity: "High", links: "x" }] },
    ])
      expect(failure(() => checkFindings(report, T)).code).toBe("HARBOR_ANSWER_INVALID");
  });

  it("reads the OS Harbor records for an image (extra_attrs.os), else none", () => {
    expect(operatingSystemOf({ extra_attrs: { os: "linux", architecture: "amd64" } })).toBe("linux");
    expect(operatingSystemOf({ extra_attrs: { config: {} } })).toBeUndefined();
  });
});
