import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/contract/**/*.test.ts"],
          // Hang guards, not speed targets (those are benchmarks): `check` and the schema compile
          // take seconds alone and far longer on a loaded 2-core machine.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // The npm package through a real registry (verdaccio): no Docker engine needed.
          name: "package",
          include: ["test/package/**/*.test.ts"],
          // Every file packs the package, and npm pack rebuilds dist/ first: one file at a time.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          // One engine, one registry: scenarios share them, so run files one after another.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
