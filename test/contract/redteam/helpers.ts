import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { afterEach } from "vitest";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const CLI = path.join(ROOT, "bin/harbor-ci.js");

export interface Req {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  port: number;
}
export type Handler = (req: Req, res: http.ServerResponse) => unknown;

export interface Srv {
  url: string;
  port: number;
  requests: Req[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<Srv> {
  const requests: Req[] = [];
  const sockets = new Set<import("node:net").Socket>();
  let port = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const r: Req = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString(), port };
      requests.push(r);
      Promise.resolve(handler(r, res)).catch((e) => {
        try {
          res.statusCode = 599;
          res.end(String(e));
        } catch {}
      });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const s = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(s);
}

export interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  opts: { timeoutMs?: number; cwd?: string; stdin?: string } = {},
): Promise<Run> {
  const timeoutMs = opts.timeoutMs ?? 20000;
  const baseEnv: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1" };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) baseEnv[k] = v;
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: baseEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => {
      if (stdout.length < 2_000_000) stdout += d;
    });
    child.stderr.on("data", (d) => {
      if (stderr.length < 2_000_000) stderr += d;
    });
    child.stdin.end(opts.stdin ?? "");
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, timedOut });
    });
  });
}

/** Every form a secret may take in output. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString("base64"),
    new URLSearchParams({ a: secret }).toString().slice(2),
  ]);
  return [...forms].filter((f) => f.length >= 6);
}

export function leaks(text: string, secret: string): string[] {
  return secretForms(secret).filter((f) => text.includes(f));
}

export const ESC_RE = /[\u001b\u009b\u0007\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f]/;

export function noCrash(r: Run): string[] {
  const out = r.stdout + r.stderr;
  const problems: string[] = [];
  if (r.timedOut) problems.push(`hang (killed after ${r.ms} ms)`);
  if (r.signal) problems.push(`signal ${r.signal}`);
  if (/\bINTERNAL\b/.test(out)) problems.push("INTERNAL error");
  if (/^\s+at .+\(.+:\d+:\d+\)$/m.test(out) || /^\s+at [\w.<>]+ \(node:/m.test(out)) problems.push("stack trace");
  if (/FATAL ERROR|heap out of memory|Aborted/.test(out)) problems.push("abort");
  return problems;
}

/** Servers a test file starts, closed after each test: `const track = trackServers();` then `await track(fakeHarbor())`. */
export function trackServers(): (p: Promise<Srv>) => Promise<Srv> {
  const open: Srv[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()?.close();
  });
  return async (p) => {
    const s = await p;
    open.push(s);
    return s;
  };
}
