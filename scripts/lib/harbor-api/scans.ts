// Harbor scans (vendor/harbor/swagger.yaml):
//   POST .../artifacts/{reference}/scan                                   (scan:create) -> 202
//        409 while a scan runs, 412 when no scanner is configured (src/controller/scan/base_controller.go, Scan)

import { HttpStatusError } from "../http/errors.ts";
import { artifactPath, type ArtifactRef } from "./artifacts.ts";
import { harborMessage, type HarborTransport } from "./transport.ts";

/** Exit codes a scan outcome other than "Harbor failed" maps to (the command's). */
export interface ScanExitCodes {
  /** No scan and none can be had: no scanner, not scannable, not permitted. */
  notScanned: number;
}

export class Scans {
  constructor(
    private readonly t: HarborTransport,
    private readonly exit: ScanExitCodes,
  ) {}

  /** Starts a scan. Returns "started", or "running" when Harbor says one is already under way. */
  async start(a: ArtifactRef): Promise<"started" | "running"> {
    const path = `${artifactPath(a)}/scan`;
    try {
      await this.t.request({ method: "POST", path });
      return "started";
    } catch (err) {
      if (!(err instanceof HttpStatusError)) throw err;
      const detail = harborMessage(err.body) ?? `HTTP ${err.status}`;
      if (err.status === 409) return "running"; // "a previous scan process is Running"
      if (err.status === 403) {
        throw this.t.error(
          "SCAN_NOT_PERMITTED",
          {
            message: `the artifact has not been scanned, and \`${this.t.user}\` may not start a scan (HTTP 403)`,
            expected: "a scan report, or the robot permission scan:create",
            actual: detail,
            fix: 'turn on "Automatically scan images on push" in the Harbor project\'s configuration, or grant the robot scan:create with `harbor-ci setup --scan`',
          },
          this.exit.notScanned,
        );
      }
      if (err.status === 412 || err.status === 404) {
        throw this.t.error(
          "NO_SCANNER",
          {
            message: `Harbor has no scanner for project ${a.project} (HTTP ${err.status})`,
            expected: "a scanner (Trivy by default) set for the project or as the system default",
            actual: detail,
            fix: "ask a Harbor administrator to configure a scanner (Administration > Interrogation Services) and set it as default",
          },
          this.exit.notScanned,
        );
      }
      if (err.status === 400 || err.status === 422) {
        throw this.t.error(
          "ARTIFACT_NOT_SCANNABLE",
          {
            message: `Harbor's scanner cannot scan ${a.project}/${a.repository}@${a.digest} (HTTP ${err.status})`,
            actual: detail,
            fix: "scan an image manifest (or an index of images) that the configured scanner supports",
          },
          this.exit.notScanned,
        );
      }
      if (err.status === 401) throw this.t.robotRefused(err, `start a scan of ${a.project}/${a.repository}@${a.digest}`, "scan:create");
      throw this.t.statusFailed(err, `start a scan of ${a.project}/${a.repository}@${a.digest}`);
    }
  }
}
