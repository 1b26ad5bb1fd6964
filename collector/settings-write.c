/*
 * settings-write.c: the model as the settings document (schema/settings.rng).
 *
 * Every field in one fixed order, absent ones left out, addresses in canonical form, through the
 * emitter (emit.h) only: no libxml2 here, so the Windows agent builds this file with its own
 * emitter backend and writes the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cleanup.h"
#include "emit.h"
#include "model.h"

static void attr_int(struct gn_emitter *e, const char *name, int64_t v)
{
	if (v != GN_UNSET)
		gn_emit_attr_int(e, name, v);
}

/* -ERANGE for a time outside 1970..9999, which the document cannot carry. */
static int attr_time(struct gn_emitter *e, const char *name, int64_t t)
{
	char buf[GN_TIME_TEXT_MAX];

	if (t == GN_UNSET)
		return 0;
	if (gn_xml_time_format(t, buf) < 0)
		return -ERANGE;
	gn_emit_attr(e, name, buf);
	return 0;
}

/* A from attribute (model.h, "Provenance"): NULL, not written, for unset or backup. */
static const char *from_name(enum gn_source_kind k)
{
	return k == GN_SOURCE_BACKUP ? NULL : gn_source_kind_name(k);
}

/* An interface's servers (guest false) or the guest's, which may say where they came from. */
static void write_dns(struct gn_emitter *e, const gn_dns_list *l, bool guest)
{
	for (size_t i = 0; i < l->n; i++) {
		gn_emit_start(e, "dns");
		gn_emit_attr_ip(e, "ip", &l->v[i].ip);
		gn_emit_attr(e, "origin", gn_origin_name(l->v[i].origin));
		if (guest)
			gn_emit_attr(e, "from", from_name(l->v[i].from));
		gn_emit_end(e);
	}
}

static int write_lease(struct gn_emitter *e, const struct gn_lease *l)
{
	int r;

	if (!l->server.family && l->obtained == GN_UNSET && l->expires == GN_UNSET)
		return 0;
	gn_emit_start(e, "lease");
	gn_emit_attr_ip(e, "server", &l->server);
	if ((r = attr_time(e, "obtained", l->obtained)) < 0 ||
	    (r = attr_time(e, "expires", l->expires)) < 0)
		return r;
	gn_emit_end(e);
	return 0;
}

static int write_ipconf(struct gn_emitter *e, const struct gn_ipconf *c)
{
	if (c->mode == GN_MODE_UNSET)
		return 0;
	gn_emit_start(e, c->family == GN_AF_INET ? "ipv4" : "ipv6");
	gn_emit_attr(e, "mode", gn_mode_name(c->mode));
	gn_emit_attr(e, "from", from_name(c->from));
	for (size_t i = 0; i < c->addresses.n; i++) {
		gn_emit_start(e, "address");
		gn_emit_attr_ip(e, "ip", &c->addresses.v[i].ip);
		gn_emit_attr_int(e, "prefix", c->addresses.v[i].prefix);
		gn_emit_attr(e, "origin", gn_origin_name(c->addresses.v[i].origin));
		gn_emit_end(e);
	}
	for (size_t i = 0; i < c->gateways.n; i++) {
		gn_emit_start(e, "gateway");
		gn_emit_attr_ip(e, "ip", &c->gateways.v[i].ip);
		attr_int(e, "metric", c->gateways.v[i].metric);
		gn_emit_end(e);
	}
	write_dns(e, &c->dns, false);
	for (size_t i = 0; i < c->wins.n; i++) {
		gn_emit_start(e, "wins");
		gn_emit_attr_ip(e, "ip", &c->wins.v[i]);
		gn_emit_end(e);
	}
	int r = write_lease(e, &c->lease);
	if (r < 0)
		return r;
	gn_emit_end(e);
	return 0;
}

static int write_interface(struct gn_emitter *e, const struct gn_interface *ifc)
{
	int r;

	gn_emit_start(e, "interface");
	gn_emit_attr(e, "id", ifc->id);
	gn_emit_attr(e, "name", ifc->name);
	gn_emit_attr(e, "mac", ifc->mac);
	if (ifc->permanent_mac && (!ifc->mac || strcmp(ifc->mac, ifc->permanent_mac) != 0))
		gn_emit_attr(e, "permanent-mac", ifc->permanent_mac);
	gn_emit_attr(e, "description", ifc->description);
	gn_emit_attr(e, "type", gn_iftype_name(ifc->type));
	if (ifc->mtu)
		gn_emit_attr_int(e, "mtu", ifc->mtu);
	if (ifc->vlan)
		gn_emit_attr_int(e, "vlan", ifc->vlan);
	if (ifc->enabled >= 0)
		gn_emit_attr(e, "enabled", ifc->enabled ? "true" : "false");
	gn_emit_attr(e, "dns-suffix", ifc->dns_suffix);
	gn_emit_attr(e, "network", ifc->network);
	gn_emit_attr(e, "from", from_name(ifc->from));
	if ((r = write_ipconf(e, &ifc->v4)) < 0 || (r = write_ipconf(e, &ifc->v6)) < 0)
		return r;
	gn_emit_end(e);
	return 0;
}

static void write_route(struct gn_emitter *e, const struct gn_route *rt)
{
	gn_emit_start(e, "route");
	gn_emit_attr(e, "family", rt->family == GN_AF_INET ? "ipv4" : "ipv6");
	gn_emit_attr_ip(e, "destination", &rt->destination);
	gn_emit_attr_int(e, "prefix", rt->prefix);
	gn_emit_attr_ip(e, "gateway", &rt->gateway);
	attr_int(e, "metric", rt->metric);
	gn_emit_attr(e, "interface", rt->interface);
	gn_emit_attr(e, "from", from_name(rt->from));
	gn_emit_end(e);
}

static int write_guest(struct gn_emitter *e, const struct gn_guest *g, size_t index,
		       gn_error *err)
{
	int r;

	if (!gn_os_name(g->os))
		return gn_error_set(err, -EINVAL, "guest %zu: os is not set", index + 1);
	gn_emit_start(e, "guest");
	gn_emit_attr(e, "os", gn_os_name(g->os));
	gn_emit_attr(e, "name", g->name);
	gn_emit_attr(e, "hostname", g->hostname);
	gn_emit_attr(e, "domain", g->domain);
	for (size_t i = 0; i < g->sources.n; i++) {
		const struct gn_source *src = &g->sources.v[i];

		if (!gn_source_kind_name(src->kind))
			return gn_error_set(err, -EINVAL, "guest %zu: source %zu has no kind",
					    index + 1, i + 1);
		gn_emit_start(e, "source");
		gn_emit_attr(e, "kind", gn_source_kind_name(src->kind));
		gn_emit_attr(e, "origin", gn_source_kind_name(src->origin));
		if (attr_time(e, "collected", src->collected) < 0)
			return gn_error_set(err, -EINVAL, "guest %zu: source %zu: time %" PRId64
					    " is outside 1970..9999", index + 1, i + 1,
					    src->collected);
		gn_emit_attr(e, "image", src->image);
		if (src->control_set)
			gn_emit_attr_int(e, "control-set", src->control_set);
		gn_emit_end(e);
	}
	for (size_t i = 0; i < g->interfaces.n; i++) {
		r = write_interface(e, g->interfaces.v[i]);
		if (r < 0)
			return gn_error_set(err, -EINVAL, "guest %zu: interface '%s': a lease time "
					    "is outside 1970..9999", index + 1,
					    g->interfaces.v[i]->id);
	}
	for (size_t i = 0; i < g->routes.n; i++)
		write_route(e, &g->routes.v[i]);
	write_dns(e, &g->dns, true);
	for (size_t i = 0; i < g->search.n; i++) {
		gn_emit_start(e, "search");
		gn_emit_attr(e, "domain", g->search.v[i]);
		gn_emit_end(e);
	}
	for (size_t i = 0; i < g->warnings.n; i++) {
		gn_emit_start(e, "warning");
		gn_emit_text(e, g->warnings.v[i]);
		gn_emit_end(e);
	}
	gn_emit_end(e);
	return 0;
}

static int write_record(struct gn_emitter *e, const struct gn_record *rec, gn_error *err)
{
	if (!gn_backup_kind_name(rec->kind))
		return gn_error_set(err, -EINVAL, "backup: kind is not set");
	if (rec->images.n == 0)
		return gn_error_set(err, -EINVAL, "backup: no image");
	if (rec->recorded == GN_UNSET)
		return gn_error_set(err, -EINVAL, "backup: the time it was recorded is not set");
	gn_emit_start(e, "backup");
	gn_emit_attr(e, "kind", gn_backup_kind_name(rec->kind));
	if (attr_time(e, "recorded", rec->recorded) < 0)
		return gn_error_set(err, -EINVAL, "backup: time %" PRId64 " is outside 1970..9999",
				    rec->recorded);
	for (size_t i = 0; i < rec->images.n; i++) {
		const struct gn_record_image *img = &rec->images.v[i];

		gn_emit_start(e, "image");
		gn_emit_attr(e, "path", img->path);
		gn_emit_attr_int(e, "size", (int64_t)img->size);
		gn_emit_attr(e, "sha256", img->sha256);
		gn_emit_end(e);
	}
	gn_emit_end(e);
	return 0;
}

int gn_settings_to_xml(const gn_settings *s, char **ret, size_t *ret_len, gn_error *err)
{
	_cleanup_(gn_emit_freep) struct gn_emitter *e = NULL;
	int r;

	r = gn_emit_new(&e);
	if (r < 0)
		return gn_error_set(err, r, "out of memory");
	gn_emit_start(e, "guestnet");
	gn_emit_attr(e, "version", "1");
	if (s->record && (r = write_record(e, s->record, err)) < 0)
		return r;
	for (size_t i = 0; i < s->guests.n; i++) {
		r = write_guest(e, s->guests.v[i], i, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < s->failures.n; i++) {
		const struct gn_failure *f = &s->failures.v[i];

		gn_emit_start(e, "error");
		gn_emit_attr(e, "name", f->name);
		gn_emit_attr(e, "image", f->image);
		gn_emit_text(e, f->message);
		gn_emit_end(e);
	}
	gn_emit_end(e);
	r = gn_emit_finish(e, ret, ret_len);
	if (r < 0)
		return gn_error_set(err, r, "cannot write the settings document: %s", strerror(-r));
	return 0;
}
