/*
 * settings-read.c: the settings document into the model, and gn_validate_file.
 *
 * The parse helper (xml.c) has already refused what is too large, not well-formed, holds a
 * DOCTYPE or breaks settings.rng.  This walk checks what a schema cannot say, each error naming
 * the file, line and element: an address is of its parent's family (an IPv6 address in <ipv4>
 * is an error), a prefix fits its family (at most 32 for IPv4), a route's addresses are of its
 * family, interface ids are unique, times are real dates, a <backup> comes first and once, its
 * images' sizes are not negative, their paths stay inside the backup and their sha256 values are
 * 64 lower-case hex digits.  It fills the model only through the
 * model's add and set functions, so a document is normalized and capped (GN_MAX_*) exactly as
 * a collector's findings are.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cleanup.h"
#include "model.h"
#include "xml.h"

/* A limit and its name, for messages: LIMIT(GN_MAX_ROUTES). */
#define LIMIT(x) #x, (long)(x)

#define METRIC_MIN (INT64_MIN + 1)  /* INT64_MIN is GN_UNSET */

/* The result r of a model add for element n, as a document error: 0 or a negative errno. */
static int added(int r, xmlNode *n, const char *what, const char *limit, long max, gn_error *err)
{
	if (r >= 0)
		return 0;
	if (r == -E2BIG)
		return gn_xml_error(err, r, n, "more than %ld %s (%s)", max, what, limit);
	if (r == -ENOMEM)
		return gn_error_set(err, r, "out of memory");
	return gn_xml_error(err, -EBADMSG, n, "invalid value");
}

static int unexpected(xmlNode *n, gn_error *err)
{
	return gn_xml_error(err, -EBADMSG, n, "unexpected element");
}

/* Optional string attribute into a model string field. */
static int read_string(xmlNode *n, const char *name, char **field, gn_error *err)
{
	_cleanup_free_ char *v = NULL;
	int r = gn_xml_attr(n, name, false, &v, err);

	if (r <= 0)
		return r;
	r = gn_set_string(field, v);
	if (r == -ENOMEM)
		return gn_error_set(err, r, "out of memory");
	if (r < 0)
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': not valid text", name);
	return 0;
}

static int read_mac(xmlNode *n, const char *name, struct gn_interface *ifc,
		    int (*set)(struct gn_interface *, const char *), gn_error *err)
{
	_cleanup_free_ char *v = NULL;
	char canonical[GN_MAC_TEXT_MAX];
	int r = gn_xml_attr(n, name, false, &v, err);

	if (r <= 0)
		return r;
	/* the document holds the canonical form only (the schema checks just the length) */
	if (gn_mac_normalize(v, canonical) < 0 || strcmp(v, canonical) != 0)
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': '%s' is not a MAC address "
				    "in lower case with colons", name, v);
	r = set(ifc, v);
	return r < 0 ? gn_error_set(err, r, "out of memory") : 0;
}

/* The optional from attribute (model.h, "Provenance") into *from. */
static int read_from(xmlNode *n, enum gn_source_kind *from, gn_error *err)
{
	int kind = GN_SOURCE_UNSET;
	int r = gn_xml_attr_enum(n, "from", false, gn_from_kind_from_name, &kind, err);

	if (r < 0)
		return r;
	*from = (enum gn_source_kind)kind;
	return 0;
}

/* <dns> of an interface (family of its ipconf) or of the guest (family 0: either, and a
 * guest-level server may say where it came from). */
static int read_dns(gn_dns_list *l, int family, xmlNode *n, gn_error *err)
{
	struct gn_ip ip = { 0 };
	enum gn_source_kind from = GN_SOURCE_UNSET;
	int origin = GN_ORIGIN_UNSET, r;

	if ((r = gn_xml_attr_ip(n, "ip", true, family, &ip, err)) < 0 ||
	    (r = gn_xml_attr_enum(n, "origin", false, gn_origin_from_name, &origin, err)) < 0 ||
	    (family == 0 && (r = read_from(n, &from, err)) < 0))
		return r;
	r = gn_dns_list_add(l, &ip, origin);
	if (r == 1)
		l->v[l->n - 1].from = from;
	return added(r, n, "DNS servers per list", LIMIT(GN_MAX_DNS), err);
}

static int read_address(struct gn_ipconf *c, xmlNode *n, gn_error *err)
{
	struct gn_ip ip = { 0 };
	int64_t prefix = 0;
	int origin = GN_ORIGIN_UNKNOWN, r;

	if ((r = gn_xml_attr_ip(n, "ip", true, c->family, &ip, err)) < 0 ||
	    (r = gn_xml_attr_int(n, "prefix", true, 0, gn_ip_bits(c->family), &prefix, err)) < 0 ||
	    (r = gn_xml_attr_enum(n, "origin", true, gn_origin_from_name, &origin, err)) < 0)
		return r;
	return added(gn_ipconf_add_address(c, &ip, (unsigned)prefix, origin), n,
		     "addresses per interface and family", LIMIT(GN_MAX_ADDRESSES), err);
}

static int read_gateway(struct gn_ipconf *c, xmlNode *n, gn_error *err)
{
	struct gn_ip ip = { 0 };
	int64_t metric = GN_UNSET;
	int r;

	if ((r = gn_xml_attr_ip(n, "ip", true, c->family, &ip, err)) < 0 ||
	    (r = gn_xml_attr_int(n, "metric", false, METRIC_MIN, INT64_MAX, &metric, err)) < 0)
		return r;
	return added(gn_ipconf_add_gateway(c, &ip, metric), n, "gateways per interface and family",
		     LIMIT(GN_MAX_GATEWAYS), err);
}

static int read_wins(struct gn_ipconf *c, xmlNode *n, gn_error *err)
{
	struct gn_ip ip = { 0 };
	int r;

	if ((r = gn_xml_attr_ip(n, "ip", true, GN_AF_INET, &ip, err)) < 0)
		return r;
	return added(gn_ipconf_add_wins(c, &ip), n, "WINS servers per interface", LIMIT(GN_MAX_WINS),
		     err);
}

/* The lease has no add function: three plain values, each checked here. */
static int read_lease(struct gn_ipconf *c, xmlNode *n, gn_error *err)
{
	struct gn_lease l = { .obtained = GN_UNSET, .expires = GN_UNSET };
	int r;

	if ((r = gn_xml_attr_ip(n, "server", false, c->family, &l.server, err)) < 0 ||
	    (r = gn_xml_attr_time(n, "obtained", false, &l.obtained, err)) < 0 ||
	    (r = gn_xml_attr_time(n, "expires", false, &l.expires, err)) < 0)
		return r;
	c->lease = l;
	return 0;
}

static int read_ipconf(struct gn_ipconf *c, xmlNode *n, gn_error *err)
{
	int mode = GN_MODE_UNSET, r;

	if ((r = gn_xml_attr_enum(n, "mode", true, gn_mode_from_name, &mode, err)) < 0 ||
	    (r = read_from(n, &c->from, err)) < 0)
		return r;
	c->mode = (enum gn_mode)mode;
	for (xmlNode *ch = xmlFirstElementChild(n); ch; ch = xmlNextElementSibling(ch)) {
		if (gn_xml_is(ch, "address"))
			r = read_address(c, ch, err);
		else if (gn_xml_is(ch, "gateway"))
			r = read_gateway(c, ch, err);
		else if (gn_xml_is(ch, "dns"))
			r = read_dns(&c->dns, c->family, ch, err);
		else if (gn_xml_is(ch, "wins") && c->family == GN_AF_INET)
			r = read_wins(c, ch, err);
		else if (gn_xml_is(ch, "lease"))
			r = read_lease(c, ch, err);
		else
			r = unexpected(ch, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_interface(struct gn_guest *g, xmlNode *n, gn_error *err)
{
	_cleanup_free_ char *id = NULL;
	struct gn_interface *ifc;
	int64_t mtu = 0, vlan = 0;
	int type = GN_IFTYPE_UNSET, enabled = -1, r;

	r = gn_xml_attr(n, "id", true, &id, err);
	if (r < 0)
		return r;
	r = gn_guest_add_interface(g, id, &ifc);
	if (r == -EEXIST)
		return gn_xml_error(err, -EBADMSG, n, "interface id '%s' is used twice", id);
	if ((r = added(r, n, "interfaces in one guest", LIMIT(GN_MAX_INTERFACES), err)) < 0 ||
	    (r = read_string(n, "name", &ifc->name, err)) < 0 ||
	    (r = read_mac(n, "mac", ifc, gn_interface_set_mac, err)) < 0 ||
	    (r = read_mac(n, "permanent-mac", ifc, gn_interface_set_permanent_mac, err)) < 0 ||
	    (r = read_string(n, "description", &ifc->description, err)) < 0 ||
	    (r = gn_xml_attr_enum(n, "type", false, gn_iftype_from_name, &type, err)) < 0 ||
	    (r = gn_xml_attr_int(n, "mtu", false, 68, 65535, &mtu, err)) < 0 ||
	    (r = gn_xml_attr_int(n, "vlan", false, 1, 4094, &vlan, err)) < 0 ||
	    (r = gn_xml_attr_bool(n, "enabled", false, &enabled, err)) < 0 ||
	    (r = read_string(n, "dns-suffix", &ifc->dns_suffix, err)) < 0 ||
	    (r = read_string(n, "network", &ifc->network, err)) < 0 ||
	    (r = read_from(n, &ifc->from, err)) < 0)
		return r;
	ifc->type = (enum gn_iftype)type;
	ifc->mtu = (unsigned)mtu;
	ifc->vlan = (unsigned)vlan;
	ifc->enabled = enabled;
	for (xmlNode *ch = xmlFirstElementChild(n); ch; ch = xmlNextElementSibling(ch)) {
		if (gn_xml_is(ch, "ipv4"))
			r = read_ipconf(&ifc->v4, ch, err);
		else if (gn_xml_is(ch, "ipv6"))
			r = read_ipconf(&ifc->v6, ch, err);
		else
			r = unexpected(ch, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int family_from_name(const char *s)
{
	return strcmp(s, "ipv4") == 0 ? GN_AF_INET : strcmp(s, "ipv6") == 0 ? GN_AF_INET6 : -1;
}

static int read_route(struct gn_guest *g, xmlNode *n, gn_error *err)
{
	_cleanup_free_ char *ifname = NULL;
	struct gn_ip dest = { 0 }, gw = { 0 };
	int64_t prefix = 0, metric = GN_UNSET;
	enum gn_source_kind from = GN_SOURCE_UNSET;
	int family = 0, r;

	if ((r = gn_xml_attr_enum(n, "family", true, family_from_name, &family, err)) < 0 ||
	    (r = gn_xml_attr_ip(n, "destination", true, family, &dest, err)) < 0 ||
	    (r = gn_xml_attr_int(n, "prefix", true, 0, gn_ip_bits(family), &prefix, err)) < 0 ||
	    (r = gn_xml_attr_ip(n, "gateway", false, family, &gw, err)) < 0 ||
	    (r = gn_xml_attr_int(n, "metric", false, METRIC_MIN, INT64_MAX, &metric, err)) < 0 ||
	    (r = gn_xml_attr(n, "interface", false, &ifname, err)) < 0 ||
	    (r = read_from(n, &from, err)) < 0)
		return r;
	r = gn_guest_add_route(g, &dest, (unsigned)prefix, &gw, metric, ifname);
	if (r == 1)
		g->routes.v[g->routes.n - 1].from = from;
	return added(r, n, "routes in one guest", LIMIT(GN_MAX_ROUTES), err);
}

static int read_source(struct gn_guest *g, xmlNode *n, gn_error *err)
{
	struct gn_source *src;
	int64_t collected = GN_UNSET, control_set = 0;
	int kind = GN_SOURCE_UNSET, origin = GN_SOURCE_UNSET, r;

	if ((r = gn_xml_attr_enum(n, "kind", true, gn_source_kind_from_name, &kind, err)) < 0 ||
	    (r = gn_xml_attr_enum(n, "origin", false, gn_source_kind_from_name, &origin, err)) < 0 ||
	    (r = gn_xml_attr_time(n, "collected", false, &collected, err)) < 0 ||
	    (r = gn_xml_attr_int(n, "control-set", false, 1, 999, &control_set, err)) < 0)
		return r;
	r = gn_guest_add_source(g, (enum gn_source_kind)kind, &src);
	if ((r = added(r, n, "sources in one guest", LIMIT(GN_MAX_SOURCES), err)) < 0)
		return r;
	src->origin = (enum gn_source_kind)origin;
	src->collected = collected;
	src->control_set = (unsigned)control_set;
	return read_string(n, "image", &src->image, err);
}

static int read_search(struct gn_guest *g, xmlNode *n, gn_error *err)
{
	_cleanup_free_ char *domain = NULL;
	int r;

	r = gn_xml_attr(n, "domain", true, &domain, err);
	if (r < 0)
		return r;
	r = gn_guest_add_search(g, domain);
	if (r == -EINVAL)
		return gn_xml_error(err, -EBADMSG, n, "attribute 'domain': '%s' is not a DNS name",
				    domain);
	return added(r, n, "search domains in one guest", LIMIT(GN_MAX_SEARCH), err);
}

static int read_warning(struct gn_guest *g, xmlNode *n, gn_error *err)
{
	_cleanup_free_ char *text = NULL;
	int r;

	/* the model keeps one last warning saying the rest were dropped; a document says no more */
	if (g->warnings_capped)
		return gn_xml_error(err, -E2BIG, n, "more than %d warnings in one guest (%s)",
				    GN_MAX_WARNINGS, "GN_MAX_WARNINGS");
	r = gn_xml_text(n, &text, err);
	if (r < 0)
		return r;
	gn_guest_warn(g, "%s", text);
	return 0;
}

static int read_guest(gn_settings *s, xmlNode *n, gn_error *err)
{
	struct gn_guest *g;
	int os = GN_OS_UNSET, r;

	r = gn_settings_add_guest(s, &g);
	if ((r = added(r, n, "guests in one document", LIMIT(GN_MAX_GUESTS), err)) < 0 ||
	    (r = gn_xml_attr_enum(n, "os", true, gn_os_from_name, &os, err)) < 0 ||
	    (r = read_string(n, "name", &g->name, err)) < 0 ||
	    (r = read_string(n, "hostname", &g->hostname, err)) < 0 ||
	    (r = read_string(n, "domain", &g->domain, err)) < 0)
		return r;
	g->os = (enum gn_os)os;
	for (xmlNode *ch = xmlFirstElementChild(n); ch; ch = xmlNextElementSibling(ch)) {
		if (gn_xml_is(ch, "source"))
			r = read_source(g, ch, err);
		else if (gn_xml_is(ch, "interface"))
			r = read_interface(g, ch, err);
		else if (gn_xml_is(ch, "route"))
			r = read_route(g, ch, err);
		else if (gn_xml_is(ch, "dns"))
			r = read_dns(&g->dns, 0, ch, err);
		else if (gn_xml_is(ch, "search"))
			r = read_search(g, ch, err);
		else if (gn_xml_is(ch, "warning"))
			r = read_warning(g, ch, err);
		else
			r = unexpected(ch, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_failure(gn_settings *s, xmlNode *n, gn_error *err)
{
	_cleanup_free_ char *name = NULL, *image = NULL, *text = NULL;
	int r;

	if ((r = gn_xml_attr(n, "name", false, &name, err)) < 0 ||
	    (r = gn_xml_attr(n, "image", false, &image, err)) < 0 ||
	    (r = gn_xml_text(n, &text, err)) < 0)
		return r;
	r = gn_settings_add_failure(s, name, image, text);
	return added(r, n, "errors in one document", LIMIT(GN_MAX_GUESTS), err);
}

static int read_image(struct gn_record *rec, xmlNode *n, gn_error *err)
{
	_cleanup_free_ char *path = NULL, *sha256 = NULL;
	int64_t size = 0;
	int r;

	if ((r = gn_xml_attr(n, "path", true, &path, err)) < 0 ||
	    (r = gn_xml_attr(n, "sha256", true, &sha256, err)) < 0)
		return r;
	/* the schema says xsd:long; a negative size is this error, not a schema one */
	r = gn_xml_attr_int(n, "size", true, INT64_MIN, INT64_MAX, &size, err);
	if (r < 0)
		return r;
	if (size < 0)
		return gn_xml_error(err, -EBADMSG, n, "attribute 'size': %" PRId64 " is negative",
				    size);
	r = gn_record_add_image(rec, path, (uint64_t)size, sha256);
	if (r == -EEXIST)
		return gn_xml_error(err, -EBADMSG, n, "image '%s' is listed twice", path);
	if (r == -EINVAL && gn_sha256_hex_valid(sha256))
		return gn_xml_error(err, -EBADMSG, n, "attribute 'path': '%s' is not a "
				    "relative path inside the backup", path);
	if (r == -EINVAL)
		return gn_xml_error(err, -EBADMSG, n, "attribute 'sha256': '%s' is not 64 "
				    "lower-case hex digits", sha256);
	return added(r, n, "images in one backup", LIMIT(GN_MAX_RECORD_IMAGES), err);
}

/* <backup>: the record of a recorded document, first child of <guestnet> and only once. */
static int read_record(gn_settings *s, xmlNode *n, gn_error *err)
{
	struct gn_record *rec;
	int64_t recorded = GN_UNSET;
	int kind = GN_BACKUP_UNSET, r;

	if (s->record || s->guests.n || s->failures.n)
		return gn_xml_error(err, -EBADMSG, n, "a document has one backup element, before "
				    "any guest or error");
	if ((r = gn_xml_attr_enum(n, "kind", true, gn_backup_kind_from_name, &kind, err)) < 0 ||
	    (r = gn_xml_attr_time(n, "recorded", true, &recorded, err)) < 0)
		return r;
	r = gn_settings_set_record(s, (enum gn_backup_kind)kind, recorded, &rec);
	if (r == -ENOMEM)
		return gn_error_set(err, r, "out of memory");
	if (r < 0)
		return gn_xml_error(err, -EBADMSG, n, "invalid value");
	for (xmlNode *ch = xmlFirstElementChild(n); ch; ch = xmlNextElementSibling(ch)) {
		r = gn_xml_is(ch, "image") ? read_image(rec, ch, err) : unexpected(ch, err);
		if (r < 0)
			return r;
	}
	if (rec->images.n == 0)
		return gn_xml_error(err, -EBADMSG, n, "no image");
	return 0;
}

/* One child of <guestnet> into the model s. */
static int read_child(xmlNode *n, void *s, gn_error *err)
{
	if (gn_xml_is(n, "backup"))
		return read_record(s, n, err);
	if (gn_xml_is(n, "guest"))
		return read_guest(s, n, err);
	if (gn_xml_is(n, "error"))
		return read_failure(s, n, err);
	return unexpected(n, err);
}

/* Read path, or buf called name, through the streaming reader: never one tree in memory. */
static int read_settings(const char *path, const char *buf, size_t len, const char *name,
			 gn_settings **ret, gn_error *err)
{
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	int r = gn_settings_new(&s);

	if (r < 0)
		return gn_error_set(err, r, "out of memory");
	r = path ? gn_xml_each_file(path, "guestnet", read_child, s, err) :
		gn_xml_each_memory(buf, len, name, "guestnet", read_child, s, err);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(s);
	return 0;
}

int gn_settings_read_file(const char *path, gn_settings **ret, gn_error *err)
{
	return read_settings(path, NULL, 0, NULL, ret, err);
}

int gn_settings_read_memory(const char *buf, size_t len, const char *name, gn_settings **ret,
			    gn_error *err)
{
	return read_settings(NULL, buf, len, name, ret, err);
}

int gn_validate_file(const char *path, gn_error *err)
{
	_cleanup_(gn_xml_freep) xmlDoc *doc = NULL;
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	xmlNode *root;
	int r = gn_xml_parse_file(path, &doc, err);

	if (r < 0)
		return r;
	/* the schema has been checked; each kind of document adds its cross-field rules */
	root = xmlDocGetRootElement(doc);
	if (gn_xml_is(root, "site") || gn_xml_is(root, "plan"))
		return 0;
	if (!gn_xml_is(root, "guestnet"))
		/* the parse helper also takes foreign documents it has no schema for (OVF) */
		return gn_xml_error(err, -EBADMSG, root, "not a guestnet document (expected "
				    "'guestnet', 'site' or 'plan'), so there is no schema to validate "
				    "it against");
	r = gn_settings_new(&s);
	if (r < 0)
		return gn_error_set(err, r, "out of memory");
	for (xmlNode *ch = xmlFirstElementChild(root); ch && r >= 0; ch = xmlNextElementSibling(ch))
		r = read_child(ch, s, err);
	return r;
}
