// Error codes raised by the HTTP transport itself (issue 17 item 6: one table per subsystem).
import type { CodeTable } from "../cli/codes.ts";

export const CODES = {
  HTTP_REDIRECT_CROSS_ORIGIN: {
    summary: "a server answered with a redirect to another origin (scheme, host or port); it was not followed, so no credential left for it",
    fix: "use the final URL as the base URL (https:// instead of http://, the new host name), or fix the proxy that redirects",
  },
  HTTP_REDIRECT_REFUSED: {
    summary: "a server redirected a request that carries a body (POST, PUT, PATCH, DELETE); the body is never sent twice",
    fix: "use the URL the server redirects to as the base URL (often a missing or extra path segment, or http:// instead of https://)",
  },
  HTTP_TOO_MANY_REDIRECTS: {
    summary: "a server kept redirecting within its own origin",
    fix: "check the base URL and the server's or proxy's redirect rules",
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
