// A generated region of a hand-written doc, planned for generate/check: the doc with the region
// filled, or DOCS_MARKERS_MISSING. A bare copy of the templates (check --root in tests and
// benchmarks) has no docs to fill: nothing is planned there.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../cli/diagnostics.ts";
import { type RegionMarkers, withRegion } from "../cli/regions.ts";

export interface DocRegion {
  /** The doc, relative to the project root. */
  doc: string;
  markers: RegionMarkers;
  /** What the region holds, for the message ("generated package facts"). */
  what: string;
  /** Where the markers belong, for the fix ("its install section"). */
  where: string;
  body: () => string;
}

export function planDocRegion(
  root: string,
  rel: (path: string) => string,
  region: DocRegion,
): { files: Array<{ path: string; content: string }>; diagnostics: Diagnostic[] } {
  const docPath = join(root, region.doc);
  if (!existsSync(docPath)) return { files: [], diagnostics: [] };
  const next = withRegion(readFileSync(docPath, "utf8"), region.markers, region.body());
  if (next !== undefined) return { files: [{ path: docPath, content: next }], diagnostics: [] };
  return {
    files: [],
    diagnostics: [
      {
        code: "DOCS_MARKERS_MISSING",
        severity: "error",
        file: rel(docPath),
        line: 0,
        column: 0,
        message: `${region.doc} has no ${region.what}`,
        expected: `${region.markers.begin} ... ${region.markers.end}`,
        fix: `add the two marker lines to ${region.where}, then run \`npm run generate\``,
      },
    ],
  };
}
