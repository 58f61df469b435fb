// The wait for Harbor's scan: read the artifact until its scan is finished (Success, Error or
// Stopped), starting one when none exists, within the timeout.
import type { ArtifactView, ScanState } from "../harbor-api/scan-model.ts";
import { scanError } from "./codes.ts";
import type { ImageTarget } from "./image-ref.ts";
import { checkArtifact } from "./overview.ts";
import type { ScanSource, StartScanResult } from "./source.ts";

export interface WaitDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  progress: (line: string) => void;
}

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  /** Start a scan when none exists. */
  trigger: boolean;
}

export interface Waited {
  artifact: ArtifactView;
  /** Never in-progress: a timeout throws SCAN_TIMEOUT. */
  state: ScanState;
  triggered: boolean;
}

const STARTED: Record<StartScanResult, string> = {
  started: "scan: not scanned yet; started a scan",
  running: "scan: a scan is already under way",
};

export async function waitForScan(source: ScanSource, t: ImageTarget, opts: WaitOptions, deps: WaitDeps): Promise<Waited> {
  const start = deps.now();
  let triggered = false;
  let lastLine = "";
  let lastPrint = start;
  for (;;) {
    const { artifact, state } = checkArtifact(await source.readArtifact(t), t);
    if (state.kind === "no-scanner") return { artifact, state, triggered };
    if (state.kind === "not-scanned") {
      if (!triggered) {
        if (!opts.trigger) return { artifact, state, triggered };
        const r = await source.startScan(t);
        triggered = true;
        deps.progress(STARTED[r]);
      }
    } else if (state.kind !== "in-progress") {
      return { artifact, state, triggered };
    }
    // Right after starting a scan Harbor may show no report yet: wait as for Pending.
    const elapsed = deps.now() - start;
    const status = state.kind === "in-progress" ? `${state.status}${state.percent !== undefined ? ` (${state.percent}%)` : ""}` : "Pending";
    const line = `scan: ${status}`;
    if (state.kind === "in-progress" && (line !== lastLine || deps.now() - lastPrint >= 30_000)) {
      deps.progress(`${line}, ${Math.round(elapsed / 1000)} s of ${Math.round(opts.timeoutMs / 1000)} s`);
      lastLine = line;
      lastPrint = deps.now();
    }
    if (elapsed + opts.pollMs > opts.timeoutMs) {
      throw scanError("SCAN_TIMEOUT", "timeout", {
        message: `the scan of ${t.project}/${t.repository}@${t.digest} did not finish within ${Math.round(opts.timeoutMs / 1000)} s (last status: ${status})`,
        expected: "scan status Success",
        actual: status,
      });
    }
    await deps.sleep(opts.pollMs);
  }
}
