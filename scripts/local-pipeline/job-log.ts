// A job's live log on the terminal: prefixed lines, filtered by LogFilter (summary or verbose).
import { LineSplitter, LogFilter, prefixLine, type LogMode } from "./log-view.ts";

export interface JobLogStream {
  /** For runJob's `onLog`. */
  onLog: (chunk: string) => void;
  /** Prints what is left of an unterminated last line. */
  flush: () => void;
}

export function jobLogStream(job: string, width: number, mode: LogMode, write: (line: string) => void, opts: { timestamps?: boolean } = {}): JobLogStream {
  const splitter = new LineSplitter();
  const filter = new LogFilter(mode);
  const started = Date.now();
  const show = (raw: string): void => {
    const line = filter.line(raw);
    if (line === undefined) return;
    const stamp = opts.timestamps ? `+${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s ` : "";
    write(prefixLine(job, width, stamp + line));
  };
  return {
    onLog: (chunk) => splitter.push(chunk).forEach(show),
    flush: () => splitter.flush().forEach(show),
  };
}
