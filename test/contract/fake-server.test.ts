// The fakes fail fast: a missing swagger stops the Harbor fake when it loads, with the fix, and a
// handler that throws still answers (500, with the error) instead of leaving the client waiting.

import { join } from "node:path";
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { VENDORED } from "../../scripts/lib/project.ts";
import { readSwagger } from "./fakes/harbor-swagger.ts";
import { FakeServer, type FakeResponse, type RecordedRequest } from "./fakes/server.ts";

class BrokenFake extends FakeServer {
  readonly failures: unknown[] = [];
  protected handle(_req: RecordedRequest): FakeResponse {
    throw new Error("the fixture this handler reads is missing");
  }
  protected override handlerFailed(error: unknown): void {
    this.failures.push(error);
  }
}

describe("contract fakes", () => {
  let fake: BrokenFake | undefined;
  afterEach(() => fake?.stop());

  it("reads Harbor's swagger from vendor/harbor/swagger.yaml", () => {
    expect(readSwagger(VENDORED.harborSwagger).swagger).toBe("2.0");
  });

  it("names the missing swagger and the fix instead of hanging", () => {
    const missing = join(tmpdir(), "no-such-dir", "swagger.yaml");
    expect(() => readSwagger(missing)).toThrow(
      /^HARBOR_SWAGGER_MISSING: Harbor's API description is not at .*swagger\.yaml; restore it \(git checkout -- vendor\/harbor\)/,
    );
  });

  it("answers 500 with the error when a handler throws, and reports the error", async () => {
    fake = new BrokenFake();
    const url = await fake.start();
    const response = await fetch(`${url}/api/v2.0/projects`);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("the fake server failed on GET /api/v2.0/projects: the fixture this handler reads is missing");
    expect(fake.failures).toHaveLength(1);
  });
});
