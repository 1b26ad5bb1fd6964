/*
 * test-xml.c: the settings document (emit, xml, settings-write, settings-read).
 *
 * Golden files (tests/data/settings/NAME.xml) are in canonical form: read then written, each
 * must give back its own bytes; a model built here covering every field must write
 * tests/data/settings/full.xml; tests/data/settings-normalize/NAME.xml must write NAME.out.xml.
 * With GN_TEST_REGENERATE=1 the golden files are rewritten instead of compared: review the diff
 * by hand (libvirt's VIR_TEST_REGENERATE_OUTPUT).  Every XML file under tests/data is validated:
 * *-invalid.xml must fail, the rest pass (libvirt's virschematest.c).  Hostile documents must be
 * refused with a message, without libxml2 ever printing.  Run from the top of the repository.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "cleanup.h"
#include "emit.h"
#include "model.h"
#include "xml.h"
#include "testlib.h"

#define DATA "tests/data"
#define SETTINGS DATA "/settings"
#define NORMALIZE DATA "/settings-normalize"

static bool regenerate(void)
{
	const char *v = getenv("GN_TEST_REGENERATE");

	return v && strcmp(v, "1") == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* out must equal the golden file at path, or becomes it under GN_TEST_REGENERATE=1. */
static int check_golden(const char *path, const char *out, size_t len)
{
	_cleanup_free_ char *golden = NULL;
	size_t glen;

	if (regenerate()) {
		test_spill(path, out, len);
		return 0;
	}
	golden = test_slurp(path, &glen);
	if (!golden) {
		print_error("cannot open '%s': %s\n", path, strerror(errno));
		fail();
	}
	if (glen == len && memcmp(golden, out, len) == 0)
		return 0;
	print_error("'%s' differs; written instead:\n%s\n", path, out);
	return -1;
}

/* Sorted names of the files in dir ending in suffix; free with free_names. */
static char **list_dir(const char *dir, const char *suffix, size_t *ret_n)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d))) {
		if (!ends_with(de->d_name, suffix))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		assert_non_null(names);
		assert_true(asprintf(&names[n++], "%s/%s", dir, de->d_name) > 0);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), (int (*)(const void *, const void *))strcmp);
	*ret_n = n;
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int write_settings(const gn_settings *s, char **ret, size_t *ret_len)
{
	gn_error err = { "" };
	int r = gn_settings_to_xml(s, ret, ret_len, &err);

	if (r < 0)
		print_error("gn_settings_to_xml: %d %s\n", r, err.msg);
	return r;
}

/* Read path and write it again; the output in *ret. */
static int read_write(const char *path, char **ret, size_t *ret_len)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	gn_error err = { "" };
	int r = gn_settings_read_file(path, &s, &err);

	if (r < 0) {
		print_error("'%s': %d %s\n", path, r, err.msg);
		return r;
	}
	return write_settings(s, ret, ret_len);
}

/* ---------- golden files ---------- */

static void test_round_trip(void **state)
{
	size_t n, checked = 0;
	char **names = list_dir(SETTINGS, ".xml", &n);
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *out = NULL;
		size_t len;

		if (ends_with(names[i], "-invalid.xml"))
			continue;
		checked++;
		if (read_write(names[i], &out, &len) < 0 || check_golden(names[i], out, len) < 0)
			failures++;
	}
	free_names(names, n);
	assert_true(checked >= 3);
	assert_int_equal(failures, 0);
}

static void test_normalize(void **state)
{
	size_t n, checked = 0;
	char **names = list_dir(NORMALIZE, ".xml", &n);
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *out = NULL, *golden = NULL;
		size_t len;

		if (ends_with(names[i], ".out.xml"))
			continue;
		checked++;
		assert_true(asprintf(&golden, "%.*s.out.xml", (int)(strlen(names[i]) - 4),
				     names[i]) > 0);
		if (read_write(names[i], &out, &len) < 0 || check_golden(golden, out, len) < 0)
			failures++;
	}
	free_names(names, n);
	assert_true(checked >= 1);
	assert_int_equal(failures, 0);
}

static void ip(struct gn_ip *ret, const char *s)
{
	if (gn_ip_parse(s, ret) < 0) {
		print_error("bad address in test: '%s'\n", s);
		fail();
	}
}

static int64_t when(const char *s)
{
	int64_t t;

	assert_int_equal(gn_xml_time_parse(s, &t), 0);
	return t;
}

static void add_address(struct gn_ipconf *c, const char *s, unsigned prefix, enum gn_origin o,
			int expect)
{
	struct gn_ip a;

	ip(&a, s);
	assert_int_equal(gn_ipconf_add_address(c, &a, prefix, o), expect);
}

static void add_gateway(struct gn_ipconf *c, const char *s, int64_t metric)
{
	struct gn_ip a;

	ip(&a, s);
	assert_int_equal(gn_ipconf_add_gateway(c, &a, metric), 1);
}

static void add_dns(gn_dns_list *l, const char *s, enum gn_origin o)
{
	struct gn_ip a;

	ip(&a, s);
	assert_int_equal(gn_dns_list_add(l, &a, o), 1);
}

static void add_route(struct gn_guest *g, const char *dest, unsigned prefix, const char *gw,
		      int64_t metric, const char *ifc)
{
	struct gn_ip d, a = { 0 };

	ip(&d, dest);
	if (gw)
		ip(&a, gw);
	assert_int_equal(gn_guest_add_route(g, &d, prefix, gw ? &a : NULL, metric, ifc), 1);
}

static struct gn_interface *add_interface(struct gn_guest *g, const char *id)
{
	struct gn_interface *ifc;

	assert_int_equal(gn_guest_add_interface(g, id, &ifc), 1);
	return ifc;
}

/* A Windows guest with every field the model has, as collectors would fill it. */
static void full_windows(gn_settings *s)
{
	struct gn_guest *g;
	struct gn_source *src;
	struct gn_interface *ifc;
	struct gn_ipconf *c;
	struct gn_ip a;

	assert_int_equal(gn_settings_add_guest(s, &g), 0);
	g->os = GN_OS_WINDOWS;
	assert_int_equal(gn_set_string(&g->name, "WKS-WIN7 \"prod\" <a&b>"), 0);
	assert_int_equal(gn_set_string(&g->hostname, "WKS-WIN732BITA"), 0);
	assert_int_equal(gn_set_string(&g->domain, "shieldbase.local"), 0);

	assert_int_equal(gn_guest_add_source(g, GN_SOURCE_BACKUP, &src), 1);
	src->origin = GN_SOURCE_REGISTRY;
	src->collected = when("2026-11-23T07:00:00Z");
	assert_int_equal(gn_set_string(&src->image, "disk1.qcow2"), 0);
	src->control_set = 1;
	assert_int_equal(gn_guest_add_source(g, GN_SOURCE_REGISTRY, &src), 1);
	assert_int_equal(gn_set_string(&src->image, "Disques/réplica.vmdk"), 0);
	src->control_set = 2;

	/* static IPv4, SLAAC IPv6 with the RFC 5952 compression cases */
	ifc = add_interface(g, "{698e50a9-4f58-4d86-b61d-f42e58dcacf6}");
	assert_int_equal(gn_set_string(&ifc->name, "Local Area Connection 2"), 0);
	assert_int_equal(gn_interface_set_mac(ifc, "00-50-56-A5-12-69"), 0);
	assert_int_equal(gn_interface_set_permanent_mac(ifc, "005056A51270"), 0);
	assert_int_equal(gn_set_string(&ifc->description,
				       "Intel(R) PRO/1000 MT Network Connection"), 0);
	ifc->type = GN_IFTYPE_ETHERNET;
	ifc->mtu = 1500;
	ifc->vlan = 12;
	ifc->enabled = 1;
	assert_int_equal(gn_set_string(&ifc->dns_suffix, "corp.shieldbase.local"), 0);
	assert_int_equal(gn_set_string(&ifc->network, "Prod-10"), 0);
	c = &ifc->v4;
	c->mode = GN_MODE_STATIC;
	add_address(c, "10.3.58.5", 24, GN_ORIGIN_STATIC, 1);
	add_address(c, "10.3.58.6", 24, GN_ORIGIN_STATIC, 1);
	add_address(c, "10.3.58.5", 24, GN_ORIGIN_STATIC, 0);  /* duplicate */
	add_address(c, "0.0.0.0", 0, GN_ORIGIN_STATIC, 0);     /* placeholder */
	add_gateway(c, "10.3.58.1", 0);
	add_gateway(c, "10.3.58.254", GN_UNSET);
	add_dns(&c->dns, "10.3.58.4", GN_ORIGIN_UNSET);
	add_dns(&c->dns, "10.3.58.5", GN_ORIGIN_STATIC);
	ip(&a, "10.3.58.9");
	assert_int_equal(gn_ipconf_add_wins(c, &a), 1);
	c = &ifc->v6;
	c->mode = GN_MODE_AUTO;
	add_address(c, "2001:DB8:58:0:0:0:0:5", 64, GN_ORIGIN_STATIC, 1);
	add_address(c, "2001:db8:0:0:1:0:0:1", 64, GN_ORIGIN_AUTO, 1);
	add_address(c, "2001:db8:0:1:1:1:1:1", 64, GN_ORIGIN_AUTO, 1);
	add_address(c, "fe80:0:0:0:250:56ff:fea5:1269%12", 64, GN_ORIGIN_LINK_LOCAL, 1);
	add_address(c, "2001:db8:5800::", 40, GN_ORIGIN_UNKNOWN, 1);
	add_gateway(c, "fe80::1", 256);
	add_dns(&c->dns, "2001:db8:58::53", GN_ORIGIN_AUTO);

	/* DHCP on both families, with leases; disabled wireless */
	ifc = add_interface(g, "{0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9}");
	assert_int_equal(gn_set_string(&ifc->name, "Wi-Fi"), 0);
	assert_int_equal(gn_interface_set_mac(ifc, "3c:22:fb:01:02:03"), 0);
	assert_int_equal(gn_interface_set_permanent_mac(ifc, "3C22FB010203"), 0);  /* same */
	ifc->type = GN_IFTYPE_WIRELESS;
	ifc->enabled = 0;
	c = &ifc->v4;
	c->mode = GN_MODE_DHCP;
	add_address(c, "192.168.1.50", 24, GN_ORIGIN_DHCP, 1);
	add_gateway(c, "192.168.1.1", 25);
	add_dns(&c->dns, "192.168.1.1", GN_ORIGIN_DHCP);
	ip(&c->lease.server, "192.168.1.1");
	c->lease.obtained = when("2026-11-22T18:30:00Z");
	c->lease.expires = when("2026-11-23T18:30:00Z");
	c = &ifc->v6;
	c->mode = GN_MODE_DHCP;
	add_address(c, "2001:db8:1:2::1:50", 128, GN_ORIGIN_DHCP, 1);
	ip(&c->lease.server, "fe80::2:1");
	c->lease.obtained = when("2000-02-29T23:59:59Z");

	/* IPv4 disabled, IPv6 unknown (not written), a name beyond ASCII */
	ifc = add_interface(g, "{11111111-2222-3333-4444-555555555555}");
	assert_int_equal(gn_set_string(&ifc->name, "Réseau — VPN ☃"), 0);
	ifc->type = GN_IFTYPE_TUNNEL;
	ifc->v4.mode = GN_MODE_DISABLED;
	add_address(&ifc->v6, "2001:db8::99", 64, GN_ORIGIN_STATIC, 1);

	add_route(g, "0.0.0.0", 0, "10.3.58.1", -1, NULL);
	add_route(g, "172.16.5.7", 16, NULL, GN_UNSET, "{698e50a9-4f58-4d86-b61d-f42e58dcacf6}");
	add_route(g, "10.99.0.0", 24, "10.3.58.254", 10, "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}");
	add_route(g, "::", 0, "fe80::1", 256, NULL);
	add_route(g, "2001:db8:99::", 48, NULL, 0, NULL);

	assert_int_equal(gn_guest_add_search(g, "shieldbase.local"), 1);
	assert_int_equal(gn_guest_add_search(g, "corp.shieldbase.local"), 1);
	assert_int_equal(gn_guest_add_search(g, "SHIELDBASE.local"), 0);  /* duplicate */
	gn_guest_warn(g, "interface %s: value 'IPAddress' is not REG_MULTI_SZ: <&\"'> kept as-is",
		      "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}");
	gn_guest_warn(g, "Schnittstelle „LAN“ nicht lesbar (Zugriff verweigert): ü");
	gn_guest_warn(g, "line one\nline two\ttabbed");
}

/* A Linux guest: system-wide resolvers, interface names as ids. */
static void full_linux(gn_settings *s)
{
	struct gn_guest *g;
	struct gn_source *src;
	struct gn_interface *ifc;

	assert_int_equal(gn_settings_add_guest(s, &g), 0);
	g->os = GN_OS_LINUX;
	assert_int_equal(gn_set_string(&g->hostname, "web01"), 0);
	assert_int_equal(gn_guest_add_source(g, GN_SOURCE_CONFIG_FILES, &src), 1);
	src->collected = when("1970-01-01T00:00:00Z");
	assert_int_equal(gn_set_string(&src->image, "web01.raw"), 0);
	assert_int_equal(gn_guest_add_source(g, GN_SOURCE_RUNTIME, &src), 1);
	src->collected = when("9999-12-31T23:59:59Z");

	ifc = add_interface(g, "eth0");
	assert_int_equal(gn_interface_set_mac(ifc, "5254.00ab.cdef"), 0);
	ifc->type = GN_IFTYPE_ETHERNET;
	ifc->mtu = 9000;
	ifc->enabled = 1;
	ifc->v4.mode = GN_MODE_DHCP;
	add_address(&ifc->v4, "10.0.0.5", 16, GN_ORIGIN_DHCP, 1);
	ifc->v4.lease.expires = when("2026-12-01T00:00:00Z");
	ifc->v6.mode = GN_MODE_AUTO;
	add_address(&ifc->v6, "fe80::5054:ff:feab:cdef", 64, GN_ORIGIN_LINK_LOCAL, 1);
	ifc = add_interface(g, "wg0");
	ifc->type = GN_IFTYPE_OTHER;
	ifc->mtu = 68;
	ifc->vlan = 4094;
	ifc->v4.mode = GN_MODE_STATIC;
	add_address(&ifc->v4, "10.99.0.1", 32, GN_ORIGIN_STATIC, 1);
	ifc->v6.mode = GN_MODE_DISABLED;

	add_route(g, "10.20.30.40", 16, "10.0.0.1", 100, "eth0");
	add_route(g, "192.0.2.0", 24, NULL, INT64_MAX, "wg0");
	add_dns(&g->dns, "127.0.0.53", GN_ORIGIN_STATIC);
	add_dns(&g->dns, "::1", GN_ORIGIN_UNSET);
	add_dns(&g->dns, "::ffff:192.0.2.53", GN_ORIGIN_UNKNOWN);
	add_dns(&g->dns, "1::", GN_ORIGIN_DHCP);
	assert_int_equal(gn_guest_add_search(g, "example.com"), 1);
}

static void test_full_model(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	_cleanup_free_ char *out = NULL;
	struct gn_record *rec;
	struct gn_guest *g;
	size_t len;

	(void)state;
	assert_int_equal(gn_settings_new(&s), 0);
	full_windows(s);
	full_linux(s);

	/* a merged guest's provenance (model.h) on the Linux guest; the record of a backup */
	g = s->guests.v[1];
	g->interfaces.v[0]->from = GN_SOURCE_RUNTIME;
	g->interfaces.v[0]->v4.from = GN_SOURCE_RUNTIME;
	g->interfaces.v[0]->v6.from = GN_SOURCE_CONFIG_FILES;
	g->routes.v[0].from = GN_SOURCE_CONFIG_FILES;
	g->routes.v[1].from = GN_SOURCE_BACKUP;  /* not a collector: not written */
	g->dns.v[0].from = GN_SOURCE_RUNTIME;
	assert_int_equal(gn_settings_set_record(s, GN_BACKUP_FOLDER, when("2026-11-23T08:00:00Z"),
						&rec), 0);
	assert_int_equal(gn_record_add_image(rec, "web01/disk1.qcow2", 21474836480,
					     "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
			 1);
	assert_int_equal(gn_record_add_image(rec, "db01 & co/disk \"2\".raw", 0,
					     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
			 1);

	assert_int_equal(gn_settings_add_guest(s, &g), 0);  /* the least a guest can be */
	g->os = GN_OS_LINUX;
	assert_int_equal(write_settings(s, &out, &len), 0);
	assert_int_equal(strlen(out), len);
	assert_int_equal(check_golden(SETTINGS "/full.xml", out, len), 0);
}

/* A model the document cannot carry is refused, not written wrong. */
static void test_write_refuses(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g;
	struct gn_source *src;
	gn_error err = { "" };
	char *out = NULL;
	size_t len;

	(void)state;
	assert_int_equal(gn_settings_new(&s), 0);
	assert_int_equal(gn_settings_add_guest(s, &g), 0);
	assert_int_equal(gn_settings_to_xml(s, &out, &len, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "os is not set"));
	g->os = GN_OS_LINUX;
	assert_int_equal(gn_guest_add_source(g, GN_SOURCE_RUNTIME, &src), 1);
	src->collected = -1;
	assert_int_equal(gn_settings_to_xml(s, &out, &len, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "outside 1970..9999"));
	src->collected = GN_UNSET;
	assert_int_equal(gn_settings_to_xml(s, &out, &len, NULL), 0);
	free(out);
}

/* The <backup> record and the from attributes, as read. */
static void test_record_and_from(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL, *merged = NULL;
	const struct gn_record *rec;
	const struct gn_guest *g;
	gn_error err = { "" };
	char t[GN_TIME_TEXT_MAX];

	(void)state;
	assert_int_equal(gn_settings_read_file(SETTINGS "/record.xml", &s, &err), 0);
	rec = s->record;
	assert_non_null(rec);
	assert_int_equal(rec->kind, GN_BACKUP_OVA);
	assert_int_equal(gn_xml_time_format(rec->recorded, t), 0);
	assert_string_equal(t, "2026-11-23T08:00:00Z");
	assert_int_equal(rec->images.n, 2);
	assert_string_equal(rec->images.v[0].path, "web01.ova/web01-disk1.vmdk");
	assert_int_equal(rec->images.v[0].size, 4294967296);
	assert_string_equal(rec->images.v[0].sha256,
			    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	assert_string_equal(rec->images.v[1].path, "web01.ova/web01-disk2.vmdk");
	assert_int_equal(rec->images.v[1].size, 0);
	assert_int_equal(s->guests.n, 1);
	assert_int_equal(gn_guest_source_kind(s->guests.v[0]), GN_SOURCE_CONFIG_FILES);

	assert_int_equal(gn_settings_read_file(SETTINGS "/merged.xml", &merged, &err), 0);
	assert_null(merged->record);
	g = merged->guests.v[0];
	assert_int_equal(g->interfaces.n, 2);
	assert_int_equal(g->interfaces.v[0]->from, GN_SOURCE_RUNTIME);
	assert_int_equal(g->interfaces.v[0]->v4.from, GN_SOURCE_RUNTIME);
	assert_int_equal(g->interfaces.v[0]->v6.from, GN_SOURCE_RUNTIME);
	assert_int_equal(g->interfaces.v[1]->from, GN_SOURCE_REGISTRY);
	assert_int_equal(g->interfaces.v[1]->v4.from, GN_SOURCE_REGISTRY);
	assert_int_equal(g->interfaces.v[1]->v6.from, GN_SOURCE_UNSET);
	assert_int_equal(g->routes.n, 2);
	assert_int_equal(g->routes.v[0].from, GN_SOURCE_RUNTIME);
	assert_int_equal(g->routes.v[1].from, GN_SOURCE_REGISTRY);
	assert_int_equal(g->dns.n, 1);
	assert_int_equal(g->dns.v[0].from, GN_SOURCE_RUNTIME);
	assert_int_equal(g->dns.v[0].origin, GN_ORIGIN_UNSET);
}

/* A record the document cannot carry is refused, not written wrong. */
static void test_write_refuses_record(void **state)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_record *rec;
	gn_error err = { "" };
	char *out = NULL;
	size_t len;

	(void)state;
	assert_int_equal(gn_settings_new(&s), 0);
	assert_int_equal(gn_settings_set_record(s, GN_BACKUP_IMAGE, 0, &rec), 0);
	assert_int_equal(gn_settings_to_xml(s, &out, &len, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no image"));
	assert_int_equal(gn_record_add_image(rec, "disk.raw", 1, "e3b0c44298fc1c149afbf4c8996fb9"
					     "2427ae41e4649b934ca495991b7852b855"), 1);
	rec->recorded = GN_UNSET;
	assert_int_equal(gn_settings_to_xml(s, &out, &len, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not set"));
	rec->recorded = 0;
	assert_int_equal(gn_settings_to_xml(s, &out, &len, &err), 0);
	assert_non_null(strstr(out, "<backup kind=\"image\" recorded=\"1970-01-01T00:00:00Z\">\n"
				    "    <image path=\"disk.raw\" size=\"1\" sha256=\"e3b0"));
	free(out);
}

/* While a call runs, standard error goes to a temporary file: libxml2 must never print. */
static int saved_stderr = -1;
static FILE *captured;

static void capture_begin(void)
{
	fflush(stderr);
	captured = tmpfile();
	assert_non_null(captured);
	saved_stderr = dup(2);
	assert_true(saved_stderr >= 0);
	assert_true(dup2(fileno(captured), 2) >= 0);
}

static char *capture_end(void)
{
	char *text;
	long len;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	len = ftell(captured);
	text = calloc(1, (size_t)len + 1);
	rewind(captured);
	if (len > 0 && fread(text, 1, (size_t)len, captured) != (size_t)len)
		text[0] = '\0';
	fclose(captured);
	return text;
}

/* ---------- the schema over every data file ---------- */

static char **data_files;
static size_t n_data_files;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F && ends_with(path, ".xml")) {
		data_files = realloc(data_files, (n_data_files + 1) * sizeof(*data_files));
		assert_non_null(data_files);
		data_files[n_data_files++] = strdup(path);
	}
	return 0;
}

static void test_schema(void **state)
{
	int failures = 0, invalid = 0;

	(void)state;
	assert_int_equal(nftw(DATA, collect, 16, FTW_PHYS), 0);
	qsort(data_files, n_data_files, sizeof(*data_files),
	      (int (*)(const void *, const void *))strcmp);
	for (size_t i = 0; i < n_data_files; i++) {
		const char *path = data_files[i];
		bool want_invalid = ends_with(path, "-invalid.xml");
		_cleanup_free_ char *printed = NULL;
		gn_error err = { "" };
		int r;

		capture_begin();
		r = gn_validate_file(path, &err);
		printed = capture_end();
		if (printed[0]) {
			print_error("'%s': libxml2 printed '%s'\n", path, printed);
			failures++;
		}
		if (want_invalid) {
			_cleanup_free_ char *text = NULL;
			size_t len;

			invalid++;
			text = test_slurp(path, &len);
			assert_non_null(text);
			if (r == 0) {
				print_error("'%s': valid, but named -invalid\n", path);
				failures++;
			} else if (r != -EBADMSG || !strstr(err.msg, path)) {
				print_error("'%s': %d, message without the file name: %s\n", path, r,
					    err.msg);
				failures++;
			} else if (!strstr(text, "<!--")) {
				print_error("'%s': no comment saying why it is invalid\n", path);
				failures++;
			}
			if (getenv("GN_TEST_VERBOSE"))
				printf("%s\n", err.msg);
		} else if (r < 0) {
			print_error("'%s': %s\n", path, err.msg);
			failures++;
		}
		/* the streaming reader of settings judges every document as the tree reader does */
		{
			_cleanup_(gn_settings_freep) gn_settings *s = NULL;
			_cleanup_free_ char *text = NULL;
			gn_error err2 = { "" };
			size_t len;
			int r2;

			text = test_slurp(path, &len);
			assert_non_null(text);
			r2 = gn_settings_read_file(path, &s, &err2);
			if (strstr(text, "<guestnet ") && (r2 == 0) != (r == 0)) {
				print_error("'%s': streamed %d (%s), as a tree %d\n", path, r2,
					    err2.msg, r);
				failures++;
			} else if (!strstr(text, "<guestnet ") && r2 == 0) {
				print_error("'%s': read as settings\n", path);
				failures++;
			}
		}
		free(data_files[i]);
	}
	free(data_files);
	assert_true(invalid >= 10);
	assert_int_equal(failures, 0);
}

/* ---------- hostile documents ---------- */

/* buf must be refused with r and a message holding needle, printing nothing. */
static void refused(const char *buf, size_t len, int r, const char *needle)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	_cleanup_free_ char *printed = NULL;
	gn_error err = { "" };
	int got;

	capture_begin();
	got = gn_settings_read_memory(buf, len, "hostile.xml", &s, &err);
	printed = capture_end();
	if (got != r || !strstr(err.msg, needle) || printed[0]) {
		print_error("got %d (want %d), message '%s' (want '%s'), printed '%s'\n", got, r,
			    err.msg, needle, printed);
		fail();
	}
	assert_null(s);
}

#define REFUSED(text, r, needle) refused(text, strlen(text), r, needle)

static void test_billion_laughs(void **state)
{
	static const char doc[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE guestnet [\n"
		"  <!ENTITY lol \"lol\">\n"
		"  <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		"  <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		"  <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		"  <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		"  <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		"  <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		"  <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		"  <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		"  <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		"]>\n"
		"<guestnet version=\"1\"><guest os=\"linux\" hostname=\"&lol9;\"/></guestnet>\n";

	(void)state;
	REFUSED(doc, -EBADMSG, "'hostile.xml' line 2: DOCTYPE is not allowed");
}

/* Stands in for libxml2's loader of external entities and DTDs: never to be called. */
static int loads;

static xmlParserInputPtr spy_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	loads++;
	return NULL;
}

/*
 * An external entity naming a local file: libxml2 never tries to load it, and its content
 * appears nowhere.
 */
static void test_external_entity(void **state)
{
	xmlExternalEntityLoader loader = xmlGetExternalEntityLoader();
	char secret[] = "/tmp/gn-secret-XXXXXX", marker[64], doc[1024], docpath[] =
		"/tmp/gn-doc-XXXXXX";
	const char *forms[] = {
		"<!DOCTYPE guestnet [<!ENTITY x SYSTEM \"file://%s\">]>\n"
		"<guestnet version=\"1\"><guest os=\"linux\" hostname=\"&x;\">"
		"<warning>&x;</warning></guest></guestnet>\n",
		"<!DOCTYPE guestnet SYSTEM \"file://%s\">\n<guestnet version=\"1\"/>\n",
		"<!DOCTYPE guestnet [<!ENTITY %% p SYSTEM \"file://%s\"> %%p;]>\n"
		"<guestnet version=\"1\"/>\n",
	};
	int fd;

	(void)state;
	snprintf(marker, sizeof(marker), "GN-MARKER-%ld-%ld", (long)getpid(), (long)time(NULL));
	fd = mkstemp(secret);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, marker, strlen(marker)), (ssize_t)strlen(marker));
	close(fd);
	fd = mkstemp(docpath);
	assert_true(fd >= 0);
	close(fd);

	xmlSetExternalEntityLoader(spy_loader);
	for (size_t i = 0; i < GN_ELEMENTSOF(forms); i++) {
		_cleanup_(gn_settings_freep) gn_settings *s = NULL;
		_cleanup_free_ char *printed = NULL;
		gn_error err = { "" };
		int r, v;

		snprintf(doc, sizeof(doc), forms[i], secret);
		REFUSED(doc, -EBADMSG, "line 1: DOCTYPE is not allowed");
		test_spill(docpath, doc, strlen(doc));
		capture_begin();
		r = gn_settings_read_file(docpath, &s, &err);
		v = gn_validate_file(docpath, &err);
		printed = capture_end();
		assert_int_equal(r, -EBADMSG);
		assert_int_equal(v, -EBADMSG);
		assert_null(strstr(err.msg, marker));
		assert_non_null(strstr(err.msg, "DOCTYPE"));
		assert_string_equal(printed, "");
	}
	xmlSetExternalEntityLoader(loader);
	assert_int_equal(loads, 0);
	unlink(secret);
	unlink(docpath);
}

static void test_too_big(void **state)
{
	char path[] = "/tmp/gn-big-XXXXXX";
	struct timespec t0, t1;
	gn_error err = { "" };
	xmlDocPtr doc = NULL;
	int fd, r;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	/* sparse: one byte over the cap must be refused without being read */
	assert_int_equal(ftruncate(fd, (off_t)GN_MAX_XML_BYTES + 1), 0);
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = gn_xml_parse_file(path, &doc, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r, -E2BIG);
	assert_non_null(strstr(err.msg, "GN_MAX_XML_BYTES"));
	assert_non_null(strstr(err.msg, path));
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	assert_int_equal(gn_validate_file(path, &err), -E2BIG);

	/* at the cap it is read, and refused for what it holds */
	assert_int_equal(truncate(path, (off_t)GN_MAX_XML_BYTES), 0);
	assert_int_equal(gn_xml_parse_file(path, &doc, &err), -EBADMSG);
	unlink(path);

	assert_int_equal(gn_xml_parse_memory("", (size_t)GN_MAX_XML_BYTES + 1, "big", &doc, &err),
			 -E2BIG);
	assert_null(doc);
}

static void test_not_well_formed(void **state)
{
	(void)state;
	REFUSED("<guestnet version=\"1\">\n<guest os=\"linux\">\n</guestnet>\n", -EBADMSG,
		"'hostile.xml' line 3: Opening and ending tag mismatch");
	REFUSED("<guestnet version=\"1\"><guest os=\"linux\" hostname=\"&x;\"/></guestnet>",
		-EBADMSG, "Entity 'x' not defined");
	REFUSED("<guestnet version=\"1\"/>\n<guestnet version=\"1\"/>", -EBADMSG,
		"line 2: Extra content");
	REFUSED("<guestnet version=\"1\"><guest os=\"linux\" hostname=\"\xff\"/></guestnet>",
		-EBADMSG, "not proper UTF-8");
	refused("<guestnet version=\"1\"/>\0<hidden/>", 33, -EBADMSG,
		"'hostile.xml': NUL byte at offset 23");
	REFUSED("", -EBADMSG, "'hostile.xml': document is empty");
	REFUSED("   \n", -EBADMSG, "hostile.xml' line 2");
	REFUSED("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
		"<guestnet version=\"1\"><guest os=\"linux\" hostname=\"caf\xe9\"/></guestnet>",
		-EBADMSG, "'hostile.xml' line 1: the XML declaration names encoding 'ISO-8859-1': "
		"documents must be UTF-8");
	REFUSED("<?xml version='1.0' encoding = 'utf-8' ?><guestnet version=\"1\"><guest "
		"os=\"linux\" hostname=\"caf\xe9\"/></guestnet>", -EBADMSG, "not proper UTF-8");
}

static void test_empty_file(void **state)
{
	char path[] = "/tmp/gn-empty-XXXXXX";
	gn_error err = { "" };
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(gn_validate_file(path, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "document is empty"));
	unlink(path);
	assert_int_equal(gn_validate_file("tests/data/no-such-file.xml", &err), -ENOENT);
	assert_non_null(strstr(err.msg, "cannot open 'tests/data/no-such-file.xml'"));
	assert_int_equal(gn_validate_file("tests/data", &err), -EISDIR);
}

static void test_utf16(void **state)
{
	static const char text[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
				   "<guestnet version=\"1\"/>";
	char buf[2 * sizeof(text) + 2];
	size_t n = 0;

	(void)state;
	buf[n++] = (char)0xff;
	buf[n++] = (char)0xfe;
	for (size_t i = 0; text[i]; i++) {
		buf[n++] = text[i];
		buf[n++] = '\0';
	}
	refused(buf, n, -EBADMSG, "not UTF-8");
	refused(buf + 2, n - 2, -EBADMSG, "not UTF-8");  /* no byte order mark */
	buf[0] = (char)0xfe;
	buf[1] = (char)0xff;
	refused(buf, n - 1, -EBADMSG, "not UTF-8");
}

/*
 * libxml2 takes "4C 6F A7 94" for EBCDIC's "<?xm" whatever it is told: behind it, a DOCTYPE or a
 * declared encoding would no longer be where the checks look.  Refused by both readers.
 */
static void test_ebcdic(void **state)
{
	static const char doc[] =
		"\x4c\x6f\xa7\x94l version=\"1.0\"?>\n"
		"<!DOCTYPE guestnet [<!ENTITY a \"aaaaaaaaaa\">]>\n"
		"<guestnet version=\"1\"><guest os=\"linux\" name=\"&a;\"/></guestnet>\n";
	xmlDocPtr tree = NULL;
	gn_error err = { "" };

	(void)state;
	REFUSED(doc, -EBADMSG, "'hostile.xml': document is not UTF-8 (EBCDIC?)");
	assert_int_equal(gn_xml_parse_memory(doc, strlen(doc), "hostile.xml", &tree, &err),
			 -EBADMSG);
	assert_non_null(strstr(err.msg, "not UTF-8"));
	assert_null(tree);
}

/* One element with n attributes a0="" a1="" ... (after head, in a guest element). */
static char *attributes(const char *head, size_t n, size_t *ret_len)
{
	size_t len = strlen(head) + 64 + n * 16, used;
	char *buf = malloc(len), *p = buf;

	assert_non_null(buf);
	p += sprintf(p, "<guestnet version=\"1\">%s<guest os=\"linux\"", head);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, " a%zu=''", i);
	p = stpcpy(p, "/></guestnet>");
	used = (size_t)(p - buf);
	assert_true(used < len);
	*ret_len = used;
	return buf;
}

/*
 * libxml2 2.9 costs n^2 for an element of n attributes: over GN_MAX_XML_ATTRIBUTES, refused
 * before libxml2 reads it, by both readers; at the limit the schema judges it.  An '=' in a
 * value, a comment or a processing instruction is not an attribute.
 */
static void test_attributes(void **state)
{
	static const size_t counts[] = { GN_MAX_XML_ATTRIBUTES - 1, GN_MAX_XML_ATTRIBUTES,
					 1000000 };
	char doc[1024], values[200];
	size_t len;

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(counts); i++) {
		/* "line 2": the guest element's, named in the message */
		_cleanup_free_ char *buf = attributes("\n", counts[i], &len);
		xmlDocPtr tree = NULL;
		gn_error err = { "" };

		if (counts[i] + 1 > GN_MAX_XML_ATTRIBUTES) {
			refused(buf, len, -EBADMSG, "'hostile.xml' line 2: an element has more than "
				"64 attributes (GN_MAX_XML_ATTRIBUTES)");
			assert_int_equal(gn_xml_parse_memory(buf, len, "hostile.xml", &tree, &err),
					 -EBADMSG);
			assert_non_null(strstr(err.msg, "GN_MAX_XML_ATTRIBUTES"));
		} else {
			/* within the limit: read by libxml2, refused by the schema */
			refused(buf, len, -EBADMSG, "element 'guest'");
		}
	}
	memset(values, '=', sizeof(values) - 1);
	values[sizeof(values) - 1] = '\0';
	snprintf(doc, sizeof(doc), "<guestnet version=\"1\"><!-- %s --><?pi %s?>"
		 "<guest os=\"linux\" name=\"%s\" hostname='h'/></guestnet>", values, values,
		 values);
	{
		_cleanup_(gn_settings_freep) gn_settings *s = NULL;
		gn_error err = { "" };

		assert_int_equal(gn_settings_read_memory(doc, strlen(doc), "ok.xml", &s, &err), 0);
		assert_string_equal(s->guests.v[0]->name, values);
	}
}

/* A document of n copies of item inside <guestnet version="1">head ... tail</guestnet>. */
static char *repeat(const char *head, const char *item, size_t n, const char *tail,
		    size_t *ret_len)
{
	static const char open[] = "<guestnet version=\"1\">", close_[] = "</guestnet>";
	size_t len = strlen(open) + strlen(head) + n * strlen(item) + strlen(tail) +
		     strlen(close_);
	char *buf = malloc(len + 1), *p = buf;

	assert_non_null(buf);
	p = stpcpy(p, open);
	p = stpcpy(p, head);
	for (size_t i = 0; i < n; i++)
		p = stpcpy(p, item);
	p = stpcpy(p, tail);
	p = stpcpy(p, close_);
	*ret_len = len;
	return buf;
}

/*
 * Over a cap, a document is refused with -E2BIG naming the limit; at the cap it is read.
 * Duplicates are dropped before they count (limit NULL: the longer document is read too).
 */
static void test_caps(void **state)
{
	static const struct {
		const char *head, *item, *tail, *limit;
		size_t max;
	} cases[] = {
		{ "", "<guest os=\"linux\"/>", "", "GN_MAX_GUESTS", GN_MAX_GUESTS },
		{ "<guest os=\"linux\">", "<source kind=\"runtime\"/>", "</guest>",
		  "GN_MAX_SOURCES", GN_MAX_SOURCES },
		{ "<guest os=\"linux\">", "<route family=\"ipv4\" destination=\"10.0.0.0\" "
		  "prefix=\"8\"/>", "</guest>", NULL, GN_MAX_ROUTES },
		{ "<guest os=\"linux\">", "<warning>again</warning>", "</guest>", NULL,
		  GN_MAX_WARNINGS },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		for (size_t n = cases[i].max; n <= cases[i].max + 1; n++) {
			_cleanup_(gn_settings_freep) gn_settings *s = NULL;
			_cleanup_free_ char *buf = NULL;
			gn_error err = { "" };
			size_t len;

			buf = repeat(cases[i].head, cases[i].item, n, cases[i].tail, &len);
			if (n > cases[i].max && cases[i].limit) {
				refused(buf, len, -E2BIG, cases[i].limit);
				continue;
			}
			assert_int_equal(gn_settings_read_memory(buf, len, "caps.xml", &s, &err), 0);
		}
	}
}

/* Caps of lists whose elements must differ: generated one by one. */
static void test_caps_distinct(void **state)
{
	static const struct {
		const char *head, *fmt, *tail, *limit;
		size_t max;
	} cases[] = {
		{ "<guest os=\"linux\">", "<interface id=\"eth%zu\"/>", "</guest>",
		  "GN_MAX_INTERFACES", GN_MAX_INTERFACES },
		{ "<guest os=\"linux\"><interface id=\"eth0\"><ipv6 mode=\"static\">",
		  "<address ip=\"2001:db8::%zx\" prefix=\"64\" origin=\"static\"/>",
		  "</ipv6></interface></guest>", "GN_MAX_ADDRESSES", GN_MAX_ADDRESSES },
		{ "<guest os=\"linux\"><interface id=\"eth0\"><ipv6 mode=\"static\">",
		  "<gateway ip=\"fe80::%zx\"/>", "</ipv6></interface></guest>", "GN_MAX_GATEWAYS",
		  GN_MAX_GATEWAYS },
		{ "<guest os=\"linux\">", "<dns ip=\"10.0.0.%zu\"/>", "</guest>", "GN_MAX_DNS",
		  GN_MAX_DNS },
		{ "<guest os=\"linux\"><interface id=\"eth0\"><ipv4 mode=\"static\">",
		  "<wins ip=\"10.0.0.%zu\"/>", "</ipv4></interface></guest>", "GN_MAX_WINS",
		  GN_MAX_WINS },
		{ "<guest os=\"linux\">", "<route family=\"ipv6\" destination=\"2001:db8:%zx::\" "
		  "prefix=\"48\"/>", "</guest>", "GN_MAX_ROUTES", GN_MAX_ROUTES },
		{ "<guest os=\"linux\">", "<search domain=\"d%zu.example\"/>", "</guest>",
		  "GN_MAX_SEARCH", GN_MAX_SEARCH },
		{ "<guest os=\"linux\">", "<warning>warning %zu</warning>", "</guest>",
		  "GN_MAX_WARNINGS", GN_MAX_WARNINGS },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		for (size_t n = cases[i].max; n <= cases[i].max + 1; n++) {
			_cleanup_(gn_settings_freep) gn_settings *s = NULL;
			_cleanup_free_ char *buf = NULL;
			gn_error err = { "" };
			size_t len = 0, cap = 256 + (n + 1) * 128;
			int r;

			buf = malloc(cap);
			assert_non_null(buf);
			len += (size_t)snprintf(buf, cap, "<guestnet version=\"1\">%s", cases[i].head);
			for (size_t k = 0; k < n; k++)
				len += (size_t)snprintf(buf + len, cap - len, cases[i].fmt, k + 1);
			len += (size_t)snprintf(buf + len, cap - len, "%s</guestnet>", cases[i].tail);
			assert_true(len < cap);
			if (n > cases[i].max) {
				refused(buf, len, -E2BIG, cases[i].limit);
				continue;
			}
			r = gn_settings_read_memory(buf, len, "caps.xml", &s, &err);
			if (r < 0)
				print_error("%s at the cap: %s\n", cases[i].limit, err.msg);
			assert_int_equal(r, 0);
		}
	}
}

static void test_long_string(void **state)
{
	char buf[GN_MAX_STRING + 200], *p = buf;

	(void)state;
	p += sprintf(p, "<guestnet version=\"1\"><guest os=\"linux\" hostname=\"");
	memset(p, 'a', GN_MAX_STRING + 1);
	p += GN_MAX_STRING + 1;
	p += sprintf(p, "\"/></guestnet>");
	refused(buf, (size_t)(p - buf), -E2BIG, "attribute 'hostname' is longer than GN_MAX_STRING");
}

static void test_deep_nesting(void **state)
{
	const size_t depth = 100000;
	_cleanup_free_ char *buf = malloc(depth * 7 + 100);
	char *p = buf;

	(void)state;
	assert_non_null(buf);
	p = stpcpy(p, "<guestnet version=\"1\"><guest os=\"linux\">");
	for (size_t i = 0; i < depth; i++)
		p = stpcpy(p, "<a>");
	for (size_t i = 0; i < depth; i++)
		p = stpcpy(p, "</a>");
	p = stpcpy(p, "</guest></guestnet>");
	/* streamed, the schema's error on the first <a> comes first; as a tree, the parser's */
	refused(buf, (size_t)(p - buf), -EBADMSG, "'hostile.xml' line 1: element 'a': ");
	{
		gn_error err = { "" };
		xmlDocPtr doc = NULL;

		assert_int_equal(gn_xml_parse_memory(buf, (size_t)(p - buf), "hostile.xml", &doc,
						     &err), -EBADMSG);
		assert_non_null(strstr(err.msg, "Excessive depth"));
		assert_null(doc);
	}
	/* shallow enough to parse: the schema refuses the unknown element */
	REFUSED("<guestnet version=\"1\"><guest os=\"linux\"><a><a><a/></a></a></guest></guestnet>",
		-EBADMSG, "'hostile.xml' line 1: element '");
}

/* The schema sees every guest of a streamed document, the last as the first. */
static void test_stream_last_guest(void **state)
{
	const size_t n = 5000;
	_cleanup_free_ char *buf = malloc(n * 40 + 200);
	char *p = buf;

	(void)state;
	assert_non_null(buf);
	p = stpcpy(p, "<guestnet version=\"1\">\n");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "<guest os=\"linux\" name=\"vm%zu\"/>\n", i);
	/* only the schema knows this attribute is not allowed; the reader ignores it */
	p = stpcpy(p, "<guest os=\"linux\" name=\"last\" colour=\"red\"/>\n</guestnet>\n");
	refused(buf, (size_t)(p - buf), -EBADMSG, "'hostile.xml' line 5002: element 'guest': ");
}

static void test_wrong_root(void **state)
{
	(void)state;
	REFUSED("<sight version=\"1\"/>", -EBADMSG,
		"'hostile.xml' line 1: root element 'sight' is not 'guestnet'");
	REFUSED("<guestnet version=\"2\"/>", -EBADMSG, "line 1: element 'guestnet': ");
}

/* The messages name the file, line, element and what is wrong. */
static void test_messages(void **state)
{
	static const struct {
		const char *doc, *msg;
	} cases[] = {
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<interface id=\"eth0\">\n"
		  "<ipv4 mode=\"static\">\n<address ip=\"10.0.0.1\" prefix=\"33\" origin=\"static\"/>\n"
		  "</ipv4></interface></guest></guestnet>",
		  "'hostile.xml' line 5: element 'address': attribute 'prefix': 33 is out of range 0..32" },
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<interface id=\"eth0\">\n"
		  "<ipv4 mode=\"static\">\n<address ip=\"2001:db8::1\" prefix=\"64\" origin=\"static\"/>\n"
		  "</ipv4></interface></guest></guestnet>",
		  "'hostile.xml' line 5: element 'address': attribute 'ip': '2001:db8::1' is not an "
		  "IPv4 address" },
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<route family=\"ipv6\" "
		  "destination=\"10.0.0.0\" prefix=\"8\"/>\n</guest></guestnet>",
		  "'hostile.xml' line 3: element 'route': attribute 'destination': '10.0.0.0' is not "
		  "an IPv6 address" },
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<interface id=\"eth0\"/>\n"
		  "<interface id=\"eth0\"/>\n</guest></guestnet>",
		  "'hostile.xml' line 4: element 'interface': interface id 'eth0' is used twice" },
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<source kind=\"runtime\" "
		  "collected=\"2025-02-29T00:00:00Z\"/>\n</guest></guestnet>",
		  "'hostile.xml' line 3: element 'source': " },
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<source kind=\"runtime\" "
		  "collected=\"1969-12-31T23:59:59Z\"/>\n</guest></guestnet>",
		  "'hostile.xml' line 3: element 'source': attribute 'collected': "
		  "'1969-12-31T23:59:59Z' is not a time from 1970 to 9999" },
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<search domain=\"a b\"/>\n"
		  "</guest></guestnet>",
		  "'hostile.xml' line 3: element 'search': attribute 'domain': 'a b' is not a DNS "
		  "name" },
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<interface id=\"eth0\" "
		  "mac=\"00:00:00:00:00:00\"/>\n</guest></guestnet>",
		  "'hostile.xml' line 3: element 'interface': attribute 'mac': '00:00:00:00:00:00' is "
		  "not a MAC address" },
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<interface id=\"eth0\">\n"
		  "<ipv4 mode=\"static\">\n<gateway ip=\"10.0.0.1\" metric=\"-9223372036854775808\"/>\n"
		  "</ipv4></interface></guest></guestnet>",
		  "'hostile.xml' line 5: element 'gateway': attribute 'metric': "
		  "-9223372036854775808 is out of range" },
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<interface id=\"eth0\" "
		  "mac=\"00:50:56:A5:12:69\"/>\n</guest></guestnet>",
		  "'hostile.xml' line 3: element 'interface': " },
		{ "<guestnet version=\"1\">\n<guest os=\"linux\">\n<interface id=\"eth0\">\n"
		  "<ipv4 mode=\"static\">\n<address ip=\"10.0.0.256\" prefix=\"8\" origin=\"static\"/>"
		  "\n</ipv4></interface></guest></guestnet>",
		  "'hostile.xml' line 5: element 'address': attribute 'ip': '10.0.0.256' is not an "
		  "IPv4 address" },
	};

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++)
		REFUSED(cases[i].doc, -EBADMSG, cases[i].msg);
}

/* ---------- time ---------- */

static void test_time(void **state)
{
	static const struct {
		const char *text;
		int64_t t;
	} good[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "1970-01-01T00:00:01Z", 1 },
		{ "1999-12-31T23:59:59Z", 946684799 },
		{ "2000-02-29T12:34:56Z", 951827696 },
		{ "2000-03-01T00:00:00Z", 951868800 },
		{ "2038-01-19T03:14:08Z", INT64_C(2147483648) },
		{ "2100-03-01T00:00:00Z", INT64_C(4107542400) },
		{ "2026-11-23T07:00:00Z", INT64_C(1795417200) },
		{ "9999-12-31T23:59:59Z", INT64_C(253402300799) },
	};
	static const char *const bad[] = {
		"", "1969-12-31T23:59:59Z", "2001-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
		"2000-13-01T00:00:00Z", "2000-00-10T00:00:00Z", "2000-01-00T00:00:00Z",
		"2000-04-31T00:00:00Z", "2000-01-01T24:00:00Z", "2000-01-01T23:60:00Z",
		"2000-01-01T23:59:60Z", "2000-01-01T00:00:00", "2000-01-01 00:00:00Z",
		"2000-01-01T00:00:00+01:00", "2000-01-01T00:00:00z", "+2000-01-01T00:00:00Z",
		"10000-01-01T00:00:00Z", "2000-1-01T00:00:00Z", "2000-01-01T00:00:00.5Z",
		"20a0-01-01T00:00:00Z", "2000-01-01T00:00:00ZZ",
	};
	char buf[GN_TIME_TEXT_MAX];
	int64_t t;

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(good); i++) {
		assert_int_equal(gn_xml_time_parse(good[i].text, &t), 0);
		assert_int_equal(t, good[i].t);
		assert_int_equal(gn_xml_time_format(good[i].t, buf), 0);
		assert_string_equal(buf, good[i].text);
	}
	for (size_t i = 0; i < GN_ELEMENTSOF(bad); i++) {
		t = 42;
		if (gn_xml_time_parse(bad[i], &t) == 0)
			fail_msg("'%s' parsed", bad[i]);
		assert_int_equal(t, 42);
	}
	assert_int_equal(gn_xml_time_parse(NULL, &t), -EINVAL);
	assert_int_equal(gn_xml_time_format(-1, buf), -EINVAL);
	assert_int_equal(gn_xml_time_format(INT64_C(253402300800), buf), -EINVAL);
	assert_int_equal(gn_xml_time_format(GN_UNSET, buf), -EINVAL);

	/* against the C library, over the whole range: same text, and back */
	for (int64_t x = 0; x <= INT64_C(253402300799); x += INT64_C(86400) * 97 + 3607) {
		time_t tt = (time_t)x;
		struct tm tm;
		char ref[64];

		assert_non_null(gmtime_r(&tt, &tm));
		strftime(ref, sizeof(ref), "%Y-%m-%dT%H:%M:%SZ", &tm);
		assert_int_equal(gn_xml_time_format(x, buf), 0);
		assert_string_equal(buf, ref);
		assert_int_equal(gn_xml_time_parse(buf, &t), 0);
		assert_int_equal(t, x);
	}
}

/* ---------- emitter ---------- */

static void test_emit(void **state)
{
	struct gn_emitter *e;
	char *out;
	size_t len;

	(void)state;
	assert_int_equal(gn_emit_new(&e), 0);
	assert_int_equal(gn_emit_start(e, "a"), 0);
	assert_int_equal(gn_emit_attr(e, "x", NULL), 0);
	assert_int_equal(gn_emit_attr(e, "y", "1 < 2 & \"3\""), 0);
	assert_int_equal(gn_emit_attr_int(e, "z", INT64_MIN), 0);
	assert_int_equal(gn_emit_start(e, "b"), 0);
	assert_int_equal(gn_emit_text(e, "t<&>é"), 0);
	assert_int_equal(gn_emit_end(e), 0);
	assert_int_equal(gn_emit_start(e, "c"), 0);
	assert_int_equal(gn_emit_end(e), 0);
	assert_int_equal(gn_emit_end(e), 0);
	assert_int_equal(gn_emit_finish(e, &out, &len), 0);
	assert_string_equal(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				 "<a y=\"1 &lt; 2 &amp; &quot;3&quot;\" z=\"-9223372036854775808\">\n"
				 "  <b>t&lt;&amp;&gt;é</b>\n"
				 "  <c/>\n"
				 "</a>\n");
	assert_int_equal(strlen(out), len);
	free(out);
	assert_int_equal(gn_emit_start(e, "late"), -EINVAL);  /* finished */
	gn_emit_free(e);

	/* errors are sticky: the first one is returned until the end */
	assert_int_equal(gn_emit_new(&e), 0);
	assert_int_equal(gn_emit_end(e), -EINVAL);
	assert_int_equal(gn_emit_start(e, "a"), -EINVAL);
	assert_int_equal(gn_emit_text(e, "x"), -EINVAL);
	assert_int_equal(gn_emit_finish(e, &out, &len), -EINVAL);
	gn_emit_free(e);

	assert_int_equal(gn_emit_new(&e), 0);
	assert_int_equal(gn_emit_start(e, "a"), 0);
	assert_int_equal(gn_emit_finish(e, &out, &len), -EINVAL);  /* <a> left open */
	gn_emit_free(e);
	gn_emit_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emit),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_full_model),
		cmocka_unit_test(test_write_refuses),
		cmocka_unit_test(test_record_and_from),
		cmocka_unit_test(test_write_refuses_record),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_schema),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_external_entity),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_not_well_formed),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_ebcdic),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_caps_distinct),
		cmocka_unit_test(test_long_string),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_stream_last_guest),
		cmocka_unit_test(test_wrong_root),
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
