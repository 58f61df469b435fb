// How a job's log is shown while it runs: every line prefixed with the job name; in the default
// (summary) mode only what GitLab shows expanded: the titles of collapsible sections, what runs
// outside collapsed sections, BuildKit's step lines, errors and warnings. `--verbose` shows
// every line. Pure: chunks in, display lines out.

// GitLab's section markers: ESC[0Ksection_start:<time>:<name>[options]\rESC[0K<title>
const SECTION_START = /\x1b\[0Ksection_start:(\d+):([^[\r\s]+)(\[[^\]]*\])?\r\x1b\[0K(.*)$/;
const SECTION_END = /\x1b\[0Ksection_end:(\d+):([^\r\s]+)\r\x1b\[0K$/;
// CSI sequences (colours, erase line) and stray carriage returns.
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "").replace(/\r/g, "");
}

export type SectionMarker = { kind: "start"; name: string; title: string; collapsed: boolean } | { kind: "end"; name: string };

export function parseSectionMarker(line: string): SectionMarker | undefined {
  const start = SECTION_START.exec(line);
  if (start) return { kind: "start", name: start[2]!, title: stripAnsi(start[4]!), collapsed: (start[3] ?? "").includes("collapsed=true") };
  const end = SECTION_END.exec(line);
  if (end) return { kind: "end", name: end[2]! };
  return undefined;
}

/** Splits a stream of chunks into complete lines. */
export class LineSplitter {
  private pending = "";

  push(chunk: string): string[] {
    this.pending += chunk;
    const lines = this.pending.split("\n");
    this.pending = lines.pop() ?? "";
    return lines;
  }

  flush(): string[] {
    const rest = this.pending;
    this.pending = "";
    return rest === "" ? [] : [rest];
  }
}

export type LogMode = "summary" | "verbose";

/** BuildKit `--progress=plain` lines worth a summary: the steps, cache hits, cache imports, errors. */
function isBuildStepLine(line: string): boolean {
  if (!/^#\d+ /.test(line)) return false;
  if (/^#\d+ \[(?!internal\])[^\]]*\] /.test(line)) return true; // "#7 [3/5] RUN ..." (not "[internal] load ...")
  return /^#\d+ (CACHED|ERROR|importing cache manifest)/.test(line);
}

function isAlert(line: string): boolean {
  return /^(ERROR|WARNING|\*\*\* WARNING)\b/.test(line) || /^hci-dind: WARNING/.test(line);
}

/**
 * Turns one job's raw log lines into display lines (without the prefix). Keeps track of the
 * open sections: lines inside a collapsed section are hidden in summary mode.
 */
export class LogFilter {
  private readonly sections: { name: string; collapsed: boolean }[] = [];

  constructor(readonly mode: LogMode = "summary") {}

  /** The line to display, or undefined to hide it. */
  line(raw: string): string | undefined {
    const marker = parseSectionMarker(raw);
    if (marker?.kind === "start") {
      this.sections.push({ name: marker.name, collapsed: marker.collapsed });
      return `> ${marker.title}`;
    }
    if (marker?.kind === "end") {
      const i = this.sections.map((s) => s.name).lastIndexOf(marker.name);
      if (i >= 0) this.sections.splice(i);
      return undefined;
    }
    const line = stripAnsi(raw);
    if (this.mode === "verbose") return line;
    if (isAlert(line)) return line;
    if (line.trim() === "") return undefined;
    if (this.sections.some((s) => s.collapsed)) return undefined;
    if (/^#\d+ /.test(line)) return isBuildStepLine(line) ? line : undefined;
    // BuildKit repeats each failed cache import at the end of the build ("------", " > importing
    // cache manifest from …:", "------"): already shown with its step.
    if (line === "------" || /^ > importing cache manifest from /.test(line)) return undefined;
    return line;
  }
}

/** Prefixes each display line with the job name, padded so that the logs of all jobs align. */
export function prefixLine(job: string, width: number, line: string): string {
  return `[${job}]`.padEnd(width + 2) + ` ${line}`;
}

/** The last `n` non-empty lines of a log, without escape sequences and section markers. */
export function logTail(log: string, n: number): string[] {
  const lines: string[] = [];
  for (const raw of log.split("\n")) {
    const marker = parseSectionMarker(raw);
    if (marker?.kind === "end") continue;
    const line = marker?.kind === "start" ? `> ${marker.title}` : stripAnsi(raw);
    if (line.trim() !== "") lines.push(line);
  }
  return lines.slice(-n);
}
