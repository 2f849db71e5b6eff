#!/usr/bin/env bash
# CI for examples/postgres. It starts a throwaway PostgreSQL cluster (the
# machine's initdb and pg_ctl, on a Unix socket in a temporary folder, as a
# non-root user when run as root), points the libpq variables at it, runs
# the module's checks and tests against it (concurrency, crash with 20
# SIGKILLs or more, bad data), prints the workload's figures, and stops and
# removes the cluster on exit, whatever happens.
#
#   examples/postgres/ci.sh          # a few minutes
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }
run() { step "$*"; "$@"; }
start=$SECONDS

# The server's programs: on PATH, or where Debian puts them; installed
# from Debian's packages when they are missing and we may.
find_bin() {
	for d in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" /usr/local/bin /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return
		fi
	done
}
PGBIN=$(find_bin)
if [ -z "$PGBIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	step "installing PostgreSQL from Debian's packages"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
	PGBIN=$(find_bin)
fi
if [ -z "$PGBIN" ]; then
	echo "no initdb and pg_ctl found: install PostgreSQL's server programs" >&2
	exit 1
fi

# PostgreSQL refuses to run as root: as root, the cluster belongs to a
# system user of its own.
as_owner=()
if [ "$(id -u)" = 0 ]; then
	id pgtest >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin pgtest
	as_owner=(runuser -u pgtest --)
fi

PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/healthplan-pg.XXXXXX")
stop_cluster() {
	"${as_owner[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$PGDIR"
}
trap stop_cluster EXIT
if [ ${#as_owner[@]} -gt 0 ]; then chown pgtest "$PGDIR"; fi

step "a throwaway cluster in $PGDIR ($("$PGBIN/postgres" --version))"
"${as_owner[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --no-sync >"$PGDIR/initdb.log" ||
	{ cat "$PGDIR/initdb.log"; exit 1; }
"${as_owner[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
	-o "-c listen_addresses='' -k $PGDIR -c max_connections=200" start >/dev/null ||
	{ cat "$PGDIR/server.log"; exit 1; }
export PGHOST=$PGDIR PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
unset PGPASSWORD PGSERVICE PGOPTIONS
export CI=${CI:-true} # the tests fail, rather than skip, without a database

step "gofmt -l ."
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "these files are not gofmt-formatted:"
	echo "$unformatted"
	exit 1
fi
run go mod tidy -diff
run go vet ./...
run go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# The tests: the store's own, then concurrency (8 workers, 20 contracts,
# 2,000 visits), crash (20 SIGKILLs and restarts) and bad data.
run go test -count=1 -v -timeout 15m ./...
run go test -count=1 -race -short -timeout 10m ./...

step "the workload's figures"
go run ./cmd/workload -reset -workers 8 -contracts 20 -visits 2000
echo "machine: $(nproc) cores, $(uname -sm), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $("$PGBIN/postgres" --version)"

step "examples/postgres passed in $((SECONDS - start))s"
