#!/bin/sh
# export.sh BUILD: 'guestnet export' of an OVA and of a folder holding a 10-overlay qcow2 chain,
# against 'guestnet inspect' of the same images given directly (the disk file the OVA was made
# from; the chain's newest overlay with --backing-dir); one run, best of 3 each.  Target
# (issue 6): reading the container costs under 10% of the inspection.  Also: export when
# recorded settings match (checksums only, no appliance).
set -eu
B=${1:-build}
export LIBGUESTFS_BACKEND_SETTINGS=force_tcg
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
G="$B/bin/guestnet"

# the VM of fixtures/images/backup-a.txt and its changed self, on 256 MiB disks
for v in a b; do
	sed "s/size=8M/size=256M/" "fixtures/images/backup-$v.txt" >"$T/backup-$v.txt"
done
"$B/bin/gn-mkimage" "$T" "$T/backup-a.txt" "$T/backup-b.txt" >/dev/null

# a folder: base and 10 overlays, each holding what differs from the one below (a, b, a, ...)
mkdir "$T/chain"
qemu-img convert -O qcow2 "$T/backup-a.img" "$T/chain/base.qcow2"
prev=base
for i in 1 2 3 4 5 6 7 8 9 10; do
	v=$([ $((i % 2)) = 1 ] && echo b || echo a)
	qemu-img convert -O qcow2 -B "$prev.qcow2" -F qcow2 "$T/backup-$v.img" "$T/chain/inc$i.qcow2"
	prev=inc$i
done
# an OVA: descriptor and a stream-optimized VMDK of the same VM
mkdir "$T/ova"
cp tests/data/ovf/vmware.ovf "$T/ova/vm.ovf"
qemu-img convert -O vmdk -o subformat=streamOptimized "$T/backup-a.img" \
	"$T/ova/WKS-WIN732BITA-disk1.vmdk"
(cd "$T/ova" && tar --format=ustar -cf ../vm.ova vm.ovf WKS-WIN732BITA-disk1.vmdk)

now() { date +%s%N; }
# best3 CMD...: the best wall time of three runs, in nanoseconds
best3() {
	best=
	for _ in 1 2 3; do
		t0=$(now)
		"$@" >"$T/out.xml" 2>/dev/null || echo "bench: '$*' failed" >&2
		t=$(($(now) - t0))
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
	done
	echo "$best"
}
secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (a - b) * 100 / b }'; }

ins_chain=$(best3 "$G" inspect -q --backing-dir "$T/chain" "$T/chain/inc10.qcow2")
exp_chain=$(best3 "$G" export -q "$T/chain")
ins_ova=$(best3 "$G" inspect -q "$T/ova/WKS-WIN732BITA-disk1.vmdk")
exp_ova=$(best3 "$G" export -q "$T/vm.ova")
grep -q 'network="Prod-10"' "$T/out.xml" || echo "bench: the OVA's export lacks its network" >&2
"$G" export -q "$T/vm.ova" >"$T/exp.xml"
"$G" record -q "$T/vm.ova" "$T/exp.xml"
rec_ova=$(best3 "$G" export -q "$T/vm.ova")
grep -q 'origin="registry"' "$T/out.xml" || echo "bench: the recorded export is not the record" >&2

printf '%-34s %12s %12s %10s\n' "backup (256 MiB disk)" "inspect s" "export s" overhead
printf '%-34s %12s %12s %10s\n' "folder, base + 10 qcow2 overlays" "$(secs "$ins_chain")" \
	"$(secs "$exp_chain")" "$(pct "$exp_chain" "$ins_chain")"
printf '%-34s %12s %12s %10s\n' "OVA, stream-optimized VMDK" "$(secs "$ins_ova")" \
	"$(secs "$exp_ova")" "$(pct "$exp_ova" "$ins_ova")"
echo "(target: export costs under 10% more than inspecting the same images; best of 3 each)"
echo "OVA with matching recorded settings: $(secs "$rec_ova") s (checksums, no appliance)"
du -b "$T/vm.ova" | awk '{ printf "OVA size: %.1f MiB\n", $1 / 1048576 }'
