/*
 * linux.c: the Linux configuration-file collector: a Linux guest's persistent network
 * configuration, read offline from a copy of its files (or live from "/").
 *
 * gn_linux_read runs one reader per configuration style (linux-<style>.c), each into a unit of
 * its own, and merges the units in this order of precedence:
 *
 *   netplan            /etc/netplan, /run/netplan, /lib/netplan          (linux-netplan.c)
 *   systemd-networkd   /etc, /run, /usr/local/lib, /lib, /usr/lib: systemd/network
 *                                                                        (linux-networkd.c)
 *   NetworkManager     /etc/NetworkManager/system-connections            (linux-nm.c)
 *   RHEL ifcfg         /etc/sysconfig/network-scripts, .../network       (linux-ifcfg.c)
 *   SUSE ifcfg         /etc/sysconfig/network/                           (linux-suse.c)
 *   Debian ifupdown    /etc/network/interfaces and what it sources       (linux-debian.c)
 *
 * An interface configured by two styles (a system migrated from ifupdown to netplan keeps both)
 * is reported as the first style has it; a warning names the other.  Then the guest-level
 * settings: the host name, resolv.conf (or resolved.conf behind systemd-resolved's stub) and the
 * DNS search list (linux-resolv.c).  The loopback interface is never reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "linux.h"

const char *const gn_linux_config_paths[] = {
	"/etc/hostname",
	"/etc/HOSTNAME",
	"/etc/resolv.conf",
	"/etc/systemd/resolved.conf",
	"/etc/systemd/resolved.conf.d",
	"/etc/netplan",
	"/run/netplan",
	"/lib/netplan",
	"/etc/systemd/network",
	"/run/systemd/network",
	"/usr/local/lib/systemd/network",
	"/lib/systemd/network",
	"/usr/lib/systemd/network",
	"/etc/systemd/system/multi-user.target.wants",
	"/etc/systemd/system/network-online.target.wants",
	"/etc/NetworkManager/system-connections",
	"/etc/sysconfig/network",
	"/etc/sysconfig/network-scripts",
	"/etc/network/interfaces",
	"/etc/network/interfaces.d",
	NULL,
};

static void origins_release(struct gn_linux_origin *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].path);
	}
	free(v);
}

static int origin_add(struct gn_linux_origin **v, size_t *n, size_t *cap, const char *id,
		      const char *path)
{
	struct gn_linux_origin o = { strdup(id), strdup(path ?: "") };

	if (!o.id || !o.path || gn_array_reserve((void **)v, cap, *n, sizeof(**v),
						 GN_MAX_INTERFACES + 1) < 0) {
		free(o.id);
		free(o.path);
		return -ENOMEM;
	}
	(*v)[(*n)++] = o;
	return 0;
}

static const char *origin_of(const struct gn_linux_origin *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return v[i].path;
	return "";
}

int gn_linux_unit_init(struct gn_linux_unit *u, const char *style)
{
	int r;

	memset(u, 0, sizeof(*u));
	u->style = style;
	r = gn_settings_new(&u->s);
	if (r < 0)
		return r;
	r = gn_settings_add_guest(u->s, &u->g);
	if (r < 0)
		return r;
	u->g->os = GN_OS_LINUX;
	return 0;
}

void gn_linux_unit_release(struct gn_linux_unit *u)
{
	gn_settings_free(u->s);
	origins_release(u->origins.v, u->origins.n);
	memset(u, 0, sizeof(*u));
}

struct gn_interface *gn_linux_interface_find(struct gn_linux_unit *u, const char *id)
{
	return gn_guest_find_interface(u->g, id);
}

int gn_linux_interface_new(struct gn_linux_ctx *ctx, struct gn_linux_unit *u, const char *id,
			   const char *path, struct gn_interface **ret)
{
	int r;

	*ret = NULL;
	if (strcmp(id, "lo") == 0)
		return 0;
	if (gn_linux_interface_find(u, id)) {
		const char *first = origin_of(u->origins.v, u->origins.n, id);
		if (strcmp(first, path) == 0)
			gn_linux_warn(ctx, "'%s': interface '%s' is configured twice; the first "
				      "was used", path, id);
		else
			gn_linux_warn(ctx, "'%s': interface '%s' is already configured by '%s'; "
				      "this configuration was ignored", path, id, first);
		return -EEXIST;
	}
	r = gn_guest_add_interface(u->g, id, ret);
	if (r < 0) {
		char where[GN_LINUX_MAX_PATH + 2];
		snprintf(where, sizeof(where), "'%s'", path);
		gn_linux_warn_add(ctx, r, where, "interface", id);
		return r;
	}
	r = origin_add(&u->origins.v, &u->origins.n, &u->origins.cap, id, path);
	if (r < 0)
		return r;
	return 1;
}

/* Copy an interface of a unit into the guest, through the model's add and set functions. */
static int copy_interface(struct gn_linux_ctx *ctx, const struct gn_interface *from)
{
	struct gn_interface *to;
	int r = gn_guest_add_interface(ctx->g, from->id, &to);

	if (r < 0)
		return r;
	gn_set_string(&to->name, from->name);
	gn_set_string(&to->mac, from->mac);
	gn_set_string(&to->permanent_mac, from->permanent_mac);
	gn_set_string(&to->description, from->description);
	gn_set_string(&to->dns_suffix, from->dns_suffix);
	gn_set_string(&to->network, from->network);
	to->type = from->type;
	to->mtu = from->mtu;
	to->vlan = from->vlan;
	to->enabled = from->enabled;
	for (int f = 0; f < 2; f++) {
		const struct gn_ipconf *a = f ? &from->v6 : &from->v4;
		struct gn_ipconf *b = f ? &to->v6 : &to->v4;

		b->mode = a->mode;
		for (size_t i = 0; i < a->addresses.n; i++)
			gn_ipconf_add_address(b, &a->addresses.v[i].ip, a->addresses.v[i].prefix,
					      a->addresses.v[i].origin);
		for (size_t i = 0; i < a->gateways.n; i++)
			gn_ipconf_add_gateway(b, &a->gateways.v[i].ip, a->gateways.v[i].metric);
		for (size_t i = 0; i < a->dns.n; i++)
			gn_ipconf_add_dns(b, &a->dns.v[i].ip, a->dns.v[i].origin);
	}
	return 0;
}

void gn_linux_unit_merge(struct gn_linux_ctx *ctx, struct gn_linux_unit *u)
{
	struct gn_guest *from = u->g;
	bool kept_any = false;

	for (size_t i = 0; i < from->interfaces.n; i++) {
		const struct gn_interface *ifc = from->interfaces.v[i];
		const char *path = origin_of(u->origins.v, u->origins.n, ifc->id);
		int r;

		if (gn_guest_find_interface(ctx->g, ifc->id)) {
			gn_linux_warn(ctx, "interface '%s' is configured by %s and by %s ('%s'); "
				      "the %s configuration was ignored", ifc->id,
				      origin_of(ctx->origins.v, ctx->origins.n, ifc->id), u->style,
				      path, u->style);
			continue;
		}
		r = copy_interface(ctx, ifc);
		if (r < 0) {
			gn_linux_warn_add(ctx, r, path, "interface", ifc->id);
			continue;
		}
		kept_any = true;
		origin_add(&ctx->origins.v, &ctx->origins.n, &ctx->origins.cap, ifc->id, u->style);
	}
	for (size_t i = 0; i < from->routes.n; i++) {
		const struct gn_route *rt = &from->routes.v[i];
		int r;

		/* a route through an interface another style configures belongs to the ignored
		 * configuration */
		if (rt->interface && gn_guest_find_interface(from, rt->interface) &&
		    strcmp(origin_of(ctx->origins.v, ctx->origins.n, rt->interface), u->style) != 0)
			continue;
		r = gn_guest_add_route(ctx->g, &rt->destination, rt->prefix, &rt->gateway,
				       rt->metric, rt->interface);
		if (r < 0)
			gn_linux_warn_add(ctx, r, u->style, "route", NULL);
	}
	if (kept_any || from->interfaces.n == 0)
		for (size_t i = 0; i < from->search.n; i++)
			gn_guest_add_search(ctx->g, from->search.v[i]);
	for (size_t i = 0; i < from->dns.n; i++)
		gn_guest_add_dns(ctx->g, &from->dns.v[i].ip, from->dns.v[i].origin);
}

void gn_linux_set_mode(struct gn_ipconf *c, int dhcp, int ra, int off)
{
	if (dhcp == 1)
		c->mode = GN_MODE_DHCP;
	else if (c->addresses.n > 0)
		c->mode = GN_MODE_STATIC;
	else if (ra == 1 && c->family == GN_AF_INET6)
		c->mode = GN_MODE_AUTO;
	else if (off == 1)
		c->mode = GN_MODE_DISABLED;
	else
		c->mode = GN_MODE_UNSET;
}

static void ctx_release(struct gn_linux_ctx *ctx)
{
	gn_linux_aug_close(ctx);
	if (ctx->rootfd >= 0)
		close(ctx->rootfd);
	origins_release(ctx->origins.v, ctx->origins.n);
}

typedef void (*style_reader)(struct gn_linux_ctx *ctx, struct gn_linux_unit *u);

int gn_linux_read(gn_settings *s, const char *root, const gn_collect_options *opt, gn_error *err)
{
	static const struct {
		const char *style;
		style_reader read;
	} styles[] = {
		{ "netplan", gn_linux_read_netplan },
		{ "systemd-networkd", gn_linux_read_networkd },
		{ "NetworkManager", gn_linux_read_nm },
		{ "RHEL ifcfg", gn_linux_read_ifcfg },
		{ "SUSE ifcfg", gn_linux_read_suse },
		{ "Debian interfaces", gn_linux_read_debian },
	};
	_cleanup_(ctx_release) struct gn_linux_ctx ctx = { .rootfd = -1 };
	_cleanup_free_ char *real = NULL;
	struct gn_source *src;
	struct stat st;
	int r;

	if (!root || !root[0])
		return gn_error_set(err, -EINVAL, "no root folder given");
	if (stat(root, &st) < 0)
		return gn_error_set(err, -errno, "'%s': %s", root, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return gn_error_set(err, -ENOTDIR, "'%s': not a folder", root);
	ctx.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ctx.rootfd < 0)
		return gn_error_set(err, -errno, "'%s': %s", root, strerror(errno));
	real = realpath(root, NULL);
	ctx.live = real && strcmp(real, "/") == 0;

	r = gn_settings_add_guest(s, &ctx.g);
	if (r < 0)
		return gn_error_set(err, r, "'%s': %s", root, strerror(-r));
	ctx.g->os = GN_OS_LINUX;
	if (opt && opt->name)
		gn_linux_set_string(&ctx, &ctx.g->name, "the VM name", "name", opt->name);
	if (gn_guest_add_source(ctx.g, GN_SOURCE_CONFIG_FILES, &src) >= 0) {
		src->collected = opt && opt->collected >= 0 ? opt->collected : GN_UNSET;
		if (opt && opt->image)
			gn_set_string(&src->image, opt->image);
	}

	gn_linux_read_hostname(&ctx);
	gn_linux_read_resolv(&ctx);
	for (size_t i = 0; i < GN_ELEMENTSOF(styles); i++) {
		struct gn_linux_unit u;

		if (gn_linux_unit_init(&u, styles[i].style) < 0) {
			gn_linux_unit_release(&u);
			return gn_error_set(err, -ENOMEM, "'%s': out of memory", root);
		}
		styles[i].read(&ctx, &u);
		gn_linux_unit_merge(&ctx, &u);
		gn_linux_unit_release(&u);
	}
	if (ctx.g->interfaces.n == 0)
		gn_linux_warn(&ctx, "no network configuration was found (no netplan, "
			      "systemd-networkd, NetworkManager, ifcfg or /etc/network/interfaces "
			      "file configures an interface)");
	return 0;
}
