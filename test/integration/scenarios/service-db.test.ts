// service-db with PostgreSQL and with MariaDB: the script starts once the database accepts
// connections and writes and reads a row through DATABASE_URL alone. The job image is the
// database image itself, for its client (psql, mariadb).
import { beforeAll, describe, expect, it } from "vitest";
import type { ImageTags } from "../../../scripts/runner/images.ts";
import { runJob } from "../../../scripts/runner/runner.ts";
import { componentJob, logLines, testImages } from "./support.ts";

const ROW = "written through DATABASE_URL";

describe("service-db: a row written and read through DATABASE_URL", () => {
  let images: ImageTags;

  beforeAll(async () => {
    images = await testImages();
  }, 60_000);

  it("writes and reads a row in PostgreSQL, the password percent-encoded in the URL", async () => {
    // `@`, `:`, `/` and `%` in the password only work if DATABASE_URL encodes them.
    const password = "p@ss:w/rd%42";
    const { name, job } = componentJob("service-db", {
      image: "postgres:16",
      db_image: "postgres:16",
      db_name: "shop",
      db_user: "shop_test",
      db_password: password,
      script: [
        `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "CREATE TABLE greetings (id serial PRIMARY KEY, body text NOT NULL)"`,
        `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "INSERT INTO greetings (body) VALUES ('${ROW}')"`,
        `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -tA -c "SELECT 'row ' || id || ': ' || body || ' as ' || current_user || '@' || current_database() FROM greetings"`,
      ],
    });
    const result = await runJob(job, { name, images, timeoutMs: 120_000 });
    expect(result.status, result.log).toBe("success");
    const lines = logLines(result.log);
    expect(lines).toContain("DATABASE_URL=postgresql://shop_test:***@db:5432/shop");
    expect(lines.some((l) => l.startsWith("The database accepts connections"))).toBe(true);
    expect(lines).toContain(`row 1: ${ROW} as shop_test@shop`);
    expect(result.variables.DATABASE_URL).toBeUndefined(); // set by the component's script, not a job variable
    expect(result.log).not.toContain(password);
  }, 180_000);

  it("writes and reads a row in MariaDB", async () => {
    // The mariadb client takes no URL: split DATABASE_URL into its parts, as a test script would.
    const db =
      'db() { url=${DATABASE_URL#mysql://}; creds=${url%%@*}; rest=${url#*@}; hp=${rest%%/*}; MYSQL_PWD=${creds#*:} mariadb --protocol=TCP -h "${hp%:*}" -P "${hp##*:}" -u "${creds%%:*}" -N "${rest#*/}" "$@"; }';
    const { name, job } = componentJob("service-db", {
      job_name: "test mariadb",
      image: "mariadb:11",
      db_image: "mariadb:11",
      db_name: "shop",
      db_user: "shop_test",
      db_password: "shop-test-pw",
      script: [
        db,
        `db -e "CREATE TABLE greetings (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT NOT NULL)"`,
        `db -e "INSERT INTO greetings (body) VALUES ('${ROW}')"`,
        `db -e "SELECT CONCAT('row ', id, ': ', body, ' as ', current_user(), ' in ', database()) FROM greetings"`,
      ],
    });
    const result = await runJob(job, { name, images, timeoutMs: 120_000 });
    expect(result.status, result.log).toBe("success");
    const lines = logLines(result.log);
    expect(lines).toContain("DATABASE_URL=mysql://shop_test:***@db:3306/shop");
    expect(lines.some((l) => l.startsWith("The database accepts connections"))).toBe(true);
    expect(lines).toContain(`row 1: ${ROW} as shop_test@% in shop`);
  }, 180_000);
});
