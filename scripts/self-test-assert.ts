// The project's self-test (in .gitlab-ci.yml) asserts through the registry's API, not the job's
// word: the tag build-push reported resolves to the digest it reported.
// Reads IMAGE, IMAGE_TAG, IMAGE_DIGEST, IMAGE_REF (build-push's dotenv) and the Harbor
// integration's HARBOR_USERNAME / HARBOR_PASSWORD. Never prints the password.

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

function need(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`ERROR: ${name} is not set: this job needs build-push's dotenv report (needs: [{job: ..., artifacts: true}])`);
    process.exit(2);
  }
  return value;
}

const image = need("IMAGE");
const tag = need("IMAGE_TAG");
const digest = need("IMAGE_DIGEST");
const ref = need("IMAGE_REF");
if (ref !== `${image}@${digest}`) {
  console.error(`ERROR: IMAGE_REF is ${ref}, expected ${image}@${digest}`);
  process.exit(1);
}
const slash = image.indexOf("/");
const registry = image.slice(0, slash);
const repository = image.slice(slash + 1);
const auth = Buffer.from(`${need("HARBOR_USERNAME")}:${need("HARBOR_PASSWORD")}`).toString("base64");
const url = `https://${registry}/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
const response = await fetch(url, { method: "HEAD", headers: { Accept: MANIFEST_TYPES, Authorization: `Basic ${auth}` }, redirect: "manual" });
if (!response.ok) {
  console.error(`ERROR: HEAD ${url} answered ${response.status}: the tag build-push reported is not in the registry`);
  process.exit(1);
}
const actual = response.headers.get("docker-content-digest");
if (actual !== digest) {
  console.error(`ERROR: ${image}:${tag} is ${actual} in the registry, but build-push reported ${digest}`);
  process.exit(1);
}
console.log(`OK: ${image}:${tag} -> ${digest}, as build-push reported`);
