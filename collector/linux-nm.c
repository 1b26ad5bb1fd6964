/*
 * linux-nm.c: NetworkManager keyfiles (Fedora, RHEL 9 and later, and any distribution using
 * NetworkManager), the files of /etc/NetworkManager/system-connections, read with libaugeas'
 * NetworkManager lens.
 *
 * One file is one connection profile:
 *
 *   [connection]  id (interface/@name), type, interface-name, autoconnect, autoconnect-priority,
 *                 master/controller
 *   [ethernet] [wifi] (or 802-3-ethernet, 802-11-wireless)  mac-address (the device the profile
 *                 is bound to), cloned-mac-address (a MAC set over it), mtu
 *   [vlan]        id, parent, interface-name
 *   [ipv4] [ipv6] method, address1.. / addresses (both the "ADDR/PREFIX,GW" and the old
 *                 "ADDR;PREFIX;GW;" forms), gateway, route-metric, never-default, dns, dns-search,
 *                 route1.. ("DEST/PREFIX,GW,METRIC" and the old "DEST;PREFIX;GW;METRIC;")
 *
 * Modes: ipv4 auto = dhcp, manual = static, disabled = disabled; ipv6 auto = auto (SLAAC),
 * dhcp = dhcp, manual = static, disabled = disabled; ignore and link-local say nothing.
 * The interface id is interface-name; a profile bound only by MAC, or to no device at all, is
 * reported under its connection id, with a warning.  Several profiles for one interface: the one
 * NetworkManager would activate at boot (autoconnect, then the highest autoconnect-priority, then
 * the first by file name) is reported, the others are named in a warning.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "linux.h"

#define NM_FOLDER "/etc/NetworkManager/system-connections"
/* Numbered keys looked at (address1.., route1..): NetworkManager itself stops at the first gap
 * only in old versions; a few hundred covers any real profile. */
#define NM_MAX_INDEX 256

struct nm_key {
	char *section;
	char *key;
	char *value;
	int line;
};

struct nm_profile {
	char *path;
	GN_ARRAY(struct nm_key) keys;
	bool autoconnect;
	int64_t priority;
	size_t order;
	bool done;
};

static void profile_release(struct nm_profile *p)
{
	for (size_t i = 0; i < p->keys.n; i++) {
		free(p->keys.v[i].section);
		free(p->keys.v[i].key);
		free(p->keys.v[i].value);
	}
	free(p->keys.v);
	free(p->path);
}

/* NetworkManager skips backups, editor files and its own temporary files. */
static bool nm_name(const char *name, const void *data)
{
	static const char *const suffixes[] = {
		"~", ".swp", ".bak", ".orig", ".rej", ".rpmnew", ".rpmsave", ".tmp", ".nmmeta",
	};
	(void)data;
	return name[0] != '.' && !strstr(name, ".dpkg-") &&
	       !gn_linux_has_suffix(name, suffixes, GN_ELEMENTSOF(suffixes));
}

/* Section names and their pre-1.0 aliases. */
static bool same_section(const char *a, const char *b)
{
	static const char *const alias[][2] = {
		{ "ethernet", "802-3-ethernet" }, { "wifi", "802-11-wireless" },
	};

	if (strcmp(a, b) == 0)
		return true;
	for (size_t i = 0; i < GN_ELEMENTSOF(alias); i++)
		if ((strcmp(a, alias[i][0]) == 0 && strcmp(b, alias[i][1]) == 0) ||
		    (strcmp(a, alias[i][1]) == 0 && strcmp(b, alias[i][0]) == 0))
			return true;
	return false;
}

static const struct nm_key *nm_find(const struct nm_profile *p, const char *section,
				    const char *key)
{
	const struct nm_key *found = NULL;

	for (size_t i = 0; i < p->keys.n; i++)
		if (strcmp(p->keys.v[i].key, key) == 0 && same_section(p->keys.v[i].section,
								       section))
			found = &p->keys.v[i];
	return found;
}

static const char *nm_get(const struct nm_profile *p, const char *section, const char *key)
{
	const struct nm_key *k = nm_find(p, section, key);

	return k && k->value && k->value[0] ? k->value : NULL;
}

static void nm_where(char *buf, size_t len, const struct nm_profile *p, const char *section,
		     const char *key)
{
	const struct nm_key *k = nm_find(p, section, key);

	gn_linux_where(buf, len, p->path, k ? k->line : 0);
}

/* GKeyFile escapes: \s \t \n \r \\ (and \; kept for list splitting). */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*o++ = *s == 's' ? ' ' : *s == 't' ? '\t' : *s == 'n' ? '\n' :
			       *s == 'r' ? '\r' : *s == ';' ? '\x1f' : *s;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

static int read_profile(struct gn_linux_ctx *ctx, const char *path, struct nm_profile *p)
{
	struct gn_linux_tree t = { 0 };
	struct gn_linux_node *sec = NULL;
	size_t nsec = 0;
	int r = gn_linux_aug_file(ctx, "NetworkManager.lns", path, &t);

	if (r <= 0)
		return r;
	p->path = strdup(path);
	if (!p->path)
		r = -ENOMEM;
	gn_linux_aug_children(ctx, &t, NULL, &sec, &nsec);
	for (size_t i = 0; r > 0 && i < nsec; i++) {
		struct gn_linux_node *k = NULL;
		size_t nk = 0;

		if (sec[i].label[0] == '#')
			continue;
		gn_linux_aug_children(ctx, &t, sec[i].path, &k, &nk);
		for (size_t j = 0; r > 0 && j < nk; j++) {
			struct nm_key *e;

			if (k[j].label[0] == '#')
				continue;
			if (GN_ARRAY_PUSH(&p->keys, GN_LINUX_MAX_NODES, &e) < 0) {
				gn_linux_warn(ctx, "'%s' holds too many keys; the rest were not "
					      "read", path);
				break;
			}
			e->section = strdup(sec[i].label);
			e->key = strdup(k[j].label);
			e->value = strdup(k[j].value ?: "");
			e->line = k[j].line;
			if (!e->section || !e->key || !e->value)
				r = -ENOMEM;
			else
				unescape(e->value);
		}
		gn_linux_nodes_free(k, nk);
	}
	gn_linux_nodes_free(sec, nsec);
	gn_linux_tree_release(ctx, &t);
	return r;
}

/* Split a ';'-separated list in place (an escaped ';' was turned into \x1f): words in w. */
static size_t split_list(char *s, char **w, size_t max)
{
	size_t n = 0;

	for (char *save = NULL, *tok = strtok_r(s, ";", &save); tok && n < max;
	     tok = strtok_r(NULL, ";", &save)) {
		for (char *c = tok; *c; c++)
			if (*c == '\x1f')
				*c = ';';
		tok += strspn(tok, " \t");
		if (*tok)
			w[n++] = tok;
	}
	return n;
}

/* The index of a numbered key: "address" 0, "address1" 1, "addresses3" 3; -1 for another key. */
static int key_index(const char *key, const char *const *stems)
{
	for (; *stems; stems++) {
		size_t n = strlen(*stems);
		uint64_t i;

		if (strncmp(key, *stems, n) != 0)
			continue;
		if (!key[n])
			return 0;
		if (gn_linux_parse_uint(key + n, 0, NM_MAX_INDEX, &i) == 0)
			return (int)i;
	}
	return -1;
}

/*
 * The next key of section sec named STEM or STEMn (n up to NM_MAX_INDEX) that has a value, in
 * NetworkManager's order: by index, then as written.  *pos starts at 0; NULL after the last.
 */
static const struct nm_key *next_indexed(const struct nm_profile *p, const char *sec,
					 const char *const *stems, size_t *pos)
{
	size_t n = p->keys.n;

	for (; *pos < (size_t)(NM_MAX_INDEX + 1) * n; (*pos)++) {
		const struct nm_key *e = &p->keys.v[*pos % n];

		if (e->value[0] && same_section(e->section, sec) &&
		    key_index(e->key, stems) == (int)(*pos / n)) {
			(*pos)++;
			return e;
		}
	}
	return NULL;
}

/* The addresses of a family: "ADDR/PREFIX[,GW]" items, or the old "ADDR;PREFIX;GW;". */
static void read_addresses(struct gn_linux_ctx *ctx, const struct nm_profile *p, const char *sec,
			   struct gn_interface *ifc, int family, int64_t metric)
{
	static const char *const stems[] = { "addresses", "address", NULL };
	char w[GN_LINUX_WHERE_MAX];
	const struct nm_key *e;

	for (size_t pos = 0; (e = next_indexed(p, sec, stems, &pos));) {
		_cleanup_free_ char *copy = NULL;
		char *items[GN_MAX_ADDRESSES];
		size_t n;

		gn_linux_where(w, sizeof(w), p->path, e->line);
		copy = strdup(e->value);
		if (!copy)
			return;
		if (!strchr(copy, '/')) {
			/* the old form: address;prefix;gateway; */
			char *parts[3] = { 0 };
			size_t np = split_list(copy, parts, 3);
			char cidr[GN_IP_TEXT_MAX + 8];

			if (np < 2) {
				gn_linux_warn(ctx, "%s: %s=%.64s has no prefix length", w, e->key,
					      e->value);
				continue;
			}
			snprintf(cidr, sizeof(cidr), "%s/%s", parts[0], parts[1]);
			gn_linux_add_address(ctx, ifc, w, cidr, family, -1);
			if (np > 2)
				gn_linux_add_gateway(ctx, ifc, w, parts[2], family, metric);
			continue;
		}
		n = split_list(copy, items, GN_MAX_ADDRESSES);
		for (size_t i = 0; i < n; i++) {
			char *comma = strchr(items[i], ',');
			if (comma)
				*comma = '\0';
			gn_linux_add_address(ctx, ifc, w, items[i], family, -1);
			if (comma && comma[1])
				gn_linux_add_gateway(ctx, ifc, w, comma + 1, family, metric);
		}
	}
}

/* route1=DEST/PREFIX[,GW[,METRIC]] (or the old routes1=DEST;PREFIX;GW;METRIC;). */
static void read_routes(struct gn_linux_ctx *ctx, struct gn_linux_unit *u,
			const struct nm_profile *p,
			const char *sec, struct gn_interface *ifc, int family)
{
	static const char *const stems[] = { "routes", "route", NULL };
	char w[GN_LINUX_WHERE_MAX];
	const struct nm_key *e;

	for (size_t pos = 0; (e = next_indexed(p, sec, stems, &pos));) {
		_cleanup_free_ char *copy = NULL;
		char *f[4] = { 0 }, cidr[GN_IP_TEXT_MAX + 8];
		struct gn_linux_route rt = { .metric = GN_UNSET };
		const char *why;
		size_t nf = 0;
		int prefix;
		uint64_t m;

		gn_linux_where(w, sizeof(w), p->path, e->line);
		copy = strdup(e->value);
		if (!copy)
			return;
		if (strchr(copy, '/')) {
			for (char *save = NULL, *tok = strtok_r(copy, ",;", &save); tok && nf < 4;
			     tok = strtok_r(NULL, ",;", &save))
				f[nf++] = tok;
			snprintf(cidr, sizeof(cidr), "%s", f[0] ?: "");
		} else {
			nf = split_list(copy, f, 4);
			snprintf(cidr, sizeof(cidr), "%s/%s", f[0] ?: "", nf > 1 ? f[1] : "");
			f[1] = nf > 2 ? f[2] : NULL;
			f[2] = nf > 3 ? f[3] : NULL;
		}
		if (gn_linux_parse_cidr(cidr, family, &rt.dest, &prefix, &why) < 0 || prefix < 0) {
			gn_linux_warn(ctx, "%s: route '%.64s' is not DEST/PREFIX; it was "
				      "skipped", w, e->value);
			continue;
		}
		rt.prefix = (unsigned)prefix;
		if (f[1] && *f[1] && gn_ip_parse_family(f[1], family, &rt.gateway) < 0) {
			gn_linux_warn(ctx, "%s: route '%.64s': next hop '%.64s' is not an "
				      "address", w, e->value, f[1]);
			continue;
		}
		if (f[2] && *f[2]) {
			if (gn_linux_parse_uint(f[2], 0, UINT32_MAX, &m) < 0) {
				gn_linux_warn(ctx, "%s: route '%.64s': metric '%.32s' is "
					      "not a number", w, e->value, f[2]);
				continue;
			}
			rt.metric = (int64_t)m;
		}
		gn_linux_add_route(ctx, u, &rt, ifc->id, w);
	}
}

static void read_family(struct gn_linux_ctx *ctx, struct gn_linux_unit *u,
			const struct nm_profile *p, struct gn_interface *ifc, int family)
{
	const char *sec = family == GN_AF_INET ? "ipv4" : "ipv6", *method, *s;
	char w[GN_LINUX_WHERE_MAX];
	int64_t metric = GN_UNSET;
	int dhcp = -1, ra = -1, off = -1;
	uint64_t m;

	method = nm_get(p, sec, "method");
	if (!method)
		method = "auto";  /* NetworkManager's default, for both families */
	if (strcmp(method, "auto") == 0)
		family == GN_AF_INET ? (dhcp = 1) : (ra = 1);
	else if (strcmp(method, "dhcp") == 0)
		dhcp = 1;
	else if (strcmp(method, "disabled") == 0)
		off = 1;
	else if (strcmp(method, "manual") != 0 && strcmp(method, "shared") != 0 &&
		 strcmp(method, "ignore") != 0 && strcmp(method, "link-local") != 0) {
		nm_where(w, sizeof(w), p, sec, "method");
		gn_linux_warn(ctx, "%s: %s.method '%.32s' is not known", w, sec, method);
	}
	if ((s = nm_get(p, sec, "route-metric"))) {
		if (gn_linux_parse_uint(s, 0, UINT32_MAX, &m) == 0)
			metric = (int64_t)m;
		else if (strcmp(s, "-1") != 0) {  /* -1: the default */
			nm_where(w, sizeof(w), p, sec, "route-metric");
			gn_linux_warn(ctx, "%s: route-metric '%.32s' is not a number", w, s);
		}
	}
	read_addresses(ctx, p, sec, ifc, family, metric);
	if ((s = nm_get(p, sec, "gateway"))) {
		nm_where(w, sizeof(w), p, sec, "gateway");
		s = nm_get(p, sec, "never-default");
		if (s && gn_linux_parse_bool(s) == 1)
			gn_linux_warn(ctx, "%s: the gateway is not a default route "
				      "(never-default=true); it is not reported as a gateway", w);
		else
			gn_linux_add_gateway(ctx, ifc, w, nm_get(p, sec, "gateway"), family,
					     metric);
	}
	if ((s = nm_get(p, sec, "dns"))) {
		_cleanup_free_ char *copy = strdup(s);
		char *items[GN_MAX_DNS];
		size_t n = copy ? split_list(copy, items, GN_MAX_DNS) : 0;

		nm_where(w, sizeof(w), p, sec, "dns");
		for (size_t i = 0; i < n; i++)
			gn_linux_add_dns(ctx, ifc, w, items[i]);
	}
	if ((s = nm_get(p, sec, "dns-search"))) {
		_cleanup_free_ char *copy = strdup(s);
		char *items[GN_MAX_SEARCH];
		size_t n = copy ? split_list(copy, items, GN_MAX_SEARCH) : 0;

		nm_where(w, sizeof(w), p, sec, "dns-search");
		for (size_t i = 0; i < n; i++)
			gn_linux_add_search(ctx, u->g, w, items[i]);
	}
	read_routes(ctx, u, p, sec, ifc, family);
	gn_linux_set_mode(gn_interface_ipconf(ifc, family), dhcp, ra, off);
}

static const struct {
	const char *name;
	enum gn_iftype type;
} types[] = {
	{ "ethernet", GN_IFTYPE_ETHERNET }, { "802-3-ethernet", GN_IFTYPE_ETHERNET },
	{ "wifi", GN_IFTYPE_WIRELESS },     { "802-11-wireless", GN_IFTYPE_WIRELESS },
	{ "vlan", GN_IFTYPE_ETHERNET },     { "bond", GN_IFTYPE_OTHER },
	{ "bridge", GN_IFTYPE_OTHER },      { "team", GN_IFTYPE_OTHER },
	{ "infiniband", GN_IFTYPE_OTHER },  { "dummy", GN_IFTYPE_OTHER },
	{ "macvlan", GN_IFTYPE_OTHER },     { "ip-tunnel", GN_IFTYPE_TUNNEL },
	{ "tun", GN_IFTYPE_TUNNEL },        { "wireguard", GN_IFTYPE_TUNNEL },
	{ "vxlan", GN_IFTYPE_TUNNEL },
};

/* The interface a profile configures: interface-name, else its connection id. */
static const char *profile_name(const struct nm_profile *p)
{
	const char *name = nm_get(p, "connection", "interface-name");
	const char *type = nm_get(p, "connection", "type");

	if (!name && type && strcmp(type, "vlan") == 0)
		name = nm_get(p, "vlan", "interface-name");
	return name ?: nm_get(p, "connection", "id");
}

static void read_connection(struct gn_linux_ctx *ctx, struct gn_linux_unit *u,
			    const struct nm_profile *p)
{
	const char *type = nm_get(p, "connection", "type"), *name, *s, *hw, *sec;
	char w[GN_LINUX_WHERE_MAX];
	struct gn_interface *ifc;
	size_t t;

	if (!type) {
		gn_linux_warn(ctx, "'%s' has no connection.type; it was skipped", p->path);
		return;
	}
	if (strcmp(type, "vpn") == 0 || strcmp(type, "loopback") == 0)
		return;  /* not a network interface of its own */
	for (t = 0; t < GN_ELEMENTSOF(types); t++)
		if (strcmp(type, types[t].name) == 0)
			break;
	if (t == GN_ELEMENTSOF(types)) {
		gn_linux_warn(ctx, "'%s': connection type '%.32s' is not read", p->path, type);
		return;
	}
	sec = types[t].type == GN_IFTYPE_WIRELESS ? "wifi" : "ethernet";
	hw = nm_get(p, sec, "mac-address");
	name = nm_get(p, "connection", "interface-name");
	if (!name && strcmp(type, "vlan") == 0)
		name = nm_get(p, "vlan", "interface-name");
	if (!name) {
		name = nm_get(p, "connection", "id");
		if (!name) {
			gn_linux_warn(ctx, "'%s' names neither an interface nor itself; it was "
				      "skipped", p->path);
			return;
		}
		gn_linux_warn(ctx, "'%s' applies to %s, not to a named interface; it is reported "
			      "under its connection id '%s'", p->path,
			      hw ? "the device with its mac-address" : "any device of its type",
			      name);
	}
	if (gn_linux_interface_new(ctx, u, name, p->path, &ifc) <= 0)
		return;
	ifc->type = types[t].type;
	if ((s = nm_get(p, "connection", "id"))) {
		nm_where(w, sizeof(w), p, "connection", "id");
		gn_linux_set_string(ctx, &ifc->name, w, "connection.id", s);
	}
	if (hw) {
		nm_where(w, sizeof(w), p, sec, "mac-address");
		gn_linux_set_mac(ctx, ifc, w, hw);
	}
	if ((s = nm_get(p, sec, "cloned-mac-address")) && strchr(s, ':')) {
		_cleanup_free_ char *perm = ifc->mac ? strdup(ifc->mac) : NULL;

		nm_where(w, sizeof(w), p, sec, "cloned-mac-address");
		if (gn_linux_set_mac(ctx, ifc, w, s) == 0 && perm)
			gn_interface_set_permanent_mac(ifc, perm);
	}
	if ((s = nm_get(p, sec, "mtu")) && strcmp(s, "0") != 0) {  /* 0: automatic */
		nm_where(w, sizeof(w), p, sec, "mtu");
		gn_linux_set_mtu(ctx, ifc, w, s);
	}
	if (strcmp(type, "vlan") == 0) {
		if ((s = nm_get(p, "vlan", "id"))) {
			nm_where(w, sizeof(w), p, "vlan", "id");
			gn_linux_set_vlan(ctx, ifc, w, s);
		} else
			gn_linux_warn(ctx, "'%s': vlan connection without vlan.id", p->path);
		if ((s = nm_get(p, "vlan", "mtu")) && strcmp(s, "0") != 0) {
			nm_where(w, sizeof(w), p, "vlan", "mtu");
			gn_linux_set_mtu(ctx, ifc, w, s);
		}
	}
	ifc->enabled = p->autoconnect;
	if (nm_get(p, "connection", "master") || nm_get(p, "connection", "controller")) {
		/* a bond, bridge or team port: its IP configuration is its controller's */
		gn_linux_set_mode(&ifc->v4, -1, -1, 1);
		return;
	}
	read_family(ctx, u, p, ifc, GN_AF_INET);
	read_family(ctx, u, p, ifc, GN_AF_INET6);
}

static int cmp_profiles(const void *a, const void *b)
{
	const struct nm_profile *x = a, *y = b;

	if (x->autoconnect != y->autoconnect)
		return x->autoconnect ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

void gn_linux_read_nm(struct gn_linux_ctx *ctx, struct gn_linux_unit *u)
{
	_cleanup_(gn_strv_freep) char **names = NULL;
	GN_ARRAY(struct nm_profile) profiles = { 0 };

	if (gn_linux_list(ctx, NM_FOLDER, nm_name, NULL, &names) <= 0)
		return;
	for (size_t i = 0; names[i]; i++) {
		char path[GN_LINUX_MAX_PATH];
		struct nm_profile *p;
		const char *s;
		int64_t prio = 0;

		if (names[i][0] == '!')
			continue;
		snprintf(path, sizeof(path), NM_FOLDER "/%s", names[i]);
		if (GN_ARRAY_PUSH(&profiles, GN_MAX_CONFIG_FILES, &p) < 0)
			break;
		if (read_profile(ctx, path, p) <= 0) {
			profile_release(p);
			profiles.n--;
			continue;
		}
		s = nm_get(p, "connection", "autoconnect");
		p->autoconnect = !s || gn_linux_parse_bool(s) != 0;
		if ((s = nm_get(p, "connection", "autoconnect-priority"))) {
			char *end;
			long long v = strtoll(s, &end, 10);
			if (!*end && v >= -999 && v <= 999)
				prio = v;
		}
		p->priority = prio;
		p->order = i;
	}
	/* profiles in file order; of several for one interface, the one NetworkManager would
	 * activate at boot is read first, so it wins */
	for (size_t i = 0; i < profiles.n; i++) {
		struct nm_profile *best = &profiles.v[i];
		const char *name = profile_name(best);

		if (best->done)
			continue;
		for (size_t j = 0; name && j < profiles.n; j++) {
			const char *other = profile_name(&profiles.v[j]);
			if (other && strcmp(other, name) == 0 && cmp_profiles(&profiles.v[j],
									      best) < 0)
				best = &profiles.v[j];
		}
		if (best != &profiles.v[i] && !best->done) {
			read_connection(ctx, u, best);
			best->done = true;
		}
		read_connection(ctx, u, &profiles.v[i]);
		profiles.v[i].done = true;
	}
	for (size_t i = 0; i < profiles.n; i++)
		profile_release(&profiles.v[i]);
	free(profiles.v);
}
