// The .sh files are the source of the components' shell: they are linted as files, and the shared
// library's functions are tested by sourcing them directly (not through a rendered template).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../../scripts/lib/project.ts";
import { busybox } from "./support.ts";

/** Every .sh file of the repository (not node_modules or .cache). */
function shellFiles(dir = projectRoot): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...shellFiles(path));
    else if (e.name.endsWith(".sh")) out.push(path);
  }
  return out.sort();
}

const files = shellFiles();
const templateFiles = files.filter((f) => relative(projectRoot, f).startsWith("templates/"));

describe("every .sh file", () => {
  it("finds the component shell files", () => {
    expect(templateFiles.map((f) => relative(projectRoot, f))).toEqual(
      expect.arrayContaining(["templates/lib/log.sh", "templates/lib/helpers.sh", "templates/lib/registry.sh", "templates/build-push/config.sh"]),
    );
  });

  it.each(files.map((f) => [relative(projectRoot, f), f]))("%s passes shellcheck", (_label, file) => {
    const r = spawnSync("shellcheck", ["-f", "gcc", file], { encoding: "utf8" });
    if (r.error) throw new Error("shellcheck is not installed: install it (Debian: `apt-get install -y shellcheck`; `npm run test:unit` does)");
    expect(r.stdout.trim()).toBe("");
  });

  it.each(templateFiles.map((f) => [relative(projectRoot, f), f]))("%s parses with busybox sh -n (the job image's shell)", (_label, file) => {
    const r = spawnSync(busybox(), ["sh", "-n", file], { encoding: "utf8" });
    expect(r.stderr.trim()).toBe("");
    expect(r.status).toBe(0);
  });
});

/** Runs `body` in busybox sh after sourcing the library files. */
function withLibrary(body: string, env: Record<string, string> = {}) {
  const lib = ["log.sh", "helpers.sh", "daemon.sh", "registry.sh", "retry.sh"].map((f) => `. '${join(projectRoot, "templates/lib", f)}'`).join("\n");
  const r = spawnSync(busybox(), ["sh", "-c", `${lib}\n${body}`], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("templates/lib: the shared shell functions", () => {
  it("hci_host_of_url drops the scheme, credentials, path and the scheme's default port", () => {
    const r = withLibrary(
      `for u in https://h.example:443/x https://u:p@h.example:8443/ http://h.example:80 http://h.example:5000/v2/; do hci_host_of_url "$u"; echo; done`,
    );
    expect(r.stdout.split("\n").filter(Boolean)).toEqual(["h.example", "h.example:8443", "h.example", "h.example:5000"]);
  });

  it("hci_unset is true for an empty value and for a reference that did not expand", () => {
    const r = withLibrary(`for v in '' '$HARBOR_URL' 'h.example'; do if hci_unset "$v"; then echo unset; else echo set; fi; done`);
    expect(r.stdout.split("\n").filter(Boolean)).toEqual(["unset", "unset", "set"]);
  });

  it("hci_env reads a multi-line value by the variable's name, without evaluating it", () => {
    const r = withLibrary(`hci_env SECRET_PEM`, { SECRET_PEM: "line 1\n$(touch /tmp/never)\nline 3" });
    expect(r.stdout).toBe("line 1\n$(touch /tmp/never)\nline 3");
  });

  it("hci_fail prints an ERROR line and exits with its code", () => {
    const r = withLibrary(`hci_fail 4 "cannot log in"; echo not reached`);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe("ERROR: cannot log in\n");
    expect(r.stdout).toBe("");
  });

  it("hci_positive_int fails with code 2 naming the input and the value", () => {
    expect(withLibrary(`hci_positive_int daemon_timeout 60 && echo ok`).stdout).toBe("ok\n");
    const r = withLibrary(`hci_positive_int daemon_timeout 6x`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("input daemon_timeout must be a whole number, not '6x'");
  });

  it("hci_section_start opens a collapsed GitLab section unless told to leave it open", () => {
    const r = withLibrary(`hci_section_start a "Title A"; hci_section_start b "Title B" false; hci_section_end a`);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^\x1b\[0Ksection_start:\d+:a\[collapsed=true\]\r\x1b\[0KTitle A$/);
    expect(lines[1]).toMatch(/^\x1b\[0Ksection_start:\d+:b\r\x1b\[0KTitle B$/);
    expect(lines[2]).toMatch(/^\x1b\[0Ksection_end:\d+:a\r\x1b\[0K$/);
  });
});
