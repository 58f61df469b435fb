// Refreshes the upstream files that the checks and tests read (vendor/, see vendor/README.md):
// GitLab's JSON schema for .gitlab-ci.yml and Harbor's API description, taken from a commit you
// name, with their NOTICE and a SOURCE.json that records the repository, each file's upstream path,
// the commit and the sha256 of what was written.
//
//   npm run vendor:refresh -- gitlab <40-hex commit of gitlabhq/gitlabhq>
//   npm run vendor:refresh -- harbor <40-hex commit of goharbor/harbor>
//
// It downloads from github.com (raw file URLs), so it needs internet access. The project's own
// development machines have none: the copies in vendor/ were made from the same commits by hand,
// and SOURCE.json holds what this script would write for them (a unit test checks that it does).
// On any failed download it stops with VENDOR_DOWNLOAD_FAILED, naming the URL and the status, and
// writes nothing. LICENSE (the Apache License 2.0 text) is not downloaded: if upstream ever changes
// its licence, update LICENSE and NOTICE by hand.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { CliError, formatProblem, usageError } from "../lib/cli/diagnostics.ts";
import { projectRoot } from "../lib/project.ts";

export interface VendoredFile {
  /** Name in vendor/<name>/. */
  local: string;
  /** Path in the upstream repository. */
  upstream: string;
}

export interface VendorSource {
  /** GitHub owner/name. GitLab: gitlabhq/gitlabhq, GitLab's read-only mirror on GitHub. */
  repository: string;
  files: VendoredFile[];
  /** Throws when a downloaded file is not what it should be (an HTML error page, a moved file). */
  verify: (local: string, text: string) => void;
  /** The NOTICE to write when upstream keeps none beside the file. */
  notice?: (commit: string) => string;
}

type Doc = Record<string, unknown> | null | undefined;

function parses(kind: string, parse: () => unknown, check: (doc: Doc) => boolean): void {
  let doc: unknown;
  try {
    doc = parse();
  } catch (e) {
    throw new Error(`not ${kind}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!check(doc && typeof doc === "object" ? (doc as Doc) : undefined)) throw new Error(`not ${kind}`);
}

export const SOURCES: Readonly<Record<string, VendorSource>> = {
  gitlab: {
    repository: "gitlabhq/gitlabhq",
    files: [
      { local: "ci.schema.json", upstream: "app/assets/javascripts/editor/schema/ci.json" },
      { local: "NOTICE", upstream: "app/assets/javascripts/editor/schema/NOTICE" },
    ],
    verify(local, text) {
      if (local !== "ci.schema.json") return;
      parses(
        "a draft-07 JSON Schema with definitions",
        () => JSON.parse(text),
        (d) => typeof d?.$schema === "string" && d.$schema.includes("draft-07") && typeof d.definitions === "object",
      );
    },
  },
  harbor: {
    repository: "goharbor/harbor",
    files: [{ local: "swagger.yaml", upstream: "api/v2.0/swagger.yaml" }],
    verify(_local, text) {
      parses(
        "a Swagger 2.0 document with paths and definitions",
        () => YAML.parse(text),
        (d) => d?.swagger === "2.0" && typeof d.paths === "object" && typeof d.definitions === "object",
      );
    },
    // Harbor keeps no NOTICE beside its swagger; its source files carry this copyright line.
    notice: (commit) =>
      "swagger.yaml: Copyright Project Harbor Authors.\n" +
      "Licensed under the Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0).\n" +
      `Copied unmodified from goharbor/harbor, api/v2.0/swagger.yaml, commit ${commit}.\n`,
  },
};

export interface SourceRecord {
  repository: string;
  commit: string;
  license: string;
  files: Record<string, { upstream: string; url: string; sha256: string }>;
}

export function rawUrl(repository: string, commit: string, path: string): string {
  return `https://raw.githubusercontent.com/${repository}/${commit}/${path}`;
}

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export type Fetch = (url: string) => Promise<{ ok: boolean; status: number; statusText: string; text(): Promise<string> }>;

/** Downloads every file of `name` at `commit`, checks them, then writes them and SOURCE.json. */
export async function refreshVendored(name: string, commit: string, options: { root?: string; fetch?: Fetch } = {}): Promise<SourceRecord> {
  const source = SOURCES[name];
  if (!source) {
    throw usageError("VENDOR_UNKNOWN_SOURCE", `no vendored source named '${name}'`, `use one of: ${Object.keys(SOURCES).join(", ")}`, {
      expected: Object.keys(SOURCES).join(" | "),
      actual: name,
    });
  }
  if (!/^[0-9a-f]{40}$/.test(commit)) {
    throw usageError(
      "VENDOR_BAD_COMMIT",
      `the commit of ${source.repository} must be a full commit ID`,
      "pass the 40-hex commit ID (a tag or branch would move)",
      {
        expected: "40 hexadecimal digits, lower case",
        actual: commit,
      },
    );
  }
  const fetchText = options.fetch ?? (fetch as Fetch);
  const downloaded: Array<VendoredFile & { url: string; text: string }> = [];
  for (const file of source.files) {
    const url = rawUrl(source.repository, commit, file.upstream);
    let text: string;
    try {
      const response = await fetchText(url);
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      text = await response.text();
    } catch (e) {
      throw new CliError({
        code: "VENDOR_DOWNLOAD_FAILED",
        message: `could not download ${file.upstream} of ${source.repository} at ${commit}; nothing was written`,
        expected: `HTTP 200 from ${url}`,
        actual: e instanceof Error ? e.message : String(e),
        fix: "check that the commit exists in that repository and that this machine reaches github.com (the project's development machines do not: run this where the internet is reachable)",
        cause: e,
      });
    }
    try {
      source.verify(file.local, text);
    } catch (e) {
      throw new CliError({
        code: "VENDOR_UNEXPECTED_CONTENT",
        message: `${file.upstream} of ${source.repository} at ${commit} is not what the checks read; nothing was written`,
        expected: "the upstream file (see SOURCES in scripts/vendor/refresh.ts)",
        actual: e instanceof Error ? e.message : String(e),
        fix: "check the path at that commit (the file may have moved) and update SOURCES",
      });
    }
    downloaded.push({ ...file, url, text });
  }

  const dir = join(options.root ?? projectRoot, "vendor", name);
  mkdirSync(dir, { recursive: true });
  const record: SourceRecord = {
    repository: `https://github.com/${source.repository}`,
    commit,
    license: "Apache-2.0: LICENSE holds the text of https://www.apache.org/licenses/LICENSE-2.0.txt, NOTICE the copyright notice",
    files: {},
  };
  for (const file of downloaded) {
    writeFileSync(join(dir, file.local), file.text);
    record.files[file.local] = { upstream: file.upstream, url: file.url, sha256: sha256(file.text) };
  }
  if (source.notice) writeFileSync(join(dir, "NOTICE"), source.notice(commit));
  writeFileSync(join(dir, "SOURCE.json"), JSON.stringify(record, null, 2) + "\n");
  return record;
}

async function main(argv: string[]): Promise<number> {
  const [name, commit, ...rest] = argv;
  try {
    if (!name || !commit || rest.length) {
      throw usageError("VENDOR_USAGE", "refresh takes a source name and a commit", "npm run vendor:refresh -- gitlab|harbor <40-hex commit>", {
        expected: "<gitlab|harbor> <commit>",
        actual: argv.join(" ") || "(no arguments)",
      });
    }
    const record = await refreshVendored(name, commit);
    for (const [file, info] of Object.entries(record.files)) process.stdout.write(`vendor/${name}/${file}  sha256 ${info.sha256}  (${info.url})\n`);
    process.stdout.write(`vendor/${name}/SOURCE.json written; review the diff, then run npm run check and the unit tests.\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    process.stderr.write(formatProblem(e) + "\n");
    return e.exitCode;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
