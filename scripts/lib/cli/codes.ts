// The shape of every subsystem's table of error codes (scripts/lib/<subsystem>/codes.ts): one place
// per subsystem, as eemeli/yaml keeps its ErrorCode union, and the source of docs/errors.md.

export interface CodeInfo {
  /** One line: what went wrong. */
  summary: string;
  /** What usually fixes it (the error itself says more, with the value it saw). */
  fix: string;
}

export type CodeTable = Record<string, CodeInfo>;
