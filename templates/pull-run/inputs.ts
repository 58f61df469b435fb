import type { CommonInputs, DockerDaemonInputs, RegistryCredentialsInputs } from "../common-inputs.ts";

/** Inputs of the `pull-run` component. */
export interface PullRunInputs extends RegistryCredentialsInputs, DockerDaemonInputs, CommonInputs {
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
   * Jobs this job needs, as a GitLab `needs` list. The default takes the dotenv report (`IMAGE_REF`)
   * of a job named `build-push` when the pipeline has one; name your build job here if it is
   * called otherwise. `[]` needs no job.
   * @default [{"job": "build-push", "optional": true}]
   */
  needs?: Array<Record<string, unknown> | string>;

  // --- What to run ---

  /**
   * Image to pull and run, as `repository:tag` or `repository@digest`. The default is the exact
   * image a `build-push` job pushed (its dotenv report's `IMAGE_REF`).
   * @default $IMAGE_REF
   * @pattern ^(?:[A-Za-z0-9_]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})(?:[A-Za-z0-9_/:@-]|\.(?:[A-Za-z0-9_/:@-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})*$
   */
  image?: string;

  /**
   * Command and arguments to run in the container, one argument per line (a YAML block scalar,
   * `|`); empty runs the image's default command. Each line is one argument, passed as data:
   * quotes, `$(...)` and `;` are not interpreted. Empty lines are skipped.
   * @default ""
   */
  command?: string;

  /**
   * Executable that replaces the image's entrypoint (`docker run --entrypoint`); empty keeps it.
   * @default ""
   * @pattern ^[^\n\r]*$
   */
  entrypoint?: string;

  /**
   * Options of `docker run`, one per line, each line one argument: write `--env=NAME=value`,
   * `--env=NAME` (passes the job's variable), `--workdir=/app`, `--user=1000`. The job always adds
   * `--rm`.
   * @default ""
   * @pattern ^[ \t]*(#[^\n]*|-[^\n]*)?(\n[ \t]*(#[^\n]*|-[^\n]*)?)*$
   */
  run_options?: string;

  /**
   * How many times to retry a pull that failed for a transient reason (network, 5xx), waiting
   * 2 s, 4 s, 8 s... in between. A missing image or refused credentials are not retried.
   * @default 3
   */
  pull_retries?: number;

  // --- Registry ---

  /**
   * The Harbor registry, as `host` or `host:port`. Empty takes it from the Harbor integration's
   * `HARBOR_URL`. The job logs in only when the image comes from this registry and credentials
   * are set; other images are pulled anonymously.
   * @default ""
   * @pattern ^([A-Za-z0-9.-]+(:[0-9]{1,5})?|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})?$
   */
  registry?: string;

  // --- Docker ---

  /**
   * Image of the job: a Docker CLI on Alpine (busybox). Point it to a proxy cache or mirror, for
   * example `harbor.example.com/dockerhub/library/docker:27`.
   * @default docker:27
   * @pattern ^(?:[A-Za-z0-9_]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})(?:[A-Za-z0-9_/:@-]|\.(?:[A-Za-z0-9_/:@-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})*$
   */
  docker_image?: string;
}
