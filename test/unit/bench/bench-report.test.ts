import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  aggregate,
  benchTable,
  evaluateTargets,
  oneLineChange,
  ratio,
  type BenchCase,
  type Contender,
  type Measurement,
} from "../../../scripts/bench/bench-report.ts";
import type { UploadAccount } from "../../../scripts/bench/bytes.ts";
import { depsMegabytes, withArgDefault } from "../../../scripts/bench/dockerfile.ts";

const uploads = (layerBytes: number, layerDigests: string[], otherBytes = 3000): UploadAccount => ({
  layerBlobs: layerDigests.length,
  layerBytes,
  otherBlobs: 1,
  otherBytes,
  totalBytes: layerBytes + otherBytes,
  layerDigests,
  unknown: [],
});

const m = (run: number, c: BenchCase, contender: Contender, wallMs: number, scriptMs: number, up: UploadAccount, changed: string[] = []): Measurement => ({
  run,
  case: c,
  contender,
  wallMs,
  scriptMs,
  uploads: up,
  changedLayers: changed,
});

const NAIVE = uploads(21_000_000, ["d1", "d2", "d3", "d4"]);

function sample(oursChangeWall: number): Measurement[] {
  return [
    m(1, "cold", "naive", 11_000, 8_000, NAIVE),
    m(1, "cold", "ours", 12_000, 9_000, NAIVE),
    m(1, "change", "naive", 12_000, 8_000, NAIVE),
    m(1, "change", "ours", oursChangeWall, oursChangeWall - 3000, uploads(425, ["src"]), ["src"]),
    m(1, "nochange", "naive", 12_000, 8_000, NAIVE),
    m(1, "nochange", "ours", 7_000, 4_000, uploads(0, [])),
  ];
}

describe("bench:build report", () => {
  it("takes medians per case and job over the runs", () => {
    const ms = [m(1, "cold", "naive", 10_000, 5_000, NAIVE), m(2, "cold", "naive", 30_000, 6_000, NAIVE), m(3, "cold", "naive", 12_000, 7_000, NAIVE)];
    expect(aggregate(ms)).toEqual([
      { case: "cold", contender: "naive", runs: 3, wallMs: 12_000, scriptMs: 6_000, totalBytes: 21_003_000, layerBytes: 21_000_000, layerBlobs: 4 },
    ]);
  });

  it("prints a row per case and job with the ours/naive ratios on build-push's rows", () => {
    const lines = benchTable(aggregate(sample(8_000))).split("\n");
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(
      /^\| case +\| job +\| job wall \| script \| uploaded \| layer blobs \| layer bytes \| wall ours\/naive \| script ours\/naive \| bytes ours\/naive \|$/,
    );
    expect(lines[4]).toMatch(/^\| one-line change +\| naive \(guide\) +\| +12\.0s \| +8\.0s \| +21\.0 MB \| +4 \| +21\.0 MB \| +\| +\| +\|$/);
    expect(lines[5]).toMatch(/^\| one-line change +\| build-push +\| +8\.0s \| +5\.0s \| +3\.4 kB \| +1 \| +425 B \| +0\.67 \| +0\.63 \| +0\.00 \|$/);
    expect(ratio(0, 0)).toBe("-");
  });

  it("reports each target as met or missed, with the numbers", () => {
    const missed = evaluateTargets(sample(8_000), aggregate(sample(8_000)));
    expect(missed.map((t) => [t.target, t.met])).toEqual([
      ["no change: build-push uploads 0 layer bytes", true],
      ["one-line change: build-push takes at most 1/3 of the naive job's time", false],
      ["one-line change: build-push uploads only the changed layer", true],
      ["no change: build-push takes at most 1/4 of the naive job's time", false],
      ["cold: build-push takes at most 1.1 times the naive job's time", true],
    ]);
    expect(missed[3]!.detail).toBe("job wall 7.0s vs 12.0s = 0.58; script only 4.0s vs 8.0s = 0.50");
    expect(missed[4]!.detail).toBe("job wall 12.0s vs 11.0s = 1.09; script only 9.0s vs 8.0s = 1.13");
    expect(missed[1]!.detail).toBe("job wall 8.0s vs 12.0s = 0.67; script only 5.0s vs 8.0s = 0.63 (above 1/3)");
    const met = evaluateTargets(sample(4_000), aggregate(sample(4_000)));
    expect(met[1]!.met).toBe(true);
  });

  it("misses the layer targets when a layer was uploaded without a change, or more than the changed one", () => {
    const ms = sample(4_000);
    ms[5] = m(1, "nochange", "ours", 7_000, 4_000, uploads(500, ["x"]));
    ms[3] = m(1, "change", "ours", 4_000, 1_000, uploads(21_000_425, ["deps", "src"]), ["src"]);
    const t = evaluateTargets(ms, aggregate(ms));
    expect(t[0]).toMatchObject({ met: false, detail: "1 layer blob(s), 500 B at most over 1 run(s)" });
    expect(t[2]).toMatchObject({ met: false, detail: "run 1: uploaded 2 layer blob(s) (21.0 MB); 1 layer(s) differ from the previous image" });
  });

  it("changes exactly the greeting line of the bench app's source", () => {
    const source = readFileSync(new URL("../../../examples/bench-app/src/app", import.meta.url), "utf8");
    const changed = oneLineChange(source, "revision 1234abcd");
    const diff = source.split("\n").filter((l, i) => changed.split("\n")[i] !== l);
    expect(diff).toEqual(['greeting="Hello from examples/bench-app"']);
    expect(changed).toContain('greeting="Hello from examples/bench-app (revision 1234abcd)"');
    expect(oneLineChange(changed, "revision 99")).toContain('greeting="Hello from examples/bench-app (revision 99)"');
  });

  it("changes the builder app's greeting too; its dependency step sits in the builder stage only", () => {
    const source = readFileSync(new URL("../../../examples/builder-app/src/app", import.meta.url), "utf8");
    expect(oneLineChange(source, "r1")).toContain('greeting="Hello from examples/builder-app (r1)"');
    const dockerfile = readFileSync(new URL("../../../examples/builder-app/Dockerfile", import.meta.url), "utf8");
    // The builder stage, then the final stage (the one `FROM ${BASE}` without a name).
    const stages = dockerfile.split(/^FROM \$\{BASE\}$/m);
    expect(stages).toHaveLength(2);
    const [build, final] = stages as [string, string];
    expect(dockerfile).toMatch(/^FROM \$\{BASE\} AS build$/m);
    expect(build).toContain("ARG DEPS_INSTALL_SECONDS=");
    expect(final).toMatch(/COPY --from=build /);
    expect(final).not.toContain("deps");
    expect(depsMegabytes(readFileSync(new URL("../../../examples/builder-app/deps.txt", import.meta.url), "utf8"))).toBe(20);
    expect(() => oneLineChange("echo hi\n", "r")).toThrow(/no `greeting=` line/);
  });

  it("sets the bench app's ARG defaults (the naive job passes no build argument)", () => {
    const dockerfile = readFileSync(new URL("../../../examples/bench-app/Dockerfile", import.meta.url), "utf8");
    const edited = withArgDefault(withArgDefault(dockerfile, "BASE", "harbor.test/dockerhub/library/debian:trixie-slim"), "DEPS_INSTALL_SECONDS", "30");
    expect(edited).toMatch(/^ARG BASE=harbor\.test\/dockerhub\/library\/debian:trixie-slim$/m);
    expect(edited).toMatch(/^ARG DEPS_INSTALL_SECONDS=30$/m);
    expect(edited.split("\n")).toHaveLength(dockerfile.split("\n").length);
    expect(() => withArgDefault("FROM x\n", "BASE", "y")).toThrow("no `ARG BASE=...` line");
  });

  it("knows the size of the bench app's dependencies", () => {
    expect(depsMegabytes(readFileSync(new URL("../../../examples/bench-app/deps.txt", import.meta.url), "utf8"))).toBe(20);
    expect(() => depsMegabytes("a lot\n")).toThrow(/not "name size-in-MB"/);
  });
});
