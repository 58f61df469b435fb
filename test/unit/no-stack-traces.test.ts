// Every command, walked with malformed arguments, environments, files and server answers: each
// run ends with a coded diagnostic and no output ever holds a stack frame. --debug (or
// HARBOR_CI_DEBUG=1) is the one way to see a stack, for a bug report.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../scripts/cli.ts";
import { describeFailure, STACK_FRAME } from "../../scripts/lib/cli/failure.ts";
import { FakeGitlab } from "../contract/fakes/gitlab.ts";
import { FakeHarbor } from "../contract/fakes/harbor.ts";
import { HOSTILE_MODES } from "../contract/fakes/server.ts";

let dir: string;
let fifo: string | undefined;
let gitlab: FakeGitlab;
let harbor: FakeHarbor;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hci-nostack-"));
  mkdirSync(join(dir, "a-directory.yml"));
  writeFileSync(join(dir, "bad.yml"), "a: [unclosed\n");
  writeFileSync(join(dir, "list.yml"), "- a\n- b\n");
  writeFileSync(join(dir, "not-json"), "<html>");
  mkdirSync(join(dir, "schemas", "build-push"), { recursive: true });
  writeFileSync(join(dir, "schemas", "build-push", "inputs.schema.json"), "{ not json");
  try {
    execFileSync("mkfifo", [join(dir, "fifo.yml")]);
    fifo = join(dir, "fifo.yml");
  } catch {
    fifo = undefined;
  }
  gitlab = new FakeGitlab();
  harbor = new FakeHarbor();
  await Promise.all([gitlab.start(), harbor.start()]);
});
afterAll(async () => {
  await Promise.all([gitlab.stop(), harbor.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `harbor-ci <argv>` in-process with `env`, returning everything it printed. */
async function cli(argv: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; all: string }> {
  let all = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    all += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
    all += String(s);
    return true;
  });
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const code = await main(argv);
    return { code, all };
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const NET = ["--retries", "0", "--timeout", "1500", "--max-response-bytes", "65536"];
const gitlabEnv = () => ({ GITLAB_URL: gitlab.url, GITLAB_TOKEN: "glpat-maintainer-token-0001", HARBOR_CI_DEBUG: undefined });
const setupArgs = () => ["setup", "--harbor-url", harbor.url, "--harbor-project", "my-project", "--project", "my-group/my-app", ...NET];
const setupEnv = () => ({ ...gitlabEnv(), HARBOR_ADMIN_USER: "admin", HARBOR_ADMIN_PASSWORD: "Harbor12345" });

type Case = [label: string, argv: () => string[], env?: () => Record<string, string | undefined>];

const cases: Case[] = [
  ["unknown command", () => ["frobnicate"]],
  ["render: unknown option", () => ["render", "build-push", "--nope"]],
  ["render: a path as component", () => ["render", "../../x"]],
  ["render: inputs file is a directory", () => ["render", "build-push", "--inputs-file", join(dir, "a-directory.yml")]],
  ["render: inputs file is /dev/zero", () => ["render", "build-push", "--inputs-file", "/dev/zero"]],
  ["render: inputs file is not YAML", () => ["render", "build-push", "--inputs-file", join(dir, "bad.yml")]],
  ["render: inputs file is a list", () => ["render", "build-push", "--inputs-file", join(dir, "list.yml")]],
  ["render: --input without =", () => ["render", "build-push", "--input", "oops"]],
  ["render: --input not YAML", () => ["render", "build-push", "--input", "x=[unclosed"]],
  ["validate: missing file", () => ["validate", join(dir, "missing.yml")]],
  ["validate: a directory", () => ["validate", join(dir, "a-directory.yml")]],
  ["validate: /dev/zero", () => ["validate", "/dev/zero"]],
  ["validate: broken schemas", () => ["validate", join(dir, "list.yml"), "--schemas", join(dir, "schemas")]],
  ["validate: bad --format", () => ["validate", "--format", "xml"]],
  ["release-notes: no tag", () => ["release-notes"]],
  ["release-notes: changelog is a directory", () => ["release-notes", "1.0.0", "--changelog", dir]],
  ["check: unknown option", () => ["check", "--nope"]],
  ["generate: root without templates", () => ["generate", "--root", join(dir, "a-directory.yml"), "--no-gitlab-schema"]],
  ["versions: no GITLAB_URL", () => ["versions", "--project", "x"], () => ({ GITLAB_URL: undefined, CI_SERVER_URL: undefined })],
  ["versions: GITLAB_URL not a URL", () => ["versions", "--project", "x"], () => ({ GITLAB_URL: "ftp:/nope" })],
  ["versions: GITLAB_URL with credentials", () => ["versions", "--project", "x"], () => ({ GITLAB_URL: "http://oauth2:pw-12345@127.0.0.1:1" })],
  ["versions: bad --limit", () => ["versions", "--project", "x", "--limit", "-5"], gitlabEnv],
  ["versions: bad --timeout", () => ["versions", "--project", "x", "--timeout", "abc"], gitlabEnv],
  ["versions: --pipeline is a directory", () => ["versions", "--project", "my-group/my-app", "--pipeline", dir, ...NET], gitlabEnv],
  [
    "versions: connection refused",
    () => ["versions", "--project", "x", ...NET],
    () => ({ GITLAB_URL: "http://127.0.0.1:1", GITLAB_TOKEN: "glpat-x-0000000000000000" }),
  ],
  ["lint: --ci-file is /dev/zero", () => ["lint", "--project", "x", "--ci-file", "/dev/zero", ...NET], gitlabEnv],
  ["lint: no token", () => ["lint", "--project", "x"], () => ({ GITLAB_URL: "http://127.0.0.1:1", GITLAB_TOKEN: undefined })],
  ["setup: no admin", () => setupArgs(), () => ({ ...gitlabEnv(), HARBOR_ADMIN_USER: undefined, HARBOR_ADMIN_PASSWORD: undefined })],
  ["setup: bad --duration", () => [...setupArgs(), "--duration", "x"], setupEnv],
  ["setup: harbor URL not http", () => ["setup", "--harbor-url", "harbor", "--harbor-project", "p", "--project", "g/a"], setupEnv],
];
if (process.platform !== "win32") {
  cases.push(["validate: a FIFO never hangs", () => (fifo ? ["validate", fifo] : ["validate", "/dev/null"])]);
  cases.push(["render: inputs file is a FIFO", () => (fifo ? ["render", "build-push", "--inputs-file", fifo] : ["render", "x"])]);
}

describe("no stack trace reaches a user", () => {
  for (const [label, argv, env] of cases) {
    it(`${label}: a coded error, no stack frame`, async () => {
      const r = await cli(argv(), env?.() ?? {});
      expect(r.code).not.toBe(0);
      expect(r.all).not.toMatch(STACK_FRAME);
      expect(r.all).toMatch(/\b(error|warning) [A-Z][A-Z0-9_]+:|error [A-Z][A-Z0-9_]+:|unknown command/);
    });
  }

  for (const mode of HOSTILE_MODES) {
    for (const command of ["versions", "lint", "setup"] as const) {
      it(`${command} against a GitLab answering ${mode}: a coded error, no stack frame`, async () => {
        gitlab.hostile = mode;
        try {
          const argv =
            command === "setup"
              ? setupArgs()
              : command === "lint"
                ? ["lint", "--project", "my-group/my-app", "--no-ci-file", "--file", join(dir, "list.yml"), ...NET]
                : ["versions", "--project", "my-group/my-app", ...NET];
          const r = await cli(argv, command === "setup" ? setupEnv() : gitlabEnv());
          expect(r.code).not.toBe(0);
          expect(r.all).not.toMatch(STACK_FRAME);
          expect(r.all).toMatch(/error GITLAB_[A-Z_]+:/);
        } finally {
          gitlab.hostile = undefined;
        }
      });
    }
  }

  it("an unexpected failure is INTERNAL without a stack, and with one under --debug", () => {
    const err = new TypeError("list.map is not a function");
    const plain = describeFailure(err, false);
    expect(plain.text).toContain("error INTERNAL: harbor-ci failed unexpectedly (TypeError: list.map is not a function)");
    expect(plain.text).toContain("--debug");
    expect(plain.text).not.toMatch(STACK_FRAME);
    expect(describeFailure(err, true).text).toMatch(STACK_FRAME);
  });
});
