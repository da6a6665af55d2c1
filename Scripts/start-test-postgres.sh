#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests and benchmarks, and prints the lines to export.
#
#   eval "$(Scripts/start-test-postgres.sh)"      # start (or reuse) the cluster, export its URL
#   Scripts/start-test-postgres.sh stop             # stop it and delete its directory
#
# The cluster lives in a temporary directory (RESUME_OPTIMIZER_TEST_POSTGRES_DIR, default
# /tmp/resume-optimizer-test-postgres), listens on 127.0.0.1 only (port RESUME_OPTIMIZER_TEST_POSTGRES_PORT,
# default 55432) and is run by an unprivileged user: the current user, or `nobody` when run as root
# (PostgreSQL refuses to run as root). Durability is traded for speed (fsync off): it holds test data only.
# With synchronous_commit off (the default here) a crash or `stop immediate` can lose the last commits;
# RESUME_OPTIMIZER_TEST_POSTGRES_SYNCHRONOUS_COMMIT=on keeps every acknowledged commit across them (the
# restart test's own cluster; fsync off is harmless there, as the machine itself does not crash).
#
# It exports:
#   RESUME_OPTIMIZER_TEST_DATABASE_URL      postgres://USER:PASSWORD@127.0.0.1:PORT/DATABASE, read by the tests
#   RESUME_OPTIMIZER_TEST_POSTGRES_CONTROL  a script taking `start`, `stop [fast|immediate]` or `restart`
#   RESUME_OPTIMIZER_TEST_POSTGRES_BINDIR   PostgreSQL's server binaries (initdb, pg_ctl, pgbench), for the
#                                           restart test (which starts a second cluster of its own with this
#                                           script) and the benchmark's pgbench floor
#
# Several clusters can run at once: give each its own RESUME_OPTIMIZER_TEST_POSTGRES_DIR and _PORT.
#
# Needs PostgreSQL's server binaries (Debian: apt-get install postgresql; pgbench: postgresql-contrib).
set -euo pipefail

dir="${RESUME_OPTIMIZER_TEST_POSTGRES_DIR:-/tmp/resume-optimizer-test-postgres}"
port="${RESUME_OPTIMIZER_TEST_POSTGRES_PORT:-55432}"
user="resume_test"
password="resume_test_password"
database="resume_optimizer_test"

find_bindir() {
    if [[ -n "${POSTGRES_BINDIR:-}" ]]; then echo "$POSTGRES_BINDIR"; return; fi
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$newest" ]]; then echo "$newest"; return; fi
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
    echo "error: PostgreSQL server binaries not found (Debian: apt-get install postgresql; macOS: brew install postgresql@15)" >&2
    exit 1
}
bindir=$(find_bindir)

# Runs a command as the cluster's unprivileged owner.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

control="$dir/control.sh"

case "${1:-start}" in
stop)
    if [[ -d "$dir/data" ]]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    exit 0
    ;;
start) ;;
*)
    echo "usage: $0 [start|stop]" >&2
    exit 2
    ;;
esac

if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    printf '%s\n' "$password" >"$dir/password"
    if [[ $(id -u) -eq 0 ]]; then chown -R nobody "$dir"; fi
    as_owner "$bindir/initdb" -D "$dir/data" -U "$user" --pwfile="$dir/password" --auth=scram-sha-256 \
        --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = ${RESUME_OPTIMIZER_TEST_POSTGRES_SYNCHRONOUS_COMMIT:-off}
full_page_writes = off
shared_buffers = 128MB
EOF
    cat >"$control" <<EOF
#!/usr/bin/env bash
# Controls the test cluster in $dir: start, stop or restart. Stopping is fast (disconnects every
# client) unless \`stop immediate\` (the server quits at once, as in a crash).
set -euo pipefail
cmd="\${1:?usage: \$0 start|stop [fast|immediate]|restart}"
args=(-D "$dir/data" -l "$dir/server.log" -w -t 60)
if [[ "\$cmd" != start ]]; then args+=(-m "\${2:-fast}"); fi
if [[ \$(id -u) -eq 0 ]]; then
    exec runuser -u nobody -- "$bindir/pg_ctl" "\${args[@]}" "\$cmd" >/dev/null
else
    exec "$bindir/pg_ctl" "\${args[@]}" "\$cmd" >/dev/null
fi
EOF
    chmod 755 "$control" "$dir"
fi

if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    "$control" start || {
        tail -n 30 "$dir/server.log" >&2
        exit 1
    }
fi

export PGPASSWORD="$password"
if ! "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -qc "CREATE DATABASE $database" >/dev/null
fi

echo "export RESUME_OPTIMIZER_TEST_DATABASE_URL='postgres://$user:$password@127.0.0.1:$port/$database'"
echo "export RESUME_OPTIMIZER_TEST_POSTGRES_CONTROL='$control'"
echo "export RESUME_OPTIMIZER_TEST_POSTGRES_BINDIR='$bindir'"
