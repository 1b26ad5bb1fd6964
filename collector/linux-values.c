/*
 * linux-values.c: values as Linux configuration files spell them (booleans, CIDR addresses,
 * netmasks, `ip route` arguments), and adding them to the model with a warning for each one that
 * is not valid, so that no reader leaves a silent gap.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "linux.h"

void gn_linux_warn(struct gn_linux_ctx *ctx, const char *fmt, ...)
{
	char buf[GN_MAX_STRING + 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	gn_guest_warn(ctx->g, "%s", buf);
}

int gn_linux_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v < min || v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}

int gn_linux_parse_bool(const char *s)
{
	static const char *const yes[] = { "yes", "true", "on", "1", "y" };
	static const char *const no[] = { "no", "false", "off", "0", "n" };

	for (size_t i = 0; s && i < GN_ELEMENTSOF(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -EINVAL;
}

int gn_linux_parse_cidr(const char *s, int family, struct gn_ip *ip, int *prefix, const char **why)
{
	char buf[GN_IP_TEXT_MAX + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	uint64_t p;

	*why = "is not an address";
	if (alen == 0 || alen >= GN_IP_TEXT_MAX)
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (family ? gn_ip_parse_family(buf, family, ip) < 0 : gn_ip_parse(buf, ip) < 0) {
		*why = family == GN_AF_INET ? "is not an IPv4 address" :
		       family == GN_AF_INET6 ? "is not an IPv6 address" : "is not an address";
		return -EINVAL;
	}
	*prefix = -1;
	if (slash) {
		if (gn_linux_parse_uint(slash + 1, 0, gn_ip_bits(ip->family), &p) < 0) {
			*why = "has an invalid prefix length";
			return -EINVAL;
		}
		*prefix = (int)p;
	}
	return 0;
}

int gn_linux_parse_netmask(const char *s, int family, unsigned *ret)
{
	struct gn_ip mask;
	uint64_t p;

	if (gn_linux_parse_uint(s, 0, gn_ip_bits(family ? family : GN_AF_INET6), &p) == 0) {
		*ret = (unsigned)p;
		return 0;
	}
	if (family != GN_AF_INET6 && gn_ip_parse_family(s, GN_AF_INET, &mask) == 0)
		return gn_mask_to_prefix(&mask, ret);
	return -EINVAL;
}

void gn_linux_warn_add(struct gn_linux_ctx *ctx, int r, const char *where, const char *what,
		       const char *value)
{
	if (r == -E2BIG)
		gn_linux_warn(ctx, "%s: too many %s entries (a limit of guestnet.h); the rest were "
			      "dropped", where, what);
	else if (r == -ENOMEM)
		gn_linux_warn(ctx, "%s: out of memory adding %s", where, what);
	else if (r < 0 && value)
		gn_linux_warn(ctx, "%s: %s '%.100s' is not valid", where, what, value);
	else if (r < 0)
		gn_linux_warn(ctx, "%s: a %s is not valid", where, what);
}

int gn_linux_set_string(struct gn_linux_ctx *ctx, char **field, const char *where, const char *what,
			const char *value)
{
	int r = gn_set_string(field, value);

	if (r == -E2BIG)
		gn_linux_warn(ctx, "%s: %s is longer than %d bytes", where, what, GN_MAX_STRING);
	else if (r == -ENOMEM)
		gn_linux_warn(ctx, "%s: out of memory", where);
	else if (r < 0)
		gn_linux_warn(ctx, "%s: %s holds characters that cannot be written", where, what);
	return r < 0 ? -EINVAL : 0;
}

int gn_linux_set_mac(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
		     const char *value)
{
	if (gn_interface_set_mac(ifc, value) == 0)
		return 0;
	gn_linux_warn(ctx, "%s: '%.64s' is not a MAC address", where, value);
	return -EINVAL;
}

int gn_linux_set_mtu(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
		     const char *value)
{
	uint64_t mtu;

	/* 68: the IPv4 minimum (RFC 791); 65535: the schema's and most drivers' maximum */
	if (gn_linux_parse_uint(value, 68, 65535, &mtu) == 0) {
		ifc->mtu = (unsigned)mtu;
		return 0;
	}
	gn_linux_warn(ctx, "%s: MTU '%.32s' is not a number from 68 to 65535", where, value);
	return -EINVAL;
}

int gn_linux_set_vlan(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
		      const char *value)
{
	uint64_t id;

	if (gn_linux_parse_uint(value, 1, 4094, &id) == 0) {
		ifc->vlan = (unsigned)id;
		return 0;
	}
	gn_linux_warn(ctx, "%s: '%.32s' is not a VLAN id (1-4094)", where, value);
	return -EINVAL;
}

int gn_linux_add_address(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
			 const char *value, int family, int default_prefix)
{
	const char *why;
	struct gn_ip ip;
	int prefix, r;

	if (gn_linux_parse_cidr(value, family, &ip, &prefix, &why) < 0) {
		gn_linux_warn(ctx, "%s: address '%.64s' %s", where, value, why);
		return -EINVAL;
	}
	if (prefix < 0)
		prefix = default_prefix;
	if (prefix < 0) {
		gn_linux_warn(ctx, "%s: address '%.64s' has no prefix length; it was skipped",
			      where, value);
		return -EINVAL;
	}
	r = gn_ipconf_add_address(gn_interface_ipconf(ifc, ip.family), &ip, (unsigned)prefix,
				  GN_ORIGIN_STATIC);
	if (r < 0)
		gn_linux_warn_add(ctx, r, where, "address", value);
	return r < 0 ? r : 0;
}

int gn_linux_add_gateway(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
			 const char *value, int family, int64_t metric)
{
	struct gn_ip ip;
	int r;

	if (family ? gn_ip_parse_family(value, family, &ip) < 0 : gn_ip_parse(value, &ip) < 0) {
		gn_linux_warn(ctx, "%s: gateway '%.64s' is not an %saddress", where, value,
			      family == GN_AF_INET ? "IPv4 " :
			      family == GN_AF_INET6 ? "IPv6 " : "");
		return -EINVAL;
	}
	r = gn_ipconf_add_gateway(gn_interface_ipconf(ifc, ip.family), &ip, metric);
	if (r < 0)
		gn_linux_warn_add(ctx, r, where, "gateway", value);
	return r < 0 ? r : 0;
}

/* The address in a systemd-style server: "ADDR", "ADDR#NAME", "ADDR%IF", "ADDR:PORT",
 * "[ADDR6]:PORT". */
static int parse_server(const char *value, struct gn_ip *ip)
{
	char buf[GN_IP_TEXT_MAX + 1];
	size_t len = strcspn(value, "#%");
	const char *s = value;

	if (s[0] == '[') {
		const char *end = memchr(s, ']', len);
		if (!end)
			return -EINVAL;
		s++;
		len = (size_t)(end - s);
	}
	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (gn_ip_parse(buf, ip) == 0)
		return 0;
	/* IPv4 with a port */
	char *colon = strchr(buf, ':');
	if (colon && !strchr(colon + 1, ':')) {
		*colon = '\0';
		return gn_ip_parse_family(buf, GN_AF_INET, ip);
	}
	return -EINVAL;
}

int gn_linux_add_guest_dns(struct gn_linux_ctx *ctx, struct gn_guest *g, const char *where,
			   const char *value, enum gn_origin origin)
{
	struct gn_ip ip;
	int r;

	if (parse_server(value, &ip) < 0) {
		gn_linux_warn(ctx, "%s: DNS server '%.64s' is not an address", where, value);
		return -EINVAL;
	}
	r = gn_guest_add_dns(g, &ip, origin);
	if (r < 0)
		gn_linux_warn_add(ctx, r, where, "DNS server", value);
	return r < 0 ? r : 0;
}

int gn_linux_add_dns(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
		     const char *value)
{
	struct gn_ip ip;
	int r;

	if (parse_server(value, &ip) < 0) {
		gn_linux_warn(ctx, "%s: DNS server '%.64s' is not an address", where, value);
		return -EINVAL;
	}
	r = gn_ipconf_add_dns(gn_interface_ipconf(ifc, ip.family), &ip, GN_ORIGIN_STATIC);
	if (r < 0)
		gn_linux_warn_add(ctx, r, where, "DNS server", value);
	return r < 0 ? r : 0;
}

int gn_linux_add_search(struct gn_linux_ctx *ctx, struct gn_guest *g, const char *where,
			const char *value)
{
	size_t len = strlen(value);
	char buf[256];
	int r;

	if (value[0] == '~' || strcmp(value, ".") == 0)
		return 0;  /* systemd: a routing-only domain, not searched */
	/* a trailing dot (an absolute name) means the same domain */
	if (len > 1 && len < sizeof(buf) && value[len - 1] == '.') {
		memcpy(buf, value, len - 1);
		buf[len - 1] = '\0';
		value = buf;
	}
	r = gn_guest_add_search(g, value);
	if (r == -EINVAL)
		gn_linux_warn(ctx, "%s: search domain '%.100s' is not a domain name", where, value);
	else if (r < 0)
		gn_linux_warn_add(ctx, r, where, "search domain", value);
	return r < 0 ? r : 0;
}

/*
 * `ip route` arguments.  Keywords that take one argument and do not change what the route is
 * (its destination, next hop, interface and metric) are skipped.
 */
static const char *const route_skip1[] = {
	"proto", "scope", "src", "mtu", "advmss", "realm", "realms", "initcwnd", "initrwnd",
	"congctl", "rtt", "rttvar", "window", "cwnd", "ssthresh", "hoplimit", "features",
	"quickack", "pref", "expires", "fastopen_no_cookie", "tos", "dsfield", "nhid", "reordering",
	"rto_min", "ttl-propagate",
};
static const char *const route_types_skipped[] = {
	"blackhole", "unreachable", "prohibit", "local", "broadcast", "throw", "nat", "anycast",
	"multicast",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

int gn_linux_parse_ip_route(char **words, size_t n, int family, struct gn_linux_route *rt,
			    char why[GN_LINUX_WHY_MAX])
{
	const char *dest = NULL, *cwhy;
	size_t i = 0;
	int prefix;

	memset(rt, 0, sizeof(*rt));
	rt->metric = GN_UNSET;
	if (i < n && strcmp(words[i], "unicast") == 0)
		i++;
	if (i < n && in_list(words[i], route_types_skipped, GN_ELEMENTSOF(route_types_skipped))) {
		snprintf(why, GN_LINUX_WHY_MAX, "is not a unicast route");
		return 1;
	}
	for (; i < n; i++) {
		const char *w = words[i], *arg = i + 1 < n ? words[i + 1] : NULL;
		uint64_t v;

		if (strcmp(w, "via") == 0 && arg) {
			if ((strcmp(arg, "inet") == 0 || strcmp(arg, "inet6") == 0) && i + 2 < n)
				arg = words[++i + 1];
			if (gn_ip_parse(arg, &rt->gateway) < 0) {
				snprintf(why, GN_LINUX_WHY_MAX,
					 "has a next hop that is not an address");
				return -EINVAL;
			}
			i++;
		} else if (strcmp(w, "dev") == 0 && arg) {
			if (strlen(arg) >= sizeof(rt->dev)) {
				snprintf(why, GN_LINUX_WHY_MAX,
					 "names an interface too long to be one");
				return -EINVAL;
			}
			strcpy(rt->dev, arg);
			i++;
		} else if ((strcmp(w, "metric") == 0 || strcmp(w, "preference") == 0 ||
			    strcmp(w, "priority") == 0) && arg) {
			if (gn_linux_parse_uint(arg, 0, UINT32_MAX, &v) < 0) {
				snprintf(why, GN_LINUX_WHY_MAX,
					 "has a metric that is not a number");
				return -EINVAL;
			}
			rt->metric = (int64_t)v;
			i++;
		} else if (strcmp(w, "table") == 0 && arg) {
			if (strcmp(arg, "main") != 0 && strcmp(arg, "254") != 0) {
				snprintf(why, GN_LINUX_WHY_MAX,
					 "is in a policy routing table, not the main table");
				return 1;
			}
			i++;
		} else if (in_list(w, route_skip1, GN_ELEMENTSOF(route_skip1)) && arg) {
			i++;
		} else if (strcmp(w, "onlink") == 0 || strcmp(w, "pervasive") == 0) {
			continue;
		} else if (!dest && (strcmp(w, "to") == 0) && arg) {
			dest = arg;
			i++;
		} else if (!dest) {
			dest = w;
		} else {
			snprintf(why, GN_LINUX_WHY_MAX,
				 "has an argument this reader does not know ('%.32s')",
				 w);
			return -EINVAL;
		}
	}
	if (!dest) {
		snprintf(why, GN_LINUX_WHY_MAX, "has no destination");
		return -EINVAL;
	}
	if (strcmp(dest, "default") == 0 || strcmp(dest, "all") == 0) {
		int f = family ? family : rt->gateway.family ? rt->gateway.family : GN_AF_INET;
		memset(&rt->dest, 0, sizeof(rt->dest));
		rt->dest.family = (uint8_t)f;
		rt->prefix = 0;
	} else {
		if (gn_linux_parse_cidr(dest, family, &rt->dest, &prefix, &cwhy) < 0) {
			snprintf(why, GN_LINUX_WHY_MAX, "destination '%.64s' %s", dest, cwhy);
			return -EINVAL;
		}
		rt->prefix = prefix < 0 ? gn_ip_bits(rt->dest.family) : (unsigned)prefix;
	}
	if (rt->gateway.family && rt->gateway.family != rt->dest.family) {
		snprintf(why, GN_LINUX_WHY_MAX, "mixes IPv4 and IPv6");
		return -EINVAL;
	}
	return 0;
}

struct gn_interface *gn_linux_interface_on_subnet(struct gn_linux_unit *u, const struct gn_ip *ip)
{
	for (size_t i = 0; i < u->g->interfaces.n; i++) {
		struct gn_interface *ifc = u->g->interfaces.v[i];
		struct gn_ipconf *c = gn_interface_ipconf(ifc, ip->family);

		for (size_t j = 0; j < c->addresses.n; j++) {
			const struct gn_address *a = &c->addresses.v[j];
			unsigned bits = a->prefix;
			bool same = a->ip.family == ip->family;

			for (unsigned b = 0; same && b < bits; b++)
				same = ((a->ip.b[b / 8] ^ ip->b[b / 8]) & (0x80 >> (b % 8))) == 0;
			if (same)
				return ifc;
		}
	}
	return NULL;
}

void gn_linux_add_route(struct gn_linux_ctx *ctx, struct gn_linux_unit *u,
			const struct gn_linux_route *rt, const char *ifname, const char *where)
{
	const char *dev = rt->dev[0] ? rt->dev : ifname;
	struct gn_interface *ifc = dev ? gn_linux_interface_find(u, dev) : NULL;
	int r;

	if (rt->prefix == 0 && rt->gateway.family) {
		if (!ifc && !dev)
			ifc = gn_linux_interface_on_subnet(u, &rt->gateway);
		if (ifc) {
			r = gn_ipconf_add_gateway(gn_interface_ipconf(ifc, rt->gateway.family),
						  &rt->gateway, rt->metric);
			if (r < 0)
				gn_linux_warn_add(ctx, r, where, "gateway", NULL);
			return;
		}
	}
	r = gn_guest_add_route(u->g, &rt->dest, rt->prefix, &rt->gateway, rt->metric,
			       ifc ? ifc->id : dev);
	if (r < 0)
		gn_linux_warn_add(ctx, r, where, "route", NULL);
}
