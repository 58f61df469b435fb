// A server's base URL as given by an option or the environment (GITLAB_URL, HARBOR_URL): http(s),
// and never with credentials inside, which would be stored (GitLab's integration shows HARBOR_URL
// to every job) or echoed. One check for every server the CLI talks to.
import { usageError } from "../cli/diagnostics.ts";
import { stripUrlCredentials } from "../cli/redact.ts";
import type { HttpCode } from "./codes.ts";

// Written out, not built from the prefix, so that each code is a literal its table is checked against.
const URL_CODES = {
  GITLAB: { credentials: "GITLAB_URL_HAS_CREDENTIALS", invalid: "GITLAB_URL_INVALID" },
  HARBOR: { credentials: "HARBOR_URL_HAS_CREDENTIALS", invalid: "HARBOR_URL_INVALID" },
} as const satisfies Record<BaseUrlRules["code"], { credentials: HttpCode; invalid: HttpCode }>;

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
}

/** Throws a coded usage error for a URL with credentials or one that is not http(s). */
export function checkBaseUrl(url: string, rules: BaseUrlRules): string {
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
