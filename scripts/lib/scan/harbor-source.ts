// The ScanSource of a real Harbor: today's Harbor client of scan (scripts/lib/harbor-api/scan.ts)
// behind the narrow interface of source.ts. The one file of scan/ that knows the client.
import { CliError } from "../cli/diagnostics.ts";
import { ScanClient, type ScanClientOptions } from "../harbor-api/scan.ts";
import type { ScanSource } from "./source.ts";

export type HarborSourceOptions = ScanClientOptions;

export function harborScanSource(opts: HarborSourceOptions): ScanSource {
  const client = new ScanClient(opts);
  return {
    readArtifact: (t) => client.getArtifact(t),
    startScan: async (t) => {
      try {
        return await client.startScan(t);
      } catch (err) {
        // Harbor's 412/404 to the scan request: scan's own NO_SCANNER (codes.ts) says it.
        if (err instanceof CliError && err.code === "NO_SCANNER") return "no-scanner";
        throw err;
      }
    },
    readFindings: async (t) => {
      const r = await client.getVulnerabilities(t);
      return typeof r === "string" ? r : { report: r };
    },
  };
}
