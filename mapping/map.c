/*
 * map.c: the mapping engine (map.h says the rules).
 *
 * Everything a NIC looks up is indexed once, up front, so that planning is linear in the NICs:
 * networks by name (site.c), attach rows by VM name, the from-side subnets by network and
 * prefix for the longest-prefix match (one hash lookup per distinct prefix length), the to-side
 * subnets' pools by position, static source addresses by value.  The pools (pool.h) decide
 * which addresses may be handed out.
 *
 * "From" is the side a NIC is on, "to" the side it goes to: source to target for failover and
 * test failover, target to source for failback.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "map.h"
#include "pool.h"

/* A from-side subnet in the longest-prefix index. */
struct lpm_entry {
	struct gn_ip net;                    /* the key: network and prefix */
	unsigned char prefix;
	const struct gn_site_subnet *subnet;
	const struct gn_site_network *network;
};

/* The key bytes of an entry: the address (uint8_t only) and the prefix, no padding. */
#define LPM_KEY (offsetof(struct lpm_entry, prefix) + 1)

/* A static source address, for "two NICs hold the same address". */
struct seen {
	struct gn_ip ip;                     /* the key */
	const char *vm, *nic;                /* the settings' and plan's names: they outlive gn_map */
};

struct engine {
	const struct gn_site *site;
	enum gn_plan_mode mode;
	struct gn_plan *plan;
	const struct gn_site_side *from, *to;

	struct gn_index routes;              /* from-network name -> to-network (NULL: unmapped) */
	const struct gn_site_network **route_to;
	size_t nroutes;
	bool automatic;
	const char *unmapped_why;            /* why an unmapped network is, for the notes */
	struct gn_index forward;             /* failback: source name -> target network */

	struct gn_index attach;              /* VM name -> 1 + its first row in site->attach */
	size_t *attach_next;                 /* per row: the VM's next row, SIZE_MAX at the end */

	struct gn_index lpm;                 /* struct lpm_entry (net, prefix) -> the entry */
	struct lpm_entry *lpm_entries;
	unsigned char lens[2][129];          /* per family, the distinct prefix lengths, longest first */
	size_t nlens[2];

	size_t *pool_base;                   /* per to-side network: its first subnet's pool slot */
	struct gn_pool **pools;              /* per to-side subnet, made on first use */
	bool *pool_failed;
	size_t npools;

	struct gn_index given;               /* addresses handed out outside every pool */
	struct gn_ip *given_keys;
	size_t ngiven, given_cap;

	struct gn_index seen;                /* static source addresses -> struct seen */
	struct seen **seen_list;
	size_t nseen, seen_cap;

	struct gn_ip *public_next;           /* per site->pools: the next address, family 0: unused */
	size_t *public_range;

	struct gn_index vms;                 /* plan VM name -> struct gn_plan_vm * */
};

static int family_slot(int family)
{
	return family == GN_AF_INET6;
}

static const char *family_name(int family)
{
	return family == GN_AF_INET ? "IPv4" : "IPv6";
}

static const char *side_name(const struct engine *E, const struct gn_site_side *side)
{
	return side == &E->site->source ? "source" : "target";
}

/* -------- the mapping of networks -------- */

static int add_route(struct engine *E, const struct gn_site_network *from,
		     const struct gn_site_network *to)
{
	E->route_to[E->nroutes] = to;
	return gn_index_put_str(&E->routes, from->name, &E->route_to[E->nroutes++]);
}

/* Where a from-side network goes: 1 and *to (NULL: nowhere), 0 when it has no route at all. */
static int route_of(const struct engine *E, const struct gn_site_network *from,
		    const struct gn_site_network **to)
{
	const struct gn_site_network **r = gn_index_get_str(&E->routes, from->name);

	if (!r)
		return 0;
	*to = *r;
	return 1;
}

/*
 * No <map> rows: with as many source networks as target networks of the role, pair equal
 * names first, then the rest in document order; otherwise nothing is mapped.
 */
static int map_automatically(struct engine *E, enum gn_network_role role)
{
	const struct gn_site_side *src = &E->site->source, *dst = &E->site->target;
	size_t n = src->networks.n, m = 0, j = 0;
	_cleanup_free_ bool *used = calloc(dst->networks.n + 1, sizeof(bool));
	_cleanup_free_ const struct gn_site_network **pair = calloc(n + 1, sizeof(*pair));
	int r = 0;

	if (!used || !pair)
		return -ENOMEM;
	for (size_t i = 0; i < dst->networks.n; i++)
		m += dst->networks.v[i].role == role;
	if (n != m) {
		gn_plan_warn(E->plan, "no <map> rows, and %zu source network%s but %zu %s target "
			     "network%s: nothing could be mapped automatically", n, n == 1 ? "" : "s",
			     m, gn_network_role_name(role), m == 1 ? "" : "s");
		E->unmapped_why = "the site has no <map> rows, and its sides hold different numbers "
				  "of networks";
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct gn_site_network *to = gn_site_find_network(dst, src->networks.v[i].name);
		if (to && to->role == role) {
			used[to - dst->networks.v] = true;
			pair[i] = to;
		}
	}
	for (size_t i = 0; i < n; i++) {
		while (!pair[i] && j < dst->networks.n && (used[j] || dst->networks.v[j].role != role))
			j++;
		if (!pair[i]) {
			used[j] = true;
			pair[i] = &dst->networks.v[j];
		}
	}
	for (size_t i = 0; i < n && r >= 0; i++)
		r = add_route(E, &src->networks.v[i], pair[i]);
	E->automatic = n > 0;
	if (n > 0)
		gn_plan_warn(E->plan, "no <map> rows: the %zu networks were mapped automatically "
			     "(equal names first, then document order)", n);
	return r;
}

/* The <map> rows, source to target (or to the test network): unknown names are warnings. */
static int map_rows(struct engine *E, bool test)
{
	const struct gn_site *s = E->site;
	int r = 0;

	for (size_t i = 0; i < s->maps.n && r >= 0; i++) {
		const struct gn_site_map *m = &s->maps.v[i];
		const struct gn_site_network *from = gn_site_find_network(&s->source, m->source);
		const struct gn_site_network *to = gn_site_find_network(&s->target, m->target);
		const struct gn_site_network *tt = gn_site_find_network(&s->target, m->test_target);
		const struct gn_site_network *dummy;

		if (!from)
			gn_plan_warn(E->plan, "the <map> row at line %ld names source network '%s', "
				     "which the site does not describe", m->line, m->source);
		if (!to)
			gn_plan_warn(E->plan, "the <map> row at line %ld names target network '%s', "
				     "which the site does not describe", m->line, m->target);
		if (m->test_target && !tt)
			gn_plan_warn(E->plan, "the <map> row at line %ld names test network '%s', "
				     "which the site does not describe", m->line, m->test_target);
		if (!from)
			continue;
		if (route_of(E, from, &dummy)) {
			gn_plan_warn(E->plan, "the <map> row at line %ld maps source network '%s' a "
				     "second time; the first row holds", m->line, m->source);
			continue;
		}
		r = add_route(E, from, test ? tt : to);
	}
	E->unmapped_why = test ? "no <map> row gives its network a test network it describes" :
				 "no <map> row maps its network to a network the site describes";
	return r;
}

/*
 * Failback: the failover mapping reversed, target network back to source network.  Refused when
 * two source networks share a target network: the way back would not be known.
 */
static int map_back(struct engine *E, gn_error *err)
{
	const struct gn_site *s = E->site;
	_cleanup_free_ const struct gn_site_network **back =
		calloc(s->target.networks.n + 1, sizeof(*back));
	int r;

	if (!back)
		return -ENOMEM;
	r = s->maps.n ? map_rows(E, false) : map_automatically(E, GN_ROLE_FAILOVER);
	for (size_t i = 0; r >= 0 && i < s->source.networks.n; i++) {
		const struct gn_site_network *from = &s->source.networks.v[i], *to = NULL;

		if (!route_of(E, from, &to) || !to)
			continue;
		if (back[to - s->target.networks.v])
			return gn_error_set(err, -EBADMSG, "failback needs a one-to-one mapping, but "
					    "source networks '%s' and '%s' both map to '%s': the way "
					    "back cannot be known", back[to - s->target.networks.v]->name,
					    from->name, to->name);
		back[to - s->target.networks.v] = from;
		r = gn_index_put_str(&E->forward, from->name, (void *)to);
	}
	if (r < 0)
		return r;
	gn_index_release(&E->routes);
	E->nroutes = 0;
	for (size_t i = 0; r >= 0 && i < s->target.networks.n; i++)
		if (back[i])
			r = add_route(E, &s->target.networks.v[i], back[i]);
	E->unmapped_why = "no source network maps to its network, so there is no way back";
	return r;
}

static int build_routes(struct engine *E, gn_error *err)
{
	const struct gn_site *s = E->site;

	E->route_to = calloc(s->source.networks.n + s->target.networks.n + 1, sizeof(*E->route_to));
	if (!E->route_to)
		return -ENOMEM;
	if (E->mode == GN_PLAN_FAILBACK)
		return map_back(E, err);
	if (s->maps.n)
		return map_rows(E, E->mode == GN_PLAN_TEST);
	return map_automatically(E, E->mode == GN_PLAN_TEST ? GN_ROLE_TEST : GN_ROLE_FAILOVER);
}

/* -------- lookups built once -------- */

static int build_attach(struct engine *E)
{
	const struct gn_site *s = E->site;
	_cleanup_free_ size_t *tail = malloc((s->attach.n + 1) * sizeof(size_t));

	E->attach_next = malloc((s->attach.n + 1) * sizeof(size_t));
	if (!E->attach_next || !tail)
		return -ENOMEM;
	/* each VM's rows chained in document order: the index holds the head, tail[] the end */
	for (size_t i = 0; i < s->attach.n; i++) {
		uintptr_t head = (uintptr_t)gn_index_get_str(&E->attach, s->attach.v[i].vm);

		E->attach_next[i] = SIZE_MAX;
		if (head) {
			E->attach_next[tail[head - 1]] = i;
			tail[head - 1] = i;
		} else if (gn_index_put_str(&E->attach, s->attach.v[i].vm, (void *)(i + 1)) < 0) {
			return -ENOMEM;
		} else {
			tail[i] = i;
		}
	}
	return 0;
}

static int build_lpm(struct engine *E)
{
	const struct gn_site_side *side = E->from;
	bool have[2][129] = { { false } };
	size_t n = 0, k = 0;

	for (size_t i = 0; i < side->networks.n; i++)
		n += side->networks.v[i].subnets.n;
	E->lpm_entries = calloc(n + 1, sizeof(*E->lpm_entries));
	if (!E->lpm_entries)
		return -ENOMEM;
	for (size_t i = 0; i < side->networks.n; i++)
		for (size_t j = 0; j < side->networks.v[i].subnets.n; j++) {
			const struct gn_site_subnet *sn = &side->networks.v[i].subnets.v[j];
			struct lpm_entry *e = &E->lpm_entries[k++];

			e->net = sn->net;
			e->prefix = (unsigned char)sn->prefix;
			e->subnet = sn;
			e->network = &side->networks.v[i];
			/* the first of two equal subnets holds (the overlap is warned of) */
			if (gn_index_put(&E->lpm, e, LPM_KEY, e) == -ENOMEM)
				return -ENOMEM;
			have[family_slot(sn->net.family)][sn->prefix] = true;
		}
	for (int f = 0; f < 2; f++)
		for (int len = 128; len >= 0; len--)
			if (have[f][len])
				E->lens[f][E->nlens[f]++] = (unsigned char)len;
	return 0;
}

/* The from-side subnet holding ip with the longest prefix, or NULL. */
static const struct lpm_entry *lpm_find(const struct engine *E, const struct gn_ip *ip)
{
	int f = family_slot(ip->family);

	for (size_t i = 0; i < E->nlens[f]; i++) {
		struct lpm_entry key = { .net = *ip, .prefix = E->lens[f][i] };
		const struct lpm_entry *e;

		gn_ip_clear_host(&key.net, key.prefix);
		e = gn_index_get(&E->lpm, &key, LPM_KEY);
		if (e)
			return e;
	}
	return NULL;
}

static int build_pools(struct engine *E)
{
	const struct gn_site_side *side = E->to;
	size_t n = 0;

	E->pool_base = calloc(side->networks.n + 1, sizeof(size_t));
	if (!E->pool_base)
		return -ENOMEM;
	for (size_t i = 0; i < side->networks.n; i++) {
		E->pool_base[i] = n;
		n += side->networks.v[i].subnets.n;
	}
	E->npools = n;
	E->pools = calloc(n + 1, sizeof(*E->pools));
	E->pool_failed = calloc(n + 1, sizeof(bool));
	return E->pools && E->pool_failed ? 0 : -ENOMEM;
}

/* The pool of subnet j of to-side network net, made on first use from its rows and the policy;
 * NULL (said once) when the subnet cannot be one. */
static struct gn_pool *pool_of(struct engine *E, const struct gn_site_network *net, size_t j)
{
	size_t slot = E->pool_base[net - E->to->networks.v] + j;
	const struct gn_site_subnet *sn = &net->subnets.v[j];
	struct gn_pool *p = E->pools[slot];

	if (p || E->pool_failed[slot])
		return p;
	if (gn_pool_new(&sn->net, sn->prefix, sn->gateway.family ? &sn->gateway : NULL,
			E->site->policy.reserved_per_subnet, &p) < 0) {
		E->pool_failed[slot] = true;
		gn_plan_warn(E->plan, "subnet '%s' of network '%s' cannot hand out addresses",
			     sn->name, net->name);
		return NULL;
	}
	for (size_t i = 0; i < sn->reserved.n; i++)
		gn_pool_reserve(p, &sn->reserved.v[i].from, &sn->reserved.v[i].to);
	for (size_t i = 0; i < sn->in_use.n; i++)
		gn_pool_mark_in_use(p, &sn->in_use.v[i]);
	E->pools[slot] = p;
	return p;
}

/* -------- checks of the site: warnings, and the refusals of network extension -------- */

static void check_gateways(struct engine *E, const struct gn_site_side *side)
{
	char a[GN_IP_TEXT_MAX], b[GN_IP_TEXT_MAX];

	for (size_t i = 0; i < side->networks.n; i++)
		for (size_t j = 0; j < side->networks.v[i].subnets.n; j++) {
			const struct gn_site_subnet *sn = &side->networks.v[i].subnets.v[j];
			if (sn->gateway.family && !gn_ip_in_prefix(&sn->gateway, &sn->net, sn->prefix))
				gn_plan_warn(E->plan, "the gateway %s of %s subnet '%s' (%s/%u) lies "
					     "outside it", gn_ip_format(&sn->gateway, a),
					     side_name(E, side), sn->name, gn_ip_format(&sn->net, b),
					     sn->prefix);
		}
}

static int compare_entries(const void *x, const void *y)
{
	const struct lpm_entry *a = x, *b = y;
	int c = gn_ip_compare(&a->net, &b->net);

	return c ? c : (int)a->prefix - (int)b->prefix;
}

/*
 * Overlapping target subnets among the networks of one role (a test network copies its failover
 * network's subnets on purpose): sorted by network, a subnet overlaps the widest one before it
 * that still covers its network address.
 */
static int check_overlaps(struct engine *E)
{
	const struct gn_site_side *side = &E->site->target;
	size_t n = 0;
	_cleanup_free_ struct lpm_entry *v = NULL;
	char a[GN_IP_TEXT_MAX], b[GN_IP_TEXT_MAX];

	for (size_t i = 0; i < side->networks.n; i++)
		n += side->networks.v[i].subnets.n;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (int role = GN_ROLE_FAILOVER; role <= GN_ROLE_TEST; role++) {
		size_t k = 0;

		for (size_t i = 0; i < side->networks.n; i++)
			for (size_t j = 0; side->networks.v[i].role == (enum gn_network_role)role &&
					   j < side->networks.v[i].subnets.n; j++) {
				const struct gn_site_subnet *sn = &side->networks.v[i].subnets.v[j];
				v[k++] = (struct lpm_entry){ sn->net, (unsigned char)sn->prefix, sn,
							     &side->networks.v[i] };
			}
		qsort(v, k, sizeof(*v), compare_entries);
		for (size_t i = 1, cover = 0; i < k; i++) {
			const struct lpm_entry *c = &v[cover];
			if (!gn_ip_in_prefix(&v[i].net, &c->net, c->prefix))
				cover = i;
			else
				gn_plan_warn(E->plan, "target subnets '%s' (%s/%u, network '%s') and "
					     "'%s' (%s/%u, network '%s') overlap", c->subnet->name,
					     gn_ip_format(&c->net, a), c->prefix, c->network->name,
					     v[i].subnet->name, gn_ip_format(&v[i].net, b),
					     v[i].prefix, v[i].network->name);
		}
	}
	return 0;
}

static int check_extension(struct engine *E, gn_error *err)
{
	char a[GN_IP_TEXT_MAX];

	if (!E->site->policy.network_extension)
		return 0;
	for (const struct gn_site_side *side = &E->site->source;; side = &E->site->target) {
		for (size_t i = 0; i < side->networks.n; i++)
			for (size_t j = 0; j < side->networks.v[i].subnets.n; j++) {
				const struct gn_site_subnet *sn = &side->networks.v[i].subnets.v[j];
				if (sn->net.family == GN_AF_INET6 && sn->prefix != 64)
					return gn_error_set(err, -EBADMSG, "network extension needs "
							    "IPv6 subnets of /64, but %s subnet '%s' of "
							    "network '%s' is %s/%u", side_name(E, side),
							    sn->name, side->networks.v[i].name,
							    gn_ip_format(&sn->net, a), sn->prefix);
			}
		if (side == &E->site->target)
			return 0;
	}
}

/* -------- one NIC -------- */

struct nic {
	struct engine *E;
	const struct gn_interface *ifc;
	const char *vm;
	struct gn_plan_nic *out;
	const struct gn_site_network *from, *to;
	const struct gn_site_subnet *from_subnet[2];  /* per family, of the from network */
};

static bool attach_matches(const struct gn_site_attach *a, const struct gn_interface *ifc)
{
	if (a->mac)
		return ifc->mac && strcmp(a->mac, ifc->mac) == 0;
	if (a->interface)
		return strcmp(a->interface, ifc->id) == 0;
	return true;
}

/* The address of a family a NIC is known by: its first static one, else any but link-local. */
static const struct gn_address *main_address(const struct gn_ipconf *c)
{
	const struct gn_address *any = NULL;

	for (size_t i = 0; i < c->addresses.n; i++) {
		const struct gn_address *a = &c->addresses.v[i];
		if (a->origin == GN_ORIGIN_STATIC)
			return a;
		if (!any && a->origin != GN_ORIGIN_LINK_LOCAL)
			any = a;
	}
	return any;
}

/* An <attach> row's network, on the side the NIC is on (failback: where failover sent it). */
static const struct gn_site_network *attach_network(struct nic *N)
{
	struct engine *E = N->E;
	const struct gn_site *s = E->site;
	uintptr_t head = (uintptr_t)gn_index_get_str(&E->attach, N->vm);

	for (size_t i = head ? head - 1 : SIZE_MAX; i != SIZE_MAX; i = E->attach_next[i]) {
		const struct gn_site_attach *at = &s->attach.v[i];
		const struct gn_site_network *net = gn_site_find_network(&s->source, at->network);

		if (!attach_matches(at, N->ifc))
			continue;
		if (!net) {
			gn_plan_warn(E->plan, "the <attach> row at line %ld names source network '%s', "
				     "which the site does not describe", at->line, at->network);
			continue;
		}
		if (E->mode == GN_PLAN_FAILBACK)
			net = gn_index_get_str(&E->forward, net->name);
		if (net)
			return net;
	}
	return NULL;
}

/* Rule 1: the network the NIC is on, and per family the subnet of it holding its address. */
static void find_from(struct nic *N)
{
	struct engine *E = N->E;
	const struct lpm_entry *hit[2] = { NULL, NULL };
	const struct gn_ipconf *conf[2] = { &N->ifc->v4, &N->ifc->v6 };

	for (int f = 0; f < 2; f++) {
		const struct gn_address *a = main_address(conf[f]);
		if (a)
			hit[f] = lpm_find(E, &a->ip);
	}
	N->from = attach_network(N);
	if (N->from) {
		gn_plan_note(N->out, "source network '%s' from the site's <attach> row", N->from->name);
	} else if (N->ifc->network && (N->from = gn_site_find_network(E->from, N->ifc->network))) {
		gn_plan_note(N->out, "source network '%s' as the settings name it", N->from->name);
	} else if (hit[0] || hit[1]) {
		const struct lpm_entry *e = hit[0] ? hit[0] : hit[1];
		N->from = e->network;
		gn_plan_note(N->out, "source network '%s': its subnet '%s' (%s/%u) holds the NIC's "
			     "address", e->network->name, e->subnet->name,
			     gn_ip_format(&e->net, (char[GN_IP_TEXT_MAX]){ 0 }), e->prefix);
	}
	for (int f = 0; f < 2; f++)
		if (hit[f] && hit[f]->network == N->from)
			N->from_subnet[f] = hit[f]->subnet;
}

/* Rule 3: the to-network's subnet of a family for the NIC: named like its source subnet, else
 * the policy's fallback.  Returns its position, or SIZE_MAX when the network has none. */
static size_t pick_subnet(struct nic *N, int family, bool *by_name)
{
	const struct gn_site_network *net = N->to;
	const struct gn_site_subnet *src = N->from_subnet[family_slot(family)];
	size_t best = SIZE_MAX;

	*by_name = false;
	for (size_t j = 0; src && j < net->subnets.n; j++)
		if (net->subnets.v[j].net.family == family &&
		    strcmp(net->subnets.v[j].name, src->name) == 0) {
			*by_name = true;
			return j;
		}
	for (size_t j = 0; j < net->subnets.n; j++) {
		if (net->subnets.v[j].net.family != family)
			continue;
		if (best == SIZE_MAX)
			best = j;
		else if (N->E->site->policy.subnet_fallback == GN_SUBNET_FALLBACK_ALPHABETICAL &&
			 strcmp(net->subnets.v[j].name, net->subnets.v[best].name) < 0)
			best = j;
	}
	return best;
}

static void add_dns(struct gn_plan_nic *out, const gn_dns_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		gn_dns_list_add(&out->dns, &l->v[i].ip, GN_ORIGIN_UNSET);
}

/* The NIC's static source address, said twice across the settings: a warning. */
static void remember_static(struct nic *N, const struct gn_ip *ip)
{
	struct engine *E = N->E;
	struct seen *prev = gn_index_get_ip(&E->seen, ip), *s;
	char text[GN_IP_TEXT_MAX];

	if (prev) {
		gn_plan_warn(E->plan, "two source NICs hold the static address %s: NIC '%s' of VM "
			     "'%s', and NIC '%s' of VM '%s'", gn_ip_format(ip, text), prev->nic,
			     prev->vm, N->ifc->id, N->vm);
		return;
	}
	if (E->nseen == E->seen_cap) {
		size_t cap = E->seen_cap ? E->seen_cap * 2 : 256;
		struct seen **v = realloc(E->seen_list, cap * sizeof(*v));
		if (!v)
			return;
		E->seen_list = v;
		E->seen_cap = cap;
	}
	s = malloc(sizeof(*s));
	if (!s)
		return;
	*s = (struct seen){ *ip, N->vm, N->ifc->id };
	if (gn_index_put_ip(&E->seen, &s->ip, s) < 0) {
		free(s);
		return;
	}
	E->seen_list[E->nseen++] = s;
}

/* An address no pool holds (a re-IP result outside every subnet): once per plan. */
static bool give_outside(struct engine *E, const struct gn_ip *ip)
{
	if (gn_index_get_ip(&E->given, ip))
		return false;
	if (E->ngiven == E->given_cap) {
		size_t cap = E->given_cap ? E->given_cap * 2 : 64;
		struct gn_ip *v = realloc(E->given_keys, cap * sizeof(*v));
		if (!v)
			return false;
		/* the index points into the old array: rebuild it over the new one */
		gn_index_release(&E->given);
		E->given_keys = v;
		E->given_cap = cap;
		for (size_t i = 0; i < E->ngiven; i++)
			if (gn_index_put_ip(&E->given, &E->given_keys[i], &E->given_keys[i]) < 0)
				return false;
	}
	E->given_keys[E->ngiven] = *ip;
	if (gn_index_put_ip(&E->given, &E->given_keys[E->ngiven], &E->given_keys[E->ngiven]) < 0)
		return false;
	E->ngiven++;
	return true;
}

/* The first <reip> rule matching ip, or NULL. */
static const struct gn_site_reip *find_reip(const struct engine *E, const struct gn_ip *ip)
{
	for (size_t i = 0; i < E->site->reip.n; i++)
		if (gn_reip_match(&E->site->reip.v[i].rule, ip))
			return &E->site->reip.v[i];
	return NULL;
}

/* The to-network's subnet of ip's family holding it, or SIZE_MAX. */
static size_t subnet_holding(const struct gn_site_network *net, const struct gn_ip *ip)
{
	for (size_t j = 0; j < net->subnets.n; j++)
		if (gn_ip_in_prefix(ip, &net->subnets.v[j].net, net->subnets.v[j].prefix))
			return j;
	return SIZE_MAX;
}

static void set_static(struct gn_plan_ip *out, const struct gn_ip *ip, unsigned prefix,
		       const struct gn_ip *gateway, enum gn_plan_rule rule)
{
	out->mode = GN_MODE_STATIC;
	out->ip = *ip;
	out->prefix = prefix;
	if (gateway && gateway->family == ip->family)
		out->gateway = *gateway;
	out->rule = rule;
}

/* Next available in subnet j, from the end for test failover. */
static void next_available(struct nic *N, struct gn_plan_ip *out, size_t j, const char *because)
{
	const struct gn_site_subnet *sn = &N->to->subnets.v[j];
	struct gn_pool *pool = pool_of(N->E, N->to, j);
	bool from_end = N->E->mode == GN_PLAN_TEST;
	char a[GN_IP_TEXT_MAX], b[GN_IP_TEXT_MAX];
	struct gn_ip ip;

	out->mode = GN_MODE_STATIC;
	if (!pool || gn_pool_next(pool, from_end, &ip) < 0) {
		gn_plan_note(N->out, "%s; subnet '%s' (%s/%u) has no free address left: no %s "
			     "address was given", because, sn->name, gn_ip_format(&sn->net, a),
			     sn->prefix, family_name(sn->net.family));
		return;
	}
	set_static(out, &ip, sn->prefix, &sn->gateway,
		   from_end ? GN_RULE_NEXT_AVAILABLE_FROM_END : GN_RULE_NEXT_AVAILABLE);
	add_dns(N->out, &sn->dns);
	gn_plan_note(N->out, "%s; %s is the next free address %sof subnet '%s' (%s/%u)", because,
		     gn_ip_format(&ip, b), from_end ? "from the end " : "", sn->name,
		     gn_ip_format(&sn->net, a), sn->prefix);
}

/* A re-IP rule's result: from the pool of the subnet holding it, or outside every pool. */
static bool apply_reip(struct nic *N, struct gn_plan_ip *out, const struct gn_site_reip *rule,
		       const struct gn_ip *src, unsigned src_prefix)
{
	char a[GN_IP_TEXT_MAX], b[GN_IP_TEXT_MAX], text[GN_REIP_TEXT_MAX];
	size_t j;
	struct gn_ip ip;
	struct gn_pool *pool;
	unsigned prefix;

	if (gn_reip_apply(&rule->rule, src, &ip) < 0)
		return false;
	gn_reip_format(&rule->rule, text);
	j = subnet_holding(N->to, &ip);
	if (j != SIZE_MAX && (pool = pool_of(N->E, N->to, j))) {
		if (gn_pool_take(pool, &ip) < 0) {
			gn_plan_note(N->out, "re-IP rule %s (line %ld) gives %s, which is %s", text,
				     rule->line, gn_ip_format(&ip, a),
				     gn_pool_why_text(gn_pool_why(pool, &ip)));
			return false;
		}
		prefix = N->to->subnets.v[j].prefix;
		/* the subnet the new address lies in, which may not be the one rule 3 chose */
		gn_set_string(&N->out->subnet, N->to->subnets.v[j].name);
	} else {
		if (!give_outside(N->E, &ip)) {
			gn_plan_note(N->out, "re-IP rule %s (line %ld) gives %s, which another NIC "
				     "already has", text, rule->line, gn_ip_format(&ip, a));
			return false;
		}
		/* the rule's target network, else the source prefix carried over; no site subnet
		 * holds the address, so the plan names none */
		prefix = rule->rule.target_prefix ? rule->rule.target_prefix : src_prefix;
		gn_set_string(&N->out->subnet, NULL);
	}
	set_static(out, &ip, prefix, rule->gateway.family ? &rule->gateway :
		   j != SIZE_MAX ? &N->to->subnets.v[j].gateway : NULL, GN_RULE_REIP);
	add_dns(N->out, rule->dns.n ? &rule->dns : j != SIZE_MAX ? &N->to->subnets.v[j].dns : &rule->dns);
	gn_plan_note(N->out, "source IP %s is outside the target subnet: re-IP rule %s (line %ld) "
		     "gives %s", gn_ip_format(src, b), text, rule->line, gn_ip_format(&ip, a));
	return true;
}

/* Rule 4 for one family. */
static void plan_family(struct nic *N, int family)
{
	const struct gn_ipconf *c = family == GN_AF_INET ? &N->ifc->v4 : &N->ifc->v6;
	struct gn_plan_ip *out = family == GN_AF_INET ? &N->out->v4 : &N->out->v6;
	const struct gn_address *a = NULL;
	const struct gn_site_subnet *sn;
	const struct gn_site_reip *rule;
	struct gn_pool *pool;
	bool by_name;
	size_t j, more = 0;
	char t1[GN_IP_TEXT_MAX], t2[GN_IP_TEXT_MAX], because[GN_TEXT_BUF];

	if (c->mode == GN_MODE_UNSET || c->mode == GN_MODE_DISABLED)
		return;
	j = pick_subnet(N, family, &by_name);
	if (j != SIZE_MAX && !N->out->subnet)
		gn_set_string(&N->out->subnet, N->to->subnets.v[j].name);
	if (c->mode == GN_MODE_DHCP || c->mode == GN_MODE_AUTO) {
		out->mode = GN_MODE_DHCP;
		out->rule = GN_RULE_DHCP;
		gn_plan_note(N->out, "%s: %s at the source, so %s after failover", family_name(family),
			     c->mode == GN_MODE_DHCP ? "DHCP" : "autoconfigured (SLAAC)",
			     c->mode == GN_MODE_DHCP ? "DHCP" : "left to the network");
		if (j != SIZE_MAX)
			add_dns(N->out, &N->to->subnets.v[j].dns);
		return;
	}
	for (size_t i = 0; i < c->addresses.n; i++)
		if (c->addresses.v[i].origin == GN_ORIGIN_STATIC) {
			if (!a)
				a = &c->addresses.v[i];
			else
				more++;
		}
	if (!a)
		return;  /* static mode without a static address: nothing to carry over */
	remember_static(N, &a->ip);
	if (more)
		gn_plan_note(N->out, "only the first static %s address (%s) is planned; %zu more %s "
			     "not", family_name(family), gn_ip_format(&a->ip, t1), more,
			     more == 1 ? "is" : "are");
	if (j == SIZE_MAX) {
		out->mode = GN_MODE_STATIC;
		out->rule = GN_RULE_MANUAL;
		gn_plan_note(N->out, "network '%s' has no %s subnet: the %s address %s must be set by "
			     "hand", N->to->name, family_name(family), family_name(family),
			     gn_ip_format(&a->ip, t1));
		return;
	}
	sn = &N->to->subnets.v[j];
	if (!by_name && N->from_subnet[family_slot(family)])
		gn_plan_note(N->out, "no target subnet is named '%s': subnet '%s' by the policy's "
			     "%s fallback", N->from_subnet[family_slot(family)]->name, sn->name,
			     N->E->site->policy.subnet_fallback == GN_SUBNET_FALLBACK_ALPHABETICAL ?
			     "alphabetical" : "document-order");
	pool = pool_of(N->E, N->to, j);
	if (pool && gn_pool_contains(pool, &a->ip)) {
		if (gn_pool_take(pool, &a->ip) == 0) {
			set_static(out, &a->ip, sn->prefix, &sn->gateway, GN_RULE_KEPT_SOURCE_IP);
			add_dns(N->out, &sn->dns);
			gn_plan_note(N->out, "source IP %s is free in target subnet '%s' (%s/%u)",
				     gn_ip_format(&a->ip, t1), sn->name, gn_ip_format(&sn->net, t2),
				     sn->prefix);
			return;
		}
		snprintf(because, sizeof(because), "source IP %s is %s in target subnet '%s'",
			 gn_ip_format(&a->ip, t1), gn_pool_why_text(gn_pool_why(pool, &a->ip)),
			 sn->name);
		next_available(N, out, j, because);
		return;
	}
	rule = find_reip(N->E, &a->ip);
	if (rule && apply_reip(N, out, rule, &a->ip, a->prefix))
		return;
	snprintf(because, sizeof(because), "source IP %s lies outside target subnet '%s'%s",
		 gn_ip_format(&a->ip, t1), sn->name, rule ? "" : " and no re-IP rule matches it");
	next_available(N, out, j, because);
}

static void plan_nic(struct engine *E, struct gn_plan_vm *vm, const char *vm_name,
		     const struct gn_interface *ifc)
{
	struct nic N = { .E = E, .ifc = ifc, .vm = vm_name };
	char why[GN_TEXT_BUF];

	if (gn_plan_add_nic(vm, ifc->id, ifc->mac, &N.out) < 0)
		return;
	find_from(&N);
	if (!N.from) {
		gn_plan_note(N.out, "not connected: no <attach> row, no network named by the "
			     "settings, and no %s subnet holds the NIC's address", side_name(E, E->from));
		return;
	}
	gn_set_string(&N.out->source_network, N.from->name);
	if (!route_of(E, N.from, &N.to) || !N.to) {
		snprintf(why, sizeof(why), "%s", E->unmapped_why ? E->unmapped_why :
			 "its network is not mapped");
		gn_plan_note(N.out, "not connected: %s ('%s')", why, N.from->name);
		return;
	}
	N.out->connected = true;
	gn_set_string(&N.out->target_network, N.to->name);
	if (E->automatic)
		gn_plan_note(N.out, "network '%s' mapped automatically to '%s'", N.from->name,
			     N.to->name);
	if (N.to->mtu && ifc->mtu > N.to->mtu)
		gn_plan_warn(E->plan, "NIC '%s' of VM '%s' has an MTU of %u, larger than the %u of "
			     "target network '%s'", ifc->id, vm_name, ifc->mtu, N.to->mtu, N.to->name);
	plan_family(&N, GN_AF_INET);
	plan_family(&N, GN_AF_INET6);
}

/* The name a VM goes by in the plan: its inventory name, else its host name, else its place. */
static const char *vm_name(const struct gn_guest *g, size_t index, char *buf, size_t size)
{
	if (g->name)
		return g->name;
	if (g->hostname)
		return g->hostname;
	snprintf(buf, size, "guest %zu", index + 1);
	return buf;
}

/* -------- public addresses -------- */

/* ip + 1 within its family; false when it was the last address. */
static bool ip_increment(struct gn_ip *ip)
{
	for (int i = ip->family == GN_AF_INET ? 3 : 15; i >= 0; i--)
		if (++ip->b[i] != 0)
			return true;
	return false;
}

/* The next address of a public pool, or false when it is exhausted. */
static bool public_next(struct engine *E, size_t k, struct gn_ip *ret)
{
	const struct gn_site_pool *pool = &E->site->pools.v[k];
	struct gn_ip *next = &E->public_next[k];

	while (E->public_range[k] < pool->ranges.n) {
		const struct gn_site_range *r = &pool->ranges.v[E->public_range[k]];

		if (!next->family)
			*next = r->from;
		if (gn_ip_compare(next, &r->to) <= 0) {
			*ret = *next;
			if (gn_ip_compare(next, &r->to) == 0 || !ip_increment(next)) {
				E->public_range[k]++;
				next->family = 0;
			}
			return true;
		}
		E->public_range[k]++;
		next->family = 0;
	}
	return false;
}

static struct gn_plan_nic *find_plan_nic(struct engine *E, const struct gn_site_public *req)
{
	struct gn_plan_vm *vm = gn_index_get_str(&E->vms, req->vm);

	for (size_t i = 0; vm && i < vm->nics.n; i++) {
		struct gn_plan_nic *nic = vm->nics.v[i];
		if ((!req->mac || (nic->mac && strcmp(nic->mac, req->mac) == 0)) &&
		    (!req->interface || strcmp(nic->id, req->interface) == 0))
			return nic;
	}
	return NULL;
}

static void plan_publics(struct engine *E)
{
	const struct gn_site *s = E->site;
	char text[GN_IP_TEXT_MAX];

	for (size_t i = 0; i < s->publics.n; i++) {
		const struct gn_site_public *req = &s->publics.v[i];
		struct gn_plan_nic *nic = find_plan_nic(E, req);
		struct gn_plan_public *pub;
		struct gn_ip ip;
		bool got = false;

		if (!nic) {
			gn_plan_warn(E->plan, "the <public> row at line %ld names a NIC that is not in "
				     "the settings (VM '%s')", req->line, req->vm);
			continue;
		}
		for (size_t k = 0; !got && k < s->pools.n; k++)
			if (s->pools.v[k].family == req->family)
				got = public_next(E, k, &ip);
		if (!got) {
			gn_plan_note(nic, "no public %s address for port %u: the pools are exhausted",
				     family_name(req->family), req->port);
			continue;
		}
		if (GN_ARRAY_PUSH(&nic->publics, GN_MAX_PLAN_PUBLICS, &pub) < 0) {
			gn_plan_note(nic, "more than %d public addresses: %s for port %u is left out",
				     GN_MAX_PLAN_PUBLICS, gn_ip_format(&ip, text), req->port);
			continue;
		}
		pub->ip = ip;
		pub->port = req->port;
		pub->internal_port = req->internal_port;
	}
}

/* -------- the whole -------- */

static void engine_release(struct engine *E)
{
	gn_index_release(&E->routes);
	gn_index_release(&E->forward);
	gn_index_release(&E->attach);
	gn_index_release(&E->lpm);
	gn_index_release(&E->given);
	gn_index_release(&E->seen);
	gn_index_release(&E->vms);
	for (size_t i = 0; i < E->npools; i++)
		gn_pool_free(E->pools[i]);
	for (size_t i = 0; i < E->nseen; i++)
		free(E->seen_list[i]);
	free(E->seen_list);
	free(E->pools);
	free(E->pool_failed);
	free(E->pool_base);
	free(E->route_to);
	free(E->attach_next);
	free(E->lpm_entries);
	free(E->given_keys);
	free(E->public_next);
	free(E->public_range);
}

static int setup(struct engine *E, gn_error *err)
{
	int r;

	E->from = E->mode == GN_PLAN_FAILBACK ? &E->site->target : &E->site->source;
	E->to = E->mode == GN_PLAN_FAILBACK ? &E->site->source : &E->site->target;
	r = check_extension(E, err);
	if (r >= 0)
		r = build_routes(E, err);
	if (r >= 0)
		r = build_attach(E);
	if (r >= 0)
		r = build_lpm(E);
	if (r >= 0)
		r = build_pools(E);
	if (r >= 0)
		r = check_overlaps(E);
	E->public_next = calloc(E->site->pools.n + 1, sizeof(*E->public_next));
	E->public_range = calloc(E->site->pools.n + 1, sizeof(*E->public_range));
	if (r >= 0 && (!E->public_next || !E->public_range))
		r = -ENOMEM;
	if (r == -ENOMEM)
		gn_error_set(err, r, "out of memory");
	check_gateways(E, &E->site->source);
	check_gateways(E, &E->site->target);
	return r;
}

int gn_map(const struct gn_site *site, gn_settings *const *settings, size_t n,
	   enum gn_plan_mode mode, struct gn_plan **ret, gn_error *err)
{
	struct engine E = { .site = site, .mode = mode };
	size_t index = 0;
	int r = gn_plan_new(mode, site->name, &E.plan);

	if (r < 0)
		return gn_error_set(err, r, "out of memory");
	r = setup(&E, err);
	for (size_t i = 0; r >= 0 && i < n; i++)
		for (size_t j = 0; r >= 0 && j < settings[i]->guests.n; j++, index++) {
			const struct gn_guest *g = settings[i]->guests.v[j];
			struct gn_plan_vm *vm;
			char buf[32];
			const char *name = vm_name(g, index, buf, sizeof(buf));

			r = gn_plan_add_vm(E.plan, name, &vm);
			if (r < 0) {
				gn_error_set(err, r, "cannot plan VM '%s': %s", name,
					     r == -E2BIG ? "too many VMs" : strerror(-r));
				break;
			}
			if (gn_index_put_str(&E.vms, vm->name, vm) == -EEXIST)
				gn_plan_warn(E.plan, "two VMs are named '%s': <attach> and <public> rows "
					     "apply to the first", name);
			for (size_t k = 0; k < g->interfaces.n; k++)
				plan_nic(&E, vm, vm->name, g->interfaces.v[k]);
		}
	/* public addresses are for a full failover: a test network is isolated, and failback
	 * returns to the production addresses */
	if (r >= 0 && mode == GN_PLAN_FAILOVER)
		plan_publics(&E);
	engine_release(&E);
	if (r < 0) {
		gn_plan_free(E.plan);
		return r;
	}
	*ret = E.plan;
	return 0;
}
