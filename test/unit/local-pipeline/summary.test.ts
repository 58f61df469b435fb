import { describe, expect, it } from "vitest";
import { formatDuration, jobImage, summaryLine, summaryTable } from "../../../scripts/local-pipeline/summary.ts";

const REF = "harbor.test:5443/harbor-ci/example-app@sha256:" + "ab".repeat(32);

describe("summary table", () => {
  it("formats durations in seconds, then minutes", () => {
    expect(formatDuration(undefined)).toBe("-");
    expect(formatDuration(860)).toBe("0.9s");
    expect(formatDuration(12_149)).toBe("12.1s");
    expect(formatDuration(65_000)).toBe("1m 05s");
  });

  it("shows the image a job pushed, else the one it pulled, else its job image", () => {
    expect(jobImage({ dotenv: { IMAGE: "x", IMAGE_REF: REF }, jobImage: "docker:27" })).toBe(REF);
    expect(jobImage({ dotenv: { API_IMAGE_REF: REF } })).toBe(REF);
    expect(jobImage({ dotenv: {}, variables: { HCI_IMAGE: REF }, jobImage: "docker:27" })).toBe(REF);
    expect(jobImage({ variables: { HCI_IMAGE: "$IMAGE_REF" }, jobImage: "docker:27" })).toBe("docker:27");
    expect(jobImage({})).toBeUndefined();
  });

  it("prints one row per job, left-aligned text, with the reason of a skip", () => {
    const text = summaryTable([
      { job: "build-push", stage: "build", status: "success", durationMs: 12_100, image: REF },
      { job: "pull-run", stage: "test", status: "failed", durationMs: 9_300, image: REF, note: "exit code 3" },
      { job: "service-db", stage: "test", status: "skipped", note: "build-push did not succeed" },
    ]);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^\| job {8}\| stage \| status +\| duration \| image@digest +\|$/);
    expect(lines[2]).toBe(`| build-push | build | ${"passed".padEnd("skipped (build-push did not succeed)".length)} |    12.1s | ${REF} |`);
    expect(lines[3]).toContain("| test  | FAILED (exit code 3) ");
    expect(lines[4]).toContain("| skipped (build-push did not succeed) |        - | -");
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it("sums up the pipeline under the table", () => {
    expect(summaryLine([{ job: "a", stage: "s", status: "success" }], 25_100)).toBe("Pipeline passed: 1 passed in 25.1s");
    expect(
      summaryLine(
        [
          { job: "a", stage: "s", status: "failed" },
          { job: "b", stage: "s", status: "skipped" },
          { job: "c", stage: "s", status: "success" },
        ],
        61_000,
      ),
    ).toBe("Pipeline failed: 1 passed, 1 failed, 1 skipped in 1m 01s");
  });
});
