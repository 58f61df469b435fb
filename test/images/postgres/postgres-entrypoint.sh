#!/bin/sh
# Same environment contract as the official postgres image's docker-entrypoint.sh.
set -eu
log() { echo "postgres-entrypoint: $*" >&2; }
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi

if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"

  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    user="${POSTGRES_USER:-postgres}"
    db="${POSTGRES_DB:-$user}"
    auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
      log "Error: Database is uninitialized and superuser password is not specified."
      log "  Set POSTGRES_PASSWORD to a non-empty value, or POSTGRES_HOST_AUTH_METHOD=trust."
      exit 1
    fi
    # The password reaches initdb through a file readable only by postgres, removed right after.
    pwfile=$(mktemp)
    printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
    chown postgres "$pwfile"
    chmod 0600 "$pwfile"
    # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as in the official image
    as_postgres initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" ${POSTGRES_INITDB_ARGS:-} >/dev/null
    rm -f "$pwfile"
    printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
    echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"

    # Temporary server on the socket only: nothing can connect over TCP before init is complete.
    as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start >/dev/null
    if [ "$db" != postgres ]; then
      printf 'CREATE DATABASE "%s";\n' "$db" | as_postgres psql -v ON_ERROR_STOP=1 -q --username "$user" --dbname postgres
    fi
    for f in /docker-entrypoint-initdb.d/*; do
      case "$f" in
        *.sh)
          log "running $f"
          # shellcheck source=/dev/null
          . "$f"
          ;;
        *.sql)
          log "running $f"
          as_postgres psql -v ON_ERROR_STOP=1 -q --username "$user" --dbname "$db" -f "$f"
          ;;
        *.sql.gz)
          log "running $f"
          gunzip -c "$f" | as_postgres psql -v ON_ERROR_STOP=1 -q --username "$user" --dbname "$db"
          ;;
      esac
    done
    as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    log "PostgreSQL init process complete; ready for start up."
  fi
  unset POSTGRES_PASSWORD
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
fi

exec "$@"
