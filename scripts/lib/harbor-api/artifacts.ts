// Harbor artifacts and their vulnerability additions (vendor/harbor/swagger.yaml):
//   GET .../projects/{project_name}/repositories/{repository_name}/artifacts/{reference}
//       ?with_scan_overview=true + X-Accept-Vulnerabilities                       (artifact:read)
//   GET .../artifacts/{reference}/additions/vulnerabilities                       (artifact-addition:read)
// repository_name has its `/` encoded twice (team%252Fapi): Harbor unescapes the path once to
// route and once more for the name.

import { HttpStatusError } from "../http/errors.ts";
import { ARTIFACT, VULNERABILITY_REPORTS } from "./shapes.ts";
import { harborMessage, type HarborTransport } from "./transport.ts";

/** Report MIME types (goharbor/harbor src/pkg/scan/rest/v1/models.go), the preferred first. */
export const VULNERABILITY_MIME_TYPES = [
  "application/vnd.security.vulnerability.report; version=1.1",
  "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0",
] as const;

/** The artifact asked for: project, repository inside it, digest. */
export interface ArtifactRef {
  project: string;
  repository: string;
  digest: string;
}

/** The fields of swagger's Artifact the CLI reads (checked by shapes.ts ARTIFACT). */
export interface HarborArtifact {
  id?: number;
  project_id: number;
  digest: string;
  addition_links?: Record<string, { href?: string; absolute?: boolean }>;
  scan_overview?: Record<string, Record<string, unknown>>;
}

export function artifactPath(a: ArtifactRef): string {
  return `/projects/${encodeURIComponent(a.project)}/repositories/${encodeURIComponent(encodeURIComponent(a.repository))}/artifacts/${a.digest}`;
}

const ACCEPT = VULNERABILITY_MIME_TYPES.join(", ");

export class Artifacts {
  constructor(private readonly t: HarborTransport) {}

  /** The artifact with its scan overview; an answer about another digest is HARBOR_ANSWER_MISMATCH. */
  async show(a: ArtifactRef): Promise<HarborArtifact> {
    const path = `${artifactPath(a)}?with_scan_overview=true&with_tag=false`;
    try {
      const res = await this.t.request<HarborArtifact>(
        { method: "GET", path, headers: { "X-Accept-Vulnerabilities": ACCEPT } },
        { shape: ARTIFACT, expected: "an Artifact object {project_id, digest, scan_overview?, addition_links?}" },
      );
      if (res.body.digest !== a.digest) throw this.t.mismatch(`GET ${this.t.api}${path}`, "digest", a.digest, res.body.digest);
      return res.body;
    } catch (err) {
      if (!(err instanceof HttpStatusError)) throw err;
      if (err.status === 404) {
        throw this.t.error("ARTIFACT_NOT_FOUND", {
          message: `Harbor has no artifact ${a.digest} in ${a.project}/${a.repository}`,
          expected: `an artifact ${a.project}/${a.repository}@${a.digest}`,
          actual: harborMessage(err.body) ?? "404 Not Found",
          fix: "scan the digest build-push pushed (its IMAGE_REF), in the same pipeline; check that the project and repository names are right",
        });
      }
      if (err.status === 401 || err.status === 403) throw this.t.robotRefused(err, `read artifact ${a.project}/${a.repository}@${a.digest}`, "artifact:read");
      throw this.t.statusFailed(err, `read artifact ${a.project}/${a.repository}@${a.digest}`);
    }
  }

  /**
   * The additions/vulnerabilities answer: a map MIME type -> report, each checked down to the
   * fields read; `forbidden` without artifact-addition:read, `missing` when Harbor has none.
   */
  async vulnerabilities(a: ArtifactRef): Promise<Record<string, unknown> | "forbidden" | "missing"> {
    const path = `${artifactPath(a)}/additions/vulnerabilities`;
    try {
      const res = await this.t.request<Record<string, unknown>>(
        { method: "GET", path, headers: { "X-Accept-Vulnerabilities": ACCEPT } },
        { shape: VULNERABILITY_REPORTS, expected: "a map of report MIME type -> {vulnerabilities: [{id, package, version, severity}]}" },
      );
      for (const report of Object.values(res.body)) {
        const digest = (report as { artifact?: { digest?: unknown } }).artifact?.digest;
        if (typeof digest === "string" && digest !== a.digest) throw this.t.mismatch(`GET ${this.t.api}${path}`, "digest", a.digest, digest);
      }
      return res.body;
    } catch (err) {
      if (!(err instanceof HttpStatusError)) throw err;
      if (err.status === 403) return "forbidden";
      if (err.status === 404) return "missing";
      if (err.status === 401) throw this.t.robotRefused(err, "read the vulnerabilities", "artifact-addition:read");
      throw this.t.statusFailed(err, `read the vulnerabilities of ${a.project}/${a.repository}@${a.digest}`);
    }
  }
}
