import { describe, expect, it } from "vitest";
import { CliError } from "../../../scripts/lib/cli/diagnostics.ts";
import { packageNameFrom, publishedManifest, registryAuthKey, releaseNpmrc, releaseSettings } from "../../../scripts/lib/release/npm.ts";
import { checkPackageVersion } from "../../../scripts/lib/release/package-info.ts";

const job = {
  CI_COMMIT_TAG: "1.4.2",
  CI_API_V4_URL: "https://gitlab.example.com/api/v4",
  CI_PROJECT_ID: "1234",
  CI_JOB_TOKEN: "job-token-value-0001",
  CI_PROJECT_ROOT_NAMESPACE: "My-Group",
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CliError ? e.code : "not a CliError";
  }
  return undefined;
}

describe("the npm release settings", () => {
  it("names the package after the root namespace, lowercased, unless HARBOR_CI_PACKAGE_NAME says otherwise", () => {
    expect(packageNameFrom(job)).toBe("@my-group/harbor-ci-components");
    expect(packageNameFrom({ ...job, HARBOR_CI_PACKAGE_NAME: "@acme-ci/harbor-ci" })).toBe("@acme-ci/harbor-ci");
    expect(codeOf(() => packageNameFrom({ HARBOR_CI_PACKAGE_NAME: "harbor-ci" }))).toBe("PACKAGE_NAME_INVALID");
    expect(codeOf(() => packageNameFrom({ CI_PROJECT_ROOT_NAMESPACE: "my group" }))).toBe("PACKAGE_NAME_INVALID");
    expect(codeOf(() => packageNameFrom({}))).toBe("PACKAGE_NAME_MISSING");
  });

  it("publishes to the project-level npm endpoint of GitLab's API, a prerelease under the `next` tag", () => {
    expect(releaseSettings(job, "1.4.2")).toEqual({
      name: "@my-group/harbor-ci-components",
      version: "1.4.2",
      registry: "https://gitlab.example.com/api/v4/projects/1234/packages/npm/",
      distTag: "latest",
    });
    expect(releaseSettings({ ...job, CI_COMMIT_TAG: "2.0.0-rc.1" }, "2.0.0-rc.1").distTag).toBe("next");
  });

  it("refuses a tag that is not the package version, not a semantic version, or a job without its variables", () => {
    expect(codeOf(() => releaseSettings(job, "1.4.1"))).toBe("PACKAGE_VERSION_MISMATCH");
    expect(codeOf(() => releaseSettings({ ...job, CI_COMMIT_TAG: "v1.4.2" }, "v1.4.2"))).toBe("TAG_NOT_SEMVER");
    expect(codeOf(() => releaseSettings({ ...job, CI_JOB_TOKEN: "" }, "1.4.2"))).toBe("RELEASE_VARIABLE_MISSING");
    expect(codeOf(() => releaseSettings({ ...job, CI_PROJECT_ID: "group/lib" }, "1.4.2"))).toBe("RELEASE_VARIABLE_INVALID");
  });

  it("writes the job token into .npmrc by reference only", () => {
    const settings = releaseSettings(job, "1.4.2");
    const npmrc = releaseNpmrc(settings);
    expect(npmrc).toBe(
      "@my-group:registry=https://gitlab.example.com/api/v4/projects/1234/packages/npm/\n" +
        "//gitlab.example.com/api/v4/projects/1234/packages/npm/:_authToken=${CI_JOB_TOKEN}\n",
    );
    expect(npmrc).not.toContain(job.CI_JOB_TOKEN);
    expect(registryAuthKey("http://127.0.0.1:4873/api/v4/projects/1/packages/npm/")).toBe("//127.0.0.1:4873/api/v4/projects/1/packages/npm/");
  });

  it("publishes the installation's name and the tag's version, without the checkout's private guard or build-time fields", () => {
    const settings = releaseSettings(job, "1.4.2");
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
