#!/bin/sh
# The code checks of `npm run check`: lint and format of the TypeScript and JSON (Biome), format of
# every .sh file (shfmt, configured in .editorconfig), no import circle (madge), no import of
# test code by product code, no function over 120 lines, and no reference to files outside the
# repository. Each failure names the command that fixes it. With --write: apply the formatters and Biome's safe fixes.
set -u
cd "$(dirname "$0")/.." || exit 1
sh scripts/ensure-tools.sh >&2 || exit 1
bin=node_modules/.bin
if [ ! -x "$bin/biome" ] || [ ! -x "$bin/madge" ]; then
  echo "ERROR: Biome or madge is not installed: run npm ci" >&2
  exit 1
fi
# Tracked and new (not ignored) shell files; without git (an unpacked archive), every .sh file.
shell_files=$(git ls-files -co --exclude-standard -- '*.sh' 2>/dev/null) ||
  shell_files=$(find . -name '*.sh' -not -path './node_modules/*' -not -path './.cache/*')
if [ -z "$shell_files" ]; then
  echo "ERROR: no .sh file found: run from the project's clone" >&2
  exit 1
fi

if [ "${1:-}" = --write ]; then
  "$bin/biome" check --write . || exit 1
  # shellcheck disable=SC2086 # one argument per file (no file name has a space: shfmt would say)
  shfmt -w $shell_files || exit 1
  exit 0
fi

status=0
if ! "$bin/biome" check .; then
  echo "check: Biome found format or lint problems above. Fix: npm run format (formats and applies the safe fixes); fix the rest by hand." >&2
  status=1
fi
# shellcheck disable=SC2086 # one argument per file
if ! shfmt -d $shell_files; then
  echo "check: shell files above are not formatted. Fix: npm run format" >&2
  status=1
fi
mkdir -p .cache
if ! "$bin/madge" --circular --no-spinner --no-color --extensions ts --ts-config tsconfig.json scripts test bin >.cache/madge.txt 2>&1; then
  cat .cache/madge.txt >&2
  echo "check: import circle(s) above. Fix: move what both modules need into a third one (as scripts/commands/command.ts does)." >&2
  status=1
fi
# Product code stands without its tests: nothing under scripts/ or bin/ imports from test/.
if grep -rnE "(from|import)[[:space:]]*\(?[[:space:]]*[\"'](\.\./)+test/" scripts bin >.cache/test-imports.txt; then
  cat .cache/test-imports.txt >&2
  echo "check: product code above imports test code. Fix: move what it needs into scripts/ (tests may import scripts/, not the reverse)." >&2
  status=1
fi
# The subsystems of scripts/lib/ and their import rules (scripts/lib/toolchain/subsystems.ts).
if ! node --import tsx scripts/check-subsystems.ts; then
  echo "check: an import above breaks the subsystem rules. Fix: as each error says." >&2
  status=1
fi
# Functions a reader can hold in their head: none longer than 120 lines (scripts/check-functions.ts).
if ! node --import tsx scripts/check-functions.ts; then
  echo "check: the functions above are too long. Fix: split each along its section comments into named steps." >&2
  status=1
fi
# A clone stands alone: no file but the top-level docs reads or cites a folder beside the clone
# or the notes kept there; upstream files are vendored (vendor/), upstream facts are cited by URL.
# The pattern is written so that it does not match its own line.
outside='[.][.]/shared|/work/share[d]|shared/referenc[e]|(FACTS|MACHINE|STYLE|REDTEAM)[.]md'
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git grep --untracked -nIE "$outside" -- . ':(top,glob,exclude)*.md' ':(top,exclude)docs' >.cache/outside-refs.txt
else
  grep -rnIE "$outside" --exclude-dir=node_modules --exclude-dir=.cache --exclude-dir=.git --exclude-dir=docs . | grep -vE '^[.]/[^/]+[.]md:' >.cache/outside-refs.txt
fi
if [ -s .cache/outside-refs.txt ]; then
  cat .cache/outside-refs.txt >&2
  echo "check: the lines above refer to files outside the repository, which a clone elsewhere does not have. Fix: read the vendored copy (vendor/, see vendor/README.md) and cite upstream sources by URL or vendored file." >&2
  status=1
fi
[ "$status" = 0 ] && echo "check passed: Biome (lint, format), shfmt, no import circle, no test code in scripts/, subsystem imports, functions of at most 120 lines, nothing read from outside the repository"
exit "$status"
