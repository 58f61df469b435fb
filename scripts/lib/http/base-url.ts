// A server's base URL as given by an option or the environment (GITLAB_URL, HARBOR_URL): http(s),
// and never with credentials inside, which would be stored (GitLab's integration shows HARBOR_URL
// to every job) or echoed. One check for every server the CLI talks to.
import { usageError } from "../cli/diagnostics.ts";
import { stripUrlCredentials } from "../cli/redact.ts";
import type { HttpCode } from "./codes.ts";

// Written out, not built from the prefix, so that each code is a literal its table is checked against.
const URL_CODES = {
  GITLAB: { credentials: "GITLAB_URL_HAS_CREDENTIALS", query: "GITLAB_URL_HAS_QUERY", invalid: "GITLAB_URL_INVALID" },
  HARBOR: { credentials: "HARBOR_URL_HAS_CREDENTIALS", query: "HARBOR_URL_HAS_QUERY", invalid: "HARBOR_URL_INVALID" },
} as const satisfies Record<BaseUrlRules["code"], { credentials: HttpCode; query: HttpCode; invalid: HttpCode }>;

export interface BaseUrlRules {
  /** Prefix of the error codes: GITLAB gives GITLAB_URL_HAS_CREDENTIALS and GITLAB_URL_INVALID. */
  code: "GITLAB" | "HARBOR";
  /** Name in messages: "GitLab URL", "Harbor URL". */
  label: string;
  /** The fix for credentials in the URL: where they go instead. */
  credentialsFix: string;
  /** The fix for a URL that is not http(s). */
  invalidFix: string;
  /** What is expected, e.g. "http(s)://host[:port]". */
  expected: string;
  /** Where the value came from, named instead of the value when it must not be echoed: "GITLAB_URL / --gitlab-url". */
  variable?: string;
}

/** Anything between `scheme://` and an `@`: userinfo, even one no URL parser can read. */
const HAS_AT = /^[a-z][a-z0-9+.-]*:\/\/.*@/is;

/** Throws a coded usage error for a URL with credentials or one that is not http(s). */
export function checkBaseUrl(url: string, rules: BaseUrlRules): string {
  const variable = rules.variable ?? rules.label;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // A password with an unencoded `#`, `?`, `/` or a space (`https://u:pa#ss@h`) makes the URL
  // unparsable or turns the password into a path, query or fragment: no redaction pattern is sure
  // to find it, so nothing of the value is echoed.
  if (HAS_AT.test(url) && (parsed === undefined || (parsed.username === "" && parsed.password === ""))) {
    throw usageError(
      URL_CODES[rules.code].credentials,
      `${variable} holds an \`@\` after the scheme: credentials (user:password@) that are not URL-encoded, or a malformed URL; the value is not shown, as it may hold a password`,
      rules.credentialsFix,
      { expected: `${rules.expected} without credentials`, actual: `a value of ${url.length} characters with \`@\` in it` },
    );
  }
  // A token in the query string (`?private_token=…`) would be echoed and stored; a base URL has none.
  if (parsed && (parsed.search !== "" || parsed.hash !== "")) {
    throw usageError(
      URL_CODES[rules.code].query,
      `${variable} has a query string or fragment (?… or #…), which a base URL never has and which may hold a token; it is not shown`,
      `give only the base URL, ${rules.expected}; tokens go in their variables, never in the URL`,
      { expected: rules.expected, actual: `${parsed.origin}${parsed.pathname} followed by ?… or #…` },
    );
  }
  const bare = stripUrlCredentials(url);
  if (bare.url !== url) {
    throw usageError(
      URL_CODES[rules.code].credentials,
      `${rules.label} \`${bare.url}\` carries credentials (user:password@); they were removed from this message and are not used`,
      rules.credentialsFix,
      { expected: `${rules.expected} without credentials`, actual: `${bare.url} with credentials of \`${bare.username ?? ""}\`` },
    );
  }
  if (!/^https?:\/\/[^/\s]/.test(url)) {
    throw usageError(URL_CODES[rules.code].invalid, `${rules.label} \`${url}\` is not an http(s) URL`, rules.invalidFix, {
      expected: rules.expected,
      actual: url,
    });
  }
  return url;
}
