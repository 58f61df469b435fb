// A real npm registry for the package tests and bench:package: verdaccio (from npm), on loopback, with its own
// storage in a temporary folder and NO uplinks, so it serves only what was published to it and
// never asks another registry for anything.
//
// GitLab serves a project's npm registry under `/api/v4/projects/<id>/packages/npm/`. A small
// proxy in front of verdaccio gives it that same path (verdaccio's `url_prefix` makes its tarball
// URLs carry the prefix), so the release script and the README's consumer instructions use the
// GitLab URL shapes they use in a real pipeline: only the host differs (CI_API_V4_URL).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export interface RegistryRequest {
  method: string;
  /** Path as the client sent it, with GitLab's prefix. */
  path: string;
  status: number;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export class LocalNpmRegistry {
  readonly requests: RegistryRequest[] = [];
  /** `http://127.0.0.1:<port>/api/v4`: what GitLab sets as CI_API_V4_URL. */
  apiUrl = "";
  /** The project-level npm endpoint, with its trailing slash. */
  registryUrl = "";
  private dir = "";
  private child?: ChildProcess;
  private proxy?: Server;
  private log = "";

  constructor(readonly projectId = 1234) {}

  get prefix(): string {
    return `/api/v4/projects/${this.projectId}/packages/npm/`;
  }

  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), "hci-verdaccio-"));
    const port = await freePort();
    const config = join(this.dir, "config.yaml");
    writeFileSync(
      config,
      [
        `storage: ${join(this.dir, "storage")}`,
        "auth:",
        "  htpasswd:",
        `    file: ${join(this.dir, "htpasswd")}`,
        "    max_users: 1",
        // No uplinks, and no package rule has `proxy:`: nothing is ever fetched from elsewhere.
        "uplinks: {}",
        "packages:",
        "  '**':",
        "    access: $authenticated",
        "    publish: $authenticated",
        `url_prefix: ${this.prefix}`,
        "web:",
        "  enable: false",
        "log: { type: stdout, format: pretty, level: warn }",
        "",
      ].join("\n"),
    );
    const bin = join(require.resolve("verdaccio/package.json"), "..", "bin", "verdaccio");
    this.child = spawn(process.execPath, [bin, "--config", config, "--listen", `127.0.0.1:${port}`], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, VERDACCIO_PUBLIC_URL: "" },
    });
    this.child.stdout!.on("data", (d: Buffer) => (this.log += d.toString()));
    this.child.stderr!.on("data", (d: Buffer) => (this.log += d.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`verdaccio exited with ${this.child.exitCode}:\n${this.log}`);
      const ok = await fetch(`http://127.0.0.1:${port}/-/ping`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`verdaccio did not answer on 127.0.0.1:${port} within 60 s:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    this.proxy = createServer((req, res) => {
      const path = req.url ?? "/";
      if (!path.startsWith(this.prefix)) {
        this.requests.push({ method: req.method ?? "GET", path, status: 404 });
        res.writeHead(404, { "content-type": "application/json" }).end('{"message":"404 Not Found"}');
        return;
      }
      const upstream = request({ host: "127.0.0.1", port, method: req.method, path: "/" + path.slice(this.prefix.length), headers: req.headers }, (up) => {
        this.requests.push({ method: req.method ?? "GET", path, status: up.statusCode ?? 0 });
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on("error", (e) => res.writeHead(502).end(String(e)));
      req.pipe(upstream);
    });
    await new Promise<void>((r) => this.proxy!.listen(0, "127.0.0.1", r));
    const proxyPort = (this.proxy.address() as AddressInfo).port;
    this.apiUrl = `http://127.0.0.1:${proxyPort}/api/v4`;
    this.registryUrl = `http://127.0.0.1:${proxyPort}${this.prefix}`;
  }

  /** A user and its token (npm's `adduser` call); the token plays the job token. */
  async token(name = "ci", password = "ci-password-0001"): Promise<string> {
    const r = await fetch(`${this.registryUrl}-/user/org.couchdb.user:${name}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, password, type: "user", roles: [], date: new Date().toISOString() }),
    });
    const body = (await r.json()) as { token?: string };
    if (!r.ok || !body.token) throw new Error(`verdaccio refused the user: HTTP ${r.status} ${JSON.stringify(body)}`);
    return body.token;
  }

  /** The package document as the registry serves it (undefined: not published). */
  async packument(name: string, token: string): Promise<{ versions: Record<string, unknown>; "dist-tags": Record<string, string> } | undefined> {
    const r = await fetch(`${this.registryUrl}${name.replace("/", "%2f")}`, { headers: { authorization: `Bearer ${token}` } });
    if (r.status === 404) return undefined;
    if (!r.ok) throw new Error(`GET ${name}: HTTP ${r.status}`);
    return (await r.json()) as never;
  }

  output(): string {
    return this.log;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.proxy ? this.proxy.close(() => r()) : r()));
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((r) => this.child!.once("exit", r));
      this.child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (this.child.exitCode === null) this.child.kill("SIGKILL");
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
