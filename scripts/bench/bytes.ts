// Bytes a job uploaded to the registry, counted on the registry's side: the blob uploads it
// completed (from its request log: `PUT /v2/<repo>/blobs/uploads/<id>?digest=<digest>` → 201),
// each weighed by the blob's stored size, and split into image layers and other blobs (image
// configurations) with the manifests the job pushed. Pure functions.
//
// A cross-repository mount or a blob the registry already had ("Layer already exists") is not an
// upload. An upload that failed and was retried is counted once (its completed PUT).

export interface RequestLike {
  method: string;
  /** Path and query as the registry logged them. */
  path: string;
  status: number;
}

export interface BlobUpload {
  repository: string;
  digest: string;
}

/** The blob uploads completed in these requests, in order. */
export function blobUploadsIn(requests: readonly RequestLike[]): BlobUpload[] {
  const out: BlobUpload[] = [];
  for (const r of requests) {
    if (r.method !== "PUT" || r.status !== 201) continue;
    const m = /^\/v2\/(.+)\/blobs\/uploads\/[^/?]+(\?.*)?$/.exec(r.path);
    if (!m) continue;
    const digest = new URLSearchParams(m[2]?.slice(1) ?? "").get("digest");
    if (!digest || !/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest)) continue;
    out.push({ repository: m[1]!, digest });
  }
  return out;
}

export interface Descriptor {
  digest: string;
  size: number;
  mediaType?: string;
}

export interface ImageManifest {
  config: Descriptor;
  layers: Descriptor[];
}

/** A Docker v2 schema 2 or OCI image manifest (not an index: push a single-platform image). */
export function parseImageManifest(json: string): ImageManifest {
  const m = JSON.parse(json) as { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: unknown[] };
  if (Array.isArray(m.manifests))
    throw new Error(`an image index (${m.mediaType ?? "no media type"}), not an image manifest: cannot tell its layers without choosing a platform`);
  if (!m.config || !Array.isArray(m.layers)) throw new Error("not an image manifest: no config or layers");
  return { config: m.config, layers: m.layers };
}

export interface UploadAccount {
  layerBlobs: number;
  layerBytes: number;
  /** Image configurations, and blobs no pushed manifest refers to. */
  otherBlobs: number;
  otherBytes: number;
  totalBytes: number;
  layerDigests: string[];
  /** Uploaded blobs whose size is unknown (neither in a manifest nor in `sizes`): not counted. */
  unknown: string[];
}

/**
 * Weighs the uploads. Sizes come from the manifests' descriptors, else from `sizes` (the
 * registry's Content-Length of the blob). The same blob uploaded twice (to two repositories, or
 * again after a failure) counts twice: both crossed the network.
 */
export function accountUploads(
  uploads: readonly BlobUpload[],
  manifests: readonly ImageManifest[],
  sizes: ReadonlyMap<string, number> = new Map(),
): UploadAccount {
  const layerSize = new Map<string, number>();
  const otherSize = new Map<string, number>(sizes);
  for (const m of manifests) {
    for (const l of m.layers) layerSize.set(l.digest, l.size);
    otherSize.set(m.config.digest, m.config.size);
  }
  const account: UploadAccount = { layerBlobs: 0, layerBytes: 0, otherBlobs: 0, otherBytes: 0, totalBytes: 0, layerDigests: [], unknown: [] };
  for (const u of uploads) {
    const asLayer = layerSize.get(u.digest);
    if (asLayer !== undefined) {
      account.layerBlobs++;
      account.layerBytes += asLayer;
      account.layerDigests.push(u.digest);
      continue;
    }
    const size = otherSize.get(u.digest) ?? sizes.get(u.digest);
    if (size === undefined) {
      account.unknown.push(u.digest);
      continue;
    }
    account.otherBlobs++;
    account.otherBytes += size;
  }
  account.totalBytes = account.layerBytes + account.otherBytes;
  return account;
}

/** Layers of `next` that `previous` does not have: what an ideal push of `next` uploads. */
export function changedLayers(previous: ImageManifest | undefined, next: ImageManifest): Descriptor[] {
  const before = new Set((previous?.layers ?? []).map((l) => l.digest));
  return next.layers.filter((l) => !before.has(l.digest));
}

/** `0 B`, `812 B`, `4.1 kB`, `20.3 MB` (decimal units, as registries and Docker print them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
