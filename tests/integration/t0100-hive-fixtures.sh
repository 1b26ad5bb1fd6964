#!/bin/sh
# Every fixture hive description under fixtures/hives/ is built into a real hive (hivex's write
# API, from our own empty hive) and read by 'guestnet hive'; the document must equal the golden
# file tests/data/hive/NAME.xml byte for byte and validate against the schema.
. "$GN_TOP/tests/integration/lib.sh"

n=0
for desc in "$GN_TOP"/fixtures/hives/*.txt; do
	name=$(basename "$desc" .txt)
	gn-hivebuild "$desc" "$T/$name.hive" || fail "gn-hivebuild $name"
	guestnet hive -o "$T/$name.xml" "$T/$name.hive" || fail "guestnet hive $name exited $?"
	guestnet validate -q "$T/$name.xml" || fail "$name: output does not validate"
	compare_golden "$T/$name.xml" "$GN_TOP/tests/data/hive/$name.xml"
	n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "only $n fixtures found"

# several hives in one call: one <guest> each, in argument order, --name only with one hive
guestnet hive "$T/static-nic.hive" "$T/dhcp-lease.hive" >"$T/two.xml"
expect_xp "$T/two.xml" "count(/guestnet/guest)" 2
expect_xp "$T/two.xml" "/guestnet/guest[1]/@hostname" WKS-WIN732BITA
expect_xp "$T/two.xml" "/guestnet/guest[2]/@hostname" DESKTOP-TEST01
guestnet hive --name "VM 42" "$T/static-nic.hive" >"$T/named.xml"
expect_xp "$T/named.xml" "/guestnet/guest/@name" "VM 42"
expect_status 2 guestnet hive --name x "$T/static-nic.hive" "$T/dhcp-lease.hive"
done_checks
