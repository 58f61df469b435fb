import type { CommonInputs } from "../common-inputs.ts";

/** Inputs of the `service-db` component. */
export interface ServiceDbInputs extends CommonInputs {
  /**
   * Name of the job this component adds to the pipeline.
   * @default service-db
   * @pattern ^[A-Za-z0-9_][A-Za-z0-9_ .:/-]*$
   */
  job_name?: string;

  /**
   * Stage the job runs in. The stage must exist in the pipeline's `stages`.
   * @default test
   */
  stage?: string;

  /** Image the test script runs in, for example `<harbor>/<proxy-project>/library/node:20`. */
  image: string;

  /** The test script: shell commands run one after another; the job fails at the first failing one. */
  script: string[];

  /**
   * Database service image, for example from the Harbor proxy cache.
   * @default postgres:16
   */
  db_image?: string;
}
