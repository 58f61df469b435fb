// The project's Markdown docs as the docs tests read them: which files, their prose (generated
// regions and code blocks blanked, line numbers kept), and GitLab's heading anchors.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../scripts/lib/project.ts";

/** The docs a reader of the repository walks: the README, the contributor guide, docs/. */
export function docFiles(root = projectRoot): string[] {
  const docs = existsSync(join(root, "docs"))
    ? readdirSync(join(root, "docs"))
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => `docs/${f}`)
    : [];
  return ["README.md", "CONTRIBUTING.md", ...docs].filter((f) => existsSync(join(root, f)));
}

/** Every Markdown file of the repository that links somewhere (docs, test and example READMEs). */
export function markdownFiles(root = projectRoot): string[] {
  const extra = ["test/README.md", ...readdirSync(join(root, "examples")).map((d) => `examples/${d}/README.md`)];
  return [...docFiles(root), ...extra.filter((f) => existsSync(join(root, f)))];
}

const blank = (s: string) => s.replace(/[^\n]/g, "");

/** The text with every `<!-- BEGIN GENERATED ... -->` ... `<!-- END GENERATED ... -->` region blanked. */
export function withoutGeneratedRegions(text: string): string {
  return text.replace(/<!-- BEGIN GENERATED [\s\S]*?<!-- END GENERATED [^>]*-->/g, blank);
}

/** What a reader reads as sentences: no generated region, no fenced block, no HTML comment. */
export function prose(text: string): string {
  return withoutGeneratedRegions(text)
    .replace(/^( *)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, blank)
    .replace(/<!--[\s\S]*?-->/g, blank);
}

/** Sentences of the prose, each with the line it starts on. */
export function sentences(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  const lines = prose(text).split("\n");
  let current: { line: number; text: string } | undefined;
  lines.forEach((l, i) => {
    if (l.trim() === "") {
      if (current) out.push(current);
      current = undefined;
      return;
    }
    for (const [j, part] of l.split(/(?<=[.!?:;])\s+(?=[A-Z`(])/).entries()) {
      if (current && (j > 0 || /[.!?:;]$/.test(current.text))) {
        out.push(current);
        current = undefined;
      }
      current = current ? { line: current.line, text: `${current.text} ${part.trim()}` } : { line: i + 1, text: part.trim() };
    }
  });
  if (current) out.push(current);
  return out;
}

/**
 * The anchors GitLab gives a file's headings: lower case, punctuation dropped, spaces to `-`, runs
 * of `-` squeezed, `-1`, `-2` appended to repeats: GitLab's TableOfContentsFilter,
 * https://gitlab.com/gitlab-org/gitlab/-/blob/master/lib/banzai/filter/table_of_contents_filter.rb
 */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const body = text.replace(/^( *)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, blank);
  for (const m of body.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const rendered = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*]/g, "");
    const id = rendered
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, "")
      .replace(/ /g, "-")
      .replace(/-+/g, "-");
    const n = seen.get(id);
    seen.set(id, (n ?? -1) + 1);
    anchors.add(n === undefined ? id : `${id}-${n + 1}`);
  }
  return anchors;
}

export function readDoc(file: string, root = projectRoot): string {
  return readFileSync(join(root, file), "utf8");
}
