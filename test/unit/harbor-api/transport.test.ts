import { describe, expect, it } from "vitest";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";
import { createHarbor } from "../../../scripts/lib/harbor-api/client.ts";
import { ARTIFACT, PROJECT, ROBOT_LIST } from "../../../scripts/lib/harbor-api/shapes.ts";
import type { HarborTransportOptions } from "../../../scripts/lib/harbor-api/transport.ts";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function harbor(answer: () => Response, over: Partial<HarborTransportOptions> = {}, exits = { notScanned: 6 }) {
  const calls: string[] = [];
  return {
    calls,
    api: createHarbor(
      {
        url: "https://harbor.example",
        urlSource: "HARBOR_URL",
        credentialsHint: "credentials go elsewhere",
        credentials: { user: "u", password: "p" },
        retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
        timeoutMs: 2000,
        exitCode: 7,
        fetch: async (input) => {
          calls.push(String(input));
          return answer();
        },
        ...over,
      },
      exits,
    ),
  };
}

describe("Harbor shapes", () => {
  it("names the path and the type found", () => {
    expect(PROJECT({ project_id: 7, name: 7 }, "answer")).toBe("answer.name: string expected, number found");
    expect(PROJECT({ project_id: "7", name: "p" }, "answer")).toBe("answer.project_id: integer expected, string found");
    expect(ROBOT_LIST([{ id: 1, name: "r", level: "project", permissions: {} }], "answer")).toBe("answer[0].permissions: array expected, object found");
    expect(ARTIFACT({ project_id: 1, digest: "d", scan_overview: { m: { scan_status: 3 } } }, "a")).toBe(
      'a.scan_overview["m"].scan_status: string expected, number found',
    );
    expect(PROJECT({ project_id: 7, name: "p", extra: 1 }, "answer")).toBeUndefined();
  });
});

describe("HarborTransport", () => {
  it("gives every failure the exit code the command passed in", async () => {
    const { api } = harbor(() => new Response("<!DOCTYPE html><html>sign in</html>", { headers: { "content-type": "text/html" } }));
    const err = await api.projects.show("p").catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.code).toBe("HARBOR_UNEXPECTED_RESPONSE");
    expect(err.exitCode).toBe(7);
  });

  it("refuses a URL with credentials before any request, as a usage error", () => {
    expect(() => harbor(() => json({}), { url: "https://a:b@harbor.example" })).toThrow(
      expect.objectContaining({ code: "HARBOR_URL_HAS_CREDENTIALS", exitCode: 2 }),
    );
  });

  it("refuses a project answer naming another project", async () => {
    const { api } = harbor(() => json({ project_id: 3, name: "victim" }));
    await expect(api.projects.show("proj")).rejects.toMatchObject({ code: "HARBOR_ANSWER_MISMATCH", exitCode: 7 });
  });

  it("refuses a created robot of another project, whatever the prefix", async () => {
    const { api } = harbor(() => json({ id: 1, name: "robot$other+admin", secret: "s" }, 201));
    const body = {
      name: "ci",
      description: "",
      level: "project" as const,
      duration: 1,
      disable: false as const,
      permissions: [{ kind: "project", namespace: "proj", access: [] }],
    };
    await expect(api.robots.create(body)).rejects.toMatchObject({ code: "HARBOR_ANSWER_MISMATCH" });
    const ok = harbor(() => json({ id: 1, name: "bot-proj+ci", secret: "s" }, 201));
    await expect(ok.api.robots.create(body)).resolves.toMatchObject({ name: "bot-proj+ci" });
  });

  it("maps a scan outcome to the exit code given for it, and Harbor's failures to the transport's", async () => {
    const noScanner = harbor(() => json({ errors: [{ code: "PRECONDITION", message: "no scanner" }] }, 412));
    const ref = { project: "p", repository: "team/api", digest: "sha256:1" };
    await expect(noScanner.api.scans.start(ref)).rejects.toMatchObject({ code: "NO_SCANNER", exitCode: 6 });
    const down = harbor(() => json({ errors: [{ code: "X", message: "teapot" }] }, 418));
    await expect(down.api.scans.start(ref)).rejects.toMatchObject({ code: "HARBOR_REQUEST_FAILED", exitCode: 7 });
    expect(noScanner.calls[0]).toBe("https://harbor.example/api/v2.0/projects/p/repositories/team%252Fapi/artifacts/sha256:1/scan");
  });
});
