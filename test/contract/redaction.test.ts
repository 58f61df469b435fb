// Every secret, in every encoding a server or a message could give it back in, through every
// output path a command has: none reaches the terminal.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setupMain } from "../../scripts/commands/setup.ts";
import { versionsMain } from "../../scripts/commands/versions.ts";
import { CliError } from "../../scripts/lib/cli/diagnostics.ts";
import { formatCall, Output } from "../../scripts/lib/cli/io.ts";
import { Redactor, stripUrlCredentials } from "../../scripts/lib/cli/redact.ts";
import { firstBytes } from "../../scripts/lib/http/bounded.ts";
import { FakeGitlab } from "./fakes/gitlab.ts";
import { FakeHarbor } from "./fakes/harbor.ts";
import { runCommand } from "./fakes/run.ts";
import type { FakeResponse, RecordedRequest } from "./fakes/server.ts";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** Written out here, independently of the redactor: how a secret can come back. */
function encodings(secret: string, user: string): Record<string, string> {
  return {
    raw: secret,
    "URL-encoded": encodeURIComponent(secret),
    "form-encoded": encodeURIComponent(secret).replace(/%20/g, "+"),
    "JSON-escaped": JSON.stringify(secret).slice(1, -1),
    "JSON-escaped twice": JSON.stringify(JSON.stringify(secret)).slice(2, -2),
    base64: b64(secret),
    "base64 of user:secret (Basic auth)": b64(`${user}:${secret}`),
  };
}

const SECRETS: Array<[string, string]> = [
  ['Harb"or 12/34+5%$é', "admin"],
  ["glpat-Abcdefghij0123456789", "oauth2"],
  ["robot-S3cr\\et=with/slash+plus", "robot$my-project+gitlab-ci"],
];

describe("redaction: each secret, each encoding, each output path", () => {
  for (const [secret, user] of SECRETS) {
    for (const [encoding, form] of Object.entries(encodings(secret, user))) {
      it(`${JSON.stringify(secret)} ${encoding}`, () => {
        const redactor = new Redactor().add(secret, user);
        let printed = "";
        const out = new Output({ env: {}, cwd: ".", stdout: (t) => (printed += t), stderr: (t) => (printed += t) }, redactor);
        out.line(`stdout: ${form}`);
        out.warn(`stderr: ${form}`);
        out.fail(new CliError({ code: "X", message: `message ${form}`, expected: `expected ${form}`, actual: `actual ${form}`, fix: `fix ${form}` }));
        out.fail(new Error(`unexpected ${form}`));
        printed += formatCall({ method: "GET", url: `https://h/x?q=${form}`, as: "admin", body: { note: form, nested: [form] }, sent: true }, redactor);
        printed += JSON.stringify(redactor.redactValue({ text: `a ${form} b`, list: [form] }));
        expect(printed).not.toContain(form);
        expect(printed).toContain("[REDACTED]");
      });
    }
  }

  it("credentials in any URL are removed, known or not", () => {
    const r = new Redactor();
    expect(r.scrub("see http://oauth2:pw-1234@gitlab.example.com/api and https://tok@h:8443/x")).toBe(
      "see http://[REDACTED]@gitlab.example.com/api and https://[REDACTED]@h:8443/x",
    );
    expect(stripUrlCredentials("https://u:p%40ss@h.example.com:8443/path")).toEqual({
      url: "https://h.example.com:8443/path",
      username: "u",
      password: "p@ss",
    });
    expect(stripUrlCredentials("https://h.example.com")).toEqual({ url: "https://h.example.com" });
  });
});

/** GitLab that answers the integration PUT by echoing the request in every encoding. */
class EchoingGitlab extends FakeGitlab {
  protected override handle(req: RecordedRequest): FakeResponse {
    if (req.method === "PUT" && req.rawPath.endsWith("/integrations/harbor")) {
      const body = req.body as { username: string; password: string };
      const forms = Object.values(encodings(body.password, body.username)).join(" | ");
      return { status: 400, body: { message: `rejected ${req.rawBody} ${forms}` } };
    }
    return super.handle(req);
  }
}

/** Harbor issuing secrets with characters that every encoding changes. */
class SpecialSecretHarbor extends FakeHarbor {
  override newSecret(): string {
    const s = `Ro"bot Sec/ret+${Math.random().toString(36).slice(2, 8)}%$`;
    this.issuedSecrets.push(s);
    return s;
  }
}

describe("redaction end to end: servers that echo secrets back", () => {
  let harbor: SpecialSecretHarbor;
  let gitlab: EchoingGitlab;
  beforeEach(async () => {
    harbor = new SpecialSecretHarbor();
    gitlab = new EchoingGitlab();
    harbor.admin = { user: "admin", password: SECRETS[0]![0] };
    await Promise.all([harbor.start(), gitlab.start()]);
  });
  afterEach(() => Promise.all([harbor.stop(), gitlab.stop()]));

  const env = () => ({
    GITLAB_URL: gitlab.url,
    GITLAB_TOKEN: "glpat-maintainer-token-0001",
    HARBOR_ADMIN_USER: "admin",
    HARBOR_ADMIN_PASSWORD: SECRETS[0]![0],
  });
  const args = () => ["--harbor-url", harbor.url, "--harbor-project", "my-project", "--project", "my-group/my-app", "--retries", "0", "-v"];

  it("the robot secret echoed by GitLab in every encoding is never printed", async () => {
    const r = await runCommand(setupMain, args(), env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error GITLAB_INTEGRATION_REJECTED");
    expect(r.stderr).toContain("[REDACTED]");
    expect(harbor.issuedSecrets).toHaveLength(1);
    for (const [secret, user] of [
      [harbor.issuedSecrets[0]!, harbor.robots[0]!.name],
      [SECRETS[0]![0], "admin"],
    ] as const) {
      for (const [encoding, form] of Object.entries(encodings(secret, user))) expect(r.all, encoding).not.toContain(form);
    }
  });

  it("the admin password echoed by Harbor as a Basic header is never printed", async () => {
    harbor.hostile = "echo-auth";
    const r = await runCommand(setupMain, args(), env());
    expect(r.stderr).toContain("error HARBOR_REQUEST_FAILED");
    for (const [encoding, form] of Object.entries(encodings(SECRETS[0]![0], "admin"))) expect(r.all, encoding).not.toContain(form);
  });

  it("the GitLab token echoed by a server is never printed", async () => {
    gitlab.hostile = "echo-auth";
    const r = await runCommand(versionsMain, ["--project", "my-group/my-app", "--retries", "0", "-v"], env());
    expect(r.stderr).toContain("error GITLAB_REQUEST_FAILED");
    for (const [encoding, form] of Object.entries(encodings("glpat-maintainer-token-0001", "oauth2"))) expect(r.all, encoding).not.toContain(form);
  });
});

describe("redaction first, then formatting (issue 18 item 4)", () => {
  let gitlab: FakeGitlab;
  beforeEach(async () => {
    gitlab = new FakeGitlab();
    await gitlab.start();
  });
  afterEach(() => gitlab.stop());
  const versions = (env: Record<string, string>, extra: string[] = []) =>
    runCommand(versionsMain, ["--project", "my-group/my-app", "--retries", "0", ...extra], { GITLAB_TOKEN: "glpat-maintainer-token-0001", ...env });

  /** Every 4-character piece of `secret`: none may be printed. */
  const pieces = (secret: string) => Array.from({ length: secret.length - 3 }, (_, i) => secret.slice(i, i + 4)).filter((p) => !/^[a-z]+$/.test(p));

  // (A space is percent-encoded by the URL parser, so that URL parses and is shown without its password.)
  for (const password of ["pa#ss-W0rd-9", "pa?ss-W0rd-9", "pa/ss-W0rd-9"]) {
    it(`GITLAB_URL with an unencoded ${JSON.stringify(password[2])} in its password is refused, naming the variable and not the value`, async () => {
      const r = await versions({ GITLAB_URL: `https://oauth2:${password}@gitlab.example.com` });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error GITLAB_URL_HAS_CREDENTIALS: GITLAB_URL holds an `@`/m);
      for (const p of pieces(password)) expect(r.all).not.toContain(p);
      const o = await versions({}, ["--gitlab-url", `https://oauth2:${password}@gitlab.example.com`]);
      expect(o.stderr).toMatch(/^error GITLAB_URL_HAS_CREDENTIALS: --gitlab-url holds/m);
      for (const p of pieces(password)) expect(o.all).not.toContain(p);
    });
  }

  it("GITLAB_URL with a token in its query string is refused without echoing it", async () => {
    const r = await versions({ GITLAB_URL: "https://gitlab.example.com/?private_token=Qs-T0ken-Value-77" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error GITLAB_URL_HAS_QUERY: GITLAB_URL has a query string/m);
    expect(r.all).not.toContain("Qs-T0ken");
    expect(r.stderr).toContain("https://gitlab.example.com/ followed by ?… or #…");
  });

  it("a query-string credential or a URL password no parser reads is redacted in any text, known or not", () => {
    const r = new Redactor();
    expect(r.scrub("GET https://h.example.com/api?private_token=Qs-T0ken-1&x=1 and /p?access_token=Tok-2#f and ?job-token=J0b-3")).toBe(
      "GET https://h.example.com/api?private_token=[REDACTED]&x=1 and /p?access_token=[REDACTED]#f and ?job-token=[REDACTED]",
    );
    expect(r.scrub("see https://u:pa#ss-9@h.example.com/x and https://u:p/a?ss@h2")).toBe("see https://[REDACTED]@h.example.com/x and https://[REDACTED]@h2");
  });

  it("a secret with whitespace inside, folded onto one line by an error excerpt, is still redacted", () => {
    const secret = "Harb  or\t12\n34 5x";
    const redactor = new Redactor().add(secret, "admin");
    const excerpt = firstBytes(`<html><body>wrong password ${secret} for admin</body></html>`);
    expect(redactor.scrub(excerpt)).not.toContain("Harb or 12 34 5x");
    expect(excerpt).toContain("[REDACTED]");
    // And a redactor that only sees the folded text still knows the folded form.
    expect(redactor.scrub("was: Harb or 12 34 5x.")).toBe("was: [REDACTED].");
  });

  it("an excerpt cut at 120 characters never keeps the first half of a secret", async () => {
    const token = "glpat-maintainer-token-0001";
    new Redactor().add(token);
    for (let pad = 100; pad <= 120; pad += 2) {
      const excerpt = firstBytes(`${"x".repeat(pad)}${token}`);
      for (let n = 4; n <= token.length; n++) expect(excerpt).not.toContain(token.slice(0, n));
    }
    gitlab.inject(() => true, { status: 200, headers: { "content-type": "text/html" }, text: `<html>${"y".repeat(104)}${token}</html>` });
    const r = await versions({ GITLAB_URL: gitlab.url });
    expect(r.stderr).toContain("error GITLAB_UNEXPECTED_RESPONSE");
    expect(r.all).not.toContain("glpat-main");
  });
});
