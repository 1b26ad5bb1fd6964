#!/bin/sh
# deps.sh: install the Debian packages guestnet needs to build and test, when they are missing.
#
#   packaging/deps.sh           build and test dependencies
#   packaging/deps.sh --bench   also the peer tools the benchmarks compare against
#
# It says what it installs, and does nothing when everything is present.  Installing needs root
# (or sudo); without either it names the missing packages and fails.
set -eu

BUILD="gcc make pkg-config libxml2-dev libhivex-dev libguestfs-dev libaugeas-dev libyaml-dev libcmocka-dev libxml2-utils libmnl-dev gcc-mingw-w64-x86-64"
# the libguestfs appliance is built from the host's packages: it needs a kernel, and ntfs-3g,
# cryptsetup and lvm2 to read NTFS, LUKS and LVM volumes
# the agent's tests: network namespaces (iproute2), the Windows agent under wine
TEST="xz-utils qemu-utils libguestfs-tools linux-image-amd64 ntfs-3g cryptsetup-bin lvm2 strace iproute2 wine wine64"
BENCH="reglookup regripper"

want="$BUILD $TEST"
[ "${1:-}" = "--bench" ] && want="$want $BENCH"

missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps.sh: not root and no sudo: install these packages and retry:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# a fresh machine has no package lists yet
$SUDO apt-get update -q >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >&2
