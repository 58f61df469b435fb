import type { CommonInputs } from "../common-inputs.ts";

/** Inputs of the `build-push` component. */
export interface BuildPushInputs extends CommonInputs {
  /**
   * Name of the job this component adds to the pipeline.
   * @default build-push
   * @pattern ^[A-Za-z0-9_][A-Za-z0-9_ .:/-]*$
   */
  job_name?: string;

  /**
   * Stage the job runs in. The stage must exist in the pipeline's `stages`.
   * @default build
   */
  stage?: string;

  /**
   * Repository name inside the Harbor project, for example `my-app` or `team/my-app`.
   * @pattern ^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$
   */
  image_name: string;

  /**
   * Tags to push. All of them point to the same digest.
   * @default ["$CI_COMMIT_SHORT_SHA"]
   */
  tags?: string[];

  /**
   * When to also push `latest`: on the default branch only, always, or never.
   * @default default-branch
   */
  latest?: "default-branch" | "always" | "never";
}
