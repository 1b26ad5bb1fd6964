#!/bin/sh
# guestnet-agent.exe, the Windows agent, under Wine in the agents' guest namespace (netns.sh):
# Wine's IP Helper API reads the kernel's netlink and /proc/net/route, so inside the namespace it
# reports the namespace's links as a Windows guest's adapters.  Asserted is what Wine 8 really
# reports: names, MACs, MTUs, IPv4 and IPv6 addresses with their prefixes, IPv4 default gateways,
# IPv4 static routes through a router, DNS servers and suffix from resolv.conf, IPv6 switched
# off, the host name; then -o, --exclude/--include, --name and the exit statuses.
#
# Not asserted, because Wine 8 does not show it: DHCP (always off), leases, DHCP-supplied DNS,
# WINS, registry origins (no Tcpip\Parameters\Interfaces key), IPv6 routes and gateways (no
# IPv6 forward table), on-link static routes (reported as the stack's own), an adapter's
# administrative state (always up), metrics of 10 and more (/proc/net/route's decimal read as
# hexadecimal).  test-windows-convert covers those decisions.
. "$GN_TOP/tests/integration/lib.sh"

exe="$GN_BUILD/windows/guestnet-agent.exe"
[ -f "$exe" ] || skip "no $exe: 'make windows' needs x86_64-w64-mingw32-gcc"
wine=$(command -v wine || command -v wine64 || true)
[ -n "$wine" ] || skip "no wine"
[ "$(id -u)" = 0 ] || skip "network namespaces need root"
command -v ip >/dev/null || skip "no ip (iproute2)"
command -v unshare >/dev/null || skip "no unshare (util-linux)"

. "$GN_TOP/tests/integration/netns.sh"
export HOME="$T/home" WINEPREFIX="$T/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$HOME"
# wineserver -k ends the server of this test's own prefix only
trap 'wineserver -k 2>/dev/null || true; netns_cleanup' EXIT
netns_guest "gnw-$$"

# A fresh prefix, made inside the namespace (Wine's network driver runs in a process wineboot
# starts) and a UTS namespace: wineboot records the host name in the registry, once.
ip netns exec "$NETNS" unshare --uts sh -c 'hostname gnw-agent-test && wineboot -i' \
	>"$T/wineboot.log" 2>&1 || fail "wineboot: $(cat "$T/wineboot.log")"

agent() { ip netns exec "$NETNS" "$wine" "$exe" "$@"; }

expect_status 0 agent --name 'VM 7'
out="$T/agent.xml"
cp "$T/stdout" "$out"
sed 's/^/    /' "$out"
guestnet validate -q "$out" || fail "the document does not validate: $(guestnet validate "$out" 2>&1)"
ok

expect_xp "$out" '/guestnet/guest/@os' windows
expect_xp "$out" '/guestnet/guest/@name' 'VM 7'
expect_xp "$out" '/guestnet/guest/@hostname' gnw-agent-test
expect_xp "$out" '/guestnet/guest/source/@kind' runtime
expect_xp "$out" '/guestnet/guest/source/@collected' 2026-11-23T07:00:00Z
# loopback never; docker0 and the veth-* peers by the default patterns
expect_xp "$out" 'count(//interface)' 4
for nic in eth0 eth1 eth2 eth3; do
	i="//interface[@name='$nic']"
	case $(xp "$out" "$i/@id") in
	\{[0-9A-F]*-*-*-*-*\}) ok ;;
	*) fail "$i/@id is '$(xp "$out" "$i/@id")', not an upper-case braced GUID" ;;
	esac
	expect_xp "$out" "$i/@type" ethernet
	expect_xp "$out" "$i/@dns-suffix" corp.example
	expect_xp "$out" "$i/ipv4/@mode" static
	expect_xp "$out" "$i/ipv4/dns/@ip" 10.10.0.53
	expect_xp "$out" "count($i/ipv4/address[@origin!='static'])" 0
done
e0="//interface[@name='eth0']"
e1="//interface[@name='eth1']"
e3="//interface[@name='eth3']"
expect_xp "$out" "$e0/@mac" 52:54:00:aa:00:01
expect_xp "$out" "$e0/@mtu" 9000
expect_xp "$out" "$e1/@mac" 52:54:00:aa:00:02
expect_xp "$out" "$e1/@mtu" 1500
expect_xp "$out" "//interface[@name='eth2']/@mac" 52:54:00:aa:00:03
expect_xp "$out" "$e3/@mac" 52:54:00:aa:00:04

# two IPv4 addresses on one NIC, each with its prefix; DHCP is off, so Wine's
# "DHCP-assigned" origins are taken for what they are: configured
expect_xp "$out" "count($e0/ipv4/address)" 2
expect_xp "$out" "$e0/ipv4/address[@ip='10.10.0.10']/@prefix" 24
expect_xp "$out" "$e0/ipv4/address[@ip='10.10.0.11']/@prefix" 24
expect_xp "$out" "$e1/ipv4/address/@ip" 192.168.50.10
expect_xp "$out" "//interface[@name='eth2']/ipv4/address[@ip='10.20.0.5']/@prefix" 16
expect_xp "$out" "$e3/ipv4/address[@ip='10.30.0.5']/@prefix" 24
# IPv6: the static address, the link-local one the kernel made, the servers; none on eth3
expect_xp "$out" "$e0/ipv6/@mode" auto
expect_xp "$out" "$e0/ipv6/address[@ip='2001:db8:10::10']/@prefix" 64
expect_xp "$out" "count($e0/ipv6/address[starts-with(@ip, 'fe80:')][@origin='link-local'])" 1
expect_xp "$out" "$e0/ipv6/dns/@ip" 2001:db8::53
expect_xp "$out" "$e3/ipv6/@mode" disabled
expect_xp "$out" "count($e3/ipv6/address)" 0

# gateways: the default routes' next hops, one per NIC that has one, their metrics in the
# namespace's order; not the static route's next hop, which Wine also lists among eth0's
# gateways (the routing table decides, not that list)
expect_xp "$out" 'count(//gateway)' 2
expect_xp "$out" "$e0/ipv4/gateway/@ip" 10.10.0.1
expect_xp "$out" "$e1/ipv4/gateway/@ip" 192.168.50.1
expect_xp "$out" "number($e0/ipv4/gateway/@metric) < number($e1/ipv4/gateway/@metric)" true
# static routes: the one through a router, naming its NIC; neither the connected subnets nor
# the default routes
expect_xp "$out" 'count(//route)' 1
expect_xp "$out" '//route/@family' ipv4
expect_xp "$out" '//route/@destination' 172.16.0.0
expect_xp "$out" '//route/@prefix' 12
expect_xp "$out" '//route/@gateway' 10.10.0.254
expect_xp "$out" '//route/@interface' "$(xp "$out" "$e0/@id")"

# name patterns: --include wins over --exclude and over the default patterns
expect_status 0 agent --exclude 'eth*' --include docker0
expect_xp "$T/stdout" 'count(//interface)' 1
expect_xp "$T/stdout" '//interface/@name' docker0
expect_xp "$T/stdout" '//interface/ipv4/address/@ip' 172.17.0.1
expect_status 0 agent --no-default-excludes
expect_xp "$T/stdout" 'count(//interface)' 10
expect_xp "$T/stdout" "count(//interface[@name='lo' or @type='loopback'])" 0

# -o: an existing file is replaced whole; a failed write leaves no temporary file behind
echo previous >"$T/out.xml"
expect_status 0 agent -o "$T/out.xml"
[ ! -s "$T/stdout" ] || fail "-o also wrote to standard output"
ok
guestnet validate -q "$T/out.xml" || fail "-o output does not validate"
ok
expect_xp "$T/out.xml" 'count(//interface)' 4
expect_status 74 agent -o "$T/no-such-dir/out.xml"
expect_stderr "cannot create a temporary file"
mkdir "$T/adir"
expect_status 74 agent -o "$T/adir"
[ -d "$T/adir" ] || fail "-o over a folder replaced it"
ok
leftover=$(find "$T" -maxdepth 1 \( -name '.out.xml.*' -o -name '.adir.*' \))
[ -z "$leftover" ] || fail "temporary files left behind: $leftover"
ok

expect_status 2 agent --no-such-option
expect_status 2 agent unexpected
expect_stderr "unexpected argument 'unexpected'"
expect_status 0 agent --version
grep -q '^guestnet-agent ' "$T/stdout" || fail "--version: $(cat "$T/stdout")"
ok
done_checks
