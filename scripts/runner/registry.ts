// A Harbor stand-in for push/pull scenarios: the Distribution registry with htpasswd auth for a
// Harbor-style robot account and TLS from a private CA, reachable from job networks as
// `harbor.test` (port 5443, and 443 so that `$HARBOR_HOST` without a port works as on Harbor).
import { request } from "node:https";
import { randomBytes } from "node:crypto";
import { GenericContainer, Wait, type StartedTestContainer } from "testcontainers";
import { containerLogs, dockerode, engineHost, ownedLabels, since, sleep } from "./docker.ts";
import { ensureImages, type ImageTags } from "./images.ts";
import type { HarborIntegration } from "./variables.ts";

export interface RegistryOptions {
  /** Host name on job networks (default "harbor.test"). */
  hostname?: string;
  /** Registry port (default 5443). */
  port?: number;
  /** More ports serving the same registry (default [443]). */
  extraPorts?: number[];
  /** Harbor project: first path segment of repositories (default "harbor-ci"). */
  project?: string;
  /** Robot account name suffix: the user is `robot$<project>+<robot>` (default "ci"). */
  robot?: string;
  /** Robot secret (default: random, with `$` and `+` that survive the runner's expansion). */
  password?: string;
  images?: ImageTags;
  onProgress?: (message: string) => void;
}

export interface RegistryRequest {
  method: string;
  /** Path and query, e.g. "/v2/harbor-ci/my-app/blobs/uploads/". */
  path: string;
  status: number;
  /** Host header: "harbor.test" or "harbor.test:5443" tells which endpoint the client used. */
  host: string;
  userAgent: string;
}

export interface ManifestInfo {
  digest: string;
  mediaType: string;
}

const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

export class RegistryFixture {
  readonly hostname: string;
  readonly port: number;
  readonly extraPorts: number[];
  readonly project: string;
  readonly username: string;
  readonly password: string;
  /** PEM of the CA that signed the registry's certificate. */
  caPem = "";
  private hostPort = 0;

  private constructor(
    private container: StartedTestContainer,
    opts: Required<Pick<RegistryOptions, "hostname" | "port" | "extraPorts" | "project">> & { username: string; password: string },
  ) {
    this.hostname = opts.hostname;
    this.port = opts.port;
    this.extraPorts = opts.extraPorts;
    this.project = opts.project;
    this.username = opts.username;
    this.password = opts.password;
  }

  static async start(opts: RegistryOptions = {}): Promise<RegistryFixture> {
    const started = Date.now();
    const progress = opts.onProgress ?? ((m: string) => process.stderr.write(`[registry] ${m}\n`));
    const hostname = opts.hostname ?? "harbor.test";
    const port = opts.port ?? 5443;
    const extraPorts = opts.extraPorts ?? [443];
    const project = opts.project ?? "harbor-ci";
    const username = `robot$${project}+${opts.robot ?? "ci"}`;
    // `$+` and a trailing `$` are left alone by the runner's expansion, like GitLab would.
    const password = opts.password ?? `Rb$+${randomBytes(6).toString("hex")}+Sec$`;
    // Always the local image, also with HARBOR_CI_TEST_IMAGES=upstream: registry:2 has neither
    // htpasswd nor openssl to set up auth and TLS from the environment.
    const registryImage = opts.images?.registry.startsWith("harbor-ci-test/")
      ? opts.images.registry
      : (await ensureImages(["registry"], { mode: "local", quiet: true })).registry;
    const sans = [`DNS:${hostname}`, "DNS:localhost", "IP:127.0.0.1"].join(",");
    const container = await new GenericContainer(registryImage)
      .withName(`harbor-ci-registry-${randomBytes(3).toString("hex")}`)
      .withLabels(ownedLabels("registry"))
      .withEnvironment({
        LISTEN_PORT: String(port),
        EXTRA_PORTS: extraPorts.join(" "),
        HTPASSWD_USER: username,
        HTPASSWD_PASSWORD: password,
        TLS_SANS: sans,
      })
      .withExposedPorts(port)
      .withWaitStrategy(Wait.forLogMessage(new RegExp(`listening on .*:${port}`)))
      .withStartupTimeout(30_000)
      .start();
    const fixture = new RegistryFixture(container, { hostname, port, extraPorts, project, username, password });
    fixture.caPem = (await container.exec(["cat", "/certs/ca.crt"])).stdout;
    if (!fixture.caPem.includes("BEGIN CERTIFICATE")) throw new Error("registry: no CA certificate at /certs/ca.crt");
    await fixture.refreshHostPort();
    progress(`${username}@${hostname}:${port} ready (${since(started)})`);
    return fixture;
  }

  get containerId(): string {
    return this.container.getId();
  }

  /** `https://harbor.test:5443` (or without the port). */
  url(withPort = true): string {
    return withPort ? `https://${this.hostname}:${this.port}` : `https://${this.hostname}`;
  }

  /** What GitLab's Harbor integration form would hold for this registry. */
  integration(opts: { withPort?: boolean } = {}): HarborIntegration {
    return { url: this.url(opts.withPort ?? true), project: this.project, username: this.username, password: this.password };
  }

  /** Files to put in every dind so that its daemon trusts this registry. */
  dockerTrust(): { target: string; content: string }[] {
    const endpoints = [`${this.hostname}:${this.port}`, ...this.extraPorts.map((p) => (p === 443 ? this.hostname : `${this.hostname}:${p}`))];
    return endpoints.map((e) => ({ target: `/etc/docker/certs.d/${e}/ca.crt`, content: this.caPem }));
  }

  async connect(network: string): Promise<void> {
    const docker = await dockerode();
    await docker.getNetwork(network).connect({ Container: this.containerId, EndpointConfig: { Aliases: [this.hostname] } });
  }

  async disconnect(network: string): Promise<void> {
    const docker = await dockerode();
    await docker
      .getNetwork(network)
      .disconnect({ Container: this.containerId, Force: true })
      .catch(() => undefined);
  }

  // -------------------------------------------------------------------------------------------
  // "Registry down, comes back": the container stops (data and network attachments kept).

  async stop(): Promise<void> {
    const docker = await dockerode();
    await docker.getContainer(this.containerId).stop({ t: 1 });
  }

  async start(): Promise<void> {
    const docker = await dockerode();
    await docker.getContainer(this.containerId).start();
    await this.refreshHostPort();
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await this.http("GET", "/v2/", { auth: false })).status === 401) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`registry did not come back on ${this.hostname}:${this.port} within 30 s`);
      await sleep(200);
    }
  }

  async dispose(): Promise<void> {
    await this.container.stop({ remove: true, removeVolumes: true, timeout: 1 }).catch(() => undefined);
  }

  private async refreshHostPort(): Promise<void> {
    const docker = await dockerode();
    const info = await docker.getContainer(this.containerId).inspect();
    const binding = info.NetworkSettings.Ports[`${this.port}/tcp`]?.find((b) => b.HostIp === "0.0.0.0") ?? info.NetworkSettings.Ports[`${this.port}/tcp`]?.[0];
    if (!binding) throw new Error(`registry port ${this.port} is not published`);
    this.hostPort = Number(binding.HostPort);
  }

  // -------------------------------------------------------------------------------------------
  // HTTP API, from the test process (through the published port, TLS checked against the CA).

  async http(
    method: string,
    path: string,
    opts: { headers?: Record<string, string>; auth?: boolean } = {},
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.auth !== false) headers.Authorization = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString("base64")}`;
    return new Promise((resolve, reject) => {
      const req = request(
        { host: engineHost(), port: this.hostPort, servername: this.hostname, ca: this.caPem, method, path, headers, timeout: 10_000 },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`registry ${method} ${path}: timeout`)));
      req.on("error", reject);
      req.end();
    });
  }

  /** `repository` is the full name, e.g. "harbor-ci/my-app". [] when it does not exist. */
  async tags(repository: string): Promise<string[]> {
    const res = await this.http("GET", `/v2/${repository}/tags/list`);
    if (res.status === 404) return [];
    if (res.status !== 200) throw new Error(`GET /v2/${repository}/tags/list: HTTP ${res.status} ${res.body}`);
    return ((JSON.parse(res.body) as { tags: string[] | null }).tags ?? []).sort();
  }

  /** HEAD of a manifest with OCI and Docker types accepted; undefined when absent. */
  async manifest(repository: string, reference: string): Promise<ManifestInfo | undefined> {
    const res = await this.http("HEAD", `/v2/${repository}/manifests/${reference}`, { headers: { Accept: MANIFEST_ACCEPT } });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`HEAD /v2/${repository}/manifests/${reference}: HTTP ${res.status}`);
    return { digest: String(res.headers["docker-content-digest"]), mediaType: String(res.headers["content-type"]) };
  }

  async catalog(): Promise<string[]> {
    const res = await this.http("GET", "/v2/_catalog");
    return (JSON.parse(res.body) as { repositories: string[] }).repositories ?? [];
  }

  /** Every request the registry answered so far (from its log), oldest first. */
  async requests(): Promise<RegistryRequest[]> {
    const out: RegistryRequest[] = [];
    // One logrus line per request: msg="response completed" key=value key="quoted value" ...
    for (const line of (await containerLogs(this.containerId)).split("\n")) {
      if (!line.includes('msg="response completed"')) continue;
      const fields: Record<string, string> = {};
      for (const m of line.matchAll(/([\w.]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
        fields[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
      }
      out.push({
        method: fields["http.request.method"] ?? "",
        path: fields["http.request.uri"] ?? "",
        status: Number(fields["http.response.status"] ?? 0),
        host: fields["http.request.host"] ?? "",
        userAgent: fields["http.request.useragent"] ?? "",
      });
    }
    return out;
  }

  /** Position in the request log, for counting what happens after it. */
  async mark(): Promise<number> {
    return (await this.requests()).length;
  }

  /** Blob uploads completed (PUT .../blobs/uploads/... → 201) since `mark`. Mounts are not uploads. */
  async blobUploads(sinceMark = 0): Promise<RegistryRequest[]> {
    return (await this.requests()).slice(sinceMark).filter((r) => r.method === "PUT" && /\/blobs\/uploads\//.test(r.path) && r.status === 201);
  }

  /** Cross-repository blob mounts (POST ...?mount=... → 201) since `mark`. */
  async blobMounts(sinceMark = 0): Promise<RegistryRequest[]> {
    return (await this.requests()).slice(sinceMark).filter((r) => r.method === "POST" && /\/blobs\/uploads\/\?.*mount=/.test(r.path) && r.status === 201);
  }
}
