// The harness with TLS everywhere: dind with DOCKER_TLS_CERTDIR and the job's DOCKER_HOST
// variables as GitLab documents them, Harbor on a non-default port (HARBOR_URL carries it), and the
// registry going down and coming back with its content.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureImages, type ImageTags } from "../../scripts/runner/images.ts";
import { RegistryFixture } from "../../scripts/runner/registry.ts";
import { runJob, type JobDefinition } from "../../scripts/runner/runner.ts";
import { SAMPLE_APP_DIR } from "./sample-app.ts";

const tlsPortJob: JobDefinition = {
  image: "docker:27",
  services: ["docker:27-dind"],
  variables: {
    DOCKER_HOST: "tcp://docker:2376",
    DOCKER_TLS_CERTDIR: "/certs",
    DOCKER_TLS_VERIFY: "1",
    DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client",
  },
  before_script: ['REGISTRY="${HARBOR_URL#https://}"', 'echo "$HARBOR_PASSWORD" | docker login "$REGISTRY" -u "$HARBOR_USERNAME" --password-stdin'],
  script: [
    'docker version --format "server {{.Server.Version}}"',
    'docker build -t "$REGISTRY/$HARBOR_PROJECT/tls-app:$CI_COMMIT_SHORT_SHA" .',
    'docker push "$REGISTRY/$HARBOR_PROJECT/tls-app:$CI_COMMIT_SHORT_SHA"',
    'echo "IMAGE_REF=$REGISTRY/$HARBOR_PROJECT/tls-app:$CI_COMMIT_SHORT_SHA" > build.env',
  ],
  artifacts: { reports: { dotenv: "build.env" } },
};

describe("harness: TLS dind and a Harbor on port 5443", () => {
  let images: ImageTags;
  let registry: RegistryFixture;

  beforeAll(async () => {
    images = inject("harborCiImages") ?? (await ensureImages());
    // Only 5443: a job that drops the port cannot reach it, as with a real Harbor on 5443.
    registry = await RegistryFixture.start({ images, extraPorts: [] });
  });

  afterAll(async () => {
    await registry?.dispose();
  });

  it("pushes over TLS to host:port from HARBOR_URL and hands the reference on through dotenv", async () => {
    const mark = await registry.mark();
    const result = await runJob(tlsPortJob, {
      name: "tls-port-push",
      projectDir: SAMPLE_APP_DIR,
      images,
      harbor: registry.integration(),
      registry,
      scenario: { tag: "v1.0.0", sha: "fedcba9876543210fedcba9876543210fedcba98" },
    });
    expect(result.status, result.log).toBe("success");
    expect(result.log).toMatch(/server \d+\./);
    expect(result.variables.HARBOR_HOST).toBe("harbor.test");
    expect(result.dotenv).toEqual({ IMAGE_REF: "harbor.test:5443/harbor-ci/tls-app:fedcba98" });
    expect(await registry.tags("harbor-ci/tls-app")).toEqual(["fedcba98"]);
    const uploads = await registry.blobUploads(mark);
    expect(uploads.length).toBeGreaterThan(0);
    expect(uploads.every((u) => u.host === "harbor.test:5443")).toBe(true);
  });

  it("fails the guide's login when $HARBOR_HOST drops the port of a Harbor on 5443", async () => {
    const result = await runJob(
      {
        image: "docker:27",
        services: ["docker:27-dind"],
        script: ['echo "$HARBOR_PASSWORD" | docker login "$HARBOR_HOST" -u "$HARBOR_USERNAME" --password-stdin'],
      },
      { name: "login-without-port", images, harbor: registry.integration(), registry, timeoutMs: 120_000 },
    );
    expect(result.status).toBe("failed");
    expect(result.log).toMatch(/harbor\.test/);
  });

  it("keeps the registry's content when it goes down and comes back", async () => {
    await registry.stop();
    await expect(registry.tags("harbor-ci/tls-app")).rejects.toThrow();
    await registry.start();
    expect(await registry.tags("harbor-ci/tls-app")).toEqual(["fedcba98"]);
  });
});
