import { describe, expect, it } from "vitest";
import { checkSubsystems, MAX_TOP_LEVEL_FILES } from "../../../scripts/lib/toolchain/subsystems.ts";

const codes = (d: Array<{ code: string }>) => d.map((x) => x.code);

describe("subsystem rules of scripts/lib", () => {
  it("accepts an import a subsystem is allowed (validate -> ci)", () => {
    const files = ["scripts/lib/validate/pipeline.ts", "scripts/lib/ci/render.ts"];
    expect(checkSubsystems(files, [{ from: files[0] as string, to: files[1] as string, line: 3 }])).toEqual([]);
  });

  it("refuses the GitLab CI model importing an HTTP client", () => {
    const d = checkSubsystems([], [{ from: "scripts/lib/ci/render.ts", to: "scripts/lib/http/request.ts", line: 7 }]);
    expect(codes(d)).toEqual(["SUBSYSTEM_IMPORT"]);
    expect(d[0]).toMatchObject({ file: "scripts/lib/ci/render.ts", line: 7 });
    expect(d[0]?.fix).toContain("subsystems.ts");
  });

  it("refuses a folder that is not a declared subsystem", () => {
    expect(codes(checkSubsystems(["scripts/lib/misc/thing.ts"], []))).toEqual(["UNKNOWN_SUBSYSTEM"]);
  });

  it("refuses a flat scripts/lib with more than the allowed files", () => {
    const files = Array.from({ length: MAX_TOP_LEVEL_FILES + 1 }, (_, i) => `scripts/lib/f${i}.ts`);
    expect(codes(checkSubsystems(files, []))).toEqual(["FLAT_LIB"]);
  });

  it("refuses a path from the installed CLI to the toolchain, but not through a developer command", () => {
    const edges = [
      { from: "scripts/cli.ts", to: "scripts/commands/lint.ts", line: 1 },
      { from: "scripts/commands/lint.ts", to: "scripts/lib/toolchain/template-rules.ts", line: 4 },
      { from: "scripts/cli.ts", to: "scripts/commands/check.ts", line: 2 },
      { from: "scripts/commands/check.ts", to: "scripts/lib/toolchain/toolchain.ts", line: 5 },
    ];
    const d = checkSubsystems([], edges);
    expect(codes(d)).toEqual(["TOOLCHAIN_IN_PACKAGE"]);
    expect(d[0]?.actual).toBe("scripts/cli.ts -> scripts/commands/lint.ts -> scripts/lib/toolchain/template-rules.ts");
  });
});
