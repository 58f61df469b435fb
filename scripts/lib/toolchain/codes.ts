// Error codes of the developer toolchain (`npm run generate`, `npm run check`), one table as the
// project's convention asks (scripts/lib/cli/codes.ts).
import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  FUNCTION_TOO_LONG: {
    summary: "a function in scripts/ or bin/ is longer than 120 lines",
    fix: "split it along its section comments into named steps (functions with a name that says what the step does); shared mutable state becomes one explicit object passed to the steps",
  },
} as const satisfies CodeTable;

export type ToolchainCode = keyof typeof CODES;
