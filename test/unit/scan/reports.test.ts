import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";
import { Redactor } from "../../../scripts/lib/cli/redact.ts";
import { CONTAINER_SCANNING_SCHEMA_VERSION } from "../../../scripts/lib/scan/container-scanning.ts";
import { evaluate, undecided } from "../../../scripts/lib/scan/gate.ts";
import { writeReportFile, writeReports } from "../../../scripts/lib/scan/reports.ts";
import { parseXml } from "./xml-check.ts";

const SECRET = "s3cr3t-robot-password";
const ctx = { image: "h/p/app@sha256:x", toolVersion: "1.0.0", scanner: { name: "Trivy" }, start: new Date(0), end: new Date(1000), operatingSystem: "linux" };

describe("scan: writing the reports", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "scan-reports-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("replaces a symlink at the report path and leaves its target untouched", () => {
    writeFileSync(join(dir, "precious"), "keep me\n");
    symlinkSync(join(dir, "precious"), join(dir, "report.json"));
    writeReportFile(dir, "report.json", "{}\n");
    expect(readFileSync(join(dir, "precious"), "utf8")).toBe("keep me\n");
    expect(lstatSync(join(dir, "report.json")).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dir, "report.json"), "utf8")).toBe("{}\n");
    // No temporary file is left behind.
    expect(readdirSync(dir).sort()).toEqual(["precious", "report.json"]);
  });

  it("leaves a dangling symlink's target uncreated", () => {
    symlinkSync(join(dir, "elsewhere"), join(dir, "junit.xml"));
    writeReportFile(dir, "junit.xml", "<x/>");
    expect(readdirSync(dir).sort()).toEqual(["junit.xml"]);
    expect(() => readlinkSync(join(dir, "junit.xml"))).toThrow();
  });

  it("fails with REPORT_UNWRITABLE (not exit 1) when the path cannot be written, leaving nothing behind", () => {
    mkdirSync(join(dir, "a-directory"));
    let err: unknown;
    try {
      writeReportFile(dir, "a-directory", "{}");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).code).toBe("REPORT_UNWRITABLE");
    expect((err as CliError).exitCode).not.toBe(1);
    expect(readdirSync(dir)).toEqual(["a-directory"]);
  });

  it("redacts a secret in Harbor's text from both report files, in any encoding it was registered in", () => {
    const redactor = new Redactor().add(SECRET);
    const e = evaluate(
      [
        {
          id: "CVE-1",
          package: "p",
          version: "1",
          severity: "High",
          description: `leaked ${SECRET} and ${encodeURIComponent(SECRET + "&")}`,
          links: [`https://x/?p=${SECRET}`],
        },
      ],
      "high",
      [],
      new Date(0),
    );
    writeReports(dir, { report: "r.json", junit: "j.xml" }, e, ctx, redactor);
    for (const f of ["r.json", "j.xml"]) {
      const text = readFileSync(join(dir, f), "utf8");
      expect(text).not.toContain(SECRET);
      expect(text).toContain("[REDACTED]");
    }
    const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    expect(report.version).toBe(CONTAINER_SCANNING_SCHEMA_VERSION);
    expect(report.vulnerabilities[0].location.operating_system).toBe("linux");
    parseXml(readFileSync(join(dir, "j.xml"), "utf8"));
  });

  it("writes a failure report with the error, redacted, when the gate could not decide", () => {
    const redactor = new Redactor().add(SECRET);
    writeReports(
      dir,
      { report: "r.json", junit: "j.xml" },
      undecided("high"),
      { ...ctx, failure: { code: "SCAN_TIMEOUT", message: `late ${SECRET}`, fix: "wait" } },
      redactor,
    );
    const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    expect(report.scan.status).toBe("failure");
    expect(report.scan.messages).toEqual([{ level: "fatal", value: "SCAN_TIMEOUT: late [REDACTED]" }]);
    const junit = parseXml(readFileSync(join(dir, "j.xml"), "utf8"));
    expect(junit.children[0]?.children[0]?.children[0]?.attributes).toMatchObject({ type: "SCAN_TIMEOUT", message: "late [REDACTED]" });
  });
});
