// generate and check: one plan of every generated file, then either write it or compare it.
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { formatDiagnostic, type Diagnostic } from "../cli/diagnostics.ts";
import { loadGitlabSchema } from "../ci/schema.ts";
import { generateInputSchemas, type InputsSchema } from "./inputs-schema.ts";
import { componentPaths, gitlabSchemaPath, listComponents, projectRoot } from "../project.ts";
import { readmeExamples } from "../ci/readme-examples.ts";
import { DiagnosticError } from "../cli/diagnostics.ts";
import { parseTemplate } from "../ci/render.ts";
import { readmeMarkers, readmeTable, specHeaderText, withReadmeTable, withSpecHeader } from "../ci/spec-inputs.ts";
import { withShellBlocks } from "./shell-blocks.ts";
import { checkTemplate } from "./template-rules.ts";
import { CHECK_MARKERS, PatternConversionError, withInputChecks } from "./input-checks.ts";
import { SUPPORT_MARKERS, withSupportTable } from "../ci/versions.ts";
import { selfTestIncludes } from "./self-tests.ts";
import { relocateRegexDiagnostics } from "./regex-source.ts";
import { planPackageFacts } from "./package-facts.ts";
import { planDocRegion } from "./doc-regions.ts";
import { SUBSYSTEM_MARKERS, subsystemsTable } from "./subsystems.ts";

export interface PlannedFile {
  path: string;
  content: string;
}

export interface Plan {
  files: PlannedFile[];
  diagnostics: Diagnostic[];
  notes: string[];
  schemas: Map<string, InputsSchema>;
}

export interface ToolchainOptions {
  root?: string;
  /** --gitlab-schema; else $GITLAB_CI_SCHEMA; else the vendored vendor/gitlab/ci.schema.json. */
  gitlabSchema?: string;
  /** Skip the validation against GitLab's schema (said in a note, never silently). */
  noGitlabSchema?: boolean;
}

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** An error about a whole file: no line to point at. */
function fileError(code: string, file: string, message: string, fix: string, found: Pick<Diagnostic, "expected" | "actual"> = {}): Diagnostic {
  return { code, severity: "error", file, line: 0, column: 0, message, ...found, fix };
}

export function stableJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** Everything `generate` would write, and every rule violation, without touching the disk. */
export function plan(options: ToolchainOptions = {}): Plan {
  const root = options.root ?? projectRoot;
  const templatesDir = join(root, "templates");
  const readmePath = join(root, "README.md");
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const components = listComponents(templatesDir);
  const { schemas, diagnostics } = generateInputSchemas(components, root);
  const files: PlannedFile[] = [];
  const notes: string[] = [];

  const schemaLocation = gitlabSchemaPath(options.gitlabSchema);
  const gitlabSchema = options.noGitlabSchema ? undefined : loadGitlabSchema(schemaLocation.path);
  if (options.noGitlabSchema) {
    notes.push("--no-gitlab-schema: the spec headers and rendered bodies were NOT validated against GitLab's JSON schema.");
  } else if (!gitlabSchema) {
    // A check that silently skips a rule would pass what GitLab rejects: missing is an error.
    diagnostics.push(
      fileError(
        "GITLAB_SCHEMA_MISSING",
        rel(schemaLocation.path),
        `GitLab's JSON schema for .gitlab-ci.yml is not at ${schemaLocation.explicit ? "the path given (--gitlab-schema or GITLAB_CI_SCHEMA)" : "its vendored path"}`,
        schemaLocation.explicit
          ? "give the path of a copy of GitLab's ci.json, or unset GITLAB_CI_SCHEMA to use the vendored one; --no-gitlab-schema skips that validation explicitly"
          : "restore it from git (git checkout -- vendor/gitlab) or refresh it (npm run vendor:refresh -- gitlab <commit>, see vendor/README.md); --no-gitlab-schema skips that validation explicitly",
        { expected: "a copy of GitLab's app/assets/javascripts/editor/schema/ci.json", actual: "no such file" },
      ),
    );
  }

  let readme = read(readmePath);
  for (const c of components) {
    const schema = schemas.get(c.name);
    if (!schema) continue;
    files.push({ path: c.schema, content: stableJson(schema) });
    const template = read(c.template) ?? "";
    const withHeader = withSpecHeader(template, specHeaderText(c.name, schema));
    const shell = withHeader === undefined ? undefined : withShellBlocks(withHeader, rel(c.template), (p) => read(join(root, p)));
    if (shell) diagnostics.push(...shell.diagnostics);
    const next = shell?.text;
    if (next === undefined) {
      diagnostics.push(
        fileError(
          "NOT_A_SPEC_DOCUMENT",
          rel(c.template),
          "the template has no `---` line between the spec header and the body",
          "add a `---` line above the jobs; `npm run generate` writes the header",
          { expected: "spec header, `---`, body" },
        ),
      );
      continue;
    }
    let checked: string | undefined;
    try {
      checked = withInputChecks(next, c.name, schema);
      if (checked === undefined) {
        diagnostics.push(
          fileError(
            "INPUT_CHECKS_MARKERS_MISSING",
            rel(c.template),
            "inputs with an empty default and a @pattern are checked by the job, but the body has no marker lines for the generated checks",
            "add the two marker lines in the job's configuration step, then run `npm run generate`",
            { expected: `${CHECK_MARKERS.begin} ... ${CHECK_MARKERS.end}` },
          ),
        );
      }
    } catch (e) {
      if (!(e instanceof PatternConversionError)) throw e;
      diagnostics.push(
        fileError(
          "INPUT_CHECKS_FAILED",
          rel(c.template),
          `cannot generate the job's input checks: ${e.message}`,
          "write the @pattern in RE2 syntax that POSIX ERE shares, or give the input a non-empty default",
        ),
      );
    }
    files.push({ path: c.template, content: checked ?? next });
    if (readme !== undefined) {
      const updated = withReadmeTable(readme, c.name, readmeTable(schema));
      if (updated === undefined) {
        const { begin, end } = readmeMarkers(c.name);
        diagnostics.push(
          fileError(
            "README_MARKERS_MISSING",
            rel(readmePath),
            `README.md has no generated inputs table for \`${c.name}\``,
            `add the two marker lines to the component's section, then run \`npm run generate\``,
            { expected: `${begin} ... ${end}` },
          ),
        );
      } else readme = updated;
    }
  }
  if (readme !== undefined) {
    const supported = withSupportTable(readme);
    if (supported === undefined) {
      diagnostics.push(
        fileError(
          "README_MARKERS_MISSING",
          rel(readmePath),
          "README.md has no generated GitLab support table",
          "add the two marker lines to the README's requirements, then run `npm run generate`",
          { expected: `${SUPPORT_MARKERS.begin} ... ${SUPPORT_MARKERS.end}` },
        ),
      );
    } else readme = supported;
  }
  if (readme !== undefined) files.push({ path: readmePath, content: readme });
  else {
    diagnostics.push(
      fileError("README_MISSING", rel(readmePath), "README.md is missing (GitLab requires it to publish to the CI/CD Catalog)", "write README.md"),
    );
  }
  for (const region of [
    planPackageFacts(root, rel),
    planDocRegion(root, rel, {
      doc: "CONTRIBUTING.md",
      markers: SUBSYSTEM_MARKERS,
      what: "generated table of subsystems",
      where: "its Layout section",
      body: subsystemsTable,
    }),
  ]) {
    files.push(...region.files);
    diagnostics.push(...region.diagnostics);
  }

  const examples =
    readme !== undefined
      ? readmeExamples(
          readme,
          rel(readmePath),
          components.map((c) => c.name),
        )
      : undefined;
  if (examples) diagnostics.push(...examples.diagnostics);
  const pipelinePath = join(root, ".gitlab-ci.yml");
  const pipeline = read(pipelinePath);
  const selfTests = pipeline !== undefined ? selfTestIncludes(pipeline, rel(pipelinePath)) : new Map();
  for (const c of components) {
    const planned = files.find((f) => f.path === c.template)?.content ?? read(c.template);
    if (planned === undefined) continue;
    try {
      const parsed = parseTemplate(planned, rel(c.template));
      diagnostics.push(
        ...checkTemplate(parsed, { component: c.name, gitlabSchema, examples: examples?.examples.get(c.name) ?? [], selfTests: selfTests.get(c.name) ?? [] }),
      );
    } catch (e) {
      if (e instanceof DiagnosticError) diagnostics.push(...e.diagnostics);
      else throw e;
    }
  }
  return { files, diagnostics: relocateRegexDiagnostics(diagnostics, root), notes, schemas };
}

export function stale(files: PlannedFile[]): PlannedFile[] {
  return files.filter((f) => read(f.path) !== f.content);
}

export function report(diagnostics: Diagnostic[]): string {
  return diagnostics.map(formatDiagnostic).join("\n");
}

export { componentPaths };
