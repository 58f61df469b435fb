import { describe, expect, it } from "vitest";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";
import {
  encodeRepository,
  evaluate,
  isExpired,
  parseAllowList,
  parseImageRef,
  reaches,
  registryOfUrl,
  scanState,
  MIME_GENERIC,
  MIME_NATIVE,
} from "../../../scripts/lib/harbor-api/scan-model.ts";

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

describe("scan model", () => {
  it("encodes a repository's / twice, as Harbor's API wants", () => {
    expect(encodeRepository("team/api")).toBe("team%252Fapi");
    expect(encodeRepository("api")).toBe("api");
  });

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

  it("orders severities as Harbor does and treats unknown words as Unknown", () => {
    expect(reaches("Critical", "high")).toBe(true);
    expect(reaches("High", "high")).toBe(true);
    expect(reaches("Medium", "high")).toBe(false);
    expect(reaches("Negligible", "low")).toBe(false);
    expect(reaches("whatever", "unknown")).toBe(true);
    expect(reaches("Critical", "never")).toBe(false);
  });

  it("tells no scanner, not scanned, running, error and done apart", () => {
    const link = { vulnerabilities: { href: "/x", absolute: false } };
    expect(scanState({}).kind).toBe("no-scanner");
    expect(scanState({ addition_links: link }).kind).toBe("not-scanned");
    expect(scanState({ addition_links: link, scan_overview: { [MIME_NATIVE]: { scan_status: "Running", complete_percent: 40 } } })).toMatchObject({
      kind: "in-progress",
      status: "Running",
      percent: 40,
    });
    expect(scanState({ addition_links: link, scan_overview: { [MIME_NATIVE]: { scan_status: "Scheduled" } } }).kind).toBe("in-progress");
    expect(scanState({ addition_links: link, scan_overview: { [MIME_NATIVE]: { scan_status: "Error" } } }).kind).toBe("error");
    expect(scanState({ addition_links: link, scan_overview: { [MIME_NATIVE]: { scan_status: "Stopped" } } }).kind).toBe("stopped");
    // The generic report type is preferred when both are there.
    expect(scanState({ scan_overview: { [MIME_NATIVE]: { scan_status: "Running" }, [MIME_GENERIC]: { scan_status: "Success" } } }).kind).toBe("done");
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
      { id: "CVE-A", package: "a", version: "1", severity: "Critical" },
      { id: "CVE-B", package: "b", version: "1", severity: "High", fix_version: "2" },
      { id: "CVE-C", package: "c", version: "1", severity: "Low" },
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
  });
});
