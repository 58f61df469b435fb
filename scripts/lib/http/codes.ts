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
} as const satisfies CodeTable;

export type HttpCode = keyof typeof CODES;
