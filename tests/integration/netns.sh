# netns.sh: a network namespace set up like a guest's network, for the agents' tests (source it
# after lib.sh).  netns_guest NAME makes it; it is removed at exit.  Needs root; the caller skips
# without.  veth pairs stand in for NICs (this kernel has no dummy or VLAN links); each NIC's
# peer is named veth-* so that the agent's default patterns leave it out.
#
#   eth0  up, MTU 9000, 52:54:00:aa:00:01: 10.10.0.10/24 and 10.10.0.11/24 (a second address),
#         2001:db8:10::10/64; default routes via 10.10.0.1 metric 100 and 2001:db8:10::1
#         metric 200; static routes 172.16.0.0/12 via 10.10.0.254 and 2001:db8:99::/48 via
#         2001:db8:10::254 metric 50
#   eth1  up, 52:54:00:aa:00:02: 192.168.50.10/24 with a lifetime (as a DHCP client leaves it),
#         default route via 192.168.50.1 metric 300 proto dhcp
#   eth2  down, 52:54:00:aa:00:03: 10.20.0.5/16
#   eth3  up, 52:54:00:aa:00:04, IPv6 switched off: 10.30.0.5/24, on-link route 10.31.0.0/16
#   docker0  up: container plumbing, left out by default
#   /etc/netns/NAME/resolv.conf: servers 10.10.0.53 and 2001:db8::53, search corp.example lab.example

NETNS=""
netns_cleanup() {
	[ -n "$NETNS" ] && ip netns del "$NETNS" 2>/dev/null
	[ -n "$NETNS" ] && rm -rf "/etc/netns/$NETNS"
	rm -rf "$T"
}
trap netns_cleanup EXIT

# netns_nic NAME MAC: a veth NIC with its peer veth-NAME, both in $NETNS, peer up
netns_nic() {
	ip -n "$NETNS" link add "$1" type veth peer name "veth-$1"
	ip -n "$NETNS" link set "$1" address "$2"
	ip -n "$NETNS" link set "veth-$1" up
}

netns_guest() {
	NETNS=$1
	ip netns add "$NETNS"
	ip -n "$NETNS" link set lo up
	netns_nic eth0 52:54:00:aa:00:01
	netns_nic eth1 52:54:00:aa:00:02
	netns_nic eth2 52:54:00:aa:00:03
	netns_nic eth3 52:54:00:aa:00:04
	netns_nic docker0 02:42:ac:11:00:01
	ip netns exec "$NETNS" sysctl -q -w net.ipv6.conf.eth3.disable_ipv6=1

	ip -n "$NETNS" link set eth0 mtu 9000 up
	ip -n "$NETNS" addr add 10.10.0.10/24 dev eth0
	ip -n "$NETNS" addr add 10.10.0.11/24 dev eth0
	ip -n "$NETNS" addr add 2001:db8:10::10/64 dev eth0 nodad
	ip -n "$NETNS" route add default via 10.10.0.1 dev eth0 metric 100
	ip -n "$NETNS" -6 route add default via 2001:db8:10::1 dev eth0 metric 200
	ip -n "$NETNS" route add 172.16.0.0/12 via 10.10.0.254 dev eth0
	ip -n "$NETNS" -6 route add 2001:db8:99::/48 via 2001:db8:10::254 dev eth0 metric 50

	ip -n "$NETNS" link set eth1 up
	ip -n "$NETNS" addr add 192.168.50.10/24 dev eth1 valid_lft 3600 preferred_lft 3600
	ip -n "$NETNS" route add default via 192.168.50.1 dev eth1 metric 300 proto dhcp

	ip -n "$NETNS" addr add 10.20.0.5/16 dev eth2
	ip -n "$NETNS" link set eth2 down

	ip -n "$NETNS" link set eth3 up
	ip -n "$NETNS" addr add 10.30.0.5/24 dev eth3
	ip -n "$NETNS" route add 10.31.0.0/16 dev eth3

	ip -n "$NETNS" link set docker0 up
	ip -n "$NETNS" addr add 172.17.0.1/16 dev docker0

	mkdir -p "/etc/netns/$NETNS"
	printf 'nameserver 10.10.0.53\nnameserver 2001:db8::53\nsearch corp.example lab.example\n' \
		>"/etc/netns/$NETNS/resolv.conf"
	# IPv6 link-local addresses appear once DAD has run on the links that are up
	i=0
	while [ $i -lt 50 ] && ip -n "$NETNS" -6 addr show tentative | grep -q inet6; do
		sleep 0.1
		i=$((i + 1))
	done
}
