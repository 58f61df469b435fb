// The project's own pipeline includes each component at `$CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@…`
// (GitLab's recommended self-test). Those includes must load on every supported GitLab version
// too: template-rules.ts renders them like the README examples.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { Example } from "./template-rules.ts";

const SELF = /^\$CI_SERVER_FQDN\/\$CI_PROJECT_PATH\/([\w-]+)@/;

export function selfTestIncludes(text: string, file: string): Map<string, Example[]> {
  const out = new Map<string, Example[]>();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length || !isMap(doc.contents)) return out;
  const inc = doc.contents.get("include", true) as Node | undefined;
  const items = isSeq(inc) ? (inc.items as Node[]) : inc ? [inc] : [];
  for (const node of items) {
    if (!isMap(node)) continue;
    const ref = node.get("component", true) as Node | undefined;
    if (!isScalar(ref) || typeof ref.value !== "string") continue;
    const name = SELF.exec(ref.value)?.[1];
    if (!name) continue;
    const inputsNode = node.get("inputs", true) as { toJSON(): unknown } | undefined;
    const inputs = (inputsNode?.toJSON() ?? {}) as Record<string, unknown>;
    const line = lineCounter.linePos(ref.range?.[0] ?? 0).line;
    const list = out.get(name) ?? [];
    list.push({ inputs, location: { file, line, column: 1 }, label: `the self-test include at ${file}:${line}` });
    out.set(name, list);
  }
  return out;
}
