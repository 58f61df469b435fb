// `harbor-ci validate`'s work, between the command's parsing and its output: the pipeline checked
// once to find its pinned includes, then again with the schemas of each pinned version.
import type { Diagnostic } from "../cli/diagnostics.ts";
import type { InputsSchema } from "../ci/inputs-schema.ts";
import type { Band } from "../ci/versions.ts";
import { packageInfo } from "../release/package-info.ts";
import { validatePipeline, type ValidateResult } from "./pipeline.ts";
import { followPins, type FollowedPins } from "./pins.ts";

export interface ValidateRequest {
  file: string;
  projectDir: string;
  /** This package's schemas, or those of --schemas. */
  schemas: Map<string, InputsSchema>;
  /** --schemas was given: every include is checked against `schemas`, GitLab is never asked. */
  schemasGiven: boolean;
  library: string;
  bands: readonly Band[] | undefined;
  offline: boolean;
}

export interface ValidateOutcome {
  includes: ValidateResult["includes"];
  diagnostics: Diagnostic[];
  /** The versions the includes pin and where their schemas came from (empty with --schemas). */
  versions: FollowedPins["versions"];
  errors: number;
  warnings: number;
}

export async function validateRequest(request: ValidateRequest, env: Record<string, string | undefined>): Promise<ValidateOutcome> {
  const { file, projectDir, schemas, library, bands } = request;
  const base = { file, projectDir, schemas, library, bands };
  // First pass: the includes and their pins; then the schemas of each pinned version.
  const pkg = packageInfo();
  const pins = request.schemasGiven
    ? undefined
    : await followPins({
        includes: validatePipeline(base).includes,
        installedVersion: pkg.version,
        bundled: schemas,
        env,
        online: !request.offline,
        ...(pkg.name.startsWith("@") ? { packageName: pkg.name } : {}),
      });
  const result = validatePipeline(pins ? { ...base, schemasFor: pins.schemasFor } : base);
  if (pins) result.diagnostics.push(...pins.diagnostics);
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  return { includes: result.includes, diagnostics: result.diagnostics, versions: pins?.versions ?? [], errors, warnings: result.diagnostics.length - errors };
}
