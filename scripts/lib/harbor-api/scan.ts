// The Harbor calls of `harbor-ci scan` and the wait for a scan, as the integration's robot.
// The calls themselves are the Harbor client's (client.ts: transport.ts, artifacts.ts, scans.ts);
// ScanClient keeps the methods `scan` calls, with scan's exit codes passed in.

import { CliError } from "../cli/diagnostics.ts";
import type { FetchLike } from "../http/request.ts";
import type { RetryPolicy } from "../http/retry.ts";
import { artifactPath } from "./artifacts.ts";
import { createHarbor, type HarborApi } from "./client.ts";
import { pickReport, scanState, type ArtifactView, type ImageTarget, type ScanState, type VulnerabilityReport } from "./scan-model.ts";

/** Exit codes of `harbor-ci scan`, one per outcome: 1 is a finding at or above --fail-on and nothing else. */
export const SCAN_EXIT = {
  passed: 0,
  gateFailed: 1,
  usage: 2,
  harbor: 3,
  timeout: 4,
  scanFailed: 5,
  notScanned: 6,
} as const;

export interface ScanClientOptions {
  url: string;
  username: string;
  password: string;
  retry: RetryPolicy;
  timeoutMs: number;
  /** --max-response-bytes (http/bounded.ts DEFAULT_MAX_BODY_BYTES when absent). */
  maxBodyBytes?: number;
  fetch?: FetchLike;
  onCall?: (call: { method: string; url: string }) => void;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; url: string }) => void;
}

export class ScanClient {
  readonly api: string;
  private readonly harbor: HarborApi;
  constructor(opts: ScanClientOptions) {
    this.harbor = createHarbor(
      {
        url: opts.url,
        urlSource: "HARBOR_URL",
        credentialsHint: "the robot's credentials go in HARBOR_USERNAME and HARBOR_PASSWORD",
        credentials: { user: opts.username, password: opts.password },
        retry: opts.retry,
        timeoutMs: opts.timeoutMs,
        exitCode: SCAN_EXIT.harbor,
        ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
        ...(opts.onCall ? { onCall: opts.onCall } : {}),
        ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
      },
      { notScanned: SCAN_EXIT.notScanned },
    );
    this.api = this.harbor.transport.api;
  }

  artifactPath(t: ImageTarget): string {
    return `${this.api}${artifactPath(t)}`;
  }

  getArtifact(t: ImageTarget): Promise<ArtifactView> {
    return this.harbor.artifacts.show(t) as Promise<ArtifactView>;
  }

  /** Starts a scan. Returns "started", or "running" when Harbor says one is already under way. */
  startScan(t: ImageTarget): Promise<"started" | "running"> {
    return this.harbor.scans.start(t);
  }

  /** The vulnerability list, or `forbidden` when the robot lacks artifact-addition:read. */
  async getVulnerabilities(t: ImageTarget): Promise<VulnerabilityReport | "forbidden" | "missing"> {
    const body = await this.harbor.artifacts.vulnerabilities(t);
    return typeof body === "string" ? body : (pickReport(body) ?? "missing");
  }
}

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

/**
 * Reads the artifact until its scan is finished (Success, Error or Stopped), starting one when
 * none exists, within `timeoutMs`. Returns the last artifact and state; throws on a timeout.
 */
export async function waitForScan(
  client: ScanClient,
  t: ImageTarget,
  opts: WaitOptions,
  deps: WaitDeps,
): Promise<{ artifact: ArtifactView; state: ScanState; triggered: boolean }> {
  const start = deps.now();
  let triggered = false;
  let lastLine = "";
  let lastPrint = start;
  for (;;) {
    const artifact = await client.getArtifact(t);
    const state = scanState(artifact);
    if (state.kind === "no-scanner") return { artifact, state, triggered };
    if (state.kind === "not-scanned") {
      if (!opts.trigger || triggered) {
        if (triggered) {
          // Harbor accepted the scan but shows no report yet: keep waiting as for Pending.
        } else return { artifact, state, triggered };
      } else {
        const r = await client.startScan(t);
        triggered = true;
        deps.progress(r === "started" ? "scan: not scanned yet; started a scan" : "scan: a scan is already under way");
      }
    } else if (state.kind !== "in-progress") {
      return { artifact, state, triggered };
    }
    const elapsed = deps.now() - start;
    const status = state.kind === "in-progress" ? `${state.status}${state.percent !== undefined ? ` (${state.percent}%)` : ""}` : "Pending";
    const line = `scan: ${status}`;
    // Right after starting a scan Harbor may show no report yet: that line says it already.
    if (state.kind === "in-progress" && (line !== lastLine || deps.now() - lastPrint >= 30_000)) {
      deps.progress(`${line}, ${Math.round(elapsed / 1000)} s of ${Math.round(opts.timeoutMs / 1000)} s`);
      lastLine = line;
      lastPrint = deps.now();
    }
    if (elapsed + opts.pollMs > opts.timeoutMs) {
      throw new CliError({
        code: "SCAN_TIMEOUT",
        message: `the scan of ${t.project}/${t.repository}@${t.digest} did not finish within ${Math.round(opts.timeoutMs / 1000)} s (last status: ${status})`,
        expected: "scan status Success",
        actual: status,
        fix: "raise --timeout (the component's input timeout), or check Harbor's job service (Administration > Job Service Dashboard) for a queue",
        exitCode: SCAN_EXIT.timeout,
      });
    }
    await deps.sleep(opts.pollMs);
  }
}
