import type { CommonInputs } from "../common-inputs.ts";

/** Inputs of the `scan-gate` component. */
export interface ScanGateInputs extends CommonInputs {
  /**
   * Name of the job this component adds to the pipeline.
   * @default scan-gate
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
   * called otherwise.
   * @default [{"job": "build-push", "optional": true}]
   */
  needs?: Array<Record<string, unknown> | string>;

  // --- What to check ---

  /**
   * Image to check, by digest: `<harbor-host>/<project>/<repository>[:tag]@sha256:<digest>`. The
   * default is the exact image a `build-push` job pushed (its dotenv report's `IMAGE_REF`).
   * @default $IMAGE_REF
   * @pattern ^(?:[A-Za-z0-9._/:@-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+$
   */
  image?: string;

  /**
   * Lowest severity that fails the job. `never` only reports.
   * @default high
   */
  fail_on?: "unknown" | "negligible" | "low" | "medium" | "high" | "critical" | "never";

  /**
   * Longest wait, in seconds, for Harbor's scan to finish (it is started when the image was never
   * scanned and the robot may). The job fails with exit code 4 when the scan is still running.
   * @default 600
   */
  timeout?: number;

  /**
   * Allow-list file in the repository, one accepted vulnerability a line:
   * `<ID> <YYYY-MM-DD> [reason]` (the date is the last day the entry holds). Expired entries allow
   * nothing and are reported. Empty: no allow list.
   * @default ""
   */
  allow_list?: string;

  // --- Reports ---

  /**
   * Path of GitLab's container-scanning report (`artifacts:reports:container_scanning`): the
   * findings in the merge request's security widget and the vulnerability report (Ultimate).
   * @default gl-container-scanning-report.json
   * @pattern ^[^\n\r]+$
   */
  report?: string;

  /**
   * Path of the JUnit report (`artifacts:reports:junit`): one test case per finding at or above
   * `fail_on`, shown in the merge request's test summary on every tier.
   * @default harbor-scan-junit.xml
   * @pattern ^[^\n\r]+$
   */
  junit_report?: string;

  // --- Harbor ---

  /**
   * The registry that serves Harbor's images, as `host` or `host:port`, when image references use
   * another name than `HARBOR_URL`'s host (for example an API URL internal to the cluster). Empty:
   * `HARBOR_URL`'s host. The image must come from this registry.
   * @default ""
   */
  registry?: string;

  /**
   * Name of the CI/CD variable holding Harbor's user. The default is the Harbor integration's.
   * @default HARBOR_USERNAME
   * @pattern ^[A-Za-z_][A-Za-z0-9_]*$
   */
  username_variable?: string;

  /**
   * Name of the CI/CD variable holding Harbor's password. The default is the Harbor integration's.
   * The secret itself never goes in an input nor on a command line.
   * @default HARBOR_PASSWORD
   * @pattern ^[A-Za-z_][A-Za-z0-9_]*$
   */
  password_variable?: string;

  /**
   * Name of a CI/CD variable holding the PEM certificate of a private CA that signed Harbor's TLS
   * certificate (given to Node.js as `NODE_EXTRA_CA_CERTS`). Empty trusts the system CAs only.
   * @default ""
   */
  harbor_ca_variable?: string;

  // --- The harbor-ci tool ---

  /**
   * Image of the job: Node.js 20 or later with npm. Point it to a proxy cache or mirror, for
   * example `harbor.example.com/dockerhub/library/node:20-slim`.
   * @default node:20-slim
   * @pattern ^(?:[A-Za-z0-9._/:@-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+$
   */
  node_image?: string;

  /**
   * npm package of the `harbor-ci` CLI, as this library's release publishes it: scoped with the
   * library's top-level group in lower case, the same in every consumer's group. A path to a
   * package tarball (`./harbor-ci.tgz`) installs that file instead.
   * @default "@my-group/harbor-ci-components"
   * @pattern ^[^\s]+$
   */
  package?: string;

  /**
   * Version of the package to install. It is this component's own version: keep both pinned to
   * the same release (GitLab 17.x cannot interpolate a component's version).
   * @default 0.1.0
   * @pattern ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$
   */
  package_version?: string;

  /**
   * npm registry of the package's scope, authenticated with `CI_JOB_TOKEN`. The default is the
   * GitLab instance's npm endpoint, which finds the library's package by its scope (the library's
   * top-level group), whatever group this project is in. Empty: npm's configured registry, without
   * credentials.
   * @default ${CI_API_V4_URL}/packages/npm/
   */
  npm_registry?: string;
}
