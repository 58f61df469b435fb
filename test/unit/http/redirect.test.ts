import { describe, expect, it } from "vitest";
import { fetchNoCrossOriginRedirect, RedirectRefusedError } from "../../../scripts/lib/http/redirect.ts";

function fakeFetch(routes: Record<string, () => Response>) {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  const impl = async (input: string | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input.url;
    seen.push({ url, init: init ?? {} });
    const r = routes[url];
    if (!r) throw new Error(`no route ${url}`);
    return r();
  };
  return { impl, seen };
}

const redirect = (status: number, location: string) => () => new Response(null, { status, headers: { location } });

describe("fetchNoCrossOriginRedirect", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`refuses a ${status} to another origin and sends nothing there`, async () => {
      const f = fakeFetch({ "https://a.example/api": redirect(status, "https://b.example/api") });
      const err = await fetchNoCrossOriginRedirect("https://a.example/api", { method: "GET", headers: { "private-token": "t" } }, f.impl).catch((e) => e);
      expect(err).toBeInstanceOf(RedirectRefusedError);
      expect(err.code).toBe("HTTP_CROSS_ORIGIN_REDIRECT");
      expect(err.message).toContain("https://a.example");
      expect(err.message).toContain("https://b.example");
      expect(f.seen.map((s) => s.url)).toEqual(["https://a.example/api"]);
      expect(f.seen[0]!.init.redirect).toBe("manual");
    });
  }

  it("names HTTP to HTTPS as the likely cause", async () => {
    const f = fakeFetch({ "http://a.example/x": redirect(301, "https://a.example/x") });
    const err = await fetchNoCrossOriginRedirect("http://a.example/x", {}, f.impl).catch((e) => e);
    expect(err.code).toBe("HTTP_CROSS_ORIGIN_REDIRECT");
    expect(err.fix).toMatch(/https:\/\//);
  });

  it("follows a same-origin redirect of a GET", async () => {
    const f = fakeFetch({ "https://a.example/x": redirect(302, "/y"), "https://a.example/y": () => new Response("ok") });
    const res = await fetchNoCrossOriginRedirect("https://a.example/x", { method: "GET" }, f.impl);
    expect(await res.text()).toBe("ok");
    expect(f.seen.map((s) => s.url)).toEqual(["https://a.example/x", "https://a.example/y"]);
  });

  it("never re-sends a body, even to the same origin", async () => {
    const f = fakeFetch({ "https://a.example/x": redirect(307, "/y"), "https://a.example/y": () => new Response("ok") });
    const err = await fetchNoCrossOriginRedirect("https://a.example/x", { method: "PUT", body: "secret" }, f.impl).catch((e) => e);
    expect(err.code).toBe("HTTP_REDIRECT_NOT_FOLLOWED");
    expect(f.seen).toHaveLength(1);
  });

  it("stops a redirect loop", async () => {
    const f = fakeFetch({ "https://a.example/x": redirect(302, "/x") });
    const err = await fetchNoCrossOriginRedirect("https://a.example/x", {}, f.impl).catch((e) => e);
    expect(err.code).toBe("HTTP_REDIRECT_NOT_FOLLOWED");
  });

  it("keeps a query token out of the message", async () => {
    const f = fakeFetch({ "https://a.example/x?private_token=s3cr3t": redirect(302, "https://b.example/?t=s3cr3t") });
    const err = await fetchNoCrossOriginRedirect("https://a.example/x?private_token=s3cr3t", {}, f.impl).catch((e) => e);
    expect(`${err.message} ${err.fix} ${err.actual}`).not.toContain("s3cr3t");
  });
});
