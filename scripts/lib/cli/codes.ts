// The shape of every subsystem's table of error codes (scripts/lib/<subsystem>/codes.ts): one place
// per subsystem, as eemeli/yaml keeps its ErrorCode union, and the source of docs/errors.md.

export interface CodeInfo {
  /** One line: what went wrong. */
  summary: string;
  /** What usually fixes it (the error itself says more, with the value it saw). */
  fix: string;
  /** The exit code, where the code always has the same one (2: usage or configuration). */
  exitCode?: number;
}

export type CodeTable = Record<string, CodeInfo>;

/** Codes of the CLI itself: its entry point, its option parsing, its last line of defence. */
export const CODES = {
  DEVELOPER_COMMAND: {
    summary: "a developer command (generate, check) was run from the installed package, which does not ship what it needs",
    fix: "run it in a clone of the library after `npm ci`",
  },
  INTERNAL: {
    summary: "harbor-ci failed in a way it does not expect: a bug",
    fix: "run the command again with --debug (or HARBOR_CI_DEBUG=1) and report the output",
  },
  OPTION_INVALID: {
    summary: "an option or argument is unknown, malformed, out of range or contradicts another",
    fix: "run `harbor-ci <command> --help` for the options; the error names the one to change",
    exitCode: 2,
  },
} as const satisfies CodeTable;

export type CliCode = keyof typeof CODES;
