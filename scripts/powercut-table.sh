#!/usr/bin/env bash
# Prints the power-cut loops' results (rows of TSV written by the tests
# through TONGBAN_POWERCUT_REPORT) as a table, or with "short" as one line
# per target.
#   scripts/powercut-table.sh [short] FILE
set -euo pipefail
short=
if [ "${1:-}" = short ]; then short=1; shift; fi
file=${1:?usage: powercut-table.sh [short] FILE}
if [ ! -s "$file" ]; then
  echo "power-cut loops: no results in $file (did they skip? see the test log)"
  exit 0
fi
if [ -n "$short" ]; then
  awk -F'\t' '{printf "powercut %-16s %5d cuts %7d acked %d lost %d duplicated %d check errors; control: %s\n", $1, $2, $3, $4, $5, $6, $7}' "$file"
  exit 0
fi
awk -F'\t' 'BEGIN {
    printf "%-16s %7s %12s %6s %10s %12s  %s\n", "target", "cycles", "acknowledged", "lost", "duplicated", "check errors", "positive control"
  }
  { printf "%-16s %7d %12d %6d %10d %12d  %s\n", $1, $2, $3, $4, $5, $6, $7 }' "$file"
