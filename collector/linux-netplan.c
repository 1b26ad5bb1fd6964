/*
 * linux-netplan.c: netplan YAML (Ubuntu 17.10 and later), read with libyaml.
 *
 * Files: *.yaml in /lib/netplan, /etc/netplan and /run/netplan.  A file name in /run shadows the
 * same name in /etc, which shadows /lib; the files left are read in the lexical order of their
 * names, whatever their folder, and merged the way netplan generate does: for one definition,
 * scalars of a later file override, sequences are concatenated, mappings merged.  To get exactly
 * that, every file's document stays loaded and each definition keeps the list of its mappings in
 * file order; a value is looked up through all of them.
 *
 * Reported: ethernets, wifis, vlans (id, link), bonds and bridges (the interface with its
 * addresses; members named in interfaces: that nothing defines are reported bare), tunnels, vrfs,
 * dummy-devices, virtual-ethernets and modems with their common keys: match (macaddress, name)
 * and set-name, macaddress, mtu, activation-mode, dhcp4, dhcp6, accept-ra, addresses (with or
 * without per-address options), gateway4 and gateway6, routes (to, via, metric, table, type),
 * nameservers (addresses, search).  The interface id is set-name, else a match name without
 * wildcards, else the definition's own name (with a warning when it matches by anything else).
 *
 * YAML is untrusted: before a document is built, a pass over its events refuses aliases (a
 * billion-laughs file expands a few lines into an exponential tree) and caps nesting and the
 * number of nodes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "cleanup.h"
#include "linux.h"

/* Nesting of one netplan document: the deepest real path is
 * network.ethernets.ID.routes[N].to (6); anything much deeper is not netplan. */
#define NETPLAN_MAX_DEPTH 32
/* Events (scalars, sequences, mappings) of one document: a large real file has a few hundred. */
#define NETPLAN_MAX_EVENTS GN_LINUX_MAX_NODES

static const char *const folders[] = { "/run/netplan", "/etc/netplan", "/lib/netplan" };

static const struct {
	const char *key;
	enum gn_iftype type;
} kinds[] = {
	{ "ethernets", GN_IFTYPE_ETHERNET }, { "wifis", GN_IFTYPE_WIRELESS },
	{ "vlans", GN_IFTYPE_ETHERNET },     { "bonds", GN_IFTYPE_OTHER },
	{ "bridges", GN_IFTYPE_OTHER },      { "tunnels", GN_IFTYPE_TUNNEL },
	{ "vrfs", GN_IFTYPE_OTHER },         { "dummy-devices", GN_IFTYPE_OTHER },
	{ "virtual-ethernets", GN_IFTYPE_OTHER }, { "modems", GN_IFTYPE_OTHER },
};

struct np_file {
	char *path;
	yaml_document_t doc;
};

/* One mapping of a definition, in one file. */
struct np_ref {
	struct np_file *f;
	yaml_node_t *map;
};

struct np_def {
	char *key;
	size_t kind;  /* index in kinds */
	GN_ARRAY(struct np_ref) refs;
	struct gn_interface *ifc;
};

struct netplan {
	struct gn_linux_ctx *ctx;
	struct gn_linux_unit *u;
	GN_ARRAY(struct np_file *) files;
	GN_ARRAY(struct np_def) defs;
};

static void netplan_release(struct netplan *np)
{
	for (size_t i = 0; i < np->files.n; i++) {
		yaml_document_delete(&np->files.v[i]->doc);
		free(np->files.v[i]->path);
		free(np->files.v[i]);
	}
	free(np->files.v);
	for (size_t i = 0; i < np->defs.n; i++) {
		free(np->defs.v[i].key);
		free(np->defs.v[i].refs.v);
	}
	free(np->defs.v);
}

/* A scalar's text, or NULL when node is not a scalar or holds a NUL ("\0" in YAML). */
static const char *scalar(const yaml_node_t *node)
{
	if (!node || node->type != YAML_SCALAR_NODE ||
	    memchr(node->data.scalar.value, '\0', node->data.scalar.length))
		return NULL;
	return (const char *)node->data.scalar.value;
}

static yaml_node_t *node_at(struct np_file *f, int index)
{
	return yaml_document_get_node(&f->doc, index);
}

/* The value of key in mapping map, or NULL. */
static yaml_node_t *get(struct np_file *f, yaml_node_t *map, const char *key)
{
	yaml_node_t *found = NULL;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(node_at(f, p->key));
		/* a repeated key: the last, as netplan's parser */
		if (k && strcmp(k, key) == 0)
			found = node_at(f, p->value);
	}
	return found;
}

static int line_of(const yaml_node_t *node)
{
	return (int)node->start_mark.line + 1;
}

static void where(char *buf, size_t len, const struct np_file *f, const yaml_node_t *node)
{
	gn_linux_where(buf, len, f->path, node ? line_of(node) : 0);
}

/* The node at k1 (and then k2, when given) in the i-th file's mapping of definition d. */
static yaml_node_t *ref_get(struct np_def *d, size_t i, const char *k1, const char *k2)
{
	struct np_file *f = d->refs.v[i].f;
	yaml_node_t *n = get(f, d->refs.v[i].map, k1);

	return k2 ? get(f, n, k2) : n;
}

/*
 * A scalar of a definition at a path of one or two keys ("mtu", "match" "macaddress"): the last
 * file's wins.  Returns the text, and the file and node for messages.
 */
static const char *def_scalar(struct np_def *d, const char *k1, const char *k2, struct np_file **rf,
			      yaml_node_t **rn)
{
	const char *value = NULL;

	for (size_t i = 0; i < d->refs.n; i++) {
		struct np_file *f = d->refs.v[i].f;
		yaml_node_t *n = ref_get(d, i, k1, k2);

		if (!n)
			continue;
		value = scalar(n);
		*rf = f;
		*rn = n;
	}
	return value;
}

/* A boolean of a definition: 1, 0, or -1 when not set; a value that is not one is a warning. */
static int def_bool(struct netplan *np, struct np_def *d, const char *key)
{
	struct np_file *f = NULL;
	yaml_node_t *n = NULL;
	const char *s = def_scalar(d, key, NULL, &f, &n);
	char w[GN_LINUX_WHERE_MAX];
	int b;

	if (!n)
		return -1;
	b = s ? gn_linux_parse_bool(s) : -EINVAL;
	if (b < 0) {
		where(w, sizeof(w), f, n);
		gn_linux_warn(np->ctx, "%s: %s of '%s' is not a boolean", w, key, d->key);
		return -1;
	}
	return b;
}

typedef void (*item_fn)(struct netplan *np, struct np_def *d, struct np_file *f, yaml_node_t *item);

/* Every item of the sequences at a path of one or two keys, in file order (netplan concatenates
 * them); a value that is not a sequence is a warning. */
static void def_each(struct netplan *np, struct np_def *d, const char *k1, const char *k2,
		     item_fn fn)
{
	char w[GN_LINUX_WHERE_MAX];

	for (size_t i = 0; i < d->refs.n; i++) {
		struct np_file *f = d->refs.v[i].f;
		yaml_node_t *n = ref_get(d, i, k1, k2);

		if (!n)
			continue;
		if (n->type != YAML_SEQUENCE_NODE) {
			where(w, sizeof(w), f, n);
			gn_linux_warn(np->ctx, "%s: %s%s%s of '%s' is not a list", w, k1,
				      k2 ? "." : "", k2 ?: "", d->key);
			continue;
		}
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++)
			fn(np, d, f, node_at(f, *it));
	}
}

static void add_address(struct netplan *np, struct np_def *d, struct np_file *f, yaml_node_t *item)
{
	char w[GN_LINUX_WHERE_MAX];
	const char *s = scalar(item);

	where(w, sizeof(w), f, item);
	/* an address with options is a mapping of one key: "10.0.0.5/24": {lifetime: 0} */
	if (!s && item && item->type == YAML_MAPPING_NODE &&
	    item->data.mapping.pairs.top - item->data.mapping.pairs.start == 1)
		s = scalar(node_at(f, item->data.mapping.pairs.start->key));
	if (!s) {
		gn_linux_warn(np->ctx, "%s: an address of '%s' is not a string", w, d->key);
		return;
	}
	gn_linux_add_address(np->ctx, d->ifc, w, s, 0, -1);
}

static void add_nameserver(struct netplan *np, struct np_def *d, struct np_file *f,
			   yaml_node_t *item)
{
	char w[GN_LINUX_WHERE_MAX];
	const char *s = scalar(item);

	where(w, sizeof(w), f, item);
	if (!s)
		gn_linux_warn(np->ctx, "%s: a name server of '%s' is not a string", w, d->key);
	else
		gn_linux_add_dns(np->ctx, d->ifc, w, s);
}

static void add_search(struct netplan *np, struct np_def *d, struct np_file *f, yaml_node_t *item)
{
	char w[GN_LINUX_WHERE_MAX];
	const char *s = scalar(item);

	where(w, sizeof(w), f, item);
	if (!s)
		gn_linux_warn(np->ctx, "%s: a search domain of '%s' is not a string", w, d->key);
	else
		gn_linux_add_search(np->ctx, np->u->g, w, s);
}

static void add_route(struct netplan *np, struct np_def *d, struct np_file *f, yaml_node_t *item)
{
	char w[GN_LINUX_WHERE_MAX];
	const char *to = scalar(get(f, item, "to")), *via = scalar(get(f, item, "via"));
	const char *metric = scalar(get(f, item, "metric")), *table = scalar(get(f, item, "table"));
	const char *type = scalar(get(f, item, "type")), *why;
	struct gn_linux_route rt = { .metric = GN_UNSET };
	uint64_t m;
	int prefix;

	where(w, sizeof(w), f, item);
	if (!item || item->type != YAML_MAPPING_NODE || !to) {
		gn_linux_warn(np->ctx, "%s: a route of '%s' has no 'to'; it was skipped", w,
			      d->key);
		return;
	}
	if ((table && strcmp(table, "254") != 0 && strcmp(table, "main") != 0) ||
	    (type && strcmp(type, "unicast") != 0)) {
		gn_linux_warn(np->ctx, "%s: the route to '%.64s' of '%s' is %s; it was skipped", w,
			      to, d->key,
			      type && strcmp(type, "unicast") != 0 ? "not a unicast route" :
			      "in a policy routing table, not the main table");
		return;
	}
	if (via && gn_ip_parse(via, &rt.gateway) < 0) {
		gn_linux_warn(np->ctx, "%s: the route to '%.64s' of '%s': via '%.64s' is not an "
			      "address", w, to, d->key, via);
		return;
	}
	if (metric) {
		if (gn_linux_parse_uint(metric, 0, UINT32_MAX, &m) < 0) {
			gn_linux_warn(np->ctx, "%s: the route to '%.64s' of '%s': metric '%.32s' "
				      "is not a number", w, to, d->key, metric);
			return;
		}
		rt.metric = (int64_t)m;
	}
	if (strcmp(to, "default") == 0) {
		rt.dest.family = rt.gateway.family ? rt.gateway.family : GN_AF_INET;
		rt.prefix = 0;
	} else if (gn_linux_parse_cidr(to, 0, &rt.dest, &prefix, &why) < 0) {
		gn_linux_warn(np->ctx, "%s: route destination '%.64s' of '%s' %s", w, to, d->key,
			      why);
		return;
	} else
		rt.prefix = prefix < 0 ? gn_ip_bits(rt.dest.family) : (unsigned)prefix;
	if (rt.gateway.family && rt.gateway.family != rt.dest.family) {
		gn_linux_warn(np->ctx, "%s: the route to '%.64s' of '%s' mixes IPv4 and IPv6", w,
			      to, d->key);
		return;
	}
	gn_linux_add_route(np->ctx, np->u, &rt, d->ifc->id, w);
}

/* The interface name a definition configures: set-name, a match name without wildcards, else
 * its own name (with a warning when it matches by anything else). */
static const char *def_name(struct netplan *np, struct np_def *d)
{
	struct np_file *f = NULL;
	yaml_node_t *n = NULL, *match = NULL;
	const char *name;

	name = def_scalar(d, "set-name", NULL, &f, &n);
	if (name && *name)
		return name;
	name = def_scalar(d, "match", "name", &f, &n);
	if (name && *name && !strpbrk(name, "*?[]"))
		return name;
	for (size_t i = 0; i < d->refs.n; i++)
		match = match ?: get(d->refs.v[i].f, d->refs.v[i].map, "match");
	if (match)
		gn_linux_warn(np->ctx, "'%s': netplan definition '%s' matches its interface "
			      "without naming it (no set-name); it is reported under its netplan "
			      "name", d->refs.v[0].f->path, d->key);
	return d->key;
}

/* Set the scalar fields of d's interface. */
static void def_scalars(struct netplan *np, struct np_def *d)
{
	struct gn_interface *ifc = d->ifc;
	struct np_file *f = NULL;
	yaml_node_t *n = NULL;
	char w[GN_LINUX_WHERE_MAX];
	const char *s, *permanent;

	ifc->type = kinds[d->kind].type;
	permanent = def_scalar(d, "match", "macaddress", &f, &n);
	if (permanent) {
		where(w, sizeof(w), f, n);
		gn_linux_set_mac(np->ctx, ifc, w, permanent);
	}
	if ((s = def_scalar(d, "macaddress", NULL, &f, &n))) {
		where(w, sizeof(w), f, n);
		if (permanent && ifc->mac)
			gn_interface_set_permanent_mac(ifc, permanent);
		gn_linux_set_mac(np->ctx, ifc, w, s);
	}
	if ((s = def_scalar(d, "mtu", NULL, &f, &n))) {
		where(w, sizeof(w), f, n);
		gn_linux_set_mtu(np->ctx, ifc, w, s);
	}
	if (strcmp(kinds[d->kind].key, "vlans") == 0) {
		if ((s = def_scalar(d, "id", NULL, &f, &n))) {
			where(w, sizeof(w), f, n);
			gn_linux_set_vlan(np->ctx, ifc, w, s);
		} else
			gn_linux_warn(np->ctx, "'%s': vlan '%s' has no id", d->refs.v[0].f->path,
				      d->key);
	}
	s = def_scalar(d, "activation-mode", NULL, &f, &n);
	ifc->enabled = s && (strcmp(s, "off") == 0 || strcmp(s, "manual") == 0) ? 0 : 1;
	if ((s = def_scalar(d, "gateway4", NULL, &f, &n))) {
		where(w, sizeof(w), f, n);
		gn_linux_add_gateway(np->ctx, ifc, w, s, GN_AF_INET, GN_UNSET);
	}
	if ((s = def_scalar(d, "gateway6", NULL, &f, &n))) {
		where(w, sizeof(w), f, n);
		gn_linux_add_gateway(np->ctx, ifc, w, s, GN_AF_INET6, GN_UNSET);
	}
}

static struct np_def *find_def(struct netplan *np, const char *key)
{
	for (size_t i = 0; i < np->defs.n; i++)
		if (strcmp(np->defs.v[i].key, key) == 0)
			return &np->defs.v[i];
	return NULL;
}

static void make_interface(struct netplan *np, struct np_def *d)
{
	const char *name = def_name(np, d);
	int dhcp4, dhcp6, ra;

	if (gn_linux_interface_new(np->ctx, np->u, name, d->refs.v[0].f->path, &d->ifc) <= 0) {
		d->ifc = NULL;
		return;
	}
	def_scalars(np, d);
	def_each(np, d, "addresses", NULL, add_address);
	def_each(np, d, "nameservers", "addresses", add_nameserver);
	def_each(np, d, "nameservers", "search", add_search);
	def_each(np, d, "routes", NULL, add_route);
	dhcp4 = def_bool(np, d, "dhcp4");
	dhcp6 = def_bool(np, d, "dhcp6");
	ra = def_bool(np, d, "accept-ra");
	/* netplan configures only what it is told: no dhcp4 and no address is no IPv4 */
	gn_linux_set_mode(&d->ifc->v4, dhcp4, -1, 1);
	gn_linux_set_mode(&d->ifc->v6, dhcp6, ra, ra == 0);
}

/* Members of a bond or bridge that no definition configures: reported bare. */
static void add_member(struct netplan *np, struct np_def *d, struct np_file *f, yaml_node_t *item)
{
	char w[GN_LINUX_WHERE_MAX];
	const char *s = scalar(item);
	struct gn_interface *ifc;

	where(w, sizeof(w), f, item);
	if (!s) {
		gn_linux_warn(np->ctx, "%s: a member of '%s' is not a string", w, d->key);
		return;
	}
	if (find_def(np, s) || gn_linux_interface_find(np->u, s))
		return;
	if (gn_linux_interface_new(np->ctx, np->u, s, f->path, &ifc) > 0) {
		ifc->enabled = 1;
		gn_linux_set_mode(&ifc->v4, -1, -1, 1);
	}
}

/* Add a definition's mapping from file f. */
static void add_def(struct netplan *np, struct np_file *f, size_t kind, const char *key,
		    yaml_node_t *map)
{
	char w[GN_LINUX_WHERE_MAX];
	struct np_def *d = find_def(np, key);
	struct np_ref *ref;

	where(w, sizeof(w), f, map);
	if (map->type != YAML_MAPPING_NODE) {
		/* "eth0: {}" is a mapping; "eth0:" alone is an empty scalar, refused by netplan */
		gn_linux_warn(np->ctx, "%s: %s '%s' is not a mapping; it was skipped", w,
			      kinds[kind].key, key);
		return;
	}
	if (d && d->kind != kind) {
		gn_linux_warn(np->ctx, "%s: '%s' is defined as %s and as %s; the second was "
			      "ignored", w, key, kinds[d->kind].key, kinds[kind].key);
		return;
	}
	if (!d) {
		char *k = strdup(key);
		if (!k || GN_ARRAY_PUSH(&np->defs, GN_MAX_INTERFACES, &d) < 0) {
			free(k);
			gn_linux_warn(np->ctx, "%s: too many netplan definitions; '%s' was skipped",
				      w, key);
			return;
		}
		d->key = k;
		d->kind = kind;
	}
	if (GN_ARRAY_PUSH(&d->refs, GN_MAX_CONFIG_FILES, &ref) == 0) {
		ref->f = f;
		ref->map = map;
	}
}

static void read_document(struct netplan *np, struct np_file *f)
{
	yaml_node_t *root = yaml_document_get_root_node(&f->doc), *net;
	char w[GN_LINUX_WHERE_MAX];
	const char *version;

	if (!root)
		return;  /* an empty file */
	net = get(f, root, "network");
	if (!net) {
		gn_linux_warn(np->ctx, "'%s' has no 'network' mapping; nothing was read from it",
			      f->path);
		return;
	}
	version = scalar(get(f, net, "version"));
	if (version && strcmp(version, "2") != 0) {
		where(w, sizeof(w), f, get(f, net, "version"));
		gn_linux_warn(np->ctx, "%s: netplan version '%.16s' is not 2; read as version 2", w,
			      version);
	}
	if (net->type != YAML_MAPPING_NODE)
		return;
	for (yaml_node_pair_t *p = net->data.mapping.pairs.start; p < net->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(node_at(f, p->key));
		yaml_node_t *v = node_at(f, p->value);
		size_t kind;

		if (!k || strcmp(k, "version") == 0 || strcmp(k, "renderer") == 0)
			continue;
		for (kind = 0; kind < GN_ELEMENTSOF(kinds); kind++)
			if (strcmp(k, kinds[kind].key) == 0)
				break;
		where(w, sizeof(w), f, v);
		if (kind == GN_ELEMENTSOF(kinds)) {
			gn_linux_warn(np->ctx, "%s: netplan section '%.64s' is not read", w, k);
			continue;
		}
		if (v->type != YAML_MAPPING_NODE) {
			if (!(v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0))
				gn_linux_warn(np->ctx, "%s: '%s' is not a mapping", w, k);
			continue;
		}
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
		     q < v->data.mapping.pairs.top; q++) {
			const char *id = scalar(node_at(f, q->key));
			if (id && *id)
				add_def(np, f, kind, id, node_at(f, q->value));
		}
	}
}

static void yaml_error(struct netplan *np, const char *path, const yaml_parser_t *p)
{
	gn_linux_warn(np->ctx, "'%s' line %zu: %s%s%s; the file was not read", path,
		      p->problem_mark.line + 1, p->problem ?: "YAML error", p->context ?  : "",
		      p->context ?: "");
}

/*
 * Check a YAML text event by event before building its document: no aliases, nesting within
 * NETPLAN_MAX_DEPTH, at most NETPLAN_MAX_EVENTS events.  0, or -EBADMSG after a warning.
 */
static int precheck(struct netplan *np, const char *path, const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	unsigned depth = 0, events = 0, documents = 0;
	int r = 0;
	bool done = false;

	if (!yaml_parser_initialize(&p))
		return -ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && r == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_error(np, path, &p);
			r = -EBADMSG;
			break;
		}
		switch (ev.type) {
		case YAML_ALIAS_EVENT:
			gn_linux_warn(np->ctx, "'%s' line %zu: YAML aliases are not accepted "
				      "(netplan files need none, and they can blow a small file "
				      "up); the file was not read", path, ev.start_mark.line + 1);
			r = -EBADMSG;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > NETPLAN_MAX_DEPTH) {
				gn_linux_warn(np->ctx, "'%s' line %zu: nested more than %d levels "
					      "deep; the file was not read", path,
					      ev.start_mark.line + 1, NETPLAN_MAX_DEPTH);
				r = -EBADMSG;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++documents == 2)
				gn_linux_warn(np->ctx, "'%s' holds more than one YAML document; "
					      "only the first was read", path);
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		if (r == 0 && ++events > NETPLAN_MAX_EVENTS) {
			gn_linux_warn(np->ctx, "'%s' holds more than %d YAML nodes; the file was "
				      "not read", path, NETPLAN_MAX_EVENTS);
			r = -E2BIG;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return r;
}

static void load_file(struct netplan *np, const char *path)
{
	_cleanup_free_ char *text = NULL;
	struct np_file *f, **slot;
	yaml_parser_t p;
	size_t len;
	int ok;

	if (gn_linux_read_file(np->ctx, path, &text, &len) <= 0 ||
	    precheck(np, path, text, len) < 0)
		return;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path)) || !yaml_parser_initialize(&p)) {
		if (f)
			free(f->path);
		free(f);
		return;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	ok = yaml_parser_load(&p, &f->doc);
	if (!ok)
		yaml_error(np, path, &p);
	yaml_parser_delete(&p);
	if (!ok || GN_ARRAY_PUSH(&np->files, GN_MAX_CONFIG_FILES, &slot) < 0) {
		if (ok)
			yaml_document_delete(&f->doc);
		free(f->path);
		free(f);
		return;
	}
	*slot = f;
	read_document(np, f);
}

static bool yaml_name(const char *name, const void *data)
{
	(void)data;
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".yaml") == 0 && name[0] != '.';
}

/* The files to read: every name once, from the folder of highest precedence, in name order. */
static int list_files(struct netplan *np, char ***ret)
{
	char **names[GN_ELEMENTSOF(folders)] = { 0 }, **out = NULL;
	size_t n = 0, cap = 0, max = GN_ELEMENTSOF(folders) * (GN_LINUX_MAX_DIR_ENTRIES + 1) + 2;
	int r = 0;

	for (size_t i = 0; i < GN_ELEMENTSOF(folders); i++)
		gn_linux_list(np->ctx, folders[i], yaml_name, NULL, &names[i]);
	for (size_t i = 0; i < GN_ELEMENTSOF(folders) && r == 0; i++)
		for (size_t j = 0; names[i] && names[i][j] && r == 0; j++) {
			const char *name = names[i][j] + (names[i][j][0] == '!');
			if (names[i][j][0] == '!' || gn_linux_shadowed(names, i, name))
				continue;
			r = gn_array_reserve((void **)&out, &cap, n + 1, sizeof(*out), max);
			if (r == 0 && asprintf(&out[n], "%s/%s", folders[i], name) < 0)
				r = -ENOMEM;
			if (r == 0)
				out[++n] = NULL;
		}
	for (size_t i = 0; i < GN_ELEMENTSOF(folders); i++)
		gn_strv_free(names[i]);
	if (r < 0) {
		gn_strv_free(out);
		return r;
	}
	*ret = out;
	return 0;
}

static int cmp_base(const void *a, const void *b)
{
	const char *x = strrchr(*(char *const *)a, '/'), *y = strrchr(*(char *const *)b, '/');

	return strcmp(x, y);
}

void gn_linux_read_netplan(struct gn_linux_ctx *ctx, struct gn_linux_unit *u)
{
	_cleanup_(gn_strv_freep) char **files = NULL;
	struct netplan np = { .ctx = ctx, .u = u };
	size_t n = 0;

	if (list_files(&np, &files) < 0 || !files)
		return;
	while (files[n])
		n++;
	qsort(files, n, sizeof(*files), cmp_base);
	for (size_t i = 0; i < n; i++)
		load_file(&np, files[i]);
	for (size_t i = 0; i < np.defs.n; i++)
		make_interface(&np, &np.defs.v[i]);
	for (size_t i = 0; i < np.defs.n; i++) {
		struct np_def *d = &np.defs.v[i];
		if (strcmp(kinds[d->kind].key, "bonds") == 0 || strcmp(kinds[d->kind].key,
								       "bridges") == 0)
			def_each(&np, d, "interfaces", NULL, add_member);
	}
	netplan_release(&np);
}
