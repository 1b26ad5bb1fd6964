#!/bin/sh
# agent.sh BUILD: guestnet-agent in a network namespace with 50 interfaces and 500 routes,
# against iproute2 reading the same (ip -j address show, then ip -j route show: what the agent
# reads, printed as JSON), side by side in one run; then the agent's peak RSS and its stripped
# size.  Targets (issue 4): at most 2x iproute2's wall time, under 4 MiB peak RSS, under 200 KiB
# stripped.  A benchmark, not a test: it asserts nothing.
set -eu
B=${1:-build}
RUNS=${RUNS:-200}

# mean wall time of RUNS runs, in microseconds
mean_us() {
	start=$(date +%s%N)
	i=0
	while [ $i -lt "$RUNS" ]; do
		"$@" >/dev/null
		i=$((i + 1))
	done
	echo $(( ($(date +%s%N) - start) / RUNS / 1000 ))
}
iproute() { ip -j address show && ip -j route show; }

# the second half, run inside the namespace: AGENT
if [ "${2:-}" = --inside ]; then
	echo "$(mean_us "$3" --no-default-excludes) $(mean_us iproute)"
	exit 0
fi

[ "$(id -u)" = 0 ] || { echo "bench: the agent benchmark needs root (network namespaces)" >&2; exit 0; }
NS=gn-bench-$$
T=$(mktemp -d)
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$T"' EXIT

# 25 veth pairs, both ends in the namespace: 50 interfaces, each up with an IPv4 address, the
# eth* ends also with IPv6; 500 static routes over the 25 eth* ends, 20 each
ip netns add "$NS"
{
	echo "link set lo up"
	i=0
	while [ $i -lt 25 ]; do
		echo "link add eth$i type veth peer name p$i"
		echo "link set eth$i up"
		echo "link set p$i up"
		echo "addr add 10.$((100 + i)).0.1/24 dev eth$i"
		echo "addr add 10.$((150 + i)).0.1/24 dev p$i"
		echo "addr add 2001:db8:$i::1/64 dev eth$i nodad"
		i=$((i + 1))
	done
	i=0
	while [ $i -lt 500 ]; do
		n=$((i % 25))
		echo "route add 172.$((16 + i / 250)).$((i % 250)).0/24 via 10.$((100 + n)).0.254 dev eth$n"
		i=$((i + 1))
	done
} >"$T/batch"
ip -n "$NS" -batch "$T/batch"

cp "$B/bin/guestnet-agent" "$T/agent"
strip "$T/agent"
ip netns exec "$NS" "$T/agent" --no-default-excludes >"$T/out.xml"
links=$(grep -c '<interface ' "$T/out.xml")
routes=$(grep -c '<route ' "$T/out.xml")
set -- $(ip netns exec "$NS" sh "$0" "$B" --inside "$T/agent")
ag=$1 ipr=$2
rss=$(ip netns exec "$NS" /usr/bin/time -f %M "$T/agent" --no-default-excludes 2>&1 >/dev/null | tail -n 1)
size=$(stat -c %s "$T/agent")

ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
echo "namespace: the agent reports $links interfaces and $routes static routes"
echo "guestnet-agent:                     $(ms "$ag") ms"
echo "ip -j address show + ip -j route:   $(ms "$ipr") ms"
echo "agent / iproute2:                   $(awk -v a="$ag" -v b="$ipr" 'BEGIN { printf "%.2f", a / b }')   (target <= 2)"
echo "agent peak RSS:                     $(awk -v k="$rss" 'BEGIN { printf "%.2f", k / 1024 }') MiB   (target < 4)"
echo "agent stripped size:                $(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1024 }') KiB   (target < 200)"
echo "(mean of $RUNS runs each)"
