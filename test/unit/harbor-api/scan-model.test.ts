import { describe, expect, it } from "vitest";
import { encodeRepository, MIME_GENERIC, MIME_NATIVE, pickReport, scanState } from "../../../scripts/lib/harbor-api/scan-model.ts";

describe("Harbor's vulnerability vocabulary", () => {
  it("encodes a repository's / twice, as Harbor's API wants", () => {
    expect(encodeRepository("team/api")).toBe("team%252Fapi");
    expect(encodeRepository("api")).toBe("api");
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

  it("hands back the findings of the preferred report type unfiltered, for scan/overview.ts to check", () => {
    const bad = { id: 7, severity: "High" };
    const r = pickReport({ [MIME_NATIVE]: { vulnerabilities: [] }, [MIME_GENERIC]: { vulnerabilities: [bad] } });
    expect(r?.vulnerabilities).toEqual([bad]);
    expect(pickReport("<html>")).toBeUndefined();
  });
});
