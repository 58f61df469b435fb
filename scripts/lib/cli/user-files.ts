// Reading a file a user named (a pipeline, an inputs file, a local include) without trusting it:
// regular files only (a FIFO would block, a device would never end, a directory is not YAML),
// and at most a cap of bytes. The open itself never blocks (O_NONBLOCK), so a FIFO is refused
// instead of hanging.

import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/**
 * GitLab's `max_yaml_size_bytes` default since 17.3 (1 MB before): the largest configuration file
 * it parses (doc/administration/instance_limits.md). Nothing we read legitimately is larger.
 */
export const MAX_LOCAL_FILE_BYTES = 2 * 1024 * 1024;

export type LocalFileProblem = "missing" | "not-a-file" | "too-large" | "unreadable";

export class LocalFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: LocalFileProblem,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = "LocalFileError";
  }
}

/** The text of a regular file of at most `maxBytes`, or LocalFileError saying why not. */
export function readRegularFile(path: string, maxBytes = MAX_LOCAL_FILE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new LocalFileError(path, "missing", "no such file");
    if (code === "EISDIR") throw new LocalFileError(path, "not-a-file", "a directory, not a file");
    throw new LocalFileError(path, "unreadable", code ?? "cannot be opened");
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isDirectory()
        ? "a directory"
        : st.isFIFO()
          ? "a named pipe (FIFO)"
          : st.isCharacterDevice() || st.isBlockDevice()
            ? "a device"
            : st.isSocket()
              ? "a socket"
              : "not a regular file";
      throw new LocalFileError(path, "not-a-file", `${kind}, not a regular file`);
    }
    if (st.size > maxBytes) throw new LocalFileError(path, "too-large", `${st.size} bytes, more than the ${maxBytes} allowed`);
    // Read until the end, stopping past maxBytes whatever the size said (a file can grow).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new LocalFileError(path, "too-large", `more than the ${maxBytes} bytes allowed`);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
