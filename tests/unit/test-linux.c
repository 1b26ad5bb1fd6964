/*
 * test-linux.c: the Linux configuration-file collector (collector/linux*.c).
 *
 * Every fixture tree fixtures/linux/STYLE (a guest's files, paths kept) is read and its document
 * must equal tests/data/linux/STYLE.xml byte for byte; with GN_TEST_REGENERATE=1 the golden files
 * are rewritten instead (review the diff by hand: they are the contract).  Then assertions on the
 * model itself, and hostile input built in a temporary folder: YAML bombs and syntax errors,
 * oversized and garbage files, invalid UTF-8, symbolic links out of the root, empty and missing
 * roots.  Run from the top of the repository.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "model.h"
#include "testlib.h"

#define FIXTURES "fixtures/linux"
#define GOLDEN "tests/data/linux"
/* 2026-11-23T07:00:00Z, as the integration tests' SOURCE_DATE_EPOCH */
#define COLLECTED 1795417200

static char tmpdir[] = "/tmp/gn-test-linux.XXXXXX";

static bool regenerate(void)
{
	const char *v = getenv("GN_TEST_REGENERATE");

	return v && strcmp(v, "1") == 0;
}

/* mkdir -p of path's folders. */
static void make_parents(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir '%s': %s", buf, strerror(errno));
		*p = '/';
	}
}

/* A fresh empty root under tmpdir. */
static void new_root(char *root, size_t len, const char *name)
{
	char cmd[4200];

	snprintf(root, len, "%s/%s", tmpdir, name);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(mkdir(root, 0755), 0);
}

/* Write a file at root + rel (rel starts with '/'). */
static void put(const char *root, const char *rel, const char *content)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	make_parents(path);
	test_spill(path, content, strlen(content));
}

static const char *ip(const struct gn_ip *a)
{
	static char buf[4][GN_IP_TEXT_MAX];
	static int n;
	return gn_ip_format(a, buf[n++ % 4]);
}

static bool has_warning(const struct gn_guest *g, const char *part)
{
	for (size_t i = 0; i < g->warnings.n; i++)
		if (strstr(g->warnings.v[i], part))
			return true;
	return false;
}

static void print_warnings(const struct gn_guest *g)
{
	for (size_t i = 0; i < g->warnings.n; i++)
		print_message("warning: %s\n", g->warnings.v[i]);
}

#define assert_warning(g, part)                                                      \
	do {                                                                         \
		if (!has_warning((g), (part))) {                                     \
			print_warnings(g);                                           \
			fail_msg("no warning containing '%s'", (part));              \
		}                                                                    \
	} while (0)

/* Read root into a new document; the one guest in *ret. */
static struct gn_guest *read_root(const char *root, gn_settings **ret)
{
	gn_error err = { "" };
	gn_settings *s;
	int r;

	assert_int_equal(gn_settings_new(&s), 0);
	r = gn_linux_read(s, root, &(gn_collect_options){ .collected = COLLECTED }, &err);
	if (r < 0)
		fail_msg("'%s': gn_linux_read returned %d: %s", root, r, err.msg);
	assert_int_equal(gn_settings_count(s), 1);
	*ret = s;
	return s->guests.v[0];
}

static struct gn_guest *read_fixture(const char *style, gn_settings **ret)
{
	char root[512];

	snprintf(root, sizeof(root), FIXTURES "/%s", style);
	return read_root(root, ret);
}

/* The document of s must serialize, read back valid (schema and cross-field rules), and give
 * the same bytes again. */
static char *check_document(const gn_settings *s, const char *what, size_t *ret_len)
{
	_cleanup_(gn_settings_freep) gn_settings *back = NULL;
	_cleanup_free_ char *again = NULL;
	gn_error err = { "" };
	char *xml = NULL;
	size_t len, len2;

	if (gn_settings_to_xml(s, &xml, &len, &err) < 0)
		fail_msg("%s: gn_settings_to_xml: %s", what, err.msg);
	if (gn_settings_read_memory(xml, len, what, &back, &err) < 0)
		fail_msg("%s: the document is not valid: %s\n%s", what, err.msg, xml);
	assert_int_equal(gn_settings_to_xml(back, &again, &len2, &err), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(xml, again, len);
	*ret_len = len;
	return xml;
}

static struct gn_interface *iface(const struct gn_guest *g, const char *id)
{
	struct gn_interface *ifc = gn_guest_find_interface(g, id);

	if (!ifc)
		fail_msg("no interface '%s'", id);
	return ifc;
}

/* ---------- golden files ---------- */

static void test_golden(void **state)
{
	DIR *d = opendir(FIXTURES);
	struct dirent *de;
	unsigned checked = 0, failures = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		_cleanup_(gn_settings_freep) gn_settings *s = NULL;
		_cleanup_free_ char *xml = NULL, *golden = NULL;
		char root[512], path[512];
		struct stat st;
		size_t len, glen;

		snprintf(root, sizeof(root), FIXTURES "/%s", de->d_name);
		if (de->d_name[0] == '.' || stat(root, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		read_root(root, &s);
		xml = check_document(s, de->d_name, &len);
		snprintf(path, sizeof(path), GOLDEN "/%s.xml", de->d_name);
		checked++;
		if (regenerate()) {
			test_spill(path, xml, len);
			continue;
		}
		golden = test_slurp(path, &glen);
		if (!golden || glen != len || memcmp(golden, xml, len) != 0) {
			print_error("'%s' differs; written instead:\n%s\n", path, xml);
			failures++;
		}
	}
	closedir(d);
	assert_true(checked >= 6);
	assert_int_equal(failures, 0);
}

/* ---------- the fixtures, on the model ---------- */

static void test_netplan(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("netplan", &s);
	struct gn_interface *ens160, *ens192, *vlan;

	(void)state;
	assert_int_equal(g->os, GN_OS_LINUX);
	assert_string_equal(g->hostname, "ubuntu-web01");
	assert_null(g->domain);
	assert_int_equal(g->sources.n, 1);
	assert_int_equal(g->sources.v[0].kind, GN_SOURCE_CONFIG_FILES);
	assert_int_equal(g->sources.v[0].collected, COLLECTED);
	assert_int_equal(g->interfaces.n, 3);
	ens160 = iface(g, "ens160");
	assert_string_equal(ens160->mac, "00:50:56:8a:11:22");
	assert_int_equal(ens160->enabled, 1);
	assert_int_equal(ens160->type, GN_IFTYPE_ETHERNET);
	assert_int_equal(ens160->v4.mode, GN_MODE_STATIC);
	assert_int_equal(ens160->v4.addresses.n, 2);
	assert_string_equal(ip(&ens160->v4.addresses.v[1].ip), "10.20.30.41");
	assert_int_equal(ens160->v4.addresses.v[1].prefix, 24);
	assert_int_equal(ens160->v4.gateways.n, 1);  /* "to: default" is the gateway, metric kept */
	assert_string_equal(ip(&ens160->v4.gateways.v[0].ip), "10.20.30.1");
	assert_int_equal(ens160->v4.gateways.v[0].metric, 100);
	assert_int_equal(ens160->v4.dns.n, 2);
	assert_string_equal(ip(&ens160->v4.dns.v[0].ip), "10.20.0.53");
	assert_int_equal(ens160->v4.dns.v[0].origin, GN_ORIGIN_STATIC);
	/* 60-ipv6.yaml merged into the same definition; /lib's file of that name shadowed */
	assert_int_equal(ens160->v6.mode, GN_MODE_STATIC);
	assert_int_equal(ens160->v6.addresses.n, 1);
	assert_string_equal(ip(&ens160->v6.gateways.v[0].ip), "2001:db8:20:30::1");
	ens192 = iface(g, "ens192");
	assert_int_equal(ens192->v4.mode, GN_MODE_DHCP);
	assert_int_equal(ens192->v6.mode, GN_MODE_UNSET);  /* dhcp6: false, accept-ra unset */
	vlan = iface(g, "vlan120");
	assert_int_equal(vlan->vlan, 120);
	assert_int_equal(vlan->mtu, 1400);
	assert_int_equal(g->routes.n, 2);
	assert_string_equal(g->routes.v[0].interface, "ens160");
	assert_int_equal(g->routes.v[0].prefix, 16);
	assert_int_equal(g->routes.v[0].metric, GN_UNSET);
	assert_int_equal(g->routes.v[1].metric, 200);
	/* the stub resolv.conf: servers from resolved.conf, search from the stub */
	assert_int_equal(g->dns.n, 2);
	assert_string_equal(ip(&g->dns.v[0].ip), "10.20.0.53");
	assert_int_equal(g->search.n, 2);
	assert_string_equal(g->search.v[0], "corp.example.com");
	assert_warning(g, "systemd-resolved's stub");
	/* the leftover ifupdown configuration of ens160 loses to netplan */
	assert_warning(g, "interface 'ens160' is configured by netplan and by Debian interfaces");
	for (size_t i = 0; i < ens160->v4.addresses.n; i++)
		assert_string_not_equal(ip(&ens160->v4.addresses.v[i].ip), "198.51.100.99");
}

static void test_ifcfg_rhel(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("ifcfg-rhel", &s);
	struct gn_interface *eth0, *eth1, *eth2, *eth3, *vlan;

	(void)state;
	assert_string_equal(g->hostname, "rhel8-db01");  /* the FQDN is split */
	assert_string_equal(g->domain, "corp.example.com");
	assert_int_equal(g->interfaces.n, 5);  /* ifcfg-lo is never reported */
	assert_null(gn_guest_find_interface(g, "lo"));
	eth0 = iface(g, "eth0");
	assert_string_equal(eth0->mac, "52:54:00:6b:3c:01");
	assert_int_equal(eth0->mtu, 9000);
	assert_int_equal(eth0->v4.addresses.n, 2);
	assert_int_equal(eth0->v4.addresses.v[1].prefix, 24);  /* NETMASK1 */
	assert_int_equal(eth0->v4.dns.n, 2);
	assert_int_equal(eth0->v6.mode, GN_MODE_STATIC);
	assert_int_equal(eth0->v6.addresses.n, 2);
	assert_string_equal(ip(&eth0->v6.gateways.v[0].ip), "2001:db8:10::1");
	eth1 = iface(g, "eth1");
	assert_int_equal(eth1->v4.mode, GN_MODE_STATIC);
	assert_int_equal(eth1->v6.mode, GN_MODE_UNSET);
	eth2 = iface(g, "eth2");
	assert_int_equal(eth2->v4.mode, GN_MODE_DHCP);
	assert_int_equal(eth2->v6.mode, GN_MODE_AUTO);
	eth3 = iface(g, "eth3");
	assert_int_equal(eth3->enabled, 0);  /* ONBOOT=no */
	assert_int_equal(eth3->v6.mode, GN_MODE_DISABLED);
	vlan = iface(g, "eth0.12");
	assert_int_equal(vlan->vlan, 12);
	/* route-eth0 (ip form), route6-eth0, route-eth1 (ADDRESSn form) */
	assert_int_equal(g->routes.n, 5);
	assert_string_equal(ip(&g->routes.v[1].destination), "172.16.0.0");
	assert_int_equal(g->routes.v[1].metric, 50);
	assert_int_equal(g->routes.v[2].family, GN_AF_INET6);
	assert_string_equal(g->routes.v[3].interface, "eth1");
	assert_int_equal(g->routes.v[4].prefix, 23);
	assert_int_equal(g->routes.v[4].metric, 20);
	assert_int_equal(g->search.n, 2);
	assert_string_equal(g->search.v[1], "db.corp.example.com");
	assert_int_equal(g->warnings.n, 0);
}

static void test_ifcfg_suse(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("ifcfg-suse", &s);
	struct gn_interface *eth0, *eth2;

	(void)state;
	assert_string_equal(g->hostname, "sles15-erp01");
	eth0 = iface(g, "eth0");
	assert_string_equal(eth0->mac, "00:50:56:b0:50:10");
	assert_int_equal(eth0->v4.addresses.n, 2);
	assert_int_equal(eth0->v4.addresses.v[0].prefix, 24);  /* IPADDR='10.50.1.10/24' */
	assert_string_equal(ip(&eth0->v4.gateways.v[0].ip), "10.50.1.1");  /* routes: default */
	assert_string_equal(ip(&eth0->v6.gateways.v[0].ip), "2001:db8:50:1::1");
	assert_int_equal(eth0->v6.addresses.n, 1);  /* IPADDR_v6 */
	assert_int_equal(iface(g, "eth1")->v4.mode, GN_MODE_DHCP);
	assert_int_equal(iface(g, "eth1")->v6.mode, GN_MODE_DHCP);
	eth2 = iface(g, "eth2");
	assert_int_equal(eth2->enabled, 0);  /* STARTMODE='manual' */
	assert_int_equal(eth2->v4.addresses.v[0].prefix, 24);  /* PREFIXLEN */
	assert_int_equal(iface(g, "vlan20")->vlan, 20);
	assert_null(gn_guest_find_interface(g, "lo"));
	assert_int_equal(g->routes.n, 4);
	assert_null(g->routes.v[1].interface);  /* '-' in the routes file */
	assert_int_equal(g->routes.v[2].metric, 20);  /* ifroute-eth0 */
	assert_string_equal(g->routes.v[2].interface, "eth0");
	/* resolv.conf first, then netconfig's static servers */
	assert_int_equal(g->dns.n, 3);
	assert_string_equal(ip(&g->dns.v[2].ip), "10.50.0.55");
	assert_int_equal(g->warnings.n, 0);
}

static void test_debian(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("debian", &s);
	struct gn_interface *ens18, *ens19, *ens20, *vlan;

	(void)state;
	assert_string_equal(g->domain, "corp.example.com");  /* resolv.conf's domain line */
	assert_int_equal(g->search.n, 2);  /* the search line came after the domain line */
	assert_int_equal(g->interfaces.n, 4);
	ens18 = iface(g, "ens18");
	assert_int_equal(ens18->enabled, 1);  /* allow-hotplug */
	assert_int_equal(ens18->v4.mode, GN_MODE_STATIC);
	assert_int_equal(ens18->v6.mode, GN_MODE_STATIC);
	assert_int_equal(ens18->v6.addresses.v[0].prefix, 64);  /* netmask 64 */
	assert_int_equal(ens18->v4.dns.n, 2);
	ens19 = iface(g, "ens19");
	assert_string_equal(ens19->mac, "52:54:00:12:34:19");
	assert_int_equal(ens19->v4.mode, GN_MODE_DHCP);
	assert_int_equal(ens19->v6.mode, GN_MODE_AUTO);
	ens20 = iface(g, "ens20");
	assert_int_equal(ens20->enabled, 0);  /* neither auto nor allow-hotplug */
	assert_int_equal(ens20->v4.mode, GN_MODE_DHCP);
	assert_int_equal(ens20->v4.addresses.n, 0);  /* ens20.bak is not sourced */
	vlan = iface(g, "ens18.12");
	assert_int_equal(vlan->vlan, 12);
	assert_int_equal(vlan->mtu, 1496);
	assert_int_equal(vlan->v4.addresses.v[0].prefix, 24);
	/* up ip route add (2, one with "proto static"), route add -net, ip -6 route add */
	assert_int_equal(g->routes.n, 4);
	assert_int_equal(g->routes.v[2].metric, 10);
	assert_string_equal(ip(&g->routes.v[3].destination), "192.168.100.0");
	assert_int_equal(g->routes.v[3].prefix, 24);
	assert_warning(g, "('nexthop')");
}

static void test_networkmanager(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("networkmanager", &s);
	struct gn_interface *ens3, *ens4, *wifi, *vlan, *bymac;

	(void)state;
	assert_int_equal(g->interfaces.n, 5);
	ens3 = iface(g, "ens3");
	assert_int_equal(ens3->v4.mode, GN_MODE_STATIC);
	assert_int_equal(ens3->v4.addresses.n, 2);  /* the autoconnecting profile, not maintenance */
	assert_int_equal(ens3->v4.gateways.v[0].metric, 100);  /* route-metric */
	assert_int_equal(ens3->v6.mode, GN_MODE_AUTO);
	assert_warning(g, "ens3-maintenance.nmconnection': interface 'ens3' is already configured");
	ens4 = iface(g, "ens4");
	assert_int_equal(ens4->mtu, 9000);
	assert_int_equal(ens4->v4.addresses.v[0].prefix, 24);  /* addresses1=ADDR;PREFIX; */
	assert_int_equal(ens4->v4.gateways.n, 0);  /* never-default */
	assert_int_equal(ens4->v6.mode, GN_MODE_UNSET);  /* method=ignore */
	wifi = iface(g, "wlp2s0");
	assert_int_equal(wifi->type, GN_IFTYPE_WIRELESS);
	assert_int_equal(wifi->v4.mode, GN_MODE_DHCP);
	vlan = iface(g, "ens3.100");
	assert_int_equal(vlan->vlan, 100);
	assert_int_equal(vlan->v6.mode, GN_MODE_DISABLED);
	bymac = iface(g, "Wired connection 2");
	assert_int_equal(bymac->enabled, 0);
	assert_string_equal(bymac->mac, "52:54:00:ab:cd:05");
	assert_warning(g, "reported under its connection id 'Wired connection 2'");
	assert_int_equal(g->routes.n, 2);
	assert_int_equal(g->routes.v[1].metric, 50);
	assert_int_equal(g->dns.n, 2);
	assert_int_equal(g->dns.v[1].ip.family, GN_AF_INET6);
}

static void test_networkd(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("networkd", &s);
	struct gn_interface *wan, *eth1, *vlan;

	(void)state;
	wan = iface(g, "wan0");  /* named by 10-wan.link, matched by MAC in 20-wan.network */
	assert_string_equal(wan->mac, "52:54:00:70:00:01");
	assert_int_equal(wan->v4.mode, GN_MODE_DHCP);
	assert_int_equal(wan->v6.mode, GN_MODE_AUTO);
	eth1 = iface(g, "eth1");
	assert_int_equal(eth1->mtu, 9000);
	assert_int_equal(eth1->v4.addresses.n, 1);  /* /etc's 30-lan.network, not /lib's */
	assert_string_equal(ip(&eth1->v4.addresses.v[0].ip), "10.70.1.1");
	assert_int_equal(eth1->v6.gateways.v[0].metric, 100);  /* [Route] without Destination= */
	vlan = iface(g, "eth1.30");
	assert_int_equal(vlan->vlan, 30);
	assert_int_equal(vlan->mtu, 1496);
	assert_int_equal(iface(g, "eth2")->v6.mode, GN_MODE_DISABLED);  /* vendor file, networkd on */
	assert_null(gn_guest_find_interface(g, "host0"));  /* Virtualization=container */
	assert_null(gn_guest_find_interface(g, "eth9"));   /* masked by an empty file */
	assert_null(gn_guest_find_interface(g, "80-wifi-station"));  /* a vendor default */
	iface(g, "50-wildcard");
	assert_warning(g, "reported under its file name '50-wildcard'");
	assert_int_equal(g->search.n, 1);  /* ~internal.example.com is routing only */
	assert_int_equal(g->routes.n, 1);
}

/* ---------- hostile and broken input ---------- */

static void test_yaml_bomb(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	char root[512];
	struct gn_guest *g;

	(void)state;
	new_root(root, sizeof(root), "bomb");
	put(root, "/etc/netplan/01-bomb.yaml",
	    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
	    "network:\n  version: 2\n  ethernets:\n    eth0: {dhcp4: true, x: *i}\n");
	put(root, "/etc/netplan/02-alias.yaml",
	    "network:\n  version: 2\n  ethernets:\n    eth1: &cfg {dhcp4: true}\n    eth2: *cfg\n");
	g = read_root(root, &s);
	assert_warning(g, "'/etc/netplan/01-bomb.yaml' line 2: YAML aliases are not accepted");
	assert_warning(g, "'/etc/netplan/02-alias.yaml' line 5: YAML aliases are not accepted");
	assert_int_equal(g->interfaces.n, 0);
	assert_warning(g, "no network configuration was found");
}

static void test_yaml_errors(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	_cleanup_free_ char *deep = NULL, *xml = NULL;
	char root[512];
	struct gn_guest *g;
	size_t n = 20000, len;

	(void)state;
	new_root(root, sizeof(root), "yaml");
	/* a tab where netplan files indent with spaces */
	put(root, "/etc/netplan/10-tab.yaml", "network:\n  version: 2\n  ethernets:\n\teth0:\n      dhcp4: true\n");
	/* nested far deeper than any netplan file */
	deep = malloc(2 * n + 64);
	assert_non_null(deep);
	strcpy(deep, "network: ");
	memset(deep + 9, '[', n);
	memset(deep + 9 + n, ']', n);
	strcpy(deep + 9 + 2 * n, "\n");
	put(root, "/etc/netplan/20-deep.yaml", deep);
	/* invalid UTF-8: libyaml refuses it */
	put(root, "/etc/netplan/30-utf8.yaml", "network:\n  version: 2\n  ethernets:\n    eth\xff\xfe: {dhcp4: true}\n");
	/* not netplan at all, and values of the wrong kind */
	put(root, "/etc/netplan/40-other.yaml", "just: a mapping\n");
	put(root, "/etc/netplan/50-kinds.yaml",
	    "network:\n  version: 2\n  ethernets:\n    eth3:\n      addresses: 10.0.0.1/24\n"
	    "      dhcp4: maybe\n      mtu: 12\n      routes:\n        - via: 10.0.0.1\n"
	    "        - to: 10.9.0.0/16\n          via: 10.0.0.1\n          table: 100\n"
	    "    eth4:\n      addresses: [10.0.4.1, 10.0.4.2/33, \"fe80::1/64\"]\n"
	    "  wifis: []\n  bogus-devices: {}\n");
	/* a second document */
	put(root, "/etc/netplan/60-two.yaml", "network:\n  version: 2\n  ethernets:\n    eth5: {}\n---\nnetwork: {}\n");
	g = read_root(root, &s);
	assert_warning(g, "'/etc/netplan/10-tab.yaml' line 4: found character that cannot start any token");
	assert_warning(g, "'/etc/netplan/20-deep.yaml' line 1: nested more than 32 levels deep");
	assert_warning(g, "'/etc/netplan/30-utf8.yaml'");
	assert_warning(g, "'/etc/netplan/40-other.yaml' has no 'network' mapping");
	assert_warning(g, "addresses of 'eth3' is not a list");
	assert_warning(g, "dhcp4 of 'eth3' is not a boolean");
	assert_warning(g, "MTU '12' is not a number from 68 to 65535");
	assert_warning(g, "a route of 'eth3' has no 'to'");
	assert_warning(g, "in a policy routing table");
	assert_warning(g, "address '10.0.4.1' has no prefix length");
	assert_warning(g, "address '10.0.4.2/33' has an invalid prefix length");
	assert_warning(g, "netplan section 'bogus-devices' is not read");
	assert_warning(g, "'/etc/netplan/60-two.yaml' holds more than one YAML document");
	assert_int_equal(iface(g, "eth4")->v6.addresses.n, 1);
	assert_int_equal(iface(g, "eth3")->mtu, 0);
	iface(g, "eth5");
	xml = check_document(s, "yaml errors", &len);
}

static void test_ifcfg_garbage(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	_cleanup_free_ char *big = NULL, *xml = NULL;
	char root[512];
	struct gn_guest *g;
	struct gn_interface *eth0;
	size_t len;

	(void)state;
	new_root(root, sizeof(root), "ifcfg");
	put(root, "/etc/sysconfig/network-scripts/ifcfg-eth0",
	    "DEVICE=eth0\nBOOTPROTO=none\nONBOOT=sometimes\nrm -rf /\nIPADDR=999.1.1.1\nPREFIX=24\n"
	    "IPADDR1=10.0.0.6\nIPADDR2=10.0.0.7\nNETMASK2=255.0.255.0\nIPADDR3=10.0.0.8\nPREFIX3=40\n"
	    "GATEWAY=$GW\nDNS1=not-an-ip\nMTU=abc\nHWADDR=zz:zz\n"
	    "IPADDR4=10.0.0.9/24\nDOMAIN='ok.example.com bad..dom\xc3'\n");
	/* bash syntax the lens does not take: the whole file is refused, naming the line */
	put(root, "/etc/sysconfig/network-scripts/ifcfg-eth1",
	    "DEVICE=eth1\nIPADDR=\"10.1.1.1\nBOOTPROTO=static\n");
	big = malloc((2u << 20) + 1);
	assert_non_null(big);
	for (size_t i = 0; i < (2u << 20); i++)
		big[i] = (i % 64 == 63) ? '\n' : 'A';
	big[2u << 20] = '\0';
	memcpy(big, "DEVICE=eth2\n#", 13);
	put(root, "/etc/sysconfig/network-scripts/ifcfg-eth2", big);
	put(root, "/etc/sysconfig/network-scripts/ifcfg-eth3.bak", "DEVICE=eth3\n");
	g = read_root(root, &s);
	eth0 = iface(g, "eth0");
	assert_warning(g, "ONBOOT='sometimes' is not yes or no");
	assert_warning(g, "line 4: not a variable assignment");
	assert_warning(g, "IPADDR='999.1.1.1' is not an IPv4 address");
	assert_warning(g, "address 10.0.0.6 has no PREFIX1 or NETMASK1; it was skipped");
	assert_warning(g, "NETMASK2='255.0.255.0' is not a netmask");
	assert_warning(g, "PREFIX3='40' is not a prefix length");
	assert_warning(g, "the value of GATEWAY is not a plain string");
	assert_warning(g, "DNS server 'not-an-ip' is not an address");
	assert_warning(g, "MTU 'abc' is not a number");
	assert_warning(g, "'zz:zz' is not a MAC address");
	assert_warning(g, "search domain 'bad..dom");
	assert_warning(g, "'/etc/sysconfig/network-scripts/ifcfg-eth1' line 2");
	assert_warning(g, "'/etc/sysconfig/network-scripts/ifcfg-eth2' is too large (2097152 bytes; limit 1048576)");
	assert_int_equal(eth0->v4.addresses.n, 1);  /* IPADDR4 only */
	assert_int_equal(eth0->v4.mode, GN_MODE_STATIC);
	assert_int_equal(eth0->enabled, 1);
	assert_null(gn_guest_find_interface(g, "eth1"));
	assert_null(gn_guest_find_interface(g, "eth2"));
	assert_null(gn_guest_find_interface(g, "eth3"));
	assert_int_equal(g->search.n, 1);
	xml = check_document(s, "ifcfg garbage", &len);
}

static void test_bad_utf8(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	_cleanup_free_ char *xml = NULL;
	char root[512];
	struct gn_guest *g;
	size_t len;

	(void)state;
	new_root(root, sizeof(root), "utf8");
	put(root, "/etc/hostname", "host\xc0\xaf\n");
	put(root, "/etc/NetworkManager/system-connections/x.nmconnection",
	    "[connection]\nid=caf\xe9\ntype=ethernet\n\n[ipv4]\nmethod=auto\n");
	put(root, "/etc/network/interfaces", "auto eth7\niface eth7 inet dhcp\n  dns-search caf\xc3\xa9.example\n");
	g = read_root(root, &s);
	/* the Hostname lens takes only a word: the file is refused, naming its line */
	assert_warning(g, "'/etc/hostname' line 1");
	assert_null(g->hostname);
	assert_warning(g, "interface 'caf");  /* an id that cannot be written is refused */
	assert_warning(g, "search domain 'caf");
	iface(g, "eth7");
	xml = check_document(s, "bad utf-8", &len);
}

static void test_symlinks(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	char root[512], outside[600], link[700], secret[700];
	struct gn_guest *g;

	(void)state;
	new_root(root, sizeof(root), "links");
	snprintf(outside, sizeof(outside), "%s/outside", tmpdir);
	mkdir(outside, 0755);
	snprintf(secret, sizeof(secret), "%s/resolv.conf", outside);
	test_spill(secret, "nameserver 6.6.6.6\n", 19);
	snprintf(secret, sizeof(secret), "%s/99-evil.yaml", outside);
	test_spill(secret, "network:\n  ethernets:\n    evil0: {addresses: [6.6.6.6/8]}\n", 55);
	put(root, "/etc/hostname", "links\n");
	/* a file that is a link out of the root */
	snprintf(link, sizeof(link), "%s/etc/resolv.conf", root);
	snprintf(secret, sizeof(secret), "%s/resolv.conf", outside);
	assert_int_equal(symlink(secret, link), 0);
	/* a folder that is a link out of the root */
	snprintf(link, sizeof(link), "%s/etc/netplan", root);
	assert_int_equal(symlink(outside, link), 0);
	/* a link inside a listed folder */
	put(root, "/etc/network/interfaces", "source-directory interfaces.d\n");
	snprintf(link, sizeof(link), "%s/etc/network/interfaces.d", root);
	mkdir(link, 0755);
	snprintf(link, sizeof(link), "%s/etc/network/interfaces.d/evil", root);
	assert_int_equal(symlink("/etc/passwd", link), 0);
	/* systemd's mask: a link to /dev/null, quietly masking */
	put(root, "/usr/lib/systemd/network/80-x.network", "[Match]\nName=x0\n");
	put(root, "/etc/systemd/system/multi-user.target.wants/systemd-networkd.service", "\n");
	snprintf(link, sizeof(link), "%s/etc/systemd/network", root);
	mkdir(link, 0755);
	snprintf(link, sizeof(link), "%s/etc/systemd/network/80-x.network", root);
	assert_int_equal(symlink("/dev/null", link), 0);
	g = read_root(root, &s);
	assert_warning(g, "'/etc/resolv.conf' is a symbolic link; it was not read");
	assert_warning(g, "'/etc/netplan' is a symbolic link");
	assert_warning(g, "'/etc/network/interfaces.d/evil' is a symbolic link; it was not read");
	assert_false(has_warning(g, "80-x"));
	assert_null(gn_guest_find_interface(g, "x0"));
	assert_null(gn_guest_find_interface(g, "evil0"));
	assert_int_equal(g->dns.n, 0);
	assert_int_equal(g->interfaces.n, 0);
	assert_string_equal(g->hostname, "links");
}

static void test_empty_and_missing(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL, *s2 = NULL;
	char root[512], file[600];
	gn_error err = { "" };
	struct gn_guest *g;

	(void)state;
	new_root(root, sizeof(root), "empty");
	g = read_root(root, &s);
	assert_int_equal(g->interfaces.n, 0);
	assert_null(g->hostname);
	assert_warning(g, "no network configuration was found");
	assert_warning(g, "'/etc/resolv.conf' was not found");

	assert_int_equal(gn_settings_new(&s2), 0);
	snprintf(file, sizeof(file), "%s/no-such-root", tmpdir);
	assert_int_equal(gn_linux_read(s2, file, NULL, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no-such-root"));
	snprintf(file, sizeof(file), "%s/plain-file", tmpdir);
	test_spill(file, "x", 1);
	assert_int_equal(gn_linux_read(s2, file, NULL, &err), -ENOTDIR);
	assert_non_null(strstr(err.msg, "not a folder"));
	assert_int_equal(gn_settings_count(s2), 0);
}

static void test_misc_sources(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	_cleanup_free_ char *xml = NULL;
	char root[512];
	struct gn_guest *g;
	size_t len;

	(void)state;
	new_root(root, sizeof(root), "misc");
	/* /etc/HOSTNAME (SUSE before 15), a FQDN */
	put(root, "/etc/HOSTNAME", "old-suse.example.org\n");
	/* resolv.conf absent: resolved.conf and a drop-in (an empty DNS= resets the list) */
	put(root, "/etc/systemd/resolved.conf", "[Resolve]\nDNS=192.0.2.1\nDomains=a.example\n");
	put(root, "/etc/systemd/resolved.conf.d/10-site.conf",
	    "[Resolve]\nDNS=\nDNS=192.0.2.53 [2001:db8::53]:53 192.0.2.54:5353\n");
	/* a Debian file that sources itself, a relative pattern, a file that is not there */
	put(root, "/etc/network/interfaces",
	    "source /etc/network/interfaces\nsource more/*.cfg\nsource /opt/net/eth9.cfg\n"
	    "auto eth0\niface eth0 inet dhcp\n");
	put(root, "/etc/network/more/a.cfg", "iface eth8 inet static\n  address 192.0.2.8/24\n");
	put(root, "/etc/network/more/b.txt", "iface eth7 inet dhcp\n");
	g = read_root(root, &s);
	assert_string_equal(g->hostname, "old-suse");
	assert_string_equal(g->domain, "example.org");
	assert_int_equal(g->dns.n, 3);
	assert_string_equal(ip(&g->dns.v[0].ip), "192.0.2.53");
	assert_string_equal(ip(&g->dns.v[1].ip), "2001:db8::53");
	assert_int_equal(g->dns.v[0].origin, GN_ORIGIN_STATIC);
	assert_string_equal(g->search.v[0], "a.example");
	assert_warning(g, "'/etc/resolv.conf' was not found");
	assert_warning(g, "sources nested more than 8 deep");
	assert_warning(g, "sourced file '/opt/net/eth9.cfg' was not found");
	assert_int_equal(iface(g, "eth0")->v4.mode, GN_MODE_DHCP);
	assert_int_equal(iface(g, "eth8")->v4.addresses.n, 1);
	assert_int_equal(iface(g, "eth8")->enabled, 0);
	assert_null(gn_guest_find_interface(g, "eth7"));
	xml = check_document(s, "misc", &len);
}

static void test_file_cap(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	char root[512], rel[64];
	struct gn_guest *g;

	(void)state;
	new_root(root, sizeof(root), "many");
	for (int i = 0; i < GN_MAX_CONFIG_FILES + 10; i++) {
		snprintf(rel, sizeof(rel), "/etc/netplan/%04d.yaml", i);
		put(root, rel, "network: {version: 2}\n");
	}
	g = read_root(root, &s);
	assert_warning(g, "more than 1024 configuration files");
}

static void test_live_root(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	_cleanup_free_ char *xml = NULL;
	gn_error err = { "" };
	size_t len;

	(void)state;
	/* the system running the test, whatever it holds: a valid document, no crash */
	assert_int_equal(gn_settings_new(&s), 0);
	assert_int_equal(gn_linux_read(s, "/", NULL, &err), 0);
	xml = check_document(s, "live root", &len);
}

static void test_paths(void **state)
{
	size_t n = 0;

	(void)state;
	for (; gn_linux_config_paths[n]; n++)
		assert_true(gn_linux_config_paths[n][0] == '/');
	assert_true(n >= 15);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_netplan),
		cmocka_unit_test(test_ifcfg_rhel),
		cmocka_unit_test(test_ifcfg_suse),
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_networkmanager),
		cmocka_unit_test(test_networkd),
		cmocka_unit_test(test_yaml_bomb),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_ifcfg_garbage),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_empty_and_missing),
		cmocka_unit_test(test_misc_sources),
		cmocka_unit_test(test_file_cap),
		cmocka_unit_test(test_live_root),
		cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
