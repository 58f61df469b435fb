import { describe, expect, it } from "vitest";
import { LineSplitter, LogFilter, logTail, parseSectionMarker, prefixLine, stripAnsi } from "../../../scripts/local-pipeline/log-view.ts";

// What the components print (hci_section_start / hci_section_end).
const start = (name: string, title: string, collapsed = true): string =>
  `\x1b[0Ksection_start:1700000000:${name}${collapsed ? "[collapsed=true]" : ""}\r\x1b[0K${title}`;
const end = (name: string): string => `\x1b[0Ksection_end:1700000001:${name}\r\x1b[0K`;

describe("job log view", () => {
  it("reads GitLab's section markers", () => {
    expect(parseSectionMarker(start("hci_login", "Logging in to harbor.test:5443"))).toEqual({
      kind: "start",
      name: "hci_login",
      title: "Logging in to harbor.test:5443",
      collapsed: true,
    });
    expect(parseSectionMarker(start("hci_build", "Building x", false))).toMatchObject({ kind: "start", collapsed: false });
    expect(parseSectionMarker(end("hci_login"))).toEqual({ kind: "end", name: "hci_login" });
    expect(parseSectionMarker("plain line")).toBeUndefined();
    expect(stripAnsi("\x1b[32;1mgreen\x1b[0m\r")).toBe("green");
  });

  it("splits chunks into whole lines, keeping an unterminated tail for the end", () => {
    const s = new LineSplitter();
    expect(s.push("one\ntw")).toEqual(["one"]);
    expect(s.push("o\nthree")).toEqual(["two"]);
    expect(s.flush()).toEqual(["three"]);
    expect(s.flush()).toEqual([]);
  });

  it("in summary mode shows section titles, hides collapsed sections, keeps alerts and BuildKit's steps", () => {
    const f = new LogFilter("summary");
    const raw = [
      'Executing "step_script" stage of the job script',
      start("hci_login", "Logging in to harbor.test:5443"),
      "Login Succeeded",
      "WARNING: login to harbor.test failed (attempt 1 of 3)",
      end("hci_login"),
      start("hci_build", "Building harbor.test/harbor-ci/app:1", false),
      "#1 [internal] load build definition from Dockerfile",
      "#1 DONE 0.0s",
      "#4 importing cache manifest from harbor.test/harbor-ci/app:latest",
      "#7 [deps 3/4] COPY deps.txt ./",
      "#7 CACHED",
      "#9 writing image sha256:abc done",
      "------",
      " > importing cache manifest from harbor.test/harbor-ci/app:1:",
      "------",
      end("hci_build"),
      "",
      "Built image sha256:abc",
      "ERROR: Job failed: exit code 5",
    ];
    expect(raw.map((l) => f.line(l)).filter((l) => l !== undefined)).toEqual([
      'Executing "step_script" stage of the job script',
      "> Logging in to harbor.test:5443",
      "WARNING: login to harbor.test failed (attempt 1 of 3)",
      "> Building harbor.test/harbor-ci/app:1",
      "#4 importing cache manifest from harbor.test/harbor-ci/app:latest",
      "#7 [deps 3/4] COPY deps.txt ./",
      "#7 CACHED",
      "Built image sha256:abc",
      "ERROR: Job failed: exit code 5",
    ]);
  });

  it("in verbose mode shows every line, section markers as titles", () => {
    const f = new LogFilter("verbose");
    expect([start("s", "Title"), "inside", end("s"), "#1 DONE 0.0s"].map((l) => f.line(l))).toEqual(["> Title", "inside", undefined, "#1 DONE 0.0s"]);
  });

  it("prefixes lines so that the logs of jobs with names of different lengths align", () => {
    expect(prefixLine("pull-run", 10, "x")).toBe("[pull-run]   x");
    expect(prefixLine("build-push", 10, "x")).toBe("[build-push] x");
  });

  it("gives the tail of a failed job's log without escape sequences", () => {
    const log = ["a", start("hci_push", "Pushing"), "\x1b[31mERROR: cannot push\x1b[0m", end("hci_push"), "", "Job failed"].join("\n");
    expect(logTail(log, 3)).toEqual(["> Pushing", "ERROR: cannot push", "Job failed"]);
  });
});
