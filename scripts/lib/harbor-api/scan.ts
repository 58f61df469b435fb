// The Harbor calls of `harbor-ci scan` and the wait for a scan, as the integration's robot.
// Paths and shapes from Harbor's API description, vendor/harbor/swagger.yaml (goharbor/harbor
// api/v2.0/swagger.yaml; commit in vendor/harbor/SOURCE.json):
//   GET  /projects/{project_name}/repositories/{repository_name}/artifacts/{reference}
//        ?with_scan_overview=true  + X-Accept-Vulnerabilities           (artifact:read)
//   POST .../artifacts/{reference}/scan                                   (scan:create) -> 202
//        412 when no scanner is configured (src/controller/scan/base_controller.go, Scan)
//   GET  .../artifacts/{reference}/additions/vulnerabilities              (artifact-addition:read)
// repository_name has its `/` encoded twice (team%252Fapi).

import { CliError } from "../cli/diagnostics.ts";
import { HttpStatusError } from "../http/errors.ts";
import { basicAuth, requestJson, type FetchLike, type JsonResponse } from "../http/request.ts";
import { RetriesExhaustedError, networkFailure, withRetry, type RetryPolicy } from "../http/retry.ts";
import {
  ACCEPT_VULNERABILITIES,
  encodeRepository,
  pickReport,
  scanState,
  type ArtifactView,
  type ImageTarget,
  type ScanState,
  type VulnerabilityReport,
} from "./scan-model.ts";

/** Exit codes of `harbor-ci scan`, one per outcome. */
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
  fetch?: FetchLike;
  onCall?: (call: { method: string; url: string }) => void;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; url: string }) => void;
}

function harborMessage(body: unknown): string | undefined {
  const errors = (body as { errors?: Array<{ code?: string; message?: string }> } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0) return errors.map((e) => [e.code, e.message].filter(Boolean).join(": ")).join("; ");
  return typeof body === "string" && body.trim() !== "" ? body.trim().slice(0, 300) : undefined;
}

export class ScanClient {
  readonly api: string;
  constructor(private readonly opts: ScanClientOptions) {
    this.api = opts.url.replace(/\/+$/, "") + "/api/v2.0";
  }

  artifactPath(t: ImageTarget): string {
    return `${this.api}/projects/${encodeURIComponent(t.project)}/repositories/${encodeRepository(t.repository)}/artifacts/${t.digest}`;
  }

  private async call(method: "GET" | "POST", url: string, headers: Record<string, string> = {}): Promise<JsonResponse> {
    this.opts.onCall?.({ method, url });
    try {
      return await withRetry(
        () =>
          requestJson(
            { method, url, timeoutMs: this.opts.timeoutMs, headers: { ...headers, authorization: basicAuth(this.opts.username, this.opts.password) } },
            this.opts.fetch,
          ),
        this.opts.retry,
        { onRetry: (info) => this.opts.onRetry?.({ ...info, url }) },
      );
    } catch (err) {
      if (err instanceof RetriesExhaustedError) {
        throw new CliError({
          code: "HARBOR_UNAVAILABLE",
          message: `Harbor did not answer ${method} ${url} after ${err.attempts} attempt(s) (${err.reason})`,
          expected: "a 2xx answer",
          actual: err.reason,
          fix: `check that ${this.opts.url} is up and reachable from the job, then retry the job; --retries and --request-timeout tune the backoff`,
          exitCode: SCAN_EXIT.harbor,
          cause: err,
        });
      }
      const failure = err instanceof HttpStatusError ? undefined : networkFailure(err);
      if (failure) {
        throw new CliError({
          code: "HARBOR_UNREACHABLE",
          message: `cannot reach Harbor at ${this.opts.url} (${failure})`,
          fix: "check HARBOR_URL (scheme, host, port), DNS, proxy and TLS settings (NODE_EXTRA_CA_CERTS for a private CA)",
          exitCode: SCAN_EXIT.harbor,
          cause: err,
        });
      }
      throw err;
    }
  }

  private authError(err: HttpStatusError, what: string, permission: string): CliError {
    if (err.status === 401) {
      return new CliError({
        code: "HARBOR_CREDENTIALS_REJECTED",
        message: `Harbor rejected the credentials of \`${this.opts.username}\` (HTTP 401) while trying to ${what}`,
        expected: "the robot of GitLab's Harbor integration, enabled and not expired",
        actual: harborMessage(err.body) ?? "401 Unauthorized",
        fix: "check HARBOR_USERNAME/HARBOR_PASSWORD (Settings > Integrations > Harbor); refresh an expired robot with `harbor-ci setup --rotate-secret`",
        exitCode: SCAN_EXIT.harbor,
      });
    }
    return new CliError({
      code: "HARBOR_PERMISSION_DENIED",
      message: `Harbor refused to let \`${this.opts.username}\` ${what} (HTTP 403)`,
      expected: `the robot to have ${permission} on the project`,
      actual: harborMessage(err.body) ?? "403 Forbidden",
      fix: `grant ${permission} to the robot (Project > Robot Accounts); the robot of the registry guide and of \`harbor-ci setup\` has artifact:read`,
      exitCode: SCAN_EXIT.harbor,
    });
  }

  async getArtifact(t: ImageTarget): Promise<ArtifactView> {
    const url = `${this.artifactPath(t)}?with_scan_overview=true&with_tag=false`;
    try {
      const res = await this.call("GET", url, { "X-Accept-Vulnerabilities": ACCEPT_VULNERABILITIES });
      const body = res.body as ArtifactView | undefined;
      if (!body || typeof body !== "object" || Array.isArray(body)) {
        throw new CliError({
          code: "HARBOR_UNEXPECTED_RESPONSE",
          message: `Harbor's answer to GET ${url} is not an Artifact`,
          expected: "an Artifact object (JSON)",
          actual: JSON.stringify(res.body)?.slice(0, 200) ?? "empty body",
          fix: "check that HARBOR_URL points at Harbor itself (not a proxy page or the UI) and that Harbor is 2.x",
          exitCode: SCAN_EXIT.harbor,
        });
      }
      return body;
    } catch (err) {
      if (!(err instanceof HttpStatusError)) throw err;
      if (err.status === 404) {
        throw new CliError({
          code: "ARTIFACT_NOT_FOUND",
          message: `Harbor has no artifact ${t.digest} in ${t.project}/${t.repository}`,
          expected: `an artifact ${t.project}/${t.repository}@${t.digest}`,
          actual: harborMessage(err.body) ?? "404 Not Found",
          fix: "scan the digest build-push pushed (its IMAGE_REF), in the same pipeline; check that the project and repository names are right",
          exitCode: SCAN_EXIT.harbor,
        });
      }
      if (err.status === 401 || err.status === 403) throw this.authError(err, `read artifact ${t.project}/${t.repository}@${t.digest}`, "artifact:read");
      throw new CliError({
        code: "HARBOR_REQUEST_FAILED",
        message: `Harbor answered HTTP ${err.status} to GET ${url}`,
        actual: harborMessage(err.body) ?? `HTTP ${err.status}`,
        fix: "read Harbor's message; check the Harbor version (2.x) and its logs",
        exitCode: SCAN_EXIT.harbor,
      });
    }
  }

  /** Starts a scan. Returns "started", or "running" when Harbor says one is already under way. */
  async startScan(t: ImageTarget): Promise<"started" | "running"> {
    const url = `${this.artifactPath(t)}/scan`;
    try {
      await this.call("POST", url);
      return "started";
    } catch (err) {
      if (!(err instanceof HttpStatusError)) throw err;
      const detail = harborMessage(err.body) ?? `HTTP ${err.status}`;
      if (err.status === 409) return "running"; // "a previous scan process is Running"
      if (err.status === 403) {
        throw new CliError({
          code: "SCAN_NOT_PERMITTED",
          message: `the artifact has not been scanned, and \`${this.opts.username}\` may not start a scan (HTTP 403)`,
          expected: "a scan report, or the robot permission scan:create",
          actual: detail,
          fix: 'turn on "Automatically scan images on push" in the Harbor project\'s configuration, or grant the robot scan:create with `harbor-ci setup --scan`',
          exitCode: SCAN_EXIT.notScanned,
        });
      }
      if (err.status === 412 || err.status === 404) {
        throw new CliError({
          code: "NO_SCANNER",
          message: `Harbor has no scanner for project ${t.project} (HTTP ${err.status})`,
          expected: "a scanner (Trivy by default) set for the project or as the system default",
          actual: detail,
          fix: "ask a Harbor administrator to configure a scanner (Administration > Interrogation Services) and set it as default",
          exitCode: SCAN_EXIT.notScanned,
        });
      }
      if (err.status === 400 || err.status === 422) {
        throw new CliError({
          code: "ARTIFACT_NOT_SCANNABLE",
          message: `Harbor's scanner cannot scan ${t.project}/${t.repository}@${t.digest} (HTTP ${err.status})`,
          actual: detail,
          fix: "scan an image manifest (or an index of images) that the configured scanner supports",
          exitCode: SCAN_EXIT.notScanned,
        });
      }
      throw new CliError({
        code: "HARBOR_REQUEST_FAILED",
        message: `Harbor answered HTTP ${err.status} to POST ${url}`,
        actual: detail,
        fix: "read Harbor's message; check the Harbor version (2.x) and its logs",
        exitCode: SCAN_EXIT.harbor,
      });
    }
  }

  /** The vulnerability list, or `forbidden` when the robot lacks artifact-addition:read. */
  async getVulnerabilities(t: ImageTarget): Promise<VulnerabilityReport | "forbidden" | "missing"> {
    const url = `${this.artifactPath(t)}/additions/vulnerabilities`;
    try {
      const res = await this.call("GET", url, { "X-Accept-Vulnerabilities": ACCEPT_VULNERABILITIES });
      const body = typeof res.body === "string" ? safeJson(res.body) : res.body;
      return pickReport(body) ?? "missing";
    } catch (err) {
      if (err instanceof HttpStatusError && err.status === 403) return "forbidden";
      if (err instanceof HttpStatusError && err.status === 404) return "missing";
      if (err instanceof HttpStatusError && err.status === 401) throw this.authError(err, "read the vulnerabilities", "artifact-addition:read");
      throw err;
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
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
