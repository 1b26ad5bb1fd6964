/*
 * merge.c: runtime and offline settings of one VM into one guest (merge.h gives the rules).
 *
 * The merged guest is built in a private settings document through the model's add and set
 * functions, so it is normalized and capped like any collector's, and handed to the caller's
 * document only when complete: a failed merge leaves nothing behind.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "cleanup.h"
#include "merge.h"

/* A limit and its name, for messages: LIMIT(GN_MAX_ROUTES). */
#define LIMIT(x) #x, (long)(x)

struct merge {
	struct gn_guest *g;                 /* the merged guest */
	const struct gn_guest *runtime, *other;
	enum gn_source_kind other_kind;     /* registry or config-files */
	ssize_t *partner;                   /* of each runtime interface: its other one, or -1 */
	bool *used;                         /* of each other interface: matched */
	const char **merged_id;             /* of each other interface: its id in g, NULL: left out */
	gn_error *err;
};

/* The result r of a model call adding what, as the merge's error; 0 for r >= 0. */
static int added(struct merge *m, int r, const char *what, const char *limit, long max)
{
	if (r >= 0)
		return 0;
	if (r == -E2BIG)
		return gn_error_set(m->err, r, "merged guest: more than %ld %s (%s)", max, what,
				    limit);
	if (r == -ENOMEM)
		return gn_error_set(m->err, r, "out of memory");
	return gn_error_set(m->err, r, "merged guest: %s: invalid value", what);
}

/* A string copied from a model that had already checked it: only -ENOMEM is expected. */
static int copied(struct merge *m, int r, const char *what)
{
	if (r >= 0)
		return 0;
	if (r == -ENOMEM)
		return gn_error_set(m->err, r, "out of memory");
	return gn_error_set(m->err, r, "merged guest: %s: not valid text", what);
}

static enum gn_source_kind from_or(enum gn_source_kind from, enum gn_source_kind kind)
{
	return from != GN_SOURCE_UNSET ? from : kind;
}

static int fill_string(char **field, const char *value)
{
	return *field || !value ? 0 : gn_set_string(field, value);
}

static const char *mac_key(const struct gn_interface *ifc)
{
	return ifc->mac ? ifc->mac : ifc->permanent_mac;
}

static bool same_mac(const struct gn_interface *a, const struct gn_interface *b)
{
	return mac_key(a) && mac_key(b) && strcmp(mac_key(a), mac_key(b)) == 0;
}

static void pair(struct merge *m, size_t i, size_t j)
{
	m->partner[i] = (ssize_t)j;
	m->used[j] = true;
}

/* How many interfaces of v (n), not yet matched (matched NULL: all), have ifc's MAC. */
static size_t count_mac(struct gn_interface *const *v, size_t n, const ssize_t *partner,
			const bool *used, const struct gn_interface *ifc)
{
	size_t count = 0;

	for (size_t k = 0; k < n; k++)
		count += (partner ? partner[k] < 0 : !used[k]) && same_mac(v[k], ifc);
	return count;
}

/*
 * Pair each runtime interface with an other one.  Several interfaces may share a MAC (VLAN
 * interfaces and bridges take their parent's, a team its members'), so: MAC and id both equal
 * first; then a MAC only one unmatched interface on each side has; then equal ids where the MACs
 * do not disagree (one side has none).  What stays ambiguous is not paired.
 */
static int match_interfaces(struct merge *m)
{
	struct gn_interface *const *rv = m->runtime->interfaces.v, *const *ov = m->other->interfaces.v;
	size_t rn = m->runtime->interfaces.n, on = m->other->interfaces.n;
	_cleanup_free_ bool *unique = calloc(rn + 1, sizeof(*unique));

	if (!unique)
		return gn_error_set(m->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < rn; i++)
		m->partner[i] = -1;
	for (size_t i = 0; i < rn; i++)
		for (size_t j = 0; m->partner[i] < 0 && j < on; j++)
			if (!m->used[j] && same_mac(rv[i], ov[j]) &&
			    strcasecmp(rv[i]->id, ov[j]->id) == 0)
				pair(m, i, j);
	/* counted before any pair of this pass: pairing a unique MAC changes no other count */
	for (size_t i = 0; i < rn; i++)
		unique[i] = m->partner[i] < 0 && mac_key(rv[i]) &&
			    count_mac(rv, rn, m->partner, NULL, rv[i]) == 1 &&
			    count_mac(ov, on, NULL, m->used, rv[i]) == 1;
	for (size_t i = 0; i < rn; i++)
		for (size_t j = 0; unique[i] && m->partner[i] < 0 && j < on; j++)
			if (!m->used[j] && same_mac(rv[i], ov[j]))
				pair(m, i, j);
	for (size_t i = 0; i < rn; i++)
		for (size_t j = 0; m->partner[i] < 0 && j < on; j++)
			if (!m->used[j] && (!mac_key(rv[i]) || !mac_key(ov[j])) &&
			    strcasecmp(rv[i]->id, ov[j]->id) == 0)
				pair(m, i, j);
	return 0;
}

/* Copy the ipconf c, which came from kind unless it says otherwise, into the empty d. */
static int copy_ipconf(struct merge *m, struct gn_ipconf *d, const struct gn_ipconf *c,
		       enum gn_source_kind kind)
{
	int r = 0;

	d->mode = c->mode;
	d->from = from_or(c->from, kind);
	for (size_t i = 0; r >= 0 && i < c->addresses.n; i++)
		r = gn_ipconf_add_address(d, &c->addresses.v[i].ip, c->addresses.v[i].prefix,
					  c->addresses.v[i].origin);
	if (r < 0)
		return added(m, r, "addresses per interface and family", LIMIT(GN_MAX_ADDRESSES));
	for (size_t i = 0; r >= 0 && i < c->gateways.n; i++)
		r = gn_ipconf_add_gateway(d, &c->gateways.v[i].ip, c->gateways.v[i].metric);
	if (r < 0)
		return added(m, r, "gateways per interface and family", LIMIT(GN_MAX_GATEWAYS));
	for (size_t i = 0; r >= 0 && i < c->dns.n; i++)
		r = gn_dns_list_add(&d->dns, &c->dns.v[i].ip, c->dns.v[i].origin);
	if (r < 0)
		return added(m, r, "DNS servers per list", LIMIT(GN_MAX_DNS));
	for (size_t i = 0; r >= 0 && i < c->wins.n; i++)
		r = gn_ipconf_add_wins(d, &c->wins.v[i]);
	if (r < 0)
		return added(m, r, "WINS servers per interface", LIMIT(GN_MAX_WINS));
	d->lease = c->lease;
	return 0;
}

/* Give d each field it lacks that s has (a new d: all of them). */
static int fill_interface(struct gn_interface *d, const struct gn_interface *s)
{
	int r;

	if ((r = fill_string(&d->name, s->name)) < 0 ||
	    (r = fill_string(&d->description, s->description)) < 0 ||
	    (r = fill_string(&d->dns_suffix, s->dns_suffix)) < 0 ||
	    (r = fill_string(&d->network, s->network)) < 0 ||
	    (!d->mac && s->mac && (r = gn_interface_set_mac(d, s->mac)) < 0) ||
	    (!d->permanent_mac && s->permanent_mac &&
	     (r = gn_interface_set_permanent_mac(d, s->permanent_mac)) < 0))
		return r;
	if (d->type == GN_IFTYPE_UNSET)
		d->type = s->type;
	if (!d->mtu)
		d->mtu = s->mtu;
	if (!d->vlan)
		d->vlan = s->vlan;
	if (d->enabled < 0)
		d->enabled = s->enabled;
	return 0;
}

/*
 * One interface of the merged guest from rt (a runtime interface, or NULL) and ot (its other
 * partner, or NULL): the runtime's fields, then other's where the runtime has none.
 */
static int merge_interface(struct merge *m, const struct gn_interface *rt,
			   const struct gn_interface *ot)
{
	const struct gn_interface *base = rt ? rt : ot;
	enum gn_source_kind kind = rt ? GN_SOURCE_RUNTIME : m->other_kind;
	struct gn_interface *d;
	int r = gn_guest_add_interface(m->g, base->id, &d);

	if (r == -EEXIST) {
		/* an other-only NIC whose id a runtime NIC of another MAC has taken */
		gn_guest_warn(m->g, "interface '%s' of the %s settings has the id of another "
			      "interface of the runtime settings; it was left out, with its routes",
			      base->id, gn_source_kind_name(m->other_kind));
		return 0;
	}
	if (r < 0)
		return added(m, r, "interfaces in one guest", LIMIT(GN_MAX_INTERFACES));
	d->from = from_or(base->from, kind);
	if ((rt && (r = fill_interface(d, rt)) < 0) || (ot && (r = fill_interface(d, ot)) < 0))
		return copied(m, r, "interface fields");
	for (int f = 0; f < 2; f++) {
		int family = f ? GN_AF_INET6 : GN_AF_INET;
		struct gn_ipconf *dc = gn_interface_ipconf(d, family);
		const struct gn_ipconf *rc = rt ? (f ? &rt->v6 : &rt->v4) : NULL;
		const struct gn_ipconf *oc = ot ? (f ? &ot->v6 : &ot->v4) : NULL;

		r = 0;
		if (rc && rc->mode != GN_MODE_UNSET)
			r = copy_ipconf(m, dc, rc, GN_SOURCE_RUNTIME);
		else if (oc && oc->mode != GN_MODE_UNSET)
			r = copy_ipconf(m, dc, oc, m->other_kind);
		if (r < 0)
			return r;
	}
	return 0;
}

static int merge_interfaces(struct merge *m)
{
	const struct gn_guest *rt = m->runtime, *ot = m->other;
	int r;

	for (size_t i = 0; i < rt->interfaces.n; i++) {
		ssize_t j = m->partner[i];
		r = merge_interface(m, rt->interfaces.v[i], j >= 0 ? ot->interfaces.v[j] : NULL);
		if (r < 0)
			return r;
		if (j >= 0)
			m->merged_id[j] = rt->interfaces.v[i]->id;
	}
	for (size_t j = 0; j < ot->interfaces.n; j++) {
		size_t n = m->g->interfaces.n;

		if (m->used[j])
			continue;
		for (size_t i = 0; i < rt->interfaces.n; i++)
			if (same_mac(rt->interfaces.v[i], ot->interfaces.v[j])) {
				gn_guest_warn(m->g, "interface '%s' of the %s settings shares its MAC "
					      "with runtime interfaces it could not be told apart from; "
					      "it was not merged with any", ot->interfaces.v[j]->id,
					      gn_source_kind_name(m->other_kind));
				break;
			}
		if ((r = merge_interface(m, NULL, ot->interfaces.v[j])) < 0)
			return r;
		if (m->g->interfaces.n > n)
			m->merged_id[j] = ot->interfaces.v[j]->id;
	}
	return 0;
}

/*
 * The interface id in the merged guest of an other route's id in *id: its partner's, or its
 * own; false when that interface was left out (the route goes with it).
 */
static bool translate_interface(const struct merge *m, const char **id)
{
	for (size_t j = 0; *id && j < m->other->interfaces.n; j++)
		if (strcasecmp(m->other->interfaces.v[j]->id, *id) == 0) {
			*id = m->merged_id[j];
			return *id != NULL;
		}
	return true;
}

static bool has_route(const struct gn_guest *g, const struct gn_route *rt)
{
	for (size_t i = 0; i < g->routes.n; i++) {
		const struct gn_route *x = &g->routes.v[i];
		if (x->family == rt->family && x->prefix == rt->prefix &&
		    gn_ip_equal(&x->destination, &rt->destination) &&
		    gn_ip_equal(&x->gateway, &rt->gateway))
			return true;
	}
	return false;
}

static int add_route(struct merge *m, const struct gn_route *rt, const char *interface,
		     enum gn_source_kind kind)
{
	int r = gn_guest_add_route(m->g, &rt->destination, rt->prefix, &rt->gateway, rt->metric,
				   interface);

	if (r == 1)
		m->g->routes.v[m->g->routes.n - 1].from = from_or(rt->from, kind);
	return added(m, r, "routes in one guest", LIMIT(GN_MAX_ROUTES));
}

static int merge_routes(struct merge *m)
{
	const struct gn_guest *rt = m->runtime, *ot = m->other;
	int r;

	for (size_t i = 0; i < rt->routes.n; i++)
		if ((r = add_route(m, &rt->routes.v[i], rt->routes.v[i].interface,
				   GN_SOURCE_RUNTIME)) < 0)
			return r;
	for (size_t i = 0; i < ot->routes.n; i++) {
		const char *id = ot->routes.v[i].interface;

		if (has_route(m->g, &ot->routes.v[i]) || !translate_interface(m, &id))
			continue;
		r = add_route(m, &ot->routes.v[i], id, m->other_kind);
		if (r < 0)
			return r;
	}
	return 0;
}

/* System-wide resolvers and the search list come as one: from the runtime when it has any. */
static int merge_resolver(struct merge *m)
{
	bool runtime = m->runtime->dns.n || m->runtime->search.n;
	const struct gn_guest *src = runtime ? m->runtime : m->other;
	enum gn_source_kind kind = runtime ? GN_SOURCE_RUNTIME : m->other_kind;
	int r;

	for (size_t i = 0; i < src->dns.n; i++) {
		r = gn_guest_add_dns(m->g, &src->dns.v[i].ip, src->dns.v[i].origin);
		if (r == 1)
			m->g->dns.v[m->g->dns.n - 1].from = from_or(src->dns.v[i].from, kind);
		if (r < 0)
			return added(m, r, "DNS servers per list", LIMIT(GN_MAX_DNS));
	}
	for (size_t i = 0; i < src->search.n; i++)
		if ((r = gn_guest_add_search(m->g, src->search.v[i])) < 0)
			return added(m, r, "search domains in one guest", LIMIT(GN_MAX_SEARCH));
	return 0;
}

static int copy_sources(struct merge *m, const struct gn_guest *from)
{
	struct gn_source *src;
	int r;

	for (size_t i = 0; i < from->sources.n; i++) {
		const struct gn_source *s = &from->sources.v[i];

		r = gn_guest_add_source(m->g, s->kind, &src);
		if (r < 0)
			return added(m, r, "sources in one guest", LIMIT(GN_MAX_SOURCES));
		src->origin = s->origin;
		src->collected = s->collected;
		src->control_set = s->control_set;
		if ((r = gn_set_string(&src->image, s->image)) < 0)
			return copied(m, r, "source image");
	}
	return 0;
}

/* The guest's fields: refuse two different VMs, then the runtime's, else other's. */
static int merge_guest(struct merge *m)
{
	const struct gn_guest *rt = m->runtime, *ot = m->other;
	enum gn_source_kind rt_kind = gn_guest_source_kind(rt);
	int r;

	if (!gn_os_name(rt->os))
		return gn_error_set(m->err, -EINVAL, "runtime guest: os is not set");
	if (rt_kind != GN_SOURCE_UNSET && rt_kind != GN_SOURCE_RUNTIME)
		return gn_error_set(m->err, -EINVAL, "runtime guest: its source is '%s', not "
				    "'runtime'", gn_source_kind_name(rt_kind));
	if (m->other_kind != GN_SOURCE_REGISTRY && m->other_kind != GN_SOURCE_CONFIG_FILES)
		return gn_error_set(m->err, -EINVAL, "other guest: its source is '%s', not "
				    "'registry' or 'config-files'",
				    gn_source_kind_name(m->other_kind) ?
				    gn_source_kind_name(m->other_kind) : "(none)");
	if (ot->os != GN_OS_UNSET && ot->os != rt->os)
		return gn_error_set(m->err, -EINVAL, "not the same VM: the runtime settings are of "
				    "'%s', the %s settings of '%s'", gn_os_name(rt->os),
				    gn_source_kind_name(m->other_kind), gn_os_name(ot->os));
	m->g->os = rt->os;
	if ((r = gn_set_string(&m->g->name, rt->name ? rt->name : ot->name)) < 0 ||
	    (r = gn_set_string(&m->g->hostname, rt->hostname ? rt->hostname : ot->hostname)) < 0 ||
	    (r = gn_set_string(&m->g->domain, rt->domain ? rt->domain : ot->domain)) < 0)
		return copied(m, r, "guest name");
	if ((r = copy_sources(m, rt)) < 0 || (r = copy_sources(m, ot)) < 0)
		return r;
	return 0;
}

int gn_settings_add_merged_guest(gn_settings *s, const struct gn_guest *runtime,
				 const struct gn_guest *other, struct gn_guest **ret,
				 gn_error *err)
{
	_cleanup_(gn_settings_freep) gn_settings *tmp = NULL;
	_cleanup_free_ ssize_t *partner = NULL;
	_cleanup_free_ bool *used = NULL;
	_cleanup_free_ const char **merged_id = NULL;
	struct gn_guest *g, **slot;
	int r;

	partner = calloc(runtime->interfaces.n + 1, sizeof(*partner));
	used = calloc(other->interfaces.n + 1, sizeof(*used));
	merged_id = calloc(other->interfaces.n + 1, sizeof(*merged_id));
	if (!partner || !used || !merged_id || gn_settings_new(&tmp) < 0 ||
	    gn_settings_add_guest(tmp, &g) < 0)
		return gn_error_set(err, -ENOMEM, "out of memory");

	struct merge m = {
		.g = g, .runtime = runtime, .other = other,
		.other_kind = gn_guest_source_kind(other),
		.partner = partner, .used = used, .merged_id = merged_id, .err = err,
	};
	if ((r = merge_guest(&m)) < 0)
		return r;
	if ((r = match_interfaces(&m)) < 0 || (r = merge_interfaces(&m)) < 0 || (r = merge_routes(&m)) < 0 ||
	    (r = merge_resolver(&m)) < 0)
		return r;
	for (size_t i = 0; i < runtime->warnings.n; i++)
		gn_guest_warn(g, "%s", runtime->warnings.v[i]);
	for (size_t i = 0; i < other->warnings.n; i++)
		gn_guest_warn(g, "%s", other->warnings.v[i]);

	/* complete: hand the guest over to s */
	r = GN_ARRAY_PUSH(&s->guests, GN_MAX_GUESTS, &slot);
	if (r < 0)
		return added(&m, r, "guests in one document", LIMIT(GN_MAX_GUESTS));
	*slot = g;
	tmp->guests.n = 0;
	*ret = g;
	return 0;
}
