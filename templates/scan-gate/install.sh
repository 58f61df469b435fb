# shellcheck shell=sh
# --- scan-gate: install harbor-ci at the pinned version ---
if hci_unset "$HCI_IMAGE"; then
  hci_fail 2 "no image to check: the input image is '$HCI_IMAGE'. Run a build-push job in the pipeline (its dotenv report gives IMAGE_REF) and list it in needs, or set the input image to <harbor-host>/<project>/<repository>@sha256:<digest>."
fi
if ! command -v npm >/dev/null 2>&1; then
  hci_fail 8 "npm is not in the job image '$CI_JOB_IMAGE': the input node_image must be a Node.js 20+ image with npm."
fi
case $HCI_PACKAGE in
  *'$'* | '') hci_fail 2 "input package '$HCI_PACKAGE' is empty or names an unset variable." ;;
  /*) hci_spec=$HCI_PACKAGE hci_scope= ;;
  ./* | *.tgz) hci_spec=$CI_PROJECT_DIR/${HCI_PACKAGE#./} hci_scope= ;;
  @*/*) hci_spec=$HCI_PACKAGE@$HCI_PACKAGE_VERSION hci_scope=${HCI_PACKAGE%%/*} ;;
  *) hci_spec=$HCI_PACKAGE@$HCI_PACKAGE_VERSION hci_scope= ;;
esac
hci_section_start hci_install "Installing harbor-ci: $hci_spec"
mkdir -p "$HCI_TOOL_DIR"
: >"$HCI_TOOL_DIR/.npmrc"
hci_reg=
if [ -n "$hci_scope" ] && [ -n "$HCI_NPM_REGISTRY" ]; then
  case $HCI_NPM_REGISTRY in
    http://* | https://*) ;;
    *) hci_fail 2 "input npm_registry '$HCI_NPM_REGISTRY' is not an http(s) URL." ;;
  esac
  hci_reg=${HCI_NPM_REGISTRY%/}/
  printf '%s:registry=%s\n' "$hci_scope" "$hci_reg" >>"$HCI_TOOL_DIR/.npmrc"
  if [ -n "${CI_JOB_TOKEN:-}" ]; then
    # npm expands ${CI_JOB_TOKEN} when it reads the file: the token itself is written nowhere.
    # shellcheck disable=SC2016
    printf '//%s:_authToken=${CI_JOB_TOKEN}\n' "${hci_reg#*://}" >>"$HCI_TOOL_DIR/.npmrc"
  fi
  echo "npm: $hci_scope packages from $hci_reg${CI_JOB_TOKEN:+ (with CI_JOB_TOKEN)}"
fi
# The tool's own folder is npm's project: its .npmrc applies, the repository's package.json does not.
if ! (cd "$HCI_TOOL_DIR" && npm install --no-audit --no-fund --omit=dev --no-save --loglevel=error "$hci_spec") >"$HCI_TOOL_DIR/npm.log" 2>&1; then
  cat "$HCI_TOOL_DIR/npm.log" >&2
  hci_fail 8 "cannot install $hci_spec${hci_reg:+ from $hci_reg}: check the inputs package, package_version and npm_registry, and that this project's CI_JOB_TOKEN may read the library's packages (the library's Settings > CI/CD > Job token permissions)."
fi
echo "Installed $("$HCI_TOOL_DIR/node_modules/.bin/harbor-ci" --version 2>/dev/null || echo "$hci_spec")"
hci_bin=$HCI_TOOL_DIR/node_modules/.bin/harbor-ci
[ -x "$hci_bin" ] || {
  cat "$HCI_TOOL_DIR/npm.log" >&2
  hci_fail 8 "the package $hci_spec has no harbor-ci command."
}
hci_section_end hci_install
