// A real npm registry for the package tests and bench:package: verdaccio (from npm), on loopback, with its own
// storage in a temporary folder and NO uplinks, so it serves only what was published to it and
// never asks another registry for anything.
//
// GitLab's npm endpoints (docs.gitlab.com/api/packages/npm/): the project level
// `/api/v4/projects/<id>/packages/npm/` publishes (PUT :package_name), serves metadata and
// downloads (GET :package_name/-/:file_name); the instance level `/api/v4/packages/npm/` serves
// metadata and dist-tags only, finding the project by the name's scope: the top-level group whose
// path is the scope, compared case-insensitively, then the package by its exact name
// (lib/api/helpers/packages/npm.rb `top_namespace_from` -> `Namespace.top_most.by_path`). Its
// metadata's tarball URLs are the project-level download URLs.
// A small proxy in front of verdaccio gives it both path shapes (verdaccio's `url_prefix` makes
// every tarball URL the project-level one), so the release script, the README's consumer
// instructions and scan-gate's install step use the GitLab URL shapes they use in a real
// pipeline: only the host differs (CI_API_V4_URL).
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

  /**
   * @param projectId the library project's ID
   * @param rootGroup the path of the library project's top-level group, as GitLab spells it
   */
  constructor(
    readonly projectId = 1234,
    readonly rootGroup = "my-group",
  ) {}

  get prefix(): string {
    return `/api/v4/projects/${this.projectId}/packages/npm/`;
  }

  static readonly INSTANCE_PREFIX = "/api/v4/packages/npm/";

  /**
   * The verdaccio path of an instance-level request, or undefined when GitLab would answer 404:
   * a method or route the instance level does not have, or a scope that is not the library's
   * top-level group.
   */
  private instancePath(method: string, path: string): string | undefined {
    if (method !== "GET" && method !== "HEAD") return undefined;
    const rest = path.slice(LocalNpmRegistry.INSTANCE_PREFIX.length);
    const distTags = /^-\/package\/(.+)\/dist-tags$/.exec(rest);
    const name = decodeURIComponent(distTags ? distTags[1]! : rest.split("?")[0]!);
    // Metadata (`@scope/name`) and dist-tags only: downloads are project-level URLs.
    const m = /^@([^/]+)\/([^/]+)$/.exec(name);
    if (!m || m[1]!.toLowerCase() !== this.rootGroup.toLowerCase()) return undefined;
    return "/" + rest;
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
      const method = req.method ?? "GET";
      const target = path.startsWith(this.prefix)
        ? "/" + path.slice(this.prefix.length)
        : path.startsWith(LocalNpmRegistry.INSTANCE_PREFIX)
          ? this.instancePath(method, path)
          : undefined;
      if (target === undefined) {
        this.requests.push({ method, path, status: 404 });
        // GitLab's answer when no project holds the scope's package (npm helpers' not_found!).
        const body = path.startsWith(LocalNpmRegistry.INSTANCE_PREFIX)
          ? '{"message":"404 Project Not Found","error":"Project not found"}'
          : '{"message":"404 Not Found"}';
        res.writeHead(404, { "content-type": "application/json" }).end(body);
        return;
      }
      const upstream = request({ host: "127.0.0.1", port, method: req.method, path: target, headers: req.headers }, (up) => {
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
