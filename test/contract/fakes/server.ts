// A local HTTP server (127.0.0.1, random port) that records every request and can inject faults:
// an HTTP status, a dropped connection, or no answer at all. The Harbor and GitLab fakes build on it.

import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path as sent, still percent-encoded (`/api/v4/projects/group%2Fapp/...`). */
  rawPath: string;
  /** Path segments, each decoded. */
  segments: string[];
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  rawBody: string;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is (e.g. a raw file), with text/plain unless headers say otherwise. */
  text?: string;
}

export type Fault = FakeResponse | "drop" | "hang";

/**
 * A server that is not the API it should be, answering every request the same way:
 *   html-signin  200 text/html sign-in page (a proxy, an SSO gateway, a wrong base URL)
 *   json-html    200 application/json whose body is HTML
 *   huge         200 application/json streaming up to 4 GB (stops when the client hangs up)
 *   echo-auth    400 JSON echoing the request's credential headers in its message
 *   slow-body    200 application/json, headers at once, then one byte every 200 ms
 */
export type HostileMode = "html-signin" | "json-html" | "huge" | "echo-auth" | "slow-body";

export const HOSTILE_MODES: readonly HostileMode[] = ["html-signin", "json-html", "huge", "echo-auth", "slow-body"];

const SIGN_IN_PAGE = `<!DOCTYPE html>
<html><head><title>Sign in · Corporate SSO</title></head>
<body><form method="post" action="/users/sign_in"><input name="login"><input type="password" name="password"></form></body></html>
`;

interface FaultRule {
  match: (r: RecordedRequest) => boolean;
  remaining: number;
  fault: Fault;
}

export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private faults: FaultRule[] = [];
  /** When set, every request gets this hostile answer (still recorded). */
  hostile: HostileMode | undefined;
  /**
   * When set, every request is answered `status` with a Location on `to` (another server's base
   * URL: another origin), keeping the path and query: a proxy or a moved server.
   */
  redirect: { status: 301 | 302 | 303 | 307 | 308; to: string } | undefined;
  /** Bytes the `huge` mode managed to send before the client hung up. */
  hugeBytesSent = 0;
  url = "";

  protected abstract handle(req: RecordedRequest): FakeResponse;

  /** Sees every answer before it is sent, injected faults included (the Harbor fake validates them). */
  protected check(_req: RecordedRequest, _res: FakeResponse): void {}

  /** The next `times` requests matching `match` get `fault` instead of an answer. */
  inject(match: (r: RecordedRequest) => boolean, fault: Fault, times = 1): void {
    this.faults.push({ match, remaining: times, fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** `listenHost` 0.0.0.0 lets containers reach the fake at the engine's bridge address. */
  async start(listenHost = "127.0.0.1"): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const rawBody = Buffer.concat(chunks).toString("utf8");
        const u = new URL(req.url ?? "/", "http://127.0.0.1");
        let body: unknown;
        if (rawBody !== "") {
          try {
            body = JSON.parse(rawBody);
          } catch {
            body = rawBody;
          }
        }
        const recorded: RecordedRequest = {
          method: req.method ?? "GET",
          rawPath: u.pathname,
          segments: u.pathname.split("/").filter(Boolean).map(decodeURIComponent),
          query: Object.fromEntries(u.searchParams),
          headers: req.headers,
          body,
          rawBody,
        };
        this.requests.push(recorded);
        if (this.redirect) {
          res.writeHead(this.redirect.status, { location: `${this.redirect.to.replace(/\/+$/, "")}${req.url ?? "/"}` });
          res.end();
          return;
        }
        if (this.hostile) {
          this.sendHostile(res, this.hostile, recorded);
          return;
        }
        const rule = this.faults.find((f) => f.remaining > 0 && f.match(recorded));
        if (rule) {
          rule.remaining--;
          const fault = rule.fault;
          if (fault === "drop") {
            req.socket.destroy();
            return;
          }
          if (fault === "hang") return; // the client's timeout fires
          this.answer(res, recorded, () => fault);
          return;
        }
        this.answer(res, recorded, () => this.handle(recorded));
      });
    });
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, listenHost, resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /**
   * A handler or check threw. Rethrown by default, after the 500 went out, so that the test run
   * reports the fake's bug; a test of this very path overrides it.
   */
  protected handlerFailed(error: unknown): void {
    throw error;
  }

  /**
   * Sends what `make` answers, after `check`. A fake that throws (a bug in a handler, a check that
   * cannot load its data) still answers, 500 with the error, so the client fails at once instead
   * of waiting for its timeout.
   */
  private answer(res: ServerResponse, req: RecordedRequest, make: () => FakeResponse): void {
    let answer: FakeResponse;
    try {
      answer = make();
      this.check(req, answer);
    } catch (e) {
      const message = `the fake server failed on ${req.method} ${req.rawPath}: ${e instanceof Error ? e.message : String(e)}`;
      this.send(res, { status: 500, text: message });
      this.handlerFailed(e);
      return;
    }
    this.send(res, answer);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private sendHostile(res: ServerResponse, mode: HostileMode, req: RecordedRequest): void {
    if (mode === "html-signin") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(SIGN_IN_PAGE);
    } else if (mode === "json-html") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(SIGN_IN_PAGE);
    } else if (mode === "echo-auth") {
      const echoed = ["authorization", "private-token"].map((h) => `${h}: ${String(req.headers[h] ?? "")}`).join(", ");
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `bad request (${echoed})`, errors: [{ code: "BAD_REQUEST", message: `echo ${echoed}` }] }));
    } else if (mode === "huge") {
      // Never allocated here either: one 64 KiB chunk written again and again, with backpressure.
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const limit = 4 * 1024 ** 3;
      let closed = false;
      res.on("close", () => (closed = true));
      const pump = () => {
        while (!closed && this.hugeBytesSent < limit) {
          this.hugeBytesSent += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            return;
          }
        }
        if (!closed) res.end();
      };
      res.write("[");
      pump();
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      const t = setInterval(() => res.write(" "), 200);
      res.on("close", () => clearInterval(t));
    }
  }

  private send(res: ServerResponse, r: FakeResponse): void {
    if (r.text !== undefined) {
      res.writeHead(r.status, { "content-type": "text/plain; charset=utf-8", ...r.headers });
      res.end(r.text);
      return;
    }
    if (r.body === undefined) {
      res.writeHead(r.status, { ...r.headers });
      res.end();
      return;
    }
    res.writeHead(r.status, { "content-type": "application/json", ...r.headers });
    res.end(JSON.stringify(r.body));
  }
}

export function basicCredentials(headers: IncomingHttpHeaders): { user: string; password: string } | undefined {
  const h = headers.authorization;
  if (!h || !h.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(h.slice(6), "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i < 0 ? undefined : { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}
