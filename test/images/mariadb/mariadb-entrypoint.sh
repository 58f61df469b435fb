#!/bin/sh
# Same environment contract as the official mariadb image's docker-entrypoint.sh:
# MARIADB_ROOT_PASSWORD | MARIADB_ALLOW_EMPTY_ROOT_PASSWORD | MARIADB_RANDOM_ROOT_PASSWORD,
# MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD, MARIADB_ROOT_HOST, each also as MYSQL_*.
set -eu
log() { echo "mariadb-entrypoint: $*" >&2; }

# MARIADB_X wins over MYSQL_X, as in the official image.
env_of() {
  v=""
  eval "v=\${MARIADB_$1:-\${MYSQL_$1:-}}" # $1 is one of the fixed names below
  printf '%s' "$v"
}
# SQL string literal: backslash and quote escaped.
sql_str() { printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")"; }
# dash's echo would eat the backslashes that sql_str adds.
line() { printf '%s\n' "$*"; }
# shellcheck disable=SC2016 # backticks are SQL identifier quotes here
sql_id() { printf '`%s`' "$(printf '%s' "$1" | sed -e 's/`/``/g')"; }

if [ "${1#-}" != "$1" ]; then set -- mariadbd "$@"; fi

if [ "$1" = mariadbd ] || [ "$1" = mysqld ]; then
  mkdir -p /var/lib/mysql /run/mysqld
  chown -R mysql:mysql /var/lib/mysql /run/mysqld
  if [ ! -d /var/lib/mysql/mysql ]; then
    root_pw=$(env_of ROOT_PASSWORD)
    allow_empty=$(env_of ALLOW_EMPTY_ROOT_PASSWORD)
    random_root=$(env_of RANDOM_ROOT_PASSWORD)
    if [ -z "$root_pw" ] && [ -z "$allow_empty" ] && [ -z "$random_root" ]; then
      log "Error: Database is uninitialized and password option is not specified"
      log "  You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD"
      exit 1
    fi
    if [ -n "$random_root" ]; then
      root_pw=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
      log "GENERATED ROOT PASSWORD: $root_pw"
    fi
    log "Initializing database files"
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql --auth-root-authentication-method=normal \
      --skip-test-db --skip-name-resolve >/dev/null
    # Temporary server without networking while users and databases are created.
    mariadbd --user=mysql --skip-networking --socket=/run/mysqld/mysqld.sock &
    pid=$!
    i=0
    until mariadb-admin --socket=/run/mysqld/mysqld.sock ping >/dev/null 2>&1; do
      i=$((i + 1))
      [ "$i" -lt 60 ] || {
        log "temporary server did not start in 30 s"
        exit 1
      }
      sleep 0.5
    done
    db=$(env_of DATABASE)
    user=$(env_of USER)
    pw=$(env_of PASSWORD)
    root_host=$(env_of ROOT_HOST)
    root_host=${root_host:-%}
    # A MYSQL_PWD meant for the job's client (GitLab passes job variables to services) must not
    # become root's password here.
    unset MYSQL_PWD
    sql() { mariadb --socket=/run/mysqld/mysqld.sock -uroot "$@"; }
    {
      line "SET @@SESSION.SQL_LOG_BIN=0;"
      line "DELETE FROM mysql.global_priv WHERE user NOT IN ('mysql.sys', 'mariadb.sys', 'root') OR host NOT IN ('localhost');"
      [ -n "$db" ] && line "CREATE DATABASE IF NOT EXISTS $(sql_id "$db");"
      if [ -n "$user" ]; then
        line "CREATE USER $(sql_str "$user")@'%' IDENTIFIED BY $(sql_str "$pw");"
        [ -n "$db" ] && line "GRANT ALL ON $(sql_id "$db").* TO $(sql_str "$user")@'%';"
      fi
    } | sql
    # Init scripts run while root still needs no password (no secret on any command line).
    for f in /docker-entrypoint-initdb.d/*; do
      case "$f" in
        *.sh)
          log "running $f"
          # shellcheck source=/dev/null
          . "$f"
          ;;
        *.sql)
          log "running $f"
          sql ${db:+"$db"} <"$f"
          ;;
      esac
    done
    {
      line "SET @@SESSION.SQL_LOG_BIN=0;"
      if [ "$root_host" != localhost ]; then
        line "CREATE USER 'root'@$(sql_str "$root_host") IDENTIFIED BY $(sql_str "$root_pw");"
        line "GRANT ALL ON *.* TO 'root'@$(sql_str "$root_host") WITH GRANT OPTION;"
      fi
      line "SET PASSWORD FOR 'root'@'localhost' = PASSWORD($(sql_str "$root_pw"));"
      line "FLUSH PRIVILEGES;"
    } | sql
    kill "$pid"
    wait "$pid" || true
    log "MariaDB init process done. Ready for start up."
  fi
  unset MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD MARIADB_PASSWORD MYSQL_PASSWORD
  exec "$@" --user=mysql
fi

exec "$@"
