/*
 * linux-networkd.c: systemd-networkd configuration (.network, .netdev and .link files), read
 * with libaugeas' Systemd lens.
 *
 * Folders, in precedence: /etc/systemd/network, /run/systemd/network,
 * /usr/local/lib/systemd/network, /lib/systemd/network, /usr/lib/systemd/network.  A file name
 * in a folder earlier in that list hides the same name in the later ones (an empty file or a link
 * to /dev/null masks it); the files left are used in the lexical order of their names, and the
 * first .network file that matches an interface is the one networkd applies, so the later ones
 * for the same interface are named in a warning and ignored.
 *
 * The vendor folders (/usr/local/lib, /lib, /usr/lib) hold systemd's own defaults, which apply
 * only where systemd-networkd is enabled, and mostly to containers: they are read only when
 * systemd-networkd.service or systemd-networkd-wait-online.service is enabled, and a vendor file
 * whose [Match] names no interface (Type=wlan, Kind=sit, Name=vb-*) is passed over quietly.  A
 * file matching only containers (Virtualization=container) never applies to a VM and is skipped.
 * /run/systemd/network/10-netplan-* are netplan's output, read as netplan already.
 *
 *   .network  [Match] Name= (one interface per name without wildcards), MACAddress=;
 *             [Link] MACAddress=, MTUBytes=, ActivationPolicy=; [Network] Address=, Gateway=,
 *             DNS=, Domains=, DHCP=, IPv6AcceptRA=, LinkLocalAddressing=; [Address] Address=;
 *             [Route] Destination= (none: the default route, reported as a gateway), Gateway=,
 *             Metric=, Table=, Type=
 *   .netdev   [NetDev] Name=, Kind=, MTUBytes=, MACAddress=; [VLAN] Id=
 *   .link     [Match] MACAddress= with [Link] Name=: names the interface a .network matches by
 *             MAC only; MTUBytes=
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "linux.h"

static const char *const folders[] = {
	"/etc/systemd/network", "/run/systemd/network", "/usr/local/lib/systemd/network",
	"/lib/systemd/network", "/usr/lib/systemd/network",
};
/* folders[] from this index on are the vendor's */
#define VENDOR_FROM 2

/* One assignment: an Address= line, or one word of a DNS= list. */
struct nd_entry {
	unsigned section;   /* the section's number in the file, for [Route] and [Address] */
	char *sname;
	char *key;
	char *value;        /* NULL for an empty assignment, which resets a list */
	int line;
};

struct nd_file {
	char *path;
	char *stem;         /* name without folder and extension */
	bool vendor;
	GN_ARRAY(struct nd_entry) e;
};

struct nd_netdev {
	struct nd_file *f;
	const char *name;
	const char *kind;
	bool used;
};

struct networkd {
	struct gn_linux_ctx *ctx;
	struct gn_linux_unit *u;
	GN_ARRAY(struct nd_file *) files;  /* in name order */
	GN_ARRAY(struct nd_netdev) netdevs;
};

static void file_free(struct nd_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->e.n; i++) {
		free(f->e.v[i].sname);
		free(f->e.v[i].key);
		free(f->e.v[i].value);
	}
	free(f->e.v);
	free(f->path);
	free(f->stem);
	free(f);
}

static void networkd_release(struct networkd *nd)
{
	for (size_t i = 0; i < nd->files.n; i++)
		file_free(nd->files.v[i]);
	free(nd->files.v);
	free(nd->netdevs.v);
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);

	return n > m && strcmp(name + n - m, suffix) == 0;
}

static bool unit_name(const char *name, const void *data)
{
	(void)data;
	return name[0] != '.' &&
	       (has_suffix(name, ".network") || has_suffix(name, ".netdev") || has_suffix(name,
											  ".link"));
}

static int entry_add(struct nd_file *f, unsigned section, const char *sname, const char *key,
		     const char *value, int line)
{
	struct nd_entry *e;

	if (GN_ARRAY_PUSH(&f->e, GN_LINUX_MAX_NODES, &e) < 0)
		return -E2BIG;
	e->section = section;
	e->sname = strdup(sname);
	e->key = strdup(key);
	e->value = value ? strdup(value) : NULL;
	e->line = line;
	return e->sname && e->key && (!value || e->value) ? 0 : -ENOMEM;
}

/* Read a unit file into entries. */
static struct nd_file *read_unit(struct networkd *nd, const char *path, bool vendor)
{
	struct gn_linux_tree t = { 0 };
	struct gn_linux_node *sec = NULL;
	size_t nsec = 0;
	struct nd_file *f;
	const char *base = strrchr(path, '/') + 1, *dot = strrchr(base, '.');
	int r = 0;

	if (gn_linux_aug_file(nd->ctx, "Systemd.lns", path, &t) <= 0)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path)) || !(f->stem = strndup(base, (size_t)(dot - base)))) {
		file_free(f);
		gn_linux_tree_release(nd->ctx, &t);
		return NULL;
	}
	f->vendor = vendor;
	gn_linux_aug_children(nd->ctx, &t, NULL, &sec, &nsec);
	for (size_t i = 0; r == 0 && i < nsec; i++) {
		struct gn_linux_node *k = NULL;
		size_t nk = 0;

		if (sec[i].label[0] == '#')
			continue;
		gn_linux_aug_children(nd->ctx, &t, sec[i].path, &k, &nk);
		for (size_t j = 0; r == 0 && j < nk; j++) {
			struct gn_linux_node *v = NULL;
			size_t nv = 0, added = 0;

			if (k[j].label[0] == '#')
				continue;
			gn_linux_aug_children(nd->ctx, &t, k[j].path, &v, &nv);
			for (size_t m = 0; r == 0 && m < nv; m++) {
				if (strcmp(v[m].label, "#comment") == 0) {
					gn_linux_warn(nd->ctx, "'%s' line %d: '#%.64s' after %s= "
						      "was not read (libaugeas' Systemd lens takes "
						      "it for a comment)", path, k[j].line,
						      v[m].value ?: "", k[j].label);
					continue;
				}
				if (v[m].value) {
					r = entry_add(f, (unsigned)i, sec[i].label, k[j].label,
						      v[m].value, k[j].line);
					added++;
				}
			}
			if (r == 0 && added == 0)
				r = entry_add(f, (unsigned)i, sec[i].label, k[j].label, NULL,
					      k[j].line);
			gn_linux_nodes_free(v, nv);
		}
		gn_linux_nodes_free(k, nk);
	}
	gn_linux_nodes_free(sec, nsec);
	gn_linux_tree_release(nd->ctx, &t);
	if (r < 0)
		gn_linux_warn(nd->ctx, "'%s' holds too many settings; the rest were not read",
			      path);
	return f;
}

/* The last value of section.key, or NULL. */
static const struct nd_entry *nd_last(const struct nd_file *f, const char *sname, const char *key)
{
	const struct nd_entry *found = NULL;

	for (size_t i = 0; i < f->e.n; i++)
		if (strcmp(f->e.v[i].sname, sname) == 0 && strcmp(f->e.v[i].key, key) == 0)
			found = &f->e.v[i];
	return found;
}

static const char *nd_get(const struct nd_file *f, const char *sname, const char *key)
{
	const struct nd_entry *e = nd_last(f, sname, key);

	return e ? e->value : NULL;
}

static void nd_where(char *buf, size_t len, const struct nd_file *f, const struct nd_entry *e)
{
	gn_linux_where(buf, len, f->path, e ? e->line : 0);
}

/* The values of a list setting (DNS=, Address=), in order, after its last reset. */
static size_t nd_list_start(const struct nd_file *f, const char *sname, const char *key)
{
	size_t start = 0;

	for (size_t i = 0; i < f->e.n; i++)
		if (!f->e.v[i].value && strcmp(f->e.v[i].sname, sname) == 0 &&
		    strcmp(f->e.v[i].key, key) == 0)
			start = i + 1;
	return start;
}

/* Does [Match] Virtualization= rule out a virtual machine (a container only, bare metal only)? */
static bool never_in_vm(const struct nd_file *f)
{
	static const char *const containers[] = {
		"container", "systemd-nspawn", "docker", "lxc", "lxc-libvirt", "podman", "rkt",
		"wsl", "proot", "pouch", "openvz",
	};
	const char *v = nd_get(f, "Match", "Virtualization");

	if (!v)
		return false;
	if (v[0] == '!')
		return strcmp(v + 1, "vm") == 0 || gn_linux_parse_bool(v + 1) == 1;
	if (gn_linux_parse_bool(v) == 0)
		return true;
	for (size_t i = 0; i < GN_ELEMENTSOF(containers); i++)
		if (strcasecmp(v, containers[i]) == 0)
			return true;
	return false;
}

static struct nd_netdev *find_netdev(struct networkd *nd, const char *name)
{
	for (size_t i = 0; i < nd->netdevs.n; i++)
		if (strcmp(nd->netdevs.v[i].name, name) == 0)
			return &nd->netdevs.v[i];
	return NULL;
}

/* The .link file whose [Match] MACAddress= is mac and which names the interface. */
static const struct nd_file *link_for_mac(struct networkd *nd, const char *mac)
{
	char want[GN_MAC_TEXT_MAX], have[GN_MAC_TEXT_MAX];

	if (gn_mac_normalize(mac, want) < 0)
		return NULL;
	for (size_t i = 0; i < nd->files.n; i++) {
		const struct nd_file *f = nd->files.v[i];
		const char *m = nd_get(f, "Match", "MACAddress");

		if (has_suffix(f->path, ".link") && m && nd_get(f, "Link", "Name") &&
		    gn_mac_normalize(m, have) == 0 && strcmp(have, want) == 0)
			return f;
	}
	return NULL;
}

static const struct nd_file *link_for_name(struct networkd *nd, const char *name)
{
	for (size_t i = 0; i < nd->files.n; i++) {
		const struct nd_file *f = nd->files.v[i];
		const char *n = nd_get(f, "Link", "Name");

		if (has_suffix(f->path, ".link") && n && strcmp(n, name) == 0)
			return f;
	}
	return NULL;
}

static void apply_netdev(struct networkd *nd, struct gn_interface *ifc, struct nd_netdev *dev)
{
	char w[GN_LINUX_WHERE_MAX];
	const struct nd_entry *e;

	dev->used = true;
	if (dev->kind && strcmp(dev->kind, "vlan") == 0) {
		ifc->type = GN_IFTYPE_ETHERNET;
		if ((e = nd_last(dev->f, "VLAN", "Id")) && e->value) {
			nd_where(w, sizeof(w), dev->f, e);
			gn_linux_set_vlan(nd->ctx, ifc, w, e->value);
		} else
			gn_linux_warn(nd->ctx, "'%s': VLAN netdev '%s' has no [VLAN] Id=",
				      dev->f->path, dev->name);
	} else if (dev->kind && (strcmp(dev->kind, "bond") == 0 || strcmp(dev->kind,
									  "bridge") == 0 ||
				 strcmp(dev->kind, "dummy") == 0 || strcmp(dev->kind,
									   "macvlan") == 0 ||
				 strcmp(dev->kind, "veth") == 0 || strcmp(dev->kind, "vrf") == 0))
		ifc->type = GN_IFTYPE_OTHER;
	else if (dev->kind)
		ifc->type = GN_IFTYPE_TUNNEL;  /* ipip, gre, sit, vxlan, wireguard, tun, tap... */
	if ((e = nd_last(dev->f, "NetDev", "MTUBytes")) && e->value) {
		nd_where(w, sizeof(w), dev->f, e);
		gn_linux_set_mtu(nd->ctx, ifc, w, e->value);
	}
	if ((e = nd_last(dev->f, "NetDev", "MACAddress")) && e->value && strcmp(e->value,
										"none") != 0) {
		nd_where(w, sizeof(w), dev->f, e);
		gn_linux_set_mac(nd->ctx, ifc, w, e->value);
	}
}

/* [Route] sections: Destination= absent is the default route. */
static void read_routes(struct networkd *nd, const struct nd_file *f, struct gn_interface *ifc)
{
	char w[GN_LINUX_WHERE_MAX];
	unsigned last = (unsigned)-1;

	for (size_t i = 0; i < f->e.n; i++) {
		unsigned sec = f->e.v[i].section;
		struct gn_linux_route rt = { .metric = GN_UNSET };
		const char *dest = NULL, *gw = NULL, *metric = NULL, *table = NULL, *type = NULL;
		const char *why;
		int prefix = -1, line = f->e.v[i].line;
		uint64_t m;

		if (strcmp(f->e.v[i].sname, "Route") != 0 || sec == last)
			continue;
		last = sec;
		for (size_t j = i; j < f->e.n && f->e.v[j].section == sec; j++) {
			const struct nd_entry *e = &f->e.v[j];
			if (strcmp(e->key, "Destination") == 0)
				dest = e->value;
			else if (strcmp(e->key, "Gateway") == 0)
				gw = e->value;
			else if (strcmp(e->key, "Metric") == 0)
				metric = e->value;
			else if (strcmp(e->key, "Table") == 0)
				table = e->value;
			else if (strcmp(e->key, "Type") == 0)
				type = e->value;
		}
		gn_linux_where(w, sizeof(w), f->path, line);
		if ((table && strcmp(table, "main") != 0 && strcmp(table, "254") != 0) ||
		    (type && strcmp(type, "unicast") != 0)) {
			gn_linux_warn(nd->ctx, "%s: a [Route] %s; it was skipped", w,
				      type && strcmp(type, "unicast") != 0 ? "is not a unicast route" :
				      "is in a policy routing table, not the main table");
			continue;
		}
		if (gw && gw[0] == '_')
			continue;  /* _dhcp4, _ipv6ra: the gateway the lease or the router gives */
		if (gw && gn_ip_parse(gw, &rt.gateway) < 0) {
			gn_linux_warn(nd->ctx, "%s: [Route] Gateway=%.64s is not an address", w,
				      gw);
			continue;
		}
		if (metric) {
			if (gn_linux_parse_uint(metric, 0, UINT32_MAX, &m) < 0) {
				gn_linux_warn(nd->ctx, "%s: [Route] Metric=%.32s is not a number",
					      w, metric);
				continue;
			}
			rt.metric = (int64_t)m;
		}
		if (!dest) {
			rt.dest.family = rt.gateway.family ? rt.gateway.family : GN_AF_INET;
			rt.prefix = 0;
		} else if (gn_linux_parse_cidr(dest, 0, &rt.dest, &prefix, &why) < 0) {
			gn_linux_warn(nd->ctx, "%s: [Route] Destination=%.64s %s", w, dest, why);
			continue;
		} else
			rt.prefix = prefix < 0 ? gn_ip_bits(rt.dest.family) : (unsigned)prefix;
		if (rt.gateway.family && rt.gateway.family != rt.dest.family) {
			gn_linux_warn(nd->ctx, "%s: a [Route] mixes IPv4 and IPv6", w);
			continue;
		}
		gn_linux_add_route(nd->ctx, nd->u, &rt, ifc->id, w);
	}
}

/* Apply a .network file to the interface it configures. */
static void apply_network(struct networkd *nd, const struct nd_file *f, struct gn_interface *ifc,
			  const char *match_mac)
{
	struct gn_linux_ctx *ctx = nd->ctx;
	char w[GN_LINUX_WHERE_MAX];
	const struct nd_entry *e;
	const struct nd_file *link = link_for_name(nd, ifc->id);
	struct nd_netdev *dev = find_netdev(nd, ifc->id);
	int dhcp4 = -1, dhcp6 = -1, ra = -1, ll_off = -1;
	const char *s;

	if (dev)
		apply_netdev(nd, ifc, dev);
	if (match_mac) {
		if (gn_interface_set_mac(ifc, match_mac) < 0)
			gn_linux_warn(ctx, "'%s': [Match] MACAddress=%.64s is not a MAC address",
				      f->path, match_mac);
	} else if (link && (s = nd_get(link, "Match", "MACAddress")))
		gn_interface_set_mac(ifc, s);
	if ((e = nd_last(f, "Link", "MACAddress")) && e->value) {
		_cleanup_free_ char *perm = ifc->mac ? strdup(ifc->mac) : NULL;
		nd_where(w, sizeof(w), f, e);
		if (gn_linux_set_mac(ctx, ifc, w, e->value) == 0 && perm)
			gn_interface_set_permanent_mac(ifc, perm);
	}
	if ((e = nd_last(f, "Link", "MTUBytes")) && e->value) {
		nd_where(w, sizeof(w), f, e);
		gn_linux_set_mtu(ctx, ifc, w, e->value);
	} else if (link && (e = nd_last(link, "Link", "MTUBytes")) && e->value && !ifc->mtu) {
		nd_where(w, sizeof(w), link, e);
		gn_linux_set_mtu(ctx, ifc, w, e->value);
	}
	s = nd_get(f, "Link", "ActivationPolicy");
	ifc->enabled = s && (strcmp(s, "down") == 0 || strcmp(s, "always-down") == 0 ||
			     strcmp(s, "manual") == 0) ? 0 : 1;

	for (size_t i = nd_list_start(f, "Network", "Address"); i < f->e.n; i++) {
		e = &f->e.v[i];
		if (strcmp(e->sname, "Network") == 0 && strcmp(e->key,
							       "Address") == 0 && e->value) {
			nd_where(w, sizeof(w), f, e);
			gn_linux_add_address(ctx, ifc, w, e->value, 0, -1);
		}
	}
	for (size_t i = 0; i < f->e.n; i++) {
		e = &f->e.v[i];
		if (strcmp(e->sname, "Address") == 0 && strcmp(e->key,
							       "Address") == 0 && e->value) {
			nd_where(w, sizeof(w), f, e);
			gn_linux_add_address(ctx, ifc, w, e->value, 0, -1);
		}
	}
	for (size_t i = nd_list_start(f, "Network", "Gateway"); i < f->e.n; i++) {
		e = &f->e.v[i];
		if (strcmp(e->sname, "Network") == 0 && strcmp(e->key,
							       "Gateway") == 0 && e->value &&
		    e->value[0] != '_') {
			nd_where(w, sizeof(w), f, e);
			gn_linux_add_gateway(ctx, ifc, w, e->value, 0, GN_UNSET);
		}
	}
	for (size_t i = nd_list_start(f, "Network", "DNS"); i < f->e.n; i++) {
		e = &f->e.v[i];
		if (strcmp(e->sname, "Network") == 0 && strcmp(e->key, "DNS") == 0 && e->value) {
			nd_where(w, sizeof(w), f, e);
			gn_linux_add_dns(ctx, ifc, w, e->value);
		}
	}
	for (size_t i = nd_list_start(f, "Network", "Domains"); i < f->e.n; i++) {
		e = &f->e.v[i];
		if (strcmp(e->sname, "Network") == 0 && strcmp(e->key,
							       "Domains") == 0 && e->value) {
			nd_where(w, sizeof(w), f, e);
			gn_linux_add_search(ctx, nd->u->g, w, e->value);
		}
	}
	read_routes(nd, f, ifc);

	if ((e = nd_last(f, "Network", "DHCP")) && e->value) {
		s = e->value;
		if (strcmp(s, "ipv4") == 0 || strcmp(s, "v4") == 0)
			dhcp4 = 1;
		else if (strcmp(s, "ipv6") == 0 || strcmp(s, "v6") == 0)
			dhcp6 = 1;
		else if (strcmp(s, "both") == 0 || gn_linux_parse_bool(s) == 1)
			dhcp4 = dhcp6 = 1;
		else if (gn_linux_parse_bool(s) != 0) {
			nd_where(w, sizeof(w), f, e);
			gn_linux_warn(ctx, "%s: DHCP=%.32s is not yes, no, ipv4 or ipv6", w, s);
		}
	}
	if ((e = nd_last(f, "Network", "IPv6AcceptRA")) && e->value) {
		ra = gn_linux_parse_bool(e->value);
		if (ra < 0) {
			nd_where(w, sizeof(w), f, e);
			gn_linux_warn(ctx, "%s: IPv6AcceptRA=%.32s is not a boolean", w, e->value);
		}
	}
	if ((s = nd_get(f, "Network", "LinkLocalAddressing")))
		ll_off = strcmp(s, "ipv4") == 0 || gn_linux_parse_bool(s) == 0;
	gn_linux_set_mode(&ifc->v4, dhcp4, -1, 1);
	gn_linux_set_mode(&ifc->v6, dhcp6, ra, ra == 0 || ll_off == 1);
}

/* The interfaces a .network file configures, and apply it to each. */
static void read_network(struct networkd *nd, const struct nd_file *f)
{
	struct gn_linux_ctx *ctx = nd->ctx;
	const char *mac = nd_get(f, "Match", "MACAddress");
	size_t names = 0, concrete = 0;
	struct gn_interface *ifc;

	if (f->e.n == 0 || never_in_vm(f))
		return;  /* empty: masks the same name in a later folder, configures nothing */
	for (size_t i = nd_list_start(f, "Match", "Name"); i < f->e.n; i++) {
		const struct nd_entry *e = &f->e.v[i];
		if (strcmp(e->sname, "Match") != 0 || strcmp(e->key, "Name") != 0 || !e->value)
			continue;
		names++;
		if (strpbrk(e->value, "*?[]!"))
			continue;
		concrete++;
	}
	if (concrete && concrete == names) {
		for (size_t i = nd_list_start(f, "Match", "Name"); i < f->e.n; i++) {
			const struct nd_entry *e = &f->e.v[i];
			if (strcmp(e->sname, "Match") != 0 || strcmp(e->key,
								     "Name") != 0 || !e->value)
				continue;
			if (gn_linux_interface_new(ctx, nd->u, e->value, f->path, &ifc) > 0)
				apply_network(nd, f, ifc, mac);
		}
		return;
	}
	if (mac && !names) {
		const struct nd_file *link = link_for_mac(nd, mac);
		if (link) {
			if (gn_linux_interface_new(ctx, nd->u, nd_get(link, "Link", "Name"),
						   f->path, &ifc) > 0)
				apply_network(nd, f, ifc, mac);
			return;
		}
	}
	if (f->vendor)
		return;  /* systemd's generic defaults (Type=wlan, Name=vb-*), not this VM's */
	gn_linux_warn(ctx, "'%s' matches its interface %s, without naming it; it is reported under "
		      "its file name '%s'", f->path,
		      mac && !names ? "by MAC address" : "by a pattern", f->stem);
	if (gn_linux_interface_new(ctx, nd->u, f->stem, f->path, &ifc) > 0)
		apply_network(nd, f, ifc, mac);
}

/* Is systemd-networkd enabled in the guest (a unit linked from a target's wants)? */
static bool networkd_enabled(struct gn_linux_ctx *ctx)
{
	static const char *const units[] = {
		"/etc/systemd/system/multi-user.target.wants/systemd-networkd.service",
		"/etc/systemd/system/network-online.target.wants/"
		"systemd-networkd-wait-online.service",
	};

	for (size_t i = 0; i < GN_ELEMENTSOF(units); i++)
		if (gn_linux_exists(ctx, units[i]))
			return true;
	return false;
}

static int cmp_files(const void *a, const void *b)
{
	const struct nd_file *x = *(struct nd_file *const *)a, *y = *(struct nd_file *const *)b;

	return strcmp(strrchr(x->path, '/'), strrchr(y->path, '/'));
}

void gn_linux_read_networkd(struct gn_linux_ctx *ctx, struct gn_linux_unit *u)
{
	struct networkd nd = { .ctx = ctx, .u = u };
	char **names[GN_ELEMENTSOF(folders)] = { 0 };
	bool enabled = networkd_enabled(ctx), own = false;

	for (size_t i = 0; i < GN_ELEMENTSOF(folders); i++)
		if (i < VENDOR_FROM || enabled)
			gn_linux_list(ctx, folders[i], unit_name, NULL, &names[i]);
	for (size_t i = 0; i < GN_ELEMENTSOF(folders); i++)
		for (size_t j = 0; names[i] && names[i][j]; j++) {
			const char *name = names[i][j] + (names[i][j][0] == '!');
			char path[GN_LINUX_MAX_PATH];
			struct nd_file *f, **slot;
			bool hidden = names[i][j][0] == '!' || gn_linux_shadowed(names, i, name);

			if (hidden || (i == 1 && strncmp(name, "10-netplan-", 11) == 0))
				continue;
			snprintf(path, sizeof(path), "%s/%s", folders[i], name);
			f = read_unit(&nd, path, i >= VENDOR_FROM);
			if (!f)
				continue;
			if (GN_ARRAY_PUSH(&nd.files, GN_MAX_CONFIG_FILES, &slot) < 0) {
				file_free(f);
				continue;
			}
			*slot = f;
			own |= i < VENDOR_FROM && has_suffix(name, ".network");
		}
	for (size_t i = 0; i < GN_ELEMENTSOF(folders); i++)
		gn_strv_free(names[i]);
	if (nd.files.n)
		qsort(nd.files.v, nd.files.n, sizeof(*nd.files.v), cmp_files);

	for (size_t i = 0; i < nd.files.n; i++) {
		struct nd_file *f = nd.files.v[i];
		struct nd_netdev *dev;
		const char *name = nd_get(f, "NetDev", "Name");

		if (!has_suffix(f->path, ".netdev"))
			continue;
		if (!name) {
			gn_linux_warn(ctx, "'%s' has no [NetDev] Name=; it was skipped", f->path);
			continue;
		}
		if (find_netdev(&nd, name)) {
			gn_linux_warn(ctx, "'%s': netdev '%s' is defined twice; the first was used",
				      f->path, name);
			continue;
		}
		if (GN_ARRAY_PUSH(&nd.netdevs, GN_MAX_INTERFACES, &dev) < 0)
			break;
		dev->f = f;
		dev->name = name;
		dev->kind = nd_get(f, "NetDev", "Kind");
	}
	for (size_t i = 0; i < nd.files.n; i++)
		if (has_suffix(nd.files.v[i]->path, ".network"))
			read_network(&nd, nd.files.v[i]);
	/* netdevs no .network configures: they exist, without addresses */
	for (size_t i = 0; i < nd.netdevs.n; i++) {
		struct nd_netdev *dev = &nd.netdevs.v[i];
		struct gn_interface *ifc;

		if (dev->used || gn_linux_interface_new(ctx, u, dev->name, dev->f->path, &ifc) <= 0)
			continue;
		apply_netdev(&nd, ifc, dev);
		ifc->enabled = 1;
	}
	if (own && !enabled)
		gn_linux_warn(ctx, "systemd-networkd is not enabled (no systemd-networkd.service "
			      "in /etc/systemd/system/multi-user.target.wants): its configuration "
			      "is reported, but may not be in use");
	networkd_release(&nd);
}
