// The ScanSource of a real Harbor: the Harbor client's ScanClient (scripts/lib/harbor-api/scan.ts)
// behind the narrow interface of source.ts. The one file of scan/ that knows the client.
import { ScanClient, type ScanClientOptions } from "../harbor-api/scan.ts";
import { SCAN_EXIT } from "./codes.ts";
import type { ScanSource } from "./source.ts";

export type HarborSourceOptions = Omit<ScanClientOptions, "exits">;

export function harborScanSource(opts: HarborSourceOptions): ScanSource {
  const client = new ScanClient({ ...opts, exits: { harbor: SCAN_EXIT.harbor, notScanned: SCAN_EXIT.notScanned } });
  return {
    readArtifact: (t) => client.getArtifact(t),
    startScan: (t) => client.startScan(t),
    readFindings: async (t) => {
      const r = await client.getVulnerabilities(t);
      return typeof r === "string" ? r : { report: r };
    },
  };
}
