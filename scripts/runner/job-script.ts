// The shell scripts the runner feeds to the job container (shells/bash.go, used for `sh` too):
// one script for before_script + script, a new one for after_script. Pure functions.

/** The runner's shell detection, run as `sh -c <this>` with the script on stdin. */
export const DETECT_SHELL = `if [ -x /usr/local/bin/bash ]; then
	exec /usr/local/bin/bash
elif [ -x /usr/bin/bash ]; then
	exec /usr/bin/bash
elif [ -x /bin/bash ]; then
	exec /bin/bash
elif [ -x /usr/local/bin/sh ]; then
	exec /usr/local/bin/sh
elif [ -x /usr/bin/sh ]; then
	exec /usr/bin/sh
elif [ -x /bin/sh ]; then
	exec /bin/sh
elif [ -x /busybox/sh ]; then
	exec /busybox/sh
else
	echo shell not found
	exit 1
fi
`;

/** POSIX single-quote escaping. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** `script:` entries may be nested one level (YAML anchors / !reference); GitLab flattens them. */
export function flattenScript(lines: unknown): string[] {
  if (lines === undefined || lines === null) return [];
  if (typeof lines === "string") return [lines];
  if (!Array.isArray(lines)) throw new Error(`script must be a string or a list, got ${JSON.stringify(lines)}`);
  return lines.flatMap((l) => (Array.isArray(l) ? l.map(String) : [String(l)]));
}

/**
 * One stage script as the runner writes it: strict mode, then the commands (each echoed as
 * `$ command`) evaluated together, so the first failing command ends the stage.
 */
export function stageScript(commands: readonly string[], opts: { projectDir: string }): string {
  const body: string[] = [`cd ${shellQuote(opts.projectDir)}`];
  for (const raw of commands) {
    const command = raw.trim();
    if (command === "") {
      body.push("echo");
      continue;
    }
    const [first, ...rest] = command.split("\n");
    const shown = rest.length > 0 ? `${first} # collapsed multi-line command` : first!;
    body.push(`echo ${shellQuote(`$ ${shown}`)}`);
    body.push(command);
  }
  return [
    "trap exit 1 TERM",
    "",
    "if set -o | grep pipefail > /dev/null; then set -o pipefail; fi; set -o errexit",
    "set +o noclobber",
    `: | eval ${shellQuote(body.join("\n") + "\n")}`,
    "exit 0",
    "",
  ].join("\n");
}
