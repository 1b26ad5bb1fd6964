/*
 * windows-convert.c: the Windows agent's decisions on plain values (see windows-convert.h).
 *
 * Windows reports how each address came to be twice over: in the IP Helper API (prefix and
 * suffix origins) and in the registry (IPAddress next to DhcpIPAddress, NameServer next to
 * DhcpNameServer).  The registry says what was configured; the API what is running.  The rules
 * below prefer what is certain and check one against the other, because not every
 * implementation fills the origins truthfully (Wine reports every address as DHCP-assigned on
 * interfaces it also reports DHCP off for).
 */
#include <errno.h>
#include <string.h>

#include "cleanup.h"
#include "windows-convert.h"

void wc_tcpip_init(struct wc_tcpip *t)
{
	memset(t, 0, sizeof(*t));
	t->enable_dhcp = -1;
	t->lease_obtained = t->lease_terminates = GN_UNSET;
}

enum gn_iftype wc_iftype(uint32_t iftype)
{
	switch (iftype) {
	case WC_IF_TYPE_ETHERNET_CSMACD:
	case WC_IF_TYPE_FASTETHER:
	case WC_IF_TYPE_GIGABITETHERNET:
		return GN_IFTYPE_ETHERNET;
	case WC_IF_TYPE_IEEE80211:
		return GN_IFTYPE_WIRELESS;
	case WC_IF_TYPE_SOFTWARE_LOOPBACK:
		return GN_IFTYPE_LOOPBACK;
	case WC_IF_TYPE_TUNNEL:
		return GN_IFTYPE_TUNNEL;
	default:
		return GN_IFTYPE_OTHER;
	}
}

enum gn_mode wc_ipv4_mode(const struct wc_adapter *a)
{
	if (!a->ipv4_enabled)
		return GN_MODE_DISABLED;
	return a->dhcpv4_enabled ? GN_MODE_DHCP : GN_MODE_STATIC;
}

/* As guestnet hive: Windows runs router discovery on every interface with IPv6 bound, and
 * whether an address then comes from SLAAC or DHCPv6 is the router's choice, so "auto". */
enum gn_mode wc_ipv6_mode(const struct wc_adapter *a)
{
	return a->ipv6_enabled ? GN_MODE_AUTO : GN_MODE_DISABLED;
}

bool wc_ip_list_contains(const struct wc_ip_list *l, const struct gn_ip *ip)
{
	for (size_t i = 0; i < l->n; i++)
		if (gn_ip_equal(&l->v[i], ip))
			return true;
	return false;
}

/* 169.254.0.0/16 and fe80::/10: the addresses a link gives itself. */
static bool is_link_local(const struct gn_ip *ip)
{
	if (ip->family == GN_AF_INET)
		return ip->b[0] == 169 && ip->b[1] == 254;
	return ip->family == GN_AF_INET6 && ip->b[0] == 0xfe && (ip->b[1] & 0xc0) == 0x80;
}

/* What the registry says of an IPv4 address: STATIC, DHCP, or UNSET when it does not say. */
static enum gn_origin registry_origin(const struct wc_adapter *a, const struct wc_tcpip *t,
				      const struct gn_ip *ip)
{
	if (!t || !t->found[0] || ip->family != GN_AF_INET)
		return GN_ORIGIN_UNSET;
	if (wc_ip_list_contains(&t->ip_address, ip))
		return GN_ORIGIN_STATIC;
	/* DhcpIPAddress outlives a switch to static: it counts only while DHCP is on */
	if ((t->enable_dhcp == 1 || a->dhcpv4_enabled) && gn_ip_equal(&t->dhcp_ip_address, ip))
		return GN_ORIGIN_DHCP;
	return GN_ORIGIN_UNSET;
}

enum gn_origin wc_address_origin(const struct wc_adapter *a, const struct wc_tcpip *t,
				 const struct wc_unicast *u)
{
	bool v4 = u->ip.family == GN_AF_INET;
	enum gn_origin o;

	if (is_link_local(&u->ip))
		return GN_ORIGIN_LINK_LOCAL;
	o = registry_origin(a, t, &u->ip);
	if (o != GN_ORIGIN_UNSET)
		return o;
	if (u->prefix_origin == WC_PREFIX_ORIGIN_MANUAL || u->suffix_origin == WC_SUFFIX_ORIGIN_MANUAL)
		return GN_ORIGIN_STATIC;
	if (u->prefix_origin == WC_PREFIX_ORIGIN_DHCP || u->suffix_origin == WC_SUFFIX_ORIGIN_DHCP) {
		/* a lease needs DHCP on (DHCPv6: the router's M flag); without it the origin is
		 * wrong, and an IPv4 address that is neither leased nor link-local was configured */
		if (v4 ? a->dhcpv4_enabled : a->dhcpv6_managed)
			return GN_ORIGIN_DHCP;
		return v4 ? GN_ORIGIN_STATIC : GN_ORIGIN_UNKNOWN;
	}
	if (u->prefix_origin == WC_PREFIX_ORIGIN_ROUTER_ADVERTISEMENT ||
	    (u->prefix_origin != WC_PREFIX_ORIGIN_WELL_KNOWN &&
	     (u->suffix_origin == WC_SUFFIX_ORIGIN_LINK_LAYER_ADDRESS ||
	      u->suffix_origin == WC_SUFFIX_ORIGIN_RANDOM)))
		return GN_ORIGIN_AUTO;  /* SLAAC */
	return GN_ORIGIN_UNKNOWN;  /* well-known (tunnel, loopback) or other */
}

bool wc_address_temporary(const struct wc_unicast *u)
{
	return u->ip.family == GN_AF_INET6 && !is_link_local(&u->ip) &&
	       u->prefix_origin == WC_PREFIX_ORIGIN_ROUTER_ADVERTISEMENT &&
	       u->suffix_origin == WC_SUFFIX_ORIGIN_RANDOM;
}

enum gn_origin wc_dns_origin(const struct wc_tcpip *t, const struct gn_ip *ip)
{
	int f = ip->family == GN_AF_INET6;

	if (!t || !t->found[f])
		return GN_ORIGIN_UNSET;
	/* configured servers override DHCP-supplied ones, as the resolver does */
	if (wc_ip_list_contains(&t->name_server[f], ip))
		return GN_ORIGIN_STATIC;
	if (wc_ip_list_contains(&t->dhcp_name_server[f], ip))
		return GN_ORIGIN_DHCP;
	return GN_ORIGIN_UNSET;
}

bool wc_dns_placeholder(const struct gn_ip *ip)
{
	static const uint8_t prefix[14] = { 0xfe, 0xc0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0 };

	return ip->family == GN_AF_INET6 && memcmp(ip->b, prefix, sizeof(prefix)) == 0 &&
	       ip->b[14] == 0 && ip->b[15] >= 1 && ip->b[15] <= 3;
}

static bool is_broadcast(const struct gn_ip *ip)
{
	return ip->family == GN_AF_INET && ip->b[0] == 255 && ip->b[1] == 255 && ip->b[2] == 255 &&
	       ip->b[3] == 255;
}

void wc_set_lease(struct gn_lease *l, const struct wc_adapter *a, const struct wc_tcpip *t,
		  uint32_t lease_lifetime, int64_t now)
{
	bool reg = t && t->found[0];

	/* 255.255.255.255 is what Windows keeps when no server answered */
	if (reg && t->dhcp_server.family && !is_broadcast(&t->dhcp_server) &&
	    !gn_ip_is_unspecified(&t->dhcp_server))
		l->server = t->dhcp_server;
	else if (a->dhcpv4_server.family == GN_AF_INET && !is_broadcast(&a->dhcpv4_server) &&
		 !gn_ip_is_unspecified(&a->dhcpv4_server))
		l->server = a->dhcpv4_server;
	l->obtained = reg ? t->lease_obtained : GN_UNSET;
	if (reg && t->lease_terminates != GN_UNSET)
		l->expires = t->lease_terminates;
	else if (lease_lifetime != 0 && lease_lifetime != WC_LIFETIME_INFINITE)
		l->expires = now + lease_lifetime;
	else
		l->expires = GN_UNSET;
}

static bool is_multicast(const struct gn_ip *ip)
{
	if (ip->family == GN_AF_INET)
		return (ip->b[0] & 0xf0) == 0xe0;
	return ip->family == GN_AF_INET6 && ip->b[0] == 0xff;
}

static bool configured_protocol(unsigned protocol)
{
	return protocol == WC_ROUTE_PROTOCOL_NETMGMT || protocol == WC_ROUTE_PROTOCOL_NT_STATIC ||
	       protocol == WC_ROUTE_PROTOCOL_NT_STATIC_NON_DOD;
}

enum wc_route_kind wc_route_kind(const struct wc_route *rt)
{
	bool manual = configured_protocol(rt->protocol) && rt->origin == WC_ROUTE_ORIGIN_MANUAL;

	/* the stack's own: connected subnets, host, broadcast and multicast routes */
	if (rt->protocol == WC_ROUTE_PROTOCOL_LOCAL || rt->loopback || is_multicast(&rt->destination) ||
	    is_broadcast(&rt->destination))
		return WC_ROUTE_SKIP;
	/* a default route through a router is a gateway however it was learned (configured, DHCP,
	 * router advertisement); one on-link is a static route only when configured */
	if (rt->prefix == 0 && !gn_ip_is_unspecified(&rt->next_hop))
		return WC_ROUTE_GATEWAY;
	/* DHCP classless routes, router advertisements' route information, routing protocols:
	 * learned, not configured in the guest */
	return manual ? WC_ROUTE_STATIC : WC_ROUTE_SKIP;
}

int64_t wc_metric(uint32_t interface_metric, uint32_t route_metric)
{
	if (interface_metric == WC_METRIC_UNSET || route_metric == WC_METRIC_UNSET)
		return GN_UNSET;
	return (int64_t)interface_metric + route_metric;
}

int wc_add_route(struct gn_guest *g, struct gn_interface *ifc, const struct wc_adapter *a,
		 const struct wc_route *rt)
{
	int family = rt->destination.family;
	int64_t metric;

	if ((family != GN_AF_INET && family != GN_AF_INET6) || rt->prefix > gn_ip_bits(family) ||
	    (rt->next_hop.family && rt->next_hop.family != family))
		return -EINVAL;
	metric = wc_metric(family == GN_AF_INET ? a->ipv4_metric : a->ipv6_metric, rt->metric);
	switch (wc_route_kind(rt)) {
	case WC_ROUTE_GATEWAY:
		return gn_ipconf_add_gateway(gn_interface_ipconf(ifc, family), &rt->next_hop, metric);
	case WC_ROUTE_STATIC:
		return gn_guest_add_route(g, &rt->destination, rt->prefix, &rt->next_hop, metric,
					  ifc->id);
	default:
		return 0;
	}
}

/* Add one entry of a list to l; false when the caller should stop (the cap). */
static bool add_listed(const struct gn_ip *ip, size_t max, struct wc_ip_list *l,
		       struct wc_parse_report *rep)
{
	if (gn_ip_is_unspecified(ip) || wc_ip_list_contains(l, ip))
		return true;  /* the 0.0.0.0 placeholder; a duplicate */
	if (l->n >= max || l->n >= GN_ELEMENTSOF(l->v)) {
		rep->capped = true;
		return false;
	}
	l->v[l->n++] = *ip;
	return true;
}

static void note_bad(struct wc_parse_report *rep, const char *s, size_t n)
{
	if (rep->bad++ == 0) {
		if (n > sizeof(rep->first_bad) - 1)
			n = sizeof(rep->first_bad) - 1;
		memcpy(rep->first_bad, s, n);
		rep->first_bad[n] = '\0';
	}
}

void wc_parse_ip_list(const char *s, size_t len, int family, size_t max, struct wc_ip_list *l,
		      struct wc_parse_report *rep)
{
	static const char seps[] = ", \t\r\n;";
	size_t i = 0;

	while (i < len) {
		char tok[GN_IP_TEXT_MAX + 16];
		struct gn_ip ip;
		size_t start, n;

		while (i < len && (s[i] == '\0' || strchr(seps, s[i])))
			i++;
		start = i;
		while (i < len && s[i] != '\0' && !strchr(seps, s[i]))
			i++;
		n = i - start;
		if (n == 0)
			break;
		if (n >= sizeof(tok)) {
			note_bad(rep, s + start, n);
			continue;
		}
		memcpy(tok, s + start, n);
		tok[n] = '\0';
		if (gn_ip_parse_family(tok, family, &ip) < 0) {
			note_bad(rep, s + start, n);
			continue;
		}
		if (!add_listed(&ip, max, l, rep))
			return;
	}
}

int wc_parse_ip6_binary(const uint8_t *b, size_t len, size_t max, struct wc_ip_list *l,
			struct wc_parse_report *rep)
{
	if (len % 16)
		return -EINVAL;
	for (size_t i = 0; i < len; i += 16) {
		struct gn_ip ip;

		gn_ip_from_bytes(&ip, GN_AF_INET6, b + i);
		if (!add_listed(&ip, max, l, rep))
			break;
	}
	return 0;
}
