// The upstream files in vendor/ are what SOURCE.json says they are (unmodified, with licence and
// notice), and scripts/vendor/refresh.ts writes exactly them, or nothing when a download fails.

import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CliError } from "../../scripts/lib/cli/diagnostics.ts";
import { projectRoot, VENDORED } from "../../scripts/lib/project.ts";
import { type Fetch, rawUrl, refreshVendored, sha256, SOURCES, type SourceRecord } from "../../scripts/vendor/refresh.ts";

const vendorDir = join(projectRoot, "vendor");
const record = (name: string) => JSON.parse(readFileSync(join(vendorDir, name, "SOURCE.json"), "utf8")) as SourceRecord;

/** A fetch that serves the files of `files` (upstream path -> text) and answers 404 to the rest. */
function serving(files: Record<string, string>, seen: string[] = []): Fetch {
  return async (url) => {
    seen.push(url);
    const path = Object.keys(files).find((p) => url.endsWith(`/${p}`));
    if (path === undefined) return { ok: false, status: 404, statusText: "Not Found", text: async () => "404: Not Found" };
    return { ok: true, status: 200, statusText: "OK", text: async () => files[path]! };
  };
}

/** The committed copies, by upstream path: what the upstream serves at the recorded commit. */
function upstreamFiles(name: string): Record<string, string> {
  const rec = record(name);
  return Object.fromEntries(Object.entries(rec.files).map(([local, f]) => [f.upstream, readFileSync(join(vendorDir, name, local), "utf8")]));
}

async function refreshError(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe("vendor/", () => {
  it("holds one folder per upstream source, and the readers' paths are in them", () => {
    expect(
      readdirSync(vendorDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
    ).toEqual(Object.keys(SOURCES).sort());
    expect(existsSync(VENDORED.gitlabSchema)).toBe(true);
    expect(existsSync(VENDORED.harborSwagger)).toBe(true);
  });

  for (const name of Object.keys(SOURCES)) {
    it(`${name}: every file is the one SOURCE.json records (repository, path, commit, sha256), with LICENSE and NOTICE`, () => {
      const rec = record(name);
      const source = SOURCES[name]!;
      expect(rec.repository).toBe(`https://github.com/${source.repository}`);
      expect(rec.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(Object.keys(rec.files).sort()).toEqual(source.files.map((f) => f.local).sort());
      for (const file of source.files) {
        const entry = rec.files[file.local]!;
        expect(entry.upstream).toBe(file.upstream);
        expect(entry.url).toBe(rawUrl(source.repository, rec.commit, file.upstream));
        expect(sha256(readFileSync(join(vendorDir, name, file.local), "utf8")), `vendor/${name}/${file.local} changed since it was vendored`).toBe(
          entry.sha256,
        );
      }
      const license = readFileSync(join(vendorDir, name, "LICENSE"), "utf8");
      expect(license).toContain("Apache License");
      expect(license).toContain("Version 2.0, January 2004");
      expect(license).toContain("END OF TERMS AND CONDITIONS");
      const notice = readFileSync(join(vendorDir, name, "NOTICE"), "utf8");
      expect(notice).toContain("Apache License, Version 2.0");
      if (source.notice) expect(notice).toBe(source.notice(rec.commit));
    });

    it(`${name}: the refresh script, given the upstream files at the recorded commit, writes exactly what is committed`, async () => {
      const root = mkdtempSync(join(tmpdir(), "hc-vendor-"));
      const rec = record(name);
      const seen: string[] = [];
      await refreshVendored(name, rec.commit, { root, fetch: serving(upstreamFiles(name), seen) });
      expect(seen).toEqual(SOURCES[name]!.files.map((f) => rawUrl(SOURCES[name]!.repository, rec.commit, f.upstream)));
      const written = readdirSync(join(root, "vendor", name)).sort();
      expect(written).toEqual(["NOTICE", "SOURCE.json", ...SOURCES[name]!.files.map((f) => f.local)].filter((v, i, a) => a.indexOf(v) === i).sort());
      for (const file of written) {
        expect(readFileSync(join(root, "vendor", name, file), "utf8"), file).toBe(readFileSync(join(vendorDir, name, file), "utf8"));
      }
    });
  }
});

describe("scripts/vendor/refresh.ts", () => {
  const commit = "0123456789abcdef0123456789abcdef01234567";

  it("stops with VENDOR_DOWNLOAD_FAILED naming the URL and status, and writes nothing, when a file is missing upstream", async () => {
    const root = mkdtempSync(join(tmpdir(), "hc-vendor-"));
    // The schema downloads, its NOTICE does not: not even the schema may be written.
    const files = { "app/assets/javascripts/editor/schema/ci.json": readFileSync(VENDORED.gitlabSchema, "utf8") };
    const e = await refreshError(refreshVendored("gitlab", commit, { root, fetch: serving(files) }));
    expect(e.code).toBe("VENDOR_DOWNLOAD_FAILED");
    expect(e.exitCode).toBe(1);
    expect(e.message).toContain("app/assets/javascripts/editor/schema/NOTICE");
    expect(e.message).toContain("nothing was written");
    expect(e.expected).toBe(`HTTP 200 from ${rawUrl("gitlabhq/gitlabhq", commit, "app/assets/javascripts/editor/schema/NOTICE")}`);
    expect(e.actual).toBe("HTTP 404 Not Found");
    expect(existsSync(join(root, "vendor"))).toBe(false);
  });

  it("stops with VENDOR_DOWNLOAD_FAILED when the network is unreachable", async () => {
    const root = mkdtempSync(join(tmpdir(), "hc-vendor-"));
    const offline: Fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const e = await refreshError(refreshVendored("harbor", commit, { root, fetch: offline }));
    expect(e.code).toBe("VENDOR_DOWNLOAD_FAILED");
    expect(e.actual).toBe("fetch failed");
    expect(e.fix).toContain("reaches github.com");
    expect(existsSync(join(root, "vendor"))).toBe(false);
  });

  it("refuses a download that is not the file the checks read (an HTML page served with 200)", async () => {
    const root = mkdtempSync(join(tmpdir(), "hc-vendor-"));
    const e = await refreshError(refreshVendored("harbor", commit, { root, fetch: serving({ "api/v2.0/swagger.yaml": "<!DOCTYPE html><html></html>\n" }) }));
    expect(e.code).toBe("VENDOR_UNEXPECTED_CONTENT");
    expect(existsSync(join(root, "vendor"))).toBe(false);
  });

  it("asks for a full commit ID and a known source (usage errors, exit 2)", async () => {
    const bad = await refreshError(refreshVendored("gitlab", "main"));
    expect([bad.code, bad.exitCode, bad.actual]).toEqual(["VENDOR_BAD_COMMIT", 2, "main"]);
    const unknown = await refreshError(refreshVendored("docker", commit));
    expect([unknown.code, unknown.exitCode, unknown.expected]).toEqual(["VENDOR_UNKNOWN_SOURCE", 2, "gitlab | harbor"]);
  });

  it("run without arguments, prints the coded usage error and exits 2", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", join(projectRoot, "scripts/vendor/refresh.ts")], { encoding: "utf8", cwd: projectRoot });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error VENDOR_USAGE: refresh takes a source name and a commit");
    expect(r.stderr).toContain("npm run vendor:refresh -- gitlab|harbor <40-hex commit>");
  });
});
