// What a job uploaded to the registry fixture since a mark: its request log gives the completed
// blob uploads, the manifests of the tags it pushed tell layers from configurations, and a HEAD
// of the blob gives the size of anything else (accounting rules in bytes.ts).
import type { RegistryFixture } from "../runner/registry.ts";
import { accountUploads, blobUploadsIn, parseImageManifest, type ImageManifest, type UploadAccount } from "./bytes.ts";

const IMAGE_MANIFEST_TYPES = ["application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"].join(", ");

/** The image manifest of `repository:reference`; undefined when there is none. */
export async function imageManifest(registry: RegistryFixture, repository: string, reference: string): Promise<ImageManifest | undefined> {
  const res = await registry.http("GET", `/v2/${repository}/manifests/${reference}`, { headers: { Accept: IMAGE_MANIFEST_TYPES } });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET /v2/${repository}/manifests/${reference}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  return parseImageManifest(res.body);
}

export interface JobUploads {
  account: UploadAccount;
  /** Manifest of each pushed reference, as the registry holds it now. */
  manifests: Map<string, ImageManifest>;
}

/** Uploads since `mark` (RegistryFixture.mark()), with the references the job pushed (`repo:tag`). */
export async function uploadsSince(registry: RegistryFixture, mark: number, pushed: { repository: string; reference: string }[]): Promise<JobUploads> {
  const uploads = blobUploadsIn((await registry.requests()).slice(mark));
  const manifests = new Map<string, ImageManifest>();
  for (const p of pushed) {
    const m = await imageManifest(registry, p.repository, p.reference);
    if (m) manifests.set(`${p.repository}:${p.reference}`, m);
  }
  const known = new Set([...manifests.values()].flatMap((m) => [m.config.digest, ...m.layers.map((l) => l.digest)]));
  const sizes = new Map<string, number>();
  for (const u of uploads) {
    if (known.has(u.digest) || sizes.has(u.digest)) continue;
    const head = await registry.http("HEAD", `/v2/${u.repository}/blobs/${u.digest}`);
    const length = Number(head.headers["content-length"]);
    if (head.status === 200 && Number.isFinite(length)) sizes.set(u.digest, length);
  }
  return { account: accountUploads(uploads, [...manifests.values()], sizes), manifests };
}
