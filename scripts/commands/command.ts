// What every command module exports as `command`; its own module so that the commands and the
// CLI that loads them do not import each other.
export interface Command {
  /** One line for the command list. */
  summary: string;
  /** Full --help text, with examples. */
  help: string;
  run(argv: string[]): Promise<number>;
}
