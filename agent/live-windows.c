/*
 * live-windows.c: agent_collect for Windows: the running system's network settings from the IP
 * Helper API, joined with the registry for what the API does not say.
 *
 *   GetAdaptersAddresses   interfaces: GUID, friendly name, description, MAC, type, MTU, flags,
 *                          unicast addresses and their origins, DNS and WINS servers, the
 *                          connection's DNS suffix, the DHCP server
 *   GetIfEntry2            the administrative state (interface/@enabled)
 *   GetIpForwardTable2     default routes (the gateways, with their metrics) and static routes
 *   Tcpip\Parameters\Interfaces\{GUID}, Tcpip6\Parameters\Interfaces\{GUID}
 *                          configured versus DHCP-supplied addresses and DNS servers, the lease
 *   Tcpip\Parameters       search list, system-wide DNS servers; host name and primary DNS
 *                          suffix where GetComputerNameExW fails
 *
 * What is decided from these values (origins, modes, metrics, which routes count) is in
 * windows-convert.c, which is tested on Linux; this file reads and copies.  What cannot be read
 * becomes a warning of the guest.  Loopback is not reported, as guestnet hive does not; tunnel
 * pseudo-interfaces (ISATAP, Teredo) are, with type "tunnel", as guestnet hive does.
 *
 * Windows Vista and later: the program imports GetIpForwardTable2, so it does not start on XP.
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <netioapi.h>
/* objbase.h makes "interface" a keyword for COM; the model names a field so */
#undef interface

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "cleanup.h"
#include "windows-convert.h"

/* windows-convert.h spells the SDK's values as plain numbers; hold them to the headers */
#define SAME(sdk, ours) ((int)(sdk) == (int)(ours))
_Static_assert(SAME(IpPrefixOriginManual, WC_PREFIX_ORIGIN_MANUAL) &&
	       SAME(IpPrefixOriginWellKnown, WC_PREFIX_ORIGIN_WELL_KNOWN) &&
	       SAME(IpPrefixOriginDhcp, WC_PREFIX_ORIGIN_DHCP) &&
	       SAME(IpPrefixOriginRouterAdvertisement, WC_PREFIX_ORIGIN_ROUTER_ADVERTISEMENT),
	       "IP_PREFIX_ORIGIN");
_Static_assert(SAME(IpSuffixOriginManual, WC_SUFFIX_ORIGIN_MANUAL) &&
	       SAME(IpSuffixOriginWellKnown, WC_SUFFIX_ORIGIN_WELL_KNOWN) &&
	       SAME(IpSuffixOriginDhcp, WC_SUFFIX_ORIGIN_DHCP) &&
	       SAME(IpSuffixOriginLinkLayerAddress, WC_SUFFIX_ORIGIN_LINK_LAYER_ADDRESS) &&
	       SAME(IpSuffixOriginRandom, WC_SUFFIX_ORIGIN_RANDOM), "IP_SUFFIX_ORIGIN");
_Static_assert(SAME(IF_TYPE_ETHERNET_CSMACD, WC_IF_TYPE_ETHERNET_CSMACD) &&
	       SAME(IF_TYPE_SOFTWARE_LOOPBACK, WC_IF_TYPE_SOFTWARE_LOOPBACK) &&
	       SAME(IF_TYPE_FASTETHER, WC_IF_TYPE_FASTETHER) &&
	       SAME(IF_TYPE_IEEE80211, WC_IF_TYPE_IEEE80211) &&
	       SAME(IF_TYPE_GIGABITETHERNET, WC_IF_TYPE_GIGABITETHERNET) &&
	       SAME(IF_TYPE_TUNNEL, WC_IF_TYPE_TUNNEL), "IF_TYPE");
_Static_assert(SAME(MIB_IPPROTO_LOCAL, WC_ROUTE_PROTOCOL_LOCAL) &&
	       SAME(MIB_IPPROTO_NETMGMT, WC_ROUTE_PROTOCOL_NETMGMT) &&
	       SAME(MIB_IPPROTO_NT_STATIC, WC_ROUTE_PROTOCOL_NT_STATIC) &&
	       SAME(MIB_IPPROTO_NT_STATIC_NON_DOD, WC_ROUTE_PROTOCOL_NT_STATIC_NON_DOD),
	       "NL_ROUTE_PROTOCOL");
_Static_assert(SAME(NlroManual, WC_ROUTE_ORIGIN_MANUAL) &&
	       SAME(NlroWellKnown, WC_ROUTE_ORIGIN_WELL_KNOWN) &&
	       SAME(NlroDHCP, WC_ROUTE_ORIGIN_DHCP) &&
	       SAME(NlroRouterAdvertisement, WC_ROUTE_ORIGIN_ROUTER_ADVERTISEMENT) &&
	       SAME(Nlro6to4, WC_ROUTE_ORIGIN_6TO4), "NL_ROUTE_ORIGIN");
#undef SAME

/* GetAdaptersAddresses' buffer: Microsoft's suggested first size, then the size it asks for, a
 * few times over (adapters come and go between two calls), never past the cap. */
#define LIVE_ADAPTERS_FIRST_BYTES 15000u
#define LIVE_ADAPTERS_MAX_BYTES (16u << 20)
#define LIVE_ADAPTERS_TRIES 4
/* A registry value that keeps growing between the size query and the read. */
#define LIVE_REG_TRIES 3

#define TCPIP_KEY "SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters"
#define TCPIP6_KEY "SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters"

/* An interface reported, for joining the forward table's rows to it by NET_LUID. */
struct reported {
	uint64_t luid;
	struct gn_interface *ifc;
	struct wc_adapter a;
	const IP_ADAPTER_ADDRESSES *aa;
};

struct live {
	struct gn_guest *g;
	const struct agent_options *opt;
	HKEY tcpip;          /* Tcpip\Parameters, NULL when missing */
	HKEY interfaces[2];  /* Tcpip\...\Interfaces and Tcpip6\...\Interfaces, NULL when missing */
	GN_ARRAY(struct reported) reported;
	int64_t now;
};

static void reg_closep(HKEY *k)
{
	if (*k)
		RegCloseKey(*k);
}

static void live_release(struct live *lv)
{
	reg_closep(&lv->tcpip);
	reg_closep(&lv->interfaces[0]);
	reg_closep(&lv->interfaces[1]);
	free(lv->reported.v);
}

/*
 * w (wlen WCHARs, or -1 for NUL-terminated) as UTF-8: 0 and a malloc'd NUL-terminated string of
 * *ret_len bytes (NULs inside w are kept), -EILSEQ for text that is not UTF-16 (an unpaired
 * surrogate), -ENOMEM.
 */
static int utf8_from_wide(const WCHAR *w, int wlen, char **ret, size_t *ret_len)
{
	int n = wlen == 0 ? 0 : WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, wlen, NULL, 0,
						     NULL, NULL);
	char *s;

	if (wlen != 0 && n <= 0)
		return GetLastError() == ERROR_NO_UNICODE_TRANSLATION ? -EILSEQ : -EINVAL;
	s = malloc((size_t)n + 1);
	if (!s)
		return -ENOMEM;
	if (n > 0 && WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, wlen, s, n, NULL, NULL) != n) {
		free(s);
		return -EILSEQ;
	}
	s[n] = '\0';
	*ret_len = (size_t)n - (wlen < 0);  /* -1 counted the terminator */
	*ret = s;
	return 0;
}

/* The system's text for a Windows error code, in UTF-8, with the code. */
static const char *win_strerror(DWORD code, char *buf, size_t size)
{
	WCHAR w[256];
	_cleanup_free_ char *s = NULL;
	size_t len = 0;
	DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
				 FORMAT_MESSAGE_MAX_WIDTH_MASK, NULL, code, 0, w,
				 (DWORD)GN_ELEMENTSOF(w), NULL);

	if (n > 0 && utf8_from_wide(w, (int)n, &s, &len) == 0) {
		/* "Access is denied. " becomes "access is denied", as our messages read */
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '.' || s[len - 1] == '\r' ||
				   s[len - 1] == '\n'))
			s[--len] = '\0';
		if (s[0] >= 'A' && s[0] <= 'Z' && (s[1] < 'A' || s[1] > 'Z'))
			s[0] = (char)(s[0] - 'A' + 'a');
		snprintf(buf, size, "%s (error %lu)", s, (unsigned long)code);
	} else {
		snprintf(buf, size, "error %lu", (unsigned long)code);
	}
	return buf;
}

#define WIN_STRERROR(code) win_strerror((code), (char[320]){ 0 }, 320)

/* ASCII text (our registry paths and value names, GUIDs) as UTF-16. */
static void widen(const char *s, WCHAR *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		buf[i] = (unsigned char)s[i] < 0x80 ? (WCHAR)s[i] : L'?';
	buf[i] = 0;
}

static int ip_from_sockaddr(const SOCKADDR *sa, size_t len, struct gn_ip *ip)
{
	if (!sa)
		return -EINVAL;
	if (sa->sa_family == AF_INET && len >= sizeof(SOCKADDR_IN)) {
		gn_ip_from_bytes(ip, GN_AF_INET, &((const SOCKADDR_IN *)sa)->sin_addr);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(SOCKADDR_IN6)) {
		gn_ip_from_bytes(ip, GN_AF_INET6, &((const SOCKADDR_IN6 *)sa)->sin6_addr);
		return 0;
	}
	return -EAFNOSUPPORT;
}

static int ip_from_socket_address(const SOCKET_ADDRESS *sa, struct gn_ip *ip)
{
	return ip_from_sockaddr(sa->lpSockaddr, sa->iSockaddrLength > 0 ? (size_t)sa->iSockaddrLength : 0,
				ip);
}

static void warn_add(struct live *lv, int r, const char *ctx, const char *what,
		     const struct gn_ip *ip)
{
	char buf[GN_IP_TEXT_MAX];

	if (r == -E2BIG)
		gn_guest_warn(lv->g, "%s: more %s entries than a limit of guestnet.h allows; the rest "
			      "were dropped", ctx, what);
	else if (r == -ENOMEM)
		gn_guest_warn(lv->g, "%s: out of memory adding a %s", ctx, what);
	else if (r < 0)
		gn_guest_warn(lv->g, "%s: %s %s is not valid", ctx, what,
			      ip && ip->family ? gn_ip_format(ip, buf) : "(no address)");
}

/* Set a string field from UTF-16, saying why where it cannot be. */
static void set_text(struct live *lv, char **field, const char *ctx, const char *what,
		     const WCHAR *w)
{
	_cleanup_free_ char *s = NULL;
	size_t len;
	int r;

	if (!w || !w[0])
		return;
	r = utf8_from_wide(w, -1, &s, &len);
	if (r == 0)
		r = gn_set_string(field, s);
	if (r == -E2BIG)
		gn_guest_warn(lv->g, "%s: its %s is longer than %d bytes", ctx, what, GN_MAX_STRING);
	else if (r == -ENOMEM)
		gn_guest_warn(lv->g, "%s: out of memory reading its %s", ctx, what);
	else if (r < 0)
		gn_guest_warn(lv->g, "%s: its %s holds characters that cannot be written", ctx, what);
}

/*
 * Registry.  Each reader returns 1 with the value, 0 when it is absent, or a negative errno
 * after a warning naming the key (ctx), the value and what was wrong.
 */

static int reg_open(struct live *lv, HKEY parent, const char *path, const char *ctx, HKEY *ret)
{
	WCHAR w[512];
	LSTATUS st;

	*ret = NULL;
	if (!parent)
		return 0;
	widen(path, w, GN_ELEMENTSOF(w));
	st = RegOpenKeyExW(parent, w, 0, KEY_READ, ret);
	if (st == ERROR_SUCCESS)
		return 1;
	*ret = NULL;
	if (st == ERROR_FILE_NOT_FOUND || st == ERROR_PATH_NOT_FOUND)
		return 0;
	gn_guest_warn(lv->g, "%s could not be opened: %s", ctx, WIN_STRERROR((DWORD)st));
	return -EIO;
}

/* A value's type and data, followed by four zero bytes so a string missing its terminator
 * still ends; the caller frees *ret. */
static int reg_value(struct live *lv, HKEY k, const char *ctx, const char *name, DWORD *type,
		     uint8_t **ret, DWORD *ret_len)
{
	WCHAR wname[128];

	if (!k)
		return 0;
	widen(name, wname, GN_ELEMENTSOF(wname));
	for (int i = 0; i < LIVE_REG_TRIES; i++) {
		DWORD len = 0, got;
		uint8_t *data;
		LSTATUS st = RegQueryValueExW(k, wname, NULL, type, NULL, &len);

		if (st == ERROR_FILE_NOT_FOUND)
			return 0;
		if (st != ERROR_SUCCESS) {
			gn_guest_warn(lv->g, "%s: value '%s' could not be read: %s", ctx, name,
				      WIN_STRERROR((DWORD)st));
			return -EIO;
		}
		if (len > GN_MAX_VALUE_BYTES) {
			gn_guest_warn(lv->g, "%s: value '%s' is too large (%lu bytes; limit %u)", ctx,
				      name, (unsigned long)len, GN_MAX_VALUE_BYTES);
			return -E2BIG;
		}
		data = calloc(1, (size_t)len + 4);
		if (!data)
			return -ENOMEM;
		got = len;
		st = RegQueryValueExW(k, wname, NULL, type, data, &got);
		if (st == ERROR_SUCCESS) {
			*ret = data;
			*ret_len = got;
			return 1;
		}
		free(data);
		if (st == ERROR_FILE_NOT_FOUND)
			return 0;  /* removed between the two calls */
		if (st != ERROR_MORE_DATA) {
			gn_guest_warn(lv->g, "%s: value '%s' could not be read: %s", ctx, name,
				      WIN_STRERROR((DWORD)st));
			return -EIO;
		}
	}
	gn_guest_warn(lv->g, "%s: value '%s' kept changing while it was read", ctx, name);
	return -EAGAIN;
}

/* REG_SZ, REG_EXPAND_SZ or REG_MULTI_SZ as UTF-8 (a REG_MULTI_SZ's entries separated by NULs);
 * an empty string counts as absent. */
static int reg_string(struct live *lv, HKEY k, const char *ctx, const char *name, char **ret,
		      size_t *ret_len)
{
	_cleanup_free_ uint8_t *data = NULL;
	DWORD type, len;
	size_t n;
	int r = reg_value(lv, k, ctx, name, &type, &data, &len);

	if (r <= 0)
		return r;
	if (type != REG_SZ && type != REG_EXPAND_SZ && type != REG_MULTI_SZ) {
		gn_guest_warn(lv->g, "%s: value '%s' is not a string (type %lu)", ctx, name,
			      (unsigned long)type);
		return -EBADMSG;
	}
	const WCHAR *w = (const WCHAR *)data;
	for (n = len / sizeof(WCHAR); n > 0 && w[n - 1] == 0; n--)
		;
	if (n == 0)
		return 0;
	r = utf8_from_wide(w, (int)n, ret, ret_len);
	if (r == -EILSEQ)
		gn_guest_warn(lv->g, "%s: value '%s' is not valid UTF-16", ctx, name);
	return r < 0 ? r : 1;
}

static int reg_dword(struct live *lv, HKEY k, const char *ctx, const char *name, uint32_t *ret)
{
	_cleanup_free_ uint8_t *data = NULL;
	DWORD type, len;
	int r = reg_value(lv, k, ctx, name, &type, &data, &len);

	if (r <= 0)
		return r;
	if (type != REG_DWORD || len != 4) {
		gn_guest_warn(lv->g, "%s: value '%s' is not a REG_DWORD (type %lu, %lu bytes)", ctx,
			      name, (unsigned long)type, (unsigned long)len);
		return -EBADMSG;
	}
	memcpy(ret, data, 4);
	return 1;
}

static void warn_report(struct live *lv, const char *ctx, const char *name, int family,
			size_t max, const struct wc_parse_report *rep)
{
	const char *fam = family == GN_AF_INET ? "IPv4" : "IPv6";

	if (rep->bad == 1)
		gn_guest_warn(lv->g, "%s: value '%s': '%s' is not an %s address", ctx, name,
			      rep->first_bad, fam);
	else if (rep->bad)
		gn_guest_warn(lv->g, "%s: value '%s': %u entries are not %s addresses, the first '%s'",
			      ctx, name, rep->bad, fam, rep->first_bad);
	if (rep->capped)
		gn_guest_warn(lv->g, "%s: value '%s' lists more than %u addresses; kept the first %u",
			      ctx, name, (unsigned)max, (unsigned)max);
}

/* A list of addresses (NameServer, IPAddress) into l. */
static void read_list(struct live *lv, HKEY k, const char *ctx, const char *name, int family,
		      size_t max, struct wc_ip_list *l)
{
	_cleanup_free_ char *s = NULL;
	struct wc_parse_report rep = { 0 };
	size_t len;

	if (reg_string(lv, k, ctx, name, &s, &len) <= 0)
		return;
	wc_parse_ip_list(s, len, family, max, l, &rep);
	warn_report(lv, ctx, name, family, max, &rep);
}

/* One IPv4 address (DhcpIPAddress, DhcpServer); family 0 where absent or not one. */
static void read_ip(struct live *lv, HKEY k, const char *ctx, const char *name, struct gn_ip *ip)
{
	_cleanup_free_ char *s = NULL;
	size_t len;

	if (reg_string(lv, k, ctx, name, &s, &len) > 0 &&
	    gn_ip_parse_family(s, GN_AF_INET, ip) < 0) {
		gn_guest_warn(lv->g, "%s: value '%s': '%.64s' is not an IPv4 address", ctx, name, s);
		ip->family = 0;
	}
}

static int64_t read_time(struct live *lv, HKEY k, const char *ctx, const char *name)
{
	uint32_t t;

	return reg_dword(lv, k, ctx, name, &t) > 0 ? (int64_t)t : GN_UNSET;
}

static void read_tcpip4(struct live *lv, HKEY k, const char *ctx, struct wc_tcpip *t)
{
	uint32_t dhcp;

	if (reg_dword(lv, k, ctx, "EnableDHCP", &dhcp) > 0)
		t->enable_dhcp = dhcp != 0;
	read_list(lv, k, ctx, "IPAddress", GN_AF_INET, GN_MAX_ADDRESSES, &t->ip_address);
	read_ip(lv, k, ctx, "DhcpIPAddress", &t->dhcp_ip_address);
	read_ip(lv, k, ctx, "DhcpServer", &t->dhcp_server);
	t->lease_obtained = read_time(lv, k, ctx, "LeaseObtainedTime");
	t->lease_terminates = read_time(lv, k, ctx, "LeaseTerminatesTime");
	read_list(lv, k, ctx, "NameServer", GN_AF_INET, GN_MAX_DNS, &t->name_server[0]);
	read_list(lv, k, ctx, "DhcpNameServer", GN_AF_INET, GN_MAX_DNS, &t->dhcp_name_server[0]);
}

static void read_tcpip6(struct live *lv, HKEY k, const char *ctx, struct wc_tcpip *t)
{
	_cleanup_free_ uint8_t *data = NULL;
	struct wc_parse_report rep = { 0 };
	DWORD type, len;

	read_list(lv, k, ctx, "NameServer", GN_AF_INET6, GN_MAX_DNS, &t->name_server[1]);
	if (reg_value(lv, k, ctx, "Dhcpv6DNSServers", &type, &data, &len) <= 0)
		return;
	if (wc_parse_ip6_binary(data, len, GN_MAX_DNS, &t->dhcp_name_server[1], &rep) < 0)
		gn_guest_warn(lv->g, "%s: value 'Dhcpv6DNSServers' holds %lu bytes, not 16-byte "
			      "addresses", ctx, (unsigned long)len);
	warn_report(lv, ctx, "Dhcpv6DNSServers", GN_AF_INET6, GN_MAX_DNS, &rep);
}

/* The registry's configuration of interface guid.  A missing Tcpip key matters (it is where
 * Windows keeps every IPv4 interface's settings); a missing Tcpip6 one does not: Windows makes
 * it only when something is configured or leased. */
static void read_tcpip(struct live *lv, const char *guid, bool ipv4, struct wc_tcpip *t)
{
	_cleanup_(reg_closep) HKEY k = NULL, k6 = NULL;
	char ctx[128];

	wc_tcpip_init(t);
	snprintf(ctx, sizeof(ctx), "registry key 'Tcpip\\Parameters\\Interfaces\\%s'", guid);
	int r = reg_open(lv, lv->interfaces[0], guid, ctx, &k);
	if (r == 0 && ipv4 && lv->interfaces[0])
		gn_guest_warn(lv->g, "%s is missing: address and DNS server origins come from the "
			      "IP Helper API alone", ctx);
	if (r > 0) {
		t->found[0] = true;
		read_tcpip4(lv, k, ctx, t);
	}
	snprintf(ctx, sizeof(ctx), "registry key 'Tcpip6\\Parameters\\Interfaces\\%s'", guid);
	if (reg_open(lv, lv->interfaces[1], guid, ctx, &k6) > 0) {
		t->found[1] = true;
		read_tcpip6(lv, k6, ctx, t);
	}
}

/*
 * Adapters.
 */

static void adapter_values(const IP_ADAPTER_ADDRESSES *aa, struct wc_adapter *a)
{
	memset(a, 0, sizeof(*a));
	a->ipv4_enabled = aa->Flags & IP_ADAPTER_IPV4_ENABLED;
	a->ipv6_enabled = aa->Flags & IP_ADAPTER_IPV6_ENABLED;
	a->dhcpv4_enabled = aa->Flags & IP_ADAPTER_DHCP_ENABLED;
	a->dhcpv6_managed = aa->Flags & IP_ADAPTER_IPV6_MANAGE_ADDRESS_CONFIG;
	a->ipv4_metric = aa->Ipv4Metric;
	a->ipv6_metric = aa->Ipv6Metric;
	if (ip_from_socket_address(&aa->Dhcpv4Server, &a->dhcpv4_server) < 0)
		a->dhcpv4_server.family = 0;
}

static void read_enabled(struct live *lv, struct gn_interface *ifc, const IP_ADAPTER_ADDRESSES *aa,
			 const char *ctx)
{
	MIB_IF_ROW2 row;
	DWORD e;

	memset(&row, 0, sizeof(row));
	row.InterfaceLuid = aa->Luid;
	e = GetIfEntry2(&row);
	if (e == NO_ERROR)
		ifc->enabled = row.AdminStatus == NET_IF_ADMIN_STATUS_UP;
	else
		gn_guest_warn(lv->g, "%s: its administrative state could not be read (GetIfEntry2: %s)",
			      ctx, WIN_STRERROR(e));
}

/* Description, MAC, type, MTU, enabled state, DNS suffix. */
static void read_identity(struct live *lv, struct gn_interface *ifc,
			  const IP_ADAPTER_ADDRESSES *aa, const char *ctx)
{
	char mac[GN_MAC_TEXT_MAX];

	set_text(lv, &ifc->description, ctx, "description", aa->Description);
	set_text(lv, &ifc->dns_suffix, ctx, "DNS suffix", aa->DnsSuffix);
	ifc->type = wc_iftype(aa->IfType);
	/* tunnels carry no MAC (length 0) or an address of another size: no mac attribute */
	if (aa->PhysicalAddressLength == 6 && gn_mac_from_bytes(aa->PhysicalAddress, mac) == 0)
		gn_interface_set_mac(ifc, mac);
	else if (aa->PhysicalAddressLength != 0 && aa->PhysicalAddressLength != 6 &&
		 (ifc->type == GN_IFTYPE_ETHERNET || ifc->type == GN_IFTYPE_WIRELESS))
		gn_guest_warn(lv->g, "%s: its hardware address has %lu bytes, not 6", ctx,
			      (unsigned long)aa->PhysicalAddressLength);
	if (aa->Mtu >= 68 && aa->Mtu <= 65535)
		ifc->mtu = aa->Mtu;
	else if (aa->Mtu != 0 && aa->Mtu != UINT32_MAX)
		gn_guest_warn(lv->g, "%s: MTU %lu is out of range", ctx, (unsigned long)aa->Mtu);
	read_enabled(lv, ifc, aa, ctx);
}

static void read_addresses(struct live *lv, struct gn_interface *ifc, const struct wc_adapter *a,
			   const struct wc_tcpip *t, const IP_ADAPTER_ADDRESSES *aa, const char *ctx)
{
	uint32_t lease_lifetime = 0;
	bool leased = false;

	for (const IP_ADAPTER_UNICAST_ADDRESS *u = aa->FirstUnicastAddress; u; u = u->Next) {
		struct wc_unicast wu = {
			.prefix = u->OnLinkPrefixLength,
			.prefix_origin = u->PrefixOrigin,
			.suffix_origin = u->SuffixOrigin,
			.lease_lifetime = u->LeaseLifetime,
		};
		enum gn_origin origin;
		int r;

		if (ip_from_socket_address(&u->Address, &wu.ip) < 0 || wc_address_temporary(&wu))
			continue;  /* not IPv4 or IPv6; a privacy address */
		if (wu.prefix > gn_ip_bits(wu.ip.family)) {
			gn_guest_warn(lv->g, "%s: address %s has prefix length %u", ctx,
				      gn_ip_format(&wu.ip, (char[GN_IP_TEXT_MAX]){ 0 }), wu.prefix);
			continue;
		}
		origin = wc_address_origin(a, t, &wu);
		r = gn_ipconf_add_address(gn_interface_ipconf(ifc, wu.ip.family), &wu.ip, wu.prefix,
					  origin);
		warn_add(lv, r, ctx, "address", &wu.ip);
		if (origin == GN_ORIGIN_DHCP && wu.ip.family == GN_AF_INET && !leased) {
			leased = true;
			lease_lifetime = wu.lease_lifetime;
		}
	}
	if (ifc->v4.mode == GN_MODE_DHCP && leased)
		wc_set_lease(&ifc->v4.lease, a, t, lease_lifetime, lv->now);
}

/* DNS servers (each in its family's list, in the adapter's order) and WINS servers. */
static void read_servers(struct live *lv, struct gn_interface *ifc, const struct wc_tcpip *t,
			 const IP_ADAPTER_ADDRESSES *aa, const char *ctx)
{
	for (const IP_ADAPTER_DNS_SERVER_ADDRESS *d = aa->FirstDnsServerAddress; d; d = d->Next) {
		struct gn_ip ip;

		if (ip_from_socket_address(&d->Address, &ip) < 0 || wc_dns_placeholder(&ip))
			continue;
		warn_add(lv, gn_ipconf_add_dns(gn_interface_ipconf(ifc, ip.family), &ip,
					       wc_dns_origin(t, &ip)), ctx, "DNS server", &ip);
	}
	for (const IP_ADAPTER_WINS_SERVER_ADDRESS *w = aa->FirstWinsServerAddress; w; w = w->Next) {
		struct gn_ip ip;

		if (ip_from_socket_address(&w->Address, &ip) < 0 || ip.family != GN_AF_INET)
			continue;  /* NetBIOS is IPv4 only */
		warn_add(lv, gn_ipconf_add_wins(&ifc->v4, &ip), ctx, "WINS server", &ip);
	}
}

/* The adapter's friendly name, which --exclude and --include patterns match; NULL after a
 * warning when it cannot be read. */
static char *adapter_name(struct live *lv, const IP_ADAPTER_ADDRESSES *aa)
{
	char *name = NULL;
	size_t len;

	if (aa->FriendlyName && utf8_from_wide(aa->FriendlyName, -1, &name, &len) < 0)
		gn_guest_warn(lv->g, "adapter %.64s: its name is not valid UTF-16", aa->AdapterName);
	return name;
}

static void add_adapter(struct live *lv, const IP_ADAPTER_ADDRESSES *aa)
{
	_cleanup_free_ struct wc_tcpip *t = NULL;
	_cleanup_free_ char *name = NULL;
	struct gn_interface *ifc;
	struct reported *rep;
	char ctx[96];
	int r;

	if (aa->IfType == IF_TYPE_SOFTWARE_LOOPBACK)
		return;
	if (!aa->AdapterName || !aa->AdapterName[0]) {
		gn_guest_warn(lv->g, "an adapter has no name (interface index %lu); skipped",
			      (unsigned long)aa->IfIndex);
		return;
	}
	name = adapter_name(lv, aa);
	if (agent_excluded(lv->opt, name ? name : aa->AdapterName))
		return;
	r = gn_guest_add_interface(lv->g, aa->AdapterName, &ifc);
	if (r == -EEXIST) {
		gn_guest_warn(lv->g, "adapter %.64s is listed twice; the second was skipped",
			      aa->AdapterName);
		return;
	}
	if (r < 0) {
		warn_add(lv, r, "the adapter list", "interface", NULL);
		return;
	}
	snprintf(ctx, sizeof(ctx), "adapter %s", ifc->id);
	if (name && gn_set_string(&ifc->name, name) < 0)
		gn_guest_warn(lv->g, "%s: its name cannot be written", ctx);
	if (GN_ARRAY_PUSH(&lv->reported, GN_MAX_INTERFACES, &rep) < 0) {
		gn_guest_remove_interface(lv->g, ifc);
		gn_guest_warn(lv->g, "%s: out of memory", ctx);
		return;
	}
	rep->luid = aa->Luid.Value;
	rep->ifc = ifc;
	rep->aa = aa;
	adapter_values(aa, &rep->a);
	ifc->v4.mode = wc_ipv4_mode(&rep->a);
	ifc->v6.mode = wc_ipv6_mode(&rep->a);
	read_identity(lv, ifc, aa, ctx);

	t = malloc(sizeof(*t));
	if (!t) {
		gn_guest_warn(lv->g, "%s: out of memory", ctx);
		return;
	}
	if (gn_is_guid(ifc->id))
		read_tcpip(lv, ifc->id, rep->a.ipv4_enabled, t);
	else
		wc_tcpip_init(t);  /* not a GUID: no registry key is named after it */
	read_addresses(lv, ifc, &rep->a, t, aa, ctx);
	read_servers(lv, ifc, t, aa, ctx);
}

static int get_adapters(IP_ADAPTER_ADDRESSES **ret, gn_error *err)
{
	const ULONG flags = GAA_FLAG_INCLUDE_GATEWAYS | GAA_FLAG_INCLUDE_WINS_INFO |
			    GAA_FLAG_INCLUDE_PREFIX | GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST;
	ULONG size = LIVE_ADAPTERS_FIRST_BYTES;

	for (int i = 0; i < LIVE_ADAPTERS_TRIES; i++) {
		IP_ADAPTER_ADDRESSES *buf = malloc(size);
		ULONG e;

		if (!buf)
			return gn_error_set(err, -ENOMEM, "out of memory");
		e = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, buf, &size);
		if (e == NO_ERROR) {
			*ret = buf;
			return 0;
		}
		free(buf);
		if (e == ERROR_NO_DATA) {
			*ret = NULL;
			return 0;
		}
		if (e != ERROR_BUFFER_OVERFLOW)
			return gn_error_set(err, -EIO, "the network adapters could not be read "
					    "(GetAdaptersAddresses: %s)", WIN_STRERROR(e));
		if (size > LIVE_ADAPTERS_MAX_BYTES)
			return gn_error_set(err, -E2BIG, "the list of network adapters needs %lu bytes, "
					    "more than the limit of %u", (unsigned long)size,
					    LIVE_ADAPTERS_MAX_BYTES);
	}
	return gn_error_set(err, -EAGAIN, "the network adapters kept changing while they were read");
}

/*
 * Routes.
 */

static const struct reported *find_reported(const struct live *lv, uint64_t luid)
{
	for (size_t i = 0; i < lv->reported.n; i++)
		if (lv->reported.v[i].luid == luid)
			return &lv->reported.v[i];
	return NULL;
}

static int ip_from_sockaddr_inet(const SOCKADDR_INET *sa, struct gn_ip *ip)
{
	return ip_from_sockaddr((const SOCKADDR *)sa, sizeof(*sa), ip);
}

static void add_route_row(struct live *lv, const MIB_IPFORWARD_ROW2 *row)
{
	const struct reported *rep = find_reported(lv, row->InterfaceLuid.Value);
	struct wc_route rt = {
		.prefix = row->DestinationPrefix.PrefixLength,
		.protocol = (unsigned)row->Protocol,
		.origin = (unsigned)row->Origin,
		.metric = row->Metric,
		.loopback = row->Loopback,
	};
	char buf[GN_IP_TEXT_MAX];
	bool gateway;
	int r;

	if (!rep)
		return;  /* loopback, or an interface left out: its routes go with it */
	if (ip_from_sockaddr_inet(&row->DestinationPrefix.Prefix, &rt.destination) < 0 ||
	    ip_from_sockaddr_inet(&row->NextHop, &rt.next_hop) < 0)
		return;
	r = wc_add_route(lv->g, rep->ifc, &rep->a, &rt);
	gateway = wc_route_kind(&rt) == WC_ROUTE_GATEWAY;
	if (r == -EINVAL)
		gn_guest_warn(lv->g, "the routing table: the route to %s/%u is not valid",
			      gn_ip_format(&rt.destination, buf), rt.prefix);
	else if (r < 0)
		warn_add(lv, r, gateway ? rep->ifc->id : "the routing table",
			 gateway ? "gateway" : "static route", &rt.next_hop);
}

/* Without the routing table: the gateways the adapters list, whose metrics are unknown. */
static void gateways_from_adapters(struct live *lv)
{
	for (size_t i = 0; i < lv->reported.n; i++) {
		const struct reported *rep = &lv->reported.v[i];

		for (const IP_ADAPTER_GATEWAY_ADDRESS *gw = rep->aa->FirstGatewayAddress; gw;
		     gw = gw->Next) {
			struct gn_ip ip;

			if (ip_from_socket_address(&gw->Address, &ip) < 0)
				continue;
			warn_add(lv, gn_ipconf_add_gateway(gn_interface_ipconf(rep->ifc, ip.family), &ip,
							   GN_UNSET), rep->ifc->id, "gateway", &ip);
		}
	}
}

/*
 * Gateways are the next hops of the default routes, not the adapters' FirstGatewayAddress: the
 * routing table carries their metrics, and Wine lists there the next hop of every route.
 */
static void read_routes(struct live *lv)
{
	MIB_IPFORWARD_TABLE2 *table = NULL;
	DWORD e = GetIpForwardTable2(AF_UNSPEC, &table);

	if (e == ERROR_NOT_FOUND)
		return;  /* no routes at all */
	if (e != NO_ERROR) {
		gn_guest_warn(lv->g, "the routing table could not be read (GetIpForwardTable2: %s): "
			      "gateways are the adapters' own list, without metrics, and static "
			      "routes are missing", WIN_STRERROR(e));
		gateways_from_adapters(lv);
		return;
	}
	for (ULONG i = 0; i < table->NumEntries; i++)
		add_route_row(lv, &table->Table[i]);
	FreeMibTable(table);
}

/*
 * The guest: host name, primary DNS suffix, search list, system-wide DNS servers.
 */

/* GetComputerNameExW into a string field: 1 set, 0 empty (none), -1 when the call failed. */
static int computer_name(struct live *lv, COMPUTER_NAME_FORMAT format, char **field,
			 const char *what)
{
	WCHAR w[256];
	DWORD n = GN_ELEMENTSOF(w);

	if (!GetComputerNameExW(format, w, &n))
		return -1;
	if (!w[0])
		return 0;
	set_text(lv, field, "the system", what, w);
	return 1;
}

/* The registry's value where GetComputerNameExW failed. */
static void registry_name(struct live *lv, const char *value, char **field, const char *what)
{
	_cleanup_free_ char *s = NULL;
	size_t len;

	if (reg_string(lv, lv->tcpip, "registry key 'Tcpip\\Parameters'", value, &s, &len) > 0 &&
	    gn_set_string(field, s) < 0)
		gn_guest_warn(lv->g, "registry key 'Tcpip\\Parameters': the %s cannot be written", what);
}

static void read_search(struct live *lv, const char *ctx)
{
	_cleanup_free_ char *s = NULL;
	char *save = NULL;
	size_t len;

	if (reg_string(lv, lv->tcpip, ctx, "SearchList", &s, &len) <= 0)
		return;
	for (char *d = strtok_r(s, ", \t;", &save); d; d = strtok_r(NULL, ", \t;", &save)) {
		int r = gn_guest_add_search(lv->g, d);

		if (r == -EINVAL)
			gn_guest_warn(lv->g, "%s: value 'SearchList': '%.100s' is not a domain", ctx, d);
		else if (r < 0) {
			warn_add(lv, r, ctx, "search domain", NULL);
			break;
		}
	}
}

static void read_guest(struct live *lv)
{
	const char *ctx = "registry key 'Tcpip\\Parameters'";
	struct wc_ip_list dns = { .n = 0 };

	if (computer_name(lv, ComputerNameDnsHostname, &lv->g->hostname, "host name") < 0) {
		DWORD e = GetLastError();

		registry_name(lv, "Hostname", &lv->g->hostname, "host name");
		if (!lv->g->hostname)
			gn_guest_warn(lv->g, "the host name could not be read (GetComputerNameExW: %s)",
				      WIN_STRERROR(e));
	}
	if (computer_name(lv, ComputerNameDnsDomain, &lv->g->domain, "primary DNS suffix") < 0)
		registry_name(lv, "Domain", &lv->g->domain, "primary DNS suffix");
	read_search(lv, ctx);
	/* NT 4's system-wide servers, which later Windows still honours */
	read_list(lv, lv->tcpip, ctx, "NameServer", GN_AF_INET, GN_MAX_DNS, &dns);
	for (size_t i = 0; i < dns.n; i++)
		warn_add(lv, gn_guest_add_dns(lv->g, &dns.v[i], GN_ORIGIN_STATIC), ctx, "DNS server",
			 &dns.v[i]);
}

static void open_registry(struct live *lv)
{
	_cleanup_(reg_closep) HKEY tcpip6 = NULL;
	int r = reg_open(lv, HKEY_LOCAL_MACHINE, TCPIP_KEY, "registry key '" TCPIP_KEY "'", &lv->tcpip);

	if (r == 0)
		gn_guest_warn(lv->g, "registry key 'Tcpip\\Parameters' is missing: no search list, "
			      "and address and DNS server origins come from the IP Helper API alone");
	else if (r > 0 && reg_open(lv, lv->tcpip, "Interfaces",
				   "registry key 'Tcpip\\Parameters\\Interfaces'", &lv->interfaces[0]) == 0)
		gn_guest_warn(lv->g, "registry key 'Tcpip\\Parameters\\Interfaces' is missing: address "
			      "and DNS server origins come from the IP Helper API alone");
	if (reg_open(lv, HKEY_LOCAL_MACHINE, TCPIP6_KEY, "registry key '" TCPIP6_KEY "'", &tcpip6) > 0)
		reg_open(lv, tcpip6, "Interfaces", "registry key 'Tcpip6\\Parameters\\Interfaces'",
			 &lv->interfaces[1]);
}

int agent_collect(struct gn_guest *g, const struct agent_options *opt, gn_error *err)
{
	_cleanup_(live_release) struct live lv = { .g = g, .opt = opt, .now = (int64_t)time(NULL) };
	_cleanup_free_ IP_ADAPTER_ADDRESSES *list = NULL;
	int r;

	g->os = GN_OS_WINDOWS;
	r = get_adapters(&list, err);
	if (r < 0)
		return r;
	if (!list)
		gn_guest_warn(g, "GetAdaptersAddresses lists no network adapters");
	open_registry(&lv);
	for (const IP_ADAPTER_ADDRESSES *aa = list; aa; aa = aa->Next)
		add_adapter(&lv, aa);
	read_routes(&lv);
	read_guest(&lv);
	return 0;
}
