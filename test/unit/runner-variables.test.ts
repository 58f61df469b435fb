// The harness's pure parts: variable expansion as the runner does it, GitLab's Harbor variables,
// service aliases, dotenv parsing and the generated stage script. No engine needed.
import { describe, expect, it } from "vitest";
import { stageScript } from "../../scripts/runner/job-script.ts";
import { imageKind } from "../../scripts/runner/runner.ts";
import {
  DotenvError,
  expandAll,
  expandValue,
  fromYaml,
  harborVariables,
  lookupIn,
  parseDotenv,
  predefinedVariables,
  serviceAliases,
  slugify,
  toRecord,
} from "../../scripts/runner/variables.ts";

describe("variable expansion (runner: os.Expand over the job's variables)", () => {
  const lookup = lookupIn([
    { key: "A", value: "1" },
    { key: "B", value: "$A" },
    { key: "A", value: "2" },
  ]);

  it("expands $VAR and ${VAR}, the last definition winning, and turns $$ into $", () => {
    expect(expandValue("x$A-${A}-$$A-$$", lookup)).toBe("x2-2-$A-$");
  });

  it("inserts referenced values without expanding them again", () => {
    expect(expandValue("$B", lookup)).toBe("$A");
  });

  it("gives empty strings for unknown and positional names and keeps a lone or trailing $", () => {
    expect(expandValue("[$NOPE][$1][$@][$ x][a$]", lookup)).toBe("[][][][$ x][a$]");
  });

  it("eats an unterminated ${ like Go does", () => {
    expect(expandValue("a${b", lookup)).toBe("ab");
  });

  it("leaves `expand: false` variables alone", () => {
    const vars = expandAll(fromYaml({ X: "$CI", Y: { value: "$CI", expand: false } }).concat({ key: "CI", value: "true" }));
    expect(toRecord(vars)).toMatchObject({ X: "true", Y: "$CI" });
  });
});

describe("Harbor integration variables", () => {
  it("drops the port from HARBOR_HOST, keeps it in HARBOR_URL and HARBOR_OCI, doubles the robot's $", () => {
    const vars = toRecord(harborVariables({ url: "https://harbor.test:5443", project: "p", username: "robot$p+ci", password: "pw" }));
    expect(vars).toEqual({
      HARBOR_URL: "https://harbor.test:5443",
      HARBOR_HOST: "harbor.test",
      HARBOR_OCI: "oci://harbor.test:5443",
      HARBOR_PROJECT: "p",
      HARBOR_USERNAME: "robot$$p+ci",
      HARBOR_PASSWORD: "pw",
    });
  });

  it("gives the job the real robot name after the runner's expansion", () => {
    const vars = toRecord(expandAll(harborVariables({ url: "https://h", project: "p", username: "robot$p+ci", password: "a$+b$" })));
    expect(vars.HARBOR_USERNAME).toBe("robot$p+ci");
    expect(vars.HARBOR_PASSWORD).toBe("a$+b$");
    expect(vars.HARBOR_OCI).toBe("oci://h");
  });

  it("leaves the doubled $ in a job variable that copies $HARBOR_USERNAME (one expansion pass)", () => {
    const vars = toRecord(
      expandAll([...harborVariables({ url: "https://h", project: "p", username: "robot$p+ci", password: "x" }), ...fromYaml({ USER: "$HARBOR_USERNAME" })]),
    );
    expect(vars.USER).toBe("robot$$p+ci");
  });

  it("omits the scheme's default port in HARBOR_OCI, as Ruby's URI does", () => {
    expect(toRecord(harborVariables({ url: "https://h:443/x", project: "p", username: "u", password: "p" })).HARBOR_OCI).toBe("oci://h/x");
  });
});

describe("predefined variables", () => {
  it("describes a tag pipeline without CI_COMMIT_BRANCH", () => {
    const vars = toRecord(predefinedVariables({ tag: "v1.2.0" }, { name: "build" }));
    expect(vars.CI_COMMIT_TAG).toBe("v1.2.0");
    expect(vars.CI_COMMIT_BRANCH).toBeUndefined();
    expect(vars.CI_COMMIT_REF_SLUG).toBe("v1-2-0");
    expect(vars.CI_COMMIT_SHORT_SHA).toHaveLength(8);
  });

  it("slugifies refs like GitLab (lowercase, 63 chars, no edge dashes)", () => {
    expect(slugify("Feature/ABC_1.x-")).toBe("feature-abc-1-x");
    expect(slugify("a".repeat(70))).toHaveLength(63);
  });
});

describe("service aliases", () => {
  it("derives both names the runner registers, after dropping tag and registry port", () => {
    expect(serviceAliases("tutum/wordpress:latest")).toEqual(["tutum__wordpress", "tutum-wordpress"]);
    expect(serviceAliases("registry.example.com:5000/dh/library/postgres:16", "db")).toEqual([
      "registry.example.com__dh__library__postgres",
      "registry.example.com-dh-library-postgres",
      "db",
    ]);
    expect(serviceAliases("docker:27-dind")).toEqual(["docker"]);
  });

  it("maps upstream image names, also behind a proxy-cache prefix, to the test images", () => {
    expect(imageKind("docker:27")).toBe("job");
    expect(imageKind("registry.isima.fr/dh/library/docker:27-dind")).toBe("dind");
    expect(imageKind("postgres:16")).toBe("postgres");
    expect(imageKind("mariadb:11")).toBe("mariadb");
    expect(imageKind("harbor.example.com/dockerhub/library/node:20-slim")).toBe("node");
    expect(imageKind("python:3.12")).toBeUndefined();
  });
});

describe("dotenv reports", () => {
  it("reads KEY=VALUE lines without quote processing, trimming around the =", () => {
    expect(parseDotenv('A=1\nB = "two"\nC=x=y\n')).toEqual({ A: "1", B: '"two"', C: "x=y" });
  });

  it("rejects empty lines, comments and oversized files like GitLab", () => {
    expect(() => parseDotenv("A=1\n\nB=2\n")).toThrow(DotenvError);
    expect(() => parseDotenv("# comment\n")).toThrow(DotenvError);
    expect(() => parseDotenv(`A=${"x".repeat(6000)}\n`)).toThrow(/Too Big/);
  });
});

describe("stage script", () => {
  it("echoes each command and evaluates them in one strict shell", () => {
    const script = stageScript(["echo 'hi'", "make \\\n  all"], { projectDir: "/builds/p" });
    expect(script).toContain("set -o errexit");
    expect(script).toContain(": | eval ");
    expect(script).toContain("# collapsed multi-line command");
  });
});
