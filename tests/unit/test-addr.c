/*
 * test-addr.c: the strict parsers and canonical formatters of addr.c, table-driven: IPv4 and
 * IPv6 text (RFC 4291 in, RFC 5952 out), masks, MACs and GUIDs.  (Times: test-xml.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "addr.h"
#include "cleanup.h"

static void test_ipv4(void **state)
{
	static const struct {
		const char *text;
		uint8_t b[4];
	} good[] = {
		{ "0.0.0.0", { 0, 0, 0, 0 } },
		{ "1.2.3.4", { 1, 2, 3, 4 } },
		{ "10.3.58.5", { 10, 3, 58, 5 } },
		{ "192.168.100.200", { 192, 168, 100, 200 } },
		{ "255.255.255.255", { 255, 255, 255, 255 } },
	};
	static const char *const bad[] = {
		"", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "1000.1.1.1",
		"01.2.3.4", "1.2.3.04", "1.2.3.00",  /* leading zeros read as octal elsewhere */
		"1.2.3.4 ", " 1.2.3.4", "1..2.3", "1.2.3.", ".1.2.3", "a.b.c.d", "1.2.3.-4",
		"1.2.3.4/24", "0x1.2.3.4", "1,2,3,4", "1.2.3.4%1", "+1.2.3.4", "::1",
	};
	char buf[GN_IP_TEXT_MAX];
	struct gn_ip ip;

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(good); i++) {
		memset(&ip, 0xaa, sizeof(ip));
		assert_int_equal(gn_ip_parse_family(good[i].text, GN_AF_INET, &ip), 0);
		assert_int_equal(ip.family, GN_AF_INET);
		assert_memory_equal(ip.b, good[i].b, 4);
		for (int k = 4; k < 16; k++)
			assert_int_equal(ip.b[k], 0);  /* so memcmp compares */
		assert_string_equal(gn_ip_format(&ip, buf), good[i].text);
		assert_int_equal(gn_ip_parse(good[i].text, &ip), 0);
		assert_int_equal(ip.family, GN_AF_INET);
	}
	for (size_t i = 0; i < GN_ELEMENTSOF(bad); i++) {
		ip.family = 99;
		if (gn_ip_parse_family(bad[i], GN_AF_INET, &ip) == 0)
			fail_msg("'%s' parsed as IPv4", bad[i]);
		assert_int_equal(ip.family, 99);  /* untouched on error */
	}
	assert_int_equal(gn_ip_parse_family(NULL, GN_AF_INET, &ip), -EINVAL);
	assert_int_equal(gn_ip_parse_family("1.2.3.4", 0, &ip), -EINVAL);
	assert_int_equal(gn_ip_parse_family("1.2.3.4", GN_AF_INET6, &ip), -EINVAL);
}

/* Input text and its RFC 5952 form. */
static void test_ipv6(void **state)
{
	static const struct {
		const char *text, *canonical;
	} good[] = {
		{ "::", "::" },
		{ "::1", "::1" },
		{ "1::", "1::" },
		{ "0:0:0:0:0:0:0:0", "::" },
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },      /* tie: the first run */
		{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },   /* one zero: not compressed */
		{ "2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1" },
		{ "2001:DB8::A", "2001:db8::a" },                     /* lower case */
		{ "2001:db8::0:1", "2001:db8::1" },
		{ "1:0:0:2:0:0:0:3", "1:0:0:2::3" },                  /* the longest run */
		{ "1:0:0:0:2:0:0:0", "1::2:0:0:0" },
		{ "0:0:1:0:0:0:0:0", "0:0:1::" },
		{ "0:1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7" },
		{ "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0" },
		{ "::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8" },
		{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
		{ "fe80::250:56ff:fea5:1269", "fe80::250:56ff:fea5:1269" },
		{ "fe80::1%eth0", "fe80::1" },                        /* the zone is dropped */
		{ "fe80::1%12", "fe80::1" },
		{ "::ffff:1.2.3.4", "::ffff:1.2.3.4" },               /* mapped keeps its quad */
		{ "::ffff:0102:0304", "::ffff:1.2.3.4" },
		{ "0:0:0:0:0:ffff:1.2.3.4", "::ffff:1.2.3.4" },
		{ "::ffff:0:0", "::ffff:0.0.0.0" },
		{ "::1.2.3.4", "::102:304" },                         /* compatible: deprecated */
		{ "64:ff9b::192.0.2.33", "64:ff9b::c000:221" },
		{ "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304" },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	};
	static const char *const bad[] = {
		"", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::",
		"g::", ":1::", "1::2:", "1:", ":1", "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6:7::8",
		"1::2:3:4:5:6:7:8", "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "::256.1.1.1",
		"1:2:3:4:5:6:7:1.2.3.4", "::01.2.3.4", "::1.2.3.4:5", " ::1", "::1 ", "%eth0",
		"1.2.3.4", "[::1]", "::1/64", "0x1::",
	};
	char buf[GN_IP_TEXT_MAX];
	struct gn_ip ip, again;

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(good); i++) {
		if (gn_ip_parse_family(good[i].text, GN_AF_INET6, &ip) < 0)
			fail_msg("'%s' did not parse", good[i].text);
		assert_int_equal(ip.family, GN_AF_INET6);
		assert_string_equal(gn_ip_format(&ip, buf), good[i].canonical);
		assert_int_equal(gn_ip_parse(buf, &again), 0);  /* the canonical form reads back */
		assert_true(gn_ip_equal(&ip, &again));
	}
	for (size_t i = 0; i < GN_ELEMENTSOF(bad); i++)
		if (gn_ip_parse_family(bad[i], GN_AF_INET6, &ip) == 0)
			fail_msg("'%s' parsed as IPv6", bad[i]);
	assert_int_equal(gn_ip_parse_family("::1", GN_AF_INET, &ip), -EINVAL);
	assert_int_equal(gn_ip_parse(NULL, &ip), -EINVAL);
	assert_int_equal(gn_ip_parse("1.2.3.4:80", &ip), -EINVAL);
}

static void test_ip_helpers(void **state)
{
	static const uint8_t v4[4] = { 10, 0, 0, 1 }, v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct gn_ip a, b, none = { 0 };
	char buf[GN_IP_TEXT_MAX];

	(void)state;
	gn_ip_from_bytes(&a, GN_AF_INET, v4);
	assert_string_equal(gn_ip_format(&a, buf), "10.0.0.1");
	assert_int_equal(gn_ip_parse("10.0.0.1", &b), 0);
	assert_true(gn_ip_equal(&a, &b));
	gn_ip_from_bytes(&b, GN_AF_INET6, v6);
	assert_string_equal(gn_ip_format(&b, buf), "2001:db8::1");
	assert_false(gn_ip_equal(&a, &b));
	assert_string_equal(gn_ip_format(&none, buf), "");

	assert_true(gn_ip_is_unspecified(&none));
	assert_int_equal(gn_ip_parse("0.0.0.0", &a), 0);
	assert_true(gn_ip_is_unspecified(&a));
	assert_int_equal(gn_ip_parse("::", &a), 0);
	assert_true(gn_ip_is_unspecified(&a));
	assert_int_equal(gn_ip_parse("::1", &a), 0);
	assert_false(gn_ip_is_unspecified(&a));
	assert_int_equal(gn_ip_parse("0.0.0.0", &b), 0);
	assert_false(gn_ip_equal(&a, &b));  /* :: and 0.0.0.0 differ by family */

	assert_int_equal(gn_ip_bits(GN_AF_INET), 32);
	assert_int_equal(gn_ip_bits(GN_AF_INET6), 128);
	assert_int_equal(gn_ip_bits(0), 0);
}

static void test_mask(void **state)
{
	static const struct {
		const char *mask;
		int prefix;  /* -1: not contiguous */
	} cases[] = {
		{ "0.0.0.0", 0 },
		{ "128.0.0.0", 1 },
		{ "255.0.0.0", 8 },
		{ "255.255.254.0", 23 },
		{ "255.255.255.0", 24 },
		{ "255.255.255.252", 30 },
		{ "255.255.255.255", 32 },
		{ "255.0.255.0", -1 },
		{ "255.255.255.1", -1 },
		{ "0.255.255.255", -1 },
		{ "254.255.255.255", -1 },
		{ "255.255.253.0", -1 },
		{ "::", 0 },
		{ "ffff:ffff:ffff:ffff::", 64 },
		{ "ffff:ffff:ffff:ff80::", 57 },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128 },
		{ "ffff::ffff", -1 },
		{ "::1", -1 },
	};
	struct gn_ip mask;

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		unsigned prefix = 999;
		int r;

		assert_int_equal(gn_ip_parse(cases[i].mask, &mask), 0);
		r = gn_mask_to_prefix(&mask, &prefix);
		if (cases[i].prefix < 0) {
			assert_int_equal(r, -EINVAL);
			assert_int_equal(prefix, 999);
		} else {
			assert_int_equal(r, 0);
			assert_int_equal(prefix, cases[i].prefix);
		}
	}
}

static void test_mac(void **state)
{
	static const struct {
		const char *text, *normal;  /* normal NULL: refused */
	} cases[] = {
		{ "00:50:56:a5:12:69", "00:50:56:a5:12:69" },
		{ "00:50:56:A5:12:69", "00:50:56:a5:12:69" },
		{ "00-50-56-A5-12-69", "00:50:56:a5:12:69" },
		{ "005056A51269", "00:50:56:a5:12:69" },
		{ "0050.56a5.1269", "00:50:56:a5:12:69" },
		{ "FF:FF:FF:FF:FF:FF", "ff:ff:ff:ff:ff:ff" },
		{ "", NULL },
		{ "00:00:00:00:00:00", NULL },  /* no address */
		{ "000000000000", NULL },
		{ "00:50:56:a5:12", NULL },
		{ "00:50:56:a5:12:69:00", NULL },
		{ "00:50-56:a5:12:69", NULL },
		{ "00:50:56:a5:12:6g", NULL },
		{ "0:50:56:a5:12:69", NULL },
		{ "00:50:56:a5:12:69 ", NULL },
		{ "005056a5126", NULL },
		{ "005056a512690", NULL },
		{ "00 50 56 a5 12 69", NULL },
		{ "0050:56a5:1269", NULL },
		{ "00.50.56.a5.12.69", NULL },
		{ "0050.56a5-1269", NULL },
	};
	static const uint8_t bytes[6] = { 0x00, 0x50, 0x56, 0xa5, 0x12, 0x69 }, zero[6];
	char buf[GN_MAC_TEXT_MAX];

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		int r = gn_mac_normalize(cases[i].text, buf);

		if (!cases[i].normal) {
			if (r == 0)
				fail_msg("'%s' accepted as a MAC", cases[i].text);
			continue;
		}
		assert_int_equal(r, 0);
		assert_string_equal(buf, cases[i].normal);
	}
	assert_int_equal(gn_mac_normalize(NULL, buf), -EINVAL);
	assert_int_equal(gn_mac_from_bytes(bytes, buf), 0);
	assert_string_equal(buf, "00:50:56:a5:12:69");
	assert_int_equal(gn_mac_from_bytes(zero, buf), -EINVAL);
}

static void test_guid(void **state)
{
	static const struct {
		const char *text, *normal;  /* normal NULL: not a GUID */
	} cases[] = {
		{ "{698e50a9-4f58-4d86-b61d-f42e58dcacf6}", "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}" },
		{ "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}", "{698E50A9-4F58-4D86-B61D-F42E58DCACF6}" },
		{ "{00000000-0000-0000-0000-000000000000}", "{00000000-0000-0000-0000-000000000000}" },
		{ "698e50a9-4f58-4d86-b61d-f42e58dcacf6", NULL },
		{ "{698e50a9-4f58-4d86-b61d-f42e58dcacf6", NULL },
		{ "{698e50a9-4f58-4d86-b61d-f42e58dcacf6}x", NULL },
		{ "{698e50a94f584d86b61df42e58dcacf6}", NULL },
		{ "{698e50a9-4f58-4d86-b61d-f42e58dcacfg}", NULL },
		{ "{698e50a-94f58-4d86-b61d-f42e58dcacf6}", NULL },
		{ "(698e50a9-4f58-4d86-b61d-f42e58dcacf6)", NULL },
		{ "eth0", NULL },
		{ "", NULL },
	};
	char buf[GN_GUID_TEXT_MAX];

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		assert_int_equal(gn_is_guid(cases[i].text), cases[i].normal != NULL);
		if (!cases[i].normal) {
			assert_int_equal(gn_guid_normalize(cases[i].text, buf), -EINVAL);
			continue;
		}
		assert_int_equal(gn_guid_normalize(cases[i].text, buf), 0);
		assert_string_equal(buf, cases[i].normal);
	}
	assert_false(gn_is_guid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_ip_helpers),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_guid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
