/*
 * hive.c: the Windows registry collector: network settings from an offline SYSTEM hive (hivex).
 *
 * gn_hive_read opens the hive read-only, resolves the current control set through Select\Current
 * (never assuming ControlSet001), and joins, for every interface under
 * Services\Tcpip\Parameters\Interfaces, what Windows spreads over other keys:
 *
 *   Control\Network\{4D36E972-...}\{GUID}\Connection   friendly name, PnP instance id
 *   Control\Class\{4D36E972-...}\NNNN                  description, *IfType, MAC override, VLAN,
 *                                                       NET_LUID index (NetCfgInstanceId = GUID)
 *   Control\NetworkSetup2\Interfaces\{GUID}\Kernel     hardware MAC (Windows 10 and later)
 *   Control\Nsi\{eb004a11-...}\10                      hardware MAC (Windows 7 / 8.1, by NET_LUID)
 *   Control\Nsi\{eb004a00/01-...}\10, \16              persistent IPv4/IPv6 addresses and routes
 *   Enum\<PnP instance>\ConfigFlags                     adapter disabled in Device Manager
 *   Services\NetBT\Parameters\Interfaces\Tcpip_{GUID}  WINS servers
 *   Services\Tcpip6\Parameters\Interfaces\{GUID}       IPv6 DNS servers
 *
 * Registry data is untrusted: every value's type and size is checked before use, every list is
 * capped, and anything unreadable becomes a <warning> of the guest instead of a silent gap.  Key
 * and value names are looked up case-insensitively, as Windows does (hivex_node_get_child and
 * hivex_node_get_value compare without case), because real hives spell them differently
 * (Hostname / HostName, PnpInstanceID / PnPInstanceId, lower- and upper-case GUID key names).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hivex.h>

#include "cleanup.h"
#include "model.h"

/* Class keys (NNNN) scanned to join NetCfgInstanceId to interfaces: Windows numbers them
 * 0000-9999, so more than that is a damaged or hostile hive. */
#define HIVE_MAX_CLASS_KEYS 10000
/* Registry path components walked in one lookup (the paths are ours, so this guards only). */
#define HIVE_MAX_PATH_DEPTH 16
/* Entries taken from one separated list value (NameServer) before it is cut. */
#define HIVE_MAX_LIST_ENTRIES GN_MAX_DNS

#define CLASS_NET "{4D36E972-E325-11CE-BFC1-08002BE10318}"
#define NSI_IPV4 "{eb004a00-9b1a-11d4-9123-0050047759bc}"
#define NSI_IPV6 "{eb004a01-9b1a-11d4-9123-0050047759bc}"
#define NSI_NDIS "{eb004a11-9b1a-11d4-9123-0050047759bc}"
/* The node id of Windows' NIC-less pseudo-interfaces: bytes 0x80 'n' 'o' 'n' 'i' 'c'. */
#define NONIC_SUFFIX "-806E6F6E6963}"
/* Enum\...\ConfigFlags bit set when the device is disabled (CONFIGFLAG_DISABLED, regstr.h). */
#define CONFIGFLAG_DISABLED 0x00000001u
/* Tcpip6\Parameters\DisabledComponents bit that disables IPv6 on all non-tunnel interfaces. */
#define IPV6_DISABLED_NATIVE 0x10u

struct class_entry {
	char guid[GN_GUID_TEXT_MAX];
	hive_node_h node;
};

struct luid_entry {
	uint64_t luid;
	struct gn_interface *ifc;
};

struct hive {
	hive_h *h;
	struct gn_guest *g;
	hive_node_h cs;       /* the current control set */
	hive_node_h tcpip;    /* Services\Tcpip\Parameters */
	hive_node_h tcpip6;   /* Services\Tcpip6\Parameters, 0 before Vista */
	/* keys read once per interface, found once per hive: a lookup decodes the name of every
	 * sibling, and Services has hundreds */
	hive_node_h netbt;    /* Services\NetBT\Parameters\Interfaces */
	hive_node_h network;  /* Control\Network\{4D36E972-...} */
	hive_node_h setup2;   /* Control\NetworkSetup2\Interfaces, Windows 10 and later */
	hive_node_h enum_root; /* Enum */
	GN_ARRAY(struct class_entry) classes;
	GN_ARRAY(struct luid_entry) luids;  /* NET_LUID of each interface read, for the NSI store */
};

/*
 * Values.  Each reader returns 1 with the value, 0 when the value is absent, or a negative errno
 * after adding a warning that names where (ctx), which value and what was wrong.
 */

static const char *type_name(hive_type t)
{
	static const char *const names[] = {
		"REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
		"REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST",
		"REG_FULL_RESOURCE_DESCRIPTOR", "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD",
	};
	return (unsigned)t < GN_ELEMENTSOF(names) ? names[t] : "an unknown type";
}

/* Find value name under node and check its size; *t gets its type. */
static int find_value(struct hive *hv, hive_node_h node, const char *ctx, const char *name,
		      hive_value_h *ret, hive_type *t, size_t *len)
{
	hive_value_h v;

	if (!node)
		return 0;
	errno = 0;
	v = hivex_node_get_value(hv->h, node, name);
	if (!v) {
		if (errno == 0 || errno == ENOENT)
			return 0;
		gn_guest_warn(hv->g, "%s: value '%s' could not be read: %s", ctx, name, strerror(errno));
		return -errno;
	}
	if (hivex_value_type(hv->h, v, t, len) < 0) {
		gn_guest_warn(hv->g, "%s: value '%s' could not be read: %s", ctx, name, strerror(errno));
		return -EBADMSG;
	}
	if (*len > GN_MAX_VALUE_BYTES) {
		gn_guest_warn(hv->g, "%s: value '%s' is too large (%zu bytes; limit %u)", ctx, name,
			      *len, GN_MAX_VALUE_BYTES);
		return -E2BIG;
	}
	*ret = v;
	return 1;
}

static int wrong_type(struct hive *hv, const char *ctx, const char *name, const char *want,
		      hive_type t)
{
	gn_guest_warn(hv->g, "%s: value '%s' is %s, not %s", ctx, name, type_name(t), want);
	return -EBADMSG;
}

static int undecodable(struct hive *hv, const char *ctx, const char *name)
{
	gn_guest_warn(hv->g, "%s: value '%s' is not valid UTF-16", ctx, name);
	return -EILSEQ;
}

/* REG_SZ or REG_EXPAND_SZ, as UTF-8; an empty string counts as absent. */
static int read_sz(struct hive *hv, hive_node_h node, const char *ctx, const char *name,
		   char **ret)
{
	hive_value_h v;
	hive_type t;
	size_t len;
	char *s;
	int r = find_value(hv, node, ctx, name, &v, &t, &len);

	if (r <= 0)
		return r;
	if (t != hive_t_REG_SZ && t != hive_t_REG_EXPAND_SZ)
		return wrong_type(hv, ctx, name, "REG_SZ", t);
	s = hivex_value_string(hv->h, v);
	if (!s)
		return undecodable(hv, ctx, name);
	if (!s[0]) {
		free(s);
		return 0;
	}
	*ret = s;
	return 1;
}

/* REG_MULTI_SZ (a REG_SZ is taken as a list of one, as some tools write it). */
static int read_multi(struct hive *hv, hive_node_h node, const char *ctx, const char *name,
		      char ***ret)
{
	hive_value_h v;
	hive_type t;
	size_t len;
	char **list;
	int r = find_value(hv, node, ctx, name, &v, &t, &len);

	if (r <= 0)
		return r;
	if (t == hive_t_REG_SZ || t == hive_t_REG_EXPAND_SZ) {
		char *s = hivex_value_string(hv->h, v);
		if (!s)
			return undecodable(hv, ctx, name);
		list = calloc(2, sizeof(*list));
		if (!list) {
			free(s);
			return -ENOMEM;
		}
		list[0] = s;
	} else if (t == hive_t_REG_MULTI_SZ) {
		list = hivex_value_multiple_strings(hv->h, v);
		if (!list)
			return undecodable(hv, ctx, name);
	} else
		return wrong_type(hv, ctx, name, "REG_MULTI_SZ", t);
	/* hivex returns the empty string that terminates the list as a last entry */
	size_t n = 0;
	while (list[n])
		n++;
	while (n > 0 && !list[n - 1][0]) {
		free(list[--n]);
		list[n] = NULL;
	}
	*ret = list;
	return 1;
}

/* REG_DWORD (or a decimal REG_SZ, as drivers write VlanId and some tools write numbers). */
static int read_dword(struct hive *hv, hive_node_h node, const char *ctx, const char *name,
		      uint32_t *ret)
{
	hive_value_h v;
	hive_type t;
	size_t len;
	int r = find_value(hv, node, ctx, name, &v, &t, &len);

	if (r <= 0)
		return r;
	if ((t == hive_t_REG_DWORD || t == hive_t_REG_DWORD_BIG_ENDIAN) && len == 4) {
		*ret = (uint32_t)hivex_value_dword(hv->h, v);
		return 1;
	}
	if (t == hive_t_REG_SZ) {
		_cleanup_free_ char *s = hivex_value_string(hv->h, v);
		char *end;
		unsigned long n;

		if (!s)
			return undecodable(hv, ctx, name);
		errno = 0;
		n = strtoul(s, &end, 10);
		if (s[0] >= '0' && s[0] <= '9' && !*end && errno == 0 && n <= UINT32_MAX) {
			*ret = (uint32_t)n;
			return 1;
		}
		gn_guest_warn(hv->g, "%s: value '%s' is not a number", ctx, name);
		return -EBADMSG;
	}
	return wrong_type(hv, ctx, name, "REG_DWORD", t);
}

/* REG_BINARY (or any type: some Windows versions store binary data as REG_NONE). */
static int read_binary(struct hive *hv, hive_node_h node, const char *ctx, const char *name,
		       uint8_t **ret, size_t *ret_len)
{
	hive_value_h v;
	hive_type t;
	size_t len;
	char *data;
	int r = find_value(hv, node, ctx, name, &v, &t, &len);

	if (r <= 0)
		return r;
	data = hivex_value_value(hv->h, v, &t, &len);
	if (!data) {
		gn_guest_warn(hv->g, "%s: value '%s' could not be read: %s", ctx, name,
			      strerror(errno));
		return -EBADMSG;
	}
	*ret = (uint8_t *)data;
	*ret_len = len;
	return 1;
}

/*
 * The key at a backslash-separated path below node, or 0 when any part is missing.  A key whose
 * subkey list cannot be read (a damaged hive) is a warning, once per key.
 */
static hive_node_h key(struct hive *hv, hive_node_h node, const char *path)
{
	char part[256];
	int depth = 0;

	while (node && *path && depth++ < HIVE_MAX_PATH_DEPTH) {
		size_t n = strcspn(path, "\\");
		hive_node_h parent = node;

		if (n >= sizeof(part))
			return 0;
		memcpy(part, path, n);
		part[n] = '\0';
		errno = 0;
		node = hivex_node_get_child(hv->h, node, part);
		if (!node && errno) {
			int saved = errno;
			_cleanup_free_ char *name = hivex_node_name(hv->h, parent);
			gn_guest_warn(hv->g, "key '%.100s': its subkeys could not be read (%s) looking for '%s'",
				      name ? name : "?", strerror(saved), part);
			return 0;
		}
		path += n;
		if (*path == '\\')
			path++;
	}
	return *path ? 0 : node;
}

/*
 * Adding to the model.  Limits and invalid values become warnings here, once per value.
 */

static void warn_add(struct hive *hv, int r, const char *ctx, const char *what, const char *value)
{
	if (r == -E2BIG)
		gn_guest_warn(hv->g, "%s: too many %s entries (a limit of guestnet.h); the rest were dropped",
			      ctx, what);
	else if (r == -ENOMEM)
		gn_guest_warn(hv->g, "%s: out of memory adding %s", ctx, what);
	else if (r < 0 && value)
		gn_guest_warn(hv->g, "%s: %s '%.100s' is not valid", ctx, what, value);
	else if (r < 0)
		gn_guest_warn(hv->g, "%s: a %s is not valid", ctx, what);
}

static void set_string(struct hive *hv, char **field, const char *ctx, const char *what,
		       const char *value)
{
	int r = gn_set_string(field, value);

	if (r == -E2BIG)
		gn_guest_warn(hv->g, "%s: %s is longer than %d bytes", ctx, what, GN_MAX_STRING);
	else if (r < 0)
		gn_guest_warn(hv->g, "%s: %s holds characters that cannot be written", ctx, what);
}

/* Parse s as an address of family; warn (with the value's name) when it is not one. */
static int parse_ip(struct hive *hv, const char *ctx, const char *name, const char *s,
		    int family, struct gn_ip *ret)
{
	if (gn_ip_parse_family(s, family, ret) == 0)
		return 0;
	gn_guest_warn(hv->g, "%s: value '%s': '%.64s' is not an %s address", ctx, name, s,
		      family == GN_AF_INET ? "IPv4" : "IPv6");
	return -EINVAL;
}

/*
 * DNS servers from a REG_SZ list separated by commas or spaces (NameServer: either,
 * DhcpNameServer: spaces).  Stops at the cap with one warning.
 */
static void add_dns_list(struct hive *hv, gn_dns_list *list, hive_node_h node, const char *ctx,
			 const char *name, int family, enum gn_origin origin)
{
	_cleanup_free_ char *s = NULL;
	char *save = NULL;
	unsigned bad = 0;
	const char *first_bad = NULL;

	if (read_sz(hv, node, ctx, name, &s) <= 0)
		return;
	for (char *tok = strtok_r(s, ", \t;", &save); tok; tok = strtok_r(NULL, ", \t;", &save)) {
		struct gn_ip ip;
		int r;

		if (gn_ip_parse_family(tok, family, &ip) < 0) {
			if (!bad++)
				first_bad = tok;
			continue;
		}
		r = gn_dns_list_add(list, &ip, origin);
		if (r == -E2BIG) {
			gn_guest_warn(hv->g, "%s: value '%s' lists more than %d servers; kept the first %d",
				      ctx, name, GN_MAX_DNS, GN_MAX_DNS);
			break;
		}
		if (r < 0)
			warn_add(hv, r, ctx, "DNS server", tok);
	}
	if (bad == 1)
		gn_guest_warn(hv->g, "%s: value '%s': '%.64s' is not an %s address", ctx, name, first_bad,
			      family == GN_AF_INET ? "IPv4" : "IPv6");
	else if (bad)
		gn_guest_warn(hv->g, "%s: value '%s': %u entries are not %s addresses, the first '%.64s'",
			      ctx, name, bad, family == GN_AF_INET ? "IPv4" : "IPv6", first_bad);
}

/* IPv4 addresses from two parallel REG_MULTI_SZ values (IPAddress + SubnetMask). */
static void add_v4_addresses(struct hive *hv, struct gn_ipconf *c, hive_node_h node,
			     const char *ctx, const char *addr_name, const char *mask_name,
			     enum gn_origin origin)
{
	_cleanup_(gn_strv_freep) char **addrs = NULL, **masks = NULL;
	size_t i;

	if (read_multi(hv, node, ctx, addr_name, &addrs) <= 0)
		return;
	if (read_multi(hv, node, ctx, mask_name, &masks) < 0)
		return;
	for (i = 0; addrs[i]; i++) {
		struct gn_ip ip, mask;
		unsigned prefix;
		int r;

		if (!addrs[i][0] || parse_ip(hv, ctx, addr_name, addrs[i], GN_AF_INET, &ip) < 0)
			continue;
		if (gn_ip_is_unspecified(&ip))
			continue;  /* the 0.0.0.0 placeholder */
		if (!masks || !masks[i]) {
			gn_guest_warn(hv->g, "%s: address %s has no '%s' entry", ctx, addrs[i], mask_name);
			continue;
		}
		if (parse_ip(hv, ctx, mask_name, masks[i], GN_AF_INET, &mask) < 0)
			continue;
		if (gn_mask_to_prefix(&mask, &prefix) < 0) {
			gn_guest_warn(hv->g, "%s: address %s: subnet mask %s is not contiguous", ctx,
				      addrs[i], masks[i]);
			continue;
		}
		r = gn_ipconf_add_address(c, &ip, prefix, origin);
		if (r < 0) {
			warn_add(hv, r, ctx, "address", addrs[i]);
			if (r == -E2BIG)
				break;
		}
	}
}

/* Gateways from a REG_MULTI_SZ, with metrics from a parallel REG_MULTI_SZ of decimals
 * (DefaultGatewayMetric: "0" means the automatic metric, written as no metric). */
static void add_v4_gateways(struct hive *hv, struct gn_ipconf *c, hive_node_h node,
			    const char *ctx, const char *name, const char *metric_name)
{
	_cleanup_(gn_strv_freep) char **gws = NULL, **metrics = NULL;

	if (read_multi(hv, node, ctx, name, &gws) <= 0)
		return;
	if (metric_name && read_multi(hv, node, ctx, metric_name, &metrics) < 0)
		metrics = NULL;
	for (size_t i = 0; gws[i]; i++) {
		struct gn_ip ip;
		int64_t metric = GN_UNSET;
		int r;

		if (!gws[i][0] || parse_ip(hv, ctx, name, gws[i], GN_AF_INET, &ip) < 0)
			continue;
		if (metrics && metrics[i] && metrics[i][0]) {
			char *end;
			long long m = strtoll(metrics[i], &end, 10);
			if (*end || m < INT32_MIN || m > UINT32_MAX)
				gn_guest_warn(hv->g, "%s: value '%s': '%.32s' is not a metric", ctx,
					      metric_name, metrics[i]);
			else if (m != 0)
				metric = m;
		}
		r = gn_ipconf_add_gateway(c, &ip, metric);
		if (r < 0) {
			warn_add(hv, r, ctx, "gateway", gws[i]);
			if (r == -E2BIG)
				break;
		}
	}
}

/* A REG_DWORD holding seconds since the epoch (Lease*Time). */
static int64_t read_time(struct hive *hv, hive_node_h node, const char *ctx, const char *name)
{
	uint32_t t;

	return read_dword(hv, node, ctx, name, &t) > 0 ? (int64_t)t : GN_UNSET;
}

/* The DHCP lease: address, gateways, server and times. */
static void read_v4_lease(struct hive *hv, struct gn_ipconf *c, hive_node_h tk, const char *ctx)
{
	_cleanup_free_ char *server = NULL, *addr = NULL, *mask = NULL;
	struct gn_ip ip, m;
	unsigned prefix;
	uint32_t seconds;

	if (read_sz(hv, tk, ctx, "DhcpIPAddress", &addr) > 0 &&
	    parse_ip(hv, ctx, "DhcpIPAddress", addr, GN_AF_INET, &ip) == 0 &&
	    !gn_ip_is_unspecified(&ip)) {
		if (read_sz(hv, tk, ctx, "DhcpSubnetMask", &mask) <= 0 ||
		    parse_ip(hv, ctx, "DhcpSubnetMask", mask, GN_AF_INET, &m) < 0)
			gn_guest_warn(hv->g, "%s: DHCP address %s has no valid 'DhcpSubnetMask'", ctx, addr);
		else if (gn_mask_to_prefix(&m, &prefix) < 0)
			gn_guest_warn(hv->g, "%s: DHCP address %s: subnet mask %s is not contiguous",
				      ctx, addr, mask);
		else
			gn_ipconf_add_address(c, &ip, prefix, GN_ORIGIN_DHCP);
	}
	if (c->addresses.n == 0)
		return;  /* no lease held: whatever else is there is left over from an old one */

	add_v4_gateways(hv, c, tk, ctx, "DhcpDefaultGateway", NULL);
	/* DhcpServer 255.255.255.255 is what Windows leaves when no server answered */
	if (read_sz(hv, tk, ctx, "DhcpServer", &server) > 0 &&
	    parse_ip(hv, ctx, "DhcpServer", server, GN_AF_INET, &ip) == 0 &&
	    !(ip.b[0] == 255 && ip.b[1] == 255 && ip.b[2] == 255 && ip.b[3] == 255))
		c->lease.server = ip;
	c->lease.obtained = read_time(hv, tk, ctx, "LeaseObtainedTime");
	c->lease.expires = read_time(hv, tk, ctx, "LeaseTerminatesTime");
	if (c->lease.expires == GN_UNSET && c->lease.obtained != GN_UNSET &&
	    read_dword(hv, tk, ctx, "Lease", &seconds) > 0)
		c->lease.expires = c->lease.obtained + seconds;
}

/* Automatic private addressing (169.254/16) that Windows took when DHCP failed. */
static void read_v4_autoconf(struct hive *hv, struct gn_ipconf *c, hive_node_h tk, const char *ctx)
{
	_cleanup_free_ char *addr = NULL, *mask = NULL;
	struct gn_ip ip, m;
	unsigned prefix = 16;

	if (c->addresses.n || read_sz(hv, tk, ctx, "IPAutoconfigurationAddress", &addr) <= 0 ||
	    parse_ip(hv, ctx, "IPAutoconfigurationAddress", addr, GN_AF_INET, &ip) < 0 ||
	    gn_ip_is_unspecified(&ip))
		return;
	if (read_sz(hv, tk, ctx, "IPAutoconfigurationMask", &mask) > 0 &&
	    (gn_ip_parse_family(mask, GN_AF_INET, &m) < 0 || gn_mask_to_prefix(&m, &prefix) < 0))
		prefix = 16;
	gn_ipconf_add_address(c, &ip, prefix, GN_ORIGIN_LINK_LOCAL);
}

static void read_ipv4(struct hive *hv, struct gn_interface *ifc, hive_node_h tk, const char *ctx)
{
	struct gn_ipconf *c = &ifc->v4;
	_cleanup_free_ char *domain = NULL;
	uint32_t dhcp, mtu;

	int r = read_dword(hv, tk, ctx, "EnableDHCP", &dhcp);

	if (r == 0)
		gn_guest_warn(hv->g, "%s: no 'EnableDHCP' value; taken as static", ctx);
	c->mode = r > 0 && dhcp ? GN_MODE_DHCP : GN_MODE_STATIC;

	/* static entries count in both modes: Windows keeps and uses them next to a lease */
	add_v4_addresses(hv, c, tk, ctx, "IPAddress", "SubnetMask", GN_ORIGIN_STATIC);
	add_v4_gateways(hv, c, tk, ctx, "DefaultGateway", "DefaultGatewayMetric");
	if (c->mode == GN_MODE_DHCP) {
		read_v4_lease(hv, c, tk, ctx);
		read_v4_autoconf(hv, c, tk, ctx);
	}

	/* configured servers win over DHCP-supplied ones, as the resolver does */
	add_dns_list(hv, &c->dns, tk, ctx, "NameServer", GN_AF_INET, GN_ORIGIN_STATIC);
	if (c->dns.n == 0 && c->mode == GN_MODE_DHCP)
		add_dns_list(hv, &c->dns, tk, ctx, "DhcpNameServer", GN_AF_INET, GN_ORIGIN_DHCP);

	if (read_sz(hv, tk, ctx, "Domain", &domain) > 0 ||
	    (c->mode == GN_MODE_DHCP && read_sz(hv, tk, ctx, "DhcpDomain", &domain) > 0))
		set_string(hv, &ifc->dns_suffix, ctx, "DNS suffix", domain);

	if (read_dword(hv, tk, ctx, "MTU", &mtu) > 0) {
		if (mtu >= 68 && mtu <= 65535)
			ifc->mtu = mtu;
		else
			gn_guest_warn(hv->g, "%s: value 'MTU' %" PRIu32 " is out of range", ctx, mtu);
	}
}

/* WINS servers: NetBT\Parameters\Interfaces\Tcpip_{GUID}, configured first, else from DHCP. */
static void read_wins(struct hive *hv, struct gn_interface *ifc)
{
	char path[256], ctx[256];
	hive_node_h nk;

	snprintf(path, sizeof(path), "Tcpip_%s", ifc->id);
	snprintf(ctx, sizeof(ctx), "NetBT interface Tcpip_%s", ifc->id);
	nk = key(hv, hv->netbt, path);
	if (!nk)
		return;
	for (int pass = 0; pass < 2 && ifc->v4.wins.n == 0; pass++) {
		_cleanup_(gn_strv_freep) char **list = NULL;
		const char *name = pass ? "DhcpNameServerList" : "NameServerList";

		if (pass && ifc->v4.mode != GN_MODE_DHCP)
			break;
		if (read_multi(hv, nk, ctx, name, &list) <= 0)
			continue;
		for (size_t i = 0; list[i]; i++) {
			struct gn_ip ip;
			int r;

			if (!list[i][0] || parse_ip(hv, ctx, name, list[i], GN_AF_INET, &ip) < 0)
				continue;
			r = gn_ipconf_add_wins(&ifc->v4, &ip);
			if (r < 0) {
				warn_add(hv, r, ctx, "WINS server", list[i]);
				if (r == -E2BIG)
					break;
			}
		}
	}
}

/* Index Control\Class\{4D36E972-...}\NNNN by NetCfgInstanceId, once per hive. */
static void index_classes(struct hive *hv)
{
	const char *ctx = "Control\\Class\\" CLASS_NET;
	_cleanup_free_ hive_node_h *children = NULL;
	hive_node_h ck = key(hv, hv->cs, "Control\\Class\\" CLASS_NET);
	size_t n;

	if (!ck) {
		gn_guest_warn(hv->g, "key '%s' is missing: no adapter descriptions, types or MAC overrides",
			      ctx);
		return;
	}
	children = hivex_node_children(hv->h, ck);
	if (!children) {
		gn_guest_warn(hv->g, "key '%s' could not be read: %s", ctx, strerror(errno));
		return;
	}
	for (n = 0; children[n]; n++) {
		_cleanup_free_ char *id = NULL;
		struct class_entry *e;
		char ectx[80];

		if (n == HIVE_MAX_CLASS_KEYS) {
			gn_guest_warn(hv->g, "key '%s' has more than %d subkeys; the rest were not read",
				      ctx, HIVE_MAX_CLASS_KEYS);
			break;
		}
		snprintf(ectx, sizeof(ectx), "adapter class key %zu", n);
		if (read_sz(hv, children[n], ectx, "NetCfgInstanceId", &id) <= 0)
			continue;  /* the Properties key and adapters never configured */
		if (GN_ARRAY_PUSH(&hv->classes, HIVE_MAX_CLASS_KEYS, &e) < 0)
			break;
		if (gn_guid_normalize(id, e->guid) < 0) {
			hv->classes.n--;
			continue;
		}
		e->node = children[n];
	}
}

static hive_node_h find_class(struct hive *hv, const char *guid)
{
	for (size_t i = 0; i < hv->classes.n; i++)
		if (strcmp(hv->classes.v[i].guid, guid) == 0)
			return hv->classes.v[i].node;
	return 0;
}

/* IANA ifType (the NDIS *IfType keyword) to the document's interface types. */
static enum gn_iftype iftype_of(uint32_t t)
{
	switch (t) {
	case 6:   /* ethernetCsmacd */
		return GN_IFTYPE_ETHERNET;
	case 71:  /* ieee80211 */
		return GN_IFTYPE_WIRELESS;
	case 24:  /* softwareLoopback */
		return GN_IFTYPE_LOOPBACK;
	case 131: /* tunnel */
		return GN_IFTYPE_TUNNEL;
	default:
		return GN_IFTYPE_OTHER;
	}
}

static void set_mac_bytes(struct hive *hv, struct gn_interface *ifc, bool permanent,
			  const uint8_t *b, size_t len, const char *ctx, const char *name)
{
	char mac[GN_MAC_TEXT_MAX];

	if (len != 6) {
		gn_guest_warn(hv->g, "%s: value '%s' holds %zu bytes, not a 6-byte MAC address", ctx,
			      name, len);
		return;
	}
	if (gn_mac_from_bytes(b, mac) < 0)
		return;  /* all zero: no address */
	if (permanent)
		gn_interface_set_permanent_mac(ifc, mac);
	else
		gn_interface_set_mac(ifc, mac);
}

/* Hardware MAC on Windows 10 and later: NetworkSetup2\Interfaces\{GUID}\Kernel. */
static void read_setup2_mac(struct hive *hv, struct gn_interface *ifc)
{
	static const char *const names[] = { "PermanentAddress", "CurrentAddress" };
	char path[256], ctx[256];
	hive_node_h kk;

	snprintf(path, sizeof(path), "%s\\Kernel", ifc->id);
	snprintf(ctx, sizeof(ctx), "key 'NetworkSetup2\\Interfaces\\%s\\Kernel'", ifc->id);
	kk = key(hv, hv->setup2, path);
	for (int i = 0; kk && i < 2; i++) {
		_cleanup_free_ uint8_t *b = NULL;
		size_t len;

		if (read_binary(hv, kk, ctx, names[i], &b, &len) > 0)
			set_mac_bytes(hv, ifc, i == 0, b, len, ctx, names[i]);
	}
}

/* Name, description, type, MACs, VLAN, NET_LUID and enabled state. */
static uint64_t read_identity(struct hive *hv, struct gn_interface *ifc, hive_node_h ck)
{
	uint64_t luid = 0;
	_cleanup_free_ char *name = NULL, *pnp = NULL, *desc = NULL, *override = NULL;
	char path[256], ctx[256];
	hive_node_h conn;
	uint32_t iftype = 0, index, vlan, flags;
	bool has_iftype = false;

	snprintf(path, sizeof(path), "%s\\Connection", ifc->id);
	snprintf(ctx, sizeof(ctx), "connection %s", ifc->id);
	conn = key(hv, hv->network, path);
	if (conn) {
		if (read_sz(hv, conn, ctx, "Name", &name) > 0)
			set_string(hv, &ifc->name, ctx, "name", name);
		read_sz(hv, conn, ctx, "PnpInstanceID", &pnp);
	}

	snprintf(ctx, sizeof(ctx), "adapter %s", ifc->id);
	if (ck) {
		if (read_sz(hv, ck, ctx, "DriverDesc", &desc) > 0)
			set_string(hv, &ifc->description, ctx, "description", desc);
		if (read_dword(hv, ck, ctx, "*IfType", &iftype) > 0) {
			has_iftype = true;
			ifc->type = iftype_of(iftype);
		}
		if (read_dword(hv, ck, ctx, "NetLuidIndex", &index) > 0 && has_iftype)
			luid = (uint64_t)(iftype & 0xffff) << 48 | (uint64_t)(index & 0xffffff) << 24;
		if (read_dword(hv, ck, ctx, "VlanId", &vlan) > 0 && vlan != 0) {
			if (vlan <= 4094)
				ifc->vlan = vlan;
			else
				gn_guest_warn(hv->g, "%s: value 'VlanId' %" PRIu32 " is not a VLAN id",
					      ctx, vlan);
		}
		if (!pnp)
			read_sz(hv, ck, ctx, "DeviceInstanceID", &pnp);
	}

	read_setup2_mac(hv, ifc);
	if (ck && read_sz(hv, ck, ctx, "NetworkAddress", &override) > 0 &&
	    gn_interface_set_mac(ifc, override) < 0)
		gn_guest_warn(hv->g, "%s: value 'NetworkAddress' '%.32s' is not a MAC address", ctx,
			      override);

	/* Device Manager's "Disable" sets CONFIGFLAG_DISABLED on the device instance */
	if (pnp && strlen(pnp) < 128) {
		hive_node_h ek = key(hv, hv->enum_root, pnp);
		snprintf(ctx, sizeof(ctx), "device %.80s", pnp);
		if (ek)
			ifc->enabled = read_dword(hv, ek, ctx, "ConfigFlags", &flags) > 0 &&
				       (flags & CONFIGFLAG_DISABLED) ? 0 : 1;
	}
	return luid;
}

/* IPv6: mode and DNS servers (addresses and routes come from the NSI store, by NET_LUID). */
static void read_ipv6(struct hive *hv, struct gn_interface *ifc, bool disabled)
{
	struct gn_ipconf *c = &ifc->v6;
	char path[256], ctx[256];
	hive_node_h tk;
	_cleanup_free_ uint8_t *b = NULL;
	size_t len;

	if (!hv->tcpip6)
		return;  /* no IPv6 stack: Windows XP */
	/* Windows runs router discovery on every interface unless IPv6 is disabled: whether an
	 * address then comes from SLAAC or DHCPv6 is the router's choice, so "auto" */
	c->mode = disabled ? GN_MODE_DISABLED : GN_MODE_AUTO;

	snprintf(path, sizeof(path), "Interfaces\\%s", ifc->id);
	snprintf(ctx, sizeof(ctx), "Tcpip6 interface %s", ifc->id);
	tk = key(hv, hv->tcpip6, path);
	if (!tk)
		return;
	add_dns_list(hv, &c->dns, tk, ctx, "NameServer", GN_AF_INET6, GN_ORIGIN_STATIC);
	if (c->dns.n || read_binary(hv, tk, ctx, "Dhcpv6DNSServers", &b, &len) <= 0)
		return;
	if (len % 16) {
		gn_guest_warn(hv->g, "%s: value 'Dhcpv6DNSServers' holds %zu bytes, not 16-byte addresses",
			      ctx, len);
		return;
	}
	for (size_t i = 0; i < len; i += 16) {
		struct gn_ip ip;

		gn_ip_from_bytes(&ip, GN_AF_INET6, b + i);
		if (gn_ipconf_add_dns(c, &ip, GN_ORIGIN_DHCP) == -E2BIG) {
			warn_add(hv, -E2BIG, ctx, "DNS server", NULL);
			break;
		}
	}
}

/*
 * The NSI persistent store (Vista and later), Control\Nsi\{module}\{table}: one REG_BINARY per
 * row, the row's key as hex in the value name, its parameters in the data, followed by as many
 * bytes of mask.  Layouts follow Wine's include/wine/nsi.h (nsi_ipv*_unicast_key,
 * nsi_ipv*_forward_key, nsi_ip_forward_rw) and were checked against real hives where they hold
 * rows; a NET_LUID is its 8 little-endian bytes (Reserved:24, NetLuidIndex:24, IfType:16).
 */
#define NSI_MAX_ROWS 65536
#define NSI_NDIS_GUID 0x410   /* interface GUID in an NDIS interface row */
#define NSI_NDIS_MAC  0x440   /* IF_PHYSICAL_ADDRESS: u16 length, 32 bytes */

struct nsi_row {
	uint8_t key[72];
	size_t key_len;
	const uint8_t *data;
	size_t data_len;
};

static int unhex(const char *s, uint8_t *out, size_t max, size_t *ret_len)
{
	size_t n = strlen(s);

	if (n % 2 || n / 2 > max)
		return -EINVAL;
	for (size_t i = 0; i < n; i += 2) {
		int hi = gn_hexval(s[i]), lo = gn_hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*ret_len = n / 2;
	return 0;
}

static uint64_t le64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static struct gn_interface *interface_by_luid(struct hive *hv, uint64_t luid)
{
	for (size_t i = 0; i < hv->luids.n; i++)
		if (hv->luids.v[i].luid == luid)
			return hv->luids.v[i].ifc;
	return NULL;
}

typedef void (*nsi_row_fn)(struct hive *hv, const struct nsi_row *row, const char *ctx);

/* Call fn for every well-formed row of Control\Nsi\module\table. */
static void nsi_scan(struct hive *hv, const char *module, const char *table, nsi_row_fn fn)
{
	_cleanup_free_ hive_value_h *values = NULL;
	char path[256], ctx[256];
	hive_node_h tk;

	snprintf(path, sizeof(path), "Control\\Nsi\\%s\\%s", module, table);
	snprintf(ctx, sizeof(ctx), "key 'Nsi\\%s\\%s'", module, table);
	tk = key(hv, hv->cs, path);
	if (!tk)
		return;
	values = hivex_node_values(hv->h, tk);
	if (!values) {
		gn_guest_warn(hv->g, "%s could not be read: %s", ctx, strerror(errno));
		return;
	}
	for (size_t i = 0; values[i]; i++) {
		_cleanup_free_ char *name = NULL;
		_cleanup_free_ char *data = NULL;
		struct nsi_row row;
		hive_type t;
		size_t len;

		if (i == NSI_MAX_ROWS) {
			gn_guest_warn(hv->g, "%s holds more than %d rows; the rest were not read", ctx,
				      NSI_MAX_ROWS);
			break;
		}
		name = hivex_value_key(hv->h, values[i]);
		if (!name || !name[0] || hivex_value_type(hv->h, values[i], &t, &len) < 0)
			continue;
		if (len > GN_MAX_VALUE_BYTES || unhex(name, row.key, sizeof(row.key), &row.key_len) < 0) {
			gn_guest_warn(hv->g, "%s: row '%.100s' is not an NSI row", ctx, name);
			continue;
		}
		data = hivex_value_value(hv->h, values[i], &t, &len);
		if (!data)
			continue;
		row.data = (const uint8_t *)data;
		row.data_len = len;
		fn(hv, &row, ctx);
	}
}

/* NDIS interface rows (Windows 7 to 8.1): the hardware MAC, matched by interface GUID. */
static void nsi_ndis_row(struct hive *hv, const struct nsi_row *row, const char *ctx)
{
	const uint8_t *d = row->data, *g;
	char guid[GN_GUID_TEXT_MAX];
	struct gn_interface *ifc;
	unsigned maclen;

	(void)ctx;
	if (row->data_len < NSI_NDIS_MAC + 2 + 32)
		return;
	g = d + NSI_NDIS_GUID;
	snprintf(guid, sizeof(guid), "{%08" PRIX32 "-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
		 le32(g), (unsigned)(g[4] | g[5] << 8), (unsigned)(g[6] | g[7] << 8), g[8], g[9],
		 g[10], g[11], g[12], g[13], g[14], g[15]);
	ifc = gn_guest_find_interface(hv->g, guid);
	maclen = (unsigned)(d[NSI_NDIS_MAC] | d[NSI_NDIS_MAC + 1] << 8);
	if (ifc && !ifc->permanent_mac && maclen == 6)
		set_mac_bytes(hv, ifc, true, d + NSI_NDIS_MAC + 2, 6, ctx, "PhysicalAddress");
}

/* Unicast address rows: key LUID(8) + address (IPv4 4 + 4 pad, IPv6 16); prefix length at
 * data offset 16 (OnLinkPrefixLength). */
static void nsi_address_row(struct hive *hv, const struct nsi_row *row, const char *ctx, int family)
{
	struct gn_interface *ifc;
	struct gn_ip ip;
	int r;

	if (row->key_len != 8 + (family == GN_AF_INET ? 8 : 16) || row->data_len < 17) {
		gn_guest_warn(hv->g, "%s: a row is not a unicast address", ctx);
		return;
	}
	ifc = interface_by_luid(hv, le64(row->key));
	if (!ifc)
		return;  /* an interface we do not report (loopback, tunnel pseudo-interface) */
	gn_ip_from_bytes(&ip, family, row->key + 8);
	if (row->data[16] > gn_ip_bits(family)) {
		gn_guest_warn(hv->g, "%s: address %s has prefix length %u", ctx,
			      gn_ip_format(&ip, (char[GN_IP_TEXT_MAX]){ 0 }), row->data[16]);
		return;
	}
	r = gn_ipconf_add_address(gn_interface_ipconf(ifc, family), &ip, row->data[16],
				  GN_ORIGIN_STATIC);
	if (r < 0)
		warn_add(hv, r, ctx, "address", NULL);
}

static void nsi_address4_row(struct hive *hv, const struct nsi_row *row, const char *ctx)
{
	nsi_address_row(hv, row, ctx, GN_AF_INET);
}

static void nsi_address6_row(struct hive *hv, const struct nsi_row *row, const char *ctx)
{
	nsi_address_row(hv, row, ctx, GN_AF_INET6);
}

/* Route rows: nsi_ipv4_forward_key (48 bytes: destination at 4, prefix length at 8, LUID at 24,
 * next hop at 40) or nsi_ipv6_forward_key (72 bytes: 4, 20, 40, 56); metric at data offset 12
 * (nsi_ip_forward_rw), 0xffffffff meaning the default. */
static void nsi_route_row(struct hive *hv, const struct nsi_row *row, const char *ctx, int family)
{
	bool v4 = family == GN_AF_INET;
	size_t plen_at = v4 ? 8 : 20, luid_at = v4 ? 24 : 40, hop_at = v4 ? 40 : 56;
	struct gn_interface *ifc;
	struct gn_ip dest, hop;
	int64_t metric = GN_UNSET;
	int r;

	if (row->key_len != (v4 ? 48u : 72u)) {
		gn_guest_warn(hv->g, "%s: a row is not a route", ctx);
		return;
	}
	gn_ip_from_bytes(&dest, family, row->key + 4);
	gn_ip_from_bytes(&hop, family, row->key + hop_at);
	ifc = interface_by_luid(hv, le64(row->key + luid_at));
	if (row->data_len >= 16 && le32(row->data + 12) != 0xffffffffu)
		metric = le32(row->data + 12);
	r = gn_guest_add_route(hv->g, &dest, row->key[plen_at], &hop, metric, ifc ? ifc->id : NULL);
	if (r < 0)
		warn_add(hv, r, ctx, "route", NULL);
}

static void nsi_route4_row(struct hive *hv, const struct nsi_row *row, const char *ctx)
{
	nsi_route_row(hv, row, ctx, GN_AF_INET);
}

static void nsi_route6_row(struct hive *hv, const struct nsi_row *row, const char *ctx)
{
	nsi_route_row(hv, row, ctx, GN_AF_INET6);
}

/* Tcpip\Parameters\PersistentRoutes: value *names* "dest,mask,gateway,metric" (route -p). */
static void read_persistent_routes(struct hive *hv)
{
	const char *ctx = "key 'Tcpip\\Parameters\\PersistentRoutes'";
	_cleanup_free_ hive_value_h *values = NULL;
	hive_node_h rk = key(hv, hv->tcpip, "PersistentRoutes");

	if (!rk)
		return;
	values = hivex_node_values(hv->h, rk);
	if (!values) {
		gn_guest_warn(hv->g, "%s could not be read: %s", ctx, strerror(errno));
		return;
	}
	for (size_t i = 0; values[i]; i++) {
		_cleanup_free_ char *name = hivex_value_key(hv->h, values[i]);
		char dest[16], mask[16], gw[16];
		long long metric;
		struct gn_ip d, m, g;
		unsigned prefix;
		int r, n = -1;

		if (!name)
			continue;
		if (sscanf(name, "%15[0-9.],%15[0-9.],%15[0-9.],%lld%n", dest, mask, gw, &metric, &n) != 4 ||
		    (size_t)n != strlen(name) || gn_ip_parse_family(dest, GN_AF_INET, &d) < 0 ||
		    gn_ip_parse_family(mask, GN_AF_INET, &m) < 0 ||
		    gn_ip_parse_family(gw, GN_AF_INET, &g) < 0 || metric < INT32_MIN || metric > UINT32_MAX) {
			gn_guest_warn(hv->g, "%s: '%.100s' is not dest,mask,gateway,metric", ctx, name);
			continue;
		}
		if (gn_mask_to_prefix(&m, &prefix) < 0) {
			gn_guest_warn(hv->g, "%s: route '%.100s': mask %s is not contiguous", ctx, name, mask);
			continue;
		}
		r = gn_guest_add_route(hv->g, &d, prefix, &g, metric, NULL);
		if (r < 0) {
			warn_add(hv, r, ctx, "route", name);
			if (r == -E2BIG)
				break;
		}
	}
}

/* Host name, primary DNS suffix, search list and system-wide DNS servers. */
static void read_guest(struct hive *hv)
{
	const char *ctx = "key 'Tcpip\\Parameters'";
	_cleanup_free_ char *host = NULL, *domain = NULL, *search = NULL;
	char *save = NULL;

	if (read_sz(hv, hv->tcpip, ctx, "Hostname", &host) <= 0 &&
	    read_sz(hv, hv->tcpip, ctx, "NV Hostname", &host) <= 0)
		read_sz(hv, key(hv, hv->cs, "Control\\ComputerName\\ComputerName"),
			"key 'ComputerName'", "ComputerName", &host);
	if (host)
		set_string(hv, &hv->g->hostname, ctx, "host name", host);
	if (read_sz(hv, hv->tcpip, ctx, "Domain", &domain) > 0 ||
	    read_sz(hv, hv->tcpip, ctx, "NV Domain", &domain) > 0)
		set_string(hv, &hv->g->domain, ctx, "domain", domain);

	if (read_sz(hv, hv->tcpip, ctx, "SearchList", &search) > 0)
		for (char *d = strtok_r(search, ", \t;", &save); d; d = strtok_r(NULL, ", \t;", &save)) {
			int r = gn_guest_add_search(hv->g, d);
			if (r < 0) {
				warn_add(hv, r, ctx, "search domain", d);
				if (r == -E2BIG)
					break;
			}
		}
	add_dns_list(hv, &hv->g->dns, hv->tcpip, ctx, "NameServer", GN_AF_INET, GN_ORIGIN_STATIC);
}

/* One Tcpip interface key; tk's name is the interface GUID. */
static void read_interface(struct hive *hv, hive_node_h tk, bool v6_disabled)
{
	_cleanup_free_ char *raw = hivex_node_name(hv->h, tk);
	char guid[GN_GUID_TEXT_MAX], ctx[64];
	struct gn_interface *ifc;
	struct luid_entry *le;
	hive_node_h ck;
	uint64_t luid;
	int r;

	if (!raw || gn_guid_normalize(raw, guid) < 0) {
		gn_guest_warn(hv->g, "Tcpip interface key '%.64s' is not named by a GUID; skipped",
			      raw ? raw : "?");
		return;
	}
	ck = find_class(hv, guid);
	/* the loopback pseudo-interface: no adapter, a NIC-less node id, nothing configured */
	if (!ck && (hivex_node_nr_values(hv->h, tk) == 0 ||
		    strcmp(guid + strlen(guid) - strlen(NONIC_SUFFIX), NONIC_SUFFIX) == 0))
		return;
	r = gn_guest_add_interface(hv->g, guid, &ifc);
	if (r == -EEXIST) {
		gn_guest_warn(hv->g, "Tcpip interface %s appears twice; the second was skipped", guid);
		return;
	}
	if (r < 0) {
		warn_add(hv, r, "key 'Tcpip\\Parameters\\Interfaces'", "interface", guid);
		return;
	}
	snprintf(ctx, sizeof(ctx), "Tcpip interface %s", guid);
	luid = read_identity(hv, ifc, ck);
	read_ipv4(hv, ifc, tk, ctx);

	/*
	 * A Tcpip interface that no adapter owns is the loopback pseudo-interface, a RAS/WAN IP slot
	 * (NdisWanIp on XP) or what a removed adapter left behind.  Only the last can matter, and only
	 * when it still holds an address: report that, with a warning, and skip the rest.
	 */
	if (!ck && hv->classes.n) {
		if (ifc->v4.addresses.n == 0) {
			gn_guest_remove_interface(hv->g, ifc);
			return;
		}
		gn_guest_warn(hv->g, "interface %s belongs to no adapter in Control\\Class (a removed adapter?)",
			      guid);
	}
	if (ifc->type == GN_IFTYPE_LOOPBACK) {
		gn_guest_remove_interface(hv->g, ifc);
		return;
	}
	read_wins(hv, ifc);
	read_ipv6(hv, ifc, v6_disabled && ifc->type != GN_IFTYPE_TUNNEL);
	if (luid && GN_ARRAY_PUSH(&hv->luids, GN_MAX_INTERFACES, &le) == 0) {
		le->luid = luid;
		le->ifc = ifc;
	}
}

static void read_interfaces(struct hive *hv)
{
	const char *ctx = "key 'Tcpip\\Parameters\\Interfaces'";
	_cleanup_free_ hive_node_h *children = NULL;
	hive_node_h ik = key(hv, hv->tcpip, "Interfaces");
	uint32_t disabled = 0;

	if (!ik) {
		gn_guest_warn(hv->g, "%s is missing: no interfaces could be read", ctx);
		return;
	}
	children = hivex_node_children(hv->h, ik);
	if (!children) {
		gn_guest_warn(hv->g, "%s could not be read: %s", ctx, strerror(errno));
		return;
	}
	read_dword(hv, hv->tcpip6, "key 'Tcpip6\\Parameters'", "DisabledComponents", &disabled);
	index_classes(hv);
	for (size_t i = 0; children[i]; i++) {
		if (i == GN_MAX_INTERFACES) {
			gn_guest_warn(hv->g, "%s has more than %d interfaces; the rest were not read", ctx,
				      GN_MAX_INTERFACES);
			break;
		}
		read_interface(hv, children[i], disabled & IPV6_DISABLED_NATIVE);
	}

	nsi_scan(hv, NSI_NDIS, "10", nsi_ndis_row);
	nsi_scan(hv, NSI_IPV4, "10", nsi_address4_row);
	nsi_scan(hv, NSI_IPV6, "10", nsi_address6_row);
	nsi_scan(hv, NSI_IPV4, "16", nsi_route4_row);
	nsi_scan(hv, NSI_IPV6, "16", nsi_route6_row);
	read_persistent_routes(hv);

	for (size_t i = 0; i < hv->g->interfaces.n; i++) {
		struct gn_interface *ifc = hv->g->interfaces.v[i];
		if (!ifc->mac && ifc->permanent_mac)
			gn_set_string(&ifc->mac, ifc->permanent_mac);
	}
}

/* Check what hivex would only report as an errno: empty, too large, not a hive at all. */
static int precheck(const char *path, gn_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char magic[4];

	if (fd < 0)
		return gn_error_set(err, -errno, "'%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		return gn_error_set(err, -errno, "'%s': %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return gn_error_set(err, -EBADMSG, "'%s': not a regular file", path);
	if (st.st_size == 0)
		return gn_error_set(err, -EBADMSG, "'%s': empty file, not a registry hive", path);
	if ((uint64_t)st.st_size > GN_MAX_HIVE_BYTES)
		return gn_error_set(err, -E2BIG, "'%s': %lld bytes is larger than the %u-byte limit for a hive",
				    path, (long long)st.st_size, GN_MAX_HIVE_BYTES);
	if (read(fd, magic, 4) != 4 || memcmp(magic, "regf", 4) != 0)
		return gn_error_set(err, -EBADMSG, "'%s': not a registry hive (no 'regf' signature)", path);
	if (st.st_size < 8192)
		return gn_error_set(err, -EBADMSG, "'%s': truncated registry hive (%lld bytes)", path,
				    (long long)st.st_size);
	return 0;
}

/* The current control set: Select\Current, else Select\Default with a warning. */
static int find_control_set(struct hive *hv, const char *path, unsigned *ret, gn_error *err)
{
	hive_node_h sel = key(hv, hivex_root(hv->h), "Select");
	static const char *const names[] = { "Current", "Default" };
	char name[16];

	if (!sel)
		return gn_error_set(err, -EBADMSG, "'%s': not a SYSTEM hive (no 'Select' key)", path);
	for (int i = 0; i < 2; i++) {
		uint32_t n;
		hive_node_h cs;

		if (read_dword(hv, sel, "key 'Select'", names[i], &n) <= 0 || n == 0 || n > 999)
			continue;
		snprintf(name, sizeof(name), "ControlSet%03u", (unsigned)n);
		cs = key(hv, hivex_root(hv->h), name);
		if (!cs)
			continue;
		if (i > 0)
			gn_guest_warn(hv->g, "'Select\\Current' names no control set; read %s from 'Select\\Default'",
				      name);
		hv->cs = cs;
		*ret = n;
		return 0;
	}
	return gn_error_set(err, -EBADMSG, "'%s': not a SYSTEM hive ('Select' names no existing control set)",
			    path);
}

static void hive_release(struct hive *hv)
{
	if (hv->h)
		hivex_close(hv->h);
	free(hv->classes.v);
	free(hv->luids.v);
}

int gn_hive_read(gn_settings *s, const char *path, const gn_collect_options *opt, gn_error *err)
{
	_cleanup_(hive_release) struct hive hv = { 0 };
	struct gn_guest scratch = { 0 };
	struct gn_source *src;
	bool unsafe = false;
	unsigned cs = 0;
	int r;

	r = precheck(path, err);
	if (r < 0)
		return r;
	hv.h = hivex_open(path, 0);
	if (!hv.h) {
		/* hivex refuses some damaged hives that its unsafe mode reads (the XP test hive:
		 * trailing garbage after the last bin); retry, and say so in the document */
		int saved = errno;
		hv.h = hivex_open(path, HIVEX_OPEN_UNSAFE);
		if (!hv.h)
			return gn_error_set(err, -EBADMSG, "'%s': damaged registry hive: %s", path,
					    strerror(saved));
		unsafe = true;
	}

	/* warnings raised before the guest exists (Select\Default) go to a scratch guest */
	hv.g = &scratch;
	r = find_control_set(&hv, path, &cs, err);
	if (r < 0) {
		for (size_t i = 0; i < scratch.warnings.n; i++)
			free(scratch.warnings.v[i]);
		free(scratch.warnings.v);
		return r;
	}
	r = gn_settings_add_guest(s, &hv.g);
	if (r < 0)
		return gn_error_set(err, r, "'%s': %s", path, strerror(-r));
	hv.g->warnings = scratch.warnings;
	hv.g->os = GN_OS_WINDOWS;
	if (opt && opt->name)
		gn_set_string(&hv.g->name, opt->name);
	if (gn_guest_add_source(hv.g, GN_SOURCE_REGISTRY, &src) >= 0) {
		src->collected = opt && opt->collected >= 0 ? opt->collected : GN_UNSET;
		src->control_set = cs;
		if (opt && opt->image)
			gn_set_string(&src->image, opt->image);
	}
	if (unsafe)
		gn_guest_warn(hv.g, "the hive is damaged: hivex opened it only with its unsafe flag, so "
			      "parts of it may be missing");

	hive_node_h services = key(&hv, hv.cs, "Services"), control = key(&hv, hv.cs, "Control");
	hv.tcpip = key(&hv, services, "Tcpip\\Parameters");
	hv.tcpip6 = key(&hv, services, "Tcpip6\\Parameters");
	hv.netbt = key(&hv, services, "NetBT\\Parameters\\Interfaces");
	hv.network = key(&hv, control, "Network\\" CLASS_NET);
	hv.setup2 = key(&hv, control, "NetworkSetup2\\Interfaces");
	hv.enum_root = key(&hv, hv.cs, "Enum");
	if (!hv.tcpip) {
		gn_guest_warn(hv.g, "key 'Services\\Tcpip\\Parameters' is missing: no network settings");
		return 0;
	}
	read_guest(&hv);
	read_interfaces(&hv);
	return 0;
}
