// Allow list (--allow): one entry a line, `<ID> <YYYY-MM-DD> [reason]`; `#` starts a comment. An
// entry holds through its expiry day (UTC); an expired one allows nothing and is reported.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { scanError } from "./codes.ts";

export interface AllowEntry {
  id: string;
  expires: string;
  reason: string;
  line: number;
}

export const MAX_ALLOW_BYTES = 1_000_000;

export function parseAllowList(text: string, file: string): AllowEntry[] {
  const entries: AllowEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const m = /^(\S+)\s+(\d{4}-\d{2}-\d{2})(?:\s+(.*))?$/.exec(line);
    const date = m?.[2] ?? "";
    const valid = m && !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
    if (!m || !valid) {
      throw scanError("ALLOW_LIST_INVALID", "usage", {
        message: `${file}:${i + 1}: \`${raw.trim()}\` is not an allow-list entry`,
        expected: "<vulnerability ID> <expiry YYYY-MM-DD> [reason], e.g. CVE-2024-12345 2026-12-31 no fix upstream",
        actual: raw.trim(),
        fix: `correct line ${i + 1} of ${file}; every entry needs an expiry date`,
      });
    }
    entries.push({ id: m[1] as string, expires: date, reason: (m[3] ?? "").trim(), line: i + 1 });
  });
  return entries;
}

/** An entry is in force through its expiry day (UTC). */
export function isExpired(e: AllowEntry, now: Date): boolean {
  return now.toISOString().slice(0, 10) > e.expires;
}

/** Reads and parses the allow list a user named (a regular file of at most MAX_ALLOW_BYTES). */
export function readAllowList(file: string, cwd: string): AllowEntry[] {
  const path = resolve(cwd, file);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error("not a regular file");
    size = st.size;
  } catch (err) {
    throw scanError("ALLOW_LIST_UNREADABLE", "usage", {
      message: `cannot read the allow list \`${file}\` (${err instanceof Error ? err.message : String(err)})`,
      actual: path,
    });
  }
  if (size > MAX_ALLOW_BYTES) {
    throw scanError("ALLOW_LIST_TOO_LARGE", "usage", {
      message: `allow list \`${file}\` is ${size} bytes`,
      expected: `at most ${MAX_ALLOW_BYTES} bytes`,
      actual: `${size} bytes`,
    });
  }
  return parseAllowList(readFileSync(path, "utf8"), file);
}
