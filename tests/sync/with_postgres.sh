#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 on 127.0.0.1 (the server refuses root, so it runs
# as the postgres user), exporting SHOWROOM_TEST_POSTGRES=postgresql://showroom@127.0.0.1:PORT/showroom.
# The server is stopped and its files removed however the command ends.
# usage: with_postgres.sh COMMAND [ARGS...]
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/initdb" ] || { echo "with_postgres: PostgreSQL 15 is not installed (scripts/install-deps.sh)" >&2; exit 1; }
dir=$(mktemp -d /tmp/showroom-pg.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
cleanup() {
    as_pg "$bin/pg_ctl -D '$dir/data' -m fast -w stop" > /dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
as_pg "$bin/initdb -D '$dir/data' -U showroom --auth=trust -E UTF8 --locale=C.UTF-8" > "$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
as_pg "$bin/pg_ctl -D '$dir/data' -l '$dir/log' -o '-p $port -k $dir -c listen_addresses=127.0.0.1' -w start" > /dev/null \
    || { cat "$dir/log" >&2; exit 1; }
as_pg "$bin/createdb -h 127.0.0.1 -p $port -U showroom showroom"
export SHOWROOM_TEST_POSTGRES="postgresql://showroom@127.0.0.1:$port/showroom"
"$@"
