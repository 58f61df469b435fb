// GitLab checks `regex` inputs with RE2, which has no lookaround, no backreferences and no
// atomic groups or possessive quantifiers. This finds the first construct RE2 refuses.

export interface Re2Problem {
  index: number;
  construct: string;
}

export function re2Incompatibility(pattern: string): Re2Problem | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      if (!inClass && /[1-9]/.test(next)) return { index: i, construct: `backreference \\${next}` };
      if (!inClass && next === "k" && pattern[i + 2] === "<") return { index: i, construct: "named backreference \\k<...>" };
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (pattern[i + 1] === "]") i++; // a leading ] is literal
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2, i + 4);
      if (rest.startsWith("=")) return { index: i, construct: "lookahead (?=...)" };
      if (rest.startsWith("!")) return { index: i, construct: "negative lookahead (?!...)" };
      if (rest === "<=") return { index: i, construct: "lookbehind (?<=...)" };
      if (rest === "<!") return { index: i, construct: "negative lookbehind (?<!...)" };
      if (rest.startsWith(">")) return { index: i, construct: "atomic group (?>...)" };
    }
    if ((c === "+" || c === "*" || c === "?" || c === "}") && pattern[i + 1] === "+") {
      return { index: i, construct: `possessive quantifier ${c}+` };
    }
  }
  return undefined;
}
