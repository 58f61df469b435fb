import type { CommonInputs } from "../common-inputs.ts";

/** Inputs of the `service-db` component. */
export interface ServiceDbInputs extends CommonInputs {
  /**
   * Name of the job this component adds to the pipeline.
   * @default service-db
   * @pattern ^[A-Za-z0-9_][A-Za-z0-9_ .:/-]*$
   */
  job_name?: string;

  /**
   * Stage the job runs in. The stage must exist in the pipeline's `stages`.
   * @default test
   */
  stage?: string;

  // --- The tests ---

  /**
   * Image the test script runs in, for example `harbor.example.com/dockerhub/library/node:20` (a
   * proxy cache project). It needs a POSIX `sh`.
   * @pattern ^(?:[A-Za-z0-9_]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})(?:[A-Za-z0-9_/:@-]|\.(?:[A-Za-z0-9_/:@-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})*$
   */
  image: string;

  /**
   * The test script: shell commands run one after another once the database accepts connections;
   * the job fails at the first failing one. `DATABASE_URL` is set.
   */
  script: string[];

  // --- The database service ---

  /**
   * Database service image: PostgreSQL, MySQL or MariaDB, for example
   * `harbor.example.com/dockerhub/library/mariadb:11`. It must follow the official images'
   * environment contract (`POSTGRES_*`, `MYSQL_*`).
   * @default postgres:16
   * @pattern ^(?:[A-Za-z0-9_]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})(?:[A-Za-z0-9_/:@-]|\.(?:[A-Za-z0-9_/:@-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})*$
   */
  db_image?: string;

  /**
   * Database engine. `auto` reads it from the image name (`postgres`, `mysql`, `mariadb`); set it
   * when the name says neither.
   * @default auto
   */
  db_kind?: "auto" | "postgres" | "mysql" | "mariadb";

  /**
   * Host name of the database service in the job.
   * @default db
   * @pattern ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$
   */
  db_alias?: string;

  /**
   * Port the database listens on; 0 means the engine's default (5432 or 3306).
   * @default 0
   */
  db_port?: number;

  /**
   * Name of the database created for the tests.
   * @default app
   * @pattern ^[A-Za-z_][A-Za-z0-9_]{0,62}$
   */
  db_name?: string;

  /**
   * Database user created for the tests (for MySQL and MariaDB, not `root`).
   * @default app
   * @pattern ^[A-Za-z_][A-Za-z0-9_]{0,62}$
   */
  db_user?: string;

  /**
   * Password of that user (and of MySQL's root). It is set in the YAML because services do not
   * see variables defined only in the UI; this throwaway database holds test data only.
   * @default app-password
   * @pattern ^\S{1,128}$
   */
  db_password?: string;

  /**
   * Seconds to wait for the database to accept connections before the script runs; 0 skips the
   * check (GitLab then only waits for the port).
   * @default 60
   */
  wait_timeout?: number;
}
