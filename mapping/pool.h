/*
 * pool.h: the address space of one target subnet, IPv4 or IPv6, from which the mapping engine
 * hands out addresses: the kept source address or a re-IP result (gn_pool_take), or the next
 * available one from the start or, for test failover, from the end (gn_pool_next).
 *
 *   struct gn_pool *p;
 *   r = gn_pool_new(&net, 24, &gateway, policy_reserved, &p);
 *   gn_pool_reserve(p, &from, &to);        each <reserved> row of the site
 *   gn_pool_mark_in_use(p, &ip);           each <in-use> row
 *   if (gn_pool_take(p, &source_ip) == -EADDRNOTAVAIL)
 *           note "... is %s", gn_pool_why_text(gn_pool_why(p, &source_ip)), then
 *           gn_pool_next(p, mode == test, &ip);   -ENOSPC: the subnet is full
 *   gn_pool_free(p);
 *
 * Never usable: an address outside the subnet or of the other family, the network address
 * (IPv4) or the subnet-router anycast address, the all-zero host of the prefix (IPv6, RFC 4291
 * 2.6.1: routers answer it, so a host must not hold it), the IPv4 broadcast address, the
 * gateway, a reserved address, an address in use at the target site, an address already handed
 * out.  RFC 2526's reserved subnet anycast addresses (the top 128 of an IPv6 subnet) are not
 * excluded: no product we follow excludes them; a site that needs it writes a <reserved> row.
 *
 * Point-to-point and host subnets: an IPv4 /31 has no network nor broadcast address (RFC 3021),
 * so both of its addresses are usable, as are both of an IPv6 /127 (RFC 6164, which exists so
 * that neither is the anycast address); a /32 or /128 is its one address, usable (a host route,
 * as clouds attach single addresses).  The gateway and the reserved rows still apply to them,
 * and so does the policy's reserved-per-subnet, so a /31 with one reserved address has one left.
 *
 * Memory is bounded by what is taken or reserved, never by the size of the subnet: reserved
 * ranges are kept sorted and merged (binary search), taken addresses in a hash table
 * (index.h), and two cursors, below which and above which nothing is usable, make n calls of
 * gn_pool_next cost O(n) plus what they skip, each taken address or reserved range skipped once.
 * Addresses are never given back, which is what keeps the cursors valid.
 */
#ifndef GN_POOL_H
#define GN_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

/* What one subnet may hold: rows of the site document and addresses handed out. */
#define GN_MAX_POOL_RESERVED 65536         /* gn_pool_reserve calls (<reserved> rows) */
#define GN_MAX_POOL_IN_USE   (1u << 20)    /* distinct addresses marked in use */
#define GN_MAX_POOL_ASSIGNED (1u << 22)    /* addresses handed out by take and next */

/* Why an address is not usable, in the order gn_pool_why tests it (the first that applies). */
enum gn_pool_why {
	GN_POOL_USABLE = 0,
	GN_POOL_OUTSIDE,     /* another family, or outside the prefix */
	GN_POOL_NETWORK,     /* IPv4 network address (prefix <= 30) */
	GN_POOL_ANYCAST,     /* IPv6 subnet-router anycast address (prefix <= 126) */
	GN_POOL_BROADCAST,   /* IPv4 broadcast address (prefix <= 30) */
	GN_POOL_GATEWAY,
	GN_POOL_RESERVED,    /* a reserved range, or the policy's first addresses */
	GN_POOL_IN_USE,      /* in use at the target site */
	GN_POOL_ASSIGNED,    /* already handed out by this pool */
};

struct gn_pool;

/*
 * A pool for net/prefix.  gateway (NULL or family 0: none) is excluded when it lies inside the
 * subnet; outside it is ignored here (the engine warns about it).  reserved_first reserves the
 * first that many host addresses (the site policy's reserved-per-subnet: the addresses after
 * the network address, or from the first one of a /31, /32, /127, /128), clipped to the subnet.
 * Returns 0 and the pool in *ret, -EINVAL (family not 4 or 6, prefix longer than the family,
 * host bits set in net, a gateway of the other family), -ENOMEM.  Free it with gn_pool_free.
 */
int gn_pool_new(const struct gn_ip *net, unsigned prefix, const struct gn_ip *gateway,
		unsigned reserved_first, struct gn_pool **ret);
/* Free a pool; NULL is fine. */
void gn_pool_free(struct gn_pool *p);
void gn_pool_freep(struct gn_pool **p);

/*
 * Reserve from..to (inclusive).  Rows may come in any order and overlap.  Returns 0; 1 when
 * part of the range lies outside the subnet (the part inside is reserved, so a row that strays
 * never lets an address the administrator meant to keep be handed out); -EDOM when all of it
 * lies outside (nothing reserved); -EINVAL (another family, from > to); -E2BIG after
 * GN_MAX_POOL_RESERVED rows; -ENOMEM.
 */
int gn_pool_reserve(struct gn_pool *p, const struct gn_ip *from, const struct gn_ip *to);

/*
 * Mark an address in use at the target site.  Returns 0 (also when it was already taken),
 * -EDOM outside the subnet, -EINVAL for another family, -E2BIG after GN_MAX_POOL_IN_USE
 * addresses, -ENOMEM.
 */
int gn_pool_mark_in_use(struct gn_pool *p, const struct gn_ip *ip);

/* Whether ip is of the pool's family and inside its prefix, whatever its state. */
bool gn_pool_contains(const struct gn_pool *p, const struct gn_ip *ip);

/*
 * Why ip is not usable, or GN_POOL_USABLE.  Not const: the first query after gn_pool_reserve
 * sorts and merges the reserved ranges (so that many rows cost O(n log n), not O(n^2)).
 */
enum gn_pool_why gn_pool_why(struct gn_pool *p, const struct gn_ip *ip);
bool gn_pool_usable(struct gn_pool *p, const struct gn_ip *ip);
/* Text for a note, "is %s": "outside the subnet", "the gateway", "reserved", ...; never NULL. */
const char *gn_pool_why_text(enum gn_pool_why why);

/*
 * Hand out ip.  Returns 0; -EADDRNOTAVAIL when it is not usable (gn_pool_why says why);
 * -E2BIG after GN_MAX_POOL_ASSIGNED addresses; -ENOMEM.
 */
int gn_pool_take(struct gn_pool *p, const struct gn_ip *ip);

/*
 * Hand out the lowest usable address, or with from_end the highest, into *ret.  Returns 0;
 * -ENOSPC when no usable address is left (and only then); -E2BIG, -ENOMEM as gn_pool_take.
 */
int gn_pool_next(struct gn_pool *p, bool from_end, struct gn_ip *ret);

#endif
