#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL cluster on loopback (the tests' second backend), then stop it.
#   scripts/with-postgres.sh python3 -m pytest -q
# Exports VANTHU_TEST_PG=postgresql://postgres@127.0.0.1:PORT/postgres for the command.
# PostgreSQL refuses to run as root: as root the cluster belongs to the 'postgres' account (Debian's package makes it).
set -euo pipefail
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "with-postgres: PostgreSQL not installed (apt-get install postgresql); tests on it will be skipped or fail under CI" >&2
  exec "$@"
fi
DIR=$(mktemp -d /tmp/vanthu-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
stop() {
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT
# C collation: text sorts byte by byte, as in SQLite; fsync off: a throwaway cluster, many databases made and dropped
# (PG_DURABLE=1 keeps fsync on, as a real server: the benchmarks compare it with SQLite's synchronous=FULL).
SPEED="-c fsync=off -c full_page_writes=off"
[ "${PG_DURABLE:-}" = 1 ] && SPEED=""
as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-k $DIR -h 127.0.0.1 -p $PORT $SPEED -c max_connections=200" start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }
export VANTHU_TEST_PG="postgresql://postgres@127.0.0.1:$PORT/postgres"
echo "with-postgres: throwaway cluster at $VANTHU_TEST_PG" >&2
set +e
"$@"
status=$?
exit $status
