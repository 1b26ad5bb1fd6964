/*
 * linux-ifcfg.c: RHEL, CentOS and Fedora ifcfg files (initscripts, and NetworkManager's
 * ifcfg-rh plugin), read with libaugeas' Shellvars lens.
 *
 *   /etc/sysconfig/network-scripts/ifcfg-NAME    one interface (DEVICE=, else NAME); a file
 *                                                ifcfg-NAME:N adds alias addresses to NAME
 *   /etc/sysconfig/network-scripts/route-NAME    IPv4 routes: ADDRESSn=/NETMASKn=/GATEWAYn=/
 *                                                METRICn=, or one `ip route` argument list a line
 *   /etc/sysconfig/network-scripts/route6-NAME   IPv6 routes, `ip route` argument lines
 *   /etc/sysconfig/network                       GATEWAY=, GATEWAYDEV=, IPV6_DEFAULTGW=: the
 *                                                default gateway when no ifcfg file names one
 *
 * Keys: DEVICE, NAME (the connection's name: interface/@name), TYPE, HWADDR (the pinned MAC),
 * MACADDR (a MAC set over it), MTU, ONBOOT, BOOTPROTO, IPADDR[n] with PREFIX[n] or NETMASK[n],
 * GATEWAY, DEFROUTE, METRIC or IPV4_ROUTE_METRIC, DNS1..DNSn, DOMAIN, VLAN, VLAN_ID, IPV6INIT,
 * IPV6_DISABLED, IPV6_AUTOCONF, DHCPV6C, IPV6ADDR, IPV6ADDR_SECONDARIES, IPV6_DEFAULTGW.
 *
 * A default route in route-NAME (or route6-NAME) is reported as a gateway of NAME's interface,
 * with its metric, not as a route: that is what it is, and what GATEWAY= would have said.  The
 * Sysconfig_Route lens reads only "NET/PREFIX via GW" lines without comments, so `ip route`
 * argument lines are split here and read by gn_linux_parse_ip_route (which Debian's "up ip route
 * add" lines share).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "linux.h"

#define SCRIPTS "/etc/sysconfig/network-scripts"
/* Numbered keys looked at (IPADDR0..., ADDRESS0...): initscripts reads up to 255. */
#define IFCFG_MAX_INDEX 256
/* DNS1.. DNSn: NetworkManager writes as many as there are servers. */
#define IFCFG_MAX_DNS GN_MAX_DNS

/* Names initscripts and NetworkManager skip: editor and package manager leftovers. */
static bool ignored_name(const char *name)
{
	static const char *const suffixes[] = {
		"~", ".bak", ".orig", ".rej", ".rpmnew", ".rpmsave", ".rpmorig", ".old", ".swp",
		".augnew", ".augsave", ".augtmp",
	};
	return name[0] == '.' || gn_linux_has_suffix(name, suffixes, GN_ELEMENTSOF(suffixes));
}

static bool ifcfg_name(const char *name, const void *data)
{
	(void)data;
	return strncmp(name, "ifcfg-", 6) == 0 && name[6] && !ignored_name(name);
}

/* A yes/no variable: 1, 0, or def when absent; a value that is neither is a warning. */
static int var_bool(struct gn_linux_ctx *ctx, const struct gn_linux_vars *vars, const char *path,
		    const char *name, int def)
{
	int line = 0, b;
	const char *s = gn_linux_var(vars, name, &line);

	if (!s || !*s)
		return def;
	b = gn_linux_parse_bool(s);
	if (b < 0) {
		gn_linux_warn(ctx, "'%s' line %d: %s='%.32s' is not yes or no", path, line, name,
			      s);
		return def;
	}
	return b;
}

/* IPADDR / IPADDRn with PREFIX(n) or NETMASK(n). */
static void read_v4_addresses(struct gn_linux_ctx *ctx, struct gn_interface *ifc,
			      const struct gn_linux_vars *vars, const char *path)
{
	char w[GN_LINUX_WHERE_MAX];

	for (int i = -1; i < IFCFG_MAX_INDEX; i++) {
		char an[16], pn[16], mn[16];
		const char *addr, *prefix, *mask, *why;
		struct gn_ip ip;
		int line = 0, p, r;
		unsigned plen;

		snprintf(an, sizeof(an), i < 0 ? "IPADDR" : "IPADDR%d", i);
		snprintf(pn, sizeof(pn), i < 0 ? "PREFIX" : "PREFIX%d", i);
		snprintf(mn, sizeof(mn), i < 0 ? "NETMASK" : "NETMASK%d", i);
		addr = gn_linux_var(vars, an, &line);
		if (!addr || !*addr)
			continue;
		gn_linux_where(w, sizeof(w), path, line);
		if (gn_linux_parse_cidr(addr, GN_AF_INET, &ip, &p, &why) < 0) {
			gn_linux_warn(ctx, "%s: %s='%.64s' %s", w, an, addr, why);
			continue;
		}
		prefix = gn_linux_var(vars, pn, NULL);
		mask = gn_linux_var(vars, mn, NULL);
		if (p >= 0)
			plen = (unsigned)p;
		else if (prefix && *prefix) {
			if (gn_linux_parse_netmask(prefix, GN_AF_INET6, &plen) < 0 || plen > 32) {
				gn_linux_warn(ctx, "%s: %s='%.32s' is not a prefix length", w, pn,
					      prefix);
				continue;
			}
		} else if (mask && *mask) {
			if (gn_linux_parse_netmask(mask, GN_AF_INET, &plen) < 0) {
				gn_linux_warn(ctx, "%s: %s='%.32s' is not a netmask", w, mn, mask);
				continue;
			}
		} else {
			gn_linux_warn(ctx, "%s: address %s has no %s or %s; it was skipped", w,
				      addr, pn, mn);
			continue;
		}
		r = gn_ipconf_add_address(&ifc->v4, &ip, plen, GN_ORIGIN_STATIC);
		if (r < 0)
			gn_linux_warn_add(ctx, r, w, "address", addr);
	}
}

static void read_v6(struct gn_linux_ctx *ctx, struct gn_interface *ifc,
		    const struct gn_linux_vars *vars, const char *path)
{
	char w[GN_LINUX_WHERE_MAX];
	const char *s;
	int line = 0, init, dhcp, autoconf, disabled;

	init = var_bool(ctx, vars, path, "IPV6INIT", -1);
	disabled = var_bool(ctx, vars, path, "IPV6_DISABLED", 0);
	if ((s = gn_linux_var(vars, "IPV6ADDR", &line)) && *s) {
		gn_linux_where(w, sizeof(w), path, line);
		gn_linux_add_address(ctx, ifc, w, s, GN_AF_INET6, 64);
	}
	if ((s = gn_linux_var(vars, "IPV6ADDR_SECONDARIES", &line)) && *s) {
		_cleanup_free_ char *copy = strdup(s);
		char *words[GN_LINUX_MAX_WORDS];
		size_t n = 0;

		gn_linux_where(w, sizeof(w), path, line);
		if (!copy || gn_linux_split_words(copy, words, &n) < 0)
			gn_linux_warn(ctx, "%s: IPV6ADDR_SECONDARIES lists too many addresses", w);
		for (size_t i = 0; i < n; i++)
			gn_linux_add_address(ctx, ifc, w, words[i], GN_AF_INET6, 64);
	}
	if ((s = gn_linux_var(vars, "IPV6_DEFAULTGW", &line)) && *s) {
		char gw[GN_IP_TEXT_MAX + 1];
		size_t len = strcspn(s, "%");  /* "ADDR%DEV" */

		gn_linux_where(w, sizeof(w), path, line);
		snprintf(gw, sizeof(gw), "%.*s", (int)(len < sizeof(gw) - 1 ? len : sizeof(gw) - 1),
			 s);
		gn_linux_add_gateway(ctx, ifc, w, gw, GN_AF_INET6, GN_UNSET);
	}
	if (init == 0 || disabled == 1) {
		if (ifc->v6.addresses.n)
			gn_linux_warn(ctx, "'%s': IPv6 is off (IPV6INIT=no or IPV6_DISABLED=yes); "
				      "its addresses are reported, but not configured", path);
		ifc->v6.mode = GN_MODE_DISABLED;
		return;
	}
	if (init < 0 && ifc->v6.addresses.n == 0)
		return;  /* nothing said about IPv6 */
	dhcp = var_bool(ctx, vars, path, "DHCPV6C", 0);
	autoconf = var_bool(ctx, vars, path, "IPV6_AUTOCONF", 1);
	gn_linux_set_mode(&ifc->v6, dhcp, autoconf, 1);
}

static void read_vlan(struct gn_linux_ctx *ctx, struct gn_interface *ifc,
		      const struct gn_linux_vars *vars, const char *path, const char *type)
{
	char w[GN_LINUX_WHERE_MAX];
	const char *s, *dot;
	int line = 0;

	if (var_bool(ctx, vars, path, "VLAN", 0) != 1 && !(type && strcasecmp(type, "Vlan") == 0))
		return;
	if ((s = gn_linux_var(vars, "VLAN_ID", &line)) && *s) {
		gn_linux_where(w, sizeof(w), path, line);
		gn_linux_set_vlan(ctx, ifc, w, s);
	} else if ((dot = strrchr(ifc->id, '.')))
		gn_linux_set_vlan(ctx, ifc, path, dot + 1);  /* eth0.12 */
	else if (strncmp(ifc->id, "vlan", 4) == 0)
		gn_linux_set_vlan(ctx, ifc, path, ifc->id + 4);  /* vlan12 + PHYSDEV */
	else
		gn_linux_warn(ctx, "'%s': VLAN=yes, but neither VLAN_ID nor the name '%s' gives "
			      "its id", path, ifc->id);
}

static enum gn_iftype type_of(const char *type)
{
	static const struct {
		const char *name;
		enum gn_iftype type;
	} types[] = {
		{ "Ethernet", GN_IFTYPE_ETHERNET }, { "Wireless", GN_IFTYPE_WIRELESS },
		{ "Vlan", GN_IFTYPE_ETHERNET },     { "Bond", GN_IFTYPE_OTHER },
		{ "Bridge", GN_IFTYPE_OTHER },      { "Team", GN_IFTYPE_OTHER },
		{ "InfiniBand", GN_IFTYPE_OTHER },  { "IPIP", GN_IFTYPE_TUNNEL },
		{ "GRE", GN_IFTYPE_TUNNEL },        { "IPIP6", GN_IFTYPE_TUNNEL },
	};

	for (size_t i = 0; type && i < GN_ELEMENTSOF(types); i++)
		if (strcasecmp(type, types[i].name) == 0)
			return types[i].type;
	return GN_IFTYPE_UNSET;
}

/* route-NAME in the ADDRESSn= form. */
static void read_routes_vars(struct gn_linux_ctx *ctx, struct gn_linux_unit *u, const char *path,
			     const char *dev)
{
	struct gn_linux_vars vars = { 0 };
	char w[GN_LINUX_WHERE_MAX];

	if (gn_linux_sh_file(ctx, path, &vars) <= 0)
		return;
	for (int i = 0; i < IFCFG_MAX_INDEX; i++) {
		char an[16], mn[16], gn[16], metn[16];
		const char *addr, *mask, *gw, *metric;
		struct gn_linux_route rt = { .metric = GN_UNSET };
		uint64_t m;
		int line = 0;

		snprintf(an, sizeof(an), "ADDRESS%d", i);
		snprintf(mn, sizeof(mn), "NETMASK%d", i);
		snprintf(gn, sizeof(gn), "GATEWAY%d", i);
		snprintf(metn, sizeof(metn), "METRIC%d", i);
		if (!(addr = gn_linux_var(&vars, an, &line)))
			continue;
		gn_linux_where(w, sizeof(w), path, line);
		mask = gn_linux_var(&vars, mn, NULL);
		gw = gn_linux_var(&vars, gn, NULL);
		metric = gn_linux_var(&vars, metn, NULL);
		if (gn_ip_parse_family(addr, GN_AF_INET, &rt.dest) < 0) {
			gn_linux_warn(ctx, "%s: %s='%.64s' is not an IPv4 address", w, an, addr);
			continue;
		}
		rt.prefix = 32;  /* initscripts: no NETMASKn is a host route */
		if (mask && gn_linux_parse_netmask(mask, GN_AF_INET, &rt.prefix) < 0) {
			gn_linux_warn(ctx, "%s: %s='%.32s' is not a netmask", w, mn, mask);
			continue;
		}
		if (gw && *gw && gn_ip_parse_family(gw, GN_AF_INET, &rt.gateway) < 0) {
			gn_linux_warn(ctx, "%s: %s='%.64s' is not an IPv4 address", w, gn, gw);
			continue;
		}
		if (metric && *metric) {
			if (gn_linux_parse_uint(metric, 0, UINT32_MAX, &m) < 0) {
				gn_linux_warn(ctx, "%s: %s='%.32s' is not a number", w, metn,
					      metric);
				continue;
			}
			rt.metric = (int64_t)m;
		}
		gn_linux_add_route(ctx, u, &rt, dev, w);
	}
	gn_linux_vars_release(&vars);
}

/* A route file whose lines are `ip route` arguments ("10.0.0.0/8 via 1.2.3.4 dev eth0",
 * "default via 10.0.0.1"; '#' starts a comment), routes through dev unless a line names one. */
struct route_file {
	struct gn_linux_unit *u;
	int family;
	const char *dev;
};

static void route_line(struct gn_linux_ctx *ctx, const char *w, char **words, size_t n,
		       void *data)
{
	const struct route_file *f = data;
	struct gn_linux_route rt;
	char why[GN_LINUX_WHY_MAX] = "";

	if (gn_linux_parse_ip_route(words, n, f->family, &rt, why) != 0)
		gn_linux_warn(ctx, "%s: the route %s; it was skipped", w, why);
	else
		gn_linux_add_route(ctx, f->u, &rt, f->dev, w);
}

/* route-NAME (either form) and route6-NAME of interface dev. */
static void read_route_files(struct gn_linux_ctx *ctx, struct gn_linux_unit *u, const char *suffix,
			     const char *dev)
{
	for (int v6 = 0; v6 < 2; v6++) {
		char path[GN_LINUX_MAX_PATH];
		_cleanup_free_ char *text = NULL;
		bool vars = false;

		snprintf(path, sizeof(path), SCRIPTS "/route%s-%s", v6 ? "6" : "", suffix);
		if (gn_linux_read_file(ctx, path, &text, NULL) <= 0)
			continue;
		/* the ADDRESSn= form: initscripts decides on the first such line */
		for (const char *p = text; !v6 && p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
			p += strspn(p, " \t");
			if (strncmp(p, "ADDRESS", 7) == 0 && p[7] >= '0' && p[7] <= '9') {
				vars = true;
				break;
			}
		}
		if (vars)
			read_routes_vars(ctx, u, path, dev);
		else
			gn_linux_each_line(ctx, path, text, route_line,
					   &(struct route_file){ u, v6 ? GN_AF_INET6 : GN_AF_INET, dev });
	}
}

static void read_ifcfg(struct gn_linux_ctx *ctx, struct gn_linux_unit *u, const char *name)
{
	char path[GN_LINUX_MAX_PATH], w[GN_LINUX_WHERE_MAX];
	struct gn_linux_vars vars = { 0 };
	struct gn_interface *ifc;
	const char *suffix = name + 6, *dev, *type, *s, *boot;
	int line = 0, dhcp = 0, onboot;

	snprintf(path, sizeof(path), SCRIPTS "/%s", name);
	if (gn_linux_sh_file(ctx, path, &vars) <= 0)
		return;
	dev = gn_linux_var(&vars, "DEVICE", NULL);
	if (!dev || !*dev)
		dev = suffix;  /* initscripts: the file name names the device */
	if (strchr(dev, ':')) {
		gn_linux_vars_release(&vars);
		return;  /* an alias: read in a second pass */
	}
	if (gn_linux_interface_new(ctx, u, dev, path, &ifc) <= 0) {
		gn_linux_vars_release(&vars);
		return;
	}
	type = gn_linux_var(&vars, "TYPE", NULL);
	ifc->type = type_of(type);
	if ((s = gn_linux_var(&vars, "NAME", &line)) && *s) {
		gn_linux_where(w, sizeof(w), path, line);
		gn_linux_set_string(ctx, &ifc->name, w, "NAME", s);
	}
	if ((s = gn_linux_var(&vars, "HWADDR", &line)) && *s) {
		gn_linux_where(w, sizeof(w), path, line);
		gn_linux_set_mac(ctx, ifc, w, s);
	}
	if ((s = gn_linux_var(&vars, "MACADDR", &line)) && *s) {
		char *hw = ifc->mac ? strdup(ifc->mac) : NULL;
		gn_linux_where(w, sizeof(w), path, line);
		if (gn_linux_set_mac(ctx, ifc, w, s) == 0 && hw)
			gn_interface_set_permanent_mac(ifc, hw);
		free(hw);
	}
	if ((s = gn_linux_var(&vars, "MTU", &line)) && *s) {
		gn_linux_where(w, sizeof(w), path, line);
		gn_linux_set_mtu(ctx, ifc, w, s);
	}
	onboot = var_bool(ctx, &vars, path, "ONBOOT", 1);
	ifc->enabled = onboot;
	read_vlan(ctx, ifc, &vars, path, type);

	boot = gn_linux_var(&vars, "BOOTPROTO", &line);
	if (boot && (strcasecmp(boot, "dhcp") == 0 || strcasecmp(boot, "bootp") == 0))
		dhcp = 1;
	else if (boot && *boot && strcasecmp(boot, "none") != 0 && strcasecmp(boot, "static") != 0)
		gn_linux_warn(ctx, "'%s' line %d: BOOTPROTO='%.32s' is not none, static, dhcp or "
			      "bootp; read as none", path, line, boot);
	read_v4_addresses(ctx, ifc, &vars, path);
	if ((s = gn_linux_var(&vars, "GATEWAY", &line)) && *s) {
		const char *metric = gn_linux_var(&vars, "IPV4_ROUTE_METRIC", NULL);
		uint64_t m = 0;
		bool has_metric;

		if (!metric || !*metric)
			metric = gn_linux_var(&vars, "METRIC", NULL);
		has_metric = metric && *metric && gn_linux_parse_uint(metric, 0, UINT32_MAX,
								      &m) == 0;
		gn_linux_where(w, sizeof(w), path, line);
		if (var_bool(ctx, &vars, path, "DEFROUTE", 1) == 0)
			gn_linux_warn(ctx, "%s: GATEWAY=%.64s is not a default route "
				      "(DEFROUTE=no); it is not reported as a gateway", w, s);
		else
			gn_linux_add_gateway(ctx, ifc, w, s, GN_AF_INET,
					     has_metric ? (int64_t)m : GN_UNSET);
	}
	for (int i = 1; i <= IFCFG_MAX_DNS; i++) {
		char dn[16];
		snprintf(dn, sizeof(dn), "DNS%d", i);
		if ((s = gn_linux_var(&vars, dn, &line)) && *s) {
			gn_linux_where(w, sizeof(w), path, line);
			gn_linux_add_dns(ctx, ifc, w, s);
		}
	}
	if ((s = gn_linux_var(&vars, "DOMAIN", &line)) && *s) {
		_cleanup_free_ char *copy = strdup(s);
		char *words[GN_LINUX_MAX_WORDS];
		size_t n = 0;

		gn_linux_where(w, sizeof(w), path, line);
		if (!copy || gn_linux_split_words(copy, words, &n) < 0)
			gn_linux_warn(ctx, "%s: DOMAIN lists too many domains", w);
		for (size_t i = 0; i < n; i++)
			gn_linux_add_search(ctx, u->g, w, words[i]);
	}
	/* BOOTPROTO=none (or absent) without an address: no IPv4 (a bond or bridge member) */
	gn_linux_set_mode(&ifc->v4, dhcp, -1, 1);
	read_v6(ctx, ifc, &vars, path);
	read_route_files(ctx, u, suffix, ifc->id);
	gn_linux_vars_release(&vars);
}

/* ifcfg-NAME:N: more IPv4 addresses of NAME (initscripts' aliases). */
static void read_alias(struct gn_linux_ctx *ctx, struct gn_linux_unit *u, const char *name)
{
	char path[GN_LINUX_MAX_PATH], parent[64];
	struct gn_linux_vars vars = { 0 };
	struct gn_interface *ifc;
	const char *dev;

	snprintf(path, sizeof(path), SCRIPTS "/%s", name);
	if (gn_linux_sh_file(ctx, path, &vars) <= 0)
		return;
	dev = gn_linux_var(&vars, "DEVICE", NULL);
	if (!dev || !*dev)
		dev = name + 6;
	if (strchr(dev, ':')) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(strchr(dev, ':') - dev), dev);
		ifc = gn_linux_interface_find(u, parent);
		if (ifc) {
			read_v4_addresses(ctx, ifc, &vars, path);
			if (ifc->v4.mode == GN_MODE_DISABLED || ifc->v4.mode == GN_MODE_UNSET)
				gn_linux_set_mode(&ifc->v4, -1, -1, 1);
		} else if (strcmp(parent, "lo") != 0)
			gn_linux_warn(ctx, "'%s': alias of '%s', which no ifcfg file configures; "
				      "it was skipped", path, parent);
	}
	gn_linux_vars_release(&vars);
}

/* /etc/sysconfig/network: the default gateway of the system, for the interface that has none. */
static void read_global(struct gn_linux_ctx *ctx, struct gn_linux_unit *u)
{
	const char *path = "/etc/sysconfig/network";
	struct gn_linux_vars vars = { 0 };
	char w[GN_LINUX_WHERE_MAX];

	if (gn_linux_sh_file(ctx, path, &vars) <= 0)
		return;
	for (int v6 = 0; v6 < 2; v6++) {
		const char *gw, *dev;
		struct gn_ip ip;
		struct gn_interface *ifc = NULL;
		int line = 0;

		gw = gn_linux_var(&vars, v6 ? "IPV6_DEFAULTGW" : "GATEWAY", &line);
		dev = gn_linux_var(&vars, v6 ? "IPV6_DEFAULTDEV" : "GATEWAYDEV", NULL);
		if (!gw || !*gw)
			continue;
		gn_linux_where(w, sizeof(w), path, line);
		char buf[GN_IP_TEXT_MAX + 1];
		size_t len = strcspn(gw, "%");
		snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1),
			 gw);
		if (gn_ip_parse_family(buf, v6 ? GN_AF_INET6 : GN_AF_INET, &ip) < 0) {
			gn_linux_warn(ctx, "%s: gateway '%.64s' is not an address", w, gw);
			continue;
		}
		if (dev && *dev)
			ifc = gn_linux_interface_find(u, dev);
		else if (gw[len] == '%')
			ifc = gn_linux_interface_find(u, gw + len + 1);
		else
			ifc = gn_linux_interface_on_subnet(u, &ip);
		if (!ifc) {
			struct gn_ip any = { .family = ip.family };
			int r = gn_guest_add_route(u->g, &any, 0, &ip, GN_UNSET,
						   dev && *dev ? dev : NULL);
			if (r < 0)
				gn_linux_warn_add(ctx, r, w, "route", gw);
			continue;
		}
		if (gn_interface_ipconf(ifc, ip.family)->gateways.n == 0)
			gn_linux_add_gateway(ctx, ifc, w, buf, ip.family, GN_UNSET);
	}
	gn_linux_vars_release(&vars);
}

void gn_linux_read_ifcfg(struct gn_linux_ctx *ctx, struct gn_linux_unit *u)
{
	_cleanup_(gn_strv_freep) char **names = NULL;

	if (gn_linux_list(ctx, SCRIPTS, ifcfg_name, NULL, &names) <= 0)
		return;
	for (size_t i = 0; names[i]; i++)
		if (names[i][0] != '!' && !strchr(names[i], ':'))
			read_ifcfg(ctx, u, names[i]);
	for (size_t i = 0; names[i]; i++)
		if (names[i][0] != '!' && strchr(names[i], ':'))
			read_alias(ctx, u, names[i]);
	if (u->g->interfaces.n)
		read_global(ctx, u);
}
