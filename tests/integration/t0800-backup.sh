#!/bin/sh
# guestnet record and export on backups built here (one libguestfs launch to make the disks,
# one to export): a folder with a qcow2 base and two overlays, the newest changing the hive; an
# OVA with a stream-optimized VMDK and a descriptor naming two NICs; recorded settings that
# match (runtime and registry merged) and that no longer match; and bad backups, refused before
# any launch: a backing file outside the folder (never opened: strace watches), a missing
# backing file, a truncated archive, an OVF with a DOCTYPE, an OVF naming a disk the archive
# lacks.
. "$GN_TOP/tests/integration/lib.sh"
export LIBGUESTFS_BACKEND_SETTINGS=force_tcg
command -v strace >/dev/null || fail "strace is missing (packaging/deps.sh installs it)"

I="$T/img"
OVF_DISK=WKS-WIN732BITA-disk1.vmdk
(cd "$GN_TOP" && gn-mkimage "$I" fixtures/images/backup-a.txt fixtures/images/backup-b.txt) ||
	fail "gn-mkimage failed"
cd "$T"

# a folder: base, an empty overlay, and the newest overlay holding the changed VM's bytes
mkdir chain
qemu-img convert -O qcow2 "$I/backup-a.img" chain/base.qcow2
qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 chain/inc1.qcow2
qemu-img convert -O qcow2 -B inc1.qcow2 -F qcow2 "$I/backup-b.img" chain/inc2.qcow2

# an OVA: the descriptor first, then the disk
mkdir ova
cp "$GN_TOP/tests/data/ovf/vmware.ovf" ova/vm.ovf
qemu-img convert -O vmdk -o subformat=streamOptimized "$I/backup-a.img" "ova/$OVF_DISK"
(cd ova && tar --format=ustar -cf ../vm.ova vm.ovf "$OVF_DISK")
cp vm.ova rec.ova

# recorded: the agent's and the registry's settings of the OVA's VM, merged
expect_status 0 guestnet record rec.ova "$GN_TOP/tests/data/backup/runtime.xml" \
	"$GN_TOP/tests/data/hive/static-nic.xml"
expect_stderr "recorded the settings of 'WKS-WIN732BITA' for 1 image in 'rec.ova.guestnet.xml'"
expect_status 0 guestnet validate rec.ova.guestnet.xml
expect_xp rec.ova.guestnet.xml "/guestnet/backup/@kind" ova
# the checksum of the member's bytes, which are the disk file tar was given
expect_xp rec.ova.guestnet.xml "/guestnet/backup/image/@sha256" \
	"$(sha256sum "ova/$OVF_DISK" | cut -d' ' -f1)"
# recorded, then changed: one byte in the free space of a raw image
cp "$I/backup-a.img" stale.img
expect_status 0 guestnet record -q stale.img "$GN_TOP/tests/data/hive/static-nic.xml"
printf 'x' | dd of=stale.img bs=1 seek=7340032 conv=notrunc status=none
# recorded with the VM's inventory name, which the export keeps
cp "$I/backup-a.img" named.img
sed 's/<guest os="windows"/<guest os="windows" name="inventory-VM-42"/' \
	"$GN_TOP/tests/data/backup/runtime.xml" >named.xml
expect_status 0 guestnet record -q named.img named.xml

# one export, one launch: inspected (chain, vm.ova, stale.img) and recorded (rec.ova)
expect_status 0 guestnet export -o out.xml chain vm.ova rec.ova stale.img named.img
expect_stderr "'chain': no recorded settings; inspecting its images"
expect_stderr "'vm.ova': no recorded settings; inspecting its images"
expect_stderr "'rec.ova': recorded settings (they match its 1 image)"
expect_stderr "'stale.img': the recorded settings were not used: 'stale.img' changed since they were recorded"
expect_status 0 guestnet validate out.xml
expect_xp out.xml "count(/guestnet/guest)" 5
# the chain: the newest overlay's hive (DHCP), the backing files read inside the folder
g='/guestnet/guest[1]'
expect_xp out.xml "$g/@name" chain
expect_xp out.xml "$g/@hostname" DESKTOP-TEST01
expect_xp out.xml "$g/source/@kind" backup
expect_xp out.xml "$g/source/@origin" registry
expect_xp out.xml "$g/source/@image" chain/inc2.qcow2
expect_xp out.xml "$g/interface[@mac='00:0c:29:f3:ff:de']/ipv4/@mode" dhcp
# the OVA, read in place: the descriptor's name, its networks joined by MAC
g='/guestnet/guest[2]'
expect_xp out.xml "$g/@name" WKS-WIN732BITA
expect_xp out.xml "$g/source/@image" "vm.ova:$OVF_DISK"
expect_xp out.xml "$g/interface[@mac='00:50:56:a5:12:69']/@network" Prod-10
expect_xp out.xml "$g/interface[@mac='00:50:56:a5:12:69']/ipv4/address/@ip" 10.3.58.5
expect_xp out.xml "$g/warning" "the OVF descriptor's NIC 00:50:56:a5:7e:01 on network 'Backup VLAN 58' matches no interface of the guest"
# recorded: runtime wins (its IPv6), the registry fills in (name, WINS-less runtime ipv4 kept)
g='/guestnet/guest[3]'
expect_xp out.xml "$g/@name" WKS-WIN732BITA
expect_xp out.xml "count($g/source[@kind='backup'])" 2
expect_xp out.xml "$g/source[1]/@origin" runtime
expect_xp out.xml "$g/source[2]/@origin" registry
expect_xp out.xml "$g/interface/@from" runtime
expect_xp out.xml "$g/interface/@name" "Local Area Connection 2"
expect_xp out.xml "$g/interface/@network" Prod-10
expect_xp out.xml "$g/interface/ipv6/@from" runtime
expect_xp out.xml "$g/interface/ipv6/address/@ip" 2001:db8:58::5
# the stale record was not used: inspected, and the guest says why
g='/guestnet/guest[4]'
expect_xp out.xml "$g/@name" stale
expect_xp out.xml "$g/source/@origin" registry
expect_xp out.xml "count($g/warning[starts-with(., 'the recorded settings were not used')])" 1
g='/guestnet/guest[5]'
expect_xp out.xml "$g/@name" inventory-VM-42
expect_xp out.xml "$g/source/@origin" runtime
[ ! -e "$T"/guestnet-export.* ] || fail "export left its private folder behind"
ok

# bad backups: refused before any launch, each with its reason
secret="$T/host-secret"
echo "host secret $$" >"$secret"
mkdir outside missing
qemu-img create -q -f qcow2 -b "$secret" -F raw outside/inc.qcow2 1M
qemu-img create -q -f qcow2 missing/base.qcow2 1M
qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 missing/inc.qcow2
rm missing/base.qcow2
head -c 3000 vm.ova >cut.ova
(cd ova && tar --format=ustar -cf ../nodisk.ova vm.ovf)
mkdir dt
printf '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "%s">]>\n<Envelope>&e;</Envelope>\n' \
	"$secret" >dt/vm.ovf
(cd dt && tar -cf ../doctype.ova vm.ovf)

set +e
# LeakSanitizer cannot run under ptrace (it would exit 1 itself): leaks are checked elsewhere
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
strace -f -qq -e trace=open,openat,openat2 -o "$T/trace" guestnet export -o bad.xml outside \
	>/dev/null 2>"$T/stderr"
rc=$?
set -e
[ "$rc" = 65 ] || fail "export of a backing file outside the folder exited $rc, want 65"
expect_stderr "outside/inc.qcow2': backing file '$secret' resolves to '$secret', outside the allowed folder 'outside'"
! grep -q "host-secret" "$T/trace" || fail "the host file was opened: $(grep host-secret "$T/trace")"
ok
expect_status 65 guestnet export missing
expect_stderr "base.qcow2"
expect_status 65 guestnet export cut.ova
expect_stderr "'cut.ova': truncated archive"
expect_status 65 guestnet export nodisk.ova
expect_stderr "names disk file '$OVF_DISK', which is not in the archive"
expect_status 65 guestnet export doctype.ova
expect_stderr "DOCTYPE is not allowed"
expect_status 65 guestnet record doctype.ova "$GN_TOP/tests/data/hive/static-nic.xml"
expect_stderr "DOCTYPE is not allowed"
# one bad backup among good ones: the others are still written (exit 1)
expect_status 1 guestnet export -o partial.xml rec.ova cut.ova
expect_xp partial.xml "count(/guestnet/guest)" 1
expect_xp partial.xml "/guestnet/error/@image" cut.ova
# record refuses what is not one VM's settings
expect_status 65 guestnet record rec.ova "$GN_TOP/tests/data/backup/runtime.xml" \
	"$GN_TOP/tests/data/backup/runtime.xml"
expect_stderr "a second runtime document"
expect_status 65 guestnet record rec.ova "$GN_TOP/tests/data/settings/linux-batch.xml"
expect_stderr "a backup is of one VM"
expect_status 2 guestnet record rec.ova
done_checks
