import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  GITLAB_TOKEN,
  HARBOR_PASSWORD,
  HIGH,
  RELEASE,
  artifact,
  fakeGitlab,
  fakeHarbor,
  gitlabEnv,
  gzipBomb,
  overview,
  scanArgs,
  scanEnv,
  versionsArgs,
  vulnReport,
} from "./fakes.js";
import { ESC_RE, json, leaks, noCrash, runCli, trackServers } from "./helpers.js";

const track = trackServers();
const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), `rt-${p}-`));
const CLEAN = { total: 0, fixable: 0, summary: {} };

async function scanWith(art: unknown, vulns: unknown, extra: string[] = []) {
  const h = await track(
    fakeHarbor({
      artifact: (_q, res) => json(res, 200, art),
      vulns: (_q, res) => json(res, 200, vulns),
    }),
  );
  return runCli(scanArgs(h, extra), scanEnv(h));
}

describe("Types: wrong types in nested fields", () => {
  const cases: [string, unknown, unknown][] = [
    ["summary counts as strings", artifact(overview({}, { total: "1", fixable: "1", summary: { High: "1" } })), vulnReport([HIGH])],
    ["scan_overview as an array", artifact([]), vulnReport([HIGH])],
    ["vulnerabilities as an object", artifact(overview()), vulnReport({ a: HIGH })],
    ["a vulnerability's severity as a number", artifact(overview()), vulnReport([{ ...HIGH, severity: 5 }])],
    ["a vulnerability's id as null and links as a string", artifact(overview()), vulnReport([{ ...HIGH, id: null, links: "x" }])],
    ["scanner as a string and summary as null", artifact(overview({ scanner: "trivy" }, null)), vulnReport([HIGH])],
  ];
  for (const [what, art, vulns] of cases) {
    it(`scan neither crashes nor passes with ${what}`, async () => {
      const r = await scanWith(art, vulns);
      expect(noCrash(r)).toEqual([]);
      expect(r.code).not.toBe(0);
    });
  }

  for (const [what, rel] of [
    ["tag_name as a number", { ...RELEASE, tag_name: 100 }],
    ["released_at as an object", { ...RELEASE, released_at: { a: 1 } }],
    ["commit as a string", { ...RELEASE, commit: "abc" }],
  ] as [string, unknown][]) {
    it(`versions does not crash on a release with ${what}`, async () => {
      const g = await track(fakeGitlab({ releases: (_q, res) => json(res, 200, [rel], { "x-total-pages": "1" }) }));
      const r = await runCli(versionsArgs(), gitlabEnv(g));
      expect(noCrash(r)).toEqual([]);
    });
  }

  it("versions does not crash on a tree entry with a numeric path", async () => {
    const g = await track(fakeGitlab({ tree: (_q, res) => json(res, 200, [{ id: "x", name: 5, type: "tree", path: 7, mode: "040000" }]) }));
    const r = await runCli(versionsArgs(), gitlabEnv(g));
    expect(noCrash(r)).toEqual([]);
  });
});

describe("Fail-open", () => {
  it("scan does not pass when a finding's severity is outside Harbor's enum", async () => {
    const r = await scanWith(
      artifact(overview({ severity: "Catastrophic" }, { total: 1, fixable: 0, summary: { Catastrophic: 1 } })),
      vulnReport([{ ...HIGH, severity: "Catastrophic" }]),
    );
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("scan does not pass when the summary counts High findings but the list is empty", async () => {
    const r = await scanWith(artifact(overview({}, { total: 3, fixable: 3, summary: { High: 3 } })), vulnReport([]));
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("scan does not pass when the overview says clean but the findings list a Critical", async () => {
    const r = await scanWith(artifact(overview({ severity: "None" }, CLEAN)), vulnReport([{ ...HIGH, severity: "Critical" }]));
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("scan does not pass on a scan_status outside the enum", async () => {
    const r = await scanWith(artifact(overview({ scan_status: "Successful-ish", severity: "None" }, CLEAN)), vulnReport([]));
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("scan does not pass when scan_status is Success but the summary is missing", async () => {
    const a = artifact(overview({ severity: "None" })) as { scan_overview: Record<string, Record<string, unknown>> };
    for (const v of Object.values(a.scan_overview)) delete v.summary;
    const r = await scanWith(a, vulnReport([]));
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("scan does not pass when complete_percent is 40 but status says Success and nothing was found", async () => {
    const r = await scanWith(artifact(overview({ complete_percent: 40, severity: "None" }, { total: 5, fixable: 0, summary: {} })), vulnReport([]));
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("scan does not pass when the vulnerabilities answer is an empty object (no report)", async () => {
    const r = await scanWith(artifact(overview()), {});
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
});

describe("Resources", () => {
  it("scan stops a dribbled artifact body within --request-timeout", async () => {
    const h = await track(
      fakeHarbor({
        artifact: (_q, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          const body = JSON.stringify(artifact(overview()));
          let i = 0;
          const t = setInterval(() => {
            if (res.destroyed || i >= body.length) {
              clearInterval(t);
              res.end();
              return;
            }
            res.write(body[i++]);
          }, 300);
        },
      }),
    );
    const r = await runCli(scanArgs(h), scanEnv(h), { timeoutMs: 20000 });
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("versions stops an endless body at --max-response-bytes", async () => {
    const g = await track(
      fakeGitlab({
        releases: (_q, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.write("[");
          const t = setInterval(() => {
            if (res.destroyed) {
              clearInterval(t);
              return;
            }
            res.write(`${JSON.stringify(RELEASE)},`.repeat(200));
          }, 1);
          res.on("close", () => clearInterval(t));
        },
      }),
    );
    const r = await runCli(versionsArgs(["--max-response-bytes", "100000", "--timeout", "60000"]), gitlabEnv(g));
    expect(noCrash(r)).toEqual([]);
    expect(r.code).toBe(1);
  });
  it("versions refuses a gzip bomb instead of inflating it", async () => {
    const bomb = gzipBomb();
    const g = await track(
      fakeGitlab({
        releases: (_q, res) => {
          res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
          res.end(bomb);
        },
      }),
    );
    const r = await runCli(versionsArgs(["--max-response-bytes", "1000000"]), { ...gitlabEnv(g), NODE_OPTIONS: "--max-old-space-size=128" });
    expect(noCrash(r)).toEqual([]);
    expect(r.code).toBe(1);
  });
  it("scan refuses a gzip bomb in the vulnerabilities answer", async () => {
    const bomb = gzipBomb();
    const h = await track(
      fakeHarbor({
        vulns: (_q, res) => {
          res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
          res.end(bomb);
        },
      }),
    );
    const r = await runCli(scanArgs(h), { ...scanEnv(h), NODE_OPTIONS: "--max-old-space-size=128" });
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("validate survives 50000 levels of YAML nesting", async () => {
    const d = tmp("deep");
    writeFileSync(path.join(d, ".gitlab-ci.yml"), `a: ${"[".repeat(50000)}${"]".repeat(50000)}\n`);
    const r = await runCli(["validate", "--offline", path.join(d, ".gitlab-ci.yml")], {});
    expect(noCrash(r)).toEqual([]);
  });
  it("validate survives a YAML alias bomb (billion laughs)", async () => {
    const d = tmp("laughs");
    const lines = ["a0: &a0 [x,x,x,x,x,x,x,x,x,x]"];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(",")}]`,
      );
    lines.push("include:\n  - component: gitlab.example.com/g/harbor-ci-components/build-push@0.1.0\n    inputs:\n      image_name: *a9");
    writeFileSync(path.join(d, ".gitlab-ci.yml"), `${lines.join("\n")}\n`);
    const r = await runCli(["validate", "--offline", path.join(d, ".gitlab-ci.yml")], {});
    expect(noCrash(r)).toEqual([]);
  });
  it("validate survives a catastrophic local include wildcard", async () => {
    const d = tmp("glob");
    let p = d;
    for (let i = 0; i < 12; i++) {
      p = path.join(p, "a".repeat(3));
      mkdirSync(p);
      writeFileSync(path.join(p, `${"a".repeat(30)}.txt`), "x");
    }
    writeFileSync(
      path.join(d, ".gitlab-ci.yml"),
      `include:\n  - local: '/**/**/**/**/**/**/**/**/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b.yml'\n  - local: '/${"**/".repeat(30)}*.yml'\n`,
    );
    const r = await runCli(["validate", "--offline", ".gitlab-ci.yml"], {}, { cwd: d });
    expect(noCrash(r)).toEqual([]);
  });
  it("render survives a 20 MB input value", async () => {
    const d = tmp("huge");
    writeFileSync(path.join(d, "in.yml"), `image_name: ${"a".repeat(20_000_000)}\n`);
    const r = await runCli(["render", "build-push", "--inputs-file", path.join(d, "in.yml")], {});
    expect(noCrash(r)).toEqual([]);
    expect(r.stdout.length).toBeLessThan(100_000_000);
  });
  it("scan does not hang on an endless chain of Pending answers past --timeout", async () => {
    const h = await track(fakeHarbor({ artifact: (_q, res) => json(res, 200, artifact(overview({ scan_status: "Pending", complete_percent: 0 }, null))) }));
    const r = await runCli(scanArgs(h, ["--timeout", "2"]), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    expect(r.code).toBe(4);
  });
});

describe("Encodings: secrets never reach output", () => {
  const echoForms = (s: string) =>
    [
      s,
      encodeURIComponent(s),
      JSON.stringify(s).slice(1, -1),
      Buffer.from(s).toString("base64"),
      `Basic ${Buffer.from(`robot$p+ci:${s}`).toString("base64")}`,
      new URLSearchParams({ p: s }).toString(),
      ` ${s} `,
    ].join(" | ");
  it("versions redacts GITLAB_TOKEN in every encoding a 401 body echoes", async () => {
    const g = await track(fakeGitlab({ releases: (_q, res) => json(res, 401, { message: `401 Unauthorized: ${echoForms(GITLAB_TOKEN)}` }) }));
    const r = await runCli(versionsArgs(["-v"]), gitlabEnv(g));
    expect(noCrash(r)).toEqual([]);
    expect(leaks(r.stdout + r.stderr, GITLAB_TOKEN)).toEqual([]);
  });
  it("versions redacts GITLAB_TOKEN in every encoding an HTML page echoes", async () => {
    const g = await track(
      fakeGitlab({
        releases: (_q, res) => {
          res.writeHead(200, { "content-type": "text/html" });
          res.end(`<html>${echoForms(GITLAB_TOKEN)}</html>`);
        },
      }),
    );
    const r = await runCli(versionsArgs(), gitlabEnv(g));
    expect(noCrash(r)).toEqual([]);
    expect(leaks(r.stdout + r.stderr, GITLAB_TOKEN)).toEqual([]);
  });
  it("scan redacts HARBOR_PASSWORD in every encoding an error body echoes", async () => {
    const h = await track(fakeHarbor({ artifact: (_q, res) => json(res, 401, { errors: [{ code: "UNAUTHORIZED", message: echoForms(HARBOR_PASSWORD) }] }) }));
    const r = await runCli(scanArgs(h, ["-v"]), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    expect(leaks(r.stdout + r.stderr, HARBOR_PASSWORD)).toEqual([]);
  });
  it("scan keeps HARBOR_PASSWORD out of the written reports when a finding echoes it", async () => {
    const d = tmp("enc");
    const h = await track(
      fakeHarbor({ vulns: (_q, res) => json(res, 200, vulnReport([{ ...HIGH, description: echoForms(HARBOR_PASSWORD), package: HARBOR_PASSWORD }])) }),
    );
    const r = await runCli(scanArgs(h, ["--report", path.join(d, "r.json"), "--junit", path.join(d, "j.xml")]), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    const files = ["r.json", "j.xml"]
      .filter((f) => existsSync(path.join(d, f)))
      .map((f) => readFileSync(path.join(d, f), "utf8"))
      .join("\n");
    expect(leaks(r.stdout + r.stderr + files, HARBOR_PASSWORD)).toEqual([]);
  });
  it("scan refuses HARBOR_URL with userinfo and does not print it", async () => {
    const h = await track(fakeHarbor());
    const url = `http://robot:${encodeURIComponent(HARBOR_PASSWORD)}@127.0.0.1:${h.port}`;
    const r = await runCli(scanArgs(h), scanEnv(h, { HARBOR_URL: url }));
    expect(noCrash(r)).toEqual([]);
    expect(leaks(r.stdout + r.stderr, HARBOR_PASSWORD)).toEqual([]);
    expect(h.requests.length).toBe(0);
  });
  it("versions refuses GITLAB_URL with a token in userinfo, query or fragment and does not print it", async () => {
    const g = await track(fakeGitlab());
    for (const u of [
      `http://oauth2:${encodeURIComponent(GITLAB_TOKEN)}@127.0.0.1:${g.port}`,
      `http://127.0.0.1:${g.port}/?private_token=${encodeURIComponent(GITLAB_TOKEN)}`,
      `http://127.0.0.1:${g.port}/#${GITLAB_TOKEN}`,
    ]) {
      const r = await runCli(versionsArgs(["-v"]), gitlabEnv(g, { GITLAB_URL: u }));
      expect(noCrash(r)).toEqual([]);
      expect(leaks(r.stdout + r.stderr, GITLAB_TOKEN)).toEqual([]);
    }
  });
  it("scan with a 2-character password does not crash and does not leak it as Basic auth", async () => {
    const h = await track(
      fakeHarbor({
        artifact: (_q, res) => json(res, 401, { errors: [{ code: "UNAUTHORIZED", message: `bad ${Buffer.from("robot$p+ci:ab").toString("base64")}` }] }),
      }),
    );
    const r = await runCli(scanArgs(h), scanEnv(h, { HARBOR_PASSWORD: "ab" }));
    expect(noCrash(r)).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(Buffer.from("robot$p+ci:ab").toString("base64"));
  });
});

describe("Files", () => {
  it("scan --report does not write through a symlink to a file outside", async () => {
    const d = tmp("sym");
    const victim = path.join(d, "victim.txt");
    writeFileSync(victim, "precious");
    symlinkSync(victim, path.join(d, "r.json"));
    const h = await track(fakeHarbor());
    const r = await runCli(scanArgs(h, ["--report", path.join(d, "r.json")]), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    expect(readFileSync(victim, "utf8")).toBe("precious");
  });
  it("scan --junit to a FIFO does not hang", async () => {
    const d = tmp("fifo");
    execFileSync("mkfifo", [path.join(d, "j.xml")]);
    const h = await track(fakeHarbor());
    const r = await runCli(scanArgs(h, ["--junit", path.join(d, "j.xml")]), scanEnv(h), { timeoutMs: 20000 });
    expect(noCrash(r)).toEqual([]);
  });
  it("scan --report /dev/full fails cleanly", async () => {
    const h = await track(fakeHarbor());
    const r = await runCli(scanArgs(h, ["--report", "/dev/full"]), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("scan --report with .., . and // writes the normalised path or fails cleanly", async () => {
    const d = tmp("dots");
    mkdirSync(path.join(d, "sub"));
    const h = await track(fakeHarbor());
    const r = await runCli(scanArgs(h, ["--report", `${d}//sub/./../sub//r.json`]), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    expect(existsSync(path.join(d, "sub", "r.json"))).toBe(true);
  });
  it("validate refuses a FIFO pipeline file without hanging", async () => {
    const d = tmp("vfifo");
    execFileSync("mkfifo", [path.join(d, ".gitlab-ci.yml")]);
    const r = await runCli(["validate", "--offline", path.join(d, ".gitlab-ci.yml")], {}, { timeoutMs: 20000 });
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("validate refuses /dev/zero instead of reading it forever", async () => {
    const r = await runCli(["validate", "--offline", "/dev/zero"], {}, { timeoutMs: 20000 });
    expect(noCrash(r)).toEqual([]);
    expect(r.code).not.toBe(0);
  });
  it("validate does not follow include: local: out of the project through ..", async () => {
    const outer = tmp("dotdot");
    const proj = path.join(outer, "proj");
    mkdirSync(proj);
    writeFileSync(
      path.join(outer, "outside.yml"),
      "include:\n  - component: gitlab.example.com/g/harbor-ci-components/build-push@0.1.0\n    inputs:\n      imagename: OUTSIDE-MARKER\n",
    );
    writeFileSync(path.join(proj, ".gitlab-ci.yml"), "include:\n  - local: ../outside.yml\n  - local: /../outside.yml\n");
    const r = await runCli(["validate", "--offline", ".gitlab-ci.yml"], {}, { cwd: proj });
    expect(noCrash(r)).toEqual([]);
    expect(r.stdout + r.stderr).not.toMatch(/UNKNOWN_INPUT|imagename/);
  });
  it("validate does not follow a symlinked local include that points outside the project", async () => {
    const outer = tmp("symi");
    const proj = path.join(outer, "proj");
    mkdirSync(proj);
    writeFileSync(
      path.join(outer, "outside.yml"),
      "include:\n  - component: gitlab.example.com/g/harbor-ci-components/build-push@0.1.0\n    inputs:\n      imagename: OUTSIDE-MARKER\n",
    );
    symlinkSync(path.join(outer, "outside.yml"), path.join(proj, "ci.yml"));
    writeFileSync(path.join(proj, ".gitlab-ci.yml"), "include:\n  - local: ci.yml\n");
    const r = await runCli(["validate", "--offline", ".gitlab-ci.yml"], {}, { cwd: proj });
    expect(noCrash(r)).toEqual([]);
    expect(r.stdout + r.stderr).not.toMatch(/UNKNOWN_INPUT/);
  });
  it("versions --pipeline /dev/zero does not hang", async () => {
    const g = await track(fakeGitlab());
    const r = await runCli(versionsArgs(["--pipeline", "/dev/zero"]), gitlabEnv(g), { timeoutMs: 20000 });
    expect(noCrash(r)).toEqual([]);
  });
});

describe("Output", () => {
  const EVIL = "\u001b]0;pwned\u0007\u001b[2J\u001b[31mRED\u009b31m\r\u0008";
  it("scan does not pass terminal escape sequences from findings to the terminal", async () => {
    const h = await track(
      fakeHarbor({
        vulns: (_q, res) => json(res, 200, vulnReport([{ ...HIGH, id: `CVE-1${EVIL}`, package: `pkg${EVIL}`, version: EVIL, fix_version: EVIL }])),
      }),
    );
    const r = await runCli(scanArgs(h), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    expect(ESC_RE.test(r.stdout.replace(/\n/g, "")) || ESC_RE.test(r.stderr.replace(/\n/g, ""))).toBe(false);
  });
  it("scan does not pass escape sequences from an error message to the terminal", async () => {
    const h = await track(fakeHarbor({ artifact: (_q, res) => json(res, 403, { errors: [{ code: "FORBIDDEN", message: `no${EVIL}` }] }) }));
    const r = await runCli(scanArgs(h), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    expect(ESC_RE.test((r.stdout + r.stderr).replace(/\n/g, ""))).toBe(false);
  });
  it("versions does not pass escape sequences from release data to the terminal", async () => {
    const g = await track(
      fakeGitlab({
        releases: (_q, res) => json(res, 200, [{ ...RELEASE, name: `n${EVIL}`, tag_name: `1.0.0${EVIL}` }, RELEASE], { "x-total-pages": "1" }),
        tree: (_q, res) => json(res, 200, [{ id: "x", name: `c${EVIL}`, type: "tree", path: `templates/c${EVIL}`, mode: "040000" }]),
      }),
    );
    const r = await runCli(versionsArgs(), gitlabEnv(g));
    expect(noCrash(r)).toEqual([]);
    expect(ESC_RE.test((r.stdout + r.stderr).replace(/\n/g, ""))).toBe(false);
  });
  it("versions does not pass escape sequences from a 404 message to the terminal", async () => {
    const g = await track(fakeGitlab({ releases: (_q, res) => json(res, 404, { message: `404 Project${EVIL} Not Found` }) }));
    const r = await runCli(versionsArgs(), gitlabEnv(g));
    expect(noCrash(r)).toEqual([]);
    expect(ESC_RE.test((r.stdout + r.stderr).replace(/\n/g, ""))).toBe(false);
  });
  it("scan writes a well-formed JUnit XML and JSON report when findings hold XML-illegal characters", async () => {
    const d = tmp("xml");
    const nasty = "a\u0000b\u0001c\u000bd\ufffee\uffff<x/>&]]>\"'\ud800";
    const h = await track(
      fakeHarbor({ vulns: (_q, res) => json(res, 200, vulnReport([{ ...HIGH, id: `CVE-${nasty}`, package: nasty, description: nasty, links: [nasty] }])) }),
    );
    const r = await runCli(scanArgs(h, ["--report", path.join(d, "r.json"), "--junit", path.join(d, "j.xml")]), scanEnv(h));
    expect(noCrash(r)).toEqual([]);
    const xml = readFileSync(path.join(d, "j.xml"), "utf8");
    // XML 1.0 Char production: no C0 controls but tab/lf/cr, no U+FFFE/U+FFFF, no lone surrogate (U+FFFD after decoding)
    expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(xml)).toBe(false);
    expect(xml).not.toContain("<x/>");
    expect(xml.split("<![CDATA[").length - 1).toBe(xml.split("]]>").length - 1);
    expect(/&#x?(0*[0-8]|0*1[1-9a-f]|0*[bcef]|x0*1[0-9a-f]|x0*[0-8bcef]|xfff[ef]);/i.test(xml)).toBe(false);
    const rep = readFileSync(path.join(d, "r.json"), "utf8");
    expect(() => JSON.parse(rep)).not.toThrow();
    expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(rep)).toBe(false);
  });
  it("versions --json stays valid JSON when release data holds control characters", async () => {
    const g = await track(fakeGitlab({ releases: (_q, res) => json(res, 200, [{ ...RELEASE, name: 'x\u0000\u001b[31m\ud800"}' }], { "x-total-pages": "1" }) }));
    const r = await runCli(versionsArgs(["--json"]), gitlabEnv(g));
    expect(noCrash(r)).toEqual([]);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(ESC_RE.test(r.stdout.replace(/\n/g, ""))).toBe(false);
  });
});
