// The image `scan` is asked about: `host[:port]/project/repo[:tag]@sha256:...`, in Harbor's registry,
// and the link to it in Harbor's web UI.
import type { ArtifactRef } from "../harbor-api/scan-model.ts";
import { scanError } from "./codes.ts";

export interface ImageTarget extends ArtifactRef {
  /** host[:port] as written in the reference (default ports dropped). */
  registry: string;
  /** Harbor project: the first path segment. */
  project: string;
  tag?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** `host[:port]` of a URL, with the scheme's default port dropped (as docker writes registries). */
export function registryOfUrl(url: string): string {
  const u = new URL(url);
  const defaultPort = (u.protocol === "https:" && u.port === "443") || (u.protocol === "http:" && u.port === "80");
  return (u.port && !defaultPort ? `${u.hostname}:${u.port}` : u.hostname).toLowerCase();
}

/**
 * Parses `host[:port]/project/repo[:tag]@sha256:...`; the digest is required (build-push's
 * IMAGE_REF has it). The registry must be Harbor's: `registry` when given, else HARBOR_URL's host.
 */
export function parseImageRef(ref: string, harborUrl: string, registry?: string): ImageTarget {
  const bad = (why: string, fix: string) =>
    scanError("IMAGE_REF_INVALID", "usage", {
      message: `--image \`${ref}\` ${why}`,
      fix,
      expected: "<harbor-host>/<project>/<repository>[:tag]@sha256:<64 hex>",
      actual: ref,
    });
  const at = ref.indexOf("@");
  if (at < 0) throw bad("has no digest", 'pass the digest build-push hands over: --image "$IMAGE_REF" (repository@sha256:...)');
  const digest = ref.slice(at + 1);
  if (!DIGEST.test(digest)) throw bad(`has a malformed digest \`${digest}\``, "give a sha256 digest of 64 lowercase hex digits");
  const name = ref.slice(0, at);
  const slash = name.indexOf("/");
  if (slash < 0) throw bad("names no registry", "give the full reference with Harbor's host, e.g. harbor.example.com/my-project/app@sha256:...");
  const host = name.slice(0, slash).toLowerCase();
  let path = name.slice(slash + 1);
  let tag: string | undefined;
  const colon = path.lastIndexOf(":");
  if (colon > path.lastIndexOf("/")) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  const parts = path.split("/");
  if (parts.length < 2 || parts.some((p) => !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p))) {
    throw bad("is not <project>/<repository> in lowercase", "Harbor images are <host>/<project>/<repository>; check the image name");
  }
  const harbor = (registry || registryOfUrl(harborUrl)).toLowerCase().replace(/:443$/, "");
  const refRegistry = host.replace(/:443$/, "");
  if (refRegistry !== harbor) {
    throw scanError("IMAGE_NOT_IN_HARBOR", "usage", {
      message: `image registry \`${host}\` is not Harbor's registry (${harbor}, from ${registry ? "--registry" : "HARBOR_URL"})`,
      expected: harbor,
      actual: host,
    });
  }
  return { registry: host, project: parts[0] as string, repository: parts.slice(1).join("/"), digest, ...(tag ? { tag } : {}) };
}

/** Link to the artifact in Harbor's web UI (routes of src/portal: projects/:id/repositories/:repo/artifacts-tab/artifacts/:digest). */
export function artifactUiUrl(harborUrl: string, projectId: number | undefined, t: ArtifactRef): string {
  const base = harborUrl.replace(/\/+$/, "");
  if (projectId === undefined) return `${base}/harbor/projects`;
  return `${base}/harbor/projects/${projectId}/repositories/${encodeURIComponent(t.repository)}/artifacts-tab/artifacts/${t.digest}`;
}
