#!/bin/sh
# run.sh BUILD: run every unit test (BUILD/tests/test-*) and integration test
# (tests/integration/t*.sh) from the top of the tree, then print one summary line.
# An integration test exits 0 (pass), 77 (skip: it says why) or anything else (fail).
set -u
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export GN_BUILD="$top/$B" GN_TOP="$top"
export LIBGUESTFS_BACKEND_SETTINGS=force_tcg
pass=0 fail=0 skip=0 failed=""

for t in "$B"/tests/test-*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if "$t" >"$B/tests/$name.log" 2>&1; then
		pass=$((pass + 1)); echo "PASS: $name"
	else
		fail=$((fail + 1)); failed="$failed $name"; echo "FAIL: $name"
		sed 's/^/    /' "$B/tests/$name.log"
	fi
done

mkdir -p "$B/tests/integration"
for t in tests/integration/t[0-9]*.sh; do
	name=$(basename "$t" .sh)
	log="$B/tests/integration/$name.log"
	sh "$t" >"$log" 2>&1
	rc=$?
	case $rc in
	0) pass=$((pass + 1)); echo "PASS: $name" ;;
	77) skip=$((skip + 1)); echo "SKIP: $name: $(tail -n 1 "$log")" ;;
	*) fail=$((fail + 1)); failed="$failed $name"; echo "FAIL: $name (exit $rc)"
	   sed 's/^/    /' "$log" | tail -n 40 ;;
	esac
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ] || { echo "failed:$failed"; exit 1; }
