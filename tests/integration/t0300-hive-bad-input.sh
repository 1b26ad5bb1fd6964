#!/bin/sh
# Bad hives: each gives a clear message and exit 65 (or 74 for I/O), or a <warning> in a document
# that still validates; never a crash or a hang.  (Bit flips and cyclic key structures are also
# exercised in-process, under the sanitizers, by tests/unit/test-hive.c.)
. "$GN_TOP/tests/integration/lib.sh"

gn-hivebuild "$GN_TOP/fixtures/hives/static-nic.txt" "$T/good.hive"

# empty, random, a regf signature followed by garbage, a folder, a missing file
: >"$T/empty"
expect_status 65 guestnet hive "$T/empty"
expect_stderr "empty file"
head -c 65536 /dev/urandom >"$T/random"
expect_status 65 guestnet hive "$T/random"
expect_stderr "not a registry hive"
{ printf regf; head -c 65536 /dev/urandom; } >"$T/regf-garbage"
expect_status 65 guestnet hive "$T/regf-garbage"
expect_stderr "damaged registry hive"
expect_status 65 guestnet hive "$T"
expect_stderr "not a regular file"
expect_status 74 guestnet hive "$T/no-such-file"
expect_stderr "No such file"

# a hive that is not a SYSTEM hive (a SOFTWARE hive has no Select key)
printf '[Microsoft\\Windows NT\\CurrentVersion]\n"ProductName"="Windows 10 Pro"\n' >"$T/software.txt"
gn-hivebuild "$T/software.txt" "$T/software.hive"
expect_status 65 guestnet hive "$T/software.hive"
expect_stderr "not a SYSTEM hive"
printf '[Select]\n"Current"=dword:00000007\n' >"$T/noset.txt"
gn-hivebuild "$T/noset.txt" "$T/noset.hive"
expect_status 65 guestnet hive "$T/noset.hive"
expect_stderr "names no existing control set"

# truncated at several lengths: refused, or read with what survives
size=$(stat -c %s "$T/good.hive")
for len in 4 4096 4100 8191 8192 $((size / 2)) $((size - 4096)) $((size - 1)); do
	head -c "$len" "$T/good.hive" >"$T/trunc"
	set +e
	guestnet hive -o "$T/trunc.xml" "$T/trunc" 2>"$T/stderr"
	rc=$?
	set -e
	case $rc in
	0) guestnet validate -q "$T/trunc.xml" || fail "truncated at $len: invalid output" ;;
	65) grep -q "hive" "$T/stderr" || fail "truncated at $len: unclear message: $(cat "$T/stderr")" ;;
	*) fail "truncated at $len: exit $rc" ;;
	esac
	ok
done

# a value larger than GN_MAX_VALUE_BYTES (4 MiB): a warning, and the rest is read
{
	printf '[Select]\n"Current"=dword:00000001\n[ControlSet001\\Services\\Tcpip\\Parameters]\n'
	printf '"Domain"="'; head -c 2500000 /dev/zero | tr '\0' 'a'; printf '"\n'
	printf '"Hostname"="big"\n'
} >"$T/big.txt"
gn-hivebuild "$T/big.txt" "$T/big.hive"
guestnet hive -o "$T/big.xml" "$T/big.hive"
expect_xp "$T/big.xml" "/guestnet/guest/@hostname" big
expect_xp "$T/big.xml" "count(/guestnet/guest/@domain)" 0
expect_xp "$T/big.xml" "count(/guestnet/guest/warning[contains(., \"value 'Domain' is too large\")])" 1

# a name server list of 100,000 entries: the first GN_MAX_DNS (32) kept, with a warning
{
	printf '[Select]\n"Current"=dword:00000001\n'
	printf '[ControlSet001\\Services\\Tcpip\\Parameters\\Interfaces\\{12345678-1234-1234-1234-123456789ABC}]\n'
	printf '"EnableDHCP"=dword:00000000\n"NameServer"="'
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%s10.%d.%d.%d", i ? "," : "", int(i / 65536), int(i / 256) % 256, i % 256 }'
	printf '"\n'
} >"$T/many.txt"
gn-hivebuild "$T/many.txt" "$T/many.hive"
guestnet hive -o "$T/many.xml" "$T/many.hive"
i="/guestnet/guest/interface"
expect_xp "$T/many.xml" "count($i/ipv4/dns)" 32
expect_xp "$T/many.xml" "$i/ipv4/dns[1]/@ip" 10.0.0.0
expect_xp "$T/many.xml" "$i/ipv4/dns[32]/@ip" 10.0.0.31
expect_xp "$T/many.xml" "count(/guestnet/guest/warning[contains(., 'more than 32 servers')])" 1

# invalid UTF-16 and values of the wrong type: warnings (the golden file has them all)
gn-hivebuild "$GN_TOP/fixtures/hives/bad-values.txt" "$T/bad-values.hive"
guestnet hive -o "$T/bad.xml" "$T/bad-values.hive"
expect_xp "$T/bad.xml" "count(/guestnet/guest/@hostname)" 0
expect_xp "$T/bad.xml" "count(/guestnet/guest/warning[contains(., \"value 'Hostname' is not valid UTF-16\")])" 1

# one bad hive among good ones: the good ones are written, exit 1
expect_status 1 guestnet hive -o "$T/partial.xml" "$T/good.hive" "$T/random" "$T/bad-values.hive"
expect_stderr "not a registry hive"
expect_xp "$T/partial.xml" "count(/guestnet/guest)" 2
expect_xp "$T/partial.xml" "count(/guestnet/error)" 1
expect_xp "$T/partial.xml" "/guestnet/error/@image" "$T/random"
expect_xp "$T/partial.xml" "contains(/guestnet/error, 'not a registry hive')" true
# all bad: the document holds only the errors, and the exit status is the hive's
expect_status 65 guestnet hive -o "$T/none.xml" "$T/random"
expect_xp "$T/none.xml" "count(/guestnet/guest)" 0
expect_xp "$T/none.xml" "count(/guestnet/error)" 1

# bit flips through the CLI (thousands more run in-process in test-hive)
i=0
while [ $i -lt 60 ]; do
	off=$(( (i * 7919 + 4096) % size ))
	cp "$T/good.hive" "$T/flip"
	printf '\377' | dd of="$T/flip" bs=1 seek="$off" conv=notrunc status=none
	set +e
	guestnet hive -o "$T/flip.xml" "$T/flip" 2>"$T/stderr"
	rc=$?
	set -e
	case $rc in
	0) guestnet validate -q "$T/flip.xml" || fail "flip at $off: invalid output" ;;
	65) ;;
	*) fail "flip at $off: exit $rc: $(cat "$T/stderr")" ;;
	esac
	ok
	i=$((i + 1))
done
done_checks
