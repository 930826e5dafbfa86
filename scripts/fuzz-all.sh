#!/usr/bin/env bash
# fuzz-all.sh DURATION [PACKAGE_DIR...]
#
# Runs every fuzz target (func FuzzXxx(f *testing.F) in a _test.go file) of
# the module's packages, one after another, each for DURATION (a Go
# duration such as 20s, or a count such as 1000x), and prints one summary
# line per target. Exits non-zero when any target failed; the failing input
# is kept by `go test` under the package's testdata/fuzz/FuzzXxx/, so the
# next plain `go test` replays it.
#
# Give package directories (./kiosk/form ...) to fuzz only those.
# FUZZ_PARALLEL sets the number of fuzzing workers (default: go test's,
# GOMAXPROCS); set it to 1 on a shared machine. FUZZ_MINIMIZE bounds the
# minimisation of each new interesting input (default 20x: go test's own
# 60 s default left a 20 s run with a handful of executions).
set -u -o pipefail

if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
	sed -n '2,16s/^# \{0,1\}//p' "$0"
	exit 2
fi
duration=$1
shift
GO=${GO:-go}

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2

if [[ $# -gt 0 ]]; then
	dirs=("$@")
else
	dirs=(.)
fi

# Lines "DIR NAME", sorted, for every fuzz target under dirs. Files of other
# modules (a nested go.mod) would not build from here; none exist today.
mapfile -t targets < <(
	grep -rE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' "${dirs[@]}" |
		grep -vE '(^|/)(testdata|vendor)/|/\.[^/]' |
		sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#\1 \2#' |
		sed -E 's#^\./##; s#^([^.])#./\1#' |
		sort -u
)
if [[ ${#targets[@]} -eq 0 ]]; then
	echo "fuzz-all: no fuzz targets found under ${dirs[*]}" >&2
	exit 2
fi

parallel=()
if [[ -n "${FUZZ_PARALLEL:-}" ]]; then
	parallel=(-parallel="$FUZZ_PARALLEL")
fi

logdir=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-all.XXXXXX")
echo "fuzzing ${#targets[@]} targets for $duration each; logs in $logdir"

failed=0
summary=()
for t in "${targets[@]}"; do
	pkg=${t% *}
	name=${t#* }
	log="$logdir/$(echo "$pkg" | tr '/.' '__')_$name.log"
	start=$(date +%s)
	if "$GO" test -run='^$' -fuzz="^${name}\$" -fuzztime="$duration" -fuzzminimizetime="${FUZZ_MINIMIZE:-20x}" "${parallel[@]}" "$pkg" >"$log" 2>&1; then
		result=ok
	else
		result=FAIL
		failed=$((failed + 1))
	fi
	secs=$(($(date +%s) - start))
	# The last progress line says how many inputs were tried.
	execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
	line=$(printf '%-4s %-34s %-22s %4ds %10s execs' "$result" "$name" "$pkg" "$secs" "${execs:-?}")
	echo "$line"
	summary+=("$line")
	if [[ $result == FAIL ]]; then
		sed 's/^/    | /' "$log" | tail -25
		new=$(git -C "$root" status --porcelain -- "$pkg/testdata/fuzz/$name" 2>/dev/null | cut -c4-)
		[[ -n "$new" ]] && echo "    failing input kept: $new"
	fi
done

echo
echo "summary: $((${#targets[@]} - failed)) of ${#targets[@]} fuzz targets ran clean for $duration"
if [[ $failed -gt 0 ]]; then
	printf '%s\n' "${summary[@]}" | grep '^FAIL'
	exit 1
fi
rm -rf "$logdir"
