// Edits the bench's working copy of the sample app makes to its Dockerfile and dependency list.
// The naive job runs `docker build .` with no build argument, so parameters go in as the
// defaults of the Dockerfile's ARG lines. Pure functions.

/** The Dockerfile with the default of `ARG <name>=...` replaced. */
export function withArgDefault(dockerfile: string, name: string, value: string): string {
  const line = new RegExp(`^ARG ${name}=.*$`, "m");
  if (!line.test(dockerfile)) throw new Error(`the Dockerfile has no \`ARG ${name}=...\` line`);
  return dockerfile.replace(line, `ARG ${name}=${value}`);
}

/** Total size in MB of examples/bench-app/deps.txt (`name size-in-MB` lines, `#` comments). */
export function depsMegabytes(depsTxt: string): number {
  let total = 0;
  for (const raw of depsTxt.split("\n")) {
    const [name, mb] = raw.trim().split(/\s+/);
    if (!name || name.startsWith("#")) continue;
    const n = Number(mb);
    if (!Number.isFinite(n) || n < 0) throw new Error(`deps.txt: "${raw.trim()}" is not "name size-in-MB"`);
    total += n;
  }
  return total;
}
