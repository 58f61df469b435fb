// vitest globalSetup of the integration project: removes what crashed runs left behind, builds
// the test images once (with progress), detects how dind can run here, and on teardown removes
// every container, network and volume this run created.
import type { TestProject } from "vitest/node";
import { cleanupResources, sessionId } from "../../scripts/runner/docker.ts";
import { ensureImages, type ImageTags } from "../../scripts/runner/images.ts";
import { dindMode } from "../../scripts/runner/runner.ts";

declare module "vitest" {
  export interface ProvidedContext {
    harborCiImages: ImageTags;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const session = sessionId(); // exported through the environment to the test workers
  const stale = await cleanupResources();
  if (stale.containers + stale.networks + stale.volumes > 0) {
    process.stderr.write(`[global-setup] removed leftovers of dead runs: ${JSON.stringify(stale)}\n`);
  }
  const images = await ensureImages();
  process.env.HARBOR_CI_DIND_MODE ??= await dindMode(images);
  process.stderr.write(`[global-setup] session ${session}, dind mode ${process.env.HARBOR_CI_DIND_MODE}\n`);
  project.provide("harborCiImages", images);
  return async () => {
    const removed = await cleanupResources({ session });
    if (removed.containers + removed.networks + removed.volumes > 0) {
      process.stderr.write(`[global-setup] teardown removed ${JSON.stringify(removed)}\n`);
    }
  };
}
