/*
 * linux-suse.c: SUSE Linux Enterprise and openSUSE ifcfg files (wicked, and sysconfig before it),
 * read with libaugeas' Shellvars lens; the route files, which no lens reads, are split here.
 *
 *   /etc/sysconfig/network/ifcfg-NAME   one interface, NAME (wicked takes the name from the file)
 *   /etc/sysconfig/network/ifroute-NAME routes of NAME
 *   /etc/sysconfig/network/routes       routes of the system
 *   /etc/sysconfig/network/config       NETCONFIG_DNS_STATIC_SERVERS and _SEARCHLIST: the
 *                                       system-wide DNS servers and search list netconfig writes
 *                                       into resolv.conf
 *
 * ifcfg keys: NAME (a description of the device: interface/@description), STARTMODE (auto,
 * hotplug, nfsroot, ifplugd: enabled; manual, the default, and off: not), BOOTPROTO (static, the
 * default, dhcp, dhcp4, dhcp6, auto6, none), IPADDR and IPADDR_SUFFIX ("ADDR/PREFIX", or with
 * NETMASK_SUFFIX or PREFIXLEN_SUFFIX; IPv6 too), LLADDR, MTU, ETHERDEVICE with VLAN_ID,
 * BONDING_SLAVEn, BRIDGE_PORTS.
 *
 * Route lines: "DESTINATION GATEWAY NETMASK INTERFACE [TYPE] [OPTIONS]", '-' for a column left
 * out, DESTINATION "default" or ADDR[/PREFIX].  A default route naming (or, in ifroute-NAME,
 * implying) an interface configured here is reported as its gateway.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "linux.h"

#define NETWORK "/etc/sysconfig/network"

typedef GN_ARRAY(char *) name_list;

/* wicked's ifcfg(5): configuration files with these extensions are ignored. */
static bool suse_name(const char *name, const void *prefix)
{
	static const char *const suffixes[] = {
		"~", ".old", ".bak", ".orig", ".scpmbackup", ".rpmnew", ".rpmsave", ".rpmorig",
	};
	size_t p = strlen(prefix);

	return strncmp(name, prefix, p) == 0 && name[p] &&
	       !gn_linux_has_suffix(name, suffixes, GN_ELEMENTSOF(suffixes));
}

/* IPADDR and IPADDR_SUFFIX with their NETMASK / PREFIXLEN. */
static void read_addresses(struct gn_linux_ctx *ctx, struct gn_interface *ifc,
			   const struct gn_linux_vars *vars, const char *path)
{
	char w[GN_LINUX_WHERE_MAX];

	for (size_t i = 0; i < vars->n; i++) {
		const struct gn_linux_var *v = &vars->v[i];
		const char *suffix, *mask, *plen, *why;
		char mn[96], pn[96];
		struct gn_ip ip;
		int prefix, r;
		unsigned p;

		if (strcmp(v->name, "IPADDR") == 0)
			suffix = "";
		else if (strncmp(v->name, "IPADDR_", 7) == 0)
			suffix = v->name + 6;
		else
			continue;
		if (!v->value[0] || gn_linux_var(vars, v->name, NULL) != v->value)
			continue;  /* empty, or assigned again later */
		gn_linux_where(w, sizeof(w), path, v->line);
		if (gn_linux_parse_cidr(v->value, 0, &ip, &prefix, &why) < 0) {
			gn_linux_warn(ctx, "%s: %s='%.64s' %s", w, v->name, v->value, why);
			continue;
		}
		snprintf(mn, sizeof(mn), "NETMASK%s", suffix);
		snprintf(pn, sizeof(pn), "PREFIXLEN%s", suffix);
		plen = gn_linux_var(vars, pn, NULL);
		mask = gn_linux_var(vars, mn, NULL);
		if (prefix < 0 && plen && *plen) {
			if (gn_linux_parse_netmask(plen, GN_AF_INET6,
						   &p) < 0 || p > gn_ip_bits(ip.family)) {
				gn_linux_warn(ctx, "%s: %s='%.32s' is not a prefix length", w, pn,
					      plen);
				continue;
			}
			prefix = (int)p;
		} else if (prefix < 0 && mask && *mask) {
			if (gn_linux_parse_netmask(mask, ip.family, &p) < 0) {
				gn_linux_warn(ctx, "%s: %s='%.32s' is not a netmask", w, mn, mask);
				continue;
			}
			prefix = (int)p;
		}
		if (prefix < 0) {
			gn_linux_warn(ctx, "%s: address %s has no prefix length, %s or %s; it was "
				      "skipped", w, v->value, pn, mn);
			continue;
		}
		r = gn_ipconf_add_address(gn_interface_ipconf(ifc, ip.family), &ip,
					  (unsigned)prefix, GN_ORIGIN_STATIC);
		if (r < 0)
			gn_linux_warn_add(ctx, r, w, "address", v->value);
	}
}

/* Route lines: "DEST GATEWAY NETMASK INTERFACE [TYPE] [OPTIONS]". */
struct route_file {
	struct gn_linux_unit *u;
	const char *ifname;  /* the interface of an ifroute-NAME file, NULL for routes */
};

static void route_line(struct gn_linux_ctx *ctx, const char *w, char **words, size_t n,
		       void *data)
{
	const struct route_file *r = data;
	struct gn_linux_route rt = { .metric = GN_UNSET };
	const char *why, *dev;
	size_t i;
	int prefix;
	unsigned plen;
	bool v6;

	if (n < 2) {
		gn_linux_warn(ctx, "%s: a route needs at least a destination and a gateway; "
			      "the line was skipped", w);
		return;
	}
	if (strcmp(words[1], "-") != 0 && gn_ip_parse(words[1], &rt.gateway) < 0) {
		gn_linux_warn(ctx, "%s: gateway '%.64s' is not an address; the line was "
			      "skipped", w, words[1]);
		return;
	}
	v6 = rt.gateway.family == GN_AF_INET6 || strchr(words[0], ':');
	if (strcmp(words[0], "default") == 0) {
		rt.dest.family = v6 ? GN_AF_INET6 : GN_AF_INET;
		rt.prefix = 0;
	} else if (gn_linux_parse_cidr(words[0], 0, &rt.dest, &prefix, &why) < 0) {
		gn_linux_warn(ctx, "%s: destination '%.64s' %s; the line was skipped", w,
			      words[0], why);
		return;
	} else {
		if (prefix < 0 && n > 2 && strcmp(words[2], "-") != 0) {
			if (gn_linux_parse_netmask(words[2], rt.dest.family, &plen) < 0) {
				gn_linux_warn(ctx, "%s: netmask '%.64s' is not one; the "
					      "line was skipped", w, words[2]);
				return;
			}
			prefix = (int)plen;
		}
		rt.prefix = prefix < 0 ? gn_ip_bits(rt.dest.family) : (unsigned)prefix;
	}
	if (rt.gateway.family && rt.gateway.family != rt.dest.family) {
		gn_linux_warn(ctx, "%s: the route mixes IPv4 and IPv6; the line was "
			      "skipped", w);
		return;
	}
	dev = n > 3 && strcmp(words[3], "-") != 0 ? words[3] : r->ifname;
	if (dev && strlen(dev) < sizeof(rt.dev))
		strcpy(rt.dev, dev);
	/* TYPE, then ip route options: only the metric and the table matter here */
	i = 4;
	if (i < n && (strcmp(words[i], "unicast") == 0 || strcmp(words[i], "-") == 0))
		i++;
	else if (i < n && (strcmp(words[i], "blackhole") == 0 ||
			   strcmp(words[i], "unreachable") == 0 || strcmp(words[i], "prohibit") == 0 ||
			   strcmp(words[i], "local") == 0 || strcmp(words[i], "throw") == 0)) {
		gn_linux_warn(ctx, "%s: a %s route is not reported", w, words[i]);
		return;
	}
	for (; i + 1 < n; i++) {
		uint64_t m;
		if ((strcmp(words[i], "metric") == 0 || strcmp(words[i], "preference") == 0) &&
		    gn_linux_parse_uint(words[i + 1], 0, UINT32_MAX, &m) == 0)
			rt.metric = (int64_t)m;
		else if (strcmp(words[i], "table") == 0 && strcmp(words[i + 1], "main") != 0 &&
			 strcmp(words[i + 1], "254") != 0)
			break;
	}
	if (i + 1 < n) {
		gn_linux_warn(ctx, "%s: the route is in a policy routing table; it was "
			      "skipped", w);
		return;
	}
	gn_linux_add_route(ctx, r->u, &rt, NULL, w);
}

static void read_routes(struct gn_linux_ctx *ctx, struct gn_linux_unit *u, const char *path,
			const char *ifname)
{
	_cleanup_free_ char *text = NULL;

	if (gn_linux_read_file(ctx, path, &text, NULL) > 0)
		gn_linux_each_line(ctx, path, text, route_line, &(struct route_file){ u, ifname });
}

static void add_members(struct gn_linux_ctx *ctx, const struct gn_linux_vars *vars,
			const char *path, name_list *members)
{
	for (size_t i = 0; i < vars->n; i++) {
		const struct gn_linux_var *v = &vars->v[i];
		char *words[GN_LINUX_MAX_WORDS], **slot;
		_cleanup_free_ char *copy = NULL;
		size_t n = 0;

		if (strncmp(v->name, "BONDING_SLAVE", 13) != 0 && strcmp(v->name,
									 "BRIDGE_PORTS") != 0)
			continue;
		copy = strdup(v->value);
		if (!copy || gn_linux_split_words(copy, words, &n) < 0)
			gn_linux_warn(ctx, "'%s' line %d: too many members", path, v->line);
		for (size_t j = 0; j < n; j++) {
			char *name = strdup(words[j]);
			if (!name || GN_ARRAY_PUSH(members, GN_MAX_INTERFACES, &slot) < 0) {
				free(name);
				break;
			}
			*slot = name;
		}
	}
}

static void read_ifcfg(struct gn_linux_ctx *ctx, struct gn_linux_unit *u, const char *name,
		       name_list *members)
{
	char path[GN_LINUX_MAX_PATH], w[GN_LINUX_WHERE_MAX];
	struct gn_linux_vars vars = { 0 };
	struct gn_interface *ifc;
	const char *id = name + 6, *s;
	int line = 0, dhcp4 = -1, dhcp6 = -1, ra = -1;
	bool none = false;

	snprintf(path, sizeof(path), NETWORK "/%s", name);
	if (gn_linux_sh_file(ctx, path, &vars) <= 0)
		return;
	if (gn_linux_interface_new(ctx, u, id, path, &ifc) <= 0) {
		gn_linux_vars_release(&vars);
		return;
	}
	s = gn_linux_var(&vars, "STARTMODE", &line);
	if (!s || !*s || strcmp(s, "manual") == 0 || strcmp(s, "off") == 0)
		ifc->enabled = 0;  /* manual is the default */
	else if (strcmp(s, "auto") == 0 || strcmp(s, "hotplug") == 0 || strcmp(s, "nfsroot") == 0 ||
		 strcmp(s, "ifplugd") == 0 || strcmp(s, "onboot") == 0 || strcmp(s, "on") == 0 ||
		 strcmp(s, "boot") == 0)
		ifc->enabled = 1;
	else
		gn_linux_warn(ctx, "'%s' line %d: STARTMODE='%.32s' is not known", path, line, s);

	s = gn_linux_var(&vars, "BOOTPROTO", &line);
	if (!s || !*s || strcmp(s, "static") == 0)
		;
	else if (strcmp(s, "dhcp") == 0)
		dhcp4 = dhcp6 = 1;
	else if (strcmp(s, "dhcp4") == 0 || strcmp(s, "dhcp+autoip") == 0)
		dhcp4 = 1;
	else if (strcmp(s, "dhcp6") == 0)
		dhcp6 = 1;
	else if (strcmp(s, "auto6") == 0)
		ra = 1;
	else if (strcmp(s, "none") == 0)
		none = true;
	else if (strcmp(s, "autoip") != 0)
		gn_linux_warn(ctx, "'%s' line %d: BOOTPROTO='%.32s' is not known; read as static",
			      path, line, s);
	if ((s = gn_linux_var(&vars, "NAME", &line)) && *s) {
		gn_linux_where(w, sizeof(w), path, line);
		gn_linux_set_string(ctx, &ifc->description, w, "NAME", s);
	}
	if ((s = gn_linux_var(&vars, "LLADDR", &line)) && *s) {
		gn_linux_where(w, sizeof(w), path, line);
		gn_linux_set_mac(ctx, ifc, w, s);
	}
	if ((s = gn_linux_var(&vars, "MTU", &line)) && *s) {
		gn_linux_where(w, sizeof(w), path, line);
		gn_linux_set_mtu(ctx, ifc, w, s);
	}
	if ((s = gn_linux_var(&vars, "VLAN_ID", &line)) && *s) {
		gn_linux_where(w, sizeof(w), path, line);
		gn_linux_set_vlan(ctx, ifc, w, s);
		ifc->type = GN_IFTYPE_ETHERNET;
	} else if (gn_linux_var(&vars, "ETHERDEVICE", NULL)) {
		const char *dot = strrchr(id, '.');
		if (dot && dot[1])
			gn_linux_set_vlan(ctx, ifc, path, dot + 1);
		else if (strncmp(id, "vlan", 4) == 0)
			gn_linux_set_vlan(ctx, ifc, path, id + 4);
		else
			gn_linux_warn(ctx, "'%s': ETHERDEVICE without VLAN_ID, and the name gives "
				      "no id", path);
		ifc->type = GN_IFTYPE_ETHERNET;
	}
	s = gn_linux_var(&vars, "BONDING_MASTER", NULL);
	if ((s && gn_linux_parse_bool(s) == 1) || gn_linux_var(&vars, "BRIDGE_PORTS", NULL) ||
	    ((s = gn_linux_var(&vars, "BRIDGE", NULL)) && gn_linux_parse_bool(s) == 1))
		ifc->type = GN_IFTYPE_OTHER;
	add_members(ctx, &vars, path, members);
	if (!none)
		read_addresses(ctx, ifc, &vars, path);
	gn_linux_set_mode(&ifc->v4, dhcp4, -1, 1);
	if (dhcp6 == 1 || ra == 1 || ifc->v6.addresses.n)
		gn_linux_set_mode(&ifc->v6, dhcp6, ra, 1);
	gn_linux_vars_release(&vars);
}

/* NETCONFIG_DNS_STATIC_SERVERS and _SEARCHLIST of /etc/sysconfig/network/config. */
static void read_netconfig(struct gn_linux_ctx *ctx, struct gn_linux_unit *u)
{
	const char *path = NETWORK "/config";
	struct gn_linux_vars vars = { 0 };
	char w[GN_LINUX_WHERE_MAX];

	if (gn_linux_sh_file(ctx, path, &vars) <= 0)
		return;
	for (int search = 0; search < 2; search++) {
		int line = 0;
		const char *s = gn_linux_var(&vars, search ? "NETCONFIG_DNS_STATIC_SEARCHLIST" :
					     "NETCONFIG_DNS_STATIC_SERVERS", &line);
		_cleanup_free_ char *copy = s ? strdup(s) : NULL;
		char *words[GN_LINUX_MAX_WORDS];
		size_t n = 0;

		if (!copy)
			continue;
		gn_linux_where(w, sizeof(w), path, line);
		if (gn_linux_split_words(copy, words, &n) < 0)
			gn_linux_warn(ctx, "%s: too many entries; the rest were ignored", w);
		for (size_t i = 0; i < n; i++)
			if (search)
				gn_linux_add_search(ctx, u->g, w, words[i]);
			else
				gn_linux_add_guest_dns(ctx, u->g, w, words[i], GN_ORIGIN_STATIC);
	}
	gn_linux_vars_release(&vars);
}

void gn_linux_read_suse(struct gn_linux_ctx *ctx, struct gn_linux_unit *u)
{
	_cleanup_(gn_strv_freep) char **names = NULL;
	name_list members = { 0 };

	if (gn_linux_list(ctx, NETWORK, suse_name, "ifcfg-", &names) <= 0)
		return;
	for (size_t i = 0; names[i]; i++)
		if (names[i][0] != '!')
			read_ifcfg(ctx, u, names[i], &members);
	for (size_t i = 0; i < members.n; i++) {
		struct gn_interface *ifc;

		if (!gn_linux_interface_find(u, members.v[i]) &&
		    gn_linux_interface_new(ctx, u, members.v[i], NETWORK, &ifc) > 0)
			gn_linux_set_mode(&ifc->v4, -1, -1, 1);
		free(members.v[i]);
	}
	free(members.v);
	if (!u->g->interfaces.n)
		return;
	read_routes(ctx, u, NETWORK "/routes", NULL);
	for (size_t i = 0; i < u->g->interfaces.n; i++) {
		char path[GN_LINUX_MAX_PATH];
		snprintf(path, sizeof(path), NETWORK "/ifroute-%s", u->g->interfaces.v[i]->id);
		read_routes(ctx, u, path, u->g->interfaces.v[i]->id);
	}
	read_netconfig(ctx, u);
}
