/*
 * test-reip.c: the site's re-IP rules (mapping/reip.c), table-driven: wildcard patterns with and
 * without source-mask, IPv4 and IPv6, CIDR rules with equal and different prefixes; what they
 * match and what they give; every refused form with its reason; the text form reading back.
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
#include "reip.h"

static struct gn_ip ip_of(const char *s)
{
	struct gn_ip ip;

	if (gn_ip_parse(s, &ip) < 0)
		fail_msg("'%s' is not an address", s);
	return ip;
}

static bool same_rule(const struct gn_reip *a, const struct gn_reip *b)
{
	return a->kind == b->kind && gn_ip_equal(&a->source, &b->source) &&
	       gn_ip_equal(&a->target, &b->target) && a->source_prefix == b->source_prefix &&
	       a->target_prefix == b->target_prefix;
}

/* A pattern rule, or with cidr a CIDR rule (mask unused). */
static int parse(bool cidr, const char *source, const char *mask, const char *target,
		 struct gn_reip *r, char *why, size_t why_size)
{
	if (cidr)
		return gn_reip_parse_cidr(source, target, r, why, why_size);
	return gn_reip_parse_pattern(source, mask, target, r, why, why_size);
}

/* The rule's text splits at " -> " into two sides that parse back to the same rule. */
static void check_format(const struct gn_reip *r, const char *want)
{
	char buf[GN_REIP_TEXT_MAX], why[128] = "";
	struct gn_reip again;
	char *arrow;

	gn_reip_format(r, buf);
	if (want)
		assert_string_equal(buf, want);
	arrow = strstr(buf, " -> ");
	assert_non_null(arrow);
	*arrow = '\0';
	if (parse(r->kind == GN_REIP_CIDR, buf, NULL, arrow + 4, &again, why, sizeof(why)) < 0)
		fail_msg("'%s' -> '%s' does not read back: %s", buf, arrow + 4, why);
	assert_true(same_rule(r, &again));
}

/* A rule, an address it maps, and the result; NULL result: the rule does not match. */
struct apply_case {
	const char *source, *mask, *target, *in, *out;
};

static void check_apply(const struct gn_reip *r, const struct apply_case *c)
{
	char buf[GN_IP_TEXT_MAX];
	struct gn_ip in = ip_of(c->in), out = { .family = 99 };

	if (!c->out) {
		assert_false(gn_reip_match(r, &in));
		assert_int_equal(gn_reip_apply(r, &in, &out), -EDOM);
		assert_int_equal(out.family, 99);  /* untouched */
		return;
	}
	if (!gn_reip_match(r, &in))
		fail_msg("'%s' -> '%s' does not match %s", c->source, c->target, c->in);
	assert_int_equal(gn_reip_apply(r, &in, &out), 0);
	assert_string_equal(gn_ip_format(&out, buf), c->out);
}

/* Each rule parses, maps its address as the case says, and its text reads back. */
static void check_good(bool cidr, const struct apply_case *cases, size_t n)
{
	char why[128];
	struct gn_reip r;

	for (size_t i = 0; i < n; i++) {
		const struct apply_case *c = &cases[i];
		why[0] = '\0';
		if (parse(cidr, c->source, c->mask, c->target, &r, why, sizeof(why)) < 0)
			fail_msg("'%s' -> '%s': %s", c->source, c->target, why);
		assert_int_equal(r.kind, cidr ? GN_REIP_CIDR : GN_REIP_PATTERN);
		if (!cidr)
			assert_int_equal(r.source_prefix, r.target_prefix);
		check_apply(&r, c);
		check_format(&r, NULL);
	}
}

/* A refused rule, and the reason it must give (a part of it). */
struct bad_case {
	const char *source, *mask, *target, *why;
};

static const char *str(const char *s)
{
	return s ? s : "(null)";
}

/* Each rule is refused with -EINVAL and its reason, and the result is left alone. */
static void check_bad(bool cidr, const struct bad_case *cases, size_t n)
{
	struct gn_reip r, untouched;

	memset(&untouched, 0x5a, sizeof(untouched));
	for (size_t i = 0; i < n; i++) {
		const struct bad_case *c = &cases[i];
		char why[160] = "";
		r = untouched;
		if (parse(cidr, c->source, c->mask, c->target, &r, why, sizeof(why)) != -EINVAL)
			fail_msg("'%s' / '%s' -> '%s' parsed", str(c->source), str(c->mask), str(c->target));
		if (!strstr(why, c->why))
			fail_msg("case %zu: '%s', want '%s'", i, why, c->why);
		assert_memory_equal(&r, &untouched, sizeof(r));
	}
}

static void test_pattern(void **state)
{
	static const struct apply_case cases[] = {
		{ "172.16.*.*", "255.255.0.0", "172.17.*.*", "172.16.5.9", "172.17.5.9" },
		{ "172.16.*.*", NULL, "172.17.*.*", "172.16.255.255", "172.17.255.255" },
		{ "172.16.*.*", NULL, "172.17.*.*", "172.16.0.0", "172.17.0.0" },
		{ "172.16.*.*", NULL, "172.17.*.*", "172.17.5.9", NULL },
		{ "172.16.*.*", NULL, "172.17.*.*", "172.15.255.255", NULL },
		{ "172.16.*.*", NULL, "172.17.*.*", "::ffff:172.16.5.9", NULL },  /* IPv6 */
		{ "172.16.*.*", NULL, "172.17.*.*", "2001:db8::1", NULL },
		{ "10.1.2.*", "255.255.255.0", "192.168.7.*", "10.1.2.77", "192.168.7.77" },
		{ "10.1.2.*", NULL, "192.168.7.*", "10.1.3.77", NULL },
		{ "10.*.*.*", "255.0.0.0", "11.*.*.*", "10.200.3.4", "11.200.3.4" },
		{ "*.*.*.*", "0.0.0.0", "*.*.*.*", "1.2.3.4", "1.2.3.4" },
		{ "10.1.2.3", "255.255.255.255", "10.9.9.9", "10.1.2.3", "10.9.9.9" },  /* one address */
		{ "10.1.2.3", NULL, "10.9.9.9", "10.1.2.4", NULL },
		{ "2001:db8:1:*:*:*:*:*", NULL, "2001:db8:2:*:*:*:*:*", "2001:db8:1:5::9",
		  "2001:db8:2:5::9" },
		{ "2001:db8:1:*:*:*:*:*", "ffff:ffff:ffff::", "2001:db8:2:*:*:*:*:*", "2001:db8:2::9",
		  NULL },
		{ "2001:db8::*", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:0", "fd00::*", "2001:db8::abcd",
		  "fd00::abcd" },
		{ "2001:db8::*", NULL, "fd00::*", "2001:db8::1:abcd", NULL },
		{ "2001:db8:1::*:*", NULL, "2001:db8:2::*:*", "2001:db8:1::1:2", "2001:db8:2::1:2" },
		{ "2001:DB8:1::*:*", NULL, "2001:db8:2::*:*", "10.0.0.1", NULL },
		{ "::*", NULL, "fe80::*", "::7", "fe80::7" },
	};

	(void)state;
	check_good(false, cases, GN_ELEMENTSOF(cases));
}

static void test_pattern_invalid(void **state)
{
	static const struct bad_case cases[] = {
		{ "172.16.*.5", NULL, "172.17.*.5", "source '172.16.*.5': a fixed octet after '*'" },
		{ "172.16.*.*", NULL, "172.*.0.*", "target '172.*.0.*': a fixed octet after '*'" },
		{ "172.16.*.*", NULL, "172.17.5.*", "have their '*' at different places" },
		{ "172.16.5.*", NULL, "172.17.*.*", "have their '*' at different places" },
		{ "172.16.5.*", NULL, "172.17.5.9", "have their '*' at different places" },
		{ "172.16.*.*", "255.255.255.0", "172.17.*.*",
		  "source-mask '255.255.255.0' disagrees with source '172.16.*.*' (a /16)" },
		{ "172.16.*.*", "255.0.0.0", "172.17.*.*", "disagrees" },
		{ "172.16.5.4", "255.255.0.0", "172.17.5.4", "disagrees" },
		{ "172.16.*.*", "255.0.255.0", "172.17.*.*", "source-mask '255.0.255.0': not an IPv4 mask" },
		{ "172.16.*.*", "ffff::", "172.17.*.*", "not an IPv4 mask" },
		{ "172.16.*.*", "", "172.17.*.*", "not an IPv4 mask" },
		{ "172.16.*.*", "16", "172.17.*.*", "not an IPv4 mask" },
		{ "2001:db8::*", "255.255.255.0", "fd00::*", "not an IPv6 mask" },
		{ "2001:db8::*", "ffff::%1", "fd00::*", "not an IPv6 mask" },
		{ "172.16.1*.*", NULL, "172.17.*.*", "source '172.16.1*.*': '*' must stand for a whole octet" },
		{ "172.16.**.*", NULL, "172.17.*.*", "must stand for a whole octet" },
		{ "2001:db8:1:*:*:*:*:2*", NULL, "fd00::*", "must stand for a whole group" },
		{ "172.16.*", NULL, "172.17.*", "source '172.16.*': not an address pattern" },
		{ "172.16.*.*.*", NULL, "172.17.*.*.*", "not an address pattern" },
		{ "*", NULL, "*", "not an address pattern" },
		{ "", NULL, "172.17.*.*", "not an address pattern" },
		{ NULL, NULL, "172.17.*.*", "source is missing" },
		{ "172.16.*.*", NULL, NULL, "target is missing" },
		{ "256.16.*.*", NULL, "172.17.*.*", "not an address pattern" },
		{ "01.16.*.*", NULL, "172.17.*.*", "not an address pattern" },
		{ " 172.16.*.*", NULL, "172.17.*.*", "not an address pattern" },
		{ "172.16.*.*", NULL, "172.17.*.x", "target '172.17.*.x': a fixed octet after '*'" },
		{ "172.16.*.*", NULL, "2001:db8::*:*", "are of different families" },
		{ "2001:db8:*::", NULL, "fd00:*::", "source '2001:db8:*::': a fixed group after '*'" },
		{ "*::", NULL, "*::", "a fixed group after '*'" },
		{ "::ffff:10.1.*.*", NULL, "::ffff:10.2.*.*", "not an address pattern" },
		{ "fe80::*%eth0", NULL, "fe80::*", "not an address pattern" },
		{ "2001:db8:1:*:*:*:*:*:*", NULL, "fd00::*", "not an address pattern" },
		{ "2001:0db8:0001:0002:0003:0004:0005:0006:0007:0008:0009:000a:000b:000c:*", NULL, "fd00::*",
		  "not an address pattern" },  /* longer than any address */
	};
	struct gn_reip r;

	(void)state;
	check_bad(false, cases, GN_ELEMENTSOF(cases));
	/* no room for a reason is fine */
	assert_int_equal(gn_reip_parse_pattern("1.*.*.5", NULL, "2.*.*.5", &r, NULL, 0), -EINVAL);
}

static void test_cidr(void **state)
{
	static const struct apply_case cases[] = {
		{ "192.168.10.0/24", NULL, "10.77.10.0/24", "192.168.10.5", "10.77.10.5" },
		{ "192.168.10.0/24", NULL, "10.77.10.0/24", "192.168.10.0", "10.77.10.0" },
		{ "192.168.10.0/24", NULL, "10.77.10.0/24", "192.168.11.5", NULL },
		{ "192.168.10.0/24", NULL, "10.77.10.0/24", "::ffff:192.168.10.5", NULL },
		/* a larger target host part: the source's host bits, the rest zero */
		{ "192.168.10.0/24", NULL, "10.77.0.0/16", "192.168.10.5", "10.77.0.5" },
		{ "192.168.10.0/23", NULL, "10.77.0.0/16", "192.168.11.200", "10.77.1.200" },
		{ "192.168.10.128/25", NULL, "10.0.0.0/24", "192.168.10.130", "10.0.0.2" },
		{ "192.168.10.128/25", NULL, "10.0.0.0/24", "192.168.10.127", NULL },
		{ "10.1.2.3/32", NULL, "10.9.9.9/32", "10.1.2.3", "10.9.9.9" },
		{ "10.1.2.3/32", NULL, "10.9.9.0/24", "10.1.2.3", "10.9.9.0" },
		{ "0.0.0.0/0", NULL, "0.0.0.0/0", "8.8.8.8", "8.8.8.8" },
		{ "0.0.0.0/0", NULL, "0.0.0.0/0", "::1", NULL },
		{ "2001:db8:1::/48", NULL, "2001:db8:ff::/48", "2001:db8:1:2::3", "2001:db8:ff:2::3" },
		{ "2001:db8:1:2::/64", NULL, "fd00::/48", "2001:db8:1:2:aaaa::1", "fd00::aaaa:0:0:1" },
		{ "2001:db8:1:2::/64", NULL, "fd00::/48", "2001:db8:1:3::1", NULL },
		{ "::/0", NULL, "::/0", "10.0.0.1", NULL },
		{ "2001:db8::/127", NULL, "fd00::6/127", "2001:db8::1", "fd00::7" },
	};

	(void)state;
	check_good(true, cases, GN_ELEMENTSOF(cases));
}

static void test_cidr_invalid(void **state)
{
	/* mask unused: { source-cidr, NULL, target-cidr, reason } */
	static const struct bad_case cases[] = {
		{ "192.168.10.0/24", NULL, "10.77.10.0/25",
		  "target-cidr '10.77.10.0/25' has a smaller host part than source-cidr '192.168.10.0/24'" },
		{ "10.0.0.0/8", NULL, "10.0.0.0/32", "smaller host part" },
		{ "192.168.10.5/24", NULL, "10.77.10.0/24",
		  "source-cidr '192.168.10.5/24': host bits set (the network is 192.168.10.0/24)" },
		{ "192.168.10.0/24", NULL, "10.77.10.1/24", "target-cidr '10.77.10.1/24': host bits set" },
		{ "2001:db8::1/64", NULL, "fd00::/64", "host bits set (the network is 2001:db8::/64)" },
		{ "192.168.10.0/24", NULL, "2001:db8::/120",
		  "source-cidr '192.168.10.0/24' and target-cidr '2001:db8::/120' are of different families" },
		{ "192.168.10.0/33", NULL, "10.0.0.0/24",
		  "source-cidr '192.168.10.0/33': not an address/prefix" },
		{ "2001:db8::/129", NULL, "fd00::/64", "not an address/prefix" },
		{ "192.168.10.0", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "192.168.10.0/", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "/24", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "192.168.10.0/024", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "192.168.10.0/00", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "192.168.10.0/+24", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "192.168.10.0/-1", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "192.168.10.0/24/1", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "192.168.10.0 /24", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "192.168.10.0/24 ", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "192.168.10.0/4294967320", NULL, "10.0.0.0/24", "not an address/prefix" },  /* 2^32 + 24 */
		{ "192.168.*.0/24", NULL, "10.0.0.0/24", "not an address/prefix" },
		{ "fe80::%eth0/64", NULL, "fd00::/64", "not an address/prefix" },
		{ "2001:db8::/0x40", NULL, "fd00::/64", "not an address/prefix" },
		{ "", NULL, "10.0.0.0/24", "source-cidr '': not an address/prefix" },
		{ NULL, NULL, "10.0.0.0/24", "source-cidr '': not an address/prefix" },
		{ "10.0.0.0/24", NULL, NULL, "target-cidr '': not an address/prefix" },
	};

	(void)state;
	check_bad(true, cases, GN_ELEMENTSOF(cases));
}

/* First match wins is the engine's: here, that overlapping rules both match. */
static void test_overlap(void **state)
{
	struct gn_reip wide, narrow, cidr;
	struct gn_ip a = ip_of("10.1.2.3"), b = ip_of("10.1.9.3");

	(void)state;
	assert_int_equal(gn_reip_parse_pattern("10.1.*.*", NULL, "10.2.*.*", &wide, NULL, 0), 0);
	assert_int_equal(gn_reip_parse_pattern("10.1.2.*", NULL, "10.3.2.*", &narrow, NULL, 0), 0);
	assert_int_equal(gn_reip_parse_cidr("10.1.2.0/24", "10.4.2.0/24", &cidr, NULL, 0), 0);
	assert_true(gn_reip_match(&wide, &a));
	assert_true(gn_reip_match(&narrow, &a));
	assert_true(gn_reip_match(&cidr, &a));
	assert_true(gn_reip_match(&wide, &b));
	assert_false(gn_reip_match(&narrow, &b));
	assert_false(gn_reip_match(&cidr, &b));
}

static void test_format(void **state)
{
	static const struct {
		const char *source, *target, *text;
		bool cidr;
	} cases[] = {
		{ "172.16.*.*", "172.17.*.*", "172.16.*.* -> 172.17.*.*", false },
		{ "10.1.2.3", "10.9.9.9", "10.1.2.3 -> 10.9.9.9", false },
		{ "*.*.*.*", "*.*.*.*", "*.*.*.* -> *.*.*.*", false },
		{ "2001:db8::*", "FD00::*", "2001:db8:0:0:0:0:0:* -> fd00:0:0:0:0:0:0:*", false },
		{ "2001:db8:1:*:*:*:*:*", "2001:db8:2:*:*:*:*:*",
		  "2001:db8:1:*:*:*:*:* -> 2001:db8:2:*:*:*:*:*", false },
		{ "192.168.10.0/24", "10.77.0.0/16", "192.168.10.0/24 -> 10.77.0.0/16", true },
		{ "2001:db8:0:0:0:0:0:0/64", "fd00::/48", "2001:db8::/64 -> fd00::/48", true },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127",
		  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 -> ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127",
		  true },
	};
	struct gn_reip r;

	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		if (cases[i].cidr)
			assert_int_equal(gn_reip_parse_cidr(cases[i].source, cases[i].target, &r, NULL, 0), 0);
		else
			assert_int_equal(gn_reip_parse_pattern(cases[i].source, NULL, cases[i].target, &r,
							       NULL, 0), 0);
		check_format(&r, cases[i].text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_pattern_invalid),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_cidr_invalid),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
