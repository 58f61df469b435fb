// The pipeline `npm start` runs: the three components rendered with their defaults plus the
// minimal inputs (what a user gets from the README's shortest includes), on examples/app.
import { renderComponent } from "../lib/ci/render.ts";
import type { JobDefinition } from "../runner/runner.ts";
import type { PipelineJobInput } from "./pipeline.ts";

export const DEMO_STAGES = ["build", "test"];
export const DEMO_IMAGE_NAME = "example-app";
export const DEMO_GREETING_ROW = "hello from service-db";

export interface DemoOptions {
  /** pull-run's app exits with this code (`npm start -- --fail`: what a failing job looks like). */
  appExitCode?: number;
}

export function demoPipelineJobs(opts: DemoOptions = {}): PipelineJobInput<JobDefinition>[] {
  const exit = opts.appExitCode === undefined ? "" : `\n--exit\n${opts.appExitCode}`;
  const rendered = [
    // image_name is the one required input.
    renderComponent("build-push", { image_name: DEMO_IMAGE_NAME }),
    // Nothing is required (the default image is build-push's IMAGE_REF); the command shows that
    // arguments reach the app as data.
    renderComponent("pull-run", { command: `--greet\nrun by npm start, one argument with spaces${exit}` }),
    // image and script are required. The PostgreSQL image has psql: it is the job image too.
    renderComponent("service-db", {
      image: "postgres:16",
      script: [
        `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "CREATE TABLE greetings (id serial PRIMARY KEY, text text NOT NULL); INSERT INTO greetings (text) VALUES ('${DEMO_GREETING_ROW}')"`,
        `row=$(psql "$DATABASE_URL" -tAc "SELECT text FROM greetings WHERE id = 1")`,
        `echo "read back: $row"`,
        `test "$row" = "${DEMO_GREETING_ROW}"`,
      ],
    }),
  ];
  return rendered.flatMap((r) =>
    Object.entries(r.body).map(([name, job]) => {
      const definition = job as JobDefinition;
      return { name, stage: definition.stage, needs: definition.needs, allowFailure: definition.allow_failure === true, definition };
    }),
  );
}
