#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL cluster on 127.0.0.1, then drops the cluster.
# Uses TORELIK_DATABASE_URL if it is already set (an existing server).
set -euo pipefail
if [[ -n "${TORELIK_DATABASE_URL:-}" ]]; then exec "$@"; fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
DIR=$(mktemp -d /tmp/torelik-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RUNAS=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres "$DIR"; RUNAS=(runuser -u postgres --)
fi
cleanup() { "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
"${RUNAS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U torelik --auth=trust -E UTF8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
"${RUNAS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U torelik torelik
export TORELIK_DATABASE_URL="postgresql://torelik@127.0.0.1:$PORT/torelik"
echo "PostgreSQL on 127.0.0.1:$PORT"
"$@"
