import { describe, expect, it } from "vitest";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";
import { isExpired, parseAllowList } from "../../../scripts/lib/scan/allow-list.ts";
import { SCAN_EXIT } from "../../../scripts/lib/scan/codes.ts";
import { evaluate, summaryTable } from "../../../scripts/lib/scan/gate.ts";
import { parseImageRef, registryOfUrl } from "../../../scripts/lib/scan/image-ref.ts";
import { isSeverity, reaches, type Severity } from "../../../scripts/lib/scan/severity.ts";

const D = "sha256:" + "0".repeat(64);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof CliError) return e.code;
    throw e;
  }
  return undefined;
}

describe("scan: image reference, allow list, gate", () => {
  it("reads project, nested repository, tag and digest from an image reference of HARBOR_URL's registry", () => {
    expect(parseImageRef(`harbor.example.com:8443/my-project/team/api:1.2@${D}`, "https://harbor.example.com:8443")).toEqual({
      registry: "harbor.example.com:8443",
      project: "my-project",
      repository: "team/api",
      tag: "1.2",
      digest: D,
    });
    // The scheme's default port is dropped on both sides.
    expect(parseImageRef(`harbor.example.com/p/app@${D}`, "https://harbor.example.com:443/").project).toBe("p");
    expect(registryOfUrl("http://Harbor.Example.com:80")).toBe("harbor.example.com");
  });

  it("refuses references without a digest, of another registry, or with a malformed path", () => {
    expect(codeOf(() => parseImageRef("harbor.example.com/p/app:1.0", "https://harbor.example.com"))).toBe("IMAGE_REF_INVALID");
    expect(codeOf(() => parseImageRef(`harbor.example.com/p/app@sha256:abc`, "https://harbor.example.com"))).toBe("IMAGE_REF_INVALID");
    expect(codeOf(() => parseImageRef(`harbor.example.com/app@${D}`, "https://harbor.example.com"))).toBe("IMAGE_REF_INVALID");
    expect(codeOf(() => parseImageRef(`docker.io/p/app@${D}`, "https://harbor.example.com"))).toBe("IMAGE_NOT_IN_HARBOR");
    expect(codeOf(() => parseImageRef(`harbor.example.com:8443/p/app@${D}`, "https://harbor.example.com"))).toBe("IMAGE_NOT_IN_HARBOR");
    // --registry names Harbor's image host when it differs from HARBOR_URL's.
    expect(parseImageRef(`registry.example.com/p/app@${D}`, "http://harbor-core.internal:8080", "registry.example.com").repository).toBe("app");
  });

  it("orders severities as Harbor does and knows only Harbor's exact words", () => {
    expect(reaches("Critical", "high")).toBe(true);
    expect(reaches("High", "high")).toBe(true);
    expect(reaches("Medium", "high")).toBe(false);
    expect(reaches("Negligible", "low")).toBe(false);
    expect(reaches("Unknown", "unknown")).toBe(true);
    for (const s of ["Kritisch", "CRITICAL ", "critical", "", 3, null]) expect(isSeverity(s)).toBe(false);
    for (const s of ["None", "Unknown", "Negligible", "Low", "Medium", "High", "Critical"]) expect(isSeverity(s)).toBe(true);
    expect(reaches("Critical", "never")).toBe(false);
  });

  it("parses allow lists and points at the bad line", () => {
    expect(parseAllowList("# c\n\nCVE-2024-1 2026-12-31 no fix # why\nGHSA-xxxx 2027-01-01\n", "a")).toEqual([
      { id: "CVE-2024-1", expires: "2026-12-31", reason: "no fix", line: 3 },
      { id: "GHSA-xxxx", expires: "2027-01-01", reason: "", line: 4 },
    ]);
    for (const bad of ["CVE-2024-1", "CVE-2024-1 31.12.2026", "CVE-2024-1 2026-02-30"]) {
      let err: unknown;
      try {
        parseAllowList(`ok 2026-01-01\n${bad}\n`, ".harbor-allow");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).code).toBe("ALLOW_LIST_INVALID");
      expect((err as CliError).message).toContain(".harbor-allow:2");
    }
  });

  it("keeps an allow-list entry through its expiry day (UTC) and drops it the day after", () => {
    const e = { id: "CVE-1", expires: "2026-11-30", reason: "", line: 1 };
    expect(isExpired(e, new Date("2026-11-30T23:59:59Z"))).toBe(false);
    expect(isExpired(e, new Date("2026-12-01T00:00:00Z"))).toBe(true);
  });

  it("blocks findings at or above the threshold unless an entry in force allows them", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    const vulns = [
      { id: "CVE-A", package: "a", version: "1", severity: "Critical" as Severity },
      { id: "CVE-B", package: "b", version: "1", severity: "High" as Severity, fix_version: "2" },
      { id: "CVE-C", package: "c", version: "1", severity: "Low" as Severity },
    ];
    const allow = [
      { id: "CVE-A", expires: "2026-11-29", reason: "", line: 1 },
      { id: "CVE-B", expires: "2026-12-31", reason: "", line: 2 },
    ];
    const e = evaluate(vulns, "high", allow, now);
    expect(e.blocking.map((f) => f.id)).toEqual(["CVE-A"]);
    expect(e.expired.map((x) => x.id)).toEqual(["CVE-A"]);
    expect(e.rows.find((r) => r.severity === "High")).toEqual({ severity: "High", count: 1, fixable: 1 });
    expect(e.total).toBe(3);
    expect(e.blockingCount).toBe(1);
    expect(summaryTable(e)).toMatch(/^Critical\s+1\s+0\s+fails$/m);
  });

  it("exits 1 only for findings: every other outcome has its own code", () => {
    const codes = Object.entries(SCAN_EXIT).filter(([, c]) => c === 1);
    expect(codes).toEqual([["findings", 1]]);
    expect(new Set(Object.values(SCAN_EXIT)).size).toBe(Object.keys(SCAN_EXIT).length);
  });
});
