// What `scan` asks Harbor, and nothing more: the narrow interface the gate runs against. The Harbor
// client behind it (scripts/lib/scan/harbor-source.ts) is plugged in by the command; tests hand in
// their own. Answers come back as Harbor sent them: overview.ts checks them before the gate uses them.
import type { ArtifactRef } from "../harbor-api/scan-model.ts";

export type StartScanResult = "started" | "running";

export interface ScanSource {
  /** GET …/artifacts/{digest}?with_scan_overview=true with X-Accept-Vulnerabilities (artifact:read): the Artifact answer. */
  readArtifact(t: ArtifactRef): Promise<unknown>;
  /** POST …/artifacts/{digest}/scan (scan:create): started or already running; a coded error otherwise (NO_SCANNER for Harbor's 412). */
  startScan(t: ArtifactRef): Promise<StartScanResult>;
  /** GET …/additions/vulnerabilities (artifact-addition:read): the report of the preferred MIME type, or why there is none. */
  readFindings(t: ArtifactRef): Promise<{ report: unknown } | "forbidden" | "missing">;
}
