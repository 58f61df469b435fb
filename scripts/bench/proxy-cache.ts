// The bench's base image comes from a Harbor proxy cache project, as the README recommends
// (`harbor.example.com/dockerhub/library/debian:trixie-slim`): every job's fresh Docker daemon
// pulls it from the registry, as a fresh dind on GitLab pulls it from Docker Hub or the proxy.
//
// Why not the harness's preloaded `debian:trixie-slim`: an image that arrived by `docker load`
// has no registry metadata, so `docker push` uploads its layer again every time instead of finding
// it in the registry. A real daemon that pulled the base finds it ("Layer already exists" or
// "Mounted from"); a preloaded base would charge the naive job ~30 MB a push that GitLab would
// not upload.
import { spawnSync } from "node:child_process";
import { imageExists } from "../runner/docker.ts";
import type { ImageTags } from "../runner/images.ts";
import type { RegistryFixture } from "../runner/registry.ts";
import { runJob, type JobDefinition } from "../runner/runner.ts";

/** Repository of the proxy cache inside the registry fixture (host added by the job). */
export const PROXY_BASE_PATH = "dockerhub/library/debian:trixie-slim";

/** Pushes the Debian base into the registry's proxy-cache path, from a throwaway job. */
export async function seedProxyCache(registry: RegistryFixture, images: ImageTags): Promise<string> {
  const seed: JobDefinition = {
    image: "docker:27",
    services: ["docker:27-dind"],
    script: [
      'echo "$HARBOR_PASSWORD" | docker login "$HARBOR_HOST" -u "$HARBOR_USERNAME" --password-stdin',
      `docker tag debian:trixie-slim "$HARBOR_HOST/${PROXY_BASE_PATH}"`,
      `docker push -q "$HARBOR_HOST/${PROXY_BASE_PATH}"`,
    ],
  };
  const result = await runJob(seed, { name: "seed-proxy-cache", harbor: registry.integration({ withPort: false }), registry, images });
  if (result.status !== "success") throw new Error(`seeding the proxy cache failed:\n${result.log.split("\n").slice(-20).join("\n")}`);
  return `${registry.hostname}/${PROXY_BASE_PATH}`;
}

const EMPTY_IMAGE = "harbor-ci-test/empty:1";

/**
 * An image with no files, for the harness to "preload" into the measured jobs' dind services
 * instead of the Debian base (RunJobOptions.images.base is always loaded): their daemons start
 * empty, as on GitLab. Labelled like the test images (`docker image prune -a --filter
 * label=harbor-ci-test.image` removes it).
 */
export async function emptyImage(): Promise<string> {
  if (await imageExists(EMPTY_IMAGE)) return EMPTY_IMAGE;
  const tar = spawnSync("tar", ["-cf", "-", "--files-from", "/dev/null"]);
  const r = spawnSync("docker", ["import", "--change", "LABEL harbor-ci-test.image=empty", "-", EMPTY_IMAGE], { input: tar.stdout, encoding: "buffer" });
  if (r.status !== 0) throw new Error(`docker import of an empty image failed: ${r.stderr.toString()}`);
  return EMPTY_IMAGE;
}
