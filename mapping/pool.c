/*
 * pool.c: one subnet's address space (pool.h).  Addresses are 128-bit integers, IPv4 in the
 * low 32 bits: a pair of uint64_t rather than unsigned __int128, which 32-bit targets lack.
 *
 * Three things decide whether an address is usable: its place in the subnet (network,
 * broadcast, anycast: a comparison), the reserved ranges (sorted, merged, binary search) and the
 * taken addresses, in use or handed out (a hash table keyed by the address).  Two cursors, lo
 * and hi, bound what may still be usable: nothing is ever given back, so an address found
 * unusable stays so and each cursor moves one way only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "index.h"
#include "pool.h"

struct u128 {
	uint64_t hi, lo;
};

/* Inclusive. */
struct range {
	struct u128 from, to;
};

/* A taken address: the index keys on a, so a record never moves once made. */
struct taken {
	struct u128 a;
	enum gn_pool_why why;  /* GN_POOL_IN_USE or GN_POOL_ASSIGNED */
};

struct taken_block {
	struct taken_block *next;
	size_t n, cap;
	struct taken v[];
};

struct gn_pool {
	int family;
	struct u128 first, last;       /* the subnet's first and last address */
	bool has_network;              /* first is the network or anycast address */
	bool has_broadcast;            /* last is the broadcast address */
	bool has_gateway;
	struct u128 gateway;

	GN_ARRAY(struct range) ranges;
	bool ranges_dirty;             /* appended out of order since the last merge */
	size_t reserve_rows;

	struct gn_index taken;
	struct taken_block *blocks;
	size_t in_use, assigned;

	/* Nothing below lo nor above hi is usable; full: nothing at all is. */
	struct u128 lo, hi;
	bool full;
};

static int cmp(struct u128 a, struct u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return a.lo < b.lo ? -1 : a.lo > b.lo;
}

static bool eq(struct u128 a, struct u128 b)
{
	return a.hi == b.hi && a.lo == b.lo;
}

static struct u128 add(struct u128 a, uint64_t n)
{
	struct u128 r = { a.hi, a.lo + n };

	r.hi += r.lo < a.lo;
	return r;
}

static struct u128 sub(struct u128 a, uint64_t n)
{
	struct u128 r = { a.hi, a.lo - n };

	r.hi -= r.lo > a.lo;
	return r;
}

/* The low `bits` bits set: the host part of a prefix (bits 0..128). */
static struct u128 low_mask(unsigned bits)
{
	if (bits >= 128)
		return (struct u128){ UINT64_MAX, UINT64_MAX };
	if (bits >= 64)
		return (struct u128){ bits == 64 ? 0 : UINT64_MAX >> (128 - bits), UINT64_MAX };
	return (struct u128){ 0, bits == 0 ? 0 : UINT64_MAX >> (64 - bits) };
}

static struct u128 from_ip(const struct gn_ip *ip)
{
	struct u128 r = { 0, 0 };

	if (ip->family == GN_AF_INET) {
		for (int i = 0; i < 4; i++)
			r.lo = r.lo << 8 | ip->b[i];
		return r;
	}
	for (int i = 0; i < 8; i++) {
		r.hi = r.hi << 8 | ip->b[i];
		r.lo = r.lo << 8 | ip->b[8 + i];
	}
	return r;
}

static void to_ip(struct u128 a, int family, struct gn_ip *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->family = (uint8_t)family;
	if (family == GN_AF_INET) {
		for (int i = 3; i >= 0; i--, a.lo >>= 8)
			ret->b[i] = (uint8_t)a.lo;
		return;
	}
	for (int i = 7; i >= 0; i--, a.hi >>= 8, a.lo >>= 8) {
		ret->b[i] = (uint8_t)a.hi;
		ret->b[8 + i] = (uint8_t)a.lo;
	}
}

static bool inside(const struct gn_pool *p, struct u128 a)
{
	return cmp(a, p->first) >= 0 && cmp(a, p->last) <= 0;
}

bool gn_pool_contains(const struct gn_pool *p, const struct gn_ip *ip)
{
	return ip->family == p->family && inside(p, from_ip(ip));
}

static int range_cmp(const void *x, const void *y)
{
	return cmp(((const struct range *)x)->from, ((const struct range *)y)->from);
}

/* Sort and merge the ranges, overlapping or adjacent, once after a run of gn_pool_reserve. */
static void normalize(struct gn_pool *p)
{
	struct range *v = p->ranges.v;
	size_t out = 0;

	if (!p->ranges_dirty)
		return;
	qsort(v, p->ranges.n, sizeof(*v), range_cmp);
	for (size_t i = 0; i < p->ranges.n; i++) {
		/* v[i].from > v[out - 1].to >= 0 in the second test, so from - 1 cannot wrap */
		if (out > 0 && (cmp(v[i].from, v[out - 1].to) <= 0 ||
				eq(sub(v[i].from, 1), v[out - 1].to))) {
			if (cmp(v[i].to, v[out - 1].to) > 0)
				v[out - 1].to = v[i].to;
		} else
			v[out++] = v[i];
	}
	p->ranges.n = out;
	p->ranges_dirty = false;
}

/* The reserved range holding a, or NULL; the ranges are normalized. */
static const struct range *find_range(const struct gn_pool *p, struct u128 a)
{
	size_t lo = 0, hi = p->ranges.n;

	/* the first range that starts after a; the one before it may hold a */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp(p->ranges.v[mid].from, a) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && cmp(a, p->ranges.v[lo - 1].to) <= 0)
		return &p->ranges.v[lo - 1];
	return NULL;
}

/* Why a is not usable.  *span: the run of addresses that share the reason (a range, or a). */
static enum gn_pool_why why_at(const struct gn_pool *p, struct u128 a, struct range *span)
{
	const struct range *r;
	const struct taken *t;

	span->from = span->to = a;
	if (!inside(p, a))
		return GN_POOL_OUTSIDE;
	if (p->has_network && eq(a, p->first))
		return p->family == GN_AF_INET ? GN_POOL_NETWORK : GN_POOL_ANYCAST;
	if (p->has_broadcast && eq(a, p->last))
		return GN_POOL_BROADCAST;
	if (p->has_gateway && eq(a, p->gateway))
		return GN_POOL_GATEWAY;
	r = find_range(p, a);
	if (r) {
		*span = *r;
		return GN_POOL_RESERVED;
	}
	t = gn_index_get(&p->taken, &a, sizeof(a));
	return t ? t->why : GN_POOL_USABLE;
}

/* A record for a newly taken address, in blocks that double up to 64 Ki records. */
static struct taken *taken_new(struct gn_pool *p)
{
	struct taken_block *b = p->blocks;

	if (!b || b->n == b->cap) {
		size_t cap = b ? (b->cap < 65536 ? b->cap * 2 : b->cap) : 64;
		b = malloc(sizeof(*b) + cap * sizeof(b->v[0]));
		if (!b)
			return NULL;
		b->next = p->blocks;
		b->n = 0;
		b->cap = cap;
		p->blocks = b;
	}
	return &b->v[b->n++];
}

/* Record a, not in the table yet, as taken for why, counted in *count up to max. */
static int take_at(struct gn_pool *p, struct u128 a, enum gn_pool_why why, size_t *count,
		   size_t max)
{
	struct taken *t;
	int r;

	if (*count >= max)
		return -E2BIG;
	t = taken_new(p);
	if (!t)
		return -ENOMEM;
	*t = (struct taken){ a, why };
	r = gn_index_put(&p->taken, &t->a, sizeof(t->a), t);
	if (r < 0) {
		p->blocks->n--;  /* the record just made, unused */
		return r;
	}
	(*count)++;
	return 0;
}

static int add_range(struct gn_pool *p, struct u128 from, struct u128 to)
{
	struct range *r;
	int e = GN_ARRAY_PUSH(&p->ranges, GN_MAX_POOL_RESERVED + 1, &r);

	if (e < 0)
		return e;
	/* rows in ascending order, the usual case, keep the ranges normalized */
	if (p->ranges.n > 1 && cmp(from, r[-1].to) <= 0)
		p->ranges_dirty = true;
	*r = (struct range){ from, to };
	return 0;
}

/* The policy's reserved-per-subnet: n addresses from the first host address, clipped. */
static int reserve_first(struct gn_pool *p, unsigned n)
{
	struct u128 to;

	if (n == 0)
		return 0;
	to = add(p->lo, n - 1u);
	if (cmp(to, p->lo) < 0 || cmp(to, p->last) > 0)
		to = p->last;
	return add_range(p, p->lo, to);
}

/*
 * Where the cursors start: the first and last addresses that are not the network, anycast or
 * broadcast address.  IPv4 /31 and /32 have none of those (RFC 3021), IPv6 /127 and /128 no
 * anycast address (RFC 6164).
 */
static void set_bounds(struct gn_pool *p, unsigned prefix)
{
	unsigned bits = gn_ip_bits(p->family);

	p->has_network = prefix + 2 <= bits;
	p->has_broadcast = p->has_network && p->family == GN_AF_INET;
	p->lo = p->has_network ? add(p->first, 1) : p->first;
	p->hi = p->has_broadcast ? sub(p->last, 1) : p->last;
}

static int check_new(const struct gn_ip *net, unsigned prefix, const struct gn_ip *gateway)
{
	struct u128 host, n = from_ip(net);

	if (net->family != GN_AF_INET && net->family != GN_AF_INET6)
		return -EINVAL;
	if (prefix > gn_ip_bits(net->family))
		return -EINVAL;
	/* a host address is refused, not masked: a typo must not name another subnet */
	host = low_mask(gn_ip_bits(net->family) - prefix);
	if ((n.hi & host.hi) || (n.lo & host.lo))
		return -EINVAL;
	if (gateway && gateway->family && gateway->family != net->family)
		return -EINVAL;
	return 0;
}

int gn_pool_new(const struct gn_ip *net, unsigned prefix, const struct gn_ip *gateway,
		unsigned reserved_first, struct gn_pool **ret)
{
	struct gn_pool *p;
	struct u128 host;
	int r = check_new(net, prefix, gateway);

	if (r < 0)
		return r;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->family = net->family;
	host = low_mask(gn_ip_bits(net->family) - prefix);
	p->first = from_ip(net);
	p->last = (struct u128){ p->first.hi | host.hi, p->first.lo | host.lo };
	set_bounds(p, prefix);
	if (gateway && gateway->family && inside(p, from_ip(gateway))) {
		p->has_gateway = true;
		p->gateway = from_ip(gateway);
	}
	r = reserve_first(p, reserved_first);
	if (r < 0) {
		gn_pool_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

void gn_pool_free(struct gn_pool *p)
{
	if (!p)
		return;
	while (p->blocks) {
		struct taken_block *next = p->blocks->next;
		free(p->blocks);
		p->blocks = next;
	}
	gn_index_release(&p->taken);
	free(p->ranges.v);
	free(p);
}

void gn_pool_freep(struct gn_pool **p)
{
	gn_pool_free(*p);
}

int gn_pool_reserve(struct gn_pool *p, const struct gn_ip *from, const struct gn_ip *to)
{
	struct u128 a, b;
	int r, clipped = 0;

	if (from->family != p->family || to->family != p->family)
		return -EINVAL;
	a = from_ip(from);
	b = from_ip(to);
	if (cmp(a, b) > 0)
		return -EINVAL;
	if (cmp(b, p->first) < 0 || cmp(a, p->last) > 0)
		return -EDOM;
	if (p->reserve_rows >= GN_MAX_POOL_RESERVED)
		return -E2BIG;
	if (cmp(a, p->first) < 0 || cmp(b, p->last) > 0) {
		a = cmp(a, p->first) < 0 ? p->first : a;
		b = cmp(b, p->last) > 0 ? p->last : b;
		clipped = 1;
	}
	r = add_range(p, a, b);
	if (r < 0)
		return r;
	p->reserve_rows++;
	return clipped;
}

int gn_pool_mark_in_use(struct gn_pool *p, const struct gn_ip *ip)
{
	struct u128 a;

	if (ip->family != p->family)
		return -EINVAL;
	a = from_ip(ip);
	if (!inside(p, a))
		return -EDOM;
	if (gn_index_get(&p->taken, &a, sizeof(a)))
		return 0;
	return take_at(p, a, GN_POOL_IN_USE, &p->in_use, GN_MAX_POOL_IN_USE);
}

enum gn_pool_why gn_pool_why(struct gn_pool *p, const struct gn_ip *ip)
{
	struct range span;

	if (ip->family != p->family)
		return GN_POOL_OUTSIDE;
	normalize(p);
	return why_at(p, from_ip(ip), &span);
}

bool gn_pool_usable(struct gn_pool *p, const struct gn_ip *ip)
{
	return gn_pool_why(p, ip) == GN_POOL_USABLE;
}

const char *gn_pool_why_text(enum gn_pool_why why)
{
	switch (why) {
	case GN_POOL_USABLE:
		return "free";
	case GN_POOL_OUTSIDE:
		return "outside the subnet";
	case GN_POOL_NETWORK:
		return "the network address";
	case GN_POOL_ANYCAST:
		return "the subnet-router anycast address";
	case GN_POOL_BROADCAST:
		return "the broadcast address";
	case GN_POOL_GATEWAY:
		return "the gateway";
	case GN_POOL_RESERVED:
		return "reserved";
	case GN_POOL_IN_USE:
		return "in use at the target site";
	case GN_POOL_ASSIGNED:
		return "already assigned";
	}
	return "not usable";
}

static int assign(struct gn_pool *p, struct u128 a)
{
	return take_at(p, a, GN_POOL_ASSIGNED, &p->assigned, GN_MAX_POOL_ASSIGNED);
}

int gn_pool_take(struct gn_pool *p, const struct gn_ip *ip)
{
	if (!gn_pool_usable(p, ip))
		return -EADDRNOTAVAIL;
	return assign(p, from_ip(ip));
}

/* Nothing up to `to` is usable: move lo past it. */
static void advance(struct gn_pool *p, struct u128 to)
{
	if (cmp(to, p->hi) >= 0)
		p->full = true;
	else
		p->lo = add(to, 1);
}

/* Nothing from `from` up is usable: move hi below it. */
static void retreat(struct gn_pool *p, struct u128 from)
{
	if (cmp(from, p->lo) <= 0)
		p->full = true;
	else
		p->hi = sub(from, 1);
}

int gn_pool_next(struct gn_pool *p, bool from_end, struct gn_ip *ret)
{
	normalize(p);
	while (!p->full) {
		struct u128 a = from_end ? p->hi : p->lo;
		struct range span;
		enum gn_pool_why why = why_at(p, a, &span);

		if (why == GN_POOL_USABLE) {
			int r = assign(p, a);
			if (r < 0)
				return r;
		}
		/* past a, or past a whole reserved range at once, however large */
		if (from_end)
			retreat(p, span.from);
		else
			advance(p, span.to);
		if (why == GN_POOL_USABLE) {
			to_ip(a, p->family, ret);
			return 0;
		}
	}
	return -ENOSPC;
}
