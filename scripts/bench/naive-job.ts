// The user guide's naive `build-image` job, verbatim (reference/registry-gitlab-ci-guide.txt,
// "Push an image from a pipeline"): the baseline the components are compared with.
import type { JobDefinition } from "../runner/runner.ts";

export const NAIVE_JOB_NAME = "build-image";

export const naiveBuildJob: JobDefinition = {
  stage: "build",
  image: "docker:27",
  services: ["docker:27-dind"],
  variables: {
    IMAGE: "$HARBOR_HOST/$HARBOR_PROJECT/my-app",
  },
  before_script: ['echo "$HARBOR_PASSWORD" | docker login "$HARBOR_HOST" -u "$HARBOR_USERNAME" --password-stdin'],
  script: ['docker build -t "$IMAGE:$CI_COMMIT_SHORT_SHA" -t "$IMAGE:latest" .', 'docker push "$IMAGE:$CI_COMMIT_SHORT_SHA"', 'docker push "$IMAGE:latest"'],
};
