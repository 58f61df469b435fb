// Every size the docs state about the package's tarball, measured: `npm pack --dry-run` builds
// and lists the package exactly as the release packs it. A bound ("under 200 kB") must hold; a
// plain figure ("about 160 kB") must be within 10% of what npm packs today.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../scripts/lib/project.ts";
import { docFiles, readDoc, sentences } from "../docs-text.ts";

interface SizeClaim {
  at: string;
  sentence: string;
  kind: "at most" | "at least" | "about";
  bytes: number;
}

const UNITS: Record<string, number> = { B: 1, kB: 1000, KB: 1000, KiB: 1024, MB: 1000 ** 2, MiB: 1024 ** 2 };
const SIZE = /(?:\b(under|below|less than|at most|up to|over|above|more than|at least)\s+|([<>≤≥])\s*)?\**(\d+(?:\.\d+)?)\s*(B|kB|KB|KiB|MB|MiB)\b/g;

/** The sizes a text states about the tarball (sentences that name it), with their direction. */
function tarballClaims(file: string, text: string): SizeClaim[] {
  const claims: SizeClaim[] = [];
  for (const s of sentences(text)) {
    if (!/\b(tarball|packed package|package size)\b/i.test(s.text)) continue;
    for (const m of s.text.matchAll(SIZE)) {
      const word = (m[1] ?? m[2] ?? "").toLowerCase();
      const kind = /under|below|less|most|up to|<|≤/.test(word) ? "at most" : /over|above|more|least|>|≥/.test(word) ? "at least" : "about";
      claims.push({ at: `${file}:${s.line}`, sentence: s.text, kind, bytes: Number(m[3]) * UNITS[m[4]!]! });
    }
  }
  return claims;
}

function holds(claim: SizeClaim, size: number): boolean {
  if (claim.kind === "at most") return size <= claim.bytes;
  if (claim.kind === "at least") return size >= claim.bytes;
  return Math.abs(size - claim.bytes) <= claim.bytes * 0.1;
}

describe("the package's size, as the docs state it", () => {
  it("reads bounds and figures from sentences about the tarball, and nothing else", () => {
    const text = "The packed tarball is under 200 kB (checked).\n\nAn image layer of 21 MB.\n\nThe tarball: about 1.5 MB.";
    expect(tarballClaims("x.md", text).map(({ kind, bytes }) => ({ kind, bytes }))).toEqual([
      { kind: "at most", bytes: 200_000 },
      { kind: "about", bytes: 1_500_000 },
    ]);
    expect(holds({ at: "", sentence: "", kind: "at most", bytes: 200_000 }, 210_000)).toBe(false);
    expect(holds({ at: "", sentence: "", kind: "about", bytes: 95_000 }, 165_000)).toBe(false);
  });

  it("every tarball size stated in the docs holds for what `npm pack` packs today", () => {
    const claims = docFiles().flatMap((f) => tarballClaims(f, readDoc(f)));
    expect(claims.length, "docs/cli.md states a bound on the tarball's size; keep one, measured here").toBeGreaterThan(0);
    const r = spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: projectRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, r.stderr).toBe(0);
    // npm prints the prepack build's output before the JSON: the JSON is the last array.
    const json = r.stdout.slice(r.stdout.lastIndexOf("\n[") + 1);
    const [packed] = JSON.parse(json) as Array<{ size: number; unpackedSize: number }>;
    const wrong = claims
      .filter((c) => !holds(c, packed!.size))
      .map((c) => `${c.at}: says ${c.kind} ${c.bytes} bytes, npm pack gives ${packed!.size} bytes: update the sentence (${c.sentence})`);
    expect(wrong).toEqual([]);
  }, 180_000);
});
