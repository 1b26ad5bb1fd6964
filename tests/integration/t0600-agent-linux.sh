#!/bin/sh
# guestnet-agent on Linux, in a network namespace made like a guest's network (netns.sh): the
# document is validated and compared byte for byte with tests/data/agent/linux-netns.xml, after
# checking the one value that moves (the DHCP lease's expiry, then set to a fixed time); then
# the name patterns, the systemd-resolved stub, -o, and running without root.
. "$GN_TOP/tests/integration/lib.sh"
[ "$(id -u)" = 0 ] || skip "network namespaces need root"
command -v ip >/dev/null || skip "no ip (iproute2)"
. "$GN_TOP/tests/integration/netns.sh"
netns_guest "gn-agent-$$"

# agent ARGS...: the agent in the namespace, with its own host name (a UTS namespace)
agent() {
	ip netns exec "$NETNS" unshare --uts sh -c \
		'hostname app-01.corp.example && exec "$0" "$@"' "$GN_BUILD/bin/guestnet-agent" "$@"
}

t0=$(date +%s)
agent >"$T/agent.xml" || fail "guestnet-agent exited $?"
t1=$(date +%s)
guestnet validate -q "$T/agent.xml" || fail "the agent's document does not validate"
ok
# eth1's address has a 3600 s lifetime: the lease expires an hour after the run
exp=$(xp "$T/agent.xml" "/guestnet/guest/interface[@id='eth1']/ipv4/lease/@expires")
exp_s=$(date -u -d "$(echo "$exp" | sed 's/T/ /; s/Z$//')" +%s) || fail "lease expiry '$exp'"
[ "$exp_s" -ge $((t0 + 3590)) ] && [ "$exp_s" -le $((t1 + 3600)) ] ||
	fail "lease expires $exp, want about an hour after $(date -u -d @"$t0")"
ok
sed 's/expires="[^"]*"/expires="2000-01-01T00:00:00Z"/' "$T/agent.xml" >"$T/agent-stable.xml"
compare_golden "$T/agent-stable.xml" "$GN_TOP/tests/data/agent/linux-netns.xml"

# patterns: include what the defaults leave out, exclude by name
agent --include docker0 --exclude 'eth[23]' --exclude 'eth?' >"$T/p.xml"
expect_xp "$T/p.xml" "count(//interface)" 1
expect_xp "$T/p.xml" "//interface/@id" docker0
agent --no-default-excludes >"$T/all.xml"
expect_xp "$T/all.xml" "count(//interface)" 10
expect_xp "$T/all.xml" "count(//interface[@id='lo'])" 0
expect_status 2 agent --frobnicate
expect_status 2 agent stray-argument

# systemd-resolved's stub is followed to the real list
mkdir -p "$T/root/etc" "$T/root/run/systemd/resolve"
printf 'nameserver 127.0.0.53\noptions edns0\nsearch stub.example\n' >"$T/root/etc/resolv.conf"
printf 'nameserver 10.99.0.1\nnameserver 10.99.0.2\nsearch real.example\n' \
	>"$T/root/run/systemd/resolve/resolv.conf"
agent --root "$T/root" >"$T/stub.xml"
expect_xp "$T/stub.xml" "count(/guestnet/guest/dns)" 2
expect_xp "$T/stub.xml" "/guestnet/guest/dns[2]/@ip" 10.99.0.2
expect_xp "$T/stub.xml" "/guestnet/guest/search/@domain" real.example
rm "$T/root/run/systemd/resolve/resolv.conf"
agent --root "$T/root" >"$T/nostub.xml"
expect_xp "$T/nostub.xml" "count(/guestnet/guest/dns)" 1
grep -q "systemd-resolved's stub" "$T/nostub.xml" || fail "no warning for an unreadable stub target"
ok

# -o: atomic, and a failed write is exit 74 with the old file kept
echo previous >"$T/out.xml"
agent -o "$T/out.xml"
cmp -s "$T/out.xml" "$T/agent.xml" || guestnet validate -q "$T/out.xml" || fail "-o output"
ok
expect_status 74 agent -o "$T/no-such-dir/out.xml"
[ -z "$(find "$T" -name '.out.xml.*')" ] || fail "temporary files left behind"
ok

# no root needed: the same document as an unprivileged user
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	ip netns exec "$NETNS" unshare --uts sh -c 'hostname app-01.corp.example &&
		exec setpriv --reuid=nobody --regid=nogroup --clear-groups "$0"' \
		"$GN_BUILD/bin/guestnet-agent" >"$T/nobody.xml" || fail "the agent fails without root"
	sed 's/expires="[^"]*"/expires="2000-01-01T00:00:00Z"/' "$T/nobody.xml" | cmp -s - "$T/agent-stable.xml" ||
		fail "without root the document differs: $(diff "$T/agent-stable.xml" "$T/nobody.xml")"
	ok
fi
done_checks
