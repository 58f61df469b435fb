# shellcheck shell=sh
# harbor-ci-components dind entrypoint: trust a private registry CA, then start dockerd.
set -eu
hci_ca_variable=${HCI_REGISTRY_CA_VARIABLE:-}
# Where dockerd looks for registry CAs (HCI_DOCKER_CERTS_DIR only moves it in unit tests).
hci_certs_d=${HCI_DOCKER_CERTS_DIR:-/etc/docker/certs.d}
if [ -n "$hci_ca_variable" ]; then
  hci_pem=$(awk 'BEGIN { printf "%s", ENVIRON[ARGV[1]]; exit }' "$hci_ca_variable")
  hci_registry=${HCI_REGISTRY:-}
  if [ -z "$hci_registry" ] && [ -n "${HARBOR_URL:-}" ]; then
    hci_registry=${HARBOR_URL#*://}
    hci_registry=${hci_registry%%/*}
    hci_registry=${hci_registry##*@}
    case $HARBOR_URL in
      https://*) hci_registry=${hci_registry%:443} ;;
      http://*) hci_registry=${hci_registry%:80} ;;
    esac
  fi
  # The registry names a directory under certs.d: a host[:port], never an option or a path.
  case $hci_registry in
    -* | *..* | *[!A-Za-z0-9.:-]*)
      echo "hci-dind: ERROR: registry '$hci_registry' is not a host or host:port: no CA written (the job stops on the same value)" >&2
      hci_registry=""
      ;;
  esac
  case $hci_pem in
    *"BEGIN CERTIFICATE"*)
      if [ -n "$hci_registry" ]; then
        mkdir -p "$hci_certs_d/$hci_registry"
        printf '%s\n' "$hci_pem" >"$hci_certs_d/$hci_registry/ca.crt"
        echo "hci-dind: trusting the CA in $hci_ca_variable for $hci_registry ($hci_certs_d/$hci_registry/ca.crt)"
      else
        echo "hci-dind: WARNING: no registry to trust the CA for: set the input registry or the Harbor integration" >&2
      fi
      ;;
    *)
      echo "hci-dind: WARNING: $hci_ca_variable holds no PEM certificate in this service (define it in .gitlab-ci.yml: variables set only in the UI do not reach services)" >&2
      ;;
  esac
fi
# build-push's registry cache (input cache: registry, the only setter of HCI_CACHE): the
# Docker driver of BuildKit exports a registry cache only with the containerd image store.
# An existing daemon.json is the image's or the runner's: left alone (the job then falls
# back to the inline cache and says why).
if [ "${HCI_CACHE:-}" = registry ]; then
  hci_daemon_json=${HCI_DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}
  if [ -e "$hci_daemon_json" ]; then
    echo "hci-dind: $hci_daemon_json exists and is kept: the registry cache needs \"features\": {\"containerd-snapshotter\": true} in it"
  else
    mkdir -p "${hci_daemon_json%/*}"
    printf '%s\n' '{"features":{"containerd-snapshotter":true}}' >"$hci_daemon_json"
    echo "hci-dind: containerd image store on ($hci_daemon_json), for the registry cache"
  fi
fi
if command -v dockerd-entrypoint.sh >/dev/null 2>&1; then
  exec dockerd-entrypoint.sh "$@"
fi
exec dockerd "$@"
