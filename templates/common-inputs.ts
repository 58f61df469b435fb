// Inputs every component takes, declared once (GitLab's OpenTofu component re-declares them in
// every template by hand). Each component's interface extends this one and re-declares
// `job_name` and `stage` (and `needs` for pull-run) only to give them its own default.

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
