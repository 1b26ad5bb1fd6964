/*
 * windows-convert.h: what the Windows agent decides, apart from where it reads it.
 *
 * live-windows.c reads the IP Helper API (GetAdaptersAddresses, GetIpForwardTable2) and the
 * registry (Tcpip\Parameters\Interfaces\{GUID}) and copies what it needs into the plain
 * structures below; these functions turn them into the model: which origin an address has,
 * which DNS server was configured and which came from DHCP, the lease, which routes are static
 * and which default routes are gateways, with what metric.  No windows.h here: the same code
 * builds on Linux, where test-windows-convert.c drives it with the cases Wine cannot show
 * (DHCP on, leases, DHCP-supplied DNS, IPv6 gateways, routing-protocol routes).
 *
 * The WC_* values are those of the Windows SDK (nldef.h, ipifcons.h, iprtrmib.h);
 * live-windows.c checks each against its header at compile time.
 */
#ifndef GN_WINDOWS_CONVERT_H
#define GN_WINDOWS_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* IP_PREFIX_ORIGIN and IP_SUFFIX_ORIGIN (nldef.h) */
enum {
	WC_PREFIX_ORIGIN_OTHER = 0,
	WC_PREFIX_ORIGIN_MANUAL = 1,
	WC_PREFIX_ORIGIN_WELL_KNOWN = 2,
	WC_PREFIX_ORIGIN_DHCP = 3,
	WC_PREFIX_ORIGIN_ROUTER_ADVERTISEMENT = 4,
};
enum {
	WC_SUFFIX_ORIGIN_OTHER = 0,
	WC_SUFFIX_ORIGIN_MANUAL = 1,
	WC_SUFFIX_ORIGIN_WELL_KNOWN = 2,
	WC_SUFFIX_ORIGIN_DHCP = 3,
	WC_SUFFIX_ORIGIN_LINK_LAYER_ADDRESS = 4,
	WC_SUFFIX_ORIGIN_RANDOM = 5,
};

/* IANA ifType (ipifcons.h IF_TYPE_*) */
enum {
	WC_IF_TYPE_ETHERNET_CSMACD = 6,
	WC_IF_TYPE_SOFTWARE_LOOPBACK = 24,
	WC_IF_TYPE_FASTETHER = 62,
	WC_IF_TYPE_IEEE80211 = 71,
	WC_IF_TYPE_GIGABITETHERNET = 117,
	WC_IF_TYPE_TUNNEL = 131,
};

/* NL_ROUTE_PROTOCOL (MIB_IPPROTO_*) and NL_ROUTE_ORIGIN */
enum {
	WC_ROUTE_PROTOCOL_LOCAL = 2,
	WC_ROUTE_PROTOCOL_NETMGMT = 3,
	WC_ROUTE_PROTOCOL_NT_STATIC = 10006,         /* Routing and Remote Access static routes */
	WC_ROUTE_PROTOCOL_NT_STATIC_NON_DOD = 10007,
};
enum {
	WC_ROUTE_ORIGIN_MANUAL = 0,
	WC_ROUTE_ORIGIN_WELL_KNOWN = 1,
	WC_ROUTE_ORIGIN_DHCP = 2,
	WC_ROUTE_ORIGIN_ROUTER_ADVERTISEMENT = 3,
	WC_ROUTE_ORIGIN_6TO4 = 4,
};

/* Metric value meaning "not set" in the IP Helper API and the NSI store. */
#define WC_METRIC_UNSET UINT32_MAX
/* A lifetime that never ends (ValidLifetime, LeaseLifetime). */
#define WC_LIFETIME_INFINITE UINT32_MAX

/* A list of addresses read from one registry value. */
struct wc_ip_list {
	struct gn_ip v[GN_MAX_ADDRESSES];
	size_t n;
};

/* What a registry list held that did not become an address. */
struct wc_parse_report {
	unsigned bad;          /* entries that are not addresses of the family */
	char first_bad[65];    /* the first of them, cut to 64 bytes */
	bool capped;           /* entries past the cap were dropped */
};

/*
 * What Tcpip\Parameters\Interfaces\{GUID} and Tcpip6\Parameters\Interfaces\{GUID} say of one
 * interface: the configuration behind what the IP Helper API reports.  Index [0] is IPv4
 * (Tcpip), [1] IPv6 (Tcpip6).
 */
struct wc_tcpip {
	bool found[2];                          /* the key exists */
	int enable_dhcp;                        /* EnableDHCP: -1 not read, 0, 1 */
	struct wc_ip_list ip_address;           /* IPAddress: the configured IPv4 addresses */
	struct gn_ip dhcp_ip_address;           /* DhcpIPAddress: the leased one, family 0: none */
	struct gn_ip dhcp_server;               /* DhcpServer */
	int64_t lease_obtained;                 /* LeaseObtainedTime, GN_UNSET: not read */
	int64_t lease_terminates;               /* LeaseTerminatesTime */
	struct wc_ip_list name_server[2];       /* NameServer: configured DNS servers */
	struct wc_ip_list dhcp_name_server[2];  /* DhcpNameServer, Dhcpv6DNSServers */
};

void wc_tcpip_init(struct wc_tcpip *t);

/* One adapter's flags and values that decide modes, origins and metrics. */
struct wc_adapter {
	bool ipv4_enabled;         /* IP_ADAPTER_IPV4_ENABLED */
	bool ipv6_enabled;         /* IP_ADAPTER_IPV6_ENABLED */
	bool dhcpv4_enabled;       /* IP_ADAPTER_DHCP_ENABLED */
	bool dhcpv6_managed;       /* IP_ADAPTER_IPV6_MANAGE_ADDRESS_CONFIG: the router's M flag */
	uint32_t ipv4_metric;      /* interface metrics, added to a route's */
	uint32_t ipv6_metric;
	struct gn_ip dhcpv4_server;  /* Dhcpv4Server, family 0 when none */
};

/* One unicast address (IP_ADAPTER_UNICAST_ADDRESS). */
struct wc_unicast {
	struct gn_ip ip;
	unsigned prefix;           /* OnLinkPrefixLength */
	int prefix_origin;
	int suffix_origin;
	uint32_t lease_lifetime;   /* seconds left of a DHCP lease */
};

/* One row of the forward table (MIB_IPFORWARD_ROW2). */
struct wc_route {
	struct gn_ip destination;
	unsigned prefix;
	struct gn_ip next_hop;     /* unspecified: on-link */
	unsigned protocol;         /* WC_ROUTE_PROTOCOL_* */
	unsigned origin;           /* WC_ROUTE_ORIGIN_* */
	uint32_t metric;           /* the route's own metric, added to the interface's */
	bool loopback;
};

enum wc_route_kind {
	WC_ROUTE_SKIP,     /* derived by the stack, learned, or not a route the document keeps */
	WC_ROUTE_GATEWAY,  /* a default route: the interface's gateway */
	WC_ROUTE_STATIC,   /* a static route: <route> */
};

/* IANA ifType to the document's interface type. */
enum gn_iftype wc_iftype(uint32_t iftype);

/* ipv4/@mode and ipv6/@mode of an adapter. */
enum gn_mode wc_ipv4_mode(const struct wc_adapter *a);
enum gn_mode wc_ipv6_mode(const struct wc_adapter *a);

/* address/@origin of a unicast address; t may be NULL (no registry). */
enum gn_origin wc_address_origin(const struct wc_adapter *a, const struct wc_tcpip *t,
				 const struct wc_unicast *u);

/*
 * True for an IPv6 privacy address (RFC 4941: a router-advertised prefix with a random suffix,
 * ipconfig's "Temporary IPv6 Address"): it changes every day or so and is no configuration, so
 * it is left out, as the Linux agent leaves out IFA_F_TEMPORARY addresses.
 */
bool wc_address_temporary(const struct wc_unicast *u);

/* dns/@origin of a server the adapter lists: configured (static), DHCP, or not known (UNSET). */
enum gn_origin wc_dns_origin(const struct wc_tcpip *t, const struct gn_ip *ip);

/* True for fec0:0:0:ffff::1-3, the site-local resolvers Windows lists when none is configured. */
bool wc_dns_placeholder(const struct gn_ip *ip);

/*
 * The IPv4 lease of a DHCP interface: server, obtained and expiry times from the registry where
 * known, else the adapter's DHCP server and now plus the address's seconds left.
 */
void wc_set_lease(struct gn_lease *l, const struct wc_adapter *a, const struct wc_tcpip *t,
		  uint32_t lease_lifetime, int64_t now);

/* What a route row is to the document. */
enum wc_route_kind wc_route_kind(const struct wc_route *rt);

/* The metric Windows compares: the interface's plus the route's; GN_UNSET if either is unset. */
int64_t wc_metric(uint32_t interface_metric, uint32_t route_metric);

/*
 * Add a route row of interface ifc (whose adapter is a) to g: a default route as a gateway of
 * ifc, a static route as a <route> naming ifc.  Returns 1 when added, 0 when skipped or already
 * there, -EINVAL for a row whose prefix is too long, else what the model's add function returns
 * (-E2BIG at the cap, -ENOMEM).
 */
int wc_add_route(struct gn_guest *g, struct gn_interface *ifc, const struct wc_adapter *a,
		 const struct wc_route *rt);

/*
 * Parse a registry list of addresses of family into l (appending, at most max entries, 0.0.0.0
 * placeholders and duplicates dropped): s holds len bytes of entries separated by commas, white
 * space, semicolons or NULs, so it reads both a NameServer REG_SZ ("10.0.0.1,10.0.0.2" or
 * "10.0.0.1 10.0.0.2") and a REG_MULTI_SZ converted to UTF-8.  What was dropped is in rep.
 */
void wc_parse_ip_list(const char *s, size_t len, int family, size_t max, struct wc_ip_list *l,
		      struct wc_parse_report *rep);

/* Parse Dhcpv6DNSServers, a REG_BINARY of 16-byte IPv6 addresses: 0, or -EINVAL when len is
 * not a multiple of 16. */
int wc_parse_ip6_binary(const uint8_t *b, size_t len, size_t max, struct wc_ip_list *l,
			struct wc_parse_report *rep);

bool wc_ip_list_contains(const struct wc_ip_list *l, const struct gn_ip *ip);

#endif
