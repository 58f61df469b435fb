// The job model both modes of the runner emulation share: the subset of .gitlab-ci.yml a runner
// acts on, the job's variables in the runner's precedence and expansion, and the commands of its
// two shells (before_script + script, then after_script). Pure functions.
import { flattenScript } from "./job-script.ts";
import { expandAll, fromYaml, type Variable, type YamlVariableValue } from "./variables.ts";

export type ScriptLines = string | (string | string[])[];

export interface JobImage {
  name: string;
  entrypoint?: string[];
}

export interface JobService {
  name: string;
  alias?: string;
  entrypoint?: string[];
  command?: string[];
  variables?: Record<string, YamlVariableValue>;
}

export interface JobDefinition {
  image?: string | JobImage;
  services?: (string | JobService)[];
  variables?: Record<string, YamlVariableValue>;
  before_script?: ScriptLines;
  script: ScriptLines;
  after_script?: ScriptLines;
  stage?: string;
  artifacts?: { when?: "on_success" | "on_failure" | "always"; reports?: { dotenv?: string | string[]; [kind: string]: string | string[] | undefined } };
  /** Other keywords (rules, needs, tags...) are accepted and ignored. */
  [keyword: string]: unknown;
}

/** Variables given as a record: `{ value, raw }` for one that is not expanded. */
export type VariableRecord = Record<string, string | { value: string; raw?: boolean }>;

export interface VariableSources {
  /** GitLab's predefined variables (lowest precedence). */
  predefined: Variable[];
  /** The Harbor integration's variables. */
  harbor?: Variable[];
  /** Variables from earlier jobs' dotenv reports (`needs`). */
  dotenv?: VariableRecord;
  /** Project/group CI/CD settings variables: highest precedence, not passed to services. */
  settings?: VariableRecord;
}

function toVariables(record: VariableRecord | undefined, isPublic: boolean): Variable[] {
  return Object.entries(record ?? {}).map(([key, v]) =>
    typeof v === "string" ? { key, value: v, public: isPublic } : { key, value: v.value, raw: v.raw, public: isPublic },
  );
}

/**
 * The job's variables, lowest precedence first (the runner's lookup takes the last definition),
 * and the same list expanded once as the runner's `Expand()` does.
 */
export function jobVariables(job: Pick<JobDefinition, "variables">, sources: VariableSources): { all: Variable[]; expanded: Variable[] } {
  const all: Variable[] = [
    ...sources.predefined,
    ...(sources.harbor ?? []),
    ...fromYaml(job.variables),
    ...toVariables(sources.dotenv, true),
    ...toVariables(sources.settings, false),
  ];
  return { all, expanded: expandAll(all) };
}

/** The commands of the job's two shells: before_script + script (one shell), after_script. */
export function stepCommands(job: Pick<JobDefinition, "before_script" | "script" | "after_script">): { main: string[]; after: string[] } {
  return { main: [...flattenScript(job.before_script), ...flattenScript(job.script)], after: flattenScript(job.after_script) };
}
