import { describe, expect, it } from "vitest";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";
import { MIME_GENERIC } from "../../../scripts/lib/harbor-api/scan-model.ts";
import { SCAN_EXIT } from "../../../scripts/lib/scan/codes.ts";
import { runScan, type ScanRun } from "../../../scripts/lib/scan/run.ts";
import type { ScanSource } from "../../../scripts/lib/scan/source.ts";

const D = "sha256:" + "e".repeat(64);
const RUN: ScanRun = {
  target: { registry: "h", project: "p", repository: "app", digest: D },
  harborUrl: "https://h",
  username: "robot$p+ci",
  failOn: "high",
  waitMs: 10_000,
  pollMs: 1,
  trigger: true,
  allow: [],
};
const links = { vulnerabilities: { href: "/x", absolute: false } };
const HIGH = { id: "CVE-1", package: "openssl", version: "1", severity: "High", fix_version: "2" };

/** An in-memory Harbor behind the narrow interface: successive artifact answers, then findings. */
function source(
  artifacts: unknown[],
  findings: Awaited<ReturnType<ScanSource["readFindings"]>>,
  start: Awaited<ReturnType<ScanSource["startScan"]>> = "started",
) {
  const calls: string[] = [];
  const s: ScanSource = {
    readArtifact: async () => {
      calls.push("artifact");
      return artifacts.length > 1 ? artifacts.shift() : artifacts[0];
    },
    startScan: async () => {
      calls.push("scan");
      return start;
    },
    readFindings: async () => {
      calls.push("findings");
      return findings;
    },
  };
  return { s, calls };
}
const deps = { now: () => 0, sleep: async () => {}, progress: () => {} };
const done = (summary: Record<string, number>, total: number, fixable = 0) => ({
  digest: D,
  project_id: 7,
  addition_links: links,
  extra_attrs: { os: "linux" },
  scan_overview: { [MIME_GENERIC]: { scan_status: "Success", summary: { total, fixable, summary }, scanner: { name: "Trivy" } } },
});

async function failure(p: Promise<unknown>): Promise<CliError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error("no error");
}

describe("scan: one run against a ScanSource", () => {
  it("starts a scan of a digest never scanned, waits, checks the findings and decides", async () => {
    const { s, calls } = source([{ digest: D, addition_links: links }, done({ High: 1 }, 1, 1)], { report: { vulnerabilities: [HIGH] } });
    const o = await runScan(RUN, s, deps);
    expect(calls).toEqual(["artifact", "scan", "artifact", "findings"]);
    expect(o.evaluation.blockingCount).toBe(1);
    expect(o.operatingSystem).toBe("linux");
    expect(o.link).toBe(`https://h/harbor/projects/7/repositories/app/artifacts-tab/artifacts/${D}`);
  });

  it("says NO_SCANNER (exit 6) for an artifact without a vulnerabilities addition, without starting a scan", async () => {
    const { s, calls } = source([{ digest: D }], "missing");
    const e = await failure(runScan(RUN, s, deps));
    expect(e.code).toBe("NO_SCANNER");
    expect(e.exitCode).toBe(SCAN_EXIT.notScanned);
    expect(calls).toEqual(["artifact"]);
  });

  it("never passes when the findings disagree with the overview or describe another digest", async () => {
    expect((await failure(runScan(RUN, source([done({ Critical: 1 }, 1)], { report: { vulnerabilities: [] } }).s, deps))).code).toBe("SUMMARY_MISMATCH");
    const other = { artifact: { digest: "sha256:" + "f".repeat(64) }, vulnerabilities: [] };
    expect((await failure(runScan(RUN, source([done({}, 0)], { report: other }).s, deps))).code).toBe("DIGEST_MISMATCH");
  });

  it("decides on the overview's counts when the findings are forbidden, and says why", async () => {
    const o = await runScan(RUN, source([done({ Critical: 2 }, 2)], "forbidden").s, deps);
    expect(o.evaluation).toMatchObject({ fromOverviewOnly: true, blockingCount: 2 });
    expect(o.overviewOnly).toContain("artifact-addition:read");
  });
});
