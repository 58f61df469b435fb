import type { CommonInputs, DockerDaemonInputs, RegistryCredentialsInputs } from "../common-inputs.ts";

/** Inputs of the `build-push` component. */
export interface BuildPushInputs extends RegistryCredentialsInputs, DockerDaemonInputs, CommonInputs {
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

  // --- What to build ---

  /**
   * Repository name inside the Harbor project, for example `my-app` or `team/my-app`.
   * @pattern ^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$
   */
  image_name: string;

  /**
   * Build context directory, relative to the repository root.
   * @default .
   * @pattern ^[^\n\r]+$
   */
  context?: string;

  /**
   * Dockerfile path, relative to `context` (as in Compose).
   * @default Dockerfile
   * @pattern ^[^\n\r]+$
   */
  dockerfile?: string;

  /**
   * Stage of a multi-stage Dockerfile to build (`--target`); empty builds the last stage.
   * @default ""
   * @pattern ^([A-Za-z0-9][A-Za-z0-9_.-]*)?$
   */
  target?: string;

  /**
   * Build arguments, one `NAME=value` per line (a YAML block scalar, `|`). A line with `NAME` alone
   * passes the job's variable of that name. Values are data: `$VAR` is expanded by the runner, and
   * nothing else is interpreted. Empty lines and lines starting with `#` are skipped.
   * @default ""
   * @pattern ^[ \t]*(#[^\n]*|[A-Za-z_][A-Za-z0-9_]*(=[^\n]*|[ \t\r]*))?(\n[ \t]*(#[^\n]*|[A-Za-z_][A-Za-z0-9_]*(=[^\n]*|[ \t\r]*))?)*$
   */
  build_args?: string;

  /**
   * Extra image labels, one `key=value` per line, added to the OCI labels the job always sets
   * (`org.opencontainers.image.source`, `revision`, `created`, `version`, `title`). A line may
   * override one of those.
   * @default ""
   * @pattern ^[ \t]*(#[^\n]*|[A-Za-z0-9][A-Za-z0-9._/-]*=[^\n]*)?(\n[ \t]*(#[^\n]*|[A-Za-z0-9][A-Za-z0-9._/-]*=[^\n]*)?)*$
   */
  labels?: string;

  // --- Tags ---

  /**
   * Tags to push, separated by spaces or newlines; `$VAR` references are expanded by the runner.
   * All tags point to the same digest. On a tag pipeline the git tag is pushed too.
   * @default $CI_COMMIT_SHORT_SHA
   * @pattern ^\s*((?:[A-Za-z0-9_.-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+(\s+(?:[A-Za-z0-9_.-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+)*)?\s*$
   */
  tags?: string;

  /**
   * When to also push `latest`: on the default branch only, always, or never.
   * @default default-branch
   */
  latest?: "default-branch" | "always" | "never";

  // --- Layer cache ---

  /**
   * Layer cache. `registry`: BuildKit's registry cache in mode max, so every stage is cached
   * (builder stages too), stored in the Harbor project as one `buildcache-<branch>` tag per branch,
   * read from the current branch then the default branch. `inline`: the image carries the cache of
   * its own layers (final stage only), as before 2.0.0. `none`: build from scratch.
   * @default registry
   */
  cache?: "registry" | "inline" | "none";

  /**
   * Repository of the registry cache (`cache: registry`), inside the same Harbor project, for
   * example `my-app-cache`. Empty keeps it in the image's repository, beside the image's tags.
   * @default ""
   * @pattern ^([a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*)?$
   */
  cache_repository?: string;

  /**
   * More caches to read, one reference per line, for example `$CI_REGISTRY_IMAGE:main`: images
   * built with the inline cache, or registry caches (a `buildcache-<branch>` tag of this component).
   * @default ""
   * @pattern ^\s*((?:[A-Za-z0-9._/:@-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+(\s+(?:[A-Za-z0-9._/:@-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+)*)?\s*$
   */
  cache_from?: string;

  // --- Push ---

  /**
   * How many times to retry a push that failed for a transient reason (network, 5xx), waiting 2 s,
   * 4 s, 8 s... in between. Authentication and permission errors are not retried.
   * @default 3
   */
  push_retries?: number;

  /**
   * Name prefix of the dotenv report's variables, for a pipeline that builds several images:
   * `API_` gives `API_IMAGE`, `API_IMAGE_TAG`, `API_IMAGE_DIGEST`, `API_IMAGE_REF`.
   * @default ""
   * @pattern ^([A-Za-z_][A-Za-z0-9_]*)?$
   */
  dotenv_prefix?: string;

  // --- Registry ---

  /**
   * Registry as `host` or `host:port`. Empty takes it from the Harbor integration's `HARBOR_URL`
   * (not `HARBOR_HOST`, which drops the port).
   * @default ""
   * @pattern ^([A-Za-z0-9.-]+(:[0-9]{1,5})?|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})?$
   */
  registry?: string;

  /**
   * Harbor project to push to. The default is the Harbor integration's project.
   * @default $HARBOR_PROJECT
   * @pattern ^([a-z0-9]+([._-][a-z0-9]+)*|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})$
   */
  project?: string;

  // --- Docker ---

  /**
   * Image of the job: a Docker CLI with the buildx plugin, on Alpine (busybox). Point it to a
   * proxy cache or mirror, for example `harbor.example.com/dockerhub/library/docker:27`.
   * @default docker:27
   * @pattern ^(?:[A-Za-z0-9_]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})(?:[A-Za-z0-9_/:@-]|\.(?:[A-Za-z0-9_/:@-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})*$
   */
  docker_image?: string;
}
