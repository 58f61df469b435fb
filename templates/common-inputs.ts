// Inputs shared by several components, declared once (GitLab's OpenTofu component re-declares them
// in every template by hand) and composed with `extends`. A component re-declares one only to give
// it its own default (`job_name`, `stage`; `needs` for pull-run) or its own meaning (`registry`,
// `docker_image`). Inherited inputs come after the component's own in the schema, spec:inputs and
// README table, in the order of the `extends` list.

export interface CommonInputs {
  /**
   * Name of the job this component adds to the pipeline. Change it to include the component twice.
   * @pattern ^[A-Za-z0-9_][A-Za-z0-9_ .:/-]*$
   */
  job_name?: string;

  /**
   * Stage the job runs in. The stage must exist in the pipeline's `stages`.
   */
  stage?: string;

  /**
   * When the job runs, as a GitLab `rules` list. The default runs in branch and tag pipelines and
   * skips merge-request pipelines, so that a push to a branch with an open merge request does not
   * run the job twice.
   * @default [{"if": "$CI_PIPELINE_SOURCE == \"merge_request_event\"", "when": "never"}, {"if": "$CI_COMMIT_BRANCH || $CI_COMMIT_TAG"}]
   */
  rules?: Array<Record<string, unknown>>;

  /**
   * Jobs this job needs, as a GitLab `needs` list. The empty default means the job needs no other
   * job: it starts at once, whatever its stage, and downloads no artifacts from earlier jobs. List
   * the jobs whose artifacts or dotenv variables it uses.
   * @default []
   */
  needs?: Array<Record<string, unknown> | string>;
}

/** The registry's credentials and CA, read from CI/CD variables: build-push and pull-run. */
export interface RegistryCredentialsInputs {
  /**
   * Name of the CI/CD variable holding the registry user (a robot account such as
   * `robot$my-project+ci`). The default is the Harbor integration's.
   * @default HARBOR_USERNAME
   * @pattern ^[A-Za-z_][A-Za-z0-9_]*$
   */
  username_variable?: string;

  /**
   * Name of the CI/CD variable holding the registry password (the robot's secret). The default is
   * the Harbor integration's. The secret itself never goes in an input.
   * @default HARBOR_PASSWORD
   * @pattern ^[A-Za-z_][A-Za-z0-9_]*$
   */
  password_variable?: string;

  /**
   * Name of a CI/CD variable holding the PEM certificate of a private CA that signed the registry's
   * TLS certificate; the Docker daemon service then trusts it. Define that variable in
   * `.gitlab-ci.yml` (a CA certificate is public): variables defined only in the UI do not reach
   * services. Empty trusts the system CAs only.
   * @default ""
   * @pattern ^([A-Za-z_][A-Za-z0-9_]*)?$
   */
  registry_ca_variable?: string;
}

/** The Docker-in-Docker service and how the job reaches it: build-push and pull-run. */
export interface DockerDaemonInputs {
  /**
   * Image of the Docker-in-Docker service (reachable as `docker`; TLS on). Point it to a proxy
   * cache or mirror, for example `harbor.example.com/dockerhub/library/docker:27-dind`.
   * @default docker:27-dind
   * @pattern ^(?:[A-Za-z0-9_]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})(?:[A-Za-z0-9_/:@-]|\.(?:[A-Za-z0-9_/:@-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})*$
   */
  dind_image?: string;

  /**
   * Docker daemon address. Empty detects it: `tcp://docker:2376` on the Docker executor,
   * `tcp://localhost:2376` on the Kubernetes executor (where services share the pod). A port
   * 2375 or a `unix://` address turns TLS off.
   * @default ""
   * @pattern ^((tcp|unix)://[^\s]+)?$
   */
  docker_host?: string;

  /**
   * Seconds to wait for the Docker daemon to answer before failing.
   * @default 60
   */
  daemon_timeout?: number;
}
