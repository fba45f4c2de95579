#!/bin/sh
# Entrypoint of the offline PostgreSQL 15 stand-in (scripts/offline-images.sh), with the interface of the
# official image: POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required), POSTGRES_DB (default the
# user), data in PGDATA (default /var/lib/postgresql/data). An empty data directory is initialised once
# (initdb, password auth for TCP, the database created); then postgres runs in the foreground as PID 1's
# child and shuts down cleanly on SIGTERM (fast shutdown on SIGINT).
set -eu
BIN=/usr/lib/postgresql/15/bin
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
USER_NAME="${POSTGRES_USER:-postgres}"
DB_NAME="${POSTGRES_DB:-$USER_NAME}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "postgres: POSTGRES_PASSWORD is required to initialise $PGDATA" >&2
    exit 2
  fi
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  pwfile="$(mktemp)"
  printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
  "$BIN/initdb" -D "$PGDATA" -U "$USER_NAME" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$DB_NAME" != "$USER_NAME" ] && [ "$DB_NAME" != "postgres" ]; then
    "$BIN/pg_ctl" -D "$PGDATA" -o "-c listen_addresses='' -k /tmp" -w start >/dev/null
    "$BIN/createdb" -h /tmp -U "$USER_NAME" "$DB_NAME"
    "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  elif [ "$DB_NAME" = "$USER_NAME" ] && [ "$USER_NAME" != "postgres" ]; then
    "$BIN/pg_ctl" -D "$PGDATA" -o "-c listen_addresses='' -k /tmp" -w start >/dev/null
    "$BIN/createdb" -h /tmp -U "$USER_NAME" "$DB_NAME"
    "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  fi
  echo "postgres: initialised $PGDATA (user $USER_NAME, database $DB_NAME)"
fi
exec "$BIN/postgres" -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp "$@"
