// Where things are: the one place that knows the project's layout.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The nearest folder above this module that holds package.json: the checkout (this file is
 * scripts/lib/project.ts) or the installed package (the bundled CLI is dist/cli.js, one level
 * down), so templates/ and package.json are found from both.
 */
export const projectRoot = packageRootAbove(dirname(fileURLToPath(import.meta.url)));

function packageRootAbove(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, "package.json"))) return at;
    if (dirname(at) === at) return resolve(dir, "../..");
  }
}

export interface ComponentPaths {
  name: string;
  dir: string;
  template: string;
  inputs: string;
  schema: string;
}

/** GitLab's rule for component names (templates/<name>/template.yml). */
export const COMPONENT_NAME = /^[\w-]+$/;

/** The exported interface for component `build-push` is `BuildPushInputs`. */
export function inputsTypeName(component: string): string {
  return (
    component
      .split(/[-_]/)
      .filter(Boolean)
      .map((part) => part[0]!.toUpperCase() + part.slice(1))
      .join("") + "Inputs"
  );
}

export function componentPaths(name: string, templatesDir = join(projectRoot, "templates")): ComponentPaths {
  const dir = join(templatesDir, name);
  return {
    name,
    dir,
    template: join(dir, "template.yml"),
    inputs: join(dir, "inputs.ts"),
    schema: join(dir, "inputs.schema.json"),
  };
}

/** Every component: a folder under templates/ holding template.yml. Sorted, so output is stable. */
export function listComponents(templatesDir = join(projectRoot, "templates")): ComponentPaths[] {
  if (!existsSync(templatesDir)) return [];
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(templatesDir, e.name, "template.yml")))
    .map((e) => componentPaths(e.name, templatesDir))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Upstream files the checks and tests read, vendored with their licence and provenance
 * (vendor/<upstream>/SOURCE.json; refreshed by scripts/vendor/refresh.ts).
 */
export const VENDORED = {
  /** GitLab's JSON schema for .gitlab-ci.yml (app/assets/javascripts/editor/schema/ci.json). */
  gitlabSchema: join(projectRoot, "vendor", "gitlab", "ci.schema.json"),
  /** Harbor's API description (api/v2.0/swagger.yaml). */
  harborSwagger: join(projectRoot, "vendor", "harbor", "swagger.yaml"),
} as const;

/** GitLab's own JSON schema for .gitlab-ci.yml: --gitlab-schema, then $GITLAB_CI_SCHEMA, then the vendored copy. */
export function gitlabSchemaPath(option?: string): { path: string; explicit: boolean } {
  if (option) return { path: resolve(option), explicit: true };
  const env = process.env.GITLAB_CI_SCHEMA;
  if (env) return { path: resolve(env), explicit: true };
  return { path: VENDORED.gitlabSchema, explicit: false };
}
