// Error codes of the HTTP transport; the shape and the rules: scripts/lib/cli/codes.ts.
import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  NETWORK_RETRIES_EXHAUSTED: {
    summary: "a server did not answer, or answered 5xx/429, on every attempt",
    fix: "check that the server is up and reachable from here (proxy, VPN, TLS), then run again; --retries and --timeout tune the attempts",
  },
  GITLAB_URL_HAS_CREDENTIALS: {
    summary: "the GitLab URL carries user:password@ (removed from the message, never used)",
    fix: "drop the user:password@ part from GITLAB_URL / --gitlab-url and put the token in GITLAB_TOKEN",
    exitCode: 2,
  },
  GITLAB_URL_INVALID: {
    summary: "the GitLab URL is not an http(s) URL",
    fix: "give GitLab's base URL, e.g. https://gitlab.example.com",
    exitCode: 2,
  },
  HARBOR_URL_HAS_CREDENTIALS: {
    summary: "the Harbor URL carries user:password@ (removed from the message, never used)",
    fix: "drop the user:password@ part from --harbor-url / HARBOR_URL; Harbor credentials go in their own variables",
    exitCode: 2,
  },
  HARBOR_URL_INVALID: {
    summary: "the Harbor URL is not an http(s) URL",
    fix: "give Harbor's base URL, e.g. https://harbor.example.com",
    exitCode: 2,
  },
  HTTP_CROSS_ORIGIN_REDIRECT: {
    summary: "a server answered with a redirect to another origin; the request was not sent there",
    fix: "use the final base URL directly (https:// instead of http://, the right host and port) or fix the proxy that redirects",
  },
  HTTP_REDIRECT_NOT_FOLLOWED: {
    summary: "a server redirected a request that is not a GET (or redirected too many times); it was not re-sent",
    fix: "use the final base URL directly, so that no redirect is needed",
  },
  GITLAB_URL_HAS_QUERY: {
    summary: "GITLAB_URL (or --gitlab-url) has a query string or fragment, which may hold a token; it is not shown",
    fix: "give only the base URL, e.g. https://gitlab.example.com; the token goes in GITLAB_TOKEN",
  },
  HARBOR_URL_HAS_QUERY: {
    summary: "the Harbor URL has a query string or fragment, which may hold a token; it is not shown",
    fix: "give only the base URL, e.g. https://registry.example.com; the password goes in HARBOR_ADMIN_PASSWORD",
  },
} as const satisfies CodeTable;

export type HttpCode = keyof typeof CODES;
