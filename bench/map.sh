#!/bin/sh
# map.sh BUILD: 'guestnet map' on 100,000 VMs with 200,000 NICs over 1,000 target networks, and
# the same at a tenth and a hundredth of the size, in one run: wall time, peak RSS, and the
# growth of the time with the input.  Targets (issue 5): the largest under 2 s and 1 GiB; ten
# times the input at most twelve times the time.  A benchmark, not a test.
#
# Each VM has two NICs: one static in its network's /22 (a quarter of them already taken, so
# next-available runs too), one DHCP on the network the settings name; every tenth network is
# reached through a re-IP rule.
set -eu
B=${1:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# gen VMS NETS: site.xml and settings.xml of that size in $T/VMS
gen() {
	mkdir -p "$T/$1"
	awk -v vms="$1" -v nets="$2" -v dir="$T/$1" 'BEGIN {
		site = dir "/site.xml"; set = dir "/settings.xml"
		print "<site version=\"1\" name=\"bench\"><source>" > site
		for (n = 0; n < nets; n++)
			printf "<network name=\"src%d\"><subnet name=\"s\" cidr=\"10.%d.%d.0/22\"/></network>", n, int(n / 64), (n % 64) * 4 > site
		print "</source><target>" > site
		for (n = 0; n < nets; n++) {
			net = (n % 10 == 9) ? 100 + int(n / 64) : int(n / 64)
			printf "<network name=\"dst%d\"><subnet name=\"s\" cidr=\"%d.%d.%d.0/22\" gateway=\"%d.%d.%d.1\"><reserved from=\"%d.%d.%d.1\" to=\"%d.%d.%d.9\"/></subnet></network>", n, (n % 10 == 9) ? 11 : 10, net, (n % 64) * 4, (n % 10 == 9) ? 11 : 10, net, (n % 64) * 4, (n % 10 == 9) ? 11 : 10, net, (n % 64) * 4, (n % 10 == 9) ? 11 : 10, net, (n % 64) * 4 > site
		}
		print "</target>" > site
		for (n = 0; n < nets; n++)
			printf "<map source=\"src%d\" target=\"dst%d\"/>", n, n > site
		print "<reip source=\"10.*.*.*\" target=\"11.*.*.*\"/></site>" > site
		print "<guestnet version=\"1\">" > set
		for (v = 0; v < vms; v++) {
			n = v % nets; host = 10 + int(v / nets) % 1000
			printf "<guest os=\"linux\" name=\"vm%d\"><interface id=\"eth0\" mac=\"52:54:%02x:%02x:%02x:01\"><ipv4 mode=\"static\"><address ip=\"10.%d.%d.%d\" prefix=\"22\" origin=\"static\"/></ipv4></interface><interface id=\"eth1\" network=\"src%d\"><ipv4 mode=\"dhcp\"/></interface></guest>\n", v, int(v / 65536) % 256, int(v / 256) % 256, v % 256, int(n / 64), (n % 64) * 4 + int(host / 256), host % 256, n > set
		}
		print "</guestnet>" > set
	}'
}

# run VMS: seconds and peak RSS of one plan
run() {
	/usr/bin/time -f "%e %M" -o "$T/$1/time" "$B/bin/guestnet" map --site "$T/$1/site.xml" \
		-o "$T/$1/plan.xml" "$T/$1/settings.xml" || echo "bench: guestnet map failed on $1 VMs" >&2
	cat "$T/$1/time"
}

for vms in 1000 10000 100000; do
	gen "$vms" 1000
done
printf '%-10s %-10s %-12s %10s %12s\n' VMs NICs "input MiB" seconds "peak MiB"
for vms in 1000 10000 100000; do
	set -- $(run "$vms")
	eval "t$vms=$1"
	size=$(awk -v b="$(cat "$T/$vms/settings.xml" "$T/$vms/site.xml" | wc -c)" 'BEGIN { printf "%.1f", b / 1048576 }')
	printf '%-10s %-10s %-12s %10s %12s\n' "$vms" $((vms * 2)) "$size" "$1" \
		"$(awk -v k="$2" 'BEGIN { printf "%.0f", k / 1024 }')"
done
echo "time x10 input: 1,000 -> 10,000 VMs $(awk -v a="$t10000" -v b="$t1000" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 0.01) }')x; 10,000 -> 100,000 VMs $(awk -v a="$t100000" -v b="$t10000" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 0.01) }')x (target <= 12)"
echo "(1,000 target networks, one /22 each; 100,000 VMs: target < 2 s, < 1 GiB)"
grep -c '<nic ' "$T/100000/plan.xml" | sed 's/^/NICs planned at 100,000 VMs: /'
