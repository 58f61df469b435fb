// The Harbor calls of `harbor-ci scan` and the wait for a scan, as the integration's robot.
// The calls themselves are the Harbor client's (client.ts: transport.ts, artifacts.ts, scans.ts);
// ScanClient keeps the methods `scan` calls, with scan's exit codes passed in.

import { CliError } from "../cli/diagnostics.ts";
import type { FetchLike } from "../http/request.ts";
import type { RetryPolicy } from "../http/retry.ts";
import { artifactPath } from "./artifacts.ts";
import { createHarbor, type HarborApi } from "./client.ts";
import { pickReport, scanState, type ArtifactView, type ImageTarget, type ScanState, type VulnerabilityReport } from "./scan-model.ts";

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
  /** The command's exit codes: Harbor failed or answered wrongly; the digest is not scanned. */
  exits: { harbor: number; notScanned: number };
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
        exitCode: opts.exits.harbor,
        ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
        ...(opts.onCall ? { onCall: opts.onCall } : {}),
        ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
      },
      { notScanned: opts.exits.notScanned },
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
