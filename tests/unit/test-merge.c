/*
 * test-merge.c: runtime and offline settings of one VM merged into one guest (merge.c).
 *
 * Each guest is built by hand through the model's functions, as the agent and the registry or
 * Linux collectors would fill it; the merged guest is checked field by field, with where each
 * part came from, and written, read back and written again to the same bytes.
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
#include "merge.h"

#define NIC1 "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}"
#define NIC2 "{5B3C2A10-0000-4D86-B61D-000000000002}"
#define NIC3 "{7C4D3B21-0000-4D86-B61D-000000000003}"

static struct gn_ip ip(const char *s)
{
	struct gn_ip a = { 0 };

	if (s && gn_ip_parse(s, &a) < 0)
		fail_msg("bad address in test: '%s'", s);
	return a;
}

static struct gn_guest *new_guest(gn_settings *s, enum gn_os os, enum gn_source_kind kind)
{
	struct gn_guest *g;
	struct gn_source *src;

	assert_int_equal(gn_settings_add_guest(s, &g), 0);
	g->os = os;
	assert_int_equal(gn_guest_add_source(g, kind, &src), 1);
	src->collected = 1795420800;  /* 2026-11-23T08:00:00Z */
	return g;
}

static struct gn_interface *nic(struct gn_guest *g, const char *id, const char *mac)
{
	struct gn_interface *ifc;

	assert_int_equal(gn_guest_add_interface(g, id, &ifc), 1);
	if (mac)
		assert_int_equal(gn_interface_set_mac(ifc, mac), 0);
	return ifc;
}

static void address(struct gn_ipconf *c, const char *a, unsigned prefix, enum gn_origin origin)
{
	struct gn_ip x = ip(a);

	assert_int_equal(gn_ipconf_add_address(c, &x, prefix, origin), 1);
}

/* An interface with one static IPv4 address in a /24. */
static struct gn_interface *static_nic(struct gn_guest *g, const char *id, const char *mac,
				       const char *a)
{
	struct gn_interface *ifc = nic(g, id, mac);

	ifc->v4.mode = GN_MODE_STATIC;
	address(&ifc->v4, a, 24, GN_ORIGIN_STATIC);
	return ifc;
}

static void route(struct gn_guest *g, const char *dest, unsigned prefix, const char *gw,
		  int64_t metric, const char *ifname)
{
	struct gn_ip d = ip(dest), w = ip(gw);

	assert_int_equal(gn_guest_add_route(g, &d, prefix, &w, metric, ifname), 1);
}

static void dns(gn_dns_list *l, const char *a)
{
	struct gn_ip x = ip(a);

	assert_int_equal(gn_dns_list_add(l, &x, GN_ORIGIN_STATIC), 1);
}

static bool has_warning(const struct gn_guest *g, const char *needle)
{
	for (size_t i = 0; i < g->warnings.n; i++)
		if (strstr(g->warnings.v[i], needle))
			return true;
	return false;
}

/* What the agent reads from a running Windows VM: the live state, IPv6 and DHCP included. */
static struct gn_guest *windows_runtime(gn_settings *s)
{
	struct gn_guest *g = new_guest(s, GN_OS_WINDOWS, GN_SOURCE_RUNTIME);
	struct gn_interface *ifc;
	struct gn_ip x;

	assert_int_equal(gn_set_string(&g->hostname, "WKS-WIN732BITA"), 0);
	assert_int_equal(gn_set_string(&g->domain, "shieldbase.local"), 0);

	ifc = nic(g, NIC1, "00:50:56:a5:12:69");
	ifc->type = GN_IFTYPE_ETHERNET;
	ifc->mtu = 1500;
	ifc->enabled = 1;
	ifc->v4.mode = GN_MODE_STATIC;
	address(&ifc->v4, "10.3.58.5", 24, GN_ORIGIN_STATIC);
	x = ip("10.3.58.1");
	assert_int_equal(gn_ipconf_add_gateway(&ifc->v4, &x, 0), 1);
	dns(&ifc->v4.dns, "10.3.58.4");
	ifc->v6.mode = GN_MODE_AUTO;
	address(&ifc->v6, "2001:db8:58::5", 64, GN_ORIGIN_AUTO);
	address(&ifc->v6, "fe80::250:56ff:fea5:1269", 64, GN_ORIGIN_LINK_LOCAL);

	ifc = nic(g, NIC2, "00:50:56:a5:12:71");
	ifc->v4.mode = GN_MODE_DHCP;
	address(&ifc->v4, "10.4.0.23", 16, GN_ORIGIN_DHCP);
	ifc->v4.lease.server = ip("10.4.0.1");
	ifc->v4.lease.obtained = 1795417200;
	ifc->v4.lease.expires = 1795503600;

	route(g, "0.0.0.0", 0, "10.3.58.1", 0, NIC1);
	assert_int_equal(gn_guest_add_search(g, "shieldbase.local"), 1);
	gn_guest_warn(g, "runtime: adapter 'isatap' skipped");
	return g;
}

/* The same VM's SYSTEM hive: friendly names, WINS, a persistent route, a disabled NIC. */
static struct gn_guest *windows_registry(gn_settings *s)
{
	struct gn_guest *g = new_guest(s, GN_OS_WINDOWS, GN_SOURCE_REGISTRY);
	struct gn_interface *ifc;
	struct gn_ip x;

	g->sources.v[0].control_set = 1;
	assert_int_equal(gn_set_string(&g->sources.v[0].image, "disk1.qcow2"), 0);
	assert_int_equal(gn_set_string(&g->name, "WKS-WIN7 (prod)"), 0);
	assert_int_equal(gn_set_string(&g->hostname, "wks-win732bita"), 0);
	assert_int_equal(gn_set_string(&g->domain, "old.local"), 0);

	ifc = nic(g, NIC1, "00:50:56:a5:12:69");
	assert_int_equal(gn_set_string(&ifc->name, "Local Area Connection 2"), 0);
	assert_int_equal(gn_set_string(&ifc->description, "Intel(R) PRO/1000 MT"), 0);
	assert_int_equal(gn_set_string(&ifc->dns_suffix, "shieldbase.local"), 0);
	ifc->mtu = 9000;
	ifc->vlan = 12;
	ifc->v4.mode = GN_MODE_STATIC;
	address(&ifc->v4, "10.3.58.5", 24, GN_ORIGIN_STATIC);
	x = ip("10.3.58.10");
	assert_int_equal(gn_ipconf_add_wins(&ifc->v4, &x), 1);

	/* known by its GUID only: the registry's Tcpip key holds no MAC */
	ifc = nic(g, "{5b3c2a10-0000-4d86-b61d-000000000002}", NULL);
	assert_int_equal(gn_set_string(&ifc->name, "Local Area Connection 3"), 0);
	ifc->v4.mode = GN_MODE_DHCP;
	ifc->v6.mode = GN_MODE_DISABLED;

	ifc = nic(g, NIC3, "00:50:56:a5:12:72");
	ifc->enabled = 0;
	ifc->v4.mode = GN_MODE_STATIC;
	address(&ifc->v4, "192.168.7.5", 24, GN_ORIGIN_STATIC);

	route(g, "0.0.0.0", 0, "10.3.58.1", -1, NULL);  /* the runtime's default route */
	route(g, "10.9.0.0", 16, "10.3.58.254", 10, NULL);
	assert_int_equal(gn_guest_add_search(g, "old.local"), 1);
	gn_guest_warn(g, "registry: key 'Tcpip6' unreadable");
	return g;
}

static void check_windows(const struct gn_guest *g)
{
	const struct gn_interface *a, *b, *c;

	assert_int_equal(g->os, GN_OS_WINDOWS);
	assert_string_equal(g->name, "WKS-WIN7 (prod)");        /* only the registry's */
	assert_string_equal(g->hostname, "WKS-WIN732BITA");      /* the runtime's */
	assert_string_equal(g->domain, "shieldbase.local");
	assert_int_equal(g->sources.n, 2);
	assert_int_equal(g->sources.v[0].kind, GN_SOURCE_RUNTIME);
	assert_int_equal(g->sources.v[1].kind, GN_SOURCE_REGISTRY);
	assert_string_equal(g->sources.v[1].image, "disk1.qcow2");
	assert_int_equal(g->sources.v[1].control_set, 1);
	assert_int_equal(g->sources.v[1].collected, 1795420800);

	assert_int_equal(g->interfaces.n, 3);
	a = g->interfaces.v[0];
	b = g->interfaces.v[1];
	c = g->interfaces.v[2];

	/* matched by MAC: the runtime's fields, the ones it lacks from the registry */
	assert_string_equal(a->id, NIC1);
	assert_int_equal(a->from, GN_SOURCE_RUNTIME);
	assert_string_equal(a->mac, "00:50:56:a5:12:69");
	assert_string_equal(a->name, "Local Area Connection 2");
	assert_string_equal(a->description, "Intel(R) PRO/1000 MT");
	assert_string_equal(a->dns_suffix, "shieldbase.local");
	assert_int_equal(a->type, GN_IFTYPE_ETHERNET);
	assert_int_equal(a->mtu, 1500);
	assert_int_equal(a->vlan, 12);
	assert_int_equal(a->enabled, 1);
	assert_int_equal(a->v4.mode, GN_MODE_STATIC);
	assert_int_equal(a->v4.from, GN_SOURCE_RUNTIME);
	assert_int_equal(a->v4.addresses.n, 1);
	assert_int_equal(a->v4.gateways.n, 1);
	assert_int_equal(a->v4.gateways.v[0].metric, 0);
	assert_int_equal(a->v4.dns.n, 1);
	assert_int_equal(a->v4.wins.n, 0);  /* a block is the runtime's whole, never mixed */
	assert_int_equal(a->v6.mode, GN_MODE_AUTO);
	assert_int_equal(a->v6.from, GN_SOURCE_RUNTIME);
	assert_int_equal(a->v6.addresses.n, 2);
	assert_int_equal(a->v6.addresses.v[1].origin, GN_ORIGIN_LINK_LOCAL);

	/* matched by id (no MAC in the registry): DHCP state from the runtime, IPv6 from the hive */
	assert_string_equal(b->id, NIC2);
	assert_int_equal(b->from, GN_SOURCE_RUNTIME);
	assert_string_equal(b->mac, "00:50:56:a5:12:71");
	assert_string_equal(b->name, "Local Area Connection 3");
	assert_int_equal(b->enabled, -1);
	assert_int_equal(b->v4.mode, GN_MODE_DHCP);
	assert_int_equal(b->v4.from, GN_SOURCE_RUNTIME);
	assert_int_equal(b->v4.addresses.n, 1);
	assert_int_equal(b->v4.addresses.v[0].origin, GN_ORIGIN_DHCP);
	assert_int_equal(b->v4.lease.obtained, 1795417200);
	assert_int_equal(b->v4.lease.expires, 1795503600);
	assert_int_equal(b->v4.lease.server.family, GN_AF_INET);
	assert_int_equal(b->v6.mode, GN_MODE_DISABLED);
	assert_int_equal(b->v6.from, GN_SOURCE_REGISTRY);

	/* the disabled NIC the runtime does not show */
	assert_string_equal(c->id, NIC3);
	assert_int_equal(c->from, GN_SOURCE_REGISTRY);
	assert_int_equal(c->enabled, 0);
	assert_int_equal(c->v4.mode, GN_MODE_STATIC);
	assert_int_equal(c->v4.from, GN_SOURCE_REGISTRY);
	assert_int_equal(c->v6.mode, GN_MODE_UNSET);
	assert_int_equal(c->v6.from, GN_SOURCE_UNSET);

	/* the runtime's default route; the registry's copy of it dropped; its persistent route */
	assert_int_equal(g->routes.n, 2);
	assert_int_equal(g->routes.v[0].from, GN_SOURCE_RUNTIME);
	assert_int_equal(g->routes.v[0].prefix, 0);
	assert_int_equal(g->routes.v[0].metric, 0);
	assert_string_equal(g->routes.v[0].interface, NIC1);
	assert_int_equal(g->routes.v[1].from, GN_SOURCE_REGISTRY);
	assert_int_equal(g->routes.v[1].prefix, 16);
	assert_int_equal(g->routes.v[1].metric, 10);
	assert_null(g->routes.v[1].interface);

	/* the runtime has a search list: its resolver settings win */
	assert_int_equal(g->dns.n, 0);
	assert_int_equal(g->search.n, 1);
	assert_string_equal(g->search.v[0], "shieldbase.local");

	assert_int_equal(g->warnings.n, 2);
	assert_true(has_warning(g, "isatap"));
	assert_true(has_warning(g, "Tcpip6"));
}

static void test_windows(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *in = NULL, *out = NULL, *back = NULL;
	_cleanup_free_ char *xml = NULL, *xml2 = NULL;
	struct gn_guest *runtime, *registry, *g;
	gn_error err = { "" };
	size_t len, len2;

	(void)state;
	assert_int_equal(gn_settings_new(&in), 0);
	assert_int_equal(gn_settings_new(&out), 0);
	runtime = windows_runtime(in);
	registry = windows_registry(in);
	assert_int_equal(gn_settings_add_merged_guest(out, runtime, registry, &g, &err), 0);
	assert_int_equal(out->guests.n, 1);
	assert_ptr_equal(out->guests.v[0], g);
	check_windows(g);

	/* the inputs are left as they were */
	assert_int_equal(runtime->interfaces.n, 2);
	assert_null(runtime->interfaces.v[0]->name);
	assert_int_equal(runtime->interfaces.v[0]->from, GN_SOURCE_UNSET);
	assert_int_equal(registry->routes.n, 2);

	/* the document carries it all: written, read back, the same guest and the same bytes */
	assert_int_equal(gn_settings_to_xml(out, &xml, &len, &err), 0);
	assert_non_null(strstr(xml, "<ipv6 mode=\"disabled\" from=\"registry\"/>"));
	assert_non_null(strstr(xml, "metric=\"10\" from=\"registry\"/>"));
	if (gn_settings_read_memory(xml, len, "merged.xml", &back, &err) < 0)
		fail_msg("%s\n%s", err.msg, xml);
	assert_int_equal(back->guests.n, 1);
	check_windows(back->guests.v[0]);
	assert_int_equal(gn_settings_to_xml(back, &xml2, &len2, &err), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(xml, xml2, len);

	/* merging into the document that holds the inputs */
	assert_int_equal(gn_settings_add_merged_guest(in, runtime, registry, &g, &err), 0);
	assert_int_equal(in->guests.n, 3);
	check_windows(g);
}

/* Linux: a NIC renamed by the running system, resolvers only in the configuration files. */
static void test_linux(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *in = NULL;
	struct gn_guest *runtime, *files, *g;
	struct gn_interface *ifc;
	gn_error err = { "" };

	(void)state;
	assert_int_equal(gn_settings_new(&in), 0);
	runtime = new_guest(in, GN_OS_LINUX, GN_SOURCE_RUNTIME);
	assert_int_equal(gn_set_string(&runtime->hostname, "web01"), 0);
	static_nic(runtime, "ens3", "52:54:00:12:34:56", "10.0.0.5");

	files = new_guest(in, GN_OS_LINUX, GN_SOURCE_CONFIG_FILES);
	assert_int_equal(gn_set_string(&files->domain, "example.com"), 0);
	ifc = nic(files, "eth0", "52:54:00:12:34:56");
	ifc->mtu = 9000;
	ifc->v4.mode = GN_MODE_STATIC;
	address(&ifc->v4, "10.0.0.5", 24, GN_ORIGIN_STATIC);
	ifc->v6.mode = GN_MODE_AUTO;
	ifc = nic(files, "ens3", "52:54:00:99:99:99");  /* an old NIC's leftover file */
	ifc->v4.mode = GN_MODE_DHCP;
	route(files, "10.1.0.0", 16, "10.0.0.254", GN_UNSET, "eth0");
	dns(&files->dns, "10.0.0.53");
	dns(&files->dns, "10.0.0.54");
	assert_int_equal(gn_guest_add_search(files, "example.com"), 1);

	assert_int_equal(gn_settings_add_merged_guest(in, runtime, files, &g, &err), 0);
	assert_string_equal(g->hostname, "web01");
	assert_string_equal(g->domain, "example.com");

	/* eth0 is ens3 by its MAC; the leftover ens3 cannot take the id, and a warning says so */
	assert_int_equal(g->interfaces.n, 1);
	assert_string_equal(g->interfaces.v[0]->id, "ens3");
	assert_int_equal(g->interfaces.v[0]->mtu, 9000);
	assert_int_equal(g->interfaces.v[0]->v4.from, GN_SOURCE_RUNTIME);
	assert_int_equal(g->interfaces.v[0]->v6.mode, GN_MODE_AUTO);
	assert_int_equal(g->interfaces.v[0]->v6.from, GN_SOURCE_CONFIG_FILES);
	assert_true(has_warning(g, "interface 'ens3' of the config-files settings"));

	/* the route follows its NIC's new name */
	assert_int_equal(g->routes.n, 1);
	assert_string_equal(g->routes.v[0].interface, "ens3");
	assert_int_equal(g->routes.v[0].from, GN_SOURCE_CONFIG_FILES);

	/* no resolver at runtime: the configuration files' */
	assert_int_equal(g->dns.n, 2);
	assert_int_equal(g->dns.v[0].from, GN_SOURCE_CONFIG_FILES);
	assert_int_equal(g->dns.v[1].from, GN_SOURCE_CONFIG_FILES);
	assert_int_equal(g->search.n, 1);

	/* a runtime resolver: the runtime's list whole, none of the files' */
	struct gn_ip x = ip("192.0.2.53");
	assert_int_equal(gn_guest_add_dns(runtime, &x, GN_ORIGIN_DHCP), 1);
	assert_int_equal(gn_settings_add_merged_guest(in, runtime, files, &g, &err), 0);
	assert_int_equal(g->dns.n, 1);
	assert_int_equal(g->dns.v[0].from, GN_SOURCE_RUNTIME);
	assert_int_equal(g->search.n, 0);
}

/*
 * A VLAN interface has its parent's MAC: MAC and id together pair them whatever the order of the
 * two documents; a MAC that stays ambiguous pairs nothing, and says so.
 */
static void test_shared_mac(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *in = NULL;
	struct gn_guest *runtime, *files, *g;
	struct gn_interface *ifc;
	gn_error err = { "" };

	(void)state;
	assert_int_equal(gn_settings_new(&in), 0);
	runtime = new_guest(in, GN_OS_LINUX, GN_SOURCE_RUNTIME);
	static_nic(runtime, "eth0", "52:54:00:00:00:0a", "10.0.0.5");
	static_nic(runtime, "eth0.12", "52:54:00:00:00:0a", "10.12.0.5");

	files = new_guest(in, GN_OS_LINUX, GN_SOURCE_CONFIG_FILES);
	ifc = nic(files, "eth0.12", "52:54:00:00:00:0a");
	assert_int_equal(gn_set_string(&ifc->name, "vlan-twelve"), 0);
	ifc->vlan = 12;
	ifc = nic(files, "eth0", "52:54:00:00:00:0a");
	assert_int_equal(gn_set_string(&ifc->name, "uplink"), 0);
	ifc->mtu = 9000;
	route(files, "10.99.0.0", 16, "10.12.0.1", GN_UNSET, "eth0.12");

	assert_int_equal(gn_settings_add_merged_guest(in, runtime, files, &g, &err), 0);
	assert_int_equal(g->interfaces.n, 2);
	assert_string_equal(g->interfaces.v[0]->id, "eth0");
	assert_string_equal(g->interfaces.v[0]->name, "uplink");
	assert_int_equal(g->interfaces.v[0]->mtu, 9000);
	assert_int_equal(g->interfaces.v[0]->vlan, 0);
	assert_string_equal(g->interfaces.v[1]->id, "eth0.12");
	assert_string_equal(g->interfaces.v[1]->name, "vlan-twelve");
	assert_int_equal(g->interfaces.v[1]->vlan, 12);
	assert_int_equal(g->interfaces.v[1]->mtu, 0);
	assert_int_equal(g->routes.n, 1);
	assert_string_equal(g->routes.v[0].interface, "eth0.12");
	assert_int_equal(g->warnings.n, 0);

	/* a third name for the shared MAC: which runtime interface it is cannot be told */
	ifc = nic(files, "vlan30", "52:54:00:00:00:0a");
	ifc->vlan = 30;
	assert_int_equal(gn_settings_add_merged_guest(in, runtime, files, &g, &err), 0);
	assert_int_equal(g->interfaces.n, 3);
	assert_string_equal(g->interfaces.v[2]->id, "vlan30");
	assert_int_equal(g->interfaces.v[2]->from, GN_SOURCE_CONFIG_FILES);
	assert_true(has_warning(g, "interface 'vlan30' of the config-files settings shares its "
				"MAC"));
}

/*
 * An other-only interface dropped because a runtime interface of another MAC has its id takes
 * its routes with it: they are not moved onto the runtime interface of that name.
 */
static void test_dropped_routes(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *in = NULL;
	struct gn_guest *runtime, *files, *g;
	gn_error err = { "" };

	(void)state;
	assert_int_equal(gn_settings_new(&in), 0);
	runtime = new_guest(in, GN_OS_LINUX, GN_SOURCE_RUNTIME);
	static_nic(runtime, "eth0", "52:54:00:00:00:0a", "10.0.0.5");

	files = new_guest(in, GN_OS_LINUX, GN_SOURCE_CONFIG_FILES);
	static_nic(files, "eth0", "52:54:00:00:00:0b", "172.16.0.5");
	nic(files, "eth1", "52:54:00:00:00:0a");
	route(files, "192.168.60.0", 24, "172.16.0.1", GN_UNSET, "eth0");
	route(files, "192.168.61.0", 24, "10.0.0.1", GN_UNSET, "eth1");

	assert_int_equal(gn_settings_add_merged_guest(in, runtime, files, &g, &err), 0);
	assert_int_equal(g->interfaces.n, 1);
	assert_string_equal(g->interfaces.v[0]->id, "eth0");
	assert_string_equal(g->interfaces.v[0]->mac, "52:54:00:00:00:0a");
	assert_true(has_warning(g, "interface 'eth0' of the config-files settings has the id of "
				"another interface of the runtime settings; it was left out, with "
				"its routes"));
	/* eth1's route follows eth1 (now eth0); the dropped eth0's route is gone */
	assert_int_equal(g->routes.n, 1);
	assert_int_equal(g->routes.v[0].destination.b[2], 61);
	assert_string_equal(g->routes.v[0].interface, "eth0");
}

/* Two VMs, a swapped call, a guest of unknown provenance: refused, nothing added. */
static void test_refusals(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *in = NULL, *out = NULL;
	struct gn_guest *runtime, *registry, *g = NULL;
	gn_error err = { "" };

	(void)state;
	assert_int_equal(gn_settings_new(&in), 0);
	assert_int_equal(gn_settings_new(&out), 0);
	runtime = windows_runtime(in);
	registry = windows_registry(in);

	registry->os = GN_OS_LINUX;
	assert_int_equal(gn_settings_add_merged_guest(out, runtime, registry, &g, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not the same VM"));
	assert_non_null(strstr(err.msg, "'linux'"));
	registry->os = GN_OS_WINDOWS;

	assert_int_equal(gn_settings_add_merged_guest(out, registry, runtime, &g, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "runtime guest: its source is 'registry'"));

	registry->sources.v[0].kind = GN_SOURCE_RUNTIME;
	assert_int_equal(gn_settings_add_merged_guest(out, runtime, registry, &g, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not 'registry' or 'config-files'"));
	struct gn_guest *unknown;
	assert_int_equal(gn_settings_add_guest(in, &unknown), 0);
	unknown->os = GN_OS_WINDOWS;
	assert_int_equal(gn_settings_add_merged_guest(out, runtime, unknown, &g, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'(none)'"));

	runtime->os = GN_OS_UNSET;
	assert_int_equal(gn_settings_add_merged_guest(out, runtime, runtime, &g, NULL), -EINVAL);

	assert_null(g);
	assert_int_equal(out->guests.n, 0);
}

/* The merged guest is capped like any other: err names the limit, nothing is added. */
static void test_caps(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *in = NULL, *out = NULL;
	struct gn_guest *runtime, *files, *g = NULL;
	gn_error err = { "" };
	char id[32];

	(void)state;
	assert_int_equal(gn_settings_new(&in), 0);
	assert_int_equal(gn_settings_new(&out), 0);
	runtime = new_guest(in, GN_OS_LINUX, GN_SOURCE_RUNTIME);
	files = new_guest(in, GN_OS_LINUX, GN_SOURCE_CONFIG_FILES);
	for (unsigned i = 0; i < GN_MAX_ROUTES; i++) {
		struct gn_ip d = ip("10.0.0.0");
		d.b[1] = (uint8_t)(i >> 8);
		d.b[2] = (uint8_t)i;
		assert_int_equal(gn_guest_add_route(runtime, &d, 24, NULL, GN_UNSET, NULL), 1);
	}
	route(files, "192.0.2.0", 24, NULL, GN_UNSET, NULL);
	assert_int_equal(gn_settings_add_merged_guest(out, runtime, files, &g, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "GN_MAX_ROUTES"));
	assert_int_equal(out->guests.n, 0);

	gn_guest_clear_routes(runtime);
	for (int i = 0; i < GN_MAX_INTERFACES / 2 + 1; i++) {
		snprintf(id, sizeof(id), "eth%d", i);
		nic(runtime, id, NULL);
		snprintf(id, sizeof(id), "wlan%d", i);
		nic(files, id, NULL);
	}
	assert_int_equal(gn_settings_add_merged_guest(out, runtime, files, &g, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "GN_MAX_INTERFACES"));
	assert_int_equal(out->guests.n, 0);
	assert_null(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_linux),
		cmocka_unit_test(test_shared_mac),
		cmocka_unit_test(test_dropped_routes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
