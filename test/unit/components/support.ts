// Helpers of the component unit tests: render a component, pull its scripts out, lint them, and
// run a rendered job with the runner emulation's local mode (scripts/runner/local.ts: the same
// job model, variable expansion and stage scripts as the container mode), in busybox sh with a
// stub `docker` CLI.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { renderComponent, RenderError } from "../../../scripts/lib/ci/render.ts";
import type { Band } from "../../../scripts/lib/ci/versions.ts";
import type { JobDefinition, JobService } from "../../../scripts/runner/job.ts";
import { expandJobVariables, runJobShells } from "../../../scripts/runner/local.ts";

/** A rendered component's job: the runner emulation's job model, narrowed to what templates write. */
interface RenderedFields {
  stage: string;
  image: string;
  services?: Array<JobService & { variables?: Record<string, string> }>;
  variables: Record<string, string | number>;
  rules: unknown[];
  needs: unknown[];
  retry?: unknown;
  before_script?: string[];
  script: string[];
  after_script?: string[];
  artifacts?: { reports?: { dotenv?: string } };
}
export type Job = Omit<JobDefinition, keyof RenderedFields> & RenderedFields;

/** Renders a component and returns its one job (and its name). */
export function renderJob(component: string, inputs: Record<string, unknown> = {}, band?: Band): { name: string; job: Job } {
  const body = renderComponent(component, inputs, { band }).body;
  const names = Object.keys(body);
  if (names.length !== 1) throw new Error(`${component}: expected one job, got ${names.join(", ")}`);
  return { name: names[0]!, job: body[names[0]!] as Job };
}

/** GitLab's messages for inputs it rejects at pipeline creation. */
export function renderErrors(component: string, inputs: Record<string, unknown>): string[] {
  try {
    renderComponent(component, inputs);
  } catch (e) {
    if (e instanceof RenderError) return e.messages;
    throw e;
  }
  return [];
}

export interface Scripts {
  /** before_script + script: the runner runs them as one shell script. */
  main: string;
  after: string;
  /** Scripts run by service entrypoints (`sh -c <script>`). */
  services: Array<{ label: string; script: string }>;
}

export function scriptsOf(job: Job): Scripts {
  const services = (job.services ?? []).flatMap((s, i) => {
    const ep = s.entrypoint ?? [];
    const at = ep.indexOf("-c");
    return at >= 0 && ep[at + 1] ? [{ label: `services[${i}] entrypoint`, script: ep[at + 1]! }] : [];
  });
  return {
    main: [...(job.before_script ?? []), ...job.script].join("\n") + "\n",
    after: (job.after_script ?? []).join("\n") + "\n",
    services,
  };
}

/** Every script of a job, labelled, for the linters. */
export function allScripts(job: Job): Array<{ label: string; script: string }> {
  const s = scriptsOf(job);
  const out = [{ label: "before_script + script", script: s.main }, ...s.services];
  if (job.after_script) out.push({ label: "after_script", script: s.after });
  return out;
}

function which(cmd: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v "${cmd}"`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const FOUND_BUSYBOX = which("busybox");

/**
 * busybox's ash is the job image's shell (Alpine): the scripts are run and parsed with it, never
 * with the host's sh, which would hide ash-only failures. Missing busybox fails the test.
 */
export function busybox(): string {
  if (!FOUND_BUSYBOX)
    throw new Error(
      "busybox is not installed: install it (apt-get install busybox; `npm run test:unit` does) to run the component scripts with the job image's shell",
    );
  return FOUND_BUSYBOX;
}

/** `shellcheck -s sh` findings (empty when clean). Throws when shellcheck is not installed. */
export function shellcheck(script: string): string {
  if (!which("shellcheck")) {
    throw new Error("shellcheck is not installed: install it (Debian: `apt-get install -y shellcheck`) to run the component tests");
  }
  const r = spawnSync("shellcheck", ["-s", "sh", "-f", "gcc", "-"], { input: script, encoding: "utf8" });
  if (r.status !== 0 && r.status !== 1) throw new Error(`shellcheck failed to run: ${r.stderr}`);
  return r.stdout.trim();
}

/** `sh -n` with busybox's ash (the job image's shell). */
export function syntaxErrors(script: string): string {
  const argv = [busybox(), "sh", "-n"];
  const r = spawnSync(argv[0]!, argv.slice(1), { input: script, encoding: "utf8" });
  return r.status === 0 ? "" : (r.stderr || `exit ${r.status}`).trim();
}

// --- Running a job ---

const busyboxDirs = new Map<string, string>();
/** Temporary directories removed when the test process exits. */
const leftovers: string[] = [];
afterAll(() => {
  for (const dir of [...leftovers.splice(0), ...busyboxDirs.values()]) rmSync(dir, { recursive: true, force: true });
  busyboxDirs.clear();
});

/** A directory of busybox applet links (an Alpine-like PATH), without the `exclude`d ones. */
function busyboxDir(exclude: string[]): string | undefined {
  const BUSYBOX = busybox();
  const key = exclude.slice().sort().join(",");
  const cached = busyboxDirs.get(key);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), "hci-busybox-"));
  const list = spawnSync(BUSYBOX, ["--list"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  for (const applet of list) if (!exclude.includes(applet)) symlinkSync(BUSYBOX, join(dir, applet));
  busyboxDirs.set(key, dir);
  return dir;
}

/** The stub docker CLI: logs each call and answers as configured by STUB_* variables. */
const DOCKER_STUB = `#!/bin/sh
d=$STUB_DIR
{
  echo CALL
  echo "ENV DOCKER_HOST=\${DOCKER_HOST:-}"
  echo "ENV DOCKER_CONFIG=\${DOCKER_CONFIG:-}"
  echo "ENV DOCKER_TLS_VERIFY=\${DOCKER_TLS_VERIFY:-}"
  echo "ENV DOCKER_CERT_PATH=\${DOCKER_CERT_PATH:-}"
  echo "ENV DOCKER_BUILDKIT=\${DOCKER_BUILDKIT:-}"
  for a in "$@"; do echo "ARG $a"; done
} >>"$d/calls"
count() {
  n=$(cat "$d/count.$1" 2>/dev/null || echo 0)
  n=$((n + 1))
  echo "$n" >"$d/count.$1"
  echo "$n"
}
# The digest a push of tag $1 gets: one for every tag, another for STUB_ODD_TAG.
digest_of() {
  if [ "$1" = "\${STUB_ODD_TAG:-}" ]; then echo sha256:2222222222222222222222222222222222222222222222222222222222222222; else echo sha256:1111111111111111111111111111111111111111111111111111111111111111; fi
}
fails() { [ "\${1:-0}" = always ] || [ "$2" -le "\${1:-0}" ]; }
# \`docker push -- ref\`: the templates end the options before a user value; read past the \`--\`.
if [ "\${2:-}" = -- ]; then sub=$1; shift 2; set -- "$sub" "$@"; fi
case $1 in
  version)
    n=$(count version)
    if fails "\${STUB_DAEMON_FAILS:-0}" "$n"; then
      echo "Cannot connect to the Docker daemon at \${DOCKER_HOST:-unix:///var/run/docker.sock}. Is the docker daemon running?" >&2
      exit 1
    fi
    echo 27.3.1
    ;;
  buildx)
    if [ -n "\${STUB_NO_BUILDX:-}" ]; then echo "docker: 'buildx' is not a docker command." >&2; exit 1; fi
    echo "github.com/docker/buildx v\${STUB_BUILDX_VERSION:-0.17.1}"
    ;;
  login)
    cat >"$d/login-stdin"
    if [ -n "\${STUB_LOGIN_ERROR:-}" ]; then echo "$STUB_LOGIN_ERROR" >&2; exit 1; fi
    mkdir -p "$DOCKER_CONFIG" && echo '{"auths":{"x":{"auth":"c2VjcmV0"}}}' >"$DOCKER_CONFIG/config.json"
    echo "WARNING! Your password will be stored unencrypted in $DOCKER_CONFIG/config.json."
    echo "Login Succeeded"
    ;;
  logout)
    echo "Removing login credentials for $2"
    ;;
  build)
    if [ -n "\${STUB_BUILD_FAIL:-}" ]; then echo "\${STUB_BUILD_FAIL_MESSAGE:-ERROR: failed to solve: process did not complete successfully: exit code: 1}" >&2; exit 1; fi
    # STUB_BUILD_OUTPUT: BuildKit progress lines to print (cache import and export messages).
    if [ -n "\${STUB_BUILD_OUTPUT:-}" ]; then printf '%s\n' "$STUB_BUILD_OUTPUT"; fi
    direct="" tags="" meta=""
    for a in "$@"; do
      case $a in
        --iidfile=*) printf 'sha256:%064d' 7 >"\${a#--iidfile=}" ;;
        --output=type=image,push=true,store=false) direct=1 ;;
        --tag=*) tags="$tags \${a#--tag=}" ;;
        --metadata-file=*) meta=\${a#--metadata-file=} ;;
      esac
    done
    echo "#9 DONE 0.1s"
    [ -n "$direct" ] || exit 0
    # BuildKit pushes every tag itself (the registry cache's build), as docker push would fail.
    first=\${tags# }
    first=\${first%% *}
    n=$(count push)
    if fails "\${STUB_PUSH_FAILS:-0}" "$n"; then
      err="failed to push $first: \${STUB_PUSH_ERROR:-failed to do request: Head \\"https://registry/v2/x/blobs/sha256:1\\": net/http: TLS handshake timeout}"
      echo "#10 ERROR: $err"
      echo "ERROR: failed to solve: $err" >&2
      exit 1
    fi
    echo "#10 exporting to image"
    for ref in $tags; do
      digest=$(digest_of "\${ref##*:}")
      [ -n "\${STUB_NO_PUSH_LINES:-}" ] || echo "#10 pushing manifest for $ref@$digest done"
    done
    echo "#10 DONE 0.1s"
    case \${STUB_BUILDX_VERSION:-0.17.1} in
      0.1[0-9].* | 0.2[01].*)
        # buildx before 0.22 pushes again through the daemon, which does not hold the image.
        echo "#11 pushing $first with docker"
        echo "#11 ERROR: tag does not exist: $first"
        echo "ERROR: tag does not exist: $first" >&2
        exit 1
        ;;
    esac
    if [ -n "$meta" ]; then
      printf '{\n  "containerimage.digest": "%s"\n}\n' "\${STUB_METADATA_DIGEST:-$(digest_of "\${first##*:}")}" >"$meta"
    fi
    ;;
  push)
    n=$(count push)
    if fails "\${STUB_PUSH_FAILS:-0}" "$n"; then
      echo "\${STUB_PUSH_ERROR:-Put \\"https://registry/v2/x/blobs/uploads/\\": net/http: TLS handshake timeout}" >&2
      exit 1
    fi
    tag=\${2##*:}
    digest=$(digest_of "$tag")
    echo "The push refers to repository [\${2%:*}]"
    echo "5f70bf18a086: Layer already exists"
    echo "$tag: digest: $digest size: 1570"
    ;;
  pull)
    n=$(count pull)
    if fails "\${STUB_PULL_FAILS:-0}" "$n"; then
      echo "Error response from daemon: \${STUB_PULL_ERROR:-Get \\"https://registry/v2/\\": net/http: request canceled while waiting for connection}" >&2
      exit 1
    fi
    echo "Status: Downloaded newer image for $2"
    ;;
  run)
    echo "container output"
    exit "\${STUB_RUN_EXIT:-0}"
    ;;
  image)
    echo "\${STUB_REPO_DIGESTS:-}"
    ;;
  info)
    # --format '{{json .DriverStatus}}': the containerd image store unless STUB_DRIVER_TYPE says otherwise.
    echo "[["driver-type","\${STUB_DRIVER_TYPE:-io.containerd.snapshotter.v1}"]]"
    ;;
  *)
    echo "stub docker: unexpected command $1" >&2
    exit 99
    ;;
esac
`;

const SLEEP_STUB = `#!/bin/sh\necho "$1" >>"$STUB_DIR/sleeps"\n`;

/** Name resolution of the service alias: resolvable unless STUB_DOCKER_UNRESOLVABLE is set. */
const RESOLVE_STUB = `#!/bin/sh\n[ -z "\${STUB_DOCKER_UNRESOLVABLE:-}" ]\n`;

export interface DockerCall {
  env: Record<string, string>;
  args: string[];
}

export interface JobRun {
  code: number | null;
  afterCode: number | null;
  /** stdout and stderr of before_script + script, interleaved as written. */
  output: string;
  afterOutput: string;
  calls: DockerCall[];
  sleeps: string[];
  /** Files in the state directory (login-stdin, ...). */
  stubFile(name: string): string | undefined;
  /** The job's working directory (the project directory). */
  projectDir: string;
  cleanup(): void;
}

export interface RunOptions {
  /** CI/CD variables (predefined, integration, UI): the job variables may reference them. */
  env?: Record<string, string>;
  /** Replaces job variables after expansion (for example DOCKER_TLS_CERTDIR). */
  override?: Record<string, string>;
  /** STUB_* settings of the docker stub. */
  stub?: Record<string, string>;
  /** Host commands to put on the PATH (python3, bash...), by name. */
  hostTools?: readonly string[];
  /** Extra executables written to the PATH: name -> script text. */
  tools?: Record<string, string>;
  /** busybox applets to leave out of the PATH (for example nc). */
  excludeApplets?: string[];
  /** Files to create in the project directory: relative path -> content. */
  files?: Record<string, string>;
  /** Stub `sleep` (the default) so that retries and backoff do not wait. */
  realSleep?: boolean;
}

/**
 * Runs a rendered job like a GitLab runner with the Docker executor, with a stub docker CLI: the
 * runner emulation's local mode (scripts/runner/local.ts) in busybox sh.
 */
export async function runJob(job: Job, options: RunOptions = {}): Promise<JobRun> {
  const root = mkdtempSync(join(tmpdir(), "hci-job-"));
  const bin = join(root, "bin");
  const state = join(root, "state");
  const projectDir = join(root, "builds", "group", "project");
  for (const d of [bin, state, projectDir]) mkdirSync(d, { recursive: true });
  const tools: Record<string, string> = {
    docker: DOCKER_STUB,
    nslookup: RESOLVE_STUB,
    getent: RESOLVE_STUB,
    ...(options.realSleep ? {} : { sleep: SLEEP_STUB }),
    ...options.tools,
  };
  for (const [name, text] of Object.entries(tools)) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  for (const tool of options.hostTools ?? []) {
    // The system's binary, not a version manager's shim (pyenv, nvm...) that needs its own PATH.
    const path = ["/usr/bin", "/bin", "/usr/local/bin"].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (!path) throw new Error(`${tool} is not installed in /usr/bin, /bin or /usr/local/bin`);
    symlinkSync(path, join(bin, tool));
  }
  for (const [rel, text] of Object.entries(options.files ?? {})) {
    mkdirSync(join(projectDir, rel, ".."), { recursive: true });
    writeFileSync(join(projectDir, rel), text);
  }
  const bb = busyboxDir(options.excludeApplets ?? []);
  const path = bb ? `${bin}:${bb}` : `${bin}:/usr/local/bin:/usr/bin:/bin`;
  const ci: Record<string, string> = {
    CI: "true",
    GITLAB_CI: "true",
    CI_JOB_ID: String(Math.floor(Math.random() * 1e9)),
    CI_PROJECT_DIR: projectDir,
    CI_PROJECT_URL: "https://gitlab.example.com/group/project",
    CI_COMMIT_SHA: "0123456789abcdef0123456789abcdef01234567",
    CI_COMMIT_SHORT_SHA: "01234567",
    CI_COMMIT_BRANCH: "main",
    CI_COMMIT_REF_NAME: "main",
    CI_COMMIT_REF_SLUG: "main",
    CI_DEFAULT_BRANCH: "main",
    CI_PIPELINE_SOURCE: "push",
    ...options.env,
  };
  for (const [k, v] of Object.entries(ci)) if (v === undefined) delete ci[k];
  const vars = expandJobVariables(job, ci);
  // The dind service's TLS client certificates, where DOCKER_TLS_CERTDIR says.
  if (vars["DOCKER_TLS_CERTDIR"]) {
    const certs = join(root, "certs");
    mkdirSync(join(certs, "client"), { recursive: true });
    for (const f of ["ca.pem", "cert.pem", "key.pem"]) writeFileSync(join(certs, "client", f), "fake\n");
    vars["DOCKER_TLS_CERTDIR"] = certs;
  }
  Object.assign(vars, options.override);
  const env: Record<string, string> = { ...vars, PATH: path, HOME: root, STUB_DIR: state, ...options.stub };
  const { main, after } = await runJobShells(job, { shell: [busybox(), "sh"], projectDir, env });
  const callsText = existsSync(join(state, "calls")) ? readFileSync(join(state, "calls"), "utf8") : "";
  const calls: DockerCall[] = [];
  for (const line of callsText.split("\n")) {
    if (line === "CALL") calls.push({ env: {}, args: [] });
    else if (line.startsWith("ENV ")) {
      const [k, ...v] = line.slice(4).split("=");
      calls.at(-1)!.env[k!] = v.join("=");
    } else if (line.startsWith("ARG ")) calls.at(-1)!.args.push(line.slice(4));
  }
  const sleepsFile = join(state, "sleeps");
  return {
    code: main.code,
    afterCode: after.code,
    output: main.output,
    afterOutput: after.output,
    calls,
    sleeps: existsSync(sleepsFile) ? readFileSync(sleepsFile, "utf8").split("\n").filter(Boolean) : [],
    stubFile: (name) => (existsSync(join(state, name)) ? readFileSync(join(state, name), "utf8") : undefined),
    projectDir,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The docker calls of one subcommand (build, push, login...). */
export function callsOf(run: JobRun, command: string): DockerCall[] {
  return run.calls.filter((c) => c.args[0] === command);
}

/** Runs a service entrypoint script (`sh -c <script> <name> <args>`) with the given environment. */
export async function runServiceScript(
  script: string,
  env: Record<string, string>,
  tools: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; output: string; root: string }> {
  const root = mkdtempSync(join(tmpdir(), "hci-svc-"));
  leftovers.push(root);
  const bin = join(root, "bin");
  mkdirSync(bin);
  for (const [name, text] of Object.entries(tools)) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  const bb = busyboxDir([]);
  const path = bb ? `${bin}:${bb}` : `${bin}:/usr/local/bin:/usr/bin:/bin`;
  const argv = [busybox(), "sh", "-c", script, "hci-dind", ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      env: { PATH: path, HCI_DOCKER_CERTS_DIR: join(root, "certs.d"), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output, root }));
  });
}

/** Harbor integration variables as GitLab injects them (after the runner's $$ -> $). */
export const HARBOR_ENV = {
  HARBOR_URL: "https://harbor.example.com:8443",
  HARBOR_HOST: "harbor.example.com",
  HARBOR_OCI: "oci://harbor.example.com:8443",
  HARBOR_PROJECT: "my-project",
  HARBOR_USERNAME: "robot$my-project+ci",
  HARBOR_PASSWORD: "s3cr3t-P@ss'word\"$(x)",
};
