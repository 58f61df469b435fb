import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listComponents, projectRoot } from "../../../scripts/lib/project.ts";
import { withInputChecks } from "../../../scripts/lib/toolchain/input-checks.ts";
import { shellBeginMarker, shellEndMarker, withShellBlocks } from "../../../scripts/lib/toolchain/shell-blocks.ts";

const files: Record<string, string> = { "templates/lib/a.sh": "# shellcheck shell=sh\n# --- a ---\necho a\n\necho done\n" };
const read = (p: string) => files[p];
const template = [
  "job:",
  "  script:",
  `    ${shellBeginMarker("templates/lib/a.sh")}`,
  "    - echo stale",
  `    ${shellEndMarker("templates/lib/a.sh")}`,
  "    - echo mine",
  "",
].join("\n");

describe("generated shell blocks", () => {
  it("writes the file as a literal block item between its markers, without its shellcheck directives", () => {
    const { text, diagnostics } = withShellBlocks(template, "t.yml", read);
    expect(diagnostics).toEqual([]);
    expect(text.split("\n").slice(2, 9)).toEqual([
      `    ${shellBeginMarker("templates/lib/a.sh")}`,
      "    - |",
      "      # --- a ---",
      "      echo a",
      "",
      "      echo done",
      `    ${shellEndMarker("templates/lib/a.sh")}`,
    ]);
    expect(text).toContain("    - echo mine\n");
  });

  it("is idempotent, so a hand edit inside a block is the only way to make check see a difference", () => {
    const once = withShellBlocks(template, "t.yml", read).text;
    expect(withShellBlocks(once, "t.yml", read).text).toBe(once);
    const edited = once.replace("echo a", "echo hand-edited");
    expect(withShellBlocks(edited, "t.yml", read).text).toBe(once);
  });

  it("reports a marker naming a missing file, and a block without its end marker", () => {
    const missing = withShellBlocks(template.replaceAll("lib/a.sh", "lib/b.sh"), "t.yml", read);
    expect(missing.diagnostics.map((d) => [d.code, d.line])).toEqual([["SHELL_SOURCE_MISSING", 3]]);
    const open = withShellBlocks(
      template
        .split("\n")
        .filter((l) => !l.includes("<<<"))
        .join("\n"),
      "t.yml",
      read,
    );
    expect(open.diagnostics.map((d) => d.code)).toEqual(["SHELL_BLOCK_UNTERMINATED"]);
  });

  it("keeps the published templates self-contained: every block is already written out", () => {
    for (const c of listComponents().map((component) => component.name)) {
      const path = join(projectRoot, "templates", c, "template.yml");
      const text = readFileSync(path, "utf8");
      const result = withShellBlocks(text, path, (p) => readFileSync(join(projectRoot, p), "utf8"));
      expect(result.diagnostics).toEqual([]);
      expect(result.sources.length).toBeGreaterThan(1);
      // The job's input checks (input-checks.ts) are filled in after the shell blocks.
      const schema = JSON.parse(readFileSync(join(projectRoot, "templates", c, "inputs.schema.json"), "utf8"));
      expect(withInputChecks(result.text, c, schema)).toBe(text);
    }
  });
});
