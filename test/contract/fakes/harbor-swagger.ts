// Validates the Harbor fake's answers against Harbor's own API description
// (vendor/harbor/swagger.yaml: goharbor/harbor api/v2.0/swagger.yaml, commit in
// vendor/harbor/SOURCE.json): the path and method must be an operation of the swagger, the status
// one of its documented responses, and the body must match that response's schema. Swagger 2.0
// schemas are JSON Schema draft 4 with a few `x-` keywords, so ajv (strict off) checks them once
// the `#/definitions` references are rebased.

import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import YAML from "yaml";
import { projectRoot, VENDORED } from "../../../scripts/lib/project.ts";
import type { FakeResponse, RecordedRequest } from "./server.ts";

/**
 * Harbor's swagger, read when this module loads: a missing file fails every test file that uses
 * the Harbor fake at once, with this message, instead of throwing inside the fake's request
 * handler (where the request would stay unanswered until the client's timeout).
 */
export function readSwagger(path: string): Swagger {
  if (!existsSync(path)) {
    throw new Error(
      `HARBOR_SWAGGER_MISSING: Harbor's API description is not at ${relative(projectRoot, path) || path}; ` +
        "restore it (git checkout -- vendor/harbor) or refresh it (npm run vendor:refresh -- harbor <commit>, see vendor/README.md)",
    );
  }
  const doc = YAML.parse(readFileSync(path, "utf8")) as Swagger | null;
  if (doc?.swagger !== "2.0" || !doc.paths || !doc.definitions) {
    throw new Error(`HARBOR_SWAGGER_INVALID: ${path} is not a Swagger 2.0 document with paths and definitions`);
  }
  return doc;
}

interface Operation {
  responses: Record<string, { $ref?: string; schema?: unknown; headers?: Record<string, unknown> }>;
}

export interface Swagger {
  swagger: string;
  basePath: string;
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, unknown>;
  responses: Record<string, { schema?: unknown; headers?: Record<string, unknown> }>;
}

const SWAGGER = readSwagger(VENDORED.harborSwagger);

let loaded: { doc: Swagger; ajv: Ajv; templates: Array<{ path: string; segments: string[]; literals: number }> } | undefined;

function load() {
  if (loaded) return loaded;
  const doc = SWAGGER;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  // Swagger's formats: check date-time (Harbor writes RFC 3339), accept the numeric ones.
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  for (const f of ["int64", "int32", "int", "float", "double", "password", "uri", "email", "binary", "byte"]) ajv.addFormat(f, true);
  ajv.addSchema({ $id: "harbor", definitions: rebase(doc.definitions) });
  const templates = Object.keys(doc.paths).map((path) => {
    const segments = path.split("/").filter(Boolean);
    return { path, segments, literals: segments.filter((s) => !s.startsWith("{")).length };
  });
  loaded = { doc, ajv, templates };
  return loaded;
}

/** `#/definitions/X` -> `harbor#/definitions/X`, everywhere in a schema. */
function rebase(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema && typeof schema === "object") {
    return Object.fromEntries(
      Object.entries(schema as Record<string, unknown>).map(([k, v]) => [
        k,
        k === "$ref" && typeof v === "string" && v.startsWith("#/definitions/") ? `harbor${v}` : rebase(v),
      ]),
    );
  }
  return schema;
}

const compiled = new Map<string, ValidateFunction>();

/**
 * Statuses Harbor sends on operations whose swagger does not list them, each with the code that
 * sends it (goharbor/harbor). Accepted only with an `Errors` body: src/server/error/error.go
 * (SendError) writes every error of every handler as {"errors": [{code, message}]}.
 */
export const UNDOCUMENTED_ERRORS: Readonly<Record<number, string>> = {
  403: "RBAC refusal before the handler runs: src/server/v2.0/handler/base.go RequireProjectAccess/RequireSystemAccess -> errors.ForbiddenError",
  409: "errors.ConflictError: robot name taken (src/controller/robot), a scan already running (src/controller/scan/base_controller.go makeReportPlaceholder)",
  412: "errors.PreconditionFailedError: no scanner for the project (src/controller/scan/base_controller.go Scan)",
  503: "Harbor's nginx/core while a component restarts; tests send it with an Errors body",
};

function validateDefinition(name: string, body: unknown, where: string): string[] {
  const { ajv } = load();
  const key = `definition ${name}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ $ref: `harbor#/definitions/${name}` });
    compiled.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || "(body)"} ${e.message} (as ${name})`);
}

/** The swagger path template a request path (as sent, still percent-encoded) matches, most literal first. */
export function matchOperation(method: string, rawPath: string): { path: string; op: Operation } | undefined {
  const { doc, templates } = load();
  if (!rawPath.startsWith(doc.basePath + "/")) return undefined;
  const segs = rawPath.slice(doc.basePath.length).split("/").filter(Boolean);
  const candidates = templates
    .filter((t) => t.segments.length === segs.length && t.segments.every((s, i) => s.startsWith("{") || s === segs[i]))
    .sort((a, b) => b.literals - a.literals);
  for (const t of candidates) {
    const op = doc.paths[t.path]![method.toLowerCase()];
    if (op) return { path: t.path, op };
  }
  return undefined;
}

/** Problems of one answer against the swagger; empty when it conforms. */
export function swaggerProblems(req: Pick<RecordedRequest, "method" | "rawPath">, res: FakeResponse): string[] {
  const where = `${req.method} ${req.rawPath} -> ${res.status}`;
  const { doc, ajv } = load();
  const m = matchOperation(req.method, req.rawPath);
  if (!m) return [`${where}: no such operation in harbor-swagger.yaml`];
  let response = m.op.responses[String(res.status)] ?? m.op.responses.default;
  if (!response) {
    const reason = UNDOCUMENTED_ERRORS[res.status];
    if (!reason)
      return [
        `${where}: status ${res.status} is not documented for ${req.method.toUpperCase()} ${m.path} (documented: ${Object.keys(m.op.responses).join(", ")})`,
      ];
    // Harbor answers this status on operations whose swagger omits it; its body is still Harbor's
    // error document, written by the one error handler every operation shares.
    return validateDefinition("Errors", res.body, where);
  }
  if (response.$ref) response = doc.responses[response.$ref.replace("#/responses/", "")]!;
  const schema = response.schema as Record<string, unknown> | undefined;
  if (!schema) {
    return res.body === undefined && res.text === undefined ? [] : [`${where}: the swagger documents no body for this response, the fake sent one`];
  }
  // A `type: string` body is written raw by Harbor's handler (the vulnerabilities addition is
  // JSON bytes with its own Content-Type header): any text conforms.
  if (schema.type === "string") return [];
  if (res.body === undefined) return [`${where}: the swagger documents a body (${JSON.stringify(schema).slice(0, 80)}), the fake sent none`];
  const key = `${m.path} ${req.method} ${res.status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(rebase(schema));
    compiled.set(key, validate);
  }
  if (validate(res.body)) return [];
  return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || "(body)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}
