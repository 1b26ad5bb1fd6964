/*
 * reip.c: parse, match and apply re-IP rules (reip.h).  Both kinds come down to a source
 * network and a target network, so matching is a prefix test and applying is one OR per byte:
 * the target network's bits, then the source address's host bits (which fit, since the target's
 * host part is never the smaller).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "reip.h"

/* Longer than any address text: no pattern. */
#define PATTERN_TEXT_MAX 64
/* One side of gn_reip_format: an address, "/128", NUL, and room the compiler can prove. */
#define SIDE_TEXT_MAX (GN_IP_TEXT_MAX + 8)

static void say(char *why, size_t why_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t why_size, const char *fmt, ...)
{
	va_list ap;

	if (!why || why_size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, why_size, fmt, ap);
	va_end(ap);
}

/*
 * Check the units of a pattern (octets split by '.', or groups by ':'): each '*' is a whole
 * unit and only '*' follow the first one.  Returns the number of '*', or -EINVAL.
 */
static int count_wildcards(const char *attr, const char *s, bool v6, char *why, size_t why_size)
{
	const char *unit = v6 ? "group" : "octet";
	int k = 0;

	for (const char *u = s;;) {
		size_t n = strcspn(u, v6 ? ":" : ".");
		bool wild = memchr(u, '*', n) != NULL;

		if (wild && n != 1) {
			say(why, why_size, "%s '%s': '*' must stand for a whole %s", attr, s, unit);
			return -EINVAL;
		}
		if (!wild && k > 0) {
			/* an empty unit is "::", zero groups: fixed too */
			say(why, why_size, "%s '%s': a fixed %s after '*'", attr, s, unit);
			return -EINVAL;
		}
		k += wild;
		if (!u[n])
			return k;
		u += n + 1;
	}
}

/*
 * What no pattern holds: nothing, more than any address, a zone index (it names an interface
 * of one machine), or a '*' in an IPv6 pattern's dotted IPv4 tail (half a group).
 */
static bool never_pattern(const char *s, size_t len, bool v6)
{
	return len == 0 || len > PATTERN_TEXT_MAX || strchr(s, '%') ||
	       (v6 && strchr(s, '.') && strchr(s, '*'));
}

/* One side of a pattern rule into a network and its prefix. */
static int pattern_parse(const char *attr, const char *s, struct gn_ip *net, unsigned *prefix,
			 char *why, size_t why_size)
{
	char buf[PATTERN_TEXT_MAX + 1];
	struct gn_ip ip;
	size_t len;
	bool v6;
	int k;

	if (!s) {
		say(why, why_size, "%s is missing", attr);
		return -EINVAL;
	}
	len = strlen(s);
	v6 = strchr(s, ':') != NULL;
	if (never_pattern(s, len, v6)) {
		say(why, why_size, "%s '%s': not an address pattern", attr, s);
		return -EINVAL;
	}
	k = count_wildcards(attr, s, v6, why, why_size);
	if (k < 0)
		return k;
	memcpy(buf, s, len + 1);
	for (char *c = buf; (c = strchr(c, '*')); c++)
		*c = '0';
	if (gn_ip_parse_family(buf, v6 ? GN_AF_INET6 : GN_AF_INET, &ip) < 0) {
		say(why, why_size, "%s '%s': not an address pattern", attr, s);
		return -EINVAL;
	}
	/* the '*' are the last k units: their bits are zero in ip, as a network's host bits are */
	*net = ip;
	*prefix = gn_ip_bits(ip.family) - (unsigned)k * (v6 ? 16 : 8);
	return 0;
}

/* A source-mask must say what the pattern says. */
static int mask_check(const char *mask, const char *source, const struct gn_reip *r, char *why,
		      size_t why_size)
{
	struct gn_ip m;
	unsigned prefix;

	if (strchr(mask, '%') || gn_ip_parse_family(mask, r->source.family, &m) < 0 ||
	    gn_mask_to_prefix(&m, &prefix) < 0) {
		say(why, why_size, "source-mask '%s': not an IPv%d mask", mask, r->source.family);
		return -EINVAL;
	}
	if (prefix != r->source_prefix) {
		say(why, why_size, "source-mask '%s' disagrees with source '%s' (a /%u)", mask,
		    source, r->source_prefix);
		return -EINVAL;
	}
	return 0;
}

int gn_reip_parse_pattern(const char *source, const char *source_mask, const char *target,
			  struct gn_reip *ret, char *why, size_t why_size)
{
	struct gn_reip r = { .kind = GN_REIP_PATTERN };

	if (pattern_parse("source", source, &r.source, &r.source_prefix, why, why_size) < 0 ||
	    pattern_parse("target", target, &r.target, &r.target_prefix, why, why_size) < 0)
		return -EINVAL;
	if (r.source.family != r.target.family) {
		say(why, why_size, "source '%s' and target '%s' are of different families", source,
		    target);
		return -EINVAL;
	}
	if (r.source_prefix != r.target_prefix) {
		say(why, why_size, "source '%s' and target '%s' have their '*' at different places",
		    source, target);
		return -EINVAL;
	}
	if (source_mask && mask_check(source_mask, source, &r, why, why_size) < 0)
		return -EINVAL;
	*ret = r;
	return 0;
}

/* One side of a CIDR rule: a network without host bits. */
static int cidr_side(const char *attr, const char *s, struct gn_ip *net, unsigned *prefix,
		     char *why, size_t why_size)
{
	char text[GN_IP_TEXT_MAX];
	struct gn_ip ip;
	unsigned len;
	int r = gn_cidr_parse(s, net, prefix);

	if (r == -EDOM && gn_ip_prefix_parse(s, &ip, &len) == 0) {
		gn_ip_clear_host(&ip, len);
		say(why, why_size, "%s '%s': host bits set (the network is %s/%u)", attr, s,
		    gn_ip_format(&ip, text), len);
		return -EINVAL;
	}
	if (r < 0) {
		say(why, why_size, "%s '%s': not an address/prefix", attr, s ? s : "");
		return -EINVAL;
	}
	return 0;
}

int gn_reip_parse_cidr(const char *source_cidr, const char *target_cidr, struct gn_reip *ret,
		       char *why, size_t why_size)
{
	struct gn_reip r = { .kind = GN_REIP_CIDR };

	if (cidr_side("source-cidr", source_cidr, &r.source, &r.source_prefix, why, why_size) < 0 ||
	    cidr_side("target-cidr", target_cidr, &r.target, &r.target_prefix, why, why_size) < 0)
		return -EINVAL;
	if (r.source.family != r.target.family) {
		say(why, why_size,
		    "source-cidr '%s' and target-cidr '%s' are of different families", source_cidr,
		    target_cidr);
		return -EINVAL;
	}
	if (r.target_prefix > r.source_prefix) {
		say(why, why_size, "target-cidr '%s' has a smaller host part than source-cidr '%s'",
		    target_cidr, source_cidr);
		return -EINVAL;
	}
	*ret = r;
	return 0;
}

bool gn_reip_match(const struct gn_reip *r, const struct gn_ip *src)
{
	return gn_ip_in_prefix(src, &r->source, r->source_prefix);
}

int gn_reip_apply(const struct gn_reip *r, const struct gn_ip *src, struct gn_ip *dst)
{
	struct gn_ip ip = r->target, net = *src;

	if (!gn_reip_match(r, src))
		return -EDOM;
	gn_ip_clear_host(&net, r->source_prefix);
	/* src ^ net: the host bits alone */
	for (unsigned i = 0; i < 16; i++)
		ip.b[i] |= src->b[i] ^ net.b[i];
	*dst = ip;
	return 0;
}

/* A pattern side: fixed units, then '*'; IPv6 in full groups, which read back the same. */
static void pattern_format(const struct gn_ip *net, unsigned prefix, char *buf, size_t size)
{
	bool v6 = net->family == GN_AF_INET6;
	unsigned units = v6 ? 8 : 4, bits = v6 ? 16 : 8;
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < units && n < size; i++) {
		const char *sep = i == 0 ? "" : v6 ? ":" : ".";
		unsigned v = v6 ? (unsigned)(net->b[2 * i] << 8 | net->b[2 * i + 1]) : net->b[i];

		if (i * bits >= prefix)
			n += (size_t)snprintf(buf + n, size - n, "%s*", sep);
		else
			n += (size_t)snprintf(buf + n, size - n, v6 ? "%s%x" : "%s%u", sep, v);
	}
}

static void side_format(const struct gn_reip *r, const struct gn_ip *net, unsigned prefix,
			char *buf, size_t size)
{
	char text[GN_IP_TEXT_MAX];

	if (r->kind == GN_REIP_PATTERN)
		pattern_format(net, prefix, buf, size);
	else
		snprintf(buf, size, "%s/%u", gn_ip_format(net, text), prefix);
}

const char *gn_reip_format(const struct gn_reip *r, char *buf)
{
	char source[SIDE_TEXT_MAX], target[SIDE_TEXT_MAX];

	side_format(r, &r->source, r->source_prefix, source, sizeof(source));
	side_format(r, &r->target, r->target_prefix, target, sizeof(target));
	snprintf(buf, GN_REIP_TEXT_MAX, "%s -> %s", source, target);
	return buf;
}
