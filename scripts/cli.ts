// harbor-ci: one entry point, one module per command under scripts/commands/.
// Commands are imported lazily so that `render` does not pay for the TypeScript compiler.

import type { Command } from "./commands/command.ts";

const commands: Record<string, () => Promise<{ command: Command }>> = {
  generate: () => import("./commands/generate.ts"),
  check: () => import("./commands/check.ts"),
  render: () => import("./commands/render.ts"),
  validate: () => import("./commands/validate.ts"),
  "release-notes": () => import("./commands/release-notes.ts"),
  setup: () => import("./commands/setup.ts"),
  versions: () => import("./commands/versions.ts"),
  lint: () => import("./commands/lint.ts"),
  scan: () => import("./commands/scan.ts"),
};

async function usage(): Promise<string> {
  const rows = await Promise.all(Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(14)} ${(await load()).command.summary}`));
  return [
    "Usage: harbor-ci <command> [options]",
    "",
    "Commands:",
    ...rows,
    "",
    "Run `harbor-ci <command> --help` for a command's options and examples.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  // --debug anywhere: stack traces of unexpected failures are shown (lib/failure.ts).
  if (argv.includes("--debug")) {
    process.env.HARBOR_CI_DEBUG = "1";
    argv = argv.filter((a) => a !== "--debug");
  }
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write((await usage()) + "\n");
    return name === undefined ? 1 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`harbor-ci: unknown command \`${name}\`\n\n${await usage()}\n`);
    return 1;
  }
  const { command } = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.help.trimEnd() + "\n");
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    // Any failure of any command: a coded problem, no stack trace (unless --debug).
    const { describeFailure, debugEnabled } = await import("./lib/failure.ts");
    const { text, exitCode } = describeFailure(e, debugEnabled(process.env));
    process.stderr.write(text + "\n");
    return exitCode;
  }
}
