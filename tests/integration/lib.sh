# lib.sh: what the integration tests share.  Source it first; it makes a private scratch folder
# ($T, removed at exit) and puts the programs under test on PATH.
set -eu
: "${GN_BUILD:?run the tests through 'make check'}"
: "${GN_TOP:?run the tests through 'make check'}"
PATH="$GN_BUILD/bin:$PATH"
T=$(mktemp -d "${TMPDIR:-/tmp}/guestnet-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1795417200  # 2026-11-23T07:00:00Z: reproducible source/@collected
CHECKS=0

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { CHECKS=$((CHECKS + 1)); }
skip() { echo "$*"; exit 77; }

# expect_status WANT CMD...: run CMD, check its exit status, keep its stderr in $T/stderr
expect_status() {
	want=$1; shift
	set +e
	"$@" >"$T/stdout" 2>"$T/stderr"
	got=$?
	set -e
	[ "$got" = "$want" ] || fail "'$*' exited $got, want $want; stderr: $(cat "$T/stderr")"
	ok
}

# expect_stderr PATTERN: the last command's stderr matches the grep pattern
expect_stderr() {
	grep -q -- "$1" "$T/stderr" || fail "stderr lacks '$1': $(cat "$T/stderr")"
	ok
}

# xp FILE XPATH: the string value of an XPath expression over FILE
xp() { xmllint --xpath "string($2)" "$1"; }

# expect_xp FILE XPATH WANT
expect_xp() {
	got=$(xp "$1" "$2")
	[ "$got" = "$3" ] || fail "$(basename "$1"): $2 is '$got', want '$3'"
	ok
}

# compare_golden GOT WANT: byte-exact, or rewrite WANT when GN_TEST_REGENERATE=1 (review the diff!)
compare_golden() {
	if [ "${GN_TEST_REGENERATE:-}" = 1 ]; then
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2"
		echo "regenerated $2"
	else
		diff -u "$2" "$1" || fail "output differs from golden file $2"
	fi
	ok
}

done_checks() { echo "$CHECKS checks passed"; }
