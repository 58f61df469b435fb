import type { CommonInputs } from "../common-inputs.ts";

/** Inputs of the `pull-run` component. */
export interface PullRunInputs extends CommonInputs {
  /**
   * Name of the job this component adds to the pipeline.
   * @default pull-run
   * @pattern ^[A-Za-z0-9_][A-Za-z0-9_ .:/-]*$
   */
  job_name?: string;

  /**
   * Stage the job runs in. The stage must exist in the pipeline's `stages`.
   * @default test
   */
  stage?: string;

  /**
   * Image to pull and run, as `repository:tag` or `repository@digest`. The default is the exact
   * image a `build-push` job pushed (its dotenv report's `IMAGE_REF`).
   * @default $IMAGE_REF
   */
  image?: string;

  /**
   * Command and arguments to run in the container; empty runs the image's default command.
   * @default []
   */
  command?: string[];
}
