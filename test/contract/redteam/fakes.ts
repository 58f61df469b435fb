import zlib from "node:zlib";
import type http from "node:http";
import { json, type Req, startServer, type Srv } from "./helpers.js";

export const DIGEST = `sha256:${"a".repeat(64)}`;
export const OTHER_DIGEST = `sha256:${"b".repeat(64)}`;
export const MT = "application/vnd.security.vulnerability.report; version=1.1";

export function overview(over: Record<string, unknown> = {}, summary: unknown = { total: 1, fixable: 1, summary: { High: 1 } }) {
  return {
    [MT]: {
      report_id: "r1",
      scan_status: "Success",
      severity: "High",
      duration: 3,
      start_time: "2025-01-01T00:00:00Z",
      end_time: "2025-01-01T00:00:03Z",
      complete_percent: 100,
      scanner: { name: "Trivy", vendor: "Aqua", version: "0.50" },
      summary,
      ...over,
    },
  };
}
export function vulnReport(vulns: unknown, over: Record<string, unknown> = {}) {
  return {
    [MT]: {
      generated_at: "2025-01-01T00:00:03Z",
      scanner: { name: "Trivy", vendor: "Aqua", version: "0.50" },
      severity: "High",
      vulnerabilities: vulns,
      ...over,
    },
  };
}
export const HIGH = {
  id: "CVE-2024-0001",
  package: "openssl",
  version: "3.0.11-1",
  fix_version: "3.0.13-1",
  severity: "High",
  description: "d",
  links: ["https://x"],
};

export function artifact(ov: unknown, over: Record<string, unknown> = {}) {
  return {
    id: 1,
    digest: DIGEST,
    project_id: 7,
    repository_id: 3,
    type: "IMAGE",
    media_type: "application/vnd.oci.image.manifest.v1+json",
    manifest_media_type: "application/vnd.oci.image.manifest.v1+json",
    tags: null,
    scan_overview: ov,
    ...over,
  };
}

export interface HarborOpts {
  artifact?: (req: Req, res: http.ServerResponse) => void | Promise<void>;
  vulns?: (req: Req, res: http.ServerResponse) => void | Promise<void>;
}

/** A Harbor serving one artifact p/team/api@DIGEST. */
export function fakeHarbor(o: HarborOpts = {}): Promise<Srv> {
  return startServer(async (req, res) => {
    if (req.url.includes("/additions/vulnerabilities")) {
      if (o.vulns) return o.vulns(req, res);
      return json(res, 200, vulnReport([HIGH]));
    }
    if (req.url.includes("/artifacts/")) {
      if (o.artifact) return o.artifact(req, res);
      return json(res, 200, artifact(overview()));
    }
    if (req.method === "POST" && req.url.endsWith("/scan")) {
      res.writeHead(202);
      return res.end();
    }
    json(res, 404, { errors: [{ code: "NOT_FOUND", message: "not found" }] });
  });
}

export const HARBOR_PASSWORD = "Hp4ss/w?rd#x y+z%41";
export const HARBOR_USER = "robot$p+ci";

export function scanArgs(h: Srv, extra: string[] = []) {
  return [
    "scan",
    "--image",
    `127.0.0.1:${h.port}/p/team/api@${DIGEST}`,
    "--retries",
    "0",
    "--timeout",
    "4",
    "--poll-interval",
    "100",
    "--request-timeout",
    "2000",
    ...extra,
  ];
}
export function scanEnv(h: Srv, over: Record<string, string> = {}) {
  return { HARBOR_URL: h.url, HARBOR_USERNAME: HARBOR_USER, HARBOR_PASSWORD, ...over };
}

export const GITLAB_TOKEN = "glpat-Tok/en?x#y z+w%2F";
export const RELEASE = {
  tag_name: "1.0.0",
  name: "1.0.0",
  released_at: "2025-01-01T00:00:00Z",
  created_at: "2025-01-01T00:00:00Z",
  upcoming_release: false,
  commit: { id: "a".repeat(40) },
};

export interface GitlabOpts {
  releases?: (req: Req, res: http.ServerResponse) => void | Promise<void>;
  tree?: (req: Req, res: http.ServerResponse) => void | Promise<void>;
  lint?: (req: Req, res: http.ServerResponse) => void | Promise<void>;
}
export function fakeGitlab(o: GitlabOpts = {}): Promise<Srv> {
  return startServer(async (req, res) => {
    if (req.url.includes("/releases")) {
      if (o.releases) return o.releases(req, res);
      return json(res, 200, [RELEASE], { "x-total-pages": "1" });
    }
    if (req.url.includes("/repository/tree")) {
      if (o.tree) return o.tree(req, res);
      return json(res, 200, []);
    }
    if (req.url.includes("/ci/lint")) {
      if (o.lint) return o.lint(req, res);
      return json(res, 200, { valid: true, errors: [], warnings: [], merged_yaml: "a: 1", includes: [] });
    }
    json(res, 404, { message: "404 Not Found" });
  });
}
export function versionsArgs(extra: string[] = []) {
  return ["versions", "--project", "g/harbor-ci-components", "--retries", "0", "--timeout", "2000", ...extra];
}
export function gitlabEnv(g: Srv, over: Record<string, string> = {}) {
  return { GITLAB_URL: g.url, GITLAB_TOKEN, ...over };
}

export function gzipBomb(): Buffer {
  return zlib.gzipSync(Buffer.alloc(300 * 1024 * 1024, 0x20), { level: 9 });
}
