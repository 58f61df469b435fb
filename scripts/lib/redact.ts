// Secrets never reach the terminal: every line a command prints goes through a Redactor that knows
// the secrets seen so far (tokens from the environment, a robot secret as soon as Harbor returns it).

export const REDACTED = "[REDACTED]";

/** Keys whose values are secrets wherever they appear in a request or response body. */
const SECRET_KEYS = /^(password|secret|token|private[-_]?token|access[-_]?token|authorization)$/i;

/** Token shapes worth hiding even when nobody registered them (GitLab personal/project tokens). */
const TOKEN_PATTERNS = [/\bglpat-[\w-]{16,}/g, /\bgl(?:oas|dt|rt|ptt|cbt|ft|imt|agent|soat)-[\w-]{16,}/g];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers a secret; values shorter than 4 characters are ignored (they would mangle text). */
  add(secret: string | undefined): this {
    if (secret && secret.length >= 4) {
      this.secrets.add(secret);
      // Also its percent-encoded form, as it would stand inside a URL. (Nothing prints an
      // Authorization header: requests are logged without headers.)
      this.secrets.add(encodeURIComponent(secret));
    }
    return this;
  }

  scrub(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another one is replaced whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    for (const p of TOKEN_PATTERNS) out = out.replace(p, REDACTED);
    return out;
  }

  /** A copy of a JSON-like value with secret keys and known secrets replaced. */
  redactValue(value: unknown): unknown {
    if (typeof value === "string") return this.scrub(value);
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v));
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          SECRET_KEYS.test(k) && v !== undefined && v !== null && v !== "" ? REDACTED : this.redactValue(v),
        ]),
      );
    }
    return value;
  }
}

/** A writer that scrubs everything it is given. */
export function redactingWriter(write: (s: string) => void, redactor: Redactor): (s: string) => void {
  return (s: string) => write(redactor.scrub(s));
}
