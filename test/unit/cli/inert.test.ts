import { describe, expect, it } from "vitest";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";
import { inert, inertLines, inertProblem } from "../../../scripts/lib/cli/inert.ts";

describe("inert: untrusted text shown, never obeyed, by a terminal", () => {
  it("shows ESC sequences (clear screen, OSC 8 links), C0 and C1 controls and DEL as \\x escapes", () => {
    expect(inert("a\u001b[2Jb")).toBe("a\\x1b[2Jb");
    expect(inert("\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007")).toBe("\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07");
    expect(inert("\u009b31m\u0085\u007f")).toBe("\\x9b31m\\x85\\x7f");
    expect(inert("line\nfake: passed\r")).toBe("line\\x0afake: passed\\x0d");
    expect(inert("abc\u202eevil")).toBe("abc\\u202eevil");
  });

  it("leaves printable text, including non-ASCII letters, as it is", () => {
    expect(inert("openssl 3.0.11-1 -> fixed in 3.0.13 é ü 漢字 \u{1F600}")).toBe("openssl 3.0.11-1 -> fixed in 3.0.13 é ü 漢字 \u{1F600}");
  });

  it("keeps our own line breaks in a multi-line text and escapes the rest", () => {
    expect(inertLines("a\u001b[2J\nb\tc")).toBe("a\\x1b[2J\nb\\x09c");
  });

  it("makes an error's texts inert and keeps its code and exit code", () => {
    const e = inertProblem(new CliError({ code: "X", message: "m\u001b[2J", actual: "\u009b", fix: "f", exitCode: 3 })) as CliError;
    expect(e).toMatchObject({ code: "X", message: "m\\x1b[2J", actual: "\\x9b", fix: "f", exitCode: 3 });
  });
});
