#!/bin/sh
# guestnet map: the scenarios of tests/data/map (each site says what its plan should show) give
# the golden plans tests/data/map/SITE.MODE.plan.xml byte for byte, every plan validates, and
# the refusals are exit 65 with their reason.  The rules one by one: tests/unit/test-map.c.
. "$GN_TOP/tests/integration/lib.sh"
D="$GN_TOP/tests/data/map"

# plan SITE MODE: plan the scenario settings and compare with the golden plan
plan() {
	guestnet map --site "$D/site-$1.xml" --mode "$2" -o "$T/$1.$2.xml" "$D/settings.xml" ||
		fail "guestnet map $1 $2 exited $?"
	guestnet validate -q "$T/$1.$2.xml" || fail "plan $1 $2 does not validate"
	compare_golden "$T/$1.$2.xml" "$D/$1.$2.plan.xml"
}
plan mapped failover
plan mapped test
plan mapped failback
plan auto failover
plan auto-unequal failover
plan many-to-one failover

# the seed examples, asserted by value as well as by the goldens
expect_xp "$T/mapped.failover.xml" "//vm[@name='web01']/nic[@id='eth1']/@connected" false
expect_xp "$T/mapped.failover.xml" "//vm[@name='web01']/nic[@id='eth0']/ipv4/@rule" kept-source-ip
expect_xp "$T/mapped.test.xml" "//vm[@name='web01']/nic[@id='eth0']/ipv4/@ip" 10.0.0.254
expect_xp "$T/mapped.test.xml" "//vm[@name='web01']/nic[@id='eth0']/ipv4/@rule" next-available-from-end
expect_xp "$T/mapped.failover.xml" "//vm[@name='db01']/nic/ipv4/@ip" 172.17.5.10
expect_xp "$T/mapped.failover.xml" "//vm[@name='app01']/nic/ipv4/@ip" 10.77.10.7
expect_xp "$T/mapped.failover.xml" "count(//public)" 2
expect_xp "$T/mapped.failover.xml" "count(//note[contains(., 'pools are exhausted')])" 1
expect_xp "$T/auto.failover.xml" "//vm[@name='web01']/nic[@id='eth1']/@target-network" Backoffice
expect_xp "$T/auto.failover.xml" "//vm[@name='web01']/nic[@id='eth0']/@target-network" DR
expect_xp "$T/auto-unequal.failover.xml" "count(//nic[@connected='true'])" 0

# refusals: exit 65 and the reason
expect_status 65 guestnet map --site "$D/site-many-to-one.xml" --mode failback "$D/settings.xml"
expect_stderr "failback needs a one-to-one mapping"
expect_status 65 guestnet map --site "$D/site-extension.xml" "$D/settings.xml"
expect_stderr "network extension needs IPv6 subnets of /64"
expect_status 65 guestnet map --site "$D/settings.xml" "$D/settings.xml"
expect_status 2 guestnet map "$D/settings.xml"
expect_status 2 guestnet map --site "$D/site-mapped.xml" --mode sideways "$D/settings.xml"
# a settings file that cannot be read is left out, the rest planned: exit 1
echo 'not xml' >"$T/bad.xml"
expect_status 1 guestnet map --site "$D/site-mapped.xml" -o "$T/partial.xml" "$T/bad.xml" "$D/settings.xml"
expect_stderr "left out of the plan"
expect_xp "$T/partial.xml" "count(//vm)" 4

# guestnet validate applies a site's cross-field rules, not only its schema
printf '<site version="1"><source/><target><network name="x"><subnet name="s" cidr="10.0.0.0/24"><reserved from="10.0.0.9" to="10.0.0.2"/></subnet></network></target></site>' >"$T/bad-site.xml"
expect_status 65 guestnet validate "$T/bad-site.xml"
expect_stderr "from 10.0.0.9 is after to 10.0.0.2"
expect_status 0 guestnet validate "$D/site-mapped.xml" "$GN_TOP/fixtures/sites/demo-site.xml"

# the same input gives the same bytes
guestnet map --site "$D/site-mapped.xml" "$D/settings.xml" "$D/settings.xml" >"$T/a.xml"
guestnet map --site "$D/site-mapped.xml" "$D/settings.xml" "$D/settings.xml" >"$T/b.xml"
cmp -s "$T/a.xml" "$T/b.xml" || fail "two runs gave different plans"
ok
done_checks
