import { describe, expect, it } from "vitest";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";
import {
  checkPackageName,
  packageNameFrom,
  publishedManifest,
  registryAuthKey,
  releaseNpmrc,
  releaseSettings,
  scopedPackageName,
} from "../../../scripts/lib/release/npm.ts";
import { checkPackageVersion } from "../../../scripts/lib/release/package-info.ts";

const job = {
  CI_COMMIT_TAG: "1.4.2",
  CI_API_V4_URL: "https://gitlab.example.com/api/v4",
  CI_PROJECT_ID: "1234",
  CI_JOB_TOKEN: "job-token-value-0001",
  CI_PROJECT_ROOT_NAMESPACE: "My-Group",
};

const NAME = "@my-group/harbor-ci-components";
const local = (version: string) => ({ name: NAME, version });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CliError ? e.code : "not a CliError";
  }
  return undefined;
}

describe("the npm release settings", () => {
  it("publishes package.json's name only when it is the top-level group's scope, lower-cased", () => {
    expect(scopedPackageName("My-Group")).toBe(NAME);
    expect(packageNameFrom(job, NAME)).toBe(NAME);
    // Another installation's name: consumers' default `package` would name what is never published.
    expect(codeOf(() => packageNameFrom({ ...job, CI_PROJECT_ROOT_NAMESPACE: "Platform" }, NAME))).toBe("PACKAGE_NAME_MISMATCH");
    // The old override would publish a name the components do not install.
    expect(codeOf(() => packageNameFrom({ ...job, HARBOR_CI_PACKAGE_NAME: "@acme-ci/harbor-ci" }, NAME))).toBe("PACKAGE_NAME_MISMATCH");
    expect(packageNameFrom({ ...job, HARBOR_CI_PACKAGE_NAME: NAME }, NAME)).toBe(NAME);
    expect(codeOf(() => packageNameFrom(job, "harbor-ci-components"))).toBe("PACKAGE_NAME_INVALID");
    expect(codeOf(() => packageNameFrom(job, "@My-Group/harbor-ci-components"))).toBe("PACKAGE_NAME_INVALID");
    expect(codeOf(() => packageNameFrom({ ...job, CI_PROJECT_ROOT_NAMESPACE: "" }, NAME))).toBe("RELEASE_VARIABLE_MISSING");
  });

  it("warns in a branch pipeline and fails in a tag pipeline when package.json's name is another group's", () => {
    expect(checkPackageName(NAME, "my-group", undefined)).toBeUndefined();
    expect(checkPackageName(NAME, undefined, undefined)).toBeUndefined(); // outside GitLab: nothing to compare
    const branch = checkPackageName(NAME, "Platform-Team", undefined)!;
    expect(branch).toMatchObject({ code: "PACKAGE_NAME_MISMATCH", severity: "warning", expected: '"name": "@platform-team/harbor-ci-components"' });
    expect(branch.fix).toContain("templates/scan-gate/inputs.ts");
    expect(checkPackageName(NAME, "Platform-Team", "1.4.2")!.severity).toBe("error");
  });

  it("publishes to the project-level npm endpoint of GitLab's API, a prerelease under the `next` tag", () => {
    expect(releaseSettings(job, local("1.4.2"))).toEqual({
      name: "@my-group/harbor-ci-components",
      version: "1.4.2",
      registry: "https://gitlab.example.com/api/v4/projects/1234/packages/npm/",
      distTag: "latest",
    });
    expect(releaseSettings({ ...job, CI_COMMIT_TAG: "2.0.0-rc.1" }, local("2.0.0-rc.1")).distTag).toBe("next");
  });

  it("refuses a tag that is not the package version, not a semantic version, or a job without its variables", () => {
    expect(codeOf(() => releaseSettings(job, local("1.4.1")))).toBe("PACKAGE_VERSION_MISMATCH");
    expect(codeOf(() => releaseSettings({ ...job, CI_COMMIT_TAG: "v1.4.2" }, local("v1.4.2")))).toBe("TAG_NOT_SEMVER");
    expect(codeOf(() => releaseSettings({ ...job, CI_JOB_TOKEN: "" }, local("1.4.2")))).toBe("RELEASE_VARIABLE_MISSING");
    expect(codeOf(() => releaseSettings({ ...job, CI_PROJECT_ID: "group/lib" }, local("1.4.2")))).toBe("RELEASE_VARIABLE_INVALID");
  });

  it("writes the job token into .npmrc by reference only", () => {
    const settings = releaseSettings(job, local("1.4.2"));
    const npmrc = releaseNpmrc(settings);
    expect(npmrc).toBe(
      "@my-group:registry=https://gitlab.example.com/api/v4/projects/1234/packages/npm/\n" +
        "//gitlab.example.com/api/v4/projects/1234/packages/npm/:_authToken=${CI_JOB_TOKEN}\n",
    );
    expect(npmrc).not.toContain(job.CI_JOB_TOKEN);
    expect(registryAuthKey("http://127.0.0.1:4873/api/v4/projects/1/packages/npm/")).toBe("//127.0.0.1:4873/api/v4/projects/1/packages/npm/");
  });

  it("publishes the installation's name and the tag's version, without the checkout's private guard or build-time fields", () => {
    const settings = releaseSettings(job, local("1.4.2"));
    const out = publishedManifest(
      {
        name: "harbor-ci-components",
        version: "1.4.2",
        private: true,
        scripts: { prepack: "npm run build" },
        devDependencies: { tsx: "1" },
        dependencies: { yaml: "2" },
      },
      settings,
    );
    expect(out).toEqual({
      name: "@my-group/harbor-ci-components",
      version: "1.4.2",
      dependencies: { yaml: "2" },
      publishConfig: { registry: settings.registry },
    });
  });

  it("lets `npm run check` fail only in a tag pipeline whose tag is not the package version", () => {
    expect(checkPackageVersion(undefined, "0.1.0")).toBeUndefined();
    expect(checkPackageVersion("0.1.0", "0.1.0")).toBeUndefined();
    expect(checkPackageVersion("0.2.0", "0.1.0")).toMatchObject({
      code: "PACKAGE_VERSION_MISMATCH",
      severity: "error",
      expected: '"version": "0.2.0"',
      actual: '"version": "0.1.0"',
    });
  });
});
