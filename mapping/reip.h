/*
 * reip.h: the site's re-IP rules (DESIGN.md, <reip>), which give a NIC whose address lies
 * outside its target subnet a new address derived from the old one.  The site reader parses
 * each row's attributes into a struct gn_reip; the engine tries the rules in document order
 * (first match wins) and applies the first that matches.
 *
 *   gn_reip_parse_pattern("172.16.*.*", "255.255.0.0", "172.17.*.*", &rule, why, sizeof(why));
 *   gn_reip_parse_cidr("192.168.10.0/24", "10.77.10.0/24", &rule, why, sizeof(why));
 *   if (gn_reip_match(&rule, &src))
 *           gn_reip_apply(&rule, &src, &dst);
 *
 * Pattern rules.  A '*' stands for a whole octet (IPv4) or a whole group (IPv6, where the
 * pattern is written in groups, "2001:db8:1:*:*:*:*:*" or "2001:db8::*", never with a dotted
 * IPv4 tail), and carries over from the source address to the same place in the target.  The
 * '*' must be the last octets or groups, so a pattern is a prefix ("172.16.*.5" and
 * "2001:db8:*::" are refused): a rule then maps one network onto another, can be checked
 * against the subnets, and never matches scattered hosts by surprise.  Source and target must
 * have their '*' at the same places, so the rule maps addresses one to one: a '*' only in the
 * source would send many addresses to one, a '*' only in the target would copy a fixed octet
 * of the source for nothing.  The optional source-mask (the Veeam and SRM form of the same
 * rule) must be the mask the pattern implies, 255 for each fixed octet and 0 for each '*';
 * one that says otherwise is refused rather than guessed at.  A pattern without '*' is a rule
 * for one address.
 *
 * CIDR rules.  source-cidr and target-cidr are networks of one family without host bits; the
 * host part of the address is kept.  The prefixes may differ when the target's host part is
 * the larger ("192.168.10.0/24" to "10.77.0.0/16" gives 192.168.10.5 the address 10.77.0.5:
 * the source's host bits, the rest of the target's host part zero).  A target with the smaller
 * host part is refused, since it cannot hold every source host.
 *
 * The result may be an address the target subnet cannot give (its gateway, a reserved one, the
 * network address); the engine checks it against the pool like any other.
 */
#ifndef GN_REIP_H
#define GN_REIP_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

enum gn_reip_kind { GN_REIP_PATTERN, GN_REIP_CIDR };

/* A rule: source and target networks of one family, host bits zero. */
struct gn_reip {
	enum gn_reip_kind kind;
	struct gn_ip source, target;
	unsigned source_prefix, target_prefix;  /* equal for a pattern */
};

/* Room for gn_reip_format: two addresses with their prefixes, " -> " and the NUL. */
#define GN_REIP_TEXT_MAX 112

/*
 * Parse a pattern rule from the attributes source, source-mask (NULL when absent) and target.
 * Returns 0 and the rule in *ret; -EINVAL with a message in why (when why_size > 0), naming
 * the attribute and its text: "source '172.16.*.5': a fixed octet after '*'".
 */
int gn_reip_parse_pattern(const char *source, const char *source_mask, const char *target,
			  struct gn_reip *ret, char *why, size_t why_size);

/* Parse a CIDR rule from source-cidr and target-cidr: as gn_reip_parse_pattern. */
int gn_reip_parse_cidr(const char *source_cidr, const char *target_cidr, struct gn_reip *ret,
		       char *why, size_t why_size);

/* Whether src is of the rule's family and inside its source network. */
bool gn_reip_match(const struct gn_reip *r, const struct gn_ip *src);

/* The address src maps to, into *dst: 0, or -EDOM when the rule does not match src. */
int gn_reip_apply(const struct gn_reip *r, const struct gn_ip *src, struct gn_ip *dst);

/*
 * The rule as text for a note, "172.16.*.* -> 172.17.*.*" (IPv6 patterns in full groups, so
 * the text reads back as the same rule) or "192.168.10.0/24 -> 10.77.10.0/24", into buf
 * (GN_REIP_TEXT_MAX bytes); returns buf.
 */
const char *gn_reip_format(const struct gn_reip *r, char *buf);

#endif
