/*
 * test-hive.c: the hive collector on hives built from the fixture descriptions in fixtures/hives, checked on the model
 * itself; and damaged hives (bit flips everywhere, truncation, cyclic and absurd key structures)
 * read in-process so the sanitizers see every access: each must give 0 or -EBADMSG, never a
 * crash or a hang, and whatever is read must still serialize to a valid document.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hivex.h>

#include "cleanup.h"
#include "hivebuild.h"
#include "model.h"
#include "testlib.h"

static char tmpdir[] = "/tmp/gn-test-hive.XXXXXX";

static void build(const char *fixture, char *out, size_t outlen)
{
	char desc[256], err[512];

	snprintf(desc, sizeof(desc), "fixtures/hives/%s.txt", fixture);
	snprintf(out, outlen, "%s/%s.hive", tmpdir, fixture);
	if (gn_hivebuild_file(desc, out, err, sizeof(err)) < 0)
		fail_msg("%s", err);
}

static struct gn_guest *read_fixture(const char *fixture, gn_settings **ret)
{
	char path[512];
	gn_error err = { "" };
	gn_settings *s;

	build(fixture, path, sizeof(path));
	assert_int_equal(gn_settings_new(&s), 0);
	if (gn_hive_read(s, path, &(gn_collect_options){ .collected = 0 }, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(gn_settings_count(s), 1);
	*ret = s;
	return s->guests.v[0];
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

static void test_static_nic(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("static-nic", &s);
	struct gn_interface *ifc;

	(void)state;
	assert_int_equal(g->os, GN_OS_WINDOWS);
	assert_string_equal(g->hostname, "WKS-WIN732BITA");
	assert_string_equal(g->domain, "shieldbase.local");
	assert_int_equal(g->search.n, 2);
	assert_string_equal(g->search.v[1], "corp.shieldbase.local");
	assert_int_equal(g->sources.n, 1);
	assert_int_equal(g->sources.v[0].kind, GN_SOURCE_REGISTRY);
	assert_int_equal(g->sources.v[0].control_set, 1);
	assert_int_equal(g->interfaces.n, 1);  /* the loopback pseudo-interface is not reported */
	ifc = g->interfaces.v[0];
	assert_string_equal(ifc->id, "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}");
	assert_string_equal(ifc->name, "Local Area Connection 2");
	assert_string_equal(ifc->description, "Intel(R) PRO/1000 MT Network Connection");
	assert_string_equal(ifc->mac, "00:50:56:a5:12:69");  /* from the NSI NDIS row */
	assert_int_equal(ifc->type, GN_IFTYPE_ETHERNET);
	assert_int_equal(ifc->mtu, 1500);
	assert_int_equal(ifc->enabled, 1);
	assert_string_equal(ifc->dns_suffix, "shieldbase.local");
	assert_int_equal(ifc->v4.mode, GN_MODE_STATIC);
	assert_int_equal(ifc->v4.addresses.n, 1);
	assert_string_equal(ip(&ifc->v4.addresses.v[0].ip), "10.3.58.5");
	assert_int_equal(ifc->v4.addresses.v[0].prefix, 24);
	assert_int_equal(ifc->v4.addresses.v[0].origin, GN_ORIGIN_STATIC);
	assert_int_equal(ifc->v4.gateways.n, 1);
	assert_int_equal(ifc->v4.gateways.v[0].metric, 10);
	assert_int_equal(ifc->v4.dns.n, 2);
	assert_string_equal(ip(&ifc->v4.dns.v[0].ip), "10.3.58.4");  /* the guest's order */
	assert_string_equal(ip(&ifc->v4.dns.v[1].ip), "10.3.58.3");
	assert_int_equal(ifc->v4.wins.n, 2);
	assert_int_equal(ifc->v4.lease.server.family, 0);  /* DhcpServer 255.255.255.255 leftover */
	assert_int_equal(ifc->v6.mode, GN_MODE_AUTO);
	assert_int_equal(g->warnings.n, 0);
}

static void test_control_set(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("controlset2", &s);

	(void)state;
	assert_int_equal(g->sources.v[0].control_set, 2);
	assert_string_equal(g->hostname, "new-name");
	assert_int_equal(g->interfaces.n, 1);
	assert_string_equal(ip(&g->interfaces.v[0]->v4.addresses.v[0].ip), "10.2.2.2");
	assert_int_equal(g->interfaces.v[0]->v4.addresses.v[0].prefix, 25);
	assert_string_equal(g->interfaces.v[0]->description, "Red Hat VirtIO Ethernet Adapter");
}

static void test_case_variants(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("case-variants", &s);
	struct gn_interface *ifc;

	(void)state;
	assert_string_equal(g->hostname, "MixedCase-Host");
	assert_int_equal(g->interfaces.n, 1);
	ifc = g->interfaces.v[0];
	assert_string_equal(ifc->id, "{ABCDEF01-2345-6789-ABCD-EF0123456789}");
	assert_string_equal(ifc->name, "Ethernet Mixed");
	assert_string_equal(ifc->mac, "52:54:00:ab:cd:ef");
	assert_int_equal(ifc->enabled, 1);
	assert_string_equal(ip(&ifc->v4.addresses.v[0].ip), "10.9.9.9");
	assert_string_equal(ip(&ifc->v4.wins.v[0]), "10.9.9.3");
}

static void test_several_nics(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("several-nics", &s);
	struct gn_interface *wired, *wifi, *lab, *tunnel, *orphan;

	(void)state;
	/* wired, Wi-Fi, lab (disabled), isatap, the removed adapter; not loopback nor the RAS slot */
	assert_int_equal(g->interfaces.n, 5);
	wired = gn_guest_find_interface(g, "{A0000000-0000-0000-0000-000000000001}");
	wifi = gn_guest_find_interface(g, "{A0000000-0000-0000-0000-000000000002}");
	lab = gn_guest_find_interface(g, "{A0000000-0000-0000-0000-000000000003}");
	tunnel = gn_guest_find_interface(g, "{A0000000-0000-0000-0000-000000000004}");
	orphan = gn_guest_find_interface(g, "{B0000000-0000-0000-0000-0000000000FF}");
	assert_non_null(wired);
	assert_non_null(wifi);
	assert_non_null(lab);
	assert_non_null(tunnel);
	assert_non_null(orphan);
	assert_null(gn_guest_find_interface(g, "{33CA0F80-012C-43BC-8B6C-DCD6A057BAC7}"));
	assert_int_equal(wired->enabled, 1);
	assert_int_equal(lab->enabled, 0);
	assert_int_equal(wifi->type, GN_IFTYPE_WIRELESS);
	assert_int_equal(tunnel->type, GN_IFTYPE_TUNNEL);
	assert_string_equal(wired->mac, "0a:1b:2c:3d:4e:01");
	assert_string_equal(wifi->mac, "0a:1b:2c:3d:4e:02");
	assert_string_equal(lab->mac, "0a:1b:2c:3d:4e:03");
	assert_int_equal(wifi->v4.mode, GN_MODE_DHCP);
	assert_true(has_warning(g, "{B0000000-0000-0000-0000-0000000000FF} belongs to no adapter"));
}

static void test_ipv6_nsi(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("ipv6-nsi", &s);
	struct gn_interface *ifc;

	(void)state;
	assert_int_equal(g->interfaces.n, 1);
	ifc = g->interfaces.v[0];
	assert_int_equal(ifc->v4.addresses.n, 1);  /* Tcpip and NSI hold the same address */
	assert_int_equal(ifc->v6.addresses.n, 2);
	assert_string_equal(ip(&ifc->v6.addresses.v[0].ip), "2001:db8:58::5");
	assert_int_equal(ifc->v6.addresses.v[0].prefix, 64);
	assert_string_equal(ip(&ifc->v6.addresses.v[1].ip), "fd00::10");
	assert_int_equal(ifc->v6.addresses.v[1].prefix, 48);
	assert_int_equal(ifc->v6.dns.n, 2);
	assert_string_equal(ip(&ifc->v6.dns.v[1].ip), "2001:db8:58::54");
	/* 10.50.0.0/16 (NSI and PersistentRoutes: once), ::/0 via fe80::1, 2001:db8:99::/48 */
	assert_int_equal(g->routes.n, 3);
	assert_int_equal(g->routes.v[0].prefix, 16);
	assert_int_equal(g->routes.v[0].metric, 10);
	assert_string_equal(g->routes.v[0].interface, ifc->id);
	assert_string_equal(ip(&g->routes.v[1].gateway), "fe80::1");
	assert_int_equal(g->routes.v[1].metric, GN_UNSET);
	assert_int_equal(g->routes.v[2].prefix, 48);
	assert_int_equal(g->routes.v[2].metric, 100);
	assert_true(has_warning(g, "is not an NSI row"));
}

static void test_bad_values(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g = read_fixture("bad-values", &s);
	struct gn_interface *ifc;

	(void)state;
	assert_null(g->hostname);
	assert_true(has_warning(g, "value 'Hostname' is not valid UTF-16"));
	assert_true(has_warning(g, "value 'Domain' is REG_DWORD, not REG_SZ"));
	assert_int_equal(g->search.n, 2);
	ifc = g->interfaces.v[0];
	assert_null(ifc->name);
	assert_null(ifc->mac);
	assert_int_equal(ifc->vlan, 0);
	assert_int_equal(ifc->mtu, 0);
	assert_int_equal(ifc->v4.dns.n, 2);
	assert_int_equal(ifc->v4.gateways.n, 1);
	assert_true(has_warning(g, "value 'VlanId' 5000 is not a VLAN id"));
	assert_true(has_warning(g, "name holds characters that cannot be written"));
}

/* Read a damaged hive: 0 or -EBADMSG; what was read must serialize and read back. */
static void check_damaged(const char *path, const char *what)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL, *back = NULL;
	_cleanup_free_ char *xml = NULL;
	gn_error err = { "" };
	size_t len;
	int r;

	assert_int_equal(gn_settings_new(&s), 0);
	r = gn_hive_read(s, path, NULL, &err);
	if (r == -EBADMSG) {
		assert_true(strlen(err.msg) > 0);
		return;
	}
	if (r != 0)
		fail_msg("%s: gn_hive_read returned %d (%s)", what, r, err.msg);
	if (gn_settings_to_xml(s, &xml, &len, &err) < 0 ||
	    gn_settings_read_memory(xml, len, what, &back, &err) < 0)
		fail_msg("%s: the document read from it is not valid: %s", what, err.msg);
}

static void test_bit_flips(void **state)
{
	char good[512], bad[512], what[64];
	_cleanup_free_ uint8_t *orig = NULL, *buf = NULL;
	static const uint8_t patterns[] = { 0xff, 0x80, 0x01, 0x7f };
	size_t len;

	(void)state;
	build("demo", good, sizeof(good));
	orig = (uint8_t *)test_slurp(good, &len);
	assert_non_null(orig);
	buf = malloc(len);
	assert_non_null(buf);
	snprintf(bad, sizeof(bad), "%s/flipped.hive", tmpdir);
	/* every byte of the header and the first bin's cells, then a stride through the rest */
	for (size_t off = 0; off < len; off += off < 0x1200 ? 3 : 11) {
		memcpy(buf, orig, len);
		buf[off] ^= patterns[off % GN_ELEMENTSOF(patterns)];
		test_spill(bad, buf, len);
		snprintf(what, sizeof(what), "flip at 0x%zx", off);
		check_damaged(bad, what);
	}
	/* truncations */
	for (size_t cut = 0; cut < len; cut += 509) {
		test_spill(bad, orig, cut);
		snprintf(what, sizeof(what), "cut at 0x%zx", cut);
		check_damaged(bad, what);
	}
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

/* File offset of the nk record at path (from the root), found through hivex. */
static size_t node_offset(const char *hive, const char *path)
{
	hive_h *h = hivex_open(hive, 0);
	hive_node_h node;
	char buf[256], *save = NULL;

	assert_non_null(h);
	node = hivex_root(h);
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = strtok_r(buf, "\\", &save); p && node; p = strtok_r(NULL, "\\", &save))
		node = hivex_node_get_child(h, node, p);
	hivex_close(h);
	assert_true(node != 0);
	return node;
}

/*
 * Key structures no real hive has: a subkey list that lists its own key (a cycle), an "ri" index
 * that points to itself, and absurd subkey and value counts.  (nk record: parent at 0x14,
 * subkey count at 0x18, subkey list at 0x20, value count at 0x28; list offsets are relative to
 * the first bin at 0x1000.  hivex-internal.h, struct ntreg_nk_record.)
 */
static void test_absurd_structures(void **state)
{
	char good[512], bad[512];
	_cleanup_free_ uint8_t *orig = NULL, *buf = NULL;
	size_t len, ifs, nic, params, lf;

	(void)state;
	build("static-nic", good, sizeof(good));
	orig = (uint8_t *)test_slurp(good, &len);
	assert_non_null(orig);
	buf = malloc(len);
	assert_non_null(buf);
	snprintf(bad, sizeof(bad), "%s/absurd.hive", tmpdir);
	params = node_offset(good, "ControlSet001\\Services\\Tcpip\\Parameters");
	ifs = node_offset(good, "ControlSet001\\Services\\Tcpip\\Parameters\\Interfaces");
	nic = node_offset(good, "ControlSet001\\Services\\Tcpip\\Parameters\\Interfaces\\"
				"{698E50A9-4F58-4D86-B61D-F42E58DCACF6}");

	/* the interface lists the Interfaces key's own subkeys: itself among them */
	memcpy(buf, orig, len);
	put32(buf + nic + 0x20, get32(buf + ifs + 0x20));
	put32(buf + nic + 0x18, get32(buf + ifs + 0x18));
	test_spill(bad, buf, len);
	check_damaged(bad, "cycle through a subkey list");

	/* Parameters' subkey list is its parent's: Parameters\Parameters\... forever */
	memcpy(buf, orig, len);
	put32(buf + params + 0x20, get32(buf + get32(buf + params + 0x14) + 0x1000 + 0x20));
	test_spill(bad, buf, len);
	check_damaged(bad, "cycle to the parent");

	/* an "ri" index whose one entry is itself */
	memcpy(buf, orig, len);
	lf = get32(buf + ifs + 0x20) + 0x1000;
	memcpy(buf + lf + 4, "ri", 2);
	buf[lf + 6] = 1, buf[lf + 7] = 0;
	put32(buf + lf + 8, (uint32_t)(lf - 0x1000));
	test_spill(bad, buf, len);
	check_damaged(bad, "self-referencing ri index");

	/* absurd counts */
	memcpy(buf, orig, len);
	put32(buf + ifs + 0x18, 0xffffffffu);
	put32(buf + nic + 0x28, 0x7fffffffu);
	test_spill(bad, buf, len);
	check_damaged(bad, "absurd subkey and value counts");

	/* a list pointing outside the file */
	memcpy(buf, orig, len);
	put32(buf + ifs + 0x20, 0x7ffffff0u);
	put32(buf + nic + 0x2c, 0x7ffffff0u);
	test_spill(bad, buf, len);
	check_damaged(bad, "offsets outside the file");
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
		cmocka_unit_test(test_static_nic),
		cmocka_unit_test(test_control_set),
		cmocka_unit_test(test_case_variants),
		cmocka_unit_test(test_several_nics),
		cmocka_unit_test(test_ipv6_nsi),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_absurd_structures),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
