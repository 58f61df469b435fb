// Inputs are data: build args, labels, pull-run commands and run options holding `$(...)`,
// backquotes, quotes, `;`, `&&`, `|`, `#` and newlines never run anywhere (no marker file in the
// job containers), and arrive verbatim where they are used: in the image (read back through the
// registry API and by running it) and as the container's arguments (the app echoes them).
import { beforeAll, describe, expect, it } from "vitest";
import type { ImageTags } from "../../../scripts/runner/images.ts";
import type { RegistryFixture } from "../../../scripts/runner/registry.ts";
import { runJob } from "../../../scripts/runner/runner.ts";
import { componentJob, EXAMPLE_APP_DIR, foundMarkers, logLines, registryImage, uniqueName, useRegistry, withMarkerCheck } from "./support.ts";

// Each attempt would leave its own marker file if a shell evaluated it. No `$NAME` in them: the
// runner expands those in input values before any script sees them (documented behaviour).
const SUBST = "$(touch /tmp/pwned-subst)";
const BACKQUOTE = "`touch /tmp/pwned-backquote`";
const HOSTILE = `${SUBST} ${BACKQUOTE} "double" 'single' ; touch /tmp/pwned-semicolon && echo x | tee /tmp/pwned-pipe # end`;
// The app prints APP_VERSION with dash's echo, which would turn a backslash sequence into
// something else: the backslash is tried where the app uses printf (arguments, labels).
const WITH_BACKSLASH = `${HOSTILE} back\\slash \\n`;

describe("hostile inputs are data", () => {
  let images: ImageTags;
  let registry: RegistryFixture;
  let built: Record<string, string>;
  let repo: string;
  let buildLog: string;

  useRegistry((i, r) => {
    images = i;
    registry = r;
  });

  beforeAll(async () => {
    const imageName = uniqueName("hostile");
    repo = `${registry.project}/${imageName}`;
    const { name, job } = componentJob("build-push", {
      image_name: imageName,
      build_args: `APP_VERSION=${HOSTILE}\n`,
      labels: `com.example.note=${WITH_BACKSLASH}\ncom.example.quote='${SUBST}'\n`,
    });
    const result = await runJob(withMarkerCheck(job), {
      name,
      projectDir: EXAMPLE_APP_DIR,
      images,
      harbor: registry.integration(),
      registry,
      timeoutMs: 180_000,
    });
    expect(result.status, result.log).toBe("success");
    built = result.dotenv;
    buildLog = result.log;
  }, 240_000);

  it("runs nothing from build args and labels, and writes them into the image verbatim", async () => {
    expect(logLines(buildLog)).toContain("marker check done");
    expect(foundMarkers(buildLog)).toEqual([]);
    const image = await registryImage(registry, repo, built.IMAGE_DIGEST!);
    expect(image.config.config.Env).toContain(`APP_VERSION=${HOSTILE}`);
    expect(image.config.config.Labels).toMatchObject({ "com.example.note": WITH_BACKSLASH, "com.example.quote": `'${SUBST}'` });
  }, 60_000);

  it("passes every command line to the container as one argument, verbatim, and runs none", async () => {
    const args = ["--greet", WITH_BACKSLASH, SUBST, BACKQUOTE, "a; touch /tmp/pwned-arg", `'single' "double"`, "  two  spaces  "];
    const { name, job } = componentJob("pull-run", { command: `${args.join("\n")}\n` });
    const result = await runJob(withMarkerCheck(job), { name, images, harbor: registry.integration(), registry, dotenv: built, timeoutMs: 180_000 });
    expect(result.status, result.log).toBe("success");

    const lines = logLines(result.log);
    // The build arg, read back by running the image.
    expect(lines).toContain(`app ${HOSTILE} (2 dependencies)`);
    for (const [i, arg] of args.entries()) expect(lines, `argument ${i + 1}`).toContain(`arg[${i + 1}]=${arg}`);
    expect(lines.filter((l) => /^arg\[\d+\]=/.test(l))).toHaveLength(args.length);
    expect(lines).toContain("marker check done");
    expect(foundMarkers(result.log)).toEqual([]);
  }, 240_000);

  it("passes a multi-line variable through run_options to the container verbatim, and runs none of it", async () => {
    const multiLine = `first line\n${SUBST}\n${BACKQUOTE}; touch /tmp/pwned-env\nlast line`;
    const { name, job } = componentJob("pull-run", { run_options: "--env=APP_VERSION\n", command: "--exit\n0\n" });
    const result = await runJob(withMarkerCheck(job), {
      name,
      images,
      harbor: registry.integration(),
      registry,
      dotenv: built,
      // A project CI/CD variable: `--env=APP_VERSION` hands the job's value to the container.
      variables: { APP_VERSION: multiLine },
      timeoutMs: 180_000,
    });
    expect(result.status, result.log).toBe("success");
    expect(logLines(result.log).join("\n")).toContain(`\napp ${multiLine} (2 dependencies)\n`);
    expect(foundMarkers(result.log)).toEqual([]);
    expect(logLines(result.log)).toContain("marker check done");
  }, 240_000);
});
