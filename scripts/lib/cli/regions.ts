// Generated regions of hand-written docs: the text between a BEGIN and an END marker is written by
// `npm run generate` and compared by `npm run check`; the rest is left as written (as
// eslint-doc-generator does).

export interface RegionMarkers {
  begin: string;
  end: string;
}

/** The text with the region between the markers replaced by `body`; undefined when a marker is missing. */
export function withRegion(text: string, markers: RegionMarkers, body: string): string | undefined {
  const b = text.indexOf(markers.begin);
  const e = text.indexOf(markers.end, b);
  if (b < 0 || e < 0) return undefined;
  return text.slice(0, b + markers.begin.length) + "\n" + body + text.slice(e);
}
