/*
 * site.c: the site document into the site model (site.h).
 *
 * The parse helper (collector/xml.c) has already refused what is too large, not well-formed,
 * holds a DOCTYPE or breaks site.rng.  This walk checks what a schema cannot say (site.rng's
 * header lists it), each error naming the file, line and element.  Every list is counted
 * before it is allocated, and allocated once at its size: a hostile count is refused before
 * anything is built for it, pointers into the arrays stay valid (the name indexes hold them),
 * and the walk stays linear: each element is visited a fixed number of times, and duplicate
 * names are found in hash tables (index.h), never by comparing every pair.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "site.h"
#include "xml.h"

/* A limit and its name, for messages: LIMIT(GN_MAX_NETWORKS). */
#define LIMIT(x) (size_t)(x), #x

/* Longest "subnet 'NAME' (ADDRESS/LEN)" kept for messages; a longer name is cut. */
#define WHOSE_MAX 160

static int oom(gn_error *err)
{
	return gn_error_set(err, -ENOMEM, "out of memory");
}

static int unexpected(xmlNode *n, gn_error *err)
{
	return gn_xml_error(err, -EBADMSG, n, "unexpected element");
}

/* How many children of n are called name; past max, -E2BIG before anything is built. */
static int count_children(xmlNode *n, const char *name, size_t max, const char *limit,
			  const char *what, size_t *ret, gn_error *err)
{
	size_t k = 0;

	for (xmlNode *ch = xmlFirstElementChild(n); ch; ch = xmlNextElementSibling(ch))
		if (gn_xml_is(ch, name) && ++k > max)
			return gn_xml_error(err, -E2BIG, n, "more than %zu %s (%s)", max, what,
					    limit);
	*ret = k;
	return 0;
}

static int array_alloc(void **v, size_t *cap, size_t k, size_t elsize, gn_error *err)
{
	if (k == 0)
		return 0;
	*v = calloc(k, elsize);
	if (!*v)
		return oom(err);
	*cap = k;
	return 0;
}

/* Count the name children of n against a limit, and size array a for them. */
static int array_size(xmlNode *n, const char *name, size_t max, const char *limit,
		      const char *what, void **v, size_t *cap, size_t elsize, gn_error *err)
{
	size_t k;
	int r = count_children(n, name, max, limit, what, &k, err);

	return r < 0 ? r : array_alloc(v, cap, k, elsize, err);
}

#define ALLOC_CHILDREN(n, name, limit, what, a, err) \
	array_size((n), (name), limit, (what), (void **)&(a)->v, &(a)->cap, sizeof(*(a)->v), (err))

/* The next element of an array sized above: the walk meets exactly the elements counted. */
static void *next_(void *v, size_t *n, size_t cap, size_t elsize)
{
	assert(*n < cap);
	return (char *)v + (*n)++ * elsize;
}

#define NEXT(a) ((__typeof__((a)->v))next_((a)->v, &(a)->n, (a)->cap, sizeof(*(a)->v)))

static int family_from_name(const char *s)
{
	return strcmp(s, "ipv4") == 0 ? GN_AF_INET : strcmp(s, "ipv6") == 0 ? GN_AF_INET6 : -1;
}

static const char *const role_names[] = {
	[GN_ROLE_FAILOVER] = "failover", [GN_ROLE_TEST] = "test",
};
static const char *const protocol_names[] = {
	[GN_PROTOCOL_TCP] = "tcp", [GN_PROTOCOL_UDP] = "udp",
};
static const char *const fallback_names[] = {
	[GN_SUBNET_FALLBACK_ALPHABETICAL] = "alphabetical",
	[GN_SUBNET_FALLBACK_DOCUMENT] = "document",
};

static int from_names(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static int role_from_name(const char *s)
{
	return from_names(role_names, GN_ELEMENTSOF(role_names), s);
}

static int protocol_from_name(const char *s)
{
	return from_names(protocol_names, GN_ELEMENTSOF(protocol_names), s);
}

static int fallback_from_name(const char *s)
{
	return from_names(fallback_names, GN_ELEMENTSOF(fallback_names), s);
}

const char *gn_network_role_name(enum gn_network_role r)
{
	return (unsigned)r < GN_ELEMENTSOF(role_names) ? role_names[r] : NULL;
}

const char *gn_protocol_name(enum gn_protocol p)
{
	return (unsigned)p < GN_ELEMENTSOF(protocol_names) ? protocol_names[p] : NULL;
}

/* ---------- attributes ---------- */

/* An address attribute of the family of what it belongs to (whose: "subnet 'web' (...)"). */
static int attr_ip_of(xmlNode *n, const char *name, bool required, int family, const char *whose,
		      struct gn_ip *ret, gn_error *err)
{
	char text[GN_IP_TEXT_MAX];
	struct gn_ip ip = { 0 };
	int r = gn_xml_attr_ip(n, name, required, 0, &ip, err);

	if (r <= 0)
		return r;
	if (ip.family != family)
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': %s is an IPv%d address, but "
				    "%s is IPv%d", name, gn_ip_format(&ip, text), ip.family, whose,
				    family);
	*ret = ip;
	return 1;
}

/* Address ip, read from attribute name, must lie in subnet sn (whose names it). */
static int check_inside(xmlNode *n, const char *name, const struct gn_ip *ip,
			const struct gn_site_subnet *sn, const char *whose, gn_error *err)
{
	char text[GN_IP_TEXT_MAX];

	if (gn_ip_in_prefix(ip, &sn->net, sn->prefix))
		return 0;
	return gn_xml_error(err, -EBADMSG, n, "attribute '%s': %s lies outside %s", name,
			    gn_ip_format(ip, text), whose);
}

/* A network "ADDRESS/LEN" (gn_cidr_parse), with the reason when it is not one. */
static int attr_cidr(xmlNode *n, const char *name, struct gn_ip *net, unsigned *prefix,
		     gn_error *err)
{
	_cleanup_free_ char *v = NULL;
	char text[GN_IP_TEXT_MAX];
	struct gn_ip host;
	unsigned len;
	int r = gn_xml_attr(n, name, true, &v, err);

	if (r < 0)
		return r;
	r = gn_cidr_parse(v, net, prefix);
	if (r == -ERANGE)
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': '%s' has a prefix longer "
				    "than the address (at most /%u)", name, v,
				    strchr(v, ':') ? 128 : 32);
	if (r == -EDOM && gn_ip_prefix_parse(v, &host, &len) == 0) {
		gn_ip_clear_host(&host, len);
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': '%s' has host bits set (the "
				    "network is %s/%u)", name, v, gn_ip_format(&host, text), len);
	}
	if (r < 0)
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': '%s' is not an "
				    "address/prefix", name, v);
	return 0;
}

/* mac or interface: a NIC of the row's VM, normalized as the settings write it. */
static int attr_nic(xmlNode *n, char **ret_mac, char **ret_interface, gn_error *err)
{
	_cleanup_free_ char *mac = NULL, *id = NULL;
	char norm[GN_GUID_TEXT_MAX];
	int r;

	if ((r = gn_xml_attr(n, "mac", false, &mac, err)) < 0 ||
	    (r = gn_xml_attr(n, "interface", false, &id, err)) < 0)
		return r;
	if (mac) {
		if (gn_mac_normalize(mac, norm) < 0)
			return gn_xml_error(err, -EBADMSG, n, "attribute 'mac': '%s' is not a MAC "
					    "address", mac);
		free(mac);
		mac = strdup(norm);
		if (!mac)
			return oom(err);
	}
	/* a GUID is the same length either way */
	if (id && gn_guid_normalize(id, norm) == 0)
		memcpy(id, norm, sizeof(norm));
	*ret_mac = TAKE_PTR(mac);
	*ret_interface = TAKE_PTR(id);
	return 0;
}

/* A <dns> child: appended to l in order, a duplicate dropped. */
static int read_dns(gn_dns_list *l, xmlNode *n, gn_error *err)
{
	struct gn_ip ip = { 0 };
	int r = gn_xml_attr_ip(n, "ip", true, 0, &ip, err);

	if (r < 0)
		return r;
	if (gn_ip_is_unspecified(&ip))
		return gn_xml_error(err, -EBADMSG, n, "attribute 'ip': the unspecified address is "
				    "not a DNS server");
	r = gn_dns_list_add(l, &ip, GN_ORIGIN_UNSET);
	if (r == -E2BIG)
		return gn_xml_error(err, r, n, "more than %d DNS servers in one list (%s)",
				    GN_MAX_DNS, "GN_MAX_DNS");
	if (r < 0)
		return oom(err);
	return 0;
}

/* from..to of family, from <= to. */
static int read_range(xmlNode *n, int family, const char *whose, struct gn_site_range *ret,
		      gn_error *err)
{
	char a[GN_IP_TEXT_MAX], b[GN_IP_TEXT_MAX];
	struct gn_site_range rg = { { 0 }, { 0 } };
	int r;

	if ((r = attr_ip_of(n, "from", true, family, whose, &rg.from, err)) < 0 ||
	    (r = attr_ip_of(n, "to", true, family, whose, &rg.to, err)) < 0)
		return r;
	if (gn_ip_compare(&rg.from, &rg.to) > 0)
		return gn_xml_error(err, -EBADMSG, n, "from %s is after to %s",
				    gn_ip_format(&rg.from, a), gn_ip_format(&rg.to, b));
	*ret = rg;
	return 0;
}

/* ---------- networks ---------- */

static void subnet_whose(const struct gn_site_subnet *sn, char whose[WHOSE_MAX])
{
	char text[GN_IP_TEXT_MAX];

	snprintf(whose, WHOSE_MAX, "subnet '%.80s' (%s/%u)", sn->name, gn_ip_format(&sn->net, text),
		 sn->prefix);
}

static int read_reserved(struct gn_site_subnet *sn, xmlNode *n, const char *whose, gn_error *err)
{
	struct gn_site_range *rg = NEXT(&sn->reserved);
	int r;

	if ((r = read_range(n, sn->net.family, whose, rg, err)) < 0 ||
	    (r = check_inside(n, "from", &rg->from, sn, whose, err)) < 0)
		return r;
	return check_inside(n, "to", &rg->to, sn, whose, err);
}

static int read_in_use(struct gn_site_subnet *sn, xmlNode *n, const char *whose, gn_error *err)
{
	struct gn_ip *ip = NEXT(&sn->in_use);
	int r = attr_ip_of(n, "ip", true, sn->net.family, whose, ip, err);

	return r < 0 ? r : check_inside(n, "ip", ip, sn, whose, err);
}

/* The children of a target subnet: DNS servers, reserved ranges, addresses in use. */
static int read_subnet_rows(struct gn_site_subnet *sn, xmlNode *n, gn_error *err)
{
	char whose[WHOSE_MAX];
	int r;

	if ((r = ALLOC_CHILDREN(n, "reserved", LIMIT(GN_MAX_RANGES),
				"reserved ranges in one subnet", &sn->reserved, err)) < 0 ||
	    (r = ALLOC_CHILDREN(n, "in-use", LIMIT(GN_MAX_IN_USE),
				"in-use addresses in one subnet", &sn->in_use, err)) < 0)
		return r;
	subnet_whose(sn, whose);
	for (xmlNode *ch = xmlFirstElementChild(n); ch; ch = xmlNextElementSibling(ch)) {
		if (gn_xml_is(ch, "dns"))
			r = read_dns(&sn->dns, ch, err);
		else if (gn_xml_is(ch, "reserved"))
			r = read_reserved(sn, ch, whose, err);
		else if (gn_xml_is(ch, "in-use"))
			r = read_in_use(sn, ch, whose, err);
		else
			r = unexpected(ch, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Put name -> row in ix.  A name already there is an error naming the line of the row that
 * has it, a struct with its line at line_offset.
 */
static int put_unique(struct gn_index *ix, const char *name, void *row, size_t line_offset,
		      xmlNode *n, const char *what, gn_error *err)
{
	const char *first;
	int r = gn_index_put_str(ix, name, row);

	if (r == -EEXIST) {
		first = gn_index_get_str(ix, name);
		return gn_xml_error(err, -EBADMSG, n, "%s '%s' is already on line %ld", what, name,
				    *(const long *)(first + line_offset));
	}
	return r < 0 ? oom(err) : 0;
}

#define PUT_UNIQUE(ix, name, row, n, what, err) \
	put_unique((ix), (name), (row), offsetof(__typeof__(*(row)), line), (n), (what), (err))

static int read_subnet(struct gn_site_network *net, struct gn_index *names, bool target,
		       xmlNode *n, gn_error *err)
{
	struct gn_site_subnet *sn = NEXT(&net->subnets);
	char whose[WHOSE_MAX];
	int r;

	sn->line = xmlGetLineNo(n);
	if ((r = gn_xml_attr(n, "name", true, &sn->name, err)) < 0 ||
	    (r = attr_cidr(n, "cidr", &sn->net, &sn->prefix, err)) < 0)
		return r;
	subnet_whose(sn, whose);
	/* outside the subnet it is only odd (the engine warns); of the other family, wrong */
	if ((r = attr_ip_of(n, "gateway", false, sn->net.family, whose, &sn->gateway, err)) < 0 ||
	    (r = PUT_UNIQUE(names, sn->name, sn, n, "subnet", err)) < 0)
		return r;
	return target ? read_subnet_rows(sn, n, err) : 0;
}

static int read_network(struct gn_site_side *side, bool target, size_t *subnets, xmlNode *n,
			gn_error *err)
{
	_cleanup_(gn_index_release) struct gn_index names = { 0 };
	struct gn_site_network *net = NEXT(&side->networks);
	int64_t mtu = 0;
	int role = GN_ROLE_FAILOVER, r;
	size_t k;

	net->line = xmlGetLineNo(n);
	if ((r = gn_xml_attr(n, "name", true, &net->name, err)) < 0 ||
	    (r = gn_xml_attr_int(n, "mtu", false, 68, 65535, &mtu, err)) < 0 ||
	    (r = gn_xml_attr_enum(n, "role", false, role_from_name, &role, err)) < 0 ||
	    (r = PUT_UNIQUE(&side->names, net->name, net, n, "network", err)) < 0)
		return r;
	net->mtu = (unsigned)mtu;
	net->role = (enum gn_network_role)role;
	if ((r = count_children(n, "subnet", LIMIT(GN_MAX_SUBNETS), "subnets in one network", &k,
				err)) < 0)
		return r;
	*subnets += k;
	if (*subnets > GN_MAX_SITE_SUBNETS)
		return gn_xml_error(err, -E2BIG, n, "more than %u subnets on the %s side (%s)",
				    (unsigned)GN_MAX_SITE_SUBNETS, target ? "target" : "source",
				    "GN_MAX_SITE_SUBNETS");
	if ((r = array_alloc((void **)&net->subnets.v, &net->subnets.cap, k,
			     sizeof(*net->subnets.v), err)) < 0)
		return r;
	for (xmlNode *ch = xmlFirstElementChild(n); ch; ch = xmlNextElementSibling(ch)) {
		r = gn_xml_is(ch, "subnet") ? read_subnet(net, &names, target, ch, err) :
		    unexpected(ch, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---------- rows ---------- */

static int read_attach(struct gn_site *s, xmlNode *n, gn_error *err)
{
	struct gn_site_attach *a = NEXT(&s->attach);
	int r;

	a->line = xmlGetLineNo(n);
	if ((r = gn_xml_attr(n, "vm", true, &a->vm, err)) < 0 ||
	    (r = attr_nic(n, &a->mac, &a->interface, err)) < 0 ||
	    (r = gn_xml_attr(n, "network", true, &a->network, err)) < 0)
		return r;
	return 0;
}

/* <source> or <target>: its networks, and on the source side the attach rows. */
static int read_side(struct gn_site *s, struct gn_site_side *side, bool target, xmlNode *n,
		     gn_error *err)
{
	size_t subnets = 0;
	int r;

	r = ALLOC_CHILDREN(n, "network", LIMIT(GN_MAX_NETWORKS), target ?
			   "networks on the target side" : "networks on the source side",
			   &side->networks, err);
	if (r >= 0 && !target)
		r = ALLOC_CHILDREN(n, "attach", LIMIT(GN_MAX_SITE_ROWS), "attach rows", &s->attach,
				   err);
	if (r < 0)
		return r;
	for (xmlNode *ch = xmlFirstElementChild(n); ch; ch = xmlNextElementSibling(ch)) {
		if (gn_xml_is(ch, "network"))
			r = read_network(side, target, &subnets, ch, err);
		else if (!target && gn_xml_is(ch, "attach"))
			r = read_attach(s, ch, err);
		else
			r = unexpected(ch, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* A map row; mapped holds the source networks mapped so far (one row each). */
static int read_map(struct gn_site *s, struct gn_index *mapped, xmlNode *n, gn_error *err)
{
	struct gn_site_map *m = NEXT(&s->maps);
	int r;

	m->line = xmlGetLineNo(n);
	if ((r = gn_xml_attr(n, "source", true, &m->source, err)) < 0 ||
	    (r = gn_xml_attr(n, "target", true, &m->target, err)) < 0 ||
	    (r = gn_xml_attr(n, "test-target", false, &m->test_target, err)) < 0)
		return r;
	/* a second row for one source network would make the mapping depend on row order */
	return PUT_UNIQUE(mapped, m->source, m, n, "source network", err);
}

static int read_reip(struct gn_site *s, xmlNode *n, gn_error *err)
{
	_cleanup_free_ char *source = NULL, *mask = NULL, *target = NULL, *source_cidr = NULL,
			    *target_cidr = NULL;
	struct gn_site_reip *rule = NEXT(&s->reip);
	char why[GN_MAX_ERROR];
	int r;

	rule->line = xmlGetLineNo(n);
	if ((r = gn_xml_attr(n, "source", false, &source, err)) < 0 ||
	    (r = gn_xml_attr(n, "source-mask", false, &mask, err)) < 0 ||
	    (r = gn_xml_attr(n, "target", false, &target, err)) < 0 ||
	    (r = gn_xml_attr(n, "source-cidr", false, &source_cidr, err)) < 0 ||
	    (r = gn_xml_attr(n, "target-cidr", false, &target_cidr, err)) < 0)
		return r;
	/* the schema allows one form or the other, never both */
	if (source_cidr)
		r = gn_reip_parse_cidr(source_cidr, target_cidr, &rule->rule, why, sizeof(why));
	else
		r = gn_reip_parse_pattern(source, mask, target, &rule->rule, why, sizeof(why));
	if (r < 0)
		return gn_xml_error(err, -EBADMSG, n, "%s", why);
	r = attr_ip_of(n, "gateway", false, rule->rule.target.family, "the rule's target",
		       &rule->gateway, err);
	if (r < 0)
		return r;
	for (xmlNode *ch = xmlFirstElementChild(n); ch; ch = xmlNextElementSibling(ch)) {
		r = gn_xml_is(ch, "dns") ? read_dns(&rule->dns, ch, err) : unexpected(ch, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_pool(struct gn_site *s, xmlNode *n, gn_error *err)
{
	struct gn_site_pool *p = NEXT(&s->pools);
	int r;

	p->line = xmlGetLineNo(n);
	if ((r = gn_xml_attr_enum(n, "family", true, family_from_name, &p->family, err)) < 0 ||
	    (r = ALLOC_CHILDREN(n, "range", LIMIT(GN_MAX_RANGES), "ranges in one public pool",
				&p->ranges, err)) < 0)
		return r;
	for (xmlNode *ch = xmlFirstElementChild(n); ch; ch = xmlNextElementSibling(ch)) {
		r = gn_xml_is(ch, "range") ? read_range(ch, p->family, "the public-pool",
							NEXT(&p->ranges), err) :
		    unexpected(ch, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_public(struct gn_site *s, xmlNode *n, gn_error *err)
{
	struct gn_site_public *p = NEXT(&s->publics);
	int64_t port = 0, internal_port = 0;
	int protocol = GN_PROTOCOL_TCP, r;

	p->line = xmlGetLineNo(n);
	if ((r = gn_xml_attr(n, "vm", true, &p->vm, err)) < 0 ||
	    (r = attr_nic(n, &p->mac, &p->interface, err)) < 0 ||
	    (r = gn_xml_attr_enum(n, "family", true, family_from_name, &p->family, err)) < 0 ||
	    (r = gn_xml_attr_int(n, "port", true, 1, 65535, &port, err)) < 0 ||
	    (r = gn_xml_attr_int(n, "internal-port", false, 1, 65535, &internal_port, err)) < 0 ||
	    (r = gn_xml_attr_enum(n, "protocol", false, protocol_from_name, &protocol, err)) < 0)
		return r;
	p->port = (unsigned)port;
	p->internal_port = (unsigned)internal_port;
	p->protocol = (enum gn_protocol)protocol;
	return 0;
}

static int read_policy(struct gn_site_policy *policy, xmlNode *n, gn_error *err)
{
	int64_t reserved = 0;
	int fallback = GN_SUBNET_FALLBACK_ALPHABETICAL, extension = 0, r;

	if ((r = gn_xml_attr_enum(n, "subnet-fallback", false, fallback_from_name, &fallback,
				  err)) < 0 ||
	    (r = gn_xml_attr_int(n, "reserved-per-subnet", false, 0, 65535, &reserved, err)) < 0 ||
	    (r = gn_xml_attr_bool(n, "network-extension", false, &extension, err)) < 0)
		return r;
	policy->subnet_fallback = (enum gn_subnet_fallback)fallback;
	policy->reserved_per_subnet = (unsigned)reserved;
	policy->network_extension = extension;
	return 0;
}

/* Size the arrays of the rows under <site>. */
static int size_rows(struct gn_site *s, xmlNode *root, gn_error *err)
{
	int r;

	if ((r = ALLOC_CHILDREN(root, "map", LIMIT(GN_MAX_SITE_ROWS), "map rows", &s->maps,
				err)) < 0 ||
	    (r = ALLOC_CHILDREN(root, "reip", LIMIT(GN_MAX_REIP_RULES), "reip rules", &s->reip,
				err)) < 0 ||
	    (r = ALLOC_CHILDREN(root, "public-pool", LIMIT(GN_MAX_PUBLIC_POOLS), "public pools",
				&s->pools, err)) < 0 ||
	    (r = ALLOC_CHILDREN(root, "public", LIMIT(GN_MAX_SITE_ROWS), "public rows",
				&s->publics, err)) < 0)
		return r;
	return 0;
}

static int read_child(struct gn_site *s, struct gn_index *mapped, xmlNode *ch, gn_error *err)
{
	if (gn_xml_is(ch, "policy"))
		return read_policy(&s->policy, ch, err);
	if (gn_xml_is(ch, "source"))
		return read_side(s, &s->source, false, ch, err);
	if (gn_xml_is(ch, "target"))
		return read_side(s, &s->target, true, ch, err);
	if (gn_xml_is(ch, "map"))
		return read_map(s, mapped, ch, err);
	if (gn_xml_is(ch, "reip"))
		return read_reip(s, ch, err);
	if (gn_xml_is(ch, "public-pool"))
		return read_pool(s, ch, err);
	if (gn_xml_is(ch, "public"))
		return read_public(s, ch, err);
	return unexpected(ch, err);
}

/* A parsed and validated document into a new site. */
static int load(xmlDoc *doc, struct gn_site **ret, gn_error *err)
{
	_cleanup_(gn_site_freep) struct gn_site *s = NULL;
	_cleanup_(gn_index_release) struct gn_index mapped = { 0 };
	xmlNode *root = xmlDocGetRootElement(doc);
	int r;

	/* the parse helper takes any guestnet document: a settings one passes it */
	if (!gn_xml_is(root, "site"))
		return gn_xml_error(err, -EBADMSG, root, "not a site document (<site>)");
	s = calloc(1, sizeof(*s));
	if (!s)
		return oom(err);
	if ((r = gn_xml_attr(root, "name", false, &s->name, err)) < 0 ||
	    (r = size_rows(s, root, err)) < 0)
		return r;
	for (xmlNode *ch = xmlFirstElementChild(root); ch; ch = xmlNextElementSibling(ch))
		if ((r = read_child(s, &mapped, ch, err)) < 0)
			return r;
	*ret = TAKE_PTR(s);
	return 0;
}

int gn_site_read_file(const char *path, struct gn_site **ret, gn_error *err)
{
	_cleanup_(gn_xml_freep) xmlDoc *doc = NULL;
	int r = gn_xml_parse_file(path, &doc, err);

	return r < 0 ? r : load(doc, ret, err);
}

int gn_site_read_memory(const char *buf, size_t len, const char *name, struct gn_site **ret,
			gn_error *err)
{
	_cleanup_(gn_xml_freep) xmlDoc *doc = NULL;
	int r = gn_xml_parse_memory(buf, len, name, &doc, err);

	return r < 0 ? r : load(doc, ret, err);
}

const struct gn_site_network *gn_site_find_network(const struct gn_site_side *side,
						   const char *name)
{
	return name ? gn_index_get_str(&side->names, name) : NULL;
}

/* ---------- freeing ---------- */

static void side_release(struct gn_site_side *side)
{
	for (size_t i = 0; i < side->networks.n; i++) {
		struct gn_site_network *net = &side->networks.v[i];

		for (size_t j = 0; j < net->subnets.n; j++) {
			struct gn_site_subnet *sn = &net->subnets.v[j];

			free(sn->name);
			free(sn->dns.v);
			free(sn->reserved.v);
			free(sn->in_use.v);
		}
		free(net->subnets.v);
		free(net->name);
	}
	free(side->networks.v);
	gn_index_release(&side->names);
}

static void rows_release(struct gn_site *s)
{
	for (size_t i = 0; i < s->attach.n; i++) {
		free(s->attach.v[i].vm);
		free(s->attach.v[i].mac);
		free(s->attach.v[i].interface);
		free(s->attach.v[i].network);
	}
	for (size_t i = 0; i < s->maps.n; i++) {
		free(s->maps.v[i].source);
		free(s->maps.v[i].target);
		free(s->maps.v[i].test_target);
	}
	for (size_t i = 0; i < s->reip.n; i++)
		free(s->reip.v[i].dns.v);
	for (size_t i = 0; i < s->pools.n; i++)
		free(s->pools.v[i].ranges.v);
	for (size_t i = 0; i < s->publics.n; i++) {
		free(s->publics.v[i].vm);
		free(s->publics.v[i].mac);
		free(s->publics.v[i].interface);
	}
	free(s->attach.v);
	free(s->maps.v);
	free(s->reip.v);
	free(s->pools.v);
	free(s->publics.v);
}

void gn_site_free(struct gn_site *s)
{
	if (!s)
		return;
	side_release(&s->source);
	side_release(&s->target);
	rows_release(s);
	free(s->name);
	free(s);
}

void gn_site_freep(struct gn_site **s)
{
	gn_site_free(*s);
}
