// Pure helpers shared by the network commands: backoff, error classification, redaction.
import { describe, expect, it } from "vitest";
import { HttpStatusError } from "../../../scripts/lib/http/errors.ts";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";
import { formatCall } from "../../../scripts/lib/cli/io.ts";
import { parseCommandArgs } from "../../../scripts/lib/cli/args.ts";
import { Redactor, REDACTED } from "../../../scripts/lib/cli/redact.ts";
import { backoffDelay, errorCode, RetriesExhaustedError, transientReason, withRetry } from "../../../scripts/lib/http/retry.ts";

const refused = () => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });

describe("unit: retry with bounded exponential backoff", () => {
  it("doubles the delay and caps it", () => {
    const policy = { retries: 10, baseDelayMs: 500, maxDelayMs: 8_000 };
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => backoffDelay(i, policy))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("classifies transient failures: 429/5xx, connection errors (also inside cause), timeouts; not 4xx", () => {
    expect(transientReason(new HttpStatusError("GET", "u", 503, undefined))).toBe("HTTP 503");
    expect(transientReason(new HttpStatusError("GET", "u", 429, undefined))).toBe("HTTP 429");
    expect(transientReason(new HttpStatusError("GET", "u", 404, undefined))).toBeUndefined();
    expect(transientReason(refused())).toBe("ECONNREFUSED");
    expect(transientReason(Object.assign(new Error("x"), { name: "TimeoutError" }))).toBe("timeout");
    expect(transientReason(new CliError({ code: "X", message: "x" }))).toBeUndefined();
    expect(transientReason(new Error("bug"))).toBeUndefined();
    expect(errorCode({ errors: [{ code: "ECONNREFUSED" }] })).toBe("ECONNREFUSED");
  });

  it("retries transient failures with the policy's delays, then succeeds", async () => {
    const slept: number[] = [];
    let calls = 0;
    const value = await withRetry(
      async () => {
        if (++calls < 3) throw refused();
        return "ok";
      },
      { retries: 4, baseDelayMs: 10, maxDelayMs: 15 },
      { sleep: async (ms) => void slept.push(ms) },
    );
    expect(value).toBe("ok");
    expect(calls).toBe(3);
    expect(slept).toEqual([10, 15]);
  });

  it("rethrows a non-transient error at once", async () => {
    let calls = 0;
    const err = new HttpStatusError("GET", "u", 401, undefined);
    await expect(
      withRetry(
        async () => {
          calls++;
          throw err;
        },
        { retries: 4, baseDelayMs: 1, maxDelayMs: 1 },
      ),
    ).rejects.toBe(err);
    expect(calls).toBe(1);
  });

  it("gives up after retries + 1 attempts with the last reason", async () => {
    const err = await withRetry(
      async () => {
        throw new HttpStatusError("GET", "u", 502, undefined);
      },
      { retries: 2, baseDelayMs: 0, maxDelayMs: 0 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect((err as RetriesExhaustedError).attempts).toBe(3);
    expect((err as RetriesExhaustedError).reason).toBe("HTTP 502");
  });
});

describe("unit: redaction", () => {
  it("scrubs registered secrets, their URL-encoded form, and GitLab token shapes", () => {
    const r = new Redactor().add("s3cr3t+/=Value").add("abc");
    expect(r.scrub("a s3cr3t+/=Value b s3cr3t%2B%2F%3DValue c abc")).toBe(`a ${REDACTED} b ${REDACTED} c abc`);
    expect(r.scrub("token glpat-0123456789abcdefghij here")).toBe(`token ${REDACTED} here`);
  });

  it("redacts secret keys in bodies at any depth, and known secrets in any value", () => {
    const r = new Redactor().add("TopSecret1");
    expect(r.redactValue({ url: "u", password: "x", nested: [{ secret: "y", note: "has TopSecret1 inside" }], token: "" })).toEqual({
      url: "u",
      password: REDACTED,
      nested: [{ secret: REDACTED, note: `has ${REDACTED} inside` }],
      token: "",
    });
  });

  it("formats calls for --dry-run without credentials", () => {
    const r = new Redactor().add("TopSecret1");
    expect(formatCall({ method: "PUT", url: "https://g/api/v4/x", as: "GITLAB_TOKEN", body: { password: "TopSecret1", username: "u" }, sent: false }, r)).toBe(
      'PUT   https://g/api/v4/x  as GITLAB_TOKEN  body {"password":"[REDACTED]","username":"u"}  (not sent: dry run)',
    );
  });
});

describe("unit: option parsing", () => {
  it("accepts negative numbers as option values (--duration -1)", () => {
    const { values } = parseCommandArgs("t", ["--duration", "-1", "--x"], { duration: { type: "string" }, x: { type: "boolean" } });
    expect(values).toEqual({ duration: "-1", x: true });
  });

  it("unknown options are usage errors (exit 2)", () => {
    const err = (() => {
      try {
        parseCommandArgs("t", ["--password", "p"], {});
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).code).toBe("OPTION_INVALID");
    expect((err as CliError).exitCode).toBe(2);
  });
});
