/*
 * test-site.c: the site document (mapping/site.c, schema/site.rng), its CIDR parser
 * (collector/addr.c: gn_cidr_parse) and the plan schema against the plan writer.
 *
 * tests/data/site/full.xml is read field by field; every site under tests/data/site must read,
 * or be refused when named *-invalid.xml (test-xml.c validates them all against the schema too).
 * The rules the schema cannot say are table-driven, one small document each; hostile documents
 * (DOCTYPE, entities, 10^6 networks, absurd prefixes, not UTF-8, another kind of document) must
 * be refused with a message and without libxml2 reporting anything outside the parse helper.
 * Run from the top of the repository.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "cleanup.h"
#include "plan.h"
#include "site.h"
#include "xml.h"

#define SITES "tests/data/site"

/*
 * libxml2's global error handlers print to standard error.  The parse helper gives each parse
 * its own handlers, so the global ones must never be called: they count here instead.
 */
static int stray_reports;

static void count_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
	stray_reports++;
}

static void count_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
	stray_reports++;
}

static int watch_libxml2(void **state)
{
	(void)state;
	xmlSetGenericErrorFunc(NULL, count_generic);
	xmlSetStructuredErrorFunc(NULL, count_structured);
	stray_reports = 0;
	return 0;
}

static int check_libxml2(void **state)
{
	(void)state;
	assert_int_equal(stray_reports, 0);
	return 0;
}

static struct gn_site *read_ok(const char *doc, size_t len)
{
	struct gn_site *s = NULL;
	gn_error err = { "" };
	int r = gn_site_read_memory(doc, len, "site.xml", &s, &err);

	if (r < 0)
		fail_msg("refused (%d): %s", r, err.msg);
	return s;
}

/* doc must be refused with r and a message holding needle; nothing is returned. */
static void site_refused(const char *doc, size_t len, int r, const char *needle)
{
	struct gn_site *s = NULL;
	gn_error err = { "" };
	int got = gn_site_read_memory(doc, len, "site.xml", &s, &err);

	if (got != r || !strstr(err.msg, needle))
		fail_msg("got %d (want %d), message '%s' (want '%s')\n%s", got, r, err.msg, needle,
			 len < 2000 ? doc : "(document too long to print)");
	assert_null(s);
}

/* A site whose <source> holds source, <target> target, followed by rows. */
static char *site_doc(const char *source, const char *target, const char *rows)
{
	char *doc;

	assert_true(asprintf(&doc, "<site version=\"1\">\n<source>%s</source>\n<target>%s</target>"
			     "\n%s</site>\n", source, target, rows) > 0);
	return doc;
}

static const char *ip_text(const struct gn_ip *ip)
{
	static char buf[4][GN_IP_TEXT_MAX];
	static int k;

	k = (k + 1) % 4;
	return gn_ip_format(ip, buf[k]);
}

#define assert_ip(ip, text) assert_string_equal(ip_text(ip), (text))

static void assert_range(const struct gn_site_range *rg, const char *from, const char *to)
{
	assert_ip(&rg->from, from);
	assert_ip(&rg->to, to);
}

/* ---------- gn_cidr_parse ---------- */

static void test_cidr_parse(void **state)
{
	static const struct {
		const char *text;
		int r;            /* gn_cidr_parse */
		int host_r;       /* gn_ip_prefix_parse */
		const char *net;  /* when r is 0 */
		unsigned prefix;
	} cases[] = {
		{ "10.3.58.0/24", 0, 0, "10.3.58.0", 24 },
		{ "0.0.0.0/0", 0, 0, "0.0.0.0", 0 },
		{ "10.3.58.5/32", 0, 0, "10.3.58.5", 32 },
		{ "10.3.58.4/31", 0, 0, "10.3.58.4", 31 },
		{ "2001:DB8:58::/64", 0, 0, "2001:db8:58::", 64 },
		{ "::/0", 0, 0, "::", 0 },
		{ "2001:db8::1/128", 0, 0, "2001:db8::1", 128 },
		{ "::ffff:10.0.0.0/104", 0, 0, "::ffff:10.0.0.0", 104 },
		{ "10.3.58.5/24", -EDOM, 0, NULL, 0 },
		{ "2001:db8::1/64", -EDOM, 0, NULL, 0 },
		{ "10.0.0.0/33", -ERANGE, -ERANGE, NULL, 0 },
		{ "2001:db8::/129", -ERANGE, -ERANGE, NULL, 0 },
		{ "10.0.0.0/999", -ERANGE, -ERANGE, NULL, 0 },
		{ "10.0.0.0/4294967320", -ERANGE, -ERANGE, NULL, 0 },  /* 2^32 + 24: no wrap */
		{ "10.0.0.0/99999999999999999999999", -ERANGE, -ERANGE, NULL, 0 },
		{ "10.0.0.0/024", -EINVAL, -EINVAL, NULL, 0 },
		{ "10.0.0.0/+24", -EINVAL, -EINVAL, NULL, 0 },
		{ "10.0.0.0/-1", -EINVAL, -EINVAL, NULL, 0 },
		{ "10.0.0.0/", -EINVAL, -EINVAL, NULL, 0 },
		{ "10.0.0.0/24 ", -EINVAL, -EINVAL, NULL, 0 },
		{ "10.0.0.0/2x", -EINVAL, -EINVAL, NULL, 0 },
		{ "10.0.0.0", -EINVAL, -EINVAL, NULL, 0 },
		{ "/24", -EINVAL, -EINVAL, NULL, 0 },
		{ "010.0.0.0/8", -EINVAL, -EINVAL, NULL, 0 },
		{ "10.0.0/24", -EINVAL, -EINVAL, NULL, 0 },
		{ "10.0.0.0/24/24", -EINVAL, -EINVAL, NULL, 0 },
		{ "fe80::%eth0/64", -EINVAL, -EINVAL, NULL, 0 },
		{ "fe80::/64%eth0", -EINVAL, -EINVAL, NULL, 0 },
		{ "2001:db8::g/64", -EINVAL, -EINVAL, NULL, 0 },
		{ "", -EINVAL, -EINVAL, NULL, 0 },
		{ NULL, -EINVAL, -EINVAL, NULL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		struct gn_ip net = { .family = 99 }, host = { .family = 99 };
		unsigned prefix = 999, host_prefix = 999;
		int r = gn_cidr_parse(cases[i].text, &net, &prefix);
		int host_r = gn_ip_prefix_parse(cases[i].text, &host, &host_prefix);

		if (r != cases[i].r || host_r != cases[i].host_r)
			fail_msg("'%s': %d and %d, want %d and %d", cases[i].text, r, host_r,
				 cases[i].r, cases[i].host_r);
		if (r < 0) {
			/* out-parameters are written only on success */
			assert_int_equal(net.family, 99);
			assert_int_equal(prefix, 999);
			continue;
		}
		assert_ip(&net, cases[i].net);
		assert_int_equal(prefix, cases[i].prefix);
		assert_true(gn_ip_equal(&net, &host));
	}
}

static void test_prefix_helpers(void **state)
{
	struct gn_ip net, a, b;
	unsigned prefix;

	(void)state;
	assert_int_equal(gn_cidr_parse("10.3.56.0/22", &net, &prefix), 0);
	assert_int_equal(gn_ip_parse("10.3.59.255", &a), 0);
	assert_true(gn_ip_in_prefix(&a, &net, prefix));
	assert_int_equal(gn_ip_parse("10.3.60.0", &a), 0);
	assert_false(gn_ip_in_prefix(&a, &net, prefix));
	assert_int_equal(gn_ip_parse("::ffff:10.3.56.1", &a), 0);
	assert_false(gn_ip_in_prefix(&a, &net, prefix));  /* another family */
	assert_false(gn_ip_in_prefix(&net, &net, 33));
	assert_true(gn_ip_in_prefix(&a, &a, 128));

	assert_int_equal(gn_ip_prefix_parse("2001:db8:1:2:3:4:5:6/52", &a, &prefix), 0);
	gn_ip_clear_host(&a, prefix);
	assert_ip(&a, "2001:db8:1::");
	assert_int_equal(gn_ip_parse("10.0.0.9", &a), 0);
	assert_int_equal(gn_ip_parse("10.0.0.10", &b), 0);
	assert_true(gn_ip_compare(&a, &b) < 0);
	assert_true(gn_ip_compare(&b, &a) > 0);
	assert_int_equal(gn_ip_compare(&a, &a), 0);
	assert_int_equal(gn_ip_parse("::1", &b), 0);
	assert_true(gn_ip_compare(&a, &b) < 0);  /* IPv4 before IPv6 */
}

/* ---------- documents that read ---------- */

static void check_full_source(const struct gn_site *s)
{
	const struct gn_site_network *net;
	const struct gn_site_subnet *sn;

	assert_int_equal(s->source.networks.n, 2);
	net = &s->source.networks.v[0];
	assert_string_equal(net->name, "Prod-10");
	assert_int_equal(net->role, GN_ROLE_FAILOVER);
	assert_int_equal(net->mtu, 0);
	assert_int_equal(net->line, 8);
	assert_int_equal(net->subnets.n, 2);
	sn = &net->subnets.v[0];
	assert_string_equal(sn->name, "web");
	assert_ip(&sn->net, "10.3.58.0");
	assert_int_equal(sn->prefix, 24);
	assert_ip(&sn->gateway, "10.3.58.1");
	assert_int_equal(sn->line, 9);
	assert_int_equal(sn->dns.n + sn->reserved.n + sn->in_use.n, 0);
	sn = &net->subnets.v[1];
	assert_string_equal(sn->name, "web6");
	assert_int_equal(sn->net.family, GN_AF_INET6);
	assert_ip(&sn->net, "2001:db8:58::");
	assert_int_equal(sn->prefix, 64);
	assert_ip(&sn->gateway, "fe80::1");
	net = &s->source.networks.v[1];
	assert_string_equal(net->name, "Prod-20");
	assert_int_equal(net->subnets.v[0].gateway.family, 0);

	assert_int_equal(s->attach.n, 3);
	assert_string_equal(s->attach.v[0].vm, "WKS-WIN732BITA");
	assert_string_equal(s->attach.v[0].mac, "00:50:56:a5:12:69");
	assert_null(s->attach.v[0].interface);
	assert_string_equal(s->attach.v[0].network, "Prod-10");
	assert_null(s->attach.v[1].mac);
	assert_string_equal(s->attach.v[1].interface, "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}");
	assert_null(s->attach.v[2].mac);
	assert_null(s->attach.v[2].interface);
	assert_string_equal(s->attach.v[2].network, "Prod-20");
	assert_int_equal(s->attach.v[2].line, 17);
}

static void check_full_target(const struct gn_site *s)
{
	const struct gn_site_network *net = &s->target.networks.v[0];
	const struct gn_site_subnet *sn = &net->subnets.v[0];

	assert_int_equal(s->target.networks.n, 3);
	assert_string_equal(net->name, "DR-10");
	assert_int_equal(net->mtu, 1500);
	assert_int_equal(net->role, GN_ROLE_FAILOVER);
	assert_int_equal(sn->dns.n, 2);
	assert_ip(&sn->dns.v[0].ip, "10.3.58.4");
	assert_ip(&sn->dns.v[1].ip, "2001:db8:58::53");
	assert_int_equal(sn->reserved.n, 2);
	assert_range(&sn->reserved.v[0], "10.3.58.1", "10.3.58.9");
	assert_range(&sn->reserved.v[1], "10.3.58.250", "10.3.58.254");
	assert_int_equal(sn->in_use.n, 1);
	assert_ip(&sn->in_use.v[0], "10.3.58.77");
	sn = &net->subnets.v[1];
	assert_ip(&sn->net, "2001:db8:158::");
	assert_range(&sn->reserved.v[0], "2001:db8:158::1", "2001:db8:158::ff");
	assert_int_equal(sn->in_use.n, 2);
	assert_ip(&sn->in_use.v[0], "2001:db8:158::1:5");
	assert_ip(&sn->in_use.v[1], "2001:db8:158:0:ffff:ffff:ffff:ffff");

	net = &s->target.networks.v[1];
	assert_string_equal(net->name, "DR-20");
	assert_int_equal(net->role, GN_ROLE_FAILOVER);
	assert_ip(&net->subnets.v[0].gateway, "10.99.0.1");  /* outside: the engine warns */
	net = &s->target.networks.v[2];
	assert_string_equal(net->name, "DR-test");
	assert_int_equal(net->role, GN_ROLE_TEST);
	assert_string_equal(gn_network_role_name(net->role), "test");
	assert_int_equal(net->mtu, 9000);
}

static void check_full_rows(const struct gn_site *s)
{
	char text[GN_REIP_TEXT_MAX];

	assert_int_equal(s->maps.n, 2);
	assert_string_equal(s->maps.v[0].source, "Prod-10");
	assert_string_equal(s->maps.v[0].target, "DR-10");
	assert_string_equal(s->maps.v[0].test_target, "DR-test");
	assert_null(s->maps.v[1].test_target);

	assert_int_equal(s->reip.n, 3);
	assert_int_equal(s->reip.v[0].rule.kind, GN_REIP_PATTERN);
	assert_string_equal(gn_reip_format(&s->reip.v[0].rule, text), "172.16.*.* -> 172.17.*.*");
	assert_int_equal(s->reip.v[0].rule.source_prefix, 16);
	assert_ip(&s->reip.v[0].gateway, "172.17.0.1");
	assert_int_equal(s->reip.v[0].dns.n, 1);
	assert_ip(&s->reip.v[0].dns.v[0].ip, "172.17.0.53");
	assert_int_equal(s->reip.v[1].rule.kind, GN_REIP_CIDR);
	assert_string_equal(gn_reip_format(&s->reip.v[1].rule, text),
			    "192.168.10.0/24 -> 10.77.10.0/24");
	assert_int_equal(s->reip.v[1].dns.n, 0);
	assert_int_equal(s->reip.v[2].rule.source.family, GN_AF_INET6);
	assert_int_equal(s->reip.v[2].rule.source_prefix, 48);
	assert_int_equal(s->reip.v[2].gateway.family, 0);

	assert_int_equal(s->pools.n, 2);
	assert_int_equal(s->pools.v[0].family, GN_AF_INET);
	assert_int_equal(s->pools.v[0].ranges.n, 2);
	assert_range(&s->pools.v[0].ranges.v[0], "203.0.113.10", "203.0.113.20");
	assert_range(&s->pools.v[0].ranges.v[1], "198.51.100.5", "198.51.100.5");
	assert_int_equal(s->pools.v[1].family, GN_AF_INET6);
	assert_range(&s->pools.v[1].ranges.v[0], "2001:db8:ffff::10", "2001:db8:ffff::1f");

	assert_int_equal(s->publics.n, 3);
	assert_string_equal(s->publics.v[0].mac, "00:50:56:a5:12:69");
	assert_int_equal(s->publics.v[0].family, GN_AF_INET);
	assert_int_equal(s->publics.v[0].port, 443);
	assert_int_equal(s->publics.v[0].internal_port, 8443);
	assert_int_equal(s->publics.v[0].protocol, GN_PROTOCOL_TCP);
	assert_string_equal(s->publics.v[1].interface, "eth0");
	assert_int_equal(s->publics.v[1].family, GN_AF_INET6);
	assert_int_equal(s->publics.v[1].protocol, GN_PROTOCOL_UDP);
	assert_string_equal(gn_protocol_name(s->publics.v[1].protocol), "udp");
	assert_string_equal(s->publics.v[2].vm, "db01");
	assert_null(s->publics.v[2].mac);
	assert_null(s->publics.v[2].interface);
	assert_int_equal(s->publics.v[2].internal_port, 0);
	assert_int_equal(s->publics.v[2].protocol, GN_PROTOCOL_TCP);
}

static void test_full(void **state)
{
	_cleanup_(gn_site_freep) struct gn_site *s = NULL;
	gn_error err = { "" };

	(void)state;
	if (gn_site_read_file(SITES "/full.xml", &s, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(s->name, "dr-east");
	assert_int_equal(s->policy.subnet_fallback, GN_SUBNET_FALLBACK_DOCUMENT);
	assert_int_equal(s->policy.reserved_per_subnet, 5);
	assert_true(s->policy.network_extension);
	check_full_source(s);
	check_full_target(s);
	check_full_rows(s);

	/* names are found on their own side only */
	assert_ptr_equal(gn_site_find_network(&s->source, "Prod-20"), &s->source.networks.v[1]);
	assert_ptr_equal(gn_site_find_network(&s->target, "DR-test"), &s->target.networks.v[2]);
	assert_null(gn_site_find_network(&s->target, "Prod-20"));
	assert_null(gn_site_find_network(&s->source, "prod-20"));
	assert_null(gn_site_find_network(&s->source, NULL));
}

static void test_ipv6(void **state)
{
	_cleanup_(gn_site_freep) struct gn_site *s = NULL;
	const struct gn_site_network *net;
	gn_error err = { "" };
	char text[GN_REIP_TEXT_MAX];
	struct gn_ip src, dst;

	(void)state;
	if (gn_site_read_file(SITES "/ipv6.xml", &s, &err) < 0)
		fail_msg("%s", err.msg);
	assert_null(s->name);
	assert_int_equal(s->policy.subnet_fallback, GN_SUBNET_FALLBACK_ALPHABETICAL);
	assert_true(s->policy.network_extension);
	net = gn_site_find_network(&s->target, "v6-dr");
	assert_non_null(net);
	assert_int_equal(net->subnets.n, 4);
	assert_ip(&net->subnets.v[0].reserved.v[0].from, "2001:db8:ba::");
	assert_ip(&net->subnets.v[0].in_use.v[0], "2001:db8:ba:0:1::1");  /* RFC 5952 */
	assert_int_equal(net->subnets.v[1].prefix, 127);
	assert_ip(&net->subnets.v[2].net, "2001:db8:bc::7");
	assert_int_equal(net->subnets.v[2].prefix, 128);
	assert_ip(&net->subnets.v[3].in_use.v[0], "::ffff:10.0.0.1");
	assert_int_equal(net->subnets.v[3].in_use.v[0].family, GN_AF_INET6);

	assert_int_equal(s->reip.n, 1);
	assert_string_equal(gn_reip_format(&s->reip.v[0].rule, text),
			    "2001:db8:aa::/64 -> 2001:db8:ba::/48");
	assert_int_equal(gn_ip_parse("2001:db8:aa::42", &src), 0);
	assert_int_equal(gn_reip_apply(&s->reip.v[0].rule, &src, &dst), 0);
	assert_ip(&dst, "2001:db8:ba::42");
}

static void test_defaults(void **state)
{
	_cleanup_(gn_site_freep) struct gn_site *s = NULL;
	static const char doc[] = "<site version=\"1\"><policy/><source/><target/></site>";

	(void)state;
	s = read_ok(doc, strlen(doc));
	assert_null(s->name);
	assert_int_equal(s->policy.subnet_fallback, GN_SUBNET_FALLBACK_ALPHABETICAL);
	assert_int_equal(s->policy.reserved_per_subnet, 0);
	assert_false(s->policy.network_extension);
	assert_int_equal(s->source.networks.n + s->target.networks.n + s->attach.n + s->maps.n +
			 s->reip.n + s->pools.n + s->publics.n, 0);
	assert_null(gn_site_find_network(&s->target, "x"));
	gn_site_free(NULL);
}

/* The same name on both sides is the usual case (automatic mapping pairs equal names). */
static void test_names_per_side(void **state)
{
	_cleanup_(gn_site_freep) struct gn_site *s = NULL;
	_cleanup_free_ char *doc = site_doc(
		"<network name=\"web\"><subnet name=\"a\" cidr=\"10.0.0.0/24\"/></network>",
		"<network name=\"web\"><subnet name=\"a\" cidr=\"10.0.0.0/24\"/></network>"
		"<network name=\"db\"><subnet name=\"a\" cidr=\"10.0.1.0/24\"/></network>",
		"<map source=\"web\" target=\"web\"/><map source=\"db\" target=\"web\"/>");

	(void)state;
	s = read_ok(doc, strlen(doc));
	assert_ptr_equal(gn_site_find_network(&s->source, "web"), &s->source.networks.v[0]);
	assert_ptr_equal(gn_site_find_network(&s->target, "web"), &s->target.networks.v[0]);
	/* many-to-one maps read; failback is where the engine refuses them */
	assert_int_equal(s->maps.n, 2);
}

/* Every site under tests/data/site: reads, or is refused when named *-invalid.xml. */
static void test_data_files(void **state)
{
	glob_t g;
	size_t valid = 0, invalid = 0;

	(void)state;
	assert_int_equal(glob(SITES "/*.xml", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		bool want_invalid = strstr(path, "-invalid.xml") != NULL;
		struct gn_site *s = NULL;
		gn_error err = { "" };
		int r = gn_site_read_file(path, &s, &err);

		if (want_invalid) {
			invalid++;
			if (r != -EBADMSG || !strstr(err.msg, path))
				fail_msg("'%s': %d, message '%s'", path, r, err.msg);
		} else {
			valid++;
			if (r < 0)
				fail_msg("'%s': %s", path, err.msg);
		}
		gn_site_free(s);
	}
	globfree(&g);
	assert_true(valid >= 4);
	assert_true(invalid >= 10);
}

static void test_demo_site(void **state)
{
	_cleanup_(gn_site_freep) struct gn_site *s = NULL;
	const struct gn_site_network *test;
	gn_error err = { "" };

	(void)state;
	if (gn_site_read_file("fixtures/sites/demo-site.xml", &s, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(gn_validate_file("fixtures/sites/demo-site.xml", &err), 0);
	test = gn_site_find_network(&s->target, "DR-Test");
	assert_non_null(test);
	assert_int_equal(test->role, GN_ROLE_TEST);
	assert_non_null(gn_site_find_network(&s->source, "Lab-120"));
	assert_int_equal(s->reip.n, 1);
	assert_int_equal(s->pools.n, 1);
	assert_true(s->target.networks.v[0].subnets.v[0].reserved.n > 0);
	assert_true(s->target.networks.v[0].subnets.v[0].in_use.n > 0);
	assert_int_equal(s->attach.n, 1);
}

/* ---------- what the schema cannot say ---------- */

struct refusal {
	const char *source, *target, *rows;
	const char *needle;
};

#define NET(name, subnets) "<network name=\"" name "\">" subnets "</network>"
#define SUBNET(attrs, rows) "<subnet name=\"s\" " attrs ">" rows "</subnet>"

static const struct refusal refusals[] = {
	/* names */
	{ NET("a", "") NET("b", "") NET("a", ""), "", "",
	  "line 2: element 'network': network 'a' is already on line 2" },
	{ "", "\n" NET("DR", "") "\n" NET("DR", ""), "", "line 5: element 'network': network 'DR' "
	  "is already on line 4" },
	{ NET("a", "<subnet name=\"web\" cidr=\"10.0.0.0/24\"/><subnet name=\"web\" "
		   "cidr=\"10.0.1.0/24\"/>"), "", "", "subnet 'web' is already on line 2" },
	{ NET("a", ""), NET("b", ""), "<map source=\"a\" target=\"b\"/>\n<map source=\"a\" "
	  "target=\"c\"/>", "line 5: element 'map': source network 'a' is already on line 4" },
	/* CIDR */
	{ NET("a", "<subnet name=\"s\" cidr=\"10.0.0.0/33\"/>"), "", "",
	  "attribute 'cidr': '10.0.0.0/33' has a prefix longer than the address (at most /32)" },
	{ "", NET("a", SUBNET("cidr=\"2001:db8::/129\"", "")), "",
	  "'2001:db8::/129' has a prefix longer than the address (at most /128)" },
	{ NET("a", "<subnet name=\"s\" cidr=\"10.0.0.0/999\"/>"), "", "", "at most /32" },
	{ NET("a", "<subnet name=\"s\" cidr=\"10.0.0.0/024\"/>"), "", "",
	  "'10.0.0.0/024' is not an address/prefix" },
	{ NET("a", "<subnet name=\"s\" cidr=\"10.0.0.300/24\"/>"), "", "",
	  "'10.0.0.300/24' is not an address/prefix" },
	{ NET("a", "<subnet name=\"s\" cidr=\"10.3.58.5/24\"/>"), "", "",
	  "'10.3.58.5/24' has host bits set (the network is 10.3.58.0/24)" },
	{ "", NET("a", SUBNET("cidr=\"2001:db8::1/64\"", "")), "",
	  "'2001:db8::1/64' has host bits set (the network is 2001:db8::/64)" },
	/* gateways: of the subnet's family (outside it is the engine's to warn about) */
	{ NET("a", "<subnet name=\"s\" cidr=\"10.0.0.0/24\" gateway=\"fe80::1\"/>"), "", "",
	  "attribute 'gateway': fe80::1 is an IPv6 address, but subnet 's' (10.0.0.0/24) is IPv4" },
	{ "", NET("a", SUBNET("cidr=\"2001:db8::/64\" gateway=\"10.0.0.1\"", "")), "",
	  "10.0.0.1 is an IPv4 address, but subnet 's' (2001:db8::/64) is IPv6" },
	/* reserved ranges and in-use addresses */
	{ "", NET("a", SUBNET("cidr=\"10.0.0.0/24\"", "<reserved from=\"10.0.0.9\" "
						     "to=\"10.0.0.1\"/>")),
	  "", "element 'reserved': from 10.0.0.9 is after to 10.0.0.1" },
	{ "", NET("a", SUBNET("cidr=\"10.0.0.0/24\"", "<reserved from=\"10.0.0.250\" "
						     "to=\"10.0.1.5\"/>")),
	  "", "attribute 'to': 10.0.1.5 lies outside subnet 's' (10.0.0.0/24)" },
	{ "", NET("a", SUBNET("cidr=\"10.0.0.0/24\"", "<reserved from=\"9.255.255.255\" "
						     "to=\"10.0.0.5\"/>")),
	  "", "attribute 'from': 9.255.255.255 lies outside subnet 's' (10.0.0.0/24)" },
	{ "", NET("a", SUBNET("cidr=\"10.0.0.0/24\"", "<reserved from=\"10.0.0.1\" to=\"::1\"/>")),
	  "", "attribute 'to': ::1 is an IPv6 address, but subnet 's' (10.0.0.0/24) is IPv4" },
	{ "", NET("a", SUBNET("cidr=\"2001:db8::/64\"", "<reserved from=\"2001:db8::ff\" "
						       "to=\"2001:db8::f\"/>")),
	  "", "from 2001:db8::ff is after to 2001:db8::f" },
	{ "", NET("a", SUBNET("cidr=\"10.0.0.0/24\"", "<in-use ip=\"10.0.1.1\"/>")), "",
	  "element 'in-use': attribute 'ip': 10.0.1.1 lies outside subnet 's' (10.0.0.0/24)" },
	{ "", NET("a", SUBNET("cidr=\"2001:db8::/64\"", "<in-use ip=\"2001:db8:0:1::1\"/>")), "",
	  "2001:db8:0:1::1 lies outside subnet 's' (2001:db8::/64)" },
	{ "", NET("a", SUBNET("cidr=\"2001:db8::/64\"", "<in-use ip=\"10.0.0.1\"/>")), "",
	  "10.0.0.1 is an IPv4 address, but subnet 's' (2001:db8::/64) is IPv6" },
	{ "", NET("a", SUBNET("cidr=\"10.0.0.0/24\"", "<dns ip=\"0.0.0.0\"/>")), "",
	  "element 'dns': attribute 'ip': the unspecified address is not a DNS server" },
	/* re-IP rules */
	{ "", "", "<reip source=\"172.16.*.*\" target=\"2001:db8::*\"/>",
	  "element 'reip': source '172.16.*.*' and target '2001:db8::*' are of different "
	  "families" },
	{ "", "", "<reip source=\"172.16.*.*\" target=\"172.17.0.*\"/>",
	  "have their '*' at different places" },
	{ "", "", "<reip source=\"172.16.*.5\" target=\"172.17.*.5\"/>",
	  "source '172.16.*.5': a fixed octet after '*'" },
	{ "", "", "<reip source=\"172.16.*.*\" source-mask=\"255.255.255.0\" "
	  "target=\"172.17.*.*\"/>",
	  "source-mask '255.255.255.0' disagrees with source '172.16.*.*'" },
	{ "", "", "<reip source=\"172.1*.*.*\" target=\"172.17.*.*\"/>",
	  "'*' must stand for a whole octet" },
	{ "", "", "<reip source-cidr=\"10.0.0.0/16\" target-cidr=\"10.1.0.0/24\"/>",
	  "target-cidr '10.1.0.0/24' has a smaller host part" },
	{ "", "", "<reip source-cidr=\"10.0.0.0/8\" target-cidr=\"2001:db8::/32\"/>",
	  "are of different families" },
	{ "", "", "<reip source-cidr=\"10.0.0.0/33\" target-cidr=\"10.0.0.0/24\"/>",
	  "source-cidr '10.0.0.0/33'" },
	{ "", "", "<reip source=\"172.16.*.*\" target=\"172.17.*.*\" gateway=\"2001:db8::1\"/>",
	  "attribute 'gateway': 2001:db8::1 is an IPv6 address, but the rule's target is IPv4" },
	/* public pools */
	{ "", "", "<public-pool family=\"ipv4\"><range from=\"203.0.113.20\" to=\"203.0.113.10\"/>"
	  "</public-pool>", "element 'range': from 203.0.113.20 is after to 203.0.113.10" },
	{ "", "", "<public-pool family=\"ipv4\"><range from=\"203.0.113.20\" to=\"2001:db8::1\"/>"
	  "</public-pool>", "attribute 'to': 2001:db8::1 is an IPv6 address, but the public-pool "
	  "is IPv4" },
	{ "", "", "<public-pool family=\"ipv6\"><range from=\"203.0.113.1\" to=\"203.0.113.2\"/>"
	  "</public-pool>", "attribute 'from': 203.0.113.1 is an IPv4 address, but the public-pool "
	  "is IPv6" },
	/* a NIC by MAC: the schema takes the form, the reader the value */
	{ "<network name=\"a\"/><attach vm=\"v\" mac=\"00:00:00:00:00:00\" network=\"a\"/>", "", "",
	  "attribute 'mac': '00:00:00:00:00:00' is not a MAC address" },
};

static void test_refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(refusals); i++) {
		_cleanup_free_ char *doc = site_doc(refusals[i].source, refusals[i].target,
						    refusals[i].rows);

		site_refused(doc, strlen(doc), -EBADMSG, refusals[i].needle);
	}
}

/* What the reader leaves to the engine reads: unknown names, a gateway outside its subnet. */
static void test_left_to_engine(void **state)
{
	_cleanup_(gn_site_freep) struct gn_site *s = NULL;
	_cleanup_free_ char *doc = site_doc(
		"<network name=\"a\"><subnet name=\"s\" cidr=\"10.0.0.0/24\" gateway=\"10.9.9.9\"/>"
		"</network><attach vm=\"v\" network=\"nowhere\"/>",
		"<network name=\"b\"><subnet name=\"s\" cidr=\"10.0.0.0/8\"/><subnet name=\"t\" "
		"cidr=\"10.0.0.0/24\"/></network>",
		"<map source=\"nowhere\" target=\"nothing\" test-target=\"b\"/>");

	(void)state;
	s = read_ok(doc, strlen(doc));
	assert_null(gn_site_find_network(&s->source, s->maps.v[0].source));
	assert_ip(&s->source.networks.v[0].subnets.v[0].gateway, "10.9.9.9");
}

/* ---------- hostile documents ---------- */

/* A growing buffer for generated documents. */
struct text {
	char *p;
	size_t len, cap;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (t->len + (size_t)n < t->cap)
			break;
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->p = realloc(t->p, t->cap);
		assert_non_null(t->p);
	}
	t->len += (size_t)n;
}

static void test_million_networks(void **state)
{
	struct text t = { 0 };
	struct timespec t0, t1;

	(void)state;
	text_add(&t, "<site version=\"1\"><source>");
	for (unsigned i = 0; i < 1000000; i++)
		text_add(&t, "<network name=\"n%u\"/>", i);
	text_add(&t, "</source><target/></site>");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	site_refused(t.p, t.len, -E2BIG, "line 1: element 'source': more than 10000 networks on "
		     "the source side (GN_MAX_NETWORKS)");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("10^6 networks refused in %.2f s\n",
		      (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(t.p);
}

/* n rows of fmt (with one %zu) inside head and tail, read or refused. */
static void caps_case(const char *head, const char *fmt, const char *tail, size_t n,
		      const char *needle)
{
	struct text t = { 0 };

	text_add(&t, "<site version=\"1\">%s", head);
	for (size_t i = 0; i < n; i++)
		text_add(&t, fmt, i);
	text_add(&t, "%s</site>", tail);
	if (needle)
		site_refused(t.p, t.len, -E2BIG, needle);
	else
		gn_site_free(read_ok(t.p, t.len));
	free(t.p);
}

static void test_caps(void **state)
{
	static const struct {
		const char *head, *fmt, *tail, *needle;
		size_t max;
	} cases[] = {
		{ "<source/><target>", "<network name=\"n%zu\"/>", "</target>",
		  "more than 10000 networks on the target side (GN_MAX_NETWORKS)",
		  GN_MAX_NETWORKS },
		{ "<source><network name=\"n\">", "<subnet name=\"s%zu\" cidr=\"10.0.0.0/8\"/>",
		  "</network></source><target/>", "more than 4096 subnets in one network "
		  "(GN_MAX_SUBNETS)", GN_MAX_SUBNETS },
		{ "<source/><target/>",
		  "<reip source-cidr=\"10.0.0.0/8\" target-cidr=\"11.0.0.0/8\"/><!-- %zu -->", "",
		  "more than 1024 reip rules (GN_MAX_REIP_RULES)", GN_MAX_REIP_RULES },
		{ "<source/><target/>", "<public-pool family=\"ipv4\"><range from=\"10.0.0.1\" "
		  "to=\"10.0.0.2\"/></public-pool><!-- %zu -->", "",
		  "more than 256 public pools (GN_MAX_PUBLIC_POOLS)", GN_MAX_PUBLIC_POOLS },
		{ "<source/><target/><public-pool family=\"ipv6\">",
		  "<range from=\"2001:db8::1\" to=\"2001:db8::2\"/><!-- %zu -->", "</public-pool>",
		  "more than 65536 ranges in one public pool (GN_MAX_RANGES)", GN_MAX_RANGES },
		{ "<source/><target><network name=\"n\"><subnet name=\"s\" cidr=\"10.0.0.0/8\">",
		  "<reserved from=\"10.0.0.1\" to=\"10.0.0.2\"/><!-- %zu -->",
		  "</subnet></network></target>", "more than 65536 reserved ranges in one subnet "
		  "(GN_MAX_RANGES)", GN_MAX_RANGES },
		{ "<source/><target><network name=\"n\"><subnet name=\"s\" cidr=\"2001:db8::/64\">",
		  "<dns ip=\"2001:db8::%zx\"/>", "</subnet></network></target>",
		  "more than 32 DNS servers in one list (GN_MAX_DNS)", GN_MAX_DNS },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		caps_case(cases[i].head, cases[i].fmt, cases[i].tail, cases[i].max, NULL);
		caps_case(cases[i].head, cases[i].fmt, cases[i].tail, cases[i].max + 1,
			  cases[i].needle);
	}
}

/* Many networks of a few subnets each: the side's total is capped too. */
static void test_cap_site_subnets(void **state)
{
	const size_t per = 1000, networks = GN_MAX_SITE_SUBNETS / per;
	struct text t = { 0 };

	(void)state;
	text_add(&t, "<site version=\"1\"><source/><target>");
	for (size_t i = 0; i <= networks; i++) {
		text_add(&t, "<network name=\"n%zu\">", i);
		for (size_t j = 0; j < (i < networks ? per : 1); j++)
			text_add(&t, "<subnet name=\"s%zu\" cidr=\"10.0.0.0/8\"/>", j);
		text_add(&t, "</network>");
	}
	text_add(&t, "</target></site>");
	site_refused(t.p, t.len, -E2BIG, "element 'network': more than 100000 subnets on the "
		     "target side (GN_MAX_SITE_SUBNETS)");
	free(t.p);
}

static void test_hostile(void **state)
{
	static const struct {
		const char *doc, *needle;
	} cases[] = {
		{ "<?xml version=\"1.0\"?>\n<!DOCTYPE site [\n<!ENTITY a \"aaaaaaaaaa\">\n"
		  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		  "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n"
		  "<site version=\"1\" name=\"&c;\"><source/><target/></site>\n",
		  "'site.xml' line 2: DOCTYPE is not allowed" },
		{ "<!DOCTYPE site [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
		  "<site version=\"1\" name=\"&x;\"><source/><target/></site>",
		  "line 1: DOCTYPE is not allowed" },
		{ "<!DOCTYPE site SYSTEM \"http://127.0.0.1:9/site.dtd\">\n"
		  "<site version=\"1\"><source/><target/></site>", "DOCTYPE is not allowed" },
		{ "<site version=\"1\" name=\"&undeclared;\"><source/><target/></site>",
		  "'site.xml' line 1: Entity 'undeclared' not defined" },
		/* ISO 8859-1 where UTF-8 is due */
		{ "<site version=\"1\" name=\"D\xe9p\xf4t\"><source/><target/></site>",
		  "'site.xml' line 1: Input is not proper UTF-8" },
		{ "<site version=\"1\"><source/><target/></site><site/>",
		  "'site.xml' line 1: Extra content at the end of the document" },
		{ "<guestnet version=\"1\"><guest os=\"linux\"/></guestnet>",
		  "'site.xml' line 1: element 'guestnet': not a site document (<site>)" },
		{ "<plan version=\"1\" mode=\"failover\"/>",
		  "element 'plan': not a site document (<site>)" },
		{ "<sight version=\"1\"/>", "root element 'sight' is not a guestnet document" },
		{ "<site version=\"1\"><source><network name=\"a\"><subnet name=\"s\" "
		  "cidr=\"10.0.0.0/4294967328\"/></network></source><target/></site>",
		  "element 'subnet': " },  /* the schema takes lengths of 3 digits at most */
		{ "<site version=\"1\"><source><network name=\"a\"><subnet name=\"s\" "
		  "cidr=\"2001:db8::/-64\"/></network></source><target/></site>",
		  "element 'subnet': " },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++)
		site_refused(cases[i].doc, strlen(cases[i].doc), -EBADMSG, cases[i].needle);
	/* UTF-16 */
	site_refused("\xff\xfe<\0s\0", 6, -EBADMSG, "not UTF-8");
	site_refused("", 0, -EBADMSG, "document is empty");
}

static void test_file_errors(void **state)
{
	struct gn_site *s = NULL;
	gn_error err = { "" };

	(void)state;
	assert_int_equal(gn_site_read_file(SITES "/no-such-site.xml", &s, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no-such-site.xml"));
	assert_int_equal(gn_site_read_file(SITES, &s, &err), -EISDIR);
	assert_null(s);
}

/* ---------- the plan schema against the plan writer ---------- */

static void fill_plan(struct gn_plan *p)
{
	struct gn_plan_vm *vm;
	struct gn_plan_nic *nic;
	struct gn_plan_public *pub;
	struct gn_ip dns;

	assert_int_equal(gn_plan_add_vm(p, "APP-SRV01", &vm), 0);
	assert_int_equal(gn_plan_add_nic(vm, "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}",
					 "00:50:56:a5:12:69", &nic), 0);
	nic->source_network = strdup("Prod-10");
	nic->target_network = strdup("DR-Prod-10");
	nic->subnet = strdup("app");
	nic->connected = true;
	nic->v4 = (struct gn_plan_ip){ .mode = GN_MODE_STATIC, .prefix = 24,
				       .rule = GN_RULE_NEXT_AVAILABLE };
	assert_int_equal(gn_ip_parse("10.3.58.10", &nic->v4.ip), 0);
	assert_int_equal(gn_ip_parse("10.3.58.1", &nic->v4.gateway), 0);
	nic->v6 = (struct gn_plan_ip){ .mode = GN_MODE_STATIC, .prefix = 64,
				       .rule = GN_RULE_KEPT_SOURCE_IP };
	assert_int_equal(gn_ip_parse("2001:db8:58::5", &nic->v6.ip), 0);
	assert_int_equal(gn_ip_parse("2001:db8:58::53", &dns), 0);
	assert_int_equal(gn_dns_list_add(&nic->dns, &dns, GN_ORIGIN_UNSET), 1);
	assert_int_equal(GN_ARRAY_PUSH(&nic->publics, GN_MAX_PLAN_PUBLICS, &pub), 0);
	assert_int_equal(gn_ip_parse("203.0.113.10", &pub->ip), 0);
	pub->port = 443;
	pub->internal_port = 8443;
	gn_plan_note(nic, "10.3.58.5 is in use at the target site: next available address");

	assert_int_equal(gn_plan_add_nic(vm, "{7C4F1A2B-0D3E-4F56-8A9B-1C2D3E4F5A6B}", NULL, &nic),
			 0);
	nic->connected = true;
	nic->v4 = (struct gn_plan_ip){ .mode = GN_MODE_DHCP, .rule = GN_RULE_DHCP };
	assert_int_equal(gn_plan_add_nic(vm, "ens192", NULL, &nic), 0);
	nic->v4 = (struct gn_plan_ip){ .mode = GN_MODE_STATIC, .rule = GN_RULE_NONE };
	for (int i = 0; i <= GN_MAX_PLAN_NOTES; i++)
		gn_plan_note(nic, "note %d", i);
	gn_plan_warn(p, "map row on line %d names target network '%s', which the site does not "
		     "have", 21, "DR-99");
}

static void test_plan_schema(void **state)
{
	static const enum gn_plan_mode modes[] = {
		GN_PLAN_FAILOVER, GN_PLAN_TEST, GN_PLAN_FAILBACK,
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(modes); i++) {
		_cleanup_(gn_plan_freep) struct gn_plan *p = NULL;
		_cleanup_(gn_xml_freep) xmlDoc *doc = NULL;
		_cleanup_free_ char *out = NULL;
		gn_error err = { "" };
		size_t len;

		assert_int_equal(gn_plan_new(modes[i], i ? NULL : "dr-east", &p), 0);
		if (i < 2)
			fill_plan(p);
		assert_int_equal(gn_plan_to_xml(p, &out, &len, &err), 0);
		if (gn_xml_parse_memory(out, len, "plan.xml", &doc, &err) < 0)
			fail_msg("the writer's plan breaks plan.rng: %s\n%s", err.msg, out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr_parse),
		cmocka_unit_test(test_prefix_helpers),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_names_per_side),
		cmocka_unit_test(test_data_files),
		cmocka_unit_test(test_demo_site),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_left_to_engine),
		cmocka_unit_test(test_million_networks),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_cap_site_subnets),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_plan_schema),
	};

	return cmocka_run_group_tests(tests, watch_libxml2, check_libxml2);
}
