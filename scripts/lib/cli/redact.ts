// Secrets never reach the terminal: every line a command prints goes through a Redactor that knows
// the secrets seen so far (tokens from the environment, a robot secret as soon as Harbor returns it).

export const REDACTED = "[REDACTED]";

/** Keys whose values are secrets wherever they appear in a request or response body. */
const SECRET_KEYS = /^(password|secret|token|private[-_]?token|access[-_]?token|authorization)$/i;

/** Token shapes worth hiding even when nobody registered them (GitLab personal/project tokens). */
const TOKEN_PATTERNS = [/\bglpat-[\w-]{16,}/g, /\bgl(?:oas|dt|rt|ptt|cbt|ft|imt|agent|soat)-[\w-]{16,}/g];

/**
 * `scheme://user:password@host` or `scheme://token@host`: the userinfo part of any URL in a text.
 * The second branch takes a password with an unencoded `/`, `?` or `#` (`https://u:pa#ss@h`),
 * which no URL parser reads as a password: everything from `user:` to the `@` goes. Fail closed:
 * `https://h:8080/x?mail=a@b` loses its host too.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/?#@"'<>:]+:[^\s@"'<>]*|[^\s/?#@"'<>]+)@/gi;

/** A query parameter that carries a credential (`?private_token=…`, `&access_token=…`): its value. */
const QUERY_SECRET =
  /([?&;](?:private[-_]?token|access[-_]?token|job[-_]?token|token|password|passwd|secret|api[-_]?key|key|auth|sig|signature|x-amz-signature)=)[^&#\s"'<>]+/gi;

/**
 * Every secret any Redactor of this process was given. Code that formats untrusted text before it
 * reaches an Output (an excerpt that folds whitespace or cuts at 120 characters, http/bounded.ts
 * firstBytes) scrubs with it FIRST: a secret folded or cut in half no longer matches afterwards.
 */
const SEEN = new Set<string>();

/** Secrets shorter than this are not redacted: see docs/cli.md, "What is redacted". */
export const MIN_SECRET_LENGTH = 4;

/** Removes the credentials of a URL (`https://u:p@h/x` -> `https://h/x`), keeping the rest. */
export function stripUrlCredentials(url: string): { url: string; username?: string; password?: string } {
  try {
    const u = new URL(url);
    if (u.username === "" && u.password === "") return { url };
    const username = decodeURIComponent(u.username);
    const password = decodeURIComponent(u.password);
    u.username = "";
    u.password = "";
    return { url: u.toString().replace(/\/$/, url.endsWith("/") ? "/" : ""), username, ...(password ? { password } : {}) };
  } catch {
    return { url: url.replace(URL_USERINFO, "$1") };
  }
}

/** Every form in which `secret` could be printed: raw, URL-encoded, JSON-escaped, base64. */
export function secretForms(secret: string, user?: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  // Form-encoding (`+` for space) and a JSON string inside a JSON string (double escaping).
  forms.add(encodeURIComponent(secret).replace(/%20/g, "+"));
  forms.add(JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1));
  const b64 = (t: string) => Buffer.from(t, "utf8").toString("base64");
  forms.add(b64(secret));
  if (user !== undefined) for (const f of basicForms(user, secret)) forms.add(f);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** Basic auth: base64 of `user:secret` (an echoed Authorization header), and its URL-encoded form. */
function basicForms(user: string, secret: string): string[] {
  const b64 = Buffer.from(`${user}:${secret}`, "utf8").toString("base64");
  return [...new Set([b64, encodeURIComponent(b64)])];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function scrubWith(secrets: ReadonlySet<string>, text: string): string {
  // Credentials inside any URL, and credential query parameters, whether or not they are known.
  let out = text.replace(URL_USERINFO, `$1${REDACTED}@`).replace(QUERY_SECRET, `$1${REDACTED}`);
  // Longest first, so that a secret containing another one is replaced whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(REDACTED);
    // A secret with whitespace inside, printed with that whitespace folded or re-wrapped.
    if (/\s/.test(s)) {
      const flexible = s.trim().split(/\s+/).map(escapeRegExp).join("\\s+");
      if (flexible.length >= MIN_SECRET_LENGTH) out = out.replace(new RegExp(flexible, "g"), REDACTED);
    }
  }
  for (const p of TOKEN_PATTERNS) out = out.replace(p, REDACTED);
  return out;
}

/** Scrubs `text` of every secret this process has seen; call it BEFORE folding or cutting text. */
export function scrubSeen(text: string): string {
  return scrubWith(SEEN, text);
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /**
   * Remembers a secret in every printable form (secretForms); with `user`, also the Basic auth
   * header built from both. Values shorter than 4 characters are ignored (they would mangle text),
   * except inside that Basic header.
   */
  add(secret: string | undefined, user?: string): this {
    if (!secret) return this;
    // A short password alone would mangle text, but `user:password` in a Basic header is long
    // enough to match only itself: that form is redacted whatever the password's length.
    const forms = secret.length >= MIN_SECRET_LENGTH ? secretForms(secret, user) : user !== undefined ? basicForms(user, secret) : [];
    for (const f of forms) {
      this.secrets.add(f);
      SEEN.add(f);
    }
    return this;
  }

  scrub(text: string): string {
    return scrubWith(this.secrets, text);
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
