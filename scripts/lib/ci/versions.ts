// The GitLab versions this library supports, and the input-handling differences between them.
// One source of truth: render, validate, check, the conformance tests and the README's support
// table all read BANDS. Every band cites the GitLab file it follows (gitlabhq/gitlabhq, the
// read-only mirror of gitlab-org/gitlab, at the commit the file was read at) and how its first
// release was established. Where a release could not be tied to a tag, `established` says so.
import { withRegion } from "../cli/regions.ts";
import { usageError } from "../cli/diagnostics.ts";

export interface Source {
  file: string;
  /** Commit of gitlabhq/gitlabhq the file was read at. */
  commit: string;
}

export interface Band {
  /** First release of the band, "major.minor". */
  from: string;
  /** How inputs are validated and coerced. */
  inputs: "interpolation" | "ci-inputs";
  /** `posix_escape` exists. */
  posixEscape: boolean;
  /** `options` on array inputs are checked item by item (else: "Options can only be used ..."). */
  arrayOptions: boolean;
  /** `split` exists behind this feature flag (off by default). */
  splitFlag?: string;
  /** What changed at `from`, for the README. */
  change: string;
  sources: Source[];
  /** How `from` was established (and what was not). */
  established: string;
}

const COMMIT = {
  legacyString: "419c53ec62de6e97a517abd5fdd4cbde3a942a34",
  legacyNumber: "a3e6d34643e760d1a8b8bd1e7e32d8d74c1ea678",
  untrusted: "0286e4c628d68960d0ca9e961d82c3ea6ac90633",
  ciInputs: "2c7f2598bb6bbfa01ab83f3df4dd864486c12161",
  interpolationInputs: "4d15078547314a44df1236c4991e225257a8609e",
  posixEscape: "0286e4c628d68960d0ca9e961d82c3ea6ac90633",
  arrayInput: "55eb439f6bfb82a732d86ac171ba99e29e1e6a88",
  split: "41946e65501d176230532ae34b16e64f5cdac462",
  functionsBase: "419c53ec62de6e97a517abd5fdd4cbde3a942a34",
  interpolator: "036cfe846472ee1cca9f7b8c43af28cd344ad66a",
} as const;

/** Behaviour shared by every band, with its source. */
export const COMMON_SOURCES: Record<string, Source & { what: string }> = {
  functionErrors: {
    what: "function errors are wrapped as error in `<function>` function: <message>",
    file: "lib/gitlab/ci/config/interpolation/functions/base.rb",
    commit: COMMIT.functionsBase,
  },
  errorJoin: {
    what: 'an include shows at most its first 3 errors, joined with ", "',
    file: "lib/gitlab/ci/config/interpolation/interpolator.rb",
    commit: COMMIT.interpolator,
  },
  re2: {
    what: "regex is RE2, searched unanchored (scan), compiled per input",
    file: "lib/gitlab/untrusted_regexp.rb",
    commit: COMMIT.untrusted,
  },
};

export const BANDS: readonly Band[] = [
  {
    from: "17.0",
    inputs: "interpolation",
    posixEscape: false,
    arrayOptions: false,
    change:
      'Inputs are not coerced (`"3"` is not a number). The default of an optional input is validated even when a value is given, and `UntrustedRegexp#match?` is false for an empty string: `default: ""` with a `regex` fails every include.',
    sources: [
      { file: "lib/gitlab/ci/config/interpolation/inputs/string_input.rb", commit: COMMIT.legacyString },
      { file: "lib/gitlab/ci/config/interpolation/inputs/number_input.rb", commit: COMMIT.legacyNumber },
      { file: "lib/gitlab/untrusted_regexp.rb", commit: COMMIT.untrusted },
    ],
    established: "17.0 is the release where components and inputs became generally available (doc/ci/inputs/_index.md history).",
  },
  {
    from: "18.3",
    inputs: "ci-inputs",
    posixEscape: false,
    arrayOptions: false,
    change:
      'Include inputs are validated by `Ci::Inputs` (interpolation/inputs.rb delegates to it): values are coerced (`"42"` → 42 for a number, `"true"` → true for a boolean, 123 → `"123"` for a string) and an empty string may match a `regex` (`match?(value, allow_empty_string: true)`).',
    sources: [
      { file: "lib/ci/inputs/base_input.rb", commit: COMMIT.ciInputs },
      { file: "lib/ci/inputs/string_input.rb", commit: COMMIT.ciInputs },
      { file: "lib/gitlab/ci/config/interpolation/inputs.rb", commit: COMMIT.interpolationInputs },
    ],
    established:
      "NOT tied to a release tag: the mirror could not be read at tags here. 18.3 is inferred from gitlab-org/gitlab#568362 (string coercion of `default: null` changed behaviour in 18.3); the empty-string fix is gitlab-org/gitlab!192082. Until a tag confirms it, `validate` treats 18.0–18.2 as the older behaviour, which is the stricter one.",
  },
  {
    from: "18.6",
    inputs: "ci-inputs",
    posixEscape: true,
    arrayOptions: false,
    change: "The `posix_escape` function exists.",
    sources: [{ file: "lib/gitlab/ci/config/interpolation/functions/posix_escape.rb", commit: COMMIT.posixEscape }],
    established: "doc/ci/inputs/_index.md history: `posix_escape` introduced in GitLab 18.6 (gitlab-org/gitlab#568289); not re-read at the 18.6 tag.",
  },
  {
    from: "19.0",
    inputs: "ci-inputs",
    posixEscape: true,
    arrayOptions: true,
    change: "`options` on an array input are checked item by item (before: `Options can only be used with string and number inputs`).",
    sources: [{ file: "lib/ci/inputs/array_input.rb", commit: COMMIT.arrayInput }],
    established:
      "NOT tied to a release tag: the mirror could not be read at tags here. `ArrayInput#validate_options` (item by item) is in array_input.rb at the commit cited; requested in gitlab-org/gitlab#545561. 19.0 is the project's earlier reading, not re-read at the 19.0 tag.",
  },
  {
    from: "19.2",
    inputs: "ci-inputs",
    posixEscape: true,
    arrayOptions: true,
    splitFlag: "ci_interpolation_split_function",
    change: "`split('<sep>')` exists behind the feature flag `ci_interpolation_split_function` (off by default); it must be the last function of a chain.",
    sources: [
      { file: "lib/gitlab/ci/config/interpolation/functions/split.rb", commit: COMMIT.split },
      { file: "lib/gitlab/ci/config/interpolation/functions_stack.rb", commit: COMMIT.split },
      { file: "config/feature_flags/beta/ci_interpolation_split_function.yml", commit: COMMIT.split },
    ],
    established: "The feature flag's definition says milestone '19.2', default_enabled: false.",
  },
];

export const OLDEST = BANDS[0]!;
export const NEWEST = BANDS[BANDS.length - 1]!;

function parts(version: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function compare(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** The band a GitLab version falls in; undefined when the version is malformed or before 17.0. */
export function bandOf(version: string): Band | undefined {
  const v = parts(version);
  if (!v) return undefined;
  let found: Band | undefined;
  for (const band of BANDS) if (compare(parts(band.from)!, v) <= 0) found = band;
  return found;
}

/** "17.0–18.2", "19.2 and later": the versions a band covers. */
export function bandLabel(band: Band): string {
  const i = BANDS.indexOf(band);
  const next = BANDS[i + 1];
  if (!next) return `${band.from} and later`;
  const [major, minor] = parts(next.from)!;
  // The release before the next band's first one: 19.0 follows 18.11.
  const last = minor > 0 ? `${major}.${minor - 1}` : `${major - 1}.11`;
  return last === band.from ? band.from : `${band.from}–${last}`;
}

/** A run of consecutive bands as one range: "17.0–18.5". */
export function rangeLabel(bands: readonly Band[]): string {
  const sorted = [...bands].sort((a, b) => BANDS.indexOf(a) - BANDS.indexOf(b));
  const groups: Band[][] = [];
  for (const b of sorted) {
    const last = groups[groups.length - 1];
    if (last && BANDS.indexOf(last[last.length - 1]!) === BANDS.indexOf(b) - 1) last.push(b);
    else groups.push([b]);
  }
  return groups
    .map((g) => {
      const first = bandLabel(g[0]!);
      const end = bandLabel(g[g.length - 1]!);
      const start = first.split("–")[0]!.replace(" and later", "");
      if (end.endsWith("and later")) return `${start} and later`;
      const stop = end.includes("–") ? end.split("–")[1]! : end;
      return start === stop ? start : `${start}–${stop}`;
    })
    .join(", ");
}

export const SUPPORT_MARKERS = {
  begin: "<!-- BEGIN GENERATED GITLAB SUPPORT (npm run generate) -->",
  end: "<!-- END GENERATED GITLAB SUPPORT -->",
};

const link = (s: Source) => `[\`${s.file.split("/").slice(-2).join("/")}\`](https://github.com/gitlabhq/gitlabhq/blob/${s.commit}/${s.file})`;

/** The README's support table: one row per band. */
export function supportTable(): string {
  const rows = ["| GitLab | Input handling | Source (gitlabhq/gitlabhq at commit) | Release established by |", "| --- | --- | --- | --- |"];
  for (const band of BANDS) {
    rows.push(
      `| ${bandLabel(band)} | ${band.change.replace(/\|/g, "\\|")} | ${band.sources.map(link).join(", ")} | ${band.established.replace(/\|/g, "\\|")} |`,
    );
  }
  const common = Object.values(COMMON_SOURCES)
    .map((s) => `- All versions: ${s.what} (${link(s)}).`)
    .join("\n");
  return rows.join("\n") + "\n\n" + common + "\n";
}

export function withSupportTable(readme: string): string | undefined {
  return withRegion(readme, SUPPORT_MARKERS, supportTable());
}

/** `--gitlab-version X.Y` of render and validate; undefined when the option is absent. */
export function bandOption(raw: string | undefined): Band | undefined {
  if (raw === undefined) return undefined;
  const band = bandOf(raw);
  if (!band) {
    throw usageError(
      "GITLAB_VERSION_UNSUPPORTED",
      `--gitlab-version ${raw}: not a supported GitLab version`,
      "give major.minor, 17.0 or later (for example --gitlab-version 17.11)",
      {
        expected: `major.minor from ${OLDEST.from} on`,
        actual: raw,
      },
    );
  }
  return band;
}
