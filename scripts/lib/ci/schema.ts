// GitLab's JSON schema for .gitlab-ci.yml, compiled once per process.
import { existsSync, readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

const compiled = new Map<string, ValidateFunction>();

export function loadGitlabSchema(path: string): ValidateFunction | undefined {
  if (!existsSync(path)) return undefined;
  let validate = compiled.get(path);
  if (!validate) {
    // strict: false because the schema uses non-standard keywords (markdownDescription).
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
    validate = ajv.compile(JSON.parse(readFileSync(path, "utf8")));
    compiled.set(path, validate);
  }
  return validate;
}

/**
 * The most useful errors of a failed validation: the schema's oneOf/anyOf produce one error per
 * branch, so keep the deepest paths, which name the offending key.
 */
export interface SchemaProblem {
  message: string;
  /** JSON pointer of the offending value. */
  pointer: string;
}

export function summarizeErrors(errors: ErrorObject[] | null | undefined, max = 3): SchemaProblem[] {
  if (!errors || errors.length === 0) return [];
  const depth = (e: ErrorObject) => e.instancePath.split("/").length;
  const deepest = Math.max(...errors.map(depth));
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const e of errors.filter((x) => depth(x) === deepest && x.keyword !== "oneOf" && x.keyword !== "anyOf")) {
    const extra = e.keyword === "additionalProperties" ? ` (\`${(e.params as { additionalProperty: string }).additionalProperty}\`)` : "";
    const allowed = e.keyword === "enum" ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}` : "";
    const line = `${e.instancePath || "/"} ${e.message}${extra}${allowed}`;
    if (!seen.has(line)) {
      seen.add(line);
      out.push({ message: line, pointer: e.instancePath });
    }
    if (out.length >= max) break;
  }
  return out.length ? out : errors.slice(0, max).map((e) => ({ message: `${e.instancePath || "/"} ${e.message}`, pointer: e.instancePath }));
}
