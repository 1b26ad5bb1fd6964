/*
 * linux-debian.c: Debian and Ubuntu ifupdown configuration, /etc/network/interfaces, read with
 * libaugeas' Interfaces lens.
 *
 * The file and what it includes are read in ifupdown's order: "source PATTERN" (shell wildcards
 * in the last component) and "source-directory DIR" (names of letters, digits, '_' and '-' only)
 * are read where they stand, relative paths from the including file's folder, at most
 * GN_LINUX_MAX_SOURCE_DEPTH deep.  Stanzas for one interface (inet and inet6, or several of one
 * family) add up to one interface.
 *
 *   iface NAME inet|inet6 METHOD   static, dhcp, bootp, auto (inet6 SLAAC), manual, loopback
 *   auto / allow-hotplug / allow-*  the interface is brought up at boot: enabled; an interface
 *                                   defined but named by none of these is enabled="false"
 *   address, netmask, gateway, metric (of the gateway), mtu, hwaddress, dns-nameservers,
 *   dns-search, dns-domain, vlan-raw-device (with NAME.ID or vlanID names), accept_ra,
 *   autoconf, bond-slaves, bridge_ports (members reported bare when nothing configures them)
 *   up / post-up / pre-up           "ip route add ..." (ip -4 / -6, replace, append) and
 *                                   "route add [-net|-host] ... [netmask M] [gw G] [metric N]
 *                                   [dev D]" become routes (a default route: a gateway of the
 *                                   interface); "ip addr add A/P dev D" an address.  A route or
 *                                   address command that cannot be read is a warning; other
 *                                   commands are not network configuration and are ignored.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "linux.h"

typedef GN_ARRAY(char *) name_list;

/* What the stanzas said of one interface, applied once all files are read. */
struct deb_if {
	char *name;
	int v4, v6;         /* a stanza of the family was seen: 1 */
	int dhcp4, dhcp6, ra;
	bool implicit;      /* a bond or bridge member no stanza configures */
};

struct debian {
	struct gn_linux_ctx *ctx;
	struct gn_linux_unit *u;
	GN_ARRAY(struct deb_if) ifs;
	name_list autos;    /* names in auto and allow-* lines */
	name_list members;  /* bond and bridge members */
	unsigned depth;
};

static void debian_release(struct debian *d)
{
	for (size_t i = 0; i < d->ifs.n; i++)
		free(d->ifs.v[i].name);
	free(d->ifs.v);
	for (size_t i = 0; i < d->autos.n; i++)
		free(d->autos.v[i]);
	free(d->autos.v);
	for (size_t i = 0; i < d->members.n; i++)
		free(d->members.v[i]);
	free(d->members.v);
}

static bool listed(const name_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return true;
	return false;
}

static void strlist_add(struct gn_linux_ctx *ctx, name_list *l, const char *s)
{
	char **slot, *copy;

	if (listed(l, s))
		return;
	copy = strdup(s);
	if (!copy || GN_ARRAY_PUSH(l, GN_MAX_INTERFACES, &slot) < 0) {
		free(copy);
		gn_linux_warn(ctx, "'/etc/network/interfaces': too many interface names; '%.64s' "
			      "was dropped", s);
		return;
	}
	*slot = copy;
}

static struct deb_if *deb_if(struct debian *d, const char *name)
{
	struct deb_if *di;

	for (size_t i = 0; i < d->ifs.n; i++)
		if (strcmp(d->ifs.v[i].name, name) == 0)
			return &d->ifs.v[i];
	if (GN_ARRAY_PUSH(&d->ifs, GN_MAX_INTERFACES, &di) < 0)
		return NULL;
	di->name = strdup(name);
	if (!di->name) {
		d->ifs.n--;
		return NULL;
	}
	di->dhcp4 = di->dhcp6 = di->ra = -1;
	return di;
}

/* Split value into words (a copy, freed with *copy). */
static size_t words_of(struct gn_linux_ctx *ctx, const char *where, const char *value, char **copy,
		       char **words)
{
	size_t n = 0;

	*copy = strdup(value);
	if (!*copy)
		return 0;
	if (gn_linux_split_words(*copy, words, &n) < 0)
		gn_linux_warn(ctx, "%s: more than %d words; the rest were ignored", where,
			      GN_LINUX_MAX_WORDS);
	return n;
}

/* The command name without its folder ("/sbin/ip" is "ip"). */
static const char *command_name(const char *w)
{
	const char *slash = strrchr(w, '/');

	return slash ? slash + 1 : w;
}

static bool is_one_of(const char *w, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(w, *names) == 0)
			return true;
	return false;
}

/* "ip [-4|-6|-f inet6] route add ARGS" and "ip [...] addr add A/P dev D". */
static void ip_command(struct debian *d, const char *where, const char *iface, const char *cmd,
		       char **w, size_t n)
{
	static const char *const route[] = { "route", "ro", "r", "rou", "rout", NULL };
	static const char *const addr[] = {
		"address", "addr", "a", "ad", "add", "addre", "addres", NULL,
	};
	static const char *const add[] = { "add", "replace", "append", "a", "change", NULL };
	char why[GN_LINUX_WHY_MAX] = "";
	int family = 0;
	size_t i = 1;

	while (i < n && w[i][0] == '-') {
		if (strcmp(w[i], "-4") == 0)
			family = GN_AF_INET;
		else if (strcmp(w[i], "-6") == 0)
			family = GN_AF_INET6;
		else if ((strcmp(w[i], "-f") == 0 || strcmp(w[i], "-family") == 0) && i + 1 < n) {
			family = strcmp(w[i + 1], "inet6") == 0 ? GN_AF_INET6 : GN_AF_INET;
			i++;
		}
		i++;
	}
	if (i + 1 >= n)
		return;
	if (is_one_of(w[i], route)) {
		struct gn_linux_route rt;
		int r;

		if (!is_one_of(w[i + 1], add))
			return;  /* del, flush, show: not configuration */
		r = gn_linux_parse_ip_route(w + i + 2, n - i - 2, family, &rt, why);
		if (r != 0)
			gn_linux_warn(d->ctx, "%s: '%.120s': the route %s; it was skipped", where,
				      cmd, why);
		else
			gn_linux_add_route(d->ctx, d->u, &rt, iface, where);
	} else if (is_one_of(w[i], addr) && strcmp(w[i + 1], "add") == 0) {
		const char *a = i + 2 < n ? w[i + 2] : NULL, *dev = iface;
		struct gn_interface *ifc;

		for (size_t k = i + 3; k + 1 < n; k++)
			if (strcmp(w[k], "dev") == 0)
				dev = w[k + 1];
		ifc = dev ? gn_linux_interface_find(d->u, dev) : NULL;
		if (!a || !ifc) {
			gn_linux_warn(d->ctx, "%s: '%.120s' names no configured interface; it was "
				      "skipped", where, cmd);
			return;
		}
		gn_linux_add_address(d->ctx, ifc, where, a, family, -1);
	}
}

/* "route [-A inet6] add [-net|-host] TARGET [netmask M] [gw G] [metric N] [[dev] D]". */
static void route_command(struct debian *d, const char *where, const char *iface, const char *cmd,
			  char **w, size_t n)
{
	struct gn_linux_route rt = { .metric = GN_UNSET };
	const char *target = NULL, *mask = NULL, *why = "is not one this reader understands";
	int family = GN_AF_INET, prefix = -1;
	bool host = false;
	size_t i = 1;

	if (i + 1 < n && strcmp(w[i], "-A") == 0) {
		family = strcmp(w[i + 1], "inet6") == 0 ? GN_AF_INET6 : GN_AF_INET;
		i += 2;
	}
	if (i >= n || strcmp(w[i], "add") != 0)
		return;  /* del, -n: not configuration */
	for (i++; i < n; i++) {
		const char *arg = i + 1 < n ? w[i + 1] : NULL;
		uint64_t v;

		if (strcmp(w[i], "-net") == 0)
			continue;
		if (strcmp(w[i], "-host") == 0)
			host = true;
		else if (strcmp(w[i], "netmask") == 0 && arg)
			mask = w[++i];
		else if ((strcmp(w[i], "gw") == 0 || strcmp(w[i], "via") == 0) && arg) {
			if (gn_ip_parse_family(arg, family, &rt.gateway) < 0)
				goto bad;
			i++;
		} else if (strcmp(w[i], "metric") == 0 && arg) {
			if (gn_linux_parse_uint(arg, 0, UINT32_MAX, &v) < 0)
				goto bad;
			rt.metric = (int64_t)v;
			i++;
		} else if (strcmp(w[i], "dev") == 0 && arg) {
			snprintf(rt.dev, sizeof(rt.dev), "%s", w[++i]);
		} else if ((strcmp(w[i], "mss") == 0 || strcmp(w[i], "window") == 0 ||
			    strcmp(w[i], "irtt") == 0) && arg) {
			i++;
		} else if (!target) {
			target = w[i];
		} else if (!rt.dev[0] && i + 1 == n) {
			snprintf(rt.dev, sizeof(rt.dev), "%s", w[i]);  /* the interface, last */
		} else
			goto bad;
	}
	if (!target)
		goto bad;
	if (strcmp(target, "default") == 0) {
		rt.dest.family = (uint8_t)family;
		rt.prefix = 0;
	} else {
		if (gn_linux_parse_cidr(target, family, &rt.dest, &prefix, &why) < 0)
			goto bad;
		if (prefix < 0 && mask) {
			unsigned p;
			if (gn_linux_parse_netmask(mask, family, &p) < 0) {
				why = "has a netmask that is not one";
				goto bad;
			}
			prefix = (int)p;
		}
		if (prefix < 0 && !host && family == GN_AF_INET) {
			why = "has no netmask";
			goto bad;
		}
		rt.prefix = prefix < 0 ? gn_ip_bits(family) : (unsigned)prefix;
	}
	gn_linux_add_route(d->ctx, d->u, &rt, iface, where);
	return;
bad:
	gn_linux_warn(d->ctx, "%s: '%.120s': the route %s; it was skipped", where, cmd, why);
}

/* An up, post-up or pre-up command of iface's stanza. */
static void up_command(struct debian *d, const char *where, const char *iface, const char *cmd)
{
	_cleanup_free_ char *copy = NULL;
	char *w[GN_LINUX_MAX_WORDS];
	size_t n = words_of(d->ctx, where, cmd, &copy, w);

	/* the command proper: up to the first shell operator ("|| true", "2>/dev/null", ";") */
	for (size_t i = 0; i < n; i++)
		if (strpbrk(w[i], ";|&<>")) {
			n = i;
			break;
		}
	if (n == 0)
		return;
	if (strcmp(command_name(w[0]), "ip") == 0)
		ip_command(d, where, iface, cmd, w, n);
	else if (strcmp(command_name(w[0]), "route") == 0)
		route_command(d, where, iface, cmd, w, n);
}

/* The VLAN id of a Debian interface name: eth0.12 (or vlan12 with vlan-raw-device). */
static void name_vlan(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
		      bool has_raw)
{
	const char *dot = strrchr(ifc->id, '.');

	if (dot && dot != ifc->id && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1))
		gn_linux_set_vlan(ctx, ifc, where, dot + 1);
	else if (has_raw && strncmp(ifc->id, "vlan", 4) == 0)
		gn_linux_set_vlan(ctx, ifc, where, ifc->id + 4);
	else if (has_raw)
		gn_linux_warn(ctx, "%s: '%s' has a vlan-raw-device, but its name gives no VLAN id",
			      where, ifc->id);
}

static void read_stanza(struct debian *d, const struct gn_linux_tree *t,
			const struct gn_linux_node *st)
{
	struct gn_linux_ctx *ctx = d->ctx;
	struct gn_linux_node *o = NULL;
	size_t n = 0;
	char w[GN_LINUX_WHERE_MAX];
	const char *af, *method, *address, *netmask, *s;
	struct gn_interface *ifc;
	struct deb_if *di;
	bool v6, raw = false;
	int family;
	int64_t metric = GN_UNSET;

	gn_linux_where(w, sizeof(w), t->file, st->line);
	if (!st->value || gn_linux_aug_children(ctx, t, st->path, &o, &n) < 0)
		return;
	af = gn_linux_node_get(o, n, "family");
	method = gn_linux_node_get(o, n, "method");
	if (!af || !method || strcmp(method, "loopback") == 0 || strcmp(st->value, "lo") == 0)
		goto out;
	if (strcmp(af, "inet") != 0 && strcmp(af, "inet6") != 0) {
		gn_linux_warn(ctx, "%s: address family '%.32s' of '%s' is not read", w, af, st->value);
		goto out;
	}
	v6 = strcmp(af, "inet6") == 0;
	family = v6 ? GN_AF_INET6 : GN_AF_INET;
	ifc = gn_linux_interface_find(d->u, st->value);
	if (!ifc && gn_linux_interface_new(ctx, d->u, st->value, t->file, &ifc) <= 0)
		goto out;
	di = deb_if(d, ifc->id);
	if (!di)
		goto out;

	if (strcmp(method, "static") == 0) {
		v6 ? (di->v6 = 1) : (di->v4 = 1);
		if (v6 && di->ra < 0)
			di->ra = 0;  /* ifupdown: accept_ra defaults to 0 for static */
	} else if (strcmp(method, "dhcp") == 0 || strcmp(method, "bootp") == 0) {
		v6 ? (di->v6 = 1, di->dhcp6 = 1) : (di->v4 = 1, di->dhcp4 = 1);
	} else if (strcmp(method, "auto") == 0 && v6) {
		di->v6 = 1;
		di->ra = 1;
	} else if (strcmp(method, "manual") == 0) {
		if (!v6)
			di->v4 = 1;  /* nothing configures IPv4 on it: a bond or bridge member */
	} else if (strcmp(method, "tunnel") == 0 || strcmp(method, "v4tunnel") == 0 ||
		   strcmp(method, "6to4") == 0) {
		ifc->type = GN_IFTYPE_TUNNEL;
	} else if (strcmp(method, "ppp") == 0 || strcmp(method, "wvdial") == 0) {
		ifc->type = GN_IFTYPE_OTHER;
	} else
		gn_linux_warn(ctx, "%s: method '%.32s' of '%s' is not read", w, method, ifc->id);

	if ((s = gn_linux_node_get(o, n, "metric"))) {
		uint64_t m;
		if (gn_linux_parse_uint(s, 0, UINT32_MAX, &m) == 0)
			metric = (int64_t)m;
		else
			gn_linux_warn(ctx, "%s: metric '%.32s' of '%s' is not a number", w, s,
				      ifc->id);
	}
	address = NULL;
	netmask = gn_linux_node_get(o, n, "netmask");
	for (size_t i = 0; i < n; i++) {
		const char *k = o[i].label, *v = o[i].value;
		char ow[GN_LINUX_WHERE_MAX];
		_cleanup_free_ char *copy = NULL;
		char *words[GN_LINUX_MAX_WORDS];
		size_t nw;

		gn_linux_where(ow, sizeof(ow), t->file, o[i].line);
		if (strcmp(k, "bond-slaves") == 0 || strcmp(k, "bridge-ports") == 0) {
			struct gn_linux_node *m = NULL;
			size_t nm = 0;
			gn_linux_aug_children(ctx, t, o[i].path, &m, &nm);
			for (size_t j = 0; j < nm; j++)
				if (m[j].value && strcmp(m[j].value, "none") != 0)
					strlist_add(ctx, &d->members, m[j].value);
			gn_linux_nodes_free(m, nm);
			ifc->type = GN_IFTYPE_OTHER;
			continue;
		}
		if (!v)
			continue;
		if (strcmp(k, "address") == 0) {
			unsigned p;

			address = v;
			if (strchr(v, '/') || !netmask)
				gn_linux_add_address(ctx, ifc, ow, v, family, -1);
			else if (gn_linux_parse_netmask(netmask, family, &p) < 0)
				gn_linux_warn(ctx, "%s: netmask '%.64s' of '%s' is not one", ow, netmask,
					      ifc->id);
			else
				gn_linux_add_address(ctx, ifc, ow, v, family, (int)p);
		} else if (strcmp(k, "gateway") == 0) {
			gn_linux_add_gateway(ctx, ifc, ow, v, family, metric);
		} else if (strcmp(k, "mtu") == 0) {
			gn_linux_set_mtu(ctx, ifc, ow, v);
		} else if (strcmp(k, "hwaddress") == 0) {
			nw = words_of(ctx, ow, v, &copy, words);
			if (nw > 0)
				gn_linux_set_mac(ctx, ifc, ow,
						 words[nw - 1]);  /* "ether XX" or "XX" */
		} else if (strcmp(k, "dns-nameservers") == 0) {
			nw = words_of(ctx, ow, v, &copy, words);
			for (size_t j = 0; j < nw; j++)
				gn_linux_add_dns(ctx, ifc, ow, words[j]);
		} else if (strcmp(k, "dns-search") == 0 || strcmp(k, "dns-domain") == 0) {
			nw = words_of(ctx, ow, v, &copy, words);
			for (size_t j = 0; j < nw; j++)
				gn_linux_add_search(ctx, d->u->g, ow, words[j]);
		} else if (strcmp(k, "vlan-raw-device") == 0 || strcmp(k, "vlan_raw_device") == 0) {
			raw = true;
		} else if (strcmp(k, "bridge_ports") == 0 || strcmp(k, "bond_slaves") == 0) {
			nw = words_of(ctx, ow, v, &copy, words);
			for (size_t j = 0; j < nw; j++)
				if (strcmp(words[j], "none") != 0)
					strlist_add(ctx, &d->members, words[j]);
			ifc->type = GN_IFTYPE_OTHER;
		} else if ((strcmp(k, "accept_ra") == 0 || strcmp(k, "autoconf") == 0) && v6) {
			uint64_t a;
			if (gn_linux_parse_uint(v, 0, 2, &a) == 0)
				di->ra = a > 0;
			else
				gn_linux_warn(ctx, "%s: %s '%.16s' of '%s' is not 0, 1 or 2", ow, k,
					      v, ifc->id);
		} else if (strcmp(k, "wpa-ssid") == 0 || strcmp(k, "wireless-essid") == 0 ||
			   strcmp(k, "wpa-conf") == 0) {
			ifc->type = GN_IFTYPE_WIRELESS;
		} else if (strcmp(k, "up") == 0 || strcmp(k, "post-up") == 0 ||
			   strcmp(k, "pre-up") == 0) {
			up_command(d, ow, ifc->id, v);
		}
	}
	if (strcmp(method, "static") == 0 && !address)
		gn_linux_warn(ctx, "%s: static stanza of '%s' has no address", w, ifc->id);
	name_vlan(ctx, ifc, w, raw);
out:
	gn_linux_nodes_free(o, n);
}

static void read_file(struct debian *d, const char *path);

/* ifupdown's source-directory: file names of letters, digits, '_' and '-' only. */
static bool run_parts_name(const char *name, const void *data)
{
	(void)data;
	return name[0] && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789_-") == strlen(name);
}

static bool glob_match(const char *name, const void *pattern)
{
	return name[0] != '.' && fnmatch(pattern, name, FNM_PERIOD) == 0;
}

/* The absolute path of a source argument: relative to the including file's folder. */
static int source_path(const char *from, const char *arg, char *buf, size_t len)
{
	const char *slash = strrchr(from, '/');
	int n;

	if (arg[0] == '/')
		n = snprintf(buf, len, "%s", arg);
	else
		n = snprintf(buf, len, "%.*s/%s", (int)(slash - from), from, arg);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static void read_source(struct debian *d, const char *from, int line, const char *arg, bool dir)
{
	_cleanup_(gn_strv_freep) char **names = NULL;
	char path[GN_LINUX_MAX_PATH], w[GN_LINUX_WHERE_MAX];
	char *folder, *pattern = NULL;
	int r;

	gn_linux_where(w, sizeof(w), from, line);
	if (source_path(from, arg, path, sizeof(path)) < 0) {
		gn_linux_warn(d->ctx, "%s: source path too long; it was skipped", w);
		return;
	}
	if (!dir) {
		char *slash = strrchr(path, '/');
		if (!strpbrk(slash + 1, "*?[")) {
			if (strpbrk(path, "*?["))
				gn_linux_warn(d->ctx, "%s: wildcards outside the last component of "
					      "'%.200s' are not followed", w, arg);
			else if (!gn_linux_exists(d->ctx, path))
				gn_linux_warn(d->ctx, "%s: sourced file '%.200s' was not found", w,
					      path);
			else
				read_file(d, path);
			return;
		}
		*slash = '\0';
		pattern = slash + 1;
	}
	folder = path;
	if (strpbrk(folder, "*?[")) {
		gn_linux_warn(d->ctx, "%s: wildcards outside the last component of '%.200s' are "
			      "not followed", w, arg);
		return;
	}
	r = gn_linux_list(d->ctx, folder, dir ? run_parts_name : glob_match, pattern, &names);
	if (r == 0 && dir)
		gn_linux_warn(d->ctx, "%s: sourced folder '%.200s' was not found", w, folder);
	for (size_t i = 0; names && names[i]; i++) {
		char file[GN_LINUX_MAX_PATH];

		if (names[i][0] == '!')
			continue;
		if (snprintf(file, sizeof(file), "%s/%s", folder, names[i]) < (int)sizeof(file))
			read_file(d, file);
	}
}

static void read_file(struct debian *d, const char *path)
{
	struct gn_linux_tree t = { 0 };
	struct gn_linux_node *v = NULL;
	size_t n = 0;

	if (d->depth >= GN_LINUX_MAX_SOURCE_DEPTH) {
		gn_linux_warn(d->ctx, "'%s': sources nested more than %d deep; it was not read",
			      path, GN_LINUX_MAX_SOURCE_DEPTH);
		return;
	}
	if (gn_linux_aug_file(d->ctx, "Interfaces.lns", path, &t) <= 0)
		return;
	d->depth++;
	gn_linux_aug_children(d->ctx, &t, NULL, &v, &n);
	for (size_t i = 0; i < n; i++) {
		const char *k = v[i].label;

		if (strcmp(k, "iface") == 0)
			read_stanza(d, &t, &v[i]);
		else if ((strcmp(k, "auto") == 0 || strncmp(k, "allow-", 6) == 0)) {
			struct gn_linux_node *names = NULL;
			size_t nn = 0;
			gn_linux_aug_children(d->ctx, &t, v[i].path, &names, &nn);
			for (size_t j = 0; j < nn; j++)
				if (names[j].value)
					strlist_add(d->ctx, &d->autos, names[j].value);
			gn_linux_nodes_free(names, nn);
		} else if (strcmp(k, "source") == 0 && v[i].value)
			read_source(d, path, v[i].line, v[i].value, false);
		else if (strcmp(k, "source-directory") == 0 && v[i].value)
			read_source(d, path, v[i].line, v[i].value, true);
		else if (strcmp(k, "mapping") == 0)
			gn_linux_warn(d->ctx, "'%s' line %d: mapping stanzas are not followed",
				      path, v[i].line);
	}
	d->depth--;
	gn_linux_nodes_free(v, n);
	gn_linux_tree_release(d->ctx, &t);
}

void gn_linux_read_debian(struct gn_linux_ctx *ctx, struct gn_linux_unit *u)
{
	struct debian d = { .ctx = ctx, .u = u };

	read_file(&d, "/etc/network/interfaces");
	for (size_t i = 0; i < d.members.n; i++) {
		struct gn_interface *ifc;
		struct deb_if *di;

		if (gn_linux_interface_find(u, d.members.v[i]) ||
		    gn_linux_interface_new(ctx, u, d.members.v[i], "/etc/network/interfaces",
					   &ifc) <= 0)
			continue;
		if ((di = deb_if(&d, ifc->id))) {
			di->v4 = 1;
			di->implicit = true;
		}
	}
	for (size_t i = 0; i < u->g->interfaces.n; i++) {
		struct gn_interface *ifc = u->g->interfaces.v[i];
		struct deb_if *di = deb_if(&d, ifc->id);

		if (!di || !di->implicit)
			ifc->enabled = listed(&d.autos, ifc->id) ? 1 : 0;
		if (!di)
			continue;
		if (di->v4)
			gn_linux_set_mode(&ifc->v4, di->dhcp4, -1, 1);
		if (di->v6)
			gn_linux_set_mode(&ifc->v6, di->dhcp6, di->ra, 1);
	}
	debian_release(&d);
}
