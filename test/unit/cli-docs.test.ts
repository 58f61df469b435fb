// The CLI's help and docs/cli.md do not contradict each other: every command of `harbor-ci --help`
// has a section in docs/cli.md, and each command's options in `harbor-ci <command> --help` are the
// options in the first column of its section's tables, both ways.
import { describe, expect, it, vi } from "vitest";
import { main } from "../../scripts/cli.ts";
import { readDoc } from "../docs-text.ts";

const DOC = "docs/cli.md";

/** What the CLI prints on stdout for these arguments, run in this process. */
async function cliOutput(argv: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  try {
    return { code: await main(argv), out };
  } finally {
    write.mockRestore();
  }
}

/** The command names under `Commands:` in `harbor-ci --help`. */
function commandsOfUsage(usage: string): string[] {
  const lines = usage.split("\n");
  const start = lines.findIndex((l) => l.trim() === "Commands:");
  const names: string[] = [];
  for (const l of lines.slice(start + 1)) {
    const m = /^ {2}([a-z][a-z-]*)\s/.exec(l);
    if (!m) break;
    names.push(m[1]!);
  }
  return names;
}

const OPTION = /(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])/g;

/**
 * The options a command's --help names: those of its `Usage:` line, and the term of each entry of
 * its option sections (`Options:`, `Network options:`): the lines at the section's own indentation
 * that start with `-`, up to two spaces.
 */
function optionsOfHelp(help: string): string[] {
  const found = new Set<string>();
  const lines = help.split("\n");
  for (const l of lines.filter((x) => x.startsWith("Usage:"))) for (const m of l.matchAll(OPTION)) found.add(m[1]!);
  let indent: number | undefined;
  let inSection = false;
  for (const l of lines) {
    if (/^(?:\S.* )?options:\s*$/i.test(l)) {
      inSection = true;
      indent = undefined;
      continue;
    }
    if (!inSection) continue;
    // A blank line after the entries, or a line at the margin, ends the section.
    if (l.trim() === "") {
      if (indent !== undefined) inSection = false;
      continue;
    }
    if (!/^\s/.test(l)) {
      inSection = false;
      continue;
    }
    const own = l.length - l.trimStart().length;
    indent ??= own;
    if (own !== indent || !l.trimStart().startsWith("-")) continue;
    const term = l.trimStart().split(/ {2,}/)[0]!;
    for (const m of term.matchAll(OPTION)) found.add(m[1]!);
  }
  return [...found].sort();
}

/** The section of docs/cli.md for each command: `## \`harbor-ci <name>\`...` up to the next `## `. */
function docSections(doc: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = doc.split(/^(?=## )/m);
  for (const part of parts) {
    const m = /^## `harbor-ci ([a-z][a-z-]*)`/.exec(part);
    if (m) sections.set(m[1]!, part);
  }
  return sections;
}

/** The options a section documents: code spans starting with `-` in the first cell of its table rows. */
function optionsOfDocSection(section: string): string[] {
  const found = new Set<string>();
  for (const l of section.split("\n")) {
    if (!l.startsWith("|") || /^\|\s*-+\s*\|/.test(l)) continue;
    const first = l.slice(1).split(/(?<!\\)\|/)[0]!;
    for (const span of first.matchAll(/`([^`]+)`/g)) {
      const m = /^(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])/.exec(span[1]!);
      if (m) found.add(m[1]!);
    }
  }
  return [...found].sort();
}

/** What one side names and the other does not. */
function disagreement(help: string[], docs: string[]) {
  return {
    "in --help, not in docs/cli.md": help.filter((o) => !docs.includes(o)),
    "in docs/cli.md, not in --help": docs.filter((o) => !help.includes(o)),
  };
}

const AGREE = { "in --help, not in docs/cli.md": [], "in docs/cli.md, not in --help": [] };

describe("the readers of help texts and docs", () => {
  it("reads a help text's options: the usage line and each entry's term, not the descriptions", () => {
    const help = `Usage: harbor-ci thing <x> [--alpha A] [--beta]

Does things; --not-an-entry in prose is not read.

Options:
  --gamma <n>        One; mentions --delta in its description.
                     --epsilon on a continuation line is not an entry.
  -v, --verbose      Two.

Network options:
  --retries <n>      Three.

Environment:
  --zeta             not an option section.`;
    expect(optionsOfHelp(help)).toEqual(["--alpha", "--beta", "--gamma", "--retries", "--verbose", "-v"]);
  });

  it("reads a doc section's options from the first column only", () => {
    const section =
      "## `harbor-ci thing`: x\n\n| Option | |\n| --- | --- |\n| `--a <n>` (4), `--b` | mentions `--c` |\n| `-v`, `--verbose` | x |\n| `ENV_VAR` | not an option |\n";
    expect(optionsOfDocSection(section)).toEqual(["--a", "--b", "--verbose", "-v"]);
  });

  it("names the options one side lacks, both ways", () => {
    expect(disagreement(["--a", "--b"], ["--b", "--c"])).toEqual({ "in --help, not in docs/cli.md": ["--a"], "in docs/cli.md, not in --help": ["--c"] });
  });
});

// The commands come from the CLI itself, so a new command is compared as soon as it exists.
const usage = await cliOutput(["--help"]);
const commands = commandsOfUsage(usage.out);

describe("harbor-ci --help and docs/cli.md", () => {
  const sections = docSections(readDoc(DOC));

  it("document the same commands", () => {
    expect(usage.code).toBe(0);
    expect(commands.length).toBeGreaterThan(0);
    expect([...sections.keys()].sort(), `each command of harbor-ci --help has a "## \`harbor-ci <command>\`" section in ${DOC}`).toEqual([...commands].sort());
  });

  for (const name of commands) {
    it(`${name}: --help and docs/cli.md list the same options`, async () => {
      const help = await cliOutput([name, "--help"]);
      expect(help.code).toBe(0);
      const section = sections.get(name);
      expect(section, `${DOC} has a section for harbor-ci ${name}`).toBeDefined();
      expect(disagreement(optionsOfHelp(help.out), optionsOfDocSection(section!)), `harbor-ci ${name}`).toEqual(AGREE);
    });
  }
});
