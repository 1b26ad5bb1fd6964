#!/bin/sh
# inspect.sh BUILD: 'guestnet inspect' on 1 and on 8 Windows disk images (each in one call,
# so one appliance launch), against libguestfs's own virt-win-reg reading the Tcpip Interfaces
# key of the same 8 images one by one; ratios from one run.  Targets (issue 3): 8 images cost
# at most 1.5x one image; 8 images at least 5x faster than 8 virt-win-reg calls.
set -eu
B=${1:-build}
export LIBGUESTFS_BACKEND_SETTINGS=force_tcg
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# one Windows image (SYSTEM and SOFTWARE hives and a cmd.exe on NTFS, so that libguestfs
# inspection, which virt-win-reg needs, recognizes it), then 8 copies of it: 8 distinct files,
# as 8 VMs would be
"$B/bin/gn-mkimage" "$T" fixtures/images/demo-windows.txt
mv "$T/demo-windows.img" "$T/bench.img"
for i in 1 2 3 4 5 6 7 8; do cp "$T/bench.img" "$T/vm$i.img"; done

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

t0=$(date +%s%N)
"$B/bin/guestnet" inspect -q "$T/vm1.img" >"$T/one.xml"
t1=$(date +%s%N)
"$B/bin/guestnet" inspect -q "$T"/vm[1-8].img >"$T/eight.xml"
t2=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8; do
	virt-win-reg --format=raw "$T/vm$i.img" \
		'HKLM\SYSTEM\ControlSet001\Services\Tcpip\Parameters\Interfaces' >"$T/vwr$i.reg"
done
t3=$(date +%s%N)

n=$(grep -c '<guest ' "$T/eight.xml")
[ "$n" = 8 ] || echo "bench: guestnet inspect found $n guests in 8 images" >&2
grep -q 'Interfaces' "$T/vwr8.reg" || echo "bench: virt-win-reg printed no Interfaces key" >&2
one=$(secs "$t0" "$t1") eight=$(secs "$t1" "$t2") vwr=$(secs "$t2" "$t3")
echo "guestnet inspect, 1 image:      $one s"
echo "guestnet inspect, 8 images:     $eight s   (8 images / 1 image = $(awk -v a="$eight" -v b="$one" 'BEGIN { printf "%.2f", a / b }'); target <= 1.5)"
echo "virt-win-reg, 8 images:         $vwr s   (virt-win-reg / guestnet = $(awk -v a="$vwr" -v b="$eight" 'BEGIN { printf "%.1f", a / b }'); target >= 5)"
