/*
 * test-pool.c: one subnet's address allocator (mapping/pool.c).  Table-driven cases for every
 * reason an address is not usable and for runs of next-available from either end (Azure's test
 * failover, full subnets, /31 and /32, IPv6 /64, /120, /127, /128); then a property test that
 * plays random pools against a brute-force model of the same rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cleanup.h"
#include "pool.h"

static struct gn_ip ip_of(const char *s)
{
	struct gn_ip ip;

	if (gn_ip_parse(s, &ip) < 0)
		fail_msg("'%s' is not an address", s);
	return ip;
}

static const char *text(const struct gn_ip *ip)
{
	static char buf[GN_IP_TEXT_MAX];
	return gn_ip_format(ip, buf);
}

/* A pool from "NET/LEN", an optional gateway and the policy's reserved-per-subnet. */
static struct gn_pool *pool_of(const char *cidr, const char *gateway, unsigned first)
{
	char net[GN_IP_TEXT_MAX];
	const char *slash = strchr(cidr, '/');
	struct gn_ip n, gw;
	struct gn_pool *p = NULL;

	assert_non_null(slash);
	memcpy(net, cidr, (size_t)(slash - cidr));
	net[slash - cidr] = '\0';
	n = ip_of(net);
	if (gateway)
		gw = ip_of(gateway);
	assert_int_equal(gn_pool_new(&n, (unsigned)atoi(slash + 1), gateway ? &gw : NULL, first, &p),
			 0);
	return p;
}

static int reserve(struct gn_pool *p, const char *from, const char *to)
{
	struct gn_ip a = ip_of(from), b = ip_of(to);
	return gn_pool_reserve(p, &a, &b);
}

static int mark(struct gn_pool *p, const char *s)
{
	struct gn_ip a = ip_of(s);
	return gn_pool_mark_in_use(p, &a);
}

static void test_new_invalid(void **state)
{
	struct gn_ip none = { 0 }, net = ip_of("10.0.0.0"), host = ip_of("10.0.0.1");
	struct gn_ip net6 = ip_of("2001:db8::"), gw6 = ip_of("2001:db8::1");
	struct gn_pool *p = (struct gn_pool *)&p;

	(void)state;
	assert_int_equal(gn_pool_new(&none, 0, NULL, 0, &p), -EINVAL);
	assert_int_equal(gn_pool_new(&net, 33, NULL, 0, &p), -EINVAL);
	assert_int_equal(gn_pool_new(&net6, 129, NULL, 0, &p), -EINVAL);
	assert_int_equal(gn_pool_new(&host, 24, NULL, 0, &p), -EINVAL);      /* host bits set */
	assert_int_equal(gn_pool_new(&gw6, 64, NULL, 0, &p), -EINVAL);
	assert_int_equal(gn_pool_new(&net, 24, &gw6, 0, &p), -EINVAL);      /* gateway family */
	assert_ptr_equal(p, (struct gn_pool *)&p);                          /* untouched */
	gn_pool_free(NULL);

	/* family 0 is no gateway; a gateway outside the subnet is ignored here */
	assert_int_equal(gn_pool_new(&net, 24, &none, 0, &p), 0);
	gn_pool_free(p);
	_cleanup_(gn_pool_freep) struct gn_pool *q = pool_of("10.0.0.0/24", "10.0.1.1", 0);
	struct gn_ip got;
	assert_int_equal(gn_pool_next(q, false, &got), 0);
	assert_string_equal(text(&got), "10.0.0.1");
}

/* Every reason, in the order they are tested, and what gn_pool_take does with each. */
static void test_why(void **state)
{
	static const struct {
		const char *ip;
		enum gn_pool_why why;
	} cases[] = {
		{ "10.3.58.0", GN_POOL_NETWORK },
		{ "10.3.58.255", GN_POOL_BROADCAST },
		{ "10.3.58.1", GN_POOL_GATEWAY },
		{ "10.3.58.2", GN_POOL_RESERVED },     /* the policy's first two: .1 and .2 */
		{ "10.3.58.3", GN_POOL_USABLE },
		{ "10.3.58.9", GN_POOL_USABLE },
		{ "10.3.58.10", GN_POOL_RESERVED },    /* the edges of a row */
		{ "10.3.58.15", GN_POOL_RESERVED },
		{ "10.3.58.19", GN_POOL_RESERVED },
		{ "10.3.58.20", GN_POOL_USABLE },
		{ "10.3.58.249", GN_POOL_USABLE },
		{ "10.3.58.250", GN_POOL_RESERVED },   /* a row that runs past the subnet */
		{ "10.3.58.254", GN_POOL_RESERVED },
		{ "10.3.58.77", GN_POOL_IN_USE },
		{ "10.3.58.78", GN_POOL_RESERVED },    /* in use and reserved: reserved first */
		{ "10.3.58.5", GN_POOL_ASSIGNED },
		{ "10.3.59.0", GN_POOL_OUTSIDE },
		{ "10.3.57.255", GN_POOL_OUTSIDE },
		{ "0.0.0.0", GN_POOL_OUTSIDE },
		{ "::1", GN_POOL_OUTSIDE },
		{ "::ffff:10.3.58.6", GN_POOL_OUTSIDE },  /* mapped is still IPv6 */
	};
	_cleanup_(gn_pool_freep) struct gn_pool *p = pool_of("10.3.58.0/24", "10.3.58.1", 2);
	struct gn_ip a;

	(void)state;
	assert_int_equal(reserve(p, "10.3.58.10", "10.3.58.19"), 0);
	assert_int_equal(reserve(p, "10.3.58.250", "10.3.59.5"), 1);   /* clipped */
	assert_int_equal(mark(p, "10.3.58.77"), 0);
	assert_int_equal(mark(p, "10.3.58.78"), 0);
	assert_int_equal(reserve(p, "10.3.58.78", "10.3.58.78"), 0);
	a = ip_of("10.3.58.5");
	assert_int_equal(gn_pool_take(p, &a), 0);

	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		a = ip_of(cases[i].ip);
		if (gn_pool_why(p, &a) != cases[i].why)
			fail_msg("%s: %s, want %s", cases[i].ip, gn_pool_why_text(gn_pool_why(p, &a)),
				 gn_pool_why_text(cases[i].why));
		assert_int_equal(gn_pool_usable(p, &a), cases[i].why == GN_POOL_USABLE);
		assert_int_equal(gn_pool_contains(p, &a), cases[i].why != GN_POOL_OUTSIDE);
	}
	for (size_t i = 0; i < GN_ELEMENTSOF(cases); i++) {
		a = ip_of(cases[i].ip);
		assert_int_equal(gn_pool_take(p, &a),
				 cases[i].why == GN_POOL_USABLE ? 0 : -EADDRNOTAVAIL);
		/* a failed take changes nothing; a good one makes it assigned */
		assert_int_equal(gn_pool_why(p, &a),
				 cases[i].why == GN_POOL_USABLE ? GN_POOL_ASSIGNED : cases[i].why);
		assert_int_equal(gn_pool_take(p, &a), -EADDRNOTAVAIL);
	}
}

static void test_why_ipv6(void **state)
{
	_cleanup_(gn_pool_freep) struct gn_pool *p =
		pool_of("2001:db8:0:1::/64", "2001:db8:0:1::1", 0);
	struct gn_ip a = ip_of("2001:db8:0:1::");

	(void)state;
	assert_int_equal(gn_pool_why(p, &a), GN_POOL_ANYCAST);
	a = ip_of("2001:db8:0:1:ffff:ffff:ffff:ffff");  /* no broadcast in IPv6 */
	assert_int_equal(gn_pool_why(p, &a), GN_POOL_USABLE);
	a = ip_of("2001:db8:0:1::1");
	assert_int_equal(gn_pool_why(p, &a), GN_POOL_GATEWAY);
	a = ip_of("2001:db8:0:2::");
	assert_int_equal(gn_pool_why(p, &a), GN_POOL_OUTSIDE);
	a = ip_of("10.0.0.1");
	assert_int_equal(gn_pool_why(p, &a), GN_POOL_OUTSIDE);
}

static void test_why_text(void **state)
{
	(void)state;
	for (int i = GN_POOL_USABLE; i <= GN_POOL_ASSIGNED; i++) {
		assert_non_null(gn_pool_why_text((enum gn_pool_why)i));
		for (int j = GN_POOL_USABLE; j < i; j++)
			assert_string_not_equal(gn_pool_why_text((enum gn_pool_why)i),
						gn_pool_why_text((enum gn_pool_why)j));
	}
	assert_string_equal(gn_pool_why_text(GN_POOL_GATEWAY), "the gateway");
	assert_string_equal(gn_pool_why_text(GN_POOL_ANYCAST), "the subnet-router anycast address");
}

static void test_reserve_and_mark(void **state)
{
	_cleanup_(gn_pool_freep) struct gn_pool *p = pool_of("10.0.0.0/24", NULL, 0);
	struct gn_ip a;

	(void)state;
	assert_int_equal(reserve(p, "10.0.0.9", "10.0.0.8"), -EINVAL);      /* from > to */
	assert_int_equal(reserve(p, "10.0.0.8", "::1"), -EINVAL);           /* families */
	assert_int_equal(reserve(p, "::1", "::2"), -EINVAL);
	assert_int_equal(reserve(p, "10.0.1.0", "10.0.1.9"), -EDOM);        /* all outside */
	assert_int_equal(reserve(p, "9.255.255.0", "9.255.255.255"), -EDOM);
	assert_int_equal(reserve(p, "9.0.0.0", "11.0.0.0"), 1);             /* covers it all */
	a = ip_of("10.0.0.128");
	assert_int_equal(gn_pool_why(p, &a), GN_POOL_RESERVED);
	assert_int_equal(gn_pool_next(p, false, &a), -ENOSPC);

	_cleanup_(gn_pool_freep) struct gn_pool *q = pool_of("10.0.0.0/24", NULL, 0);
	assert_int_equal(mark(q, "10.0.1.1"), -EDOM);
	assert_int_equal(mark(q, "::1"), -EINVAL);
	assert_int_equal(mark(q, "10.0.0.1"), 0);
	assert_int_equal(mark(q, "10.0.0.1"), 0);                            /* again: fine */
	a = ip_of("10.0.0.2");
	assert_int_equal(gn_pool_take(q, &a), 0);
	assert_int_equal(mark(q, "10.0.0.2"), 0);                            /* stays assigned */
	assert_int_equal(gn_pool_why(q, &a), GN_POOL_ASSIGNED);
	assert_int_equal(mark(q, "10.0.0.0"), 0);                            /* network: harmless */
	assert_int_equal(gn_pool_next(q, false, &a), 0);
	assert_string_equal(text(&a), "10.0.0.3");

	/* rows out of order, overlapping and adjacent, added after allocation began */
	assert_int_equal(reserve(q, "10.0.0.20", "10.0.0.30"), 0);
	assert_int_equal(reserve(q, "10.0.0.5", "10.0.0.9"), 0);
	assert_int_equal(reserve(q, "10.0.0.10", "10.0.0.12"), 0);
	assert_int_equal(reserve(q, "10.0.0.4", "10.0.0.25"), 0);
	assert_int_equal(reserve(q, "10.0.0.31", "10.0.0.31"), 0);
	assert_int_equal(gn_pool_next(q, false, &a), 0);
	assert_string_equal(text(&a), "10.0.0.32");
	a = ip_of("10.0.0.3");
	assert_int_equal(gn_pool_why(q, &a), GN_POOL_ASSIGNED);
}

static struct gn_ip v4(uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	struct gn_ip ip;

	gn_ip_from_bytes(&ip, GN_AF_INET, b);
	return ip;
}

static uint32_t v4_value(const struct gn_ip *ip)
{
	return (uint32_t)ip->b[0] << 24 | (uint32_t)ip->b[1] << 16 | (uint32_t)ip->b[2] << 8 |
	       ip->b[3];
}

static void test_reserve_cap(void **state)
{
	enum { N = GN_MAX_POOL_RESERVED };
	_cleanup_(gn_pool_freep) struct gn_pool *p = pool_of("10.0.0.0/8", NULL, 0);
	struct gn_ip a;

	(void)state;
	/* every even address from 10.0.0.2, backwards: the worst order for a sorted insert */
	for (uint32_t i = 0; i < N; i++) {
		a = v4(0x0a000000u + (N - i) * 2);
		assert_int_equal(gn_pool_reserve(p, &a, &a), 0);
	}
	assert_int_equal(gn_pool_reserve(p, &a, &a), -E2BIG);
	/* the odd addresses between the rows, then the first one after them */
	for (uint32_t v = 1; v <= 2 * N + 1; v += 2) {
		assert_int_equal(gn_pool_next(p, false, &a), 0);
		assert_int_equal(v4_value(&a), 0x0a000000u + v);
	}
	assert_int_equal(gn_pool_next(p, false, &a), 0);
	assert_int_equal(v4_value(&a), 0x0a000000u + 2 * N + 2);
}

/* Runs of gn_pool_next: 's' from the start, 'e' from the end; NULL wants -ENOSPC. */
struct scenario {
	const char *name, *cidr, *gateway;
	unsigned first;
	const char *reserved[3][2];
	const char *in_use[4];
	const char *ops;
	const char *want[8];
};

static const struct scenario scenarios[] = {
	{ "azure test failover: 10.0.0.19 taken, from the end", "10.0.0.0/24", "10.0.0.1", 0,
	  { { 0 } }, { "10.0.0.19" }, "ee", { "10.0.0.254", "10.0.0.253" } },
	{ "from the start: the gateway and a row at the edge", "10.0.0.0/24", "10.0.0.1", 0,
	  { { "10.0.0.2", "10.0.0.9" } }, { 0 }, "s", { "10.0.0.10" } },
	{ "rows over the network and broadcast addresses", "10.0.0.0/24", NULL, 0,
	  { { "10.0.0.0", "10.0.0.4" }, { "10.0.0.250", "10.0.0.255" } }, { 0 }, "se",
	  { "10.0.0.5", "10.0.0.249" } },
	{ "reserved-per-subnet 3 (Azure's first three)", "10.0.0.0/24", "10.0.0.1", 3,
	  { { 0 } }, { 0 }, "se", { "10.0.0.4", "10.0.0.254" } },
	{ "in use at both cursors", "10.0.0.0/28", NULL, 0,
	  { { 0 } }, { "10.0.0.1", "10.0.0.2", "10.0.0.14" }, "se", { "10.0.0.3", "10.0.0.13" } },
	{ "/29 fills up from both ends", "192.168.1.0/29", "192.168.1.1", 0,
	  { { 0 } }, { 0 }, "sesesss", { "192.168.1.2", "192.168.1.6", "192.168.1.3", "192.168.1.5",
	  "192.168.1.4", NULL, NULL } },
	{ "/30", "10.0.0.0/30", NULL, 0, { { 0 } }, { 0 }, "ses", { "10.0.0.1", "10.0.0.2", NULL } },
	{ "/31: both addresses (RFC 3021)", "10.0.0.0/31", NULL, 0, { { 0 } }, { 0 }, "sss",
	  { "10.0.0.0", "10.0.0.1", NULL } },
	{ "/31 with its gateway", "10.0.0.0/31", "10.0.0.0", 0, { { 0 } }, { 0 }, "ee",
	  { "10.0.0.1", NULL } },
	{ "/31 with reserved-per-subnet 1", "10.0.0.0/31", NULL, 1, { { 0 } }, { 0 }, "ss",
	  { "10.0.0.1", NULL } },
	{ "/32: its one address", "10.0.0.7/32", NULL, 0, { { 0 } }, { 0 }, "es",
	  { "10.0.0.7", NULL } },
	{ "/32 that is its gateway", "10.0.0.7/32", "10.0.0.7", 0, { { 0 } }, { 0 }, "s", { NULL } },
	{ "reserved-per-subnet beyond the subnet", "10.0.0.0/29", NULL, 100, { { 0 } }, { 0 }, "se",
	  { NULL, NULL } },
	{ "/0", "0.0.0.0/0", NULL, 0, { { 0 } }, { 0 }, "se", { "0.0.0.1", "255.255.255.254" } },
	{ "IPv6 /64: not the anycast address", "2001:db8:0:1::/64", "2001:db8:0:1::1", 0,
	  { { 0 } }, { 0 }, "se", { "2001:db8:0:1::2", "2001:db8:0:1:ffff:ffff:ffff:ffff" } },
	{ "IPv6 /64: a row of 2^64 - 16 addresses", "2001:db8::/64", NULL, 0,
	  { { "2001:db8::1", "2001:db8::ffff:ffff:ffff:fff0" } }, { 0 }, "s",
	  { "2001:db8::ffff:ffff:ffff:fff1" } },
	{ "IPv6 /64: the top half reserved", "2001:db8::/64", NULL, 0,
	  { { "2001:db8::8000:0:0:0", "2001:db8::ffff:ffff:ffff:ffff" } }, { 0 }, "e",
	  { "2001:db8::7fff:ffff:ffff:ffff" } },
	{ "IPv6 /64 all reserved", "2001:db8::/64", NULL, 0,
	  { { "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff" } }, { 0 }, "se", { NULL, NULL } },
	{ "IPv6 /126: no broadcast", "2001:db8::/126", NULL, 0, { { 0 } }, { 0 }, "ssss",
	  { "2001:db8::1", "2001:db8::2", "2001:db8::3", NULL } },
	{ "IPv6 /127: both (RFC 6164)", "2001:db8::/127", NULL, 0, { { 0 } }, { 0 }, "ses",
	  { "2001:db8::", "2001:db8::1", NULL } },
	{ "IPv6 /128", "2001:db8::5/128", NULL, 0, { { 0 } }, { 0 }, "ee", { "2001:db8::5", NULL } },
	{ "IPv6 /0", "::/0", NULL, 0, { { 0 } }, { 0 }, "se",
	  { "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" } },
	{ "IPv6 /0, the top reserved", "::/0", NULL, 0,
	  { { "8000::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" } }, { 0 }, "e",
	  { "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" } },
};

static void run_scenario(const struct scenario *s)
{
	_cleanup_(gn_pool_freep) struct gn_pool *p = pool_of(s->cidr, s->gateway, s->first);
	struct gn_ip got;

	for (size_t i = 0; i < GN_ELEMENTSOF(s->reserved) && s->reserved[i][0]; i++)
		assert_in_range(reserve(p, s->reserved[i][0], s->reserved[i][1]), 0, 1);
	for (size_t i = 0; i < GN_ELEMENTSOF(s->in_use) && s->in_use[i]; i++)
		assert_int_equal(mark(p, s->in_use[i]), 0);
	for (size_t i = 0; s->ops[i]; i++) {
		int r = gn_pool_next(p, s->ops[i] == 'e', &got);
		if (!s->want[i] && r != -ENOSPC)
			fail_msg("%s: step %zu: %d %s, want -ENOSPC", s->name, i, r,
				 r ? "" : text(&got));
		if (s->want[i] && (r != 0 || strcmp(text(&got), s->want[i]) != 0))
			fail_msg("%s: step %zu: %d %s, want %s", s->name, i, r, r ? "" : text(&got),
				 s->want[i]);
		if (r == 0)
			assert_int_equal(gn_pool_why(p, &got), GN_POOL_ASSIGNED);
	}
}

static void test_scenarios(void **state)
{
	(void)state;
	for (size_t i = 0; i < GN_ELEMENTSOF(scenarios); i++)
		run_scenario(&scenarios[i]);
}

/* An IPv6 /120 to the last address: ascending, distinct, then -ENOSPC, and take refuses. */
static void test_fill_ipv6_120(void **state)
{
	_cleanup_(gn_pool_freep) struct gn_pool *p =
		pool_of("2001:db8::100/120", "2001:db8::101", 0);
	struct gn_ip got, a;

	(void)state;
	for (unsigned v = 2; v <= 255; v++) {
		assert_int_equal(gn_pool_next(p, false, &got), 0);
		assert_int_equal(got.b[14], 1);
		assert_int_equal(got.b[15], v);
	}
	assert_int_equal(gn_pool_next(p, false, &got), -ENOSPC);
	assert_int_equal(gn_pool_next(p, true, &got), -ENOSPC);
	a = ip_of("2001:db8::1ff");
	assert_int_equal(gn_pool_take(p, &a), -EADDRNOTAVAIL);
	assert_int_equal(gn_pool_why(p, &a), GN_POOL_ASSIGNED);
}

/*
 * A /8 with 5000 rows (20 addresses in each hundred) and 5000 in-use addresses (one in each
 * hundred), given backwards: 100,000 addresses handed out, each checked.
 */
static void test_large_ipv4(void **state)
{
	const uint32_t base = 0x0a000000u;
	_cleanup_(gn_pool_freep) struct gn_pool *p = pool_of("10.0.0.0/8", "10.0.0.1", 4);
	uint32_t prev = base + 4;
	struct gn_ip a, b;

	(void)state;
	for (uint32_t k = 5000; k-- > 0;) {
		a = v4(base + k * 100 + 10);
		b = v4(base + k * 100 + 29);
		assert_int_equal(gn_pool_reserve(p, &a, &b), 0);
		a = v4(base + k * 100 + 50);
		assert_int_equal(gn_pool_mark_in_use(p, &a), 0);
	}
	for (int i = 0; i < 100000; i++) {
		uint32_t v, h;
		assert_int_equal(gn_pool_next(p, false, &a), 0);
		v = v4_value(&a);
		h = (v - base) % 100;
		/* ascending: nothing twice, nothing below the policy's four */
		assert_true(v > prev);
		if (v - base < 500000 && ((h >= 10 && h <= 29) || h == 50))
			fail_msg("%s is reserved or in use", text(&a));
		prev = v;
	}
}

/*
 * The property test.  Random pools, IPv4 /16../32 and IPv6 /112../128, so that a model can hold
 * a flag per address: random gateways (inside, outside, none), reserved-per-subnet, rows
 * (some running past the subnet, some added late), in-use addresses, and random takes and
 * nexts from either end.  After each step the pool must agree with the model: the same reason
 * for any address, the lowest or highest usable address for next, -ENOSPC exactly when the
 * model has none.  Each pool is then drained and compared address by address.
 */
enum { M_RESERVED = 1, M_IN_USE = 2, M_ASSIGNED = 4 };

struct model {
	struct gn_ip base;      /* the network; IPv4 host parts sit in b[2..3], IPv6 in b[14..15] */
	unsigned prefix, host_bits;
	uint32_t size;          /* 2^host_bits */
	int64_t gateway;        /* offset, or -1 */
	uint8_t *flags;
	uint32_t lo, hi;        /* scan positions: nothing usable below or above */
	bool full;
};

static uint64_t rng_state;

/* splitmix64: a fixed seed makes every failure repeatable */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static unsigned host_byte(const struct model *m)
{
	return m->base.family == GN_AF_INET ? 2 : 14;
}

static struct gn_ip at(const struct model *m, uint32_t off)
{
	struct gn_ip ip = m->base;
	unsigned k = host_byte(m);

	ip.b[k] |= (uint8_t)(off >> 8);
	ip.b[k + 1] |= (uint8_t)off;
	return ip;
}

/* An address outside the subnet: one bit of the prefix flipped (the model's prefix is > 0). */
static struct gn_ip outside(const struct model *m)
{
	struct gn_ip ip = at(m, below(m->size));
	unsigned bit = below(m->prefix);

	ip.b[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
	return ip;
}

static uint32_t offset_of(const struct model *m, const struct gn_ip *ip)
{
	unsigned k = host_byte(m);
	return ((uint32_t)ip->b[k] << 8 | ip->b[k + 1]) & (m->size - 1);
}

static enum gn_pool_why model_why(const struct model *m, uint32_t off)
{
	bool ends = m->host_bits >= 2;

	if (ends && off == 0)
		return m->base.family == GN_AF_INET ? GN_POOL_NETWORK : GN_POOL_ANYCAST;
	if (ends && m->base.family == GN_AF_INET && off == m->size - 1)
		return GN_POOL_BROADCAST;
	if (m->gateway == off)
		return GN_POOL_GATEWAY;
	if (m->flags[off] & M_RESERVED)
		return GN_POOL_RESERVED;
	if (m->flags[off] & M_IN_USE)
		return GN_POOL_IN_USE;
	return m->flags[off] & M_ASSIGNED ? GN_POOL_ASSIGNED : GN_POOL_USABLE;
}

/* The lowest or highest usable offset by a plain scan; false when there is none. */
static bool model_next(struct model *m, bool from_end, uint32_t *ret)
{
	while (!m->full) {
		uint32_t off = from_end ? m->hi : m->lo;
		if (model_why(m, off) == GN_POOL_USABLE) {
			*ret = off;
			return true;
		}
		if (m->lo == m->hi)
			m->full = true;
		else if (from_end)
			m->hi--;
		else
			m->lo++;
	}
	return false;
}

/* ip plus or minus one within its family; false (ip unchanged) when that wraps around. */
static bool step(struct gn_ip *ip, int delta)
{
	struct gn_ip x = *ip;

	for (int i = x.family == GN_AF_INET ? 3 : 15; i >= 0; i--) {
		uint8_t old = x.b[i];
		x.b[i] = (uint8_t)(old + delta);
		if ((delta > 0 && old != 0xff) || (delta < 0 && old != 0)) {
			*ip = x;
			return true;
		}
	}
	return false;
}

/*
 * A row: mostly inside; now and then one that starts just before the subnet or ends just after
 * it (clipped: 1), or one all outside (refused: -EDOM).
 */
static void model_reserve(struct model *m, struct gn_pool *p)
{
	uint32_t a = below(m->size), b = below(m->size), t;
	struct gn_ip from, to;
	int want = 0;

	if (a > b) {
		t = a;
		a = b;
		b = t;
	}
	from = at(m, a);
	to = at(m, b);
	switch (below(16)) {
	case 0:
		from = at(m, 0);
		if (step(&from, -1)) {
			a = 0;
			want = 1;
		} else
			from = at(m, a);
		break;
	case 1:
		to = at(m, m->size - 1);
		if (step(&to, +1)) {
			b = m->size - 1;
			want = 1;
		} else
			to = at(m, b);
		break;
	case 2:
		from = to = outside(m);
		assert_int_equal(gn_pool_reserve(p, &from, &to), -EDOM);
		return;
	}
	for (uint32_t i = a; i <= b; i++)
		m->flags[i] |= M_RESERVED;
	assert_int_equal(gn_pool_reserve(p, &from, &to), want);
}

static void model_mark(struct model *m, struct gn_pool *p)
{
	struct gn_ip ip;
	uint32_t off;

	if (m->prefix > 0 && below(10) == 0) {
		ip = outside(m);
		assert_int_equal(gn_pool_mark_in_use(p, &ip), -EDOM);
		return;
	}
	off = below(m->size);
	ip = at(m, off);
	assert_int_equal(gn_pool_mark_in_use(p, &ip), 0);
	if (!(m->flags[off] & M_ASSIGNED))
		m->flags[off] |= M_IN_USE;
}

/* Inside, and usable until now: not twice, not reserved, in use, gateway, network, broadcast. */
static void check_handed_out(struct model *m, struct gn_pool *p, const struct gn_ip *ip)
{
	uint32_t off = offset_of(m, ip);
	struct gn_ip back = at(m, off);

	assert_true(gn_pool_contains(p, ip));
	assert_true(gn_ip_equal(ip, &back));
	assert_int_equal(model_why(m, off), GN_POOL_USABLE);
	m->flags[off] |= M_ASSIGNED;
}

static void model_step_next(struct model *m, struct gn_pool *p, bool from_end)
{
	struct gn_ip got;
	uint32_t want;
	bool have = model_next(m, from_end, &want);
	int r = gn_pool_next(p, from_end, &got);

	if (!have) {
		assert_int_equal(r, -ENOSPC);
		return;
	}
	assert_int_equal(r, 0);
	assert_int_equal(offset_of(m, &got), want);
	check_handed_out(m, p, &got);
}

static void model_step_take(struct model *m, struct gn_pool *p)
{
	struct gn_ip ip;
	uint32_t off;
	enum gn_pool_why why;

	if (m->prefix > 0 && below(5) == 0) {
		ip = outside(m);
		assert_int_equal(gn_pool_why(p, &ip), GN_POOL_OUTSIDE);
		assert_int_equal(gn_pool_take(p, &ip), -EADDRNOTAVAIL);
		return;
	}
	off = below(m->size);
	ip = at(m, off);
	why = model_why(m, off);
	assert_int_equal(gn_pool_why(p, &ip), why);
	assert_int_equal(gn_pool_take(p, &ip), why == GN_POOL_USABLE ? 0 : -EADDRNOTAVAIL);
	if (why == GN_POOL_USABLE)
		check_handed_out(m, p, &ip);
	assert_int_equal(gn_pool_why(p, &ip), why == GN_POOL_USABLE ? GN_POOL_ASSIGNED : why);
}

/* A random network of the family with 0..16 host bits. */
static void model_init(struct model *m, bool v6)
{
	unsigned bits = v6 ? 128 : 32, k;
	uint32_t host;

	memset(m, 0, sizeof(*m));
	m->base.family = v6 ? GN_AF_INET6 : GN_AF_INET;
	for (unsigned i = 0; i < bits / 8; i++)
		m->base.b[i] = (uint8_t)rnd();
	m->host_bits = below(17);
	m->prefix = bits - m->host_bits;
	m->size = 1u << m->host_bits;
	k = host_byte(m);
	host = ((uint32_t)m->base.b[k] << 8 | m->base.b[k + 1]) & ~(m->size - 1);
	m->base.b[k] = (uint8_t)(host >> 8);
	m->base.b[k + 1] = (uint8_t)host;
	m->flags = calloc(m->size, 1);
	assert_non_null(m->flags);
	m->hi = m->size - 1;
	m->gateway = -1;
}

/* The pool of the model: a gateway inside, outside (ignored) or none; reserved-per-subnet. */
static struct gn_pool *model_pool(struct model *m)
{
	struct gn_pool *p = NULL;
	struct gn_ip gw;
	const struct gn_ip *g = NULL;
	unsigned first = below(4) == 0 ? below(m->size + 8) : below(3);
	uint32_t start = m->host_bits >= 2 ? 1 : 0;

	switch (below(3)) {
	case 0:
		m->gateway = below(m->size);
		gw = at(m, (uint32_t)m->gateway);
		g = &gw;
		break;
	case 1:
		if (m->prefix > 0) {
			gw = outside(m);
			g = &gw;
		}
		break;
	}
	assert_int_equal(gn_pool_new(&m->base, m->prefix, g, first, &p), 0);
	for (uint32_t i = start; i < start + first && i < m->size; i++)
		m->flags[i] |= M_RESERVED;
	return p;
}

static void model_check_all(struct model *m, struct gn_pool *p)
{
	for (uint32_t off = 0; off < m->size; off++) {
		struct gn_ip ip = at(m, off);
		assert_int_equal(gn_pool_why(p, &ip), model_why(m, off));
	}
}

static void property_one(bool v6)
{
	struct model m;
	_cleanup_(gn_pool_freep) struct gn_pool *p = NULL;
	unsigned steps, marks;

	model_init(&m, v6);
	p = model_pool(&m);
	for (unsigned i = below(6); i > 0; i--)
		model_reserve(&m, p);
	marks = below(m.size / 4 + 2);
	for (unsigned i = 0; i < marks && i < 64; i++)
		model_mark(&m, p);
	steps = below(m.size < 150 ? 2 * m.size + 4 : 300);
	for (unsigned i = 0; i < steps; i++) {
		unsigned op = below(100);
		if (op < 35)
			model_step_next(&m, p, false);
		else if (op < 60)
			model_step_next(&m, p, true);
		else if (op < 90)
			model_step_take(&m, p);
		else if (op < 95)
			model_reserve(&m, p);
		else
			model_mark(&m, p);
	}
	/* drain from random ends until the model has nothing; then both ends say -ENOSPC */
	while (!m.full)
		model_step_next(&m, p, below(2));
	model_step_next(&m, p, false);
	model_step_next(&m, p, true);
	model_check_all(&m, p);
	free(m.flags);
}

static void test_property(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 2000; seed++) {
		rng_state = 0x5eed0000ULL + seed;
		property_one(seed % 2 == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_invalid),
		cmocka_unit_test(test_why),
		cmocka_unit_test(test_why_ipv6),
		cmocka_unit_test(test_why_text),
		cmocka_unit_test(test_reserve_and_mark),
		cmocka_unit_test(test_reserve_cap),
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_fill_ipv6_120),
		cmocka_unit_test(test_large_ipv4),
		cmocka_unit_test(test_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
