// The harness's Docker-executor behaviour around services: databases reachable by alias and by
// the derived name with the official images' environment, and which variables services receive.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ensureImages, type ImageTags } from "../../scripts/runner/images.ts";
import { runJob } from "../../scripts/runner/runner.ts";

describe("harness: services", () => {
  let images: ImageTags;

  beforeAll(async () => {
    images = inject("harborCiImages") ?? (await ensureImages());
  });

  it("reaches postgres under its alias and derived name, configured by the job's POSTGRES_* variables", async () => {
    // The guide's test-with-db job, with the job image swapped for one that has psql.
    const result = await runJob(
      {
        image: "registry.isima.fr/dh/library/postgres:16",
        services: [{ name: "registry.isima.fr/dh/library/postgres:16", alias: "db" }],
        variables: {
          POSTGRES_DB: "testdb",
          POSTGRES_USER: "runner",
          POSTGRES_PASSWORD: "s3cret$+x",
          DATABASE_URL: "postgresql://runner:s3cret%24%2Bx@db:5432/testdb",
        },
        script: [
          'psql "$DATABASE_URL" -tAc "select current_user || \'@\' || current_database()"',
          'PGPASSWORD="$POSTGRES_PASSWORD" psql -h registry.isima.fr-dh-library-postgres -U runner testdb -tAc "select \'derived-ok\'"',
        ],
      },
      { name: "test-with-db", images },
    );
    expect(result.status, result.log).toBe("success");
    expect(result.log).toContain("runner@testdb");
    expect(result.log).toContain("derived-ok");
  });

  it("reaches mariadb with the MYSQL_* equivalents of the official image", async () => {
    const result = await runJob(
      {
        image: "mariadb:11",
        services: ["mariadb:11"],
        variables: { MYSQL_DATABASE: "appdb", MYSQL_USER: "app", MYSQL_PASSWORD: "p'w$+", MARIADB_ROOT_PASSWORD: "root$pw", MYSQL_PWD: "$MYSQL_PASSWORD" },
        script: ["mariadb -h mariadb -u app appdb -N -e \"select concat(current_user(), '/', database())\""],
      },
      { name: "test-with-mariadb", images },
    );
    expect(result.status, result.log).toBe("success");
    expect(result.log).toContain("app@%/appdb");
  });

  it("passes YAML and service variables to services, but not settings variables nor HARBOR_PASSWORD", async () => {
    const result = await runJob(
      {
        image: "docker:27",
        services: [{ name: "docker:27", alias: "envdump", entrypoint: ["sh", "-c", "env | sort; sleep 300"], variables: { OWN: "svc-$FROM_YAML" } }],
        variables: { FROM_YAML: "yaml-value" },
        script: ["echo job-sees=$FROM_SETTINGS"],
      },
      {
        name: "service-env",
        images,
        variables: { FROM_SETTINGS: "settings-value" },
        harbor: { url: "https://harbor.test", project: "p", username: "robot$p+ci", password: "not-for-services" },
      },
    );
    expect(result.status, result.log).toBe("success");
    expect(result.log).toContain("job-sees=settings-value");
    const env = result.serviceLogs.envdump ?? "";
    expect(env).toContain("FROM_YAML=yaml-value");
    expect(env).toContain("OWN=svc-yaml-value");
    expect(env).toContain("HARBOR_USERNAME=robot$p+ci");
    expect(env).not.toContain("settings-value");
    expect(env).not.toContain("not-for-services");
  });
});
