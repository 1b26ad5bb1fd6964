#!/bin/sh
# hive.sh BUILD: time 'guestnet hive' on the three real SYSTEM hives against reglookup (C, reads
# the one Tcpip Interfaces key) and regripper's nic2 plugin (Perl), side by side in one run, and
# print the ratios.  A benchmark, not a test: it asserts nothing about time.
set -eu
B=${1:-build}
H=../shared/hives
[ -d "$H" ] || { echo "bench: $H is absent: the real hives are needed" >&2; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
RUNS=${RUNS:-20}

# mean wall time of RUNS runs of a command, in milliseconds (output discarded)
mean_ms() {
	n=$1; shift
	start=$(date +%s%N)
	i=0
	while [ $i -lt "$n" ]; do
		"$@" >/dev/null 2>&1 || true
		i=$((i + 1))
	done
	end=$(date +%s%N)
	echo $(( (end - start) / n / 1000 ))
}

fmt() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-16s %10s %12s %12s %14s %14s\n' hive "size MiB" "guestnet ms" "reglookup ms" "regripper ms" "gn/reglookup"
for h in win81-dhcp win10-dhcp winxp-corrupt; do
	xz -dc "$H/$h-SYSTEM.xz" >"$T/$h"
	size=$(awk -v b="$(stat -c %s "$T/$h")" 'BEGIN { printf "%.1f", b / 1048576 }')
	"$B/bin/guestnet" hive "$T/$h" >/dev/null 2>&1 || true  # warm the page cache
	gn=$(mean_ms "$RUNS" "$B/bin/guestnet" hive "$T/$h")
	rl=$(mean_ms "$RUNS" reglookup -p /ControlSet001/Services/Tcpip/Parameters/Interfaces "$T/$h")
	rr=$(mean_ms 3 regripper -r "$T/$h" -p nic2)
	printf '%-16s %10s %12s %12s %14s %14s\n' "$h" "$size" "$(fmt "$gn")" "$(fmt "$rl")" \
		"$(fmt "$rr")" "$(ratio "$gn" "$rl")"
	reglookup -p /ControlSet001/Services/Tcpip/Parameters/Interfaces "$T/$h" >/dev/null 2>&1 ||
		echo "  ($h: reglookup fails on this hive, so its time is that of a failed run)"
done
echo "(mean of $RUNS runs each, regripper 3; gn/reglookup < 1 means guestnet is faster)"
