import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dir = new URL("../../../examples/app/", import.meta.url).pathname;

describe("examples/app (the sample image of the docs and integration tests)", () => {
  it("builds from a BASE build argument, dependencies before the source", () => {
    const dockerfile = readFileSync(dir + "Dockerfile", "utf8");
    expect(dockerfile).toMatch(/^ARG BASE=debian:trixie-slim$/m);
    expect(dockerfile).toMatch(/^FROM \$\{BASE\} AS deps$/m);
    expect(dockerfile.indexOf("COPY deps.txt")).toBeLessThan(dockerfile.indexOf("COPY src/"));
  });

  it("prints its arguments as received and exits with --exit N", () => {
    const r = spawnSync("sh", [dir + "src/app", "--greet", "$(touch pwned) `id`; 'q'", "--exit", "3"], {
      encoding: "utf8",
      env: { PATH: process.env["PATH"], APP_VERSION: "1.2.3", APP_HOME: dir },
    });
    expect(r.status).toBe(3);
    expect(r.stdout).toBe(
      ["app 1.2.3 (0 dependencies)", "arg[1]=--greet", "Hello from examples/app", "arg[2]=$(touch pwned) `id`; 'q'", "arg[3]=--exit", "arg[4]=3", ""].join(
        "\n",
      ),
    );
  });
});
