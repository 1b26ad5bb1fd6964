/*
 * test-windows-convert.c: the Windows agent's decisions (windows-convert.c) on the values the IP
 * Helper API and the registry give, table-driven, with the cases Wine cannot show: DHCP on with
 * a lease and DHCP-supplied DNS servers, DHCPv6, SLAAC and privacy addresses, IPv6 gateways,
 * routes learned from DHCP, router advertisements and routing protocols, registry lists with
 * bad entries; then one DHCP guest built as live-windows.c builds it, written and validated.
 *
 * windows-convert.c is compiled into this file: the unit-test rule links only libguestnet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../agent/windows-convert.c"

static struct gn_ip ip_of(const char *s)
{
	struct gn_ip ip = { 0 };

	if (gn_ip_parse(s, &ip) < 0)
		fail_msg("'%s' is not an address", s);
	return ip;
}

static void test_iftype(void **state)
{
	static const struct {
		uint32_t iftype;
		enum gn_iftype want;
	} cases[] = {
		{ 6, GN_IFTYPE_ETHERNET }, { 62, GN_IFTYPE_ETHERNET }, { 117, GN_IFTYPE_ETHERNET },
		{ 71, GN_IFTYPE_WIRELESS }, { 24, GN_IFTYPE_LOOPBACK }, { 131, GN_IFTYPE_TUNNEL },
		{ 23, GN_IFTYPE_OTHER },  /* PPP */
		{ 243, GN_IFTYPE_OTHER }, /* mobile broadband */
		{ 0, GN_IFTYPE_OTHER },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++)
		assert_int_equal(wc_iftype(cases[i].iftype), cases[i].want);
}

static void test_modes(void **state)
{
	struct wc_adapter a = { .ipv4_enabled = true, .ipv6_enabled = true };

	(void)state;
	assert_int_equal(wc_ipv4_mode(&a), GN_MODE_STATIC);
	assert_int_equal(wc_ipv6_mode(&a), GN_MODE_AUTO);
	a.dhcpv4_enabled = true;
	assert_int_equal(wc_ipv4_mode(&a), GN_MODE_DHCP);
	a.ipv4_enabled = a.ipv6_enabled = false;  /* the protocol unbound from the adapter */
	assert_int_equal(wc_ipv4_mode(&a), GN_MODE_DISABLED);
	assert_int_equal(wc_ipv6_mode(&a), GN_MODE_DISABLED);
}

enum { NO_REG, REG_STATIC, REG_DHCP, REG_DHCP_OFF };

/* The registry as Windows leaves it: REG_STATIC lists 10.0.0.5 as configured; REG_DHCP holds a
 * lease of 10.0.0.7; REG_DHCP_OFF the same DhcpIPAddress after a switch to static. */
static void registry(int kind, struct wc_tcpip *t)
{
	wc_tcpip_init(t);
	if (kind == NO_REG)
		return;
	t->found[0] = true;
	t->enable_dhcp = kind == REG_DHCP;
	if (kind == REG_STATIC)
		t->ip_address.v[t->ip_address.n++] = ip_of("10.0.0.5");
	else
		t->dhcp_ip_address = ip_of("10.0.0.7");
}

static void test_address_origin(void **state)
{
	enum { P_OTHER, P_MANUAL, P_WELL_KNOWN, P_DHCP, P_RA };
	enum { S_OTHER, S_MANUAL, S_WELL_KNOWN, S_DHCP, S_LINK, S_RANDOM };
	static const struct {
		const char *ip;
		int po, so;
		bool dhcp, managed;
		int reg;
		enum gn_origin want;
		const char *why;
	} cases[] = {
		{ "10.0.0.5", P_MANUAL, S_MANUAL, false, false, NO_REG, GN_ORIGIN_STATIC, "Windows, static" },
		{ "10.0.0.7", P_DHCP, S_DHCP, true, false, NO_REG, GN_ORIGIN_DHCP, "Windows, leased" },
		{ "10.0.0.7", P_DHCP, S_DHCP, false, false, NO_REG, GN_ORIGIN_STATIC,
		  "Wine: every address DHCP-assigned, DHCP off" },
		{ "2001:db8::10", P_DHCP, S_DHCP, false, false, NO_REG, GN_ORIGIN_UNKNOWN,
		  "Wine: an IPv6 address DHCP-assigned without the M flag" },
		{ "2001:db8::10", P_DHCP, S_DHCP, false, true, NO_REG, GN_ORIGIN_DHCP, "DHCPv6" },
		{ "2001:db8::5054:ff:fe12:3456", P_RA, S_LINK, false, false, NO_REG, GN_ORIGIN_AUTO, "SLAAC" },
		{ "2001:db8::8d3c:1f2e:aa01:7b", P_RA, S_RANDOM, false, false, NO_REG, GN_ORIGIN_AUTO,
		  "SLAAC privacy address" },
		{ "2001:db8::1", P_MANUAL, S_MANUAL, false, false, NO_REG, GN_ORIGIN_STATIC, "IPv6 static" },
		{ "fe80::5054:ff:fe12:3456", P_WELL_KNOWN, S_LINK, false, false, NO_REG,
		  GN_ORIGIN_LINK_LOCAL, "IPv6 link-local" },
		{ "fe80::1", P_DHCP, S_DHCP, false, false, NO_REG, GN_ORIGIN_LINK_LOCAL,
		  "link-local whatever the origins say" },
		{ "169.254.10.20", P_WELL_KNOWN, S_RANDOM, true, false, NO_REG, GN_ORIGIN_LINK_LOCAL,
		  "APIPA when no DHCP server answered" },
		{ "2002:c000:204::c000:204", P_WELL_KNOWN, S_WELL_KNOWN, false, false, NO_REG,
		  GN_ORIGIN_UNKNOWN, "6to4 tunnel address" },
		{ "10.1.1.1", P_OTHER, S_OTHER, false, false, NO_REG, GN_ORIGIN_UNKNOWN, "nothing known" },
		{ "10.0.0.5", P_OTHER, S_OTHER, false, false, REG_STATIC, GN_ORIGIN_STATIC,
		  "registry IPAddress" },
		{ "10.0.0.5", P_DHCP, S_DHCP, true, false, REG_STATIC, GN_ORIGIN_STATIC,
		  "registry IPAddress next to a lease" },
		{ "10.0.0.7", P_OTHER, S_OTHER, true, false, REG_DHCP, GN_ORIGIN_DHCP,
		  "registry DhcpIPAddress" },
		{ "10.0.0.7", P_OTHER, S_OTHER, false, false, REG_DHCP_OFF, GN_ORIGIN_UNKNOWN,
		  "a stale DhcpIPAddress" },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		struct wc_adapter a = { .ipv4_enabled = true, .ipv6_enabled = true,
					.dhcpv4_enabled = cases[i].dhcp,
					.dhcpv6_managed = cases[i].managed };
		struct wc_unicast u = { .ip = ip_of(cases[i].ip), .prefix_origin = cases[i].po,
					.suffix_origin = cases[i].so };
		struct wc_tcpip t;
		enum gn_origin got;

		registry(cases[i].reg, &t);
		got = wc_address_origin(&a, &t, &u);
		if (got != cases[i].want)
			fail_msg("%s (%s): origin %s, want %s", cases[i].why, cases[i].ip,
				 gn_origin_name(got), gn_origin_name(cases[i].want));
		if (cases[i].reg == NO_REG)
			assert_int_equal(wc_address_origin(&a, NULL, &u), cases[i].want);
	}
}

static void test_temporary(void **state)
{
	static const struct {
		const char *ip;
		int po, so;
		bool temporary;
	} cases[] = {
		{ "2001:db8::8d3c:1f2e:aa01:7b", WC_PREFIX_ORIGIN_ROUTER_ADVERTISEMENT,
		  WC_SUFFIX_ORIGIN_RANDOM, true },
		{ "2001:db8::5054:ff:fe12:3456", WC_PREFIX_ORIGIN_ROUTER_ADVERTISEMENT,
		  WC_SUFFIX_ORIGIN_LINK_LAYER_ADDRESS, false },
		{ "2001:db8::10", WC_PREFIX_ORIGIN_MANUAL, WC_SUFFIX_ORIGIN_MANUAL, false },
		{ "fe80::8d3c:1f2e:aa01:7b", WC_PREFIX_ORIGIN_WELL_KNOWN, WC_SUFFIX_ORIGIN_RANDOM, false },
		{ "fe80::8d3c:1f2e:aa01:7b", WC_PREFIX_ORIGIN_ROUTER_ADVERTISEMENT,
		  WC_SUFFIX_ORIGIN_RANDOM, false },
		{ "169.254.3.4", WC_PREFIX_ORIGIN_WELL_KNOWN, WC_SUFFIX_ORIGIN_RANDOM, false },
		{ "10.0.0.5", WC_PREFIX_ORIGIN_ROUTER_ADVERTISEMENT, WC_SUFFIX_ORIGIN_RANDOM, false },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		struct wc_unicast u = { .ip = ip_of(cases[i].ip), .prefix_origin = cases[i].po,
					.suffix_origin = cases[i].so };
		if (wc_address_temporary(&u) != cases[i].temporary)
			fail_msg("%s: temporary %d", cases[i].ip, !cases[i].temporary);
	}
}

static void test_dns_origin(void **state)
{
	struct wc_tcpip t;
	struct gn_ip ip;

	(void)state;
	wc_tcpip_init(&t);
	ip = ip_of("10.0.0.53");
	assert_int_equal(wc_dns_origin(&t, &ip), GN_ORIGIN_UNSET);  /* no registry: not known */
	assert_int_equal(wc_dns_origin(NULL, &ip), GN_ORIGIN_UNSET);

	t.found[0] = t.found[1] = true;
	t.name_server[0].v[t.name_server[0].n++] = ip_of("10.0.0.53");
	t.dhcp_name_server[0].v[t.dhcp_name_server[0].n++] = ip_of("10.0.0.53");
	t.dhcp_name_server[0].v[t.dhcp_name_server[0].n++] = ip_of("10.0.0.54");
	t.dhcp_name_server[1].v[t.dhcp_name_server[1].n++] = ip_of("2001:db8::53");
	assert_int_equal(wc_dns_origin(&t, &ip), GN_ORIGIN_STATIC);  /* configured wins */
	ip = ip_of("10.0.0.54");
	assert_int_equal(wc_dns_origin(&t, &ip), GN_ORIGIN_DHCP);
	ip = ip_of("10.0.0.55");
	assert_int_equal(wc_dns_origin(&t, &ip), GN_ORIGIN_UNSET);
	ip = ip_of("2001:db8::53");
	assert_int_equal(wc_dns_origin(&t, &ip), GN_ORIGIN_DHCP);
	t.found[1] = false;
	assert_int_equal(wc_dns_origin(&t, &ip), GN_ORIGIN_UNSET);

	static const struct {
		const char *ip;
		bool placeholder;
	} ph[] = {
		{ "fec0:0:0:ffff::1", true }, { "fec0:0:0:ffff::2", true }, { "fec0:0:0:ffff::3", true },
		{ "fec0:0:0:ffff::4", false }, { "fec0::1", false }, { "fec0:0:0:ffff::", false },
		{ "10.0.0.1", false }, { "2001:db8::1", false },
	};
	for (size_t i = 0; i < GN_ELEMENTSOF(ph); i++) {
		ip = ip_of(ph[i].ip);
		if (wc_dns_placeholder(&ip) != ph[i].placeholder)
			fail_msg("%s: placeholder %d", ph[i].ip, !ph[i].placeholder);
	}
}

static void test_lease(void **state)
{
	struct wc_adapter a = { .ipv4_enabled = true, .dhcpv4_enabled = true,
				.dhcpv4_server = ip_of("192.168.1.1") };
	struct gn_lease l = { .obtained = GN_UNSET, .expires = GN_UNSET };
	struct wc_tcpip t;
	const int64_t now = 1795417200;

	(void)state;
	/* the registry's lease, as ipconfig /all shows it */
	registry(REG_DHCP, &t);
	t.dhcp_server = ip_of("192.168.1.2");
	t.lease_obtained = 1795410000;
	t.lease_terminates = 1795496400;
	wc_set_lease(&l, &a, &t, 3600, now);
	assert_true(gn_ip_equal(&l.server, &t.dhcp_server));
	assert_int_equal(l.obtained, 1795410000);
	assert_int_equal(l.expires, 1795496400);

	/* no registry: the adapter's server, and now plus the seconds left */
	memset(&l, 0, sizeof(l));
	wc_set_lease(&l, &a, NULL, 3600, now);
	assert_true(gn_ip_equal(&l.server, &a.dhcpv4_server));
	assert_int_equal(l.obtained, GN_UNSET);
	assert_int_equal(l.expires, now + 3600);

	/* 255.255.255.255: no server answered; an infinite lifetime is no expiry */
	memset(&l, 0, sizeof(l));
	registry(REG_DHCP, &t);
	t.dhcp_server = ip_of("255.255.255.255");
	a.dhcpv4_server = ip_of("255.255.255.255");
	wc_set_lease(&l, &a, &t, WC_LIFETIME_INFINITE, now);
	assert_int_equal(l.server.family, 0);
	assert_int_equal(l.expires, GN_UNSET);
	wc_set_lease(&l, &a, &t, 0, now);
	assert_int_equal(l.expires, GN_UNSET);
}

static void test_route_kind(void **state)
{
	enum { LOCAL = 2, NETMGMT = 3, RIP = 8, OSPF = 13, NT_STATIC = 10006 };
	enum { MANUAL = 0, WELL_KNOWN = 1, DHCP = 2, RA = 3 };
	static const struct {
		const char *dest;
		unsigned prefix;
		const char *hop;
		unsigned protocol, origin;
		bool loopback;
		enum wc_route_kind want;
		const char *why;
	} cases[] = {
		{ "0.0.0.0", 0, "10.0.0.1", NETMGMT, MANUAL, false, WC_ROUTE_GATEWAY, "configured gateway" },
		{ "0.0.0.0", 0, "10.0.0.1", NETMGMT, DHCP, false, WC_ROUTE_GATEWAY, "DHCP gateway" },
		{ "::", 0, "fe80::1", NETMGMT, RA, false, WC_ROUTE_GATEWAY, "IPv6 router" },
		{ "::", 0, "2001:db8::1", NETMGMT, MANUAL, false, WC_ROUTE_GATEWAY, "IPv6 gateway" },
		{ "0.0.0.0", 0, "0.0.0.0", NETMGMT, MANUAL, false, WC_ROUTE_STATIC, "on-link default" },
		{ "0.0.0.0", 0, "0.0.0.0", NETMGMT, DHCP, false, WC_ROUTE_SKIP, "on-link default, DHCP" },
		{ "10.50.0.0", 16, "10.0.0.254", NETMGMT, MANUAL, false, WC_ROUTE_STATIC, "route add" },
		{ "10.60.0.0", 16, "0.0.0.0", NETMGMT, MANUAL, false, WC_ROUTE_STATIC, "on-link static" },
		{ "2001:db8:99::", 48, "2001:db8::1", NETMGMT, MANUAL, false, WC_ROUTE_STATIC, "IPv6 static" },
		{ "172.16.0.0", 12, "10.0.0.254", NT_STATIC, MANUAL, false, WC_ROUTE_STATIC, "RRAS static" },
		{ "10.70.0.0", 16, "10.0.0.254", NETMGMT, DHCP, false, WC_ROUTE_SKIP, "DHCP option 121" },
		{ "2001:db8:77::", 48, "fe80::1", NETMGMT, RA, false, WC_ROUTE_SKIP, "RA route information" },
		{ "10.80.0.0", 16, "10.0.0.254", RIP, MANUAL, false, WC_ROUTE_SKIP, "RIP" },
		{ "10.90.0.0", 16, "10.0.0.254", OSPF, MANUAL, false, WC_ROUTE_SKIP, "OSPF" },
		{ "10.0.0.0", 24, "0.0.0.0", LOCAL, MANUAL, false, WC_ROUTE_SKIP, "connected subnet" },
		{ "10.0.0.5", 32, "0.0.0.0", LOCAL, MANUAL, false, WC_ROUTE_SKIP, "own address" },
		{ "0.0.0.0", 0, "10.0.0.1", LOCAL, MANUAL, false, WC_ROUTE_SKIP, "a local default" },
		{ "224.0.0.0", 4, "0.0.0.0", NETMGMT, MANUAL, false, WC_ROUTE_SKIP, "multicast" },
		{ "ff00::", 8, "::", NETMGMT, MANUAL, false, WC_ROUTE_SKIP, "IPv6 multicast" },
		{ "255.255.255.255", 32, "0.0.0.0", NETMGMT, MANUAL, false, WC_ROUTE_SKIP, "broadcast" },
		{ "127.0.0.0", 8, "0.0.0.0", NETMGMT, MANUAL, true, WC_ROUTE_SKIP, "loopback" },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		struct wc_route rt = {
			.destination = ip_of(cases[i].dest), .prefix = cases[i].prefix,
			.next_hop = ip_of(cases[i].hop), .protocol = cases[i].protocol,
			.origin = cases[i].origin, .loopback = cases[i].loopback,
		};
		if (wc_route_kind(&rt) != cases[i].want)
			fail_msg("%s: kind %d, want %d", cases[i].why, wc_route_kind(&rt), cases[i].want);
	}
}

static void test_metric(void **state)
{
	(void)state;
	assert_int_equal(wc_metric(25, 0), 25);
	assert_int_equal(wc_metric(25, 256), 281);
	assert_int_equal(wc_metric(UINT32_MAX - 1, UINT32_MAX - 1), 2 * (int64_t)(UINT32_MAX - 1));
	assert_int_equal(wc_metric(WC_METRIC_UNSET, 10), GN_UNSET);
	assert_int_equal(wc_metric(10, WC_METRIC_UNSET), GN_UNSET);
}

static void guest_freep(gn_settings **s)
{
	gn_settings_free(*s);
}

static void test_add_route(void **state)
{
	_cleanup_(guest_freep) gn_settings *s = NULL;
	struct wc_adapter a = { .ipv4_enabled = true, .ipv6_enabled = true, .ipv4_metric = 25,
				.ipv6_metric = 15 };
	struct gn_interface *ifc;
	struct gn_guest *g;
	char buf[GN_IP_TEXT_MAX];

	(void)state;
	assert_int_equal(gn_settings_new(&s), 0);
	assert_int_equal(gn_settings_add_guest(s, &g), 0);
	assert_int_equal(gn_guest_add_interface(g, "{698e50a9-4f58-4d86-b61d-f42e58dcacf6}", &ifc), 1);

	struct wc_route v6 = { .destination = ip_of("::"), .prefix = 0, .next_hop = ip_of("fe80::1"),
			       .protocol = WC_ROUTE_PROTOCOL_NETMGMT,
			       .origin = WC_ROUTE_ORIGIN_ROUTER_ADVERTISEMENT, .metric = 256 };
	assert_int_equal(wc_add_route(g, ifc, &a, &v6), 1);
	assert_int_equal(ifc->v6.gateways.n, 1);
	assert_string_equal(gn_ip_format(&ifc->v6.gateways.v[0].ip, buf), "fe80::1");
	assert_int_equal(ifc->v6.gateways.v[0].metric, 15 + 256);
	assert_int_equal(wc_add_route(g, ifc, &a, &v6), 0);  /* the same router again */
	assert_int_equal(g->routes.n, 0);  /* a gateway is not a <route> */

	struct wc_route st = { .destination = ip_of("10.50.1.2"), .prefix = 16,
			       .next_hop = ip_of("10.0.0.254"),
			       .protocol = WC_ROUTE_PROTOCOL_NETMGMT, .metric = 10 };
	assert_int_equal(wc_add_route(g, ifc, &a, &st), 1);
	assert_int_equal(g->routes.n, 1);
	assert_string_equal(gn_ip_format(&g->routes.v[0].destination, buf), "10.50.0.0");
	assert_int_equal(g->routes.v[0].metric, 35);
	assert_string_equal(g->routes.v[0].interface, "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}");

	struct wc_route learned = st;
	learned.origin = WC_ROUTE_ORIGIN_DHCP;
	learned.destination = ip_of("10.70.0.0");
	assert_int_equal(wc_add_route(g, ifc, &a, &learned), 0);
	assert_int_equal(g->routes.n, 1);

	struct wc_route bad = st;
	bad.prefix = 33;
	assert_int_equal(wc_add_route(g, ifc, &a, &bad), -EINVAL);
	bad = v6;
	bad.next_hop = ip_of("10.0.0.1");  /* a next hop of the other family */
	assert_int_equal(wc_add_route(g, ifc, &a, &bad), -EINVAL);

	/* the gateway cap holds */
	for (int i = 1; i < GN_MAX_GATEWAYS; i++) {
		struct wc_route gw = v6;
		gw.next_hop.b[15] = (uint8_t)(i + 1);
		assert_int_equal(wc_add_route(g, ifc, &a, &gw), 1);
	}
	v6.next_hop.b[15] = 0xee;
	assert_int_equal(wc_add_route(g, ifc, &a, &v6), -E2BIG);
}

static void test_parse_lists(void **state)
{
	static const struct {
		const char *s;
		size_t len;  /* 0: strlen */
		int family;
		size_t max;
		const char *want;  /* the addresses, space-separated */
		unsigned bad;
		const char *first_bad;
		bool capped;
	} cases[] = {
		{ "10.0.0.1,10.0.0.2", 0, GN_AF_INET, 32, "10.0.0.1 10.0.0.2", 0, "", false },
		{ "10.0.0.1 10.0.0.2", 0, GN_AF_INET, 32, "10.0.0.1 10.0.0.2", 0, "", false },
		{ " 10.0.0.1 ;\t10.0.0.2, ", 0, GN_AF_INET, 32, "10.0.0.1 10.0.0.2", 0, "", false },
		{ "10.0.0.1\00010.0.0.2\0\0", 20, GN_AF_INET, 32, "10.0.0.1 10.0.0.2", 0, "", false },
		{ "0.0.0.0\0", 8, GN_AF_INET, 32, "", 0, "", false },  /* the placeholder */
		{ "10.0.0.1,10.0.0.1", 0, GN_AF_INET, 32, "10.0.0.1", 0, "", false },
		{ "10.0.0.1,bogus,10.0.0.300,10.0.0.2", 0, GN_AF_INET, 32, "10.0.0.1 10.0.0.2", 2,
		  "bogus", false },
		{ "2001:db8::53,10.0.0.1", 0, GN_AF_INET6, 32, "2001:db8::53", 1, "10.0.0.1", false },
		{ "10.0.0.1 10.0.0.2 10.0.0.3", 0, GN_AF_INET, 2, "10.0.0.1 10.0.0.2", 0, "", true },
		{ "", 0, GN_AF_INET, 32, "", 0, "", false },
		{ "1111111111111111111111111111111111111111111111111111111111111111111111", 0, GN_AF_INET,
		  32, "", 1, "1111111111111111111111111111111111111111111111111111111111111111", false },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		struct wc_ip_list *l = calloc(1, sizeof(*l));
		struct wc_parse_report rep = { 0 };
		char got[512] = "", buf[GN_IP_TEXT_MAX];

		assert_non_null(l);
		wc_parse_ip_list(cases[i].s, cases[i].len ? cases[i].len : strlen(cases[i].s),
				 cases[i].family, cases[i].max, l, &rep);
		for (size_t k = 0; k < l->n; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? " " : "",
				 gn_ip_format(&l->v[k], buf));
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: '%s', want '%s'", i, got, cases[i].want);
		assert_int_equal(rep.bad, cases[i].bad);
		assert_string_equal(rep.first_bad, cases[i].first_bad);
		assert_int_equal(rep.capped, cases[i].capped);
		free(l);
	}

	struct wc_ip_list *l = calloc(1, sizeof(*l));
	struct wc_parse_report rep = { 0 };
	uint8_t b[48] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x53, [16] = 0xfe, [17] = 0x80, [31] = 1 };
	char buf[GN_IP_TEXT_MAX];

	assert_non_null(l);
	assert_int_equal(wc_parse_ip6_binary(b, 17, GN_MAX_DNS, l, &rep), -EINVAL);
	assert_int_equal(l->n, 0);
	assert_int_equal(wc_parse_ip6_binary(b, sizeof(b), GN_MAX_DNS, l, &rep), 0);
	assert_int_equal(l->n, 2);  /* the third, all zero, is no address */
	assert_string_equal(gn_ip_format(&l->v[0], buf), "2001:db8::53");
	assert_string_equal(gn_ip_format(&l->v[1], buf), "fe80::1");
	assert_int_equal(wc_parse_ip6_binary(b, sizeof(b), 1, l, &rep), 0);
	free(l);
}

/* What live-windows.c does for one adapter, minus the API and registry calls. */
static void add_unicast(struct gn_interface *ifc, const struct wc_adapter *a,
			const struct wc_tcpip *t, const char *ip, unsigned prefix, int po, int so)
{
	struct wc_unicast u = { .ip = ip_of(ip), .prefix = prefix, .prefix_origin = po,
				.suffix_origin = so, .lease_lifetime = 1800 };

	assert_int_equal(gn_ipconf_add_address(gn_interface_ipconf(ifc, u.ip.family), &u.ip, prefix,
					       wc_address_origin(a, t, &u)), 1);
}

static void add_server(struct gn_interface *ifc, const struct wc_tcpip *t, const char *s)
{
	struct gn_ip ip = ip_of(s);

	if (!wc_dns_placeholder(&ip))
		assert_int_equal(gn_ipconf_add_dns(gn_interface_ipconf(ifc, ip.family), &ip,
						   wc_dns_origin(t, &ip)), 1);
}

static const char dhcp_guest_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<guestnet version=\"1\">\n"
	"  <guest os=\"windows\" hostname=\"APP-SRV02\">\n"
	"    <interface id=\"{7C4F1A2B-0D3E-4F56-8A9B-1C2D3E4F5A6B}\" name=\"Backup\" "
	"mac=\"00:50:56:a5:12:6a\" type=\"ethernet\" mtu=\"1500\" enabled=\"true\" "
	"dns-suffix=\"backup.lan\">\n"
	"      <ipv4 mode=\"dhcp\">\n"
	"        <address ip=\"192.168.200.37\" prefix=\"24\" origin=\"dhcp\"/>\n"
	"        <gateway ip=\"192.168.200.1\" metric=\"25\"/>\n"
	"        <dns ip=\"192.168.200.1\" origin=\"dhcp\"/>\n"
	"        <dns ip=\"192.168.200.2\" origin=\"dhcp\"/>\n"
	"        <wins ip=\"192.168.200.9\"/>\n"
	"        <lease server=\"192.168.200.1\" obtained=\"2025-11-21T17:44:16Z\" "
	"expires=\"2025-11-22T17:44:16Z\"/>\n"
	"      </ipv4>\n"
	"      <ipv6 mode=\"auto\">\n"
	"        <address ip=\"2001:db8:200:0:250:56ff:fea5:126a\" prefix=\"64\" origin=\"auto\"/>\n"
	"        <address ip=\"fe80::250:56ff:fea5:126a\" prefix=\"64\" origin=\"link-local\"/>\n"
	"        <gateway ip=\"fe80::1\" metric=\"271\"/>\n"
	"        <dns ip=\"2001:db8:200::53\" origin=\"dhcp\"/>\n"
	"      </ipv6>\n"
	"    </interface>\n"
	"    <route family=\"ipv4\" destination=\"172.16.0.0\" prefix=\"12\" gateway=\"192.168.200.254\" "
	"metric=\"35\" interface=\"{7C4F1A2B-0D3E-4F56-8A9B-1C2D3E4F5A6B}\"/>\n"
	"  </guest>\n"
	"</guestnet>\n";

/* A DHCP adapter as Windows reports it, through the functions live-windows.c calls, to the
 * document: the lease, DHCP-supplied servers on both families, WINS, an IPv6 router. */
static void test_dhcp_guest(void **state)
{
	_cleanup_(guest_freep) gn_settings *s = NULL, *back = NULL;
	_cleanup_free_ char *xml = NULL;
	_cleanup_free_ struct wc_tcpip *t = calloc(1, sizeof(*t));
	struct wc_adapter a = { .ipv4_enabled = true, .ipv6_enabled = true, .dhcpv4_enabled = true,
				.ipv4_metric = 25, .ipv6_metric = 15,
				.dhcpv4_server = ip_of("192.168.200.1") };
	struct gn_interface *ifc;
	struct gn_guest *g;
	gn_error err = { "" };
	size_t len;

	(void)state;
	assert_non_null(t);
	wc_tcpip_init(t);
	t->found[0] = t->found[1] = true;
	t->enable_dhcp = 1;
	t->dhcp_ip_address = ip_of("192.168.200.37");
	t->dhcp_server = ip_of("192.168.200.1");
	t->lease_obtained = 1763747056;
	t->lease_terminates = 1763833456;
	wc_parse_ip_list("192.168.200.1 192.168.200.2", 27, GN_AF_INET, GN_MAX_DNS,
			 &t->dhcp_name_server[0], &(struct wc_parse_report){ 0 });
	t->dhcp_name_server[1].v[t->dhcp_name_server[1].n++] = ip_of("2001:db8:200::53");

	assert_int_equal(gn_settings_new(&s), 0);
	assert_int_equal(gn_settings_add_guest(s, &g), 0);
	g->os = GN_OS_WINDOWS;
	assert_int_equal(gn_set_string(&g->hostname, "APP-SRV02"), 0);
	assert_int_equal(gn_guest_add_interface(g, "{7c4f1a2b-0d3e-4f56-8a9b-1c2d3e4f5a6b}", &ifc), 1);
	assert_int_equal(gn_set_string(&ifc->name, "Backup"), 0);
	assert_int_equal(gn_interface_set_mac(ifc, "00-50-56-A5-12-6A"), 0);
	assert_int_equal(gn_set_string(&ifc->dns_suffix, "backup.lan"), 0);
	ifc->type = wc_iftype(WC_IF_TYPE_ETHERNET_CSMACD);
	ifc->mtu = 1500;
	ifc->enabled = 1;
	ifc->v4.mode = wc_ipv4_mode(&a);
	ifc->v6.mode = wc_ipv6_mode(&a);

	add_unicast(ifc, &a, t, "192.168.200.37", 24, WC_PREFIX_ORIGIN_DHCP, WC_SUFFIX_ORIGIN_DHCP);
	add_unicast(ifc, &a, t, "2001:db8:200::250:56ff:fea5:126a", 64,
		    WC_PREFIX_ORIGIN_ROUTER_ADVERTISEMENT, WC_SUFFIX_ORIGIN_LINK_LAYER_ADDRESS);
	add_unicast(ifc, &a, t, "fe80::250:56ff:fea5:126a", 64, WC_PREFIX_ORIGIN_WELL_KNOWN,
		    WC_SUFFIX_ORIGIN_LINK_LAYER_ADDRESS);
	wc_set_lease(&ifc->v4.lease, &a, t, 1800, 1763750000);
	add_server(ifc, t, "192.168.200.1");
	add_server(ifc, t, "192.168.200.2");
	add_server(ifc, t, "2001:db8:200::53");
	add_server(ifc, t, "fec0:0:0:ffff::1");  /* Windows' placeholder: left out */
	struct gn_ip wins = ip_of("192.168.200.9");
	assert_int_equal(gn_ipconf_add_wins(&ifc->v4, &wins), 1);

	static const struct wc_route rows[] = {
		{ .destination = { GN_AF_INET }, .prefix = 0,
		  .next_hop = { GN_AF_INET, { 192, 168, 200, 1 } },
		  .protocol = WC_ROUTE_PROTOCOL_NETMGMT, .origin = WC_ROUTE_ORIGIN_DHCP },
		{ .destination = { GN_AF_INET, { 192, 168, 200 } }, .prefix = 24,
		  .protocol = WC_ROUTE_PROTOCOL_LOCAL },
		{ .destination = { GN_AF_INET, { 172, 16 } }, .prefix = 12,
		  .next_hop = { GN_AF_INET, { 192, 168, 200, 254 } },
		  .protocol = WC_ROUTE_PROTOCOL_NETMGMT, .metric = 10 },
		{ .destination = { GN_AF_INET6 }, .prefix = 0,
		  .next_hop = { GN_AF_INET6, { 0xfe, 0x80, [15] = 1 } },
		  .protocol = WC_ROUTE_PROTOCOL_NETMGMT,
		  .origin = WC_ROUTE_ORIGIN_ROUTER_ADVERTISEMENT, .metric = 256 },
		{ .destination = { GN_AF_INET6, { 0xfe, 0x80 } }, .prefix = 64,
		  .protocol = WC_ROUTE_PROTOCOL_LOCAL, .metric = 256 },
	};
	for (size_t i = 0; i < GN_ELEMENTSOF(rows); i++)
		assert_true(wc_add_route(g, ifc, &a, &rows[i]) >= 0);

	assert_int_equal(gn_settings_to_xml(s, &xml, &len, &err), 0);
	assert_string_equal(xml, dhcp_guest_xml);
	if (gn_settings_read_memory(xml, len, "dhcp-guest", &back, &err) < 0)
		fail_msg("the document does not validate: %s", err.msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iftype),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_address_origin),
		cmocka_unit_test(test_temporary),
		cmocka_unit_test(test_dns_origin),
		cmocka_unit_test(test_lease),
		cmocka_unit_test(test_route_kind),
		cmocka_unit_test(test_metric),
		cmocka_unit_test(test_add_route),
		cmocka_unit_test(test_parse_lists),
		cmocka_unit_test(test_dhcp_guest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
