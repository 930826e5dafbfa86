#!/usr/bin/env bash
# Starts the machine's PostgreSQL cluster (Debian's postgresql package) on
# loopback and makes a throw-away role and database for the back office's
# store tests. Prints the DSN on stdout; prints nothing and exits 0 when it
# cannot (not root, no cluster), so the tests skip PostgreSQL loudly.
set -u
[ "$(id -u)" = 0 ] || { echo "pg-test-db: not root; PostgreSQL tests will be skipped" >&2; exit 0; }
command -v pg_lsclusters >/dev/null || { echo "pg-test-db: PostgreSQL is not installed" >&2; exit 0; }
cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')
[ -n "$cluster" ] || { echo "pg-test-db: no PostgreSQL cluster" >&2; exit 0; }
set -- $cluster
pg_ctlcluster "$1" "$2" start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done
su postgres -c "psql -qc \"CREATE ROLE tongban LOGIN PASSWORD 'tongban'\"" >/dev/null 2>&1 || true
su postgres -c "psql -qc 'CREATE DATABASE tongban_test OWNER tongban'" >/dev/null 2>&1 || true
port=$(pg_lsclusters -h | awk -v v="$1" -v c="$2" '$1==v && $2==c {print $3}')
echo "postgres://tongban:tongban@127.0.0.1:${port:-5432}/tongban_test?sslmode=disable"
