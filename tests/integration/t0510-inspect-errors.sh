#!/bin/sh
# guestnet inspect without an appliance to start (exit 69, libguestfs's reason and what to try),
# and its usage errors; no appliance is launched here.
. "$GN_TOP/tests/integration/lib.sh"

head -c 1048576 /dev/zero >"$T/disk.img"
expect_status 69 env LIBGUESTFS_BACKEND=direct LIBGUESTFS_HV=/bin/false guestnet inspect -q "$T/disk.img"
expect_stderr "appliance could not start"
expect_stderr "libguestfs-test-tool"
expect_status 2 guestnet inspect
expect_status 2 guestnet inspect --format floppy "$T/disk.img"
expect_status 2 guestnet inspect --name x "$T/disk.img" "$T/disk.img"
printf 'vm1\t%s\textra\n' "$T/disk.img" >"$T/batch"
expect_status 65 guestnet inspect --batch "$T/batch"
expect_stderr "line 1"
expect_status 74 guestnet inspect --batch "$T/no-such-batch"
# every disk refused before any launch: the document holds the errors, exit 65
qemu-img create -q -f qcow2 -b /etc/hostname -F raw "$T/b.qcow2" 1M
expect_status 65 guestnet inspect -q -o "$T/out.xml" "$T/b.qcow2"
expect_xp "$T/out.xml" "count(/guestnet/error)" 1
done_checks
