// `harbor-ci validate`: a consumer's pipeline checked offline against this library's published
// input schemas, with GitLab's own messages.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { Diagnostic } from "./diagnostics.ts";
import type { InputsSchema } from "./inputs-schema.ts";
import { validateInputs } from "./inputs.ts";
import { nearest } from "./nearest.ts";
import { parseComponentReference } from "./readme-examples.ts";
import { specInputsFromSchema } from "./spec-inputs.ts";

export interface ValidateOptions {
  /** The pipeline file; local includes are resolved against `projectDir`. */
  file: string;
  projectDir?: string;
  /** Published schemas by component name. */
  schemas: Map<string, InputsSchema>;
  /** A component reference belongs to this library when its project path ends with this. */
  library: string;
  /** The schemas of the version an include pins (validate-pins.ts); undefined: `schemas`. */
  schemasFor?: (version: string) => Map<string, InputsSchema> | undefined;
}

export interface ValidateResult {
  diagnostics: Diagnostic[];
  /** Every component include of this library that was found. */
  includes: Array<{ file: string; line: number; component: string; version: string; reference: string }>;
}

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const SHA = /^[0-9a-f]{40}$/;

/** How a version pins the component: GitLab resolves SHA > tag > branch; `~latest`, `1`, `1.2` move. */
export function pinning(version: string): "pinned" | "moving" | "branch" {
  if (SEMVER.test(version) || SHA.test(version) || version === "$CI_COMMIT_SHA") return "pinned";
  if (version === "~latest" || /^\d+(\.\d+)?$/.test(version)) return "moving";
  return "branch";
}

/** `/schemas/<component>/inputs.schema.json` or `templates/<component>/inputs.schema.json`. */
export function loadSchemas(dir: string): Map<string, InputsSchema> {
  const out = new Map<string, InputsSchema>();
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name, "inputs.schema.json");
    if (entry.isDirectory() && existsSync(file)) out.set(entry.name, JSON.parse(readFileSync(file, "utf8")) as InputsSchema);
  }
  return out;
}

function includesOf(contents: unknown): Node[] {
  if (!isMap(contents)) return [];
  const inc = contents.get("include", true) as Node | undefined;
  if (!inc) return [];
  return isSeq(inc) ? (inc.items as Node[]) : [inc];
}

export function validatePipeline(options: ValidateOptions): ValidateResult {
  const projectDir = resolve(options.projectDir ?? dirname(options.file));
  const diagnostics: Diagnostic[] = [];
  const includes: ValidateResult["includes"] = [];
  const seen = new Set<string>();
  const jobNames = new Map<string, string>();

  const visit = (path: string) => {
    const abs = resolve(path);
    if (seen.has(abs)) return;
    seen.add(abs);
    const file = relative(process.cwd(), abs) || abs;
    if (!existsSync(abs)) {
      diagnostics.push({ code: "FILE_NOT_FOUND", severity: "error", file, line: 0, column: 0, message: "file not found", fix: "check the path of the local include" });
      return;
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(readFileSync(abs, "utf8"), { lineCounter });
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const pos = lineCounter.linePos(e.pos[0]);
      diagnostics.push({ code: "YAML_SYNTAX", severity: "error", file, line: pos.line, column: pos.col, message: e.message.split("\n")[0]!, fix: "fix the YAML syntax" });
      return;
    }
    const at = (node: Node | null | undefined) => {
      const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
      return { file, line: pos.line, column: pos.col };
    };
    for (const node of includesOf(doc.contents)) {
      // `include: ci/build.yml` or `- local: ci/build.yml`: follow it.
      const local = isScalar(node) ? String(node.value) : isMap(node) ? (node.get("local") as string | undefined) : undefined;
      if (local !== undefined && !/^https?:\/\//.test(local)) {
        if (local.includes("*")) {
          diagnostics.push({ code: "LOCAL_WILDCARD", severity: "warning", ...at(node), message: `local include with a wildcard is not followed: ${local}` });
        } else visit(join(projectDir, local.replace(/^\//, "")));
        continue;
      }
      if (!isMap(node)) continue;
      const componentNode = node.get("component", true) as Node | undefined;
      if (!isScalar(componentNode) || typeof componentNode.value !== "string") continue;
      const reference = componentNode.value;
      const ref = parseComponentReference(reference);
      if (!ref || !ref.path.endsWith(options.library)) continue;
      const where = at(componentNode);
      includes.push({ file, line: where.line, component: ref.name, version: ref.version, reference });
      const pin = pinning(ref.version);
      if (pin !== "pinned") {
        diagnostics.push({
          code: pin === "branch" ? "UNPINNED_BRANCH" : "UNPINNED_MOVING_VERSION",
          severity: "warning",
          ...where,
          message:
            pin === "branch"
              ? `\`${ref.name}@${ref.version}\` follows a branch: the pipeline changes whenever the branch moves`
              : `\`${ref.name}@${ref.version}\` resolves to the newest matching release, which changes under you`,
          expected: "a full version such as @1.4.2 (or a commit SHA)",
          actual: ref.version,
          fix: "pin the exact version you tested; `harbor-ci versions` lists them",
        });
      }
      const schemas = options.schemasFor?.(ref.version) ?? options.schemas;
      const components = [...schemas.keys()];
      const schema = schemas.get(ref.name);
      if (!schema) {
        const guess = nearest(ref.name, components);
        diagnostics.push({
          code: "UNKNOWN_COMPONENT",
          severity: "error",
          ...where,
          message: `no component named \`${ref.name}\` in ${options.library}`,
          expected: components.join(", "),
          actual: ref.name,
          fix: guess ? `did you mean \`${guess}\`?` : `use one of: ${components.join(", ")}`,
        });
        continue;
      }
      const inputsNode = node.get("inputs", true) as Node | undefined;
      const inputs = (inputsNode ? (inputsNode as { toJSON(): unknown }).toJSON() : {}) as Record<string, unknown>;
      const { errors, values } = validateInputs(specInputsFromSchema(schema), inputs ?? {});
      const jobName = values["job_name"];
      if (typeof jobName === "string") {
        const first = jobNames.get(jobName);
        if (first) {
          diagnostics.push({
            code: "DUPLICATE_JOB_NAME",
            severity: "error",
            ...where,
            message: `job \`${jobName}\` is already added by the include at ${first}: GitLab would silently merge the two`,
            fix: "give one of them another `job_name` input",
          });
        } else jobNames.set(jobName, `${where.file}:${where.line}`);
      }
      const names = Object.keys(schema.properties);
      for (const message of errors) {
        const unknown = /^unknown input arguments: (.*)$/.exec(message);
        if (unknown) {
          for (const name of unknown[1]!.split(", ")) {
            const keyNode = isMap(inputsNode) ? inputsNode.items.find((p) => isScalar(p.key) && p.key.value === name)?.key : undefined;
            const guess = nearest(name, names);
            diagnostics.push({
              code: "UNKNOWN_INPUT",
              severity: "error",
              ...at((keyNode as Node | undefined) ?? componentNode),
              message: `${ref.name}: unknown input arguments: ${name}`,
              fix: guess ? `did you mean \`${guess}\`?` : `inputs of ${ref.name}: ${names.join(", ")}`,
            });
          }
          continue;
        }
        const input = /^`([^`]+)` input/.exec(message)?.[1];
        const valueNode = input && isMap(inputsNode) ? (inputsNode.items.find((p) => isScalar(p.key) && p.key.value === input)?.value as Node | undefined) : undefined;
        const prop = input ? schema.properties[input] : undefined;
        diagnostics.push({
          code: "INVALID_INPUT",
          severity: "error",
          ...at(valueNode ?? componentNode),
          message: `${ref.name}: ${message}`,
          expected: prop ? [prop.type, prop.enum ? `one of ${prop.enum.join(", ")}` : "", prop.pattern ? `matching ${prop.pattern}` : ""].filter(Boolean).join(", ") : undefined,
          fix: prop?.description ? `${input}: ${prop.description}` : undefined,
        });
      }
    }
  };
  visit(options.file);
  return { diagnostics, includes };
}
