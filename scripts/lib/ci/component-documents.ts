// Every component rendered as GitLab would merge it, once per README example: what `lint` sends
// to GitLab's CI Lint API besides the pipeline file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { listComponents, projectRoot } from "../project.ts";
import { readmeExamples } from "./readme-examples.ts";
import { renderComponent } from "./render.ts";

export interface RenderedDocument {
  label: string;
  yaml: string;
}

export function renderedReadmeExamples(root = projectRoot): RenderedDocument[] {
  const components = listComponents(join(root, "templates")).map((c) => c.name);
  const { examples } = readmeExamples(readFileSync(join(root, "README.md"), "utf8"), "README.md", components);
  const out: RenderedDocument[] = [];
  for (const [component, list] of examples) {
    for (const ex of list) {
      const { body } = renderComponent(component, ex.inputs, { templatesDir: join(root, "templates") });
      const stages = [
        ...new Set(
          Object.values(body)
            .map((job) => (job as { stage?: string }).stage)
            .filter((s): s is string => !!s),
        ),
      ];
      out.push({ label: `${component} (${ex.label})`, yaml: stringify({ stages, ...body }, { lineWidth: 0 }) });
    }
  }
  return out;
}
