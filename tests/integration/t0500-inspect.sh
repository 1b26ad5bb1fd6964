#!/bin/sh
# guestnet inspect on real disk images built at test time with libguestfs (gn-mkimage, one
# appliance launch for all of them), inspected in ONE call (one more launch): Windows on NTFS
# (MBR, GPT, the system volume not first, the system on a second disk, two installations, the
# real hives of ../shared when present), each Linux configuration style on ext4, the formats
# qcow2, vmdk, vhdx and vhd, and bad inputs: an empty file, random bytes, a disk with no OS, a
# corrupt NTFS, an encrypted volume, and a qcow2 whose backing file is a host file, which must
# be refused and never opened (strace watches every open of the whole process tree).
. "$GN_TOP/tests/integration/lib.sh"
export LIBGUESTFS_BACKEND_SETTINGS=force_tcg
command -v strace >/dev/null || fail "strace is missing (packaging/deps.sh installs it)"

I="$T/img"
STYLES="netplan ifcfg-rhel ifcfg-suse debian networkmanager networkd"
mkdir -p "$I"
descs=$(ls "$GN_TOP"/fixtures/images/*.txt | grep -v '/demo-\|/backup-')
H="$GN_TOP/../shared/hives"
real=""
if [ -d "$H" ]; then
	for h in win81-dhcp win10-dhcp winxp-corrupt; do
		xz -dc "$H/$h-SYSTEM.xz" >"$T/$h.hive"
		cat >"$T/real-$h.txt" <<DESC
# the real $h hive on NTFS
disk real-$h.img size=64M table=mbr
part fs=ntfs size=rest
file part=1 path=/WINDOWS/system32/config/system src=$T/$h.hive
DESC
		real="$real $T/real-$h.txt"
	done
else
	echo "note: $H is absent: the real hives are not inspected"
fi
(cd "$GN_TOP" && gn-mkimage "$I" $descs $real) || fail "gn-mkimage failed"

# formats: the same content as qcow2, vmdk, vhdx and vhd (vpc)
qemu-img convert -O qcow2 "$I/win-mbr.img" "$I/win-mbr.qcow2"
qemu-img convert -O vmdk "$I/win-gpt-later.img" "$I/win-gpt-later.vmdk"
qemu-img convert -O vhdx "$I/linux-netplan.img" "$I/linux-netplan.vhdx"
qemu-img convert -O vpc "$I/linux-ifcfg-rhel.img" "$I/linux-ifcfg-rhel.vhd"

# bad inputs
: >"$I/empty.img"
head -c 4194304 /dev/urandom >"$I/random.img"
secret="$T/host-secret"
echo "host secret $$" >"$secret"
qemu-img create -q -f qcow2 -b "$secret" -F raw "$I/backing.qcow2" 1M

cat >"$T/batch" <<EOF2
# name<TAB>disks
win-mbr	$I/win-mbr.qcow2
win-gpt-later	$I/win-gpt-later.vmdk
win-two-disks	$I/win-two-disks-1.img,$I/win-two-disks-2.img
win-two-installs	$I/win-two-installs.img
EOF2
for s in $STYLES; do
	f="$I/linux-$s.img"
	[ "$s" = netplan ] && f="$I/linux-netplan.vhdx"
	[ "$s" = ifcfg-rhel ] && f="$I/linux-ifcfg-rhel.vhd"
	if [ -e "$f" ]; then printf 'linux-%s\t%s\n' "$s" "$f" >>"$T/batch"; fi
done
for h in $real; do
	n=$(basename "$h" .txt)
	printf '%s\t%s\n' "$n" "$I/$n.img" >>"$T/batch"
done
cat >>"$T/batch" <<EOF2
empty	$I/empty.img
random	$I/random.img
no-os	$I/no-os.img
corrupt-ntfs	$I/corrupt-ntfs.img
luks	$I/luks.img
backing	$I/backing.qcow2
EOF2

set +e
# LeakSanitizer cannot run under ptrace (it would exit 1 itself, which is the status wanted
# here): leaks are checked by the unit tests and the other runs
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
strace -f -qq -e trace=open,openat,openat2 -o "$T/trace" \
	guestnet inspect -q --batch "$T/batch" -o "$T/out.xml" 2>"$T/stderr"
rc=$?
set -e
cat "$T/stderr"
[ "$rc" = 1 ] || fail "guestnet inspect exited $rc, want 1 (some VMs failed)"
ok
guestnet validate -q "$T/out.xml" || fail "the document does not validate"
ok
if grep -q "$secret" "$T/trace"; then fail "the host file behind the qcow2 was opened"; fi
grep -q "$I/win-mbr.qcow2" "$T/trace" || fail "strace saw nothing (the check above would prove nothing)"
ok

g() { echo "/guestnet/guest[@name='$1']"; }
e() { echo "/guestnet/error[@name='$1']"; }

# the interfaces inspect finds are exactly those 'guestnet hive' finds in the same hive
same_as_hive() {  # VM FIXTURE
	gn-hivebuild "$GN_TOP/fixtures/hives/$2.txt" "$T/$2.hive"
	guestnet hive -o "$T/$2.xml" "$T/$2.hive"
	xmllint --xpath "/guestnet/guest/interface" "$T/$2.xml" >"$T/want"
	xmllint --xpath "$(g "$1")/interface" "$T/out.xml" >"$T/got" || fail "$1: no interfaces"
	diff -u "$T/want" "$T/got" || fail "$1: interfaces differ from guestnet hive's"
	ok
}
same_as_hive win-mbr static-nic
same_as_hive win-gpt-later dhcp-lease
same_as_hive win-two-disks several-nics
expect_xp "$T/out.xml" "$(g win-mbr)/source/@kind" registry
expect_xp "$T/out.xml" "$(g win-mbr)/source/@image" "$I/win-mbr.qcow2"
expect_xp "$T/out.xml" "$(g win-two-disks)/source/@image" "$I/win-two-disks-1.img,$I/win-two-disks-2.img"
# two installations: the one whose SYSTEM hive was written last, and a warning naming the other
expect_xp "$T/out.xml" "$(g win-two-installs)/@hostname" sql02
expect_xp "$T/out.xml" "count($(g win-two-installs)/warning[starts-with(., 'another operating system is installed on')])" 1

if [ -n "$real" ]; then
	expect_xp "$T/out.xml" "$(g real-win10-dhcp)/@hostname" DESKTOP-2KGM189
	expect_xp "$T/out.xml" "$(g real-win10-dhcp)/interface[@id='{5F3F359E-9D52-4566-9BEC-37EFDFB25ABE}']/ipv4/address/@ip" 192.168.146.128
	expect_xp "$T/out.xml" "$(g real-win81-dhcp)/@hostname" sensei
	expect_xp "$T/out.xml" "$(g real-win81-dhcp)/interface[@id='{B0E24C4B-50F2-4B60-BCB3-EF2C3FF3394E}']/@mac" 08:00:27:49:97:16
	expect_xp "$T/out.xml" "$(g real-winxp-corrupt)/@hostname" ginevra
fi

# Linux: the same settings the Linux collector reads from the fixture tree itself
for s in $STYLES; do
	[ -f "$GN_TOP/tests/data/linux/$s.xml" ] || continue
	expect_xp "$T/out.xml" "$(g linux-$s)/@os" linux
	expect_xp "$T/out.xml" "$(g linux-$s)/source/@kind" config-files
	xmllint --xpath "/guestnet/guest/interface" "$GN_TOP/tests/data/linux/$s.xml" >"$T/want"
	xmllint --xpath "$(g linux-$s)/interface" "$T/out.xml" >"$T/got" || fail "linux-$s: no interfaces"
	diff -u "$T/want" "$T/got" || fail "linux-$s: interfaces differ from the collector's on the tree"
	ok
done

# bad inputs: an <error> each, with the reason, and a line on standard error
expect_xp "$T/out.xml" "count(/guestnet/error)" 6
expect_xp "$T/out.xml" "contains($(e empty), 'empty')" true
expect_xp "$T/out.xml" "contains($(e random), 'no operating system found')" true
expect_xp "$T/out.xml" "contains($(e no-os), 'no operating system found')" true
expect_xp "$T/out.xml" "contains($(e corrupt-ntfs), 'no file system could be recognised')" true
expect_xp "$T/out.xml" "contains($(e luks), 'encrypted volume')" true
expect_xp "$T/out.xml" "contains($(e backing), 'backing file')" true
grep -q "VM 'backing'.*backing file" "$T/stderr" || fail "no message for the refused backing file"
ok
done_checks
