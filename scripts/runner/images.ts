// Test images: built locally from Debian packages (no container registry is reachable), tagged
// with the content hash of their folder so that an unchanged image is never rebuilt.
//
//   HARBOR_CI_TEST_IMAGES=upstream   use docker:27, docker:27-dind, registry:2, postgres:16,
//                                    mariadb:11, node:20-slim and debian:trixie-slim instead (pulled).
import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { imageExists, since } from "./docker.ts";
import { projectRoot } from "../lib/project.ts";

export const IMAGES_DIR = join(projectRoot, "test/images");

/** `base` is the Debian 13 image every other one (and every sample app) is built FROM. */
export const IMAGE_NAMES = ["base", "job", "dind", "registry", "postgres", "mariadb", "node"] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];
export type ImageTags = Record<ImageName, string>;

/**
 * Name under which the harness also tags the base image inside every dind service, so sample
 * Dockerfiles can say `ARG BASE=debian:trixie-slim` + `FROM ${BASE}` and build offline.
 */
export const BASE_IMAGE_ALIAS = "debian:trixie-slim";

export const UPSTREAM_IMAGES: ImageTags = {
  base: "debian:trixie-slim",
  job: "docker:27",
  dind: "docker:27-dind",
  registry: "registry:2",
  postgres: "postgres:16",
  mariadb: "mariadb:11",
  node: "node:20-slim",
};

export type ImageMode = "local" | "upstream";

export function imageMode(): ImageMode {
  const value = (process.env.HARBOR_CI_TEST_IMAGES ?? "local").toLowerCase();
  if (value === "local" || value === "upstream") return value;
  throw new Error(`HARBOR_CI_TEST_IMAGES=${value} is not supported: use "local" (default) or "upstream".`);
}

export interface EnsureImagesOptions {
  onProgress?: (message: string) => void;
  mode?: ImageMode;
  /** Concurrent image builds after the base (default 5: apt downloads dominate, not CPU). */
  concurrency?: number;
  /** Report only when something must be built or pulled. */
  quiet?: boolean;
}

const RECIPE_VERSION = "1";

async function folderHash(folder: string, extra: string): Promise<string> {
  const hash = createHash("sha256").update(`recipe ${RECIPE_VERSION}\n${extra}\n`);
  const walk = async (dir: string): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true });
    const files: string[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) files.push(...(await walk(path)));
      else files.push(path);
    }
    return files;
  };
  const files = (await walk(folder)).sort();
  for (const file of files) {
    const info = await stat(file);
    hash.update(`${relative(folder, file)}\0${info.mode & 0o111 ? "x" : "-"}\0`);
    hash.update(await readFile(file));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 12);
}

/** Tags the local images have for the current sources (whether built or not). */
export async function localImageTags(): Promise<ImageTags> {
  const baseHash = await folderHash(join(IMAGES_DIR, "base"), "debootstrap minbase trixie");
  const tags = { base: `harbor-ci-test/base:${baseHash}` } as ImageTags;
  for (const name of IMAGE_NAMES) {
    if (name === "base") continue;
    tags[name] = `harbor-ci-test/${name}:${await folderHash(join(IMAGES_DIR, name), tags.base)}`;
  }
  return tags;
}

function defaultProgress(message: string): void {
  process.stderr.write(`[images] ${message}\n`);
}

/**
 * Makes sure the images are present and returns the tag of every image (the base is always
 * ensured, the others only when listed in `names`, default all).
 */
export async function ensureImages(names: readonly ImageName[] = IMAGE_NAMES, opts: EnsureImagesOptions = {}): Promise<ImageTags> {
  const progress = opts.onProgress ?? defaultProgress;
  const mode = opts.mode ?? imageMode();
  const started = Date.now();
  const wanted = [...new Set<ImageName>(["base", ...names])];

  if (mode === "upstream") {
    for (const name of wanted) {
      const ref = UPSTREAM_IMAGES[name];
      if (await imageExists(ref)) continue;
      progress(`${name}: pulling ${ref}`);
      await run("docker", ["pull", "-q", ref], (line) => progress(`${name}: ${line}`)).catch((error: Error) => {
        throw new Error(`Pulling ${ref} failed: ${error.message}\nUnset HARBOR_CI_TEST_IMAGES to build the images locally instead.`);
      });
    }
    if (!opts.quiet) progress(`upstream images ready (${since(started)})`);
    return { ...UPSTREAM_IMAGES };
  }

  const tags = await localImageTags();
  const missing: ImageName[] = [];
  for (const name of wanted) if (!(await imageExists(tags[name]))) missing.push(name);
  if (missing.length === 0) {
    if (!opts.quiet) progress(`all ${wanted.length} images up to date (${since(started)})`);
    return tags;
  }
  progress(`building ${missing.join(", ")} (first build of all: about 1-2 min)`);

  if (missing.includes("base")) await buildBase(tags.base, progress);
  const queue = missing.filter((n) => n !== "base");
  const workers = Array.from({ length: Math.min(opts.concurrency ?? 5, queue.length) }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      await buildImage(name, tags, progress);
    }
  });
  await Promise.all(workers);
  progress(`images ready (${since(started)})`);
  return tags;
}

async function buildBase(tag: string, progress: (m: string) => void): Promise<void> {
  const started = Date.now();
  const work = await mkdtemp(join(projectRoot, ".cache", "base-")).catch(async () => {
    await run("mkdir", ["-p", join(projectRoot, ".cache")]);
    return mkdtemp(join(projectRoot, ".cache", "base-"));
  });
  try {
    progress(`base: debootstrap trixie + docker import -> ${tag} (about 30 s)`);
    await run("sh", [join(IMAGES_DIR, "base/mkbase.sh"), tag, work], (line) => progress(`base: ${line} (${since(started)})`));
    progress(`base: done in ${since(started)}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function buildImage(name: ImageName, tags: ImageTags, progress: (m: string) => void): Promise<void> {
  const started = Date.now();
  progress(`${name}: docker build -> ${tags[name]}`);
  const args = ["build", "--build-arg", `BASE=${tags.base}`, "--label", `harbor-ci-test.image=${name}`, "-t", tags[name], join(IMAGES_DIR, name)];
  await run("docker", args, (line) => {
    // Legacy builder ("Step 2/7 : RUN ...") and BuildKit ("#5 [2/4] RUN ...") step lines.
    const step = /^Step \d+\/\d+ : .*/.exec(line) ?? /^#\d+ \[\S* ?\d+\/\d+\] .*/.exec(line);
    if (step) progress(`${name}: ${step[0].slice(0, 110)} (${since(started)})`);
  }).catch((error: Error) => {
    throw new Error(`Building test image ${name} (${join(IMAGES_DIR, name)}) failed: ${error.message}`);
  });
  progress(`${name}: done in ${since(started)}`);
}

/** Runs a command; rejects with the tail of its output when it fails. */
function run(cmd: string, args: string[], onLine?: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DOCKER_CLI_HINTS: "false" } });
    const tail: string[] = [];
    let pending = "";
    const onData = (chunk: Buffer): void => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 40) tail.shift();
        onLine?.(line);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (error) => reject(new Error(`cannot run ${cmd}: ${error.message}`)));
    child.on("close", (code) => {
      if (pending) tail.push(pending);
      if (code === 0) resolvePromise();
      else reject(new Error(`\`${cmd} ${args.join(" ")}\` exited with ${code}:\n${tail.join("\n")}`));
    });
  });
}
