/*
 * test-model.c: the normalization rules of model.c: strings checked for UTF-8, control
 * characters and length; placeholders and duplicates dropped; every list capped; routes
 * carried by their network address; the enumeration names.
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
#include "model.h"

static struct gn_ip ip(const char *s)
{
	struct gn_ip a;

	if (gn_ip_parse(s, &a) < 0)
		fail_msg("bad address in test: '%s'", s);
	return a;
}

/* A guest in a settings document freed by the caller. */
static struct gn_guest *guest(gn_settings **s)
{
	struct gn_guest *g;

	assert_int_equal(gn_settings_new(s), 0);
	assert_int_equal(gn_settings_add_guest(*s, &g), 0);
	return g;
}

static void test_set_string(void **state)
{
	static const struct {
		const char *value;
		int r;
	} cases[] = {
		{ "Local Area Connection", 0 },
		{ "tab\tnewline\ncarriage return\r", 0 },
		{ "del \x7f", 0 },
		{ "R\xc3\xa9seau \xe2\x82\xac \xf0\x9f\x98\x80", 0 },   /* é € U+1F600 */
		{ "\xef\xbf\xbd", 0 },                                  /* U+FFFD */
		{ "\xf4\x8f\xbf\xbf", 0 },                              /* U+10FFFF */
		{ "\x01", -EINVAL },                                    /* C0 control */
		{ "esc \x1b[0m", -EINVAL },
		{ "\xff", -EINVAL },
		{ "\xc3", -EINVAL },                                    /* cut short */
		{ "\xc3x", -EINVAL },
		{ "\xc0\x80", -EINVAL },                                /* overlong NUL */
		{ "\xc1\xbf", -EINVAL },
		{ "\xe0\x80\xaf", -EINVAL },                            /* overlong '/' */
		{ "\xf0\x80\x80\xaf", -EINVAL },
		{ "\xed\xa0\x80", -EINVAL },                            /* surrogate */
		{ "\xf4\x90\x80\x80", -EINVAL },                        /* past U+10FFFF */
		{ "\xf5\x80\x80\x80", -EINVAL },
		{ "\xef\xbf\xbe", -EINVAL },                            /* U+FFFE */
		{ "\xef\xbf\xbf", -EINVAL },                            /* U+FFFF */
		{ "\x80", -EINVAL },                                    /* lone continuation */
	};
	_cleanup_free_ char *field = NULL;
	char big[GN_MAX_STRING + 8];

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		assert_int_equal(gn_set_string(&field, "before"), 0);
		int r = gn_set_string(&field, cases[i].value);
		if (r != cases[i].r)
			fail_msg("case %zu: %d, want %d", i, r, cases[i].r);
		assert_string_equal(field, r == 0 ? cases[i].value : "before");  /* unchanged */
	}

	/* length: GN_MAX_STRING bytes, not characters */
	memset(big, 'a', GN_MAX_STRING);
	big[GN_MAX_STRING] = '\0';
	assert_int_equal(gn_set_string(&field, big), 0);
	assert_int_equal(strlen(field), GN_MAX_STRING);
	big[GN_MAX_STRING] = 'a';
	big[GN_MAX_STRING + 1] = '\0';
	assert_int_equal(gn_set_string(&field, big), -E2BIG);
	assert_int_equal(strlen(field), GN_MAX_STRING);
	strcpy(big + GN_MAX_STRING - 1, "\xc3\xa9");  /* a two-byte character across the cap */
	assert_int_equal(gn_set_string(&field, big), -E2BIG);

	/* empty or NULL clears */
	assert_int_equal(gn_set_string(&field, ""), 0);
	assert_null(field);
	assert_int_equal(gn_set_string(&field, "x"), 0);
	assert_int_equal(gn_set_string(&field, NULL), 0);
	assert_null(field);
}

static void test_warnings(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = guest(&s);
	char big[GN_MAX_STRING + 8];

	(void)state;
	gn_guest_warn(g, "key '%s' unreadable", "Tcpip");
	gn_guest_warn(g, "key '%s' unreadable", "Tcpip");  /* duplicate */
	assert_int_equal(g->warnings.n, 1);
	assert_string_equal(g->warnings.v[0], "key 'Tcpip' unreadable");

	/* bytes quoted from a guest that XML cannot carry become '?', the rest is kept */
	gn_guest_warn(g, "bad %s", "\xff\x01ok\xc3\xa9");
	assert_string_equal(g->warnings.v[1], "bad ??ok\xc3\xa9");

	/* too long: cut to GN_MAX_STRING bytes at a character boundary */
	memset(big, 'a', GN_MAX_STRING - 1);
	strcpy(big + GN_MAX_STRING - 1, "\xc3\xa9tail");
	gn_guest_warn(g, "%s", big);
	assert_int_equal(g->warnings.n, 3);
	assert_int_equal(strlen(g->warnings.v[2]), GN_MAX_STRING - 1);

	/* past the cap one last warning says so and the rest are dropped */
	for (int i = 0; i < 2 * GN_MAX_WARNINGS; i++)
		gn_guest_warn(g, "warning %d", i);
	assert_int_equal(g->warnings.n, GN_MAX_WARNINGS);
	assert_true(g->warnings_capped);
	assert_non_null(strstr(g->warnings.v[GN_MAX_WARNINGS - 1], "the rest were dropped"));
	assert_string_equal(g->warnings.v[GN_MAX_WARNINGS - 2], "warning 251");
}

static void test_sources(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = guest(&s);
	struct gn_source *src;

	(void)state;
	for (int i = 0; i < GN_MAX_SOURCES; i++) {
		assert_int_equal(gn_guest_add_source(g, GN_SOURCE_REGISTRY, &src), 1);
		assert_int_equal(src->collected, GN_UNSET);
		assert_int_equal(src->kind, GN_SOURCE_REGISTRY);
	}
	assert_int_equal(gn_guest_add_source(g, GN_SOURCE_REGISTRY, &src), -E2BIG);
}

static void test_interfaces(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = guest(&s);
	struct gn_interface *ifc, *other;
	char id[32];

	(void)state;
	assert_int_equal(gn_guest_add_interface(g, "{698e50a9-4f58-4d86-b61d-f42e58dcacf6}", &ifc), 1);
	assert_string_equal(ifc->id, "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}");
	assert_int_equal(ifc->enabled, -1);
	assert_int_equal(ifc->v4.family, GN_AF_INET);
	assert_int_equal(ifc->v6.family, GN_AF_INET6);
	assert_int_equal(ifc->v4.mode, GN_MODE_UNSET);
	assert_int_equal(ifc->v4.lease.obtained, GN_UNSET);
	assert_int_equal(ifc->v4.lease.expires, GN_UNSET);
	assert_int_equal(ifc->v6.lease.obtained, GN_UNSET);
	assert_int_equal(ifc->v6.lease.expires, GN_UNSET);
	assert_ptr_equal(gn_interface_ipconf(ifc, GN_AF_INET), &ifc->v4);
	assert_ptr_equal(gn_interface_ipconf(ifc, GN_AF_INET6), &ifc->v6);

	/* the registry spells a GUID in either case: one interface */
	assert_int_equal(gn_guest_add_interface(g, "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}", &other),
			 -EEXIST);
	assert_ptr_equal(gn_guest_find_interface(g, "{698e50a9-4f58-4d86-b61d-f42e58dcacf6}"), ifc);
	assert_null(gn_guest_find_interface(g, "eth0"));
	assert_int_equal(gn_guest_add_interface(g, "", &other), -EINVAL);
	assert_int_equal(gn_guest_add_interface(g, NULL, &other), -EINVAL);
	assert_int_equal(gn_guest_add_interface(g, "bad\x01", &other), -EINVAL);

	/* MACs */
	assert_int_equal(gn_interface_set_mac(ifc, "00-50-56-A5-12-69"), 0);
	assert_string_equal(ifc->mac, "00:50:56:a5:12:69");
	assert_int_equal(gn_interface_set_mac(ifc, "00:00:00:00:00:00"), -EINVAL);
	assert_string_equal(ifc->mac, "00:50:56:a5:12:69");
	assert_int_equal(gn_interface_set_permanent_mac(ifc, "0050.56a5.1270"), 0);
	assert_string_equal(ifc->permanent_mac, "00:50:56:a5:12:70");

	for (int i = 1; i < GN_MAX_INTERFACES; i++) {
		snprintf(id, sizeof(id), "eth%d", i);
		assert_int_equal(gn_guest_add_interface(g, id, &other), 1);
	}
	assert_int_equal(gn_guest_add_interface(g, "one-too-many", &other), -E2BIG);
	assert_int_equal(g->interfaces.n, GN_MAX_INTERFACES);
}

static void test_addresses(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = guest(&s);
	struct gn_interface *ifc;
	struct gn_ipconf *v4, *v6;
	struct gn_ip a;

	(void)state;
	assert_int_equal(gn_guest_add_interface(g, "eth0", &ifc), 1);
	v4 = &ifc->v4;
	v6 = &ifc->v6;

	a = ip("10.0.0.5");
	assert_int_equal(gn_ipconf_add_address(v4, &a, 24, GN_ORIGIN_STATIC), 1);
	assert_int_equal(gn_ipconf_add_address(v4, &a, 16, GN_ORIGIN_DHCP), 0);  /* duplicate */
	assert_int_equal(gn_ipconf_add_address(v4, &a, 33, GN_ORIGIN_STATIC), -EINVAL);
	assert_int_equal(gn_ipconf_add_address(v6, &a, 24, GN_ORIGIN_STATIC), -EINVAL);
	a = ip("0.0.0.0");
	assert_int_equal(gn_ipconf_add_address(v4, &a, 0, GN_ORIGIN_STATIC), 0);  /* placeholder */
	a = ip("::");
	assert_int_equal(gn_ipconf_add_address(v6, &a, 0, GN_ORIGIN_STATIC), 0);
	a = ip("2001:db8::5");
	assert_int_equal(gn_ipconf_add_address(v6, &a, 128, GN_ORIGIN_UNSET), 1);
	assert_int_equal(v6->addresses.v[0].origin, GN_ORIGIN_UNKNOWN);
	assert_int_equal(gn_ipconf_add_address(v6, &a, 129, GN_ORIGIN_STATIC), -EINVAL);
	assert_int_equal(v4->addresses.n, 1);
	assert_int_equal(v4->addresses.v[0].prefix, 24);

	for (unsigned i = 1; i < GN_MAX_ADDRESSES; i++) {
		uint8_t b[4] = { 10, 1, (uint8_t)(i >> 8), (uint8_t)i };
		gn_ip_from_bytes(&a, GN_AF_INET, b);
		assert_int_equal(gn_ipconf_add_address(v4, &a, 16, GN_ORIGIN_STATIC), 1);
	}
	a = ip("10.2.0.1");
	assert_int_equal(gn_ipconf_add_address(v4, &a, 16, GN_ORIGIN_STATIC), -E2BIG);
	a = ip("10.0.0.5");
	assert_int_equal(gn_ipconf_add_address(v4, &a, 16, GN_ORIGIN_STATIC), 0);  /* dup first */

	/* gateways */
	a = ip("10.0.0.1");
	assert_int_equal(gn_ipconf_add_gateway(v4, &a, 10), 1);
	assert_int_equal(gn_ipconf_add_gateway(v4, &a, 20), 0);
	assert_int_equal(v4->gateways.v[0].metric, 10);
	a = ip("0.0.0.0");
	assert_int_equal(gn_ipconf_add_gateway(v4, &a, GN_UNSET), 0);
	a = ip("fe80::1");
	assert_int_equal(gn_ipconf_add_gateway(v4, &a, GN_UNSET), -EINVAL);
	for (unsigned i = 1; i < GN_MAX_GATEWAYS; i++) {
		uint8_t b[4] = { 10, 0, 1, (uint8_t)i };
		gn_ip_from_bytes(&a, GN_AF_INET, b);
		assert_int_equal(gn_ipconf_add_gateway(v4, &a, GN_UNSET), 1);
	}
	a = ip("10.0.2.1");
	assert_int_equal(gn_ipconf_add_gateway(v4, &a, GN_UNSET), -E2BIG);

	/* WINS: IPv4 only */
	a = ip("10.0.0.9");
	assert_int_equal(gn_ipconf_add_wins(v4, &a), 1);
	assert_int_equal(gn_ipconf_add_wins(v4, &a), 0);
	assert_int_equal(gn_ipconf_add_wins(v6, &a), -EINVAL);
	a = ip("2001:db8::9");
	assert_int_equal(gn_ipconf_add_wins(v4, &a), -EINVAL);
	for (unsigned i = 1; i < GN_MAX_WINS; i++) {
		uint8_t b[4] = { 10, 0, 9, (uint8_t)i };
		gn_ip_from_bytes(&a, GN_AF_INET, b);
		assert_int_equal(gn_ipconf_add_wins(v4, &a), 1);
	}
	a = ip("10.0.10.1");
	assert_int_equal(gn_ipconf_add_wins(v4, &a), -E2BIG);
}

static void test_dns(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = guest(&s);
	struct gn_ip a, none = { 0 };

	(void)state;
	/* a guest's resolvers mix families, in order */
	a = ip("127.0.0.53");
	assert_int_equal(gn_guest_add_dns(g, &a, GN_ORIGIN_STATIC), 1);
	a = ip("::1");
	assert_int_equal(gn_guest_add_dns(g, &a, GN_ORIGIN_UNSET), 1);
	assert_int_equal(gn_guest_add_dns(g, &a, GN_ORIGIN_DHCP), 0);
	assert_int_equal(g->dns.v[1].origin, GN_ORIGIN_UNSET);
	a = ip("0.0.0.0");
	assert_int_equal(gn_guest_add_dns(g, &a, GN_ORIGIN_UNSET), 0);
	assert_int_equal(gn_guest_add_dns(g, &none, GN_ORIGIN_UNSET), -EINVAL);
	for (unsigned i = 2; i < GN_MAX_DNS; i++) {
		uint8_t b[4] = { 10, 0, 0, (uint8_t)i };
		gn_ip_from_bytes(&a, GN_AF_INET, b);
		assert_int_equal(gn_guest_add_dns(g, &a, GN_ORIGIN_UNSET), 1);
	}
	a = ip("10.0.1.1");
	assert_int_equal(gn_guest_add_dns(g, &a, GN_ORIGIN_UNSET), -E2BIG);
	assert_int_equal(g->dns.n, GN_MAX_DNS);
}

static void test_search(void **state)
{
	static const struct {
		const char *domain;
		int r;
	} cases[] = {
		{ "example.com", 1 },
		{ "EXAMPLE.com", 0 },        /* case-insensitive duplicate */
		{ "corp_dc-1.example.com", 1 },
		{ "", 0 },                   /* nothing to add */
		{ "exa mple.com", -EINVAL },
		{ "example.com.\n", -EINVAL },
		{ "b\xc3\xbc" "cher.de", -EINVAL },  /* IDNs are written as punycode */
	};
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = guest(&s);
	char name[300];

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++)
		assert_int_equal(gn_guest_add_search(g, cases[i].domain), cases[i].r);
	assert_int_equal(gn_guest_add_search(g, NULL), 0);
	memset(name, 'a', 253);
	name[253] = '\0';
	assert_int_equal(gn_guest_add_search(g, name), 1);
	name[253] = 'a';
	name[254] = '\0';
	assert_int_equal(gn_guest_add_search(g, name), -EINVAL);
	for (size_t i = g->search.n; i < GN_MAX_SEARCH; i++) {
		snprintf(name, sizeof(name), "d%zu.example", i);
		assert_int_equal(gn_guest_add_search(g, name), 1);
	}
	assert_int_equal(gn_guest_add_search(g, "one-too-many.example"), -E2BIG);
}

static void test_routes(void **state)
{
	static const struct {
		const char *dest;
		unsigned prefix;
		const char *gateway, *network;
		int r;
	} cases[] = {
		{ "10.1.2.3", 8, "10.0.0.1", "10.0.0.0", 1 },           /* host bits cleared */
		{ "10.9.9.9", 8, "10.0.0.1", NULL, 0 },                 /* the same network */
		{ "10.0.0.0", 8, "10.0.0.2", "10.0.0.0", 1 },           /* another gateway */
		{ "172.16.5.7", 20, NULL, "172.16.0.0", 1 },
		{ "192.168.1.255", 25, "0.0.0.0", "192.168.1.128", 1 }, /* 0.0.0.0: on-link */
		{ "192.168.1.200", 25, NULL, NULL, 0 },                 /* the same, on-link */
		{ "1.2.3.4", 0, "10.0.0.1", "0.0.0.0", 1 },
		{ "1.2.3.4", 32, NULL, "1.2.3.4", 1 },
		{ "2001:db8:1:2:3:4:5:6", 32, "fe80::1", "2001:db8::", 1 },
		{ "2001:db8:ffff::1", 47, NULL, "2001:db8:fffe::", 1 },
		{ "::1", 128, NULL, "::1", 1 },
		{ "10.0.0.0", 33, NULL, NULL, -EINVAL },
		{ "2001:db8::", 129, NULL, NULL, -EINVAL },
		{ "10.0.0.0", 8, "fe80::1", NULL, -EINVAL },            /* gateway of another family */
		{ "2001:db8::", 32, "10.0.0.1", NULL, -EINVAL },
	};
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = guest(&s);
	struct gn_ip d, gw, none = { 0 };
	char buf[GN_IP_TEXT_MAX];

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		size_t n = g->routes.n;

		d = ip(cases[i].dest);
		if (cases[i].gateway)
			gw = ip(cases[i].gateway);
		int r = gn_guest_add_route(g, &d, cases[i].prefix, cases[i].gateway ? &gw : NULL, 5,
					   NULL);
		if (r != cases[i].r)
			fail_msg("route %s/%u: %d, want %d", cases[i].dest, cases[i].prefix, r,
				 cases[i].r);
		if (r != 1)
			continue;
		assert_int_equal(g->routes.n, n + 1);
		assert_string_equal(gn_ip_format(&g->routes.v[n].destination, buf), cases[i].network);
		assert_int_equal(g->routes.v[n].family, d.family);
		if (!cases[i].gateway || gn_ip_is_unspecified(&gw))
			assert_int_equal(g->routes.v[n].gateway.family, 0);
	}
	assert_int_equal(gn_guest_add_route(g, &none, 0, NULL, 0, NULL), -EINVAL);

	/* interface ids: a GUID normalized; the same route on another interface is another route,
	 * one without an interface (PersistentRoutes) the same as one with it */
	d = ip("10.50.0.0");
	assert_int_equal(gn_guest_add_route(g, &d, 16, NULL, GN_UNSET,
					    "{698e50a9-4f58-4d86-b61d-f42e58dcacf6}"), 1);
	assert_string_equal(g->routes.v[g->routes.n - 1].interface,
			    "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}");
	assert_int_equal(g->routes.v[g->routes.n - 1].metric, GN_UNSET);
	assert_int_equal(gn_guest_add_route(g, &d, 16, NULL, 7,
					    "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}"), 0);
	assert_int_equal(gn_guest_add_route(g, &d, 16, NULL, GN_UNSET, "eth1"), 1);
	assert_int_equal(gn_guest_add_route(g, &d, 16, NULL, GN_UNSET, NULL), 0);

	for (unsigned i = (unsigned)g->routes.n; i < GN_MAX_ROUTES; i++) {
		uint8_t b[4] = { 10, 200, (uint8_t)(i >> 8), (uint8_t)i };
		gn_ip_from_bytes(&d, GN_AF_INET, b);
		assert_int_equal(gn_guest_add_route(g, &d, 32, NULL, GN_UNSET, NULL), 1);
	}
	d = ip("10.201.0.0");
	assert_int_equal(gn_guest_add_route(g, &d, 16, NULL, GN_UNSET, NULL), -E2BIG);
}

static void test_guests(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g;

	(void)state;
	assert_int_equal(gn_settings_new(&s), 0);
	assert_int_equal(gn_settings_count(s), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(gn_settings_add_guest(s, &g), 0);
	assert_int_equal(gn_settings_count(s), 3);
	assert_int_equal(g->os, GN_OS_UNSET);
	gn_settings_free(NULL);
}

/* Every name reads back to its value; values outside a table have none. */
#define CHECK_NAMES(type, first, last)                                                  \
	do {                                                                            \
		assert_null(gn_##type##_name((enum gn_##type)0));  /* UNSET: no name */ \
		assert_null(gn_##type##_name((enum gn_##type)((last) + 1)));            \
		for (int v = (first); v <= (last); v++) {                               \
			const char *n = gn_##type##_name((enum gn_##type)v);            \
			assert_non_null(n);                                             \
			assert_int_equal(gn_##type##_from_name(n), v);                  \
		}                                                                       \
		assert_int_equal(gn_##type##_from_name("bogus"), -1);                   \
		assert_int_equal(gn_##type##_from_name(""), -1);                        \
		assert_int_equal(gn_##type##_from_name(NULL), -1);                      \
	} while (0)

static void test_names(void **state)
{
	(void)state;
	CHECK_NAMES(mode, GN_MODE_STATIC, GN_MODE_DISABLED);
	CHECK_NAMES(origin, GN_ORIGIN_STATIC, GN_ORIGIN_UNKNOWN);
	CHECK_NAMES(iftype, GN_IFTYPE_ETHERNET, GN_IFTYPE_OTHER);
	CHECK_NAMES(os, GN_OS_WINDOWS, GN_OS_LINUX);
	CHECK_NAMES(source_kind, GN_SOURCE_RUNTIME, GN_SOURCE_BACKUP);
	CHECK_NAMES(backup_kind, GN_BACKUP_FOLDER, GN_BACKUP_IMAGE);
	assert_int_equal(gn_from_kind_from_name("registry"), GN_SOURCE_REGISTRY);
	assert_int_equal(gn_from_kind_from_name("backup"), -1);  /* a from names a collector */
	assert_string_equal(gn_origin_name(GN_ORIGIN_LINK_LOCAL), "link-local");
	assert_string_equal(gn_source_kind_name(GN_SOURCE_CONFIG_FILES), "config-files");
	assert_int_equal(gn_mode_from_name("Static"), -1);  /* exact, case-sensitive */
}

/* The record of a recorded document: one per document, images checked and capped. */
static void test_record(void **state)
{
	static const char sha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	static const struct {
		const char *path;
		uint64_t size;
		const char *sha256;
		int r;
	} cases[] = {
		{ "disk1.qcow2", 0, sha, 1 },
		{ "vm.ova/vm-disk1.vmdk", INT64_MAX, sha, 1 },
		{ "..data/disk.raw", 1, sha, 1 },                  /* '..' only as a whole component */
		{ "disk1.qcow2", 1, sha, -EEXIST },
		{ "", 1, sha, -EINVAL },
		{ NULL, 1, sha, -EINVAL },
		{ "/var/backups/disk.raw", 1, sha, -EINVAL },
		{ "../disk.raw", 1, sha, -EINVAL },
		{ "a/../../disk.raw", 1, sha, -EINVAL },
		{ "a/..", 1, sha, -EINVAL },
		{ "bad\x01", 1, sha, -EINVAL },
		{ "big.raw", (uint64_t)INT64_MAX + 1, sha, -EINVAL },
		{ "upper.raw", 1, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
		  -EINVAL },
		{ "short.raw", 1, sha + 1, -EINVAL },
		{ "long.raw", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550",
		  -EINVAL },
		{ "hex.raw", 1, "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		  -EINVAL },
		{ "none.raw", 1, NULL, -EINVAL },
	};
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_record *rec, *again;
	char path[32];

	(void)state;
	assert_int_equal(gn_settings_new(&s), 0);
	assert_null(s->record);
	assert_int_equal(gn_settings_set_record(s, GN_BACKUP_UNSET, 0, &rec), -EINVAL);
	assert_int_equal(gn_settings_set_record(s, GN_BACKUP_OVA, -1, &rec), -EINVAL);
	assert_int_equal(gn_settings_set_record(s, GN_BACKUP_OVA, GN_UNSET, &rec), -EINVAL);
	assert_null(s->record);
	assert_int_equal(gn_settings_set_record(s, GN_BACKUP_OVA, 1795420800, &rec), 0);
	assert_ptr_equal(s->record, rec);
	assert_int_equal(rec->kind, GN_BACKUP_OVA);
	assert_int_equal(rec->recorded, 1795420800);
	assert_int_equal(gn_settings_set_record(s, GN_BACKUP_FOLDER, 0, &again), -EEXIST);

	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		int r = gn_record_add_image(rec, cases[i].path, cases[i].size, cases[i].sha256);
		if (r != cases[i].r)
			fail_msg("case %zu ('%s'): %d, want %d", i, cases[i].path, r, cases[i].r);
	}
	assert_int_equal(rec->images.n, 3);
	assert_string_equal(rec->images.v[1].path, "vm.ova/vm-disk1.vmdk");
	assert_int_equal(rec->images.v[1].size, INT64_MAX);
	assert_string_equal(rec->images.v[1].sha256, sha);

	for (size_t i = rec->images.n; i < GN_MAX_RECORD_IMAGES; i++) {
		snprintf(path, sizeof(path), "disk%zu.raw", i);
		assert_int_equal(gn_record_add_image(rec, path, i, sha), 1);
	}
	assert_int_equal(gn_record_add_image(rec, "one-too-many.raw", 1, sha), -E2BIG);
	assert_int_equal(rec->images.n, GN_MAX_RECORD_IMAGES);
}

/* Elements without a from attribute come from the guest's first source (its origin for backup). */
static void test_source_kind(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = guest(&s);
	struct gn_source *src;

	(void)state;
	assert_int_equal(gn_guest_source_kind(g), GN_SOURCE_UNSET);
	assert_int_equal(gn_guest_add_source(g, GN_SOURCE_BACKUP, &src), 1);
	src->origin = GN_SOURCE_REGISTRY;
	assert_int_equal(gn_guest_add_source(g, GN_SOURCE_RUNTIME, &src), 1);
	assert_int_equal(gn_guest_source_kind(g), GN_SOURCE_REGISTRY);
	g->sources.v[0].kind = GN_SOURCE_CONFIG_FILES;
	assert_int_equal(gn_guest_source_kind(g), GN_SOURCE_CONFIG_FILES);
}

static void test_error(void **state)
{
	gn_error err;
	char big[2 * GN_MAX_ERROR];

	(void)state;
	assert_int_equal(gn_error_set(NULL, -EBADMSG, "x %d", 1), -EBADMSG);
	assert_int_equal(gn_error_set(&err, -E2BIG, "'%s': too big", "f"), -E2BIG);
	assert_string_equal(err.msg, "'f': too big");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	gn_error_set(&err, -EINVAL, "%s", big);
	assert_int_equal(strlen(err.msg), GN_MAX_ERROR - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_string),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_interfaces),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_guests),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_source_kind),
		cmocka_unit_test(test_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
