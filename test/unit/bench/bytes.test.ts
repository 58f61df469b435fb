import { describe, expect, it } from "vitest";
import { accountUploads, blobUploadsIn, changedLayers, formatBytes, parseImageManifest, type ImageManifest } from "../../../scripts/bench/bytes.ts";

const d = (c: string): string => `sha256:${c.repeat(64)}`;

const manifest = (config: string, ...layers: [string, number][]): ImageManifest => ({
  config: { digest: d(config), size: 1800 },
  layers: layers.map(([digest, size]) => ({ digest: d(digest), size })),
});

describe("bytes uploaded to the registry", () => {
  it("finds the completed blob uploads in the request log, not mounts, chunks or failures", () => {
    const requests = [
      { method: "POST", path: "/v2/harbor-ci/my-app/blobs/uploads/", status: 202 },
      { method: "PATCH", path: "/v2/harbor-ci/my-app/blobs/uploads/u1?_state=x", status: 202 },
      { method: "PUT", path: `/v2/harbor-ci/my-app/blobs/uploads/u1?_state=x&digest=sha256%3A${"a".repeat(64)}`, status: 201 },
      { method: "PUT", path: `/v2/team/api/blobs/uploads/u2?digest=${d("b")}`, status: 201 },
      { method: "PUT", path: `/v2/harbor-ci/my-app/blobs/uploads/u3?digest=${d("c")}`, status: 400 },
      { method: "POST", path: `/v2/harbor-ci/my-app/blobs/uploads/?mount=${d("d")}&from=dockerhub/library/debian`, status: 201 },
      { method: "HEAD", path: `/v2/harbor-ci/my-app/blobs/${d("e")}`, status: 200 },
      { method: "PUT", path: "/v2/harbor-ci/my-app/manifests/latest", status: 201 },
    ];
    expect(blobUploadsIn(requests)).toEqual([
      { repository: "harbor-ci/my-app", digest: d("a") },
      { repository: "team/api", digest: d("b") },
    ]);
  });

  it("reads Docker and OCI image manifests, and refuses an index", () => {
    const json = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: { digest: d("c"), size: 10 },
      layers: [{ digest: d("1"), size: 5 }],
    });
    expect(parseImageManifest(json)).toEqual({ config: { digest: d("c"), size: 10 }, layers: [{ digest: d("1"), size: 5 }] });
    expect(() => parseImageManifest(JSON.stringify({ mediaType: "application/vnd.oci.image.index.v1+json", manifests: [] }))).toThrow(/image index/);
  });

  it("splits uploads into layers and configurations, weighed by the manifests' sizes", () => {
    const m = manifest("c", ["1", 30_000_000], ["2", 21_000_000], ["3", 400]);
    const account = accountUploads(
      [
        { repository: "r", digest: d("2") },
        { repository: "r", digest: d("3") },
        { repository: "r", digest: d("c") },
      ],
      [m],
    );
    expect(account).toEqual({
      layerBlobs: 2,
      layerBytes: 21_000_400,
      otherBlobs: 1,
      otherBytes: 1800,
      totalBytes: 21_002_200,
      layerDigests: [d("2"), d("3")],
      unknown: [],
    });
  });

  it("weighs a blob no manifest mentions by its registry size, and reports one of unknown size", () => {
    const account = accountUploads(
      [
        { repository: "r", digest: d("x") },
        { repository: "r", digest: d("y") },
      ],
      [],
      new Map([[d("x"), 123]]),
    );
    expect(account).toMatchObject({ layerBlobs: 0, otherBlobs: 1, otherBytes: 123, totalBytes: 123, unknown: [d("y")] });
  });

  it("counts a blob uploaded twice twice: both crossed the network", () => {
    const m = manifest("c", ["1", 1000]);
    expect(
      accountUploads(
        [
          { repository: "a", digest: d("1") },
          { repository: "b", digest: d("1") },
        ],
        [m],
      ).layerBytes,
    ).toBe(2000);
  });

  it("an unchanged push uploads no layer", () => {
    expect(accountUploads([{ repository: "r", digest: d("c") }], [manifest("c", ["1", 1000])])).toMatchObject({ layerBlobs: 0, layerBytes: 0, otherBlobs: 1 });
  });

  it("tells which layers of an image the previous one did not have", () => {
    const before = manifest("c", ["1", 10], ["2", 20], ["3", 30]);
    const after = manifest("e", ["1", 10], ["2", 20], ["4", 31]);
    expect(changedLayers(before, after)).toEqual([{ digest: d("4"), size: 31 }]);
    expect(changedLayers(undefined, after)).toHaveLength(3);
  });

  it("prints sizes in decimal units", () => {
    expect([0, 999, 1000, 3_449, 21_000_000].map(formatBytes)).toEqual(["0 B", "999 B", "1.0 kB", "3.4 kB", "21.0 MB"]);
  });
});
