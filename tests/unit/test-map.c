/*
 * test-map.c: the mapping engine (mapping/map.c) rule by rule on small sites and settings built
 * here, then a property test over random sites and settings: no address is given twice, none
 * outside the subnet the plan names, none the site keeps back (network, broadcast, gateway,
 * reserved, in use).  The scenarios of the issue, as whole plans: t0700 and tests/data/map.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "map.h"
#include "pool.h"

static struct gn_site *site_of(const char *xml)
{
	struct gn_site *site = NULL;
	gn_error err = { "" };

	if (gn_site_read_memory(xml, strlen(xml), "test-site", &site, &err) < 0)
		fail_msg("site: %s", err.msg);
	return site;
}

static gn_settings *settings_of(const char *xml)
{
	gn_settings *s = NULL;
	gn_error err = { "" };

	if (gn_settings_read_memory(xml, strlen(xml), "test-settings", &s, &err) < 0)
		fail_msg("settings: %s", err.msg);
	return s;
}

static struct gn_plan *plan_of(const char *site_xml, const char *settings_xml,
			       enum gn_plan_mode mode)
{
	_cleanup_(gn_site_freep) struct gn_site *site = site_of(site_xml);
	gn_settings *s = settings_of(settings_xml);
	struct gn_plan *plan = NULL;
	gn_error err = { "" };
	int r = gn_map(site, &s, 1, mode, &plan, &err);

	gn_settings_free(s);
	if (r < 0)
		fail_msg("map: %s", err.msg);
	return plan;
}

static const char *ip_text(const struct gn_ip *ip)
{
	static char buf[4][GN_IP_TEXT_MAX];
	static int k;

	k = (k + 1) % 4;
	return ip->family ? gn_ip_format(ip, buf[k]) : "";
}

static bool has_note(const struct gn_plan_nic *nic, const char *part)
{
	for (size_t i = 0; i < nic->notes.n; i++)
		if (strstr(nic->notes.v[i], part))
			return true;
	return false;
}

static bool has_warning(const struct gn_plan *p, const char *part)
{
	for (size_t i = 0; i < p->warnings.n; i++)
		if (strstr(p->warnings.v[i], part))
			return true;
	return false;
}

#define SITE_HEAD "<site version='1'>"
#define ONE_VM(addr)                                                                    \
	"<guestnet version='1'><guest os='linux' name='vm1'><interface id='eth0' "      \
	"mac='52:54:00:00:00:01'><ipv4 mode='static'><address ip='" addr "' prefix='24' " \
	"origin='static'/></ipv4></interface></guest></guestnet>"

/* Rule 1: attach row over the settings' network over the longest prefix. */
static void test_source_network(void **state)
{
	static const char site[] = SITE_HEAD
		"<source><network name='wide'><subnet name='w' cidr='10.0.0.0/8'/></network>"
		"<network name='narrow'><subnet name='n' cidr='10.1.2.0/24'/></network>"
		"<network name='named'/><network name='attached'/>"
		"<attach vm='vm1' mac='52:54:00:00:00:01' network='attached'/>"
		"<attach vm='vm1' mac='52:54:00:00:00:99' network='named'/></source>"
		"<target><network name='T1'/><network name='T2'/><network name='T3'/>"
		"<network name='T4'/></target>"
		"<map source='wide' target='T1'/><map source='narrow' target='T2'/>"
		"<map source='named' target='T3'/><map source='attached' target='T4'/></site>";
	static const char settings[] =
		"<guestnet version='1'><guest os='linux' name='vm1'>"
		"<interface id='eth0' mac='52:54:00:00:00:01'><ipv4 mode='dhcp'/></interface>"
		"<interface id='eth1' network='named'><ipv4 mode='dhcp'/></interface>"
		"<interface id='eth2'><ipv4 mode='static'><address ip='10.1.2.3' prefix='24' "
		"origin='static'/></ipv4></interface>"
		"<interface id='eth3'><ipv4 mode='static'><address ip='10.9.2.3' prefix='24' "
		"origin='static'/></ipv4></interface>"
		"<interface id='eth4'><ipv4 mode='static'><address ip='192.0.2.3' prefix='24' "
		"origin='static'/></ipv4></interface></guest></guestnet>";
	_cleanup_(gn_plan_freep) struct gn_plan *p = plan_of(site, settings, GN_PLAN_FAILOVER);
	struct gn_plan_nic **n = p->vms.v[0]->nics.v;

	(void)state;
	assert_string_equal(n[0]->source_network, "attached");
	assert_string_equal(n[0]->target_network, "T4");
	assert_string_equal(n[1]->source_network, "named");
	assert_string_equal(n[2]->source_network, "narrow");  /* the longest prefix */
	assert_string_equal(n[2]->target_network, "T2");
	assert_string_equal(n[3]->source_network, "wide");
	assert_null(n[4]->source_network);
	assert_false(n[4]->connected);
	assert_true(has_note(n[4], "no <attach> row"));
}

/* Rule 2: automatic mapping only with equal counts; an unknown name is a warning. */
static void test_mapping(void **state)
{
	static const char equal[] = SITE_HEAD
		"<source><network name='a'><subnet name='s' cidr='10.0.0.0/24'/></network>"
		"<network name='b'/></source>"
		"<target><network name='x'/><network name='a'/><network name='t' role='test'/>"
		"</target></site>";
	static const char unequal[] = SITE_HEAD
		"<source><network name='a'><subnet name='s' cidr='10.0.0.0/24'/></network></source>"
		"<target><network name='x'/><network name='y'/></target></site>";
	static const char unknown[] = SITE_HEAD
		"<source><network name='a'><subnet name='s' cidr='10.0.0.0/24'/></network></source>"
		"<target><network name='x'/></target><map source='a' target='nope'/>"
		"<map source='ghost' target='x'/></site>";
	struct gn_plan *p;

	(void)state;
	p = plan_of(equal, ONE_VM("10.0.0.5"), GN_PLAN_FAILOVER);
	assert_string_equal(p->vms.v[0]->nics.v[0]->target_network, "a");  /* equal names first */
	assert_true(has_note(p->vms.v[0]->nics.v[0], "mapped automatically"));
	gn_plan_free(p);
	p = plan_of(unequal, ONE_VM("10.0.0.5"), GN_PLAN_FAILOVER);
	assert_false(p->vms.v[0]->nics.v[0]->connected);
	assert_true(has_warning(p, "nothing could be mapped automatically"));
	gn_plan_free(p);
	p = plan_of(unknown, ONE_VM("10.0.0.5"), GN_PLAN_FAILOVER);
	assert_false(p->vms.v[0]->nics.v[0]->connected);
	assert_true(has_warning(p, "target network 'nope'"));
	assert_true(has_warning(p, "source network 'ghost'"));
	gn_plan_free(p);
}

#define TWO_SUBNETS(fallback)                                                            \
	"<site version='1'><policy subnet-fallback='" fallback "'/>"                    \
	"<source><network name='a'><subnet name='src' cidr='10.0.0.0/24'/></network></source>" \
	"<target><network name='x'><subnet name='zeta' cidr='10.1.0.0/24'/>"             \
	"<subnet name='alpha' cidr='10.2.0.0/24'/></network></target>"                   \
	"<map source='a' target='x'/></site>"

/* Rule 3: the same name, else alphabetical or document order. */
static void test_subnet_choice(void **state)
{
	struct gn_plan *p;

	(void)state;
	p = plan_of(TWO_SUBNETS("alphabetical"), ONE_VM("10.0.0.5"), GN_PLAN_FAILOVER);
	assert_string_equal(p->vms.v[0]->nics.v[0]->subnet, "alpha");
	assert_string_equal(ip_text(&p->vms.v[0]->nics.v[0]->v4.ip), "10.2.0.1");
	gn_plan_free(p);
	p = plan_of(TWO_SUBNETS("document"), ONE_VM("10.0.0.5"), GN_PLAN_FAILOVER);
	assert_string_equal(p->vms.v[0]->nics.v[0]->subnet, "zeta");
	gn_plan_free(p);
}

#define AZURE_SITE                                                                       \
	"<site version='1'><source><network name='a'><subnet name='s' cidr='10.0.0.0/24'/>"  \
	"</network></source><target><network name='x'><subnet name='s' cidr='10.0.0.0/24' "  \
	"gateway='10.0.0.1'><reserved from='10.0.0.2' to='10.0.0.9'/></subnet></network>"   \
	"<network name='t' role='test'><subnet name='s' cidr='10.0.0.0/24'>"               \
	"<in-use ip='10.0.0.19'/></subnet></network></target>"                             \
	"<map source='a' target='x' test-target='t'/></site>"

/* Rule 4: kept if free, next available when taken, from the end on test failover. */
static void test_addresses(void **state)
{
	struct gn_plan *p;
	struct gn_plan_nic *nic;

	(void)state;
	p = plan_of(AZURE_SITE, ONE_VM("10.0.0.19"), GN_PLAN_FAILOVER);
	nic = p->vms.v[0]->nics.v[0];
	assert_int_equal(nic->v4.rule, GN_RULE_KEPT_SOURCE_IP);
	assert_string_equal(ip_text(&nic->v4.ip), "10.0.0.19");
	assert_string_equal(ip_text(&nic->v4.gateway), "10.0.0.1");
	gn_plan_free(p);
	p = plan_of(AZURE_SITE, ONE_VM("10.0.0.19"), GN_PLAN_TEST);
	nic = p->vms.v[0]->nics.v[0];
	assert_int_equal(nic->v4.rule, GN_RULE_NEXT_AVAILABLE_FROM_END);
	assert_string_equal(ip_text(&nic->v4.ip), "10.0.0.254");
	assert_true(has_note(nic, "in use"));
	gn_plan_free(p);
	/* a reserved source address: the first free one after the gateway and the range */
	p = plan_of(AZURE_SITE, ONE_VM("10.0.0.5"), GN_PLAN_FAILOVER);
	nic = p->vms.v[0]->nics.v[0];
	assert_int_equal(nic->v4.rule, GN_RULE_NEXT_AVAILABLE);
	assert_string_equal(ip_text(&nic->v4.ip), "10.0.0.10");
	assert_true(has_note(nic, "reserved"));
	gn_plan_free(p);
}

/* Rule 4: a full subnet gives no address and says so. */
static void test_full_subnet(void **state)
{
	static const char site[] = SITE_HEAD
		"<source><network name='a'><subnet name='s' cidr='10.0.0.0/24'/></network></source>"
		"<target><network name='x'><subnet name='s' cidr='10.9.0.0/30' gateway='10.9.0.1'/>"
		"</network></target><map source='a' target='x'/></site>";
	static const char settings[] =
		"<guestnet version='1'><guest os='linux' name='vm1'>"
		"<interface id='e0'><ipv4 mode='static'><address ip='10.0.0.5' prefix='24' origin='static'/></ipv4></interface>"
		"<interface id='e1'><ipv4 mode='static'><address ip='10.0.0.6' prefix='24' origin='static'/></ipv4></interface>"
		"</guest></guestnet>";
	_cleanup_(gn_plan_freep) struct gn_plan *p = plan_of(site, settings, GN_PLAN_FAILOVER);

	(void)state;
	assert_string_equal(ip_text(&p->vms.v[0]->nics.v[0]->v4.ip), "10.9.0.2");
	assert_int_equal(p->vms.v[0]->nics.v[1]->v4.ip.family, 0);
	assert_true(has_note(p->vms.v[0]->nics.v[1], "no free address left"));
}

/* Rule 4: re-IP by pattern and by CIDR, first match wins, DHCP stays DHCP. */
static void test_reip(void **state)
{
	static const char site[] = SITE_HEAD
		"<source><network name='a'><subnet name='s' cidr='172.16.0.0/16'/>"
		"<subnet name='o' cidr='192.168.10.0/24'/></network></source>"
		"<target><network name='x'><subnet name='s' cidr='10.0.0.0/24'/></network></target>"
		"<map source='a' target='x'/>"
		"<reip source='172.16.*.*' target='172.17.*.*' gateway='172.17.0.1'><dns ip='172.17.0.53'/></reip>"
		"<reip source='172.16.5.*' target='172.18.5.*'/>"
		"<reip source-cidr='192.168.10.0/24' target-cidr='10.77.0.0/16'/></site>";
	static const char settings[] =
		"<guestnet version='1'><guest os='linux' name='vm1'>"
		"<interface id='e0'><ipv4 mode='static'><address ip='172.16.5.10' prefix='16' origin='static'/></ipv4></interface>"
		"<interface id='e1'><ipv4 mode='static'><address ip='192.168.10.7' prefix='24' origin='static'/></ipv4></interface>"
		"<interface id='e2'><ipv4 mode='dhcp'><address ip='172.16.9.9' prefix='16' origin='dhcp'/></ipv4></interface>"
		"</guest></guestnet>";
	_cleanup_(gn_plan_freep) struct gn_plan *p = plan_of(site, settings, GN_PLAN_FAILOVER);
	struct gn_plan_nic **n = p->vms.v[0]->nics.v;

	(void)state;
	assert_int_equal(n[0]->v4.rule, GN_RULE_REIP);
	assert_string_equal(ip_text(&n[0]->v4.ip), "172.17.5.10");
	assert_int_equal(n[0]->v4.prefix, 16);
	assert_string_equal(ip_text(&n[0]->v4.gateway), "172.17.0.1");
	assert_int_equal(n[0]->dns.n, 1);
	assert_string_equal(ip_text(&n[1]->v4.ip), "10.77.0.7");
	assert_int_equal(n[1]->v4.prefix, 16);
	assert_int_equal(n[2]->v4.mode, GN_MODE_DHCP);
	assert_int_equal(n[2]->v4.rule, GN_RULE_DHCP);
}

/* Rules 5, 6, 7 and the warnings. */
static void test_failback_public_extension_warnings(void **state)
{
	static const char many[] = SITE_HEAD
		"<source><network name='a'/><network name='b'/></source>"
		"<target><network name='x'/></target>"
		"<map source='a' target='x'/><map source='b' target='x'/></site>";
	static const char ext[] = "<site version='1'><policy network-extension='true'/>"
		"<source><network name='a'><subnet name='s' cidr='2001:db8::/48'/></network></source>"
		"<target><network name='x'/></target></site>";
	static const char pub[] = SITE_HEAD
		"<source><network name='a'><subnet name='s' cidr='10.0.0.0/24' gateway='10.1.0.1'/>"
		"</network></source><target><network name='x' mtu='1400'><subnet name='s' "
		"cidr='10.0.0.0/24'/><subnet name='t' cidr='10.0.0.128/25'/></network></target>"
		"<map source='a' target='x'/>"
		"<public-pool family='ipv4'><range from='203.0.113.1' to='203.0.113.1'/></public-pool>"
		"<public vm='vm1' family='ipv4' port='443'/><public vm='vm1' family='ipv4' port='80'/>"
		"<public vm='nobody' family='ipv4' port='22'/></site>";
	static const char settings[] =
		"<guestnet version='1'><guest os='linux' name='vm1'><interface id='e0' mtu='9000'>"
		"<ipv4 mode='static'><address ip='10.0.0.5' prefix='24' origin='static'/></ipv4>"
		"</interface><interface id='e1'><ipv4 mode='static'><address ip='10.0.0.5' "
		"prefix='24' origin='static'/></ipv4></interface></guest></guestnet>";
	_cleanup_(gn_site_freep) struct gn_site *s1 = site_of(many), *s2 = site_of(ext);
	gn_settings *set = settings_of(settings);
	struct gn_plan *p = NULL;
	gn_error err = { "" };

	(void)state;
	assert_int_equal(gn_map(s1, &set, 1, GN_PLAN_FAILBACK, &p, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "one-to-one"));
	assert_int_equal(gn_map(s1, &set, 1, GN_PLAN_FAILOVER, &p, &err), 0);
	gn_plan_free(p);
	assert_int_equal(gn_map(s2, &set, 1, GN_PLAN_FAILOVER, &p, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "/64"));
	gn_settings_free(set);

	p = plan_of(pub, settings, GN_PLAN_FAILOVER);
	assert_int_equal(p->vms.v[0]->nics.v[0]->publics.n, 1);
	assert_string_equal(ip_text(&p->vms.v[0]->nics.v[0]->publics.v[0].ip), "203.0.113.1");
	assert_true(has_note(p->vms.v[0]->nics.v[0], "exhausted"));
	assert_true(has_warning(p, "VM 'nobody'"));
	assert_true(has_warning(p, "overlap"));
	assert_true(has_warning(p, "lies outside it"));
	assert_true(has_warning(p, "two source NICs hold the static address 10.0.0.5"));
	assert_true(has_warning(p, "MTU of 9000"));
	gn_plan_free(p);
}

/* -------- the property test -------- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A random site: 4 source networks of 10.S.N.0/24 subnets, 4 target networks with small
 * subnets (/26 to /29) at the same or other addresses, reserved ranges, in-use addresses, maps
 * for three of them, one re-IP rule. */
static size_t random_site(char *buf, size_t size)
{
	size_t n = 0;

	n += (size_t)snprintf(buf + n, size - n, "<site version='1'><policy reserved-per-subnet='%u'/>"
			      "<source>", rnd(3));
	for (int i = 0; i < 4; i++)
		n += (size_t)snprintf(buf + n, size - n, "<network name='s%d'><subnet name='n%d' "
				      "cidr='10.%d.0.0/24'/></network>", i, i, i);
	n += (size_t)snprintf(buf + n, size - n, "</source><target>");
	for (int i = 0; i < 4; i++) {
		unsigned prefix = 26 + rnd(4), third = rnd(2) ? 0 : 50;
		unsigned span = 1u << (32 - prefix);
		n += (size_t)snprintf(buf + n, size - n, "<network name='t%d'><subnet name='n%d' "
				      "cidr='10.%d.%u.0/%u' gateway='10.%d.%u.1'>", i, i, i, third,
				      prefix, i, third);
		for (unsigned k = rnd(3); k > 0; k--) {
			unsigned a = 2 + rnd(span - 3), b = a + rnd(4);
			if (b > span - 2)
				b = span - 2;
			n += (size_t)snprintf(buf + n, size - n, "<reserved from='10.%d.%u.%u' "
					      "to='10.%d.%u.%u'/>", i, third, a, i, third, b);
		}
		for (unsigned k = rnd(4); k > 0; k--)
			n += (size_t)snprintf(buf + n, size - n, "<in-use ip='10.%d.%u.%u'/>", i,
					      third, 1 + rnd(span - 2));
		n += (size_t)snprintf(buf + n, size - n, "</subnet></network>");
	}
	n += (size_t)snprintf(buf + n, size - n, "</target>");
	for (int i = 0; i < 3; i++)
		n += (size_t)snprintf(buf + n, size - n, "<map source='s%d' target='t%d'/>", i, i);
	n += (size_t)snprintf(buf + n, size - n, "<reip source='10.2.0.*' target='10.2.50.*'/></site>");
	return n;
}

static void random_settings(gn_settings *s)
{
	for (int v = 0; v < 12; v++) {
		struct gn_guest *g;
		char name[16];

		assert_int_equal(gn_settings_add_guest(s, &g), 0);
		g->os = GN_OS_LINUX;
		snprintf(name, sizeof(name), "vm%d", v);
		gn_set_string(&g->name, name);
		for (int k = 1 + (int)rnd(3); k > 0; k--) {
			struct gn_interface *ifc;
			struct gn_ip ip = { .family = GN_AF_INET, .b = { 10, (uint8_t)rnd(4), 0,
									  (uint8_t)(1 + rnd(254)) } };
			char id[8];

			snprintf(id, sizeof(id), "eth%d", k);
			assert_true(gn_guest_add_interface(g, id, &ifc) >= 0);
			ifc->v4.mode = rnd(5) ? GN_MODE_STATIC : GN_MODE_DHCP;
			gn_ipconf_add_address(&ifc->v4, &ip, 24,
					      ifc->v4.mode == GN_MODE_STATIC ? GN_ORIGIN_STATIC : GN_ORIGIN_DHCP);
		}
	}
}

/* The site's subnet of that name in that network, as a fresh pool: what may be handed out. */
static struct gn_pool *fresh_pool(const struct gn_site *site, const char *net, const char *name)
{
	const struct gn_site_network *n = gn_site_find_network(&site->target, net);
	struct gn_pool *p = NULL;

	for (size_t j = 0; n && j < n->subnets.n; j++) {
		const struct gn_site_subnet *sn = &n->subnets.v[j];
		if (strcmp(sn->name, name) != 0)
			continue;
		assert_int_equal(gn_pool_new(&sn->net, sn->prefix, &sn->gateway,
					     site->policy.reserved_per_subnet, &p), 0);
		for (size_t i = 0; i < sn->reserved.n; i++)
			gn_pool_reserve(p, &sn->reserved.v[i].from, &sn->reserved.v[i].to);
		for (size_t i = 0; i < sn->in_use.n; i++)
			gn_pool_mark_in_use(p, &sn->in_use.v[i]);
	}
	return p;
}

static void test_property(void **state)
{
	static char buf[16384];
	size_t checked = 0;

	(void)state;
	for (int round = 0; round < 300; round++) {
		_cleanup_(gn_site_freep) struct gn_site *site = NULL;
		_cleanup_(gn_settings_freep) gn_settings *s = NULL;
		_cleanup_(gn_plan_freep) struct gn_plan *p = NULL;
		gn_error err = { "" };
		struct gn_ip seen[64];
		size_t nseen = 0;
		size_t len = random_site(buf, sizeof(buf));

		if (gn_site_read_memory(buf, len, "random", &site, &err) < 0)
			fail_msg("round %d: %s\n%s", round, err.msg, buf);
		assert_int_equal(gn_settings_new(&s), 0);
		random_settings(s);
		assert_int_equal(gn_map(site, &s, 1, round % 2 ? GN_PLAN_TEST : GN_PLAN_FAILOVER, &p,
					&err), 0);
		for (size_t v = 0; v < p->vms.n; v++)
			for (size_t k = 0; k < p->vms.v[v]->nics.n; k++) {
				const struct gn_plan_nic *nic = p->vms.v[v]->nics.v[k];
				_cleanup_(gn_pool_freep) struct gn_pool *pool = NULL;

				if (!nic->v4.ip.family)
					continue;
				for (size_t i = 0; i < nseen; i++)
					if (gn_ip_equal(&seen[i], &nic->v4.ip))
						fail_msg("round %d: %s given twice", round, ip_text(&nic->v4.ip));
				seen[nseen++] = nic->v4.ip;
				if (!nic->subnet) {
					/* a re-IP result outside every subnet of the site */
					assert_int_equal(nic->v4.rule, GN_RULE_REIP);
					continue;
				}
				pool = fresh_pool(site, nic->target_network, nic->subnet);
				assert_non_null(pool);
				if (gn_pool_why(pool, &nic->v4.ip) != GN_POOL_USABLE)
					fail_msg("round %d: %s in %s/%s is %s", round, ip_text(&nic->v4.ip),
						 nic->target_network, nic->subnet,
						 gn_pool_why_text(gn_pool_why(pool, &nic->v4.ip)));
				checked++;
			}
	}
	assert_true(checked > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_network),
		cmocka_unit_test(test_mapping),
		cmocka_unit_test(test_subnet_choice),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_full_subnet),
		cmocka_unit_test(test_reip),
		cmocka_unit_test(test_failback_public_extension_warnings),
		cmocka_unit_test(test_property),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
