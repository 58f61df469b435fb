// Every secret, in every encoding a server or a message could give it back in, through every
// output path a command has: none reaches the terminal.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setupMain } from "../../scripts/commands/setup.ts";
import { versionsMain } from "../../scripts/commands/versions.ts";
import { CliError } from "../../scripts/lib/cli/diagnostics.ts";
import { formatCall, Output } from "../../scripts/lib/cli/io.ts";
import { Redactor, stripUrlCredentials } from "../../scripts/lib/cli/redact.ts";
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
