// One error shape for every check: a stable code, where, what was expected and found, and the fix.

export interface Location {
  file: string;
  /** 1-based; 0 when the problem is the whole file. */
  line: number;
  /** 1-based; 0 when the problem is the whole line or file. */
  column: number;
}

export interface Diagnostic extends Location {
  code: string;
  message: string;
  expected?: string;
  actual?: string;
  fix?: string;
  severity: "error" | "warning";
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column || 1}` : d.file;
  const lines = [`${where}: ${d.severity} ${d.code}: ${d.message}`];
  if (d.expected !== undefined) lines.push(`  expected: ${d.expected}`);
  if (d.actual !== undefined) lines.push(`  actual:   ${d.actual}`);
  if (d.fix !== undefined) lines.push(`  fix:      ${d.fix}`);
  return lines.join("\n");
}

/** Thrown where a check cannot go on; carries its diagnostics. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "DiagnosticError";
  }
}

/** 1-based line and column of a character offset in a text. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
