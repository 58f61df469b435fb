# shellcheck shell=sh
# --- service-db: engine, DATABASE_URL, and wait until the database accepts connections ---
# Percent-encodes a URL component (RFC 3986 unreserved characters stay).
hci_urlencode() {
  hci_s=$1
  hci_r=""
  while [ -n "$hci_s" ]; do
    hci_c=${hci_s%"${hci_s#?}"}
    hci_s=${hci_s#?}
    case $hci_c in
      [A-Za-z0-9._~-]) hci_r=$hci_r$hci_c ;;
      *) hci_r=$hci_r$(printf '%s' "$hci_c" | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g' | tr 'abcdef' 'ABCDEF') ;;
    esac
  done
  printf '%s' "$hci_r"
}
# Sends stdin to host $1 port $2 and prints the first bytes of the answer.
hci_relay() {
  case $HCI_RELAY in
    python3)
      python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), 5)
s.settimeout(5)
s.sendall(sys.stdin.buffer.read())
sys.stdout.buffer.write(s.recv(4096))' "$1" "$2"
      ;;
    bash)
      # shellcheck disable=SC2016 # the script is bash's, its $0 and $1 are the arguments
      hci_timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && cat >&3 && dd bs=4096 count=1 <&3 2>/dev/null' "$1" "$2"
      ;;
    nc)
      hci_timeout 3 nc "$1" "$2"
      ;;
  esac
}
# PostgreSQL: a startup message must be answered by an authentication request ('R'), not by
# an error such as "the database system is starting up" (what pg_isready checks).
hci_probe_pg_protocol() {
  hci_len=$((4 + 4 + 5 + ${#HCI_DB_USER} + 1 + 9 + ${#HCI_DB_NAME} + 1 + 1))
  {
    printf '%b' "\\0000\\0000\\0000\\0$(printf '%03o' "$hci_len")"
    printf '%b' '\0000\0003\0000\0000'
    printf 'user'
    printf '%b' '\0000'
    printf '%s' "$HCI_DB_USER"
    printf '%b' '\0000'
    printf 'database'
    printf '%b' '\0000'
    printf '%s' "$HCI_DB_NAME"
    printf '%b' '\0000\0000'
  } | hci_relay "$HCI_DB_ALIAS" "$HCI_PORT" >"$HCI_RESPONSE" 2>/dev/null || true
  case $(head -c 1 "$HCI_RESPONSE") in
    R) return 0 ;;
    E) hci_last="the server answered: $(tail -c +6 "$HCI_RESPONSE" | tr '\000' '\n' | sed -n 's/^M//p' | head -n 1)" ;;
    '') hci_last="no answer from $HCI_DB_ALIAS:$HCI_PORT (connection refused or closed)" ;;
    *) hci_last="$HCI_DB_ALIAS:$HCI_PORT does not speak the PostgreSQL protocol" ;;
  esac
  return 1
}
# MySQL/MariaDB: the server greets first; protocol version 10 means it accepts connections.
hci_probe_mysql_protocol() {
  hci_relay "$HCI_DB_ALIAS" "$HCI_PORT" </dev/null >"$HCI_RESPONSE" 2>/dev/null || true
  case $(dd if="$HCI_RESPONSE" bs=1 skip=4 count=1 2>/dev/null | od -An -tx1 | tr -d ' \n') in
    0a) return 0 ;;
    ff) hci_last="the server answered: $(tail -c +8 "$HCI_RESPONSE" | tr -cd '[:print:]')" ;;
    '') hci_last="no answer from $HCI_DB_ALIAS:$HCI_PORT (connection refused or closed)" ;;
    *) hci_last="$HCI_DB_ALIAS:$HCI_PORT does not speak the MySQL protocol" ;;
  esac
  return 1
}
hci_probe() {
  case $HCI_PROBE in
    psql)
      hci_last=$(PGPASSWORD=$HCI_DB_PASSWORD PGCONNECT_TIMEOUT=5 psql -w -h "$HCI_DB_ALIAS" -p "$HCI_PORT" -U "$HCI_DB_USER" -d "$HCI_DB_NAME" -tAc 'SELECT 1' 2>&1) && [ "$hci_last" = 1 ]
      ;;
    pg_isready)
      hci_last=$(pg_isready -h "$HCI_DB_ALIAS" -p "$HCI_PORT" -U "$HCI_DB_USER" -d "$HCI_DB_NAME" -t 5 2>&1)
      ;;
    mysql | mariadb)
      hci_last=$(MYSQL_PWD=$HCI_DB_PASSWORD "$HCI_PROBE" --protocol=TCP --connect-timeout=5 -h "$HCI_DB_ALIAS" -P "$HCI_PORT" -u "$HCI_DB_USER" -e 'SELECT 1' "$HCI_DB_NAME" 2>&1)
      ;;
    mysqladmin | mariadb-admin)
      hci_last=$(MYSQL_PWD=$HCI_DB_PASSWORD "$HCI_PROBE" --protocol=TCP --connect-timeout=5 -h "$HCI_DB_ALIAS" -P "$HCI_PORT" -u "$HCI_DB_USER" ping 2>&1)
      ;;
    postgres-protocol) hci_probe_pg_protocol ;;
    mysql-protocol) hci_probe_mysql_protocol ;;
  esac
}
hci_section_start hci_database "Waiting for the database"
HCI_KIND=$HCI_DB_KIND
if [ "$HCI_KIND" = auto ]; then
  hci_name=$(printf '%s' "$HCI_DB_IMAGE" | tr '[:upper:]' '[:lower:]')
  for hci_part in "${hci_name##*/}" "$hci_name"; do
    case $hci_part in
      *mariadb*) HCI_KIND=mariadb ;;
      *mysql*) HCI_KIND=mysql ;;
      *postgres* | *postgis* | *timescale*) HCI_KIND=postgres ;;
      *) continue ;;
    esac
    break
  done
  if [ "$HCI_KIND" = auto ]; then
    hci_fail 2 "cannot tell the database engine from the image name '$HCI_DB_IMAGE': set the input db_kind (postgres, mysql or mariadb)."
  fi
fi
case $HCI_KIND in
  postgres)
    hci_default_port=5432
    hci_scheme=postgresql
    ;;
  mysql | mariadb)
    hci_default_port=3306
    hci_scheme=mysql
    if [ "$HCI_DB_USER" = root ]; then
      hci_fail 2 "the input db_user cannot be root with $HCI_KIND (the image creates root itself, with db_password as its password): choose another user name."
    fi
    ;;
  *) hci_fail 2 "input db_kind is '$HCI_KIND'; use auto, postgres, mysql or mariadb." ;;
esac
case $HCI_DB_PORT$HCI_WAIT_TIMEOUT in
  *[!0-9]*) hci_fail 2 "the inputs db_port ('$HCI_DB_PORT') and wait_timeout ('$HCI_WAIT_TIMEOUT') must be whole numbers." ;;
esac
HCI_PORT=$HCI_DB_PORT
if [ "$HCI_PORT" -eq 0 ]; then
  HCI_PORT=$hci_default_port
fi
DATABASE_URL="$hci_scheme://$(hci_urlencode "$HCI_DB_USER"):$(hci_urlencode "$HCI_DB_PASSWORD")@$HCI_DB_ALIAS:$HCI_PORT/$HCI_DB_NAME"
export DATABASE_URL
echo "Database: $HCI_KIND ($HCI_DB_IMAGE) at $HCI_DB_ALIAS:$HCI_PORT"
echo "DATABASE_URL=$hci_scheme://$HCI_DB_USER:***@$HCI_DB_ALIAS:$HCI_PORT/$HCI_DB_NAME"
if [ "$HCI_WAIT_TIMEOUT" -eq 0 ]; then
  echo "Not waiting for the database (input wait_timeout: 0)"
else
  # The most thorough check the job image allows.
  HCI_PROBE=""
  HCI_RELAY=""
  if [ "$HCI_KIND" = postgres ]; then
    hci_candidates="psql pg_isready"
  else
    hci_candidates="mariadb mysql mariadb-admin mysqladmin"
  fi
  for hci_c in $hci_candidates; do
    if command -v "$hci_c" >/dev/null 2>&1; then
      HCI_PROBE=$hci_c
      break
    fi
  done
  if [ -z "$HCI_PROBE" ]; then
    for hci_c in python3 bash nc; do
      if command -v "$hci_c" >/dev/null 2>&1; then
        HCI_RELAY=$hci_c
        break
      fi
    done
    if [ -z "$HCI_RELAY" ]; then
      hci_fail 3 "cannot check the database: the job image has no database client ($hci_candidates) and none of python3, bash, nc to speak its protocol. Install one in the image, or set the input wait_timeout to 0 (GitLab then only waits for the port)."
    fi
    if [ "$HCI_KIND" = postgres ]; then
      HCI_PROBE=postgres-protocol
    else
      HCI_PROBE=mysql-protocol
    fi
    echo "Checking with the $HCI_KIND protocol over $HCI_RELAY (no database client in the job image)"
  else
    echo "Checking with $HCI_PROBE"
  fi
  HCI_RESPONSE=$(mktemp)
  hci_start=$(date +%s)
  hci_last="no answer yet"
  until hci_probe; do
    if [ $(($(date +%s) - hci_start)) -ge "$HCI_WAIT_TIMEOUT" ]; then
      rm -f "$HCI_RESPONSE"
      hci_fail 3 "the $HCI_KIND database at $HCI_DB_ALIAS:$HCI_PORT did not accept connections within ${HCI_WAIT_TIMEOUT}s (checked with $HCI_PROBE). Last error: $(printf '%s\n' "$hci_last" | tail -n 2). Check the input db_image and the service's log (set the variable CI_DEBUG_SERVICES to \"true\" to see it in the job log), or raise the input wait_timeout."
    fi
    sleep 1
  done
  rm -f "$HCI_RESPONSE"
  echo "The database accepts connections (after $(($(date +%s) - hci_start))s)"
fi
hci_section_end hci_database
