// harbor-ci: one entry point, one module per command under scripts/commands/.
// Commands are imported lazily so that `render` does not pay for the TypeScript compiler.

import type { Command } from "./commands/command.ts";

const commands: Record<string, () => Promise<{ command: Command }>> = {
  generate: () => developerCommand("generate", () => import("./commands/generate.ts")),
  check: () => developerCommand("check", () => import("./commands/check.ts")),
  render: () => import("./commands/render.ts"),
  validate: () => import("./commands/validate.ts"),
  "release-notes": () => import("./commands/release-notes.ts"),
  setup: () => import("./commands/setup.ts"),
  versions: () => import("./commands/versions.ts"),
  lint: () => import("./commands/lint.ts"),
  scan: () => import("./commands/scan.ts"),
};

/**
 * `generate` and `check` work on the library's sources (templates/<name>/inputs.ts) with the
 * TypeScript compiler: development dependencies, absent from an installed package. There they say
 * so with a coded error instead of a module-not-found stack trace.
 */
async function developerCommand(name: string, load: () => Promise<{ command: Command }>): Promise<{ command: Command }> {
  try {
    return await load();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw e;
    const { CliError } = await import("./lib/cli/diagnostics.ts");
    const problem = new CliError({
      code: "DEVELOPER_COMMAND",
      message: `\`harbor-ci ${name}\` is a developer command of the library's source checkout: it compiles templates/<name>/inputs.ts with TypeScript, which the installed package does not ship`,
      expected: "a clone of the library with its development dependencies (npm ci)",
      actual: `an installed package (${(e as Error).message.split("\n")[0]})`,
      fix: `run \`npm ci && npm run ${name}\` in a clone of the library`,
      exitCode: 2,
    });
    return {
      command: {
        summary: "(developer command: needs the library's source checkout)",
        help: problem.message,
        run: () => Promise.reject(problem),
      },
    };
  }
}

async function usage(): Promise<string> {
  const rows = await Promise.all(Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(14)} ${(await load()).command.summary}`));
  return [
    "Usage: harbor-ci <command> [options]   (harbor-ci --version prints the version)",
    "",
    "Commands:",
    ...rows,
    "",
    "Run `harbor-ci <command> --help` for a command's options and examples.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  // --debug anywhere: stack traces of unexpected failures are shown (lib/cli/failure.ts).
  if (argv.includes("--debug")) {
    process.env.HARBOR_CI_DEBUG = "1";
    argv = argv.filter((a) => a !== "--debug");
  }
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V") {
    const { packageInfo } = await import("./lib/release/package-info.ts");
    process.stdout.write(packageInfo().version + "\n");
    return 0;
  }
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
    const { describeFailure, debugEnabled } = await import("./lib/cli/failure.ts");
    const { text, exitCode } = describeFailure(e, debugEnabled(process.env));
    process.stderr.write(text + "\n");
    return exitCode;
  }
}
