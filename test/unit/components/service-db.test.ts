import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { allScripts, renderErrors, renderJob, runJob, shellcheck, syntaxErrors, type JobRun, type RunOptions } from "./support.ts";

const base = { image: "node:20", script: ['echo "url=$DATABASE_URL"', "npm test"] };
const runs: JobRun[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const r of runs.splice(0)) r.cleanup();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A TCP server on 127.0.0.1 that answers each connection with `answer(connectionIndex)`. */
async function fakeServer(onConnection: (socket: Socket, index: number) => void): Promise<{ port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    socket.on("error", () => {});
    onConnection(socket, count++);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { port: address.port, connections: () => count };
}

function pgMessage(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type), len, body]);
}

/** PostgreSQL: "starting up" errors for the first `startingUp` connections, then a SCRAM request. */
async function fakePostgres(startingUp = 0) {
  const startups: Buffer[] = [];
  const server = await fakeServer((socket, i) => {
    // The startup message may arrive in several TCP chunks: read it by its length prefix.
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < received.readUInt32BE(0)) return;
      socket.off("data", onData);
      startups.push(received.subarray(0, received.readUInt32BE(0)));
      if (i < startingUp) {
        const fields = Buffer.from("SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0");
        socket.end(pgMessage("E", fields));
      } else {
        const body = Buffer.concat([Buffer.from([0, 0, 0, 10]), Buffer.from("SCRAM-SHA-256\0\0")]);
        socket.write(pgMessage("R", body)); // then waits for the client, as a real server does
        setTimeout(() => socket.destroy(), 10_000).unref();
      }
    };
    socket.on("data", onData);
  });
  return { ...server, startups };
}

/** MySQL: "too many connections" errors for the first `refusing` connections, then a greeting. */
async function fakeMysql(refusing = 0) {
  return fakeServer((socket, i) => {
    if (i < refusing) {
      const body = Buffer.concat([Buffer.from([0xff, 0x10, 0x04]), Buffer.from("Too many connections")]);
      socket.end(Buffer.concat([Buffer.from([body.length, 0, 0, 0]), body]));
    } else {
      const body = Buffer.concat([Buffer.from([0x0a]), Buffer.from("11.8.2-MariaDB\0"), Buffer.alloc(40)]);
      socket.write(Buffer.concat([Buffer.from([body.length, 0, 0, 0]), body]));
      setTimeout(() => socket.destroy(), 10_000).unref();
    }
  });
}

async function run(inputs: Record<string, unknown>, options: RunOptions = {}): Promise<JobRun> {
  const { job } = renderJob("service-db", { ...base, ...inputs });
  const r = await runJob(job, options);
  runs.push(r);
  return r;
}

function expectUrl(r: JobRun, url: string) {
  expect(r.output).toContain(`url=${url}\n`);
}

const NPM = { npm: "#!/bin/sh\necho npm $*\n" };

describe("service-db: the rendered job", () => {
  it("defaults to a PostgreSQL 16 service reachable as db, in the test stage", () => {
    const { name, job } = renderJob("service-db", base);
    expect(name).toBe("service-db");
    expect(job.stage).toBe("test");
    expect(job.image).toBe("node:20");
    expect(job.services).toHaveLength(1);
    expect(job.services![0]).toMatchObject({ name: "postgres:16", alias: "db" });
  });

  it("sets the database name, user and password in YAML, where the service sees them", () => {
    const { job } = renderJob("service-db", { ...base, db_name: "shop", db_user: "tester", db_password: "pw-1" });
    expect(job.services![0]!.variables).toEqual({
      POSTGRES_DB: "shop",
      POSTGRES_USER: "tester",
      POSTGRES_PASSWORD: "pw-1",
      MYSQL_DATABASE: "shop",
      MYSQL_USER: "tester",
      MYSQL_PASSWORD: "pw-1",
      MYSQL_ROOT_PASSWORD: "pw-1",
    });
  });

  it("runs the script input after the readiness check", () => {
    const { job } = renderJob("service-db", base);
    expect(job.script).toEqual(base.script);
    // The shared library (templates/lib/log.sh, helpers.sh), then the readiness check.
    expect(job.before_script).toHaveLength(3);
  });

  it("takes the job name, stage, rules, needs, images and alias from inputs", () => {
    const { name, job } = renderJob("service-db", {
      ...base,
      job_name: "integration tests",
      stage: "verify",
      needs: ["compile"],
      rules: [{ if: "$CI_COMMIT_BRANCH" }],
      db_image: "harbor.example.com/dockerhub/library/mariadb:11",
      db_alias: "mariadb",
    });
    expect(name).toBe("integration tests");
    expect(job.stage).toBe("verify");
    expect(job.needs).toEqual(["compile"]);
    expect(job.rules).toEqual([{ if: "$CI_COMMIT_BRANCH" }]);
    expect(job.services![0]).toMatchObject({ name: "harbor.example.com/dockerhub/library/mariadb:11", alias: "mariadb" });
  });

  it("passes input values to its script through job and service variables only", () => {
    const { job } = renderJob("service-db", { ...base, db_name: "zzmarker", db_password: "zzmarker" });
    for (const { label, script } of allScripts(job)) expect(script, label).not.toContain("zzmarker");
  });
});

describe("service-db: scripts are portable POSIX sh", () => {
  // The component's before_script; the script is the user's.
  const ours = renderJob("service-db", base).job.before_script!.join("\n") + "\n";
  it("before_script passes shellcheck -s sh", () => {
    expect(shellcheck(ours)).toBe("");
  });
  it("before_script parses with busybox sh -n", () => {
    expect(syntaxErrors(ours)).toBe("");
  });
});

describe("service-db: GitLab rejects bad inputs at pipeline creation", () => {
  it.each([
    ["db_alias", "DB"],
    ["db_alias", "db;x"],
    ["db_name", "my-db"],
    ["db_user", "a b"],
    ["db_password", "two words"],
    ["db_image", "postgres 16"],
    ["image", "$(id)"],
  ])("rejects %s = %j", (input, value) => {
    expect(renderErrors("service-db", { ...base, [input]: value })).toEqual([`\`${input}\` input: provided value does not match required RegEx pattern`]);
  });

  it("offers auto, postgres, mysql and mariadb as db_kind", () => {
    expect(renderErrors("service-db", { ...base, db_kind: "oracle" })).toEqual([
      "`db_kind` input: `oracle` cannot be used because it is not in the list of allowed options",
    ]);
  });

  it("requires image and script", () => {
    expect(renderErrors("service-db", {})).toEqual([
      "`image` input: required value has not been provided",
      "`script` input: required value has not been provided",
    ]);
  });
});

describe("service-db: DATABASE_URL", () => {
  it("exports DATABASE_URL for PostgreSQL, with user and password percent-encoded", async () => {
    const r = await run({ db_password: "p@ss:w/rd%x", wait_timeout: 0 }, { tools: NPM });
    expect(r.code).toBe(0);
    expectUrl(r, "postgresql://app:p%40ss%3Aw%2Frd%25x@db:5432/app");
    expect(r.output).toContain("DATABASE_URL=postgresql://app:***@db:5432/app");
    expect(r.output).not.toContain("Database: postgres (postgres:16) at db:5432\nDATABASE_URL=postgresql://app:p%40");
    expect(r.output).toContain("npm test");
  });

  it("reads the engine from the image name: MariaDB and MySQL use mysql:// on port 3306", async () => {
    const maria = await run({ db_image: "harbor.example.com/dockerhub/library/mariadb:11", wait_timeout: 0 }, { tools: NPM });
    expectUrl(maria, "mysql://app:app-password@db:3306/app");
    expect(maria.output).toContain("Database: mariadb");
    const mysql = await run({ db_image: "mysql:8.4", db_alias: "mysql", wait_timeout: 0 }, { tools: NPM });
    expectUrl(mysql, "mysql://app:app-password@mysql:3306/app");
  });

  it("asks for db_kind when the image name does not tell the engine", async () => {
    const r = await run({ db_image: "registry.example.com/team/database:3" });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: cannot tell the database engine from the image name 'registry.example.com/team/database:3': set the input db_kind");
    const ok = await run({ db_image: "registry.example.com/team/database:3", db_kind: "postgres", db_port: 6432, wait_timeout: 0 }, { tools: NPM });
    expectUrl(ok, "postgresql://app:app-password@db:6432/app");
  });

  it("refuses root as the MySQL user", async () => {
    const r = await run({ db_image: "mysql:8.4", db_user: "root" });
    expect(r.code).toBe(2);
    expect(r.output).toContain("ERROR: the input db_user cannot be root with mysql");
  });
});

describe("service-db: waits until the database accepts connections", () => {
  it("skips the check when wait_timeout is 0", async () => {
    const r = await run({ wait_timeout: 0 }, { tools: NPM });
    expect(r.code).toBe(0);
    expect(r.output).toContain("Not waiting for the database (input wait_timeout: 0)");
  });

  const relays = [
    ["python3", { hostTools: ["python3"] }],
    ["bash", { hostTools: ["bash"] }],
    ["nc", {}],
  ] as const;

  for (const [relay, opts] of relays) {
    it(`speaks the PostgreSQL protocol over ${relay}: a startup message answered by an authentication request, not just the port`, async () => {
      const pg = await fakePostgres(2);
      const r = await run({ db_alias: "localhost", db_port: pg.port, db_user: "tester", db_name: "shop" }, { ...opts, tools: NPM });
      expect(r.output).toContain(`Checking with the postgres protocol over ${relay}`);
      expect(r.code).toBe(0);
      expect(pg.connections()).toBe(3);
      expect(r.output).toContain("The database accepts connections");
      // The startup message: length, protocol 3.0, user and database.
      const startup = pg.startups.at(-1)!;
      expect(startup.readUInt32BE(0)).toBe(startup.length);
      expect(startup.readUInt32BE(4)).toBe(196608);
      expect(startup.subarray(8).toString()).toBe("user\0tester\0database\0shop\0\0");
      expect(r.output).toContain("npm test");
    });

    it(`waits for the MySQL server greeting over ${relay}`, async () => {
      const my = await fakeMysql(1);
      const r = await run({ db_image: "mariadb:11", db_alias: "localhost", db_port: my.port }, { ...opts, tools: NPM });
      expect(r.output).toContain(`Checking with the mariadb protocol over ${relay}`);
      expect(r.code).toBe(0);
      expect(my.connections()).toBe(2);
    });
  }

  it("fails with a clear message when the database never accepts connections, bounded by wait_timeout", async () => {
    const pg = await fakePostgres(1_000);
    const start = Date.now();
    const r = await run({ db_alias: "localhost", db_port: pg.port, wait_timeout: 1 }, { hostTools: ["python3"], tools: NPM });
    expect(r.code).toBe(3);
    expect(Date.now() - start).toBeLessThan(15_000);
    expect(r.output).toContain(`ERROR: the postgres database at localhost:${pg.port} did not accept connections within 1s (checked with postgres-protocol)`);
    expect(r.output).toContain("the database system is starting up");
    expect(r.output).toContain("CI_DEBUG_SERVICES");
    expect(r.output).not.toContain("npm test");
  });

  it("reports a refused connection when nothing listens", async () => {
    const pg = await fakePostgres();
    const port = pg.port;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const r = await run({ db_image: "mysql:8.4", db_alias: "localhost", db_port: port, wait_timeout: 1 }, { hostTools: ["python3"] });
    expect(r.code).toBe(3);
    expect(r.output).toContain("no answer from localhost:" + port);
  });

  it("logs in with psql when the job image has it, the password in the environment only", async () => {
    const psql =
      '#!/bin/sh\nprintf "%s\\n" "$*" >>"$STUB_DIR/psql-args"\nprintf "%s" "$PGPASSWORD" >"$STUB_DIR/psql-password"\nn=$(cat "$STUB_DIR/n" 2>/dev/null || echo 0); echo $((n+1)) >"$STUB_DIR/n"\nif [ "$n" -lt 2 ]; then echo "psql: error: the database system is starting up" >&2; exit 2; fi\necho 1\n';
    const r = await run({ db_password: "s3cret" }, { tools: { ...NPM, psql } });
    expect(r.code).toBe(0);
    expect(r.output).toContain("Checking with psql");
    expect(r.stubFile("psql-args")!.trim().split("\n")).toHaveLength(3);
    expect(r.stubFile("psql-args")).not.toContain("s3cret");
    expect(r.stubFile("psql-password")).toBe("s3cret");
  });

  it("uses the mariadb client when the job image has it", async () => {
    const mariadb = '#!/bin/sh\nprintf "%s\\n" "$*" >"$STUB_DIR/mariadb-args"\nprintf "%s" "$MYSQL_PWD" >"$STUB_DIR/mariadb-password"\necho 1\n';
    const r = await run({ db_image: "mariadb:11", db_password: "s3cret" }, { tools: { ...NPM, mariadb } });
    expect(r.code).toBe(0);
    expect(r.output).toContain("Checking with mariadb");
    expect(r.stubFile("mariadb-args")).toBe("--protocol=TCP --connect-timeout=5 -h db -P 3306 -u app -e SELECT 1 app\n");
    expect(r.stubFile("mariadb-password")).toBe("s3cret");
  });

  it("fails clearly when the job image can check nothing", async () => {
    const r = await run({}, { excludeApplets: ["nc"], tools: NPM });
    expect(r.code).toBe(3);
    expect(r.output).toContain("ERROR: cannot check the database: the job image has no database client (psql pg_isready) and none of python3, bash, nc");
    expect(r.output).toContain("wait_timeout");
  });

  it("logs in a collapsible section", async () => {
    const r = await run({ wait_timeout: 0 }, { tools: NPM });
    expect(r.output).toMatch(/\u001b\[0Ksection_start:\d+:hci_database\[collapsed=true\]\r\u001b\[0KWaiting for the database/);
    expect(r.output).toMatch(/\u001b\[0Ksection_end:\d+:hci_database\r\u001b\[0K/);
  });
});
