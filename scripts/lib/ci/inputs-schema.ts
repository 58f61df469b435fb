// The shape of a component's published input schema (templates/<name>/inputs.schema.json): what
// the toolchain generates from inputs.ts and what validate reads back, offline or at a pinned version.

export type GitlabInputType = "string" | "number" | "boolean" | "array";

export interface InputProperty {
  description?: string;
  type: GitlabInputType;
  default?: unknown;
  enum?: Array<string | number>;
  pattern?: string;
  items?: unknown;
}

export interface InputsSchema {
  $schema: string;
  $comment: string;
  title: string;
  description?: string;
  type: "object";
  properties: Record<string, InputProperty>;
  required: string[];
  additionalProperties: false;
}
