/*
 * linux-resolv.c: the guest-level settings of a Linux guest: host name, domain, system-wide DNS
 * servers and the DNS search list.
 *
 *   host name   /etc/hostname (Hostname lens), else SUSE's /etc/HOSTNAME, else RHEL 6's
 *               HOSTNAME= in /etc/sysconfig/network (Shellvars).  A fully qualified name is split:
 *               its first label is the host name, the rest the domain (as Windows keeps them).
 *   DNS         nameserver lines of /etc/resolv.conf (Resolv lens), in order.  Where resolv.conf
 *               is systemd-resolved's stub (nameserver 127.0.0.53) or absent, the servers are the
 *               DNS= of resolved.conf and its drop-ins instead, with a warning saying so.
 *   search      resolv.conf's search or domain line (whichever comes last, as in glibc), then
 *               resolved.conf's Domains= where resolved.conf was read; the styles add their
 *               per-interface search domains after these.
 *   domain      resolv.conf's domain line, where the host name gave none.
 *
 * resolv.conf is often written by a program from what DHCP gave, so its servers carry no origin;
 * resolved.conf's are configured, origin static.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "linux.h"

/* systemd-resolved's stub listeners: 127.0.0.53 (the stub) and 127.0.0.54 (the proxy) */
static bool is_resolved_stub(const char *s)
{
	return strcmp(s, "127.0.0.53") == 0 || strcmp(s, "127.0.0.54") == 0;
}

static void set_hostname(struct gn_linux_ctx *ctx, const char *path, const char *name)
{
	const char *dot = strchr(name, '.');
	char host[256];

	if (!dot || dot == name || !dot[1] || (size_t)(dot - name) >= sizeof(host)) {
		gn_linux_set_string(ctx, &ctx->g->hostname, path, "host name", name);
		return;
	}
	memcpy(host, name, (size_t)(dot - name));
	host[dot - name] = '\0';
	if (gn_linux_set_string(ctx, &ctx->g->hostname, path, "host name", host) == 0)
		gn_linux_set_string(ctx, &ctx->g->domain, path, "domain", dot + 1);
}

/* The host name from a Hostname-lens file: 1 when found. */
static int hostname_file(struct gn_linux_ctx *ctx, const char *path)
{
	struct gn_linux_tree t = { 0 };
	struct gn_linux_node *v = NULL;
	size_t n = 0;
	const char *name;
	int r = gn_linux_aug_file(ctx, "Hostname.lns", path, &t);

	if (r <= 0)
		return 0;
	r = 0;
	if (gn_linux_aug_children(ctx, &t, NULL, &v, &n) == 0 &&
	    (name = gn_linux_node_get(v, n, "hostname"))) {
		set_hostname(ctx, path, name);
		r = 1;
	}
	gn_linux_nodes_free(v, n);
	gn_linux_tree_release(ctx, &t);
	return r;
}

/* RHEL 6 and older: HOSTNAME= in /etc/sysconfig/network (a folder on SUSE: not read here). */
static void hostname_sysconfig(struct gn_linux_ctx *ctx)
{
	const char *path = "/etc/sysconfig/network";
	struct gn_linux_tree t = { 0 };
	struct gn_linux_node *v = NULL;
	size_t n = 0;
	const char *raw;

	if (gn_linux_aug_file(ctx, "Shellvars.lns", path, &t) <= 0)
		return;
	if (gn_linux_aug_children(ctx, &t, NULL, &v, &n) == 0 &&
	    (raw = gn_linux_node_get(v, n, "HOSTNAME"))) {
		_cleanup_free_ char *name = NULL;
		if (gn_linux_sh_unquote(raw, &name) < 0)
			gn_linux_warn(ctx, "'%s': HOSTNAME=%.100s is not a plain value", path, raw);
		else if (name[0])
			set_hostname(ctx, path, name);
	}
	gn_linux_nodes_free(v, n);
	gn_linux_tree_release(ctx, &t);
}

void gn_linux_read_hostname(struct gn_linux_ctx *ctx)
{
	if (hostname_file(ctx, "/etc/hostname") || hostname_file(ctx, "/etc/HOSTNAME"))
		return;
	hostname_sysconfig(ctx);
}

/* The search list being built from resolv.conf: the last search or domain line wins. */
struct search_list {
	const struct gn_linux_node *nodes;  /* children of the last search line, or NULL */
	size_t n;
	const char *domain;              /* the last domain line, when it came after */
	int line;
};

/* A list setting of resolved.conf: its values with where each was read.  An empty assignment
 * resets it (systemd.syntax(7)), so values are kept here until every file was read. */
struct resolved_entry {
	char *value;
	char *where;
};
typedef GN_ARRAY(struct resolved_entry) resolved_list;

static void resolved_list_reset(resolved_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].value);
		free(l->v[i].where);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void resolved_list_add(resolved_list *l, const char *value, const char *where)
{
	struct resolved_entry *e;
	char *v = strdup(value), *w = strdup(where);

	if (!v || !w || GN_ARRAY_PUSH(l, GN_LINUX_MAX_NODES, &e) < 0) {
		free(v);
		free(w);
		return;
	}
	e->value = v;
	e->where = w;
}

/* DNS= and Domains= of the [Resolve] section of one resolved.conf file: 1 when read. */
static int resolved_file(struct gn_linux_ctx *ctx, const char *path, resolved_list *dns,
			 resolved_list *domains)
{
	struct gn_linux_tree t = { 0 };
	struct gn_linux_node *sec = NULL, *keys = NULL;
	size_t nsec = 0, nkeys = 0;
	char where[GN_LINUX_WHERE_MAX];
	int r = gn_linux_aug_file(ctx, "Systemd.lns", path, &t);

	if (r <= 0)
		return r;
	gn_linux_aug_children(ctx, &t, NULL, &sec, &nsec);
	for (size_t i = 0; i < nsec; i++) {
		if (strcmp(sec[i].label, "Resolve") != 0)
			continue;
		gn_linux_nodes_free(keys, nkeys);
		gn_linux_aug_children(ctx, &t, sec[i].path, &keys, &nkeys);
		for (size_t k = 0; k < nkeys; k++) {
			struct gn_linux_node *vals = NULL;
			size_t nvals = 0;
			resolved_list *l = strcmp(keys[k].label, "DNS") == 0 ? dns :
					   strcmp(keys[k].label, "Domains") == 0 ? domains : NULL;

			if (!l)
				continue;
			gn_linux_where(where, sizeof(where), path, keys[k].line);
			gn_linux_aug_children(ctx, &t, keys[k].path, &vals, &nvals);
			if (nvals == 0)
				resolved_list_reset(l);
			for (size_t j = 0; j < nvals; j++) {
				if (strcmp(vals[j].label, "#comment") == 0)
					gn_linux_warn(ctx, "%s: '#%.100s' was not read (libaugeas' "
						      "Systemd lens takes text after '#' for a "
						      "comment)", where, vals[j].value ?: "");
				else if (vals[j].value)
					resolved_list_add(l, vals[j].value, where);
			}
			gn_linux_nodes_free(vals, nvals);
		}
	}
	gn_linux_nodes_free(keys, nkeys);
	gn_linux_nodes_free(sec, nsec);
	gn_linux_tree_release(ctx, &t);
	return 1;
}

static bool conf_name(const char *name, const void *data)
{
	(void)data;
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".conf") == 0;
}

/* resolved.conf, then its drop-ins in name order: servers and search domains for the guest. */
static void read_resolved(struct gn_linux_ctx *ctx, const char *why)
{
	_cleanup_(gn_strv_freep) char **dropins = NULL;
	resolved_list dns = { 0 }, domains = { 0 };
	bool found;

	found = resolved_file(ctx, "/etc/systemd/resolved.conf", &dns, &domains) > 0;
	gn_linux_list(ctx, "/etc/systemd/resolved.conf.d", conf_name, NULL, &dropins);
	for (size_t i = 0; dropins && dropins[i]; i++) {
		char path[GN_LINUX_MAX_PATH];

		if (dropins[i][0] == '!')
			continue;
		snprintf(path, sizeof(path), "/etc/systemd/resolved.conf.d/%s", dropins[i]);
		found |= resolved_file(ctx, path, &dns, &domains) > 0;
	}
	for (size_t i = 0; i < dns.n; i++)
		gn_linux_add_guest_dns(ctx, ctx->g, dns.v[i].where, dns.v[i].value,
				       GN_ORIGIN_STATIC);
	for (size_t i = 0; i < domains.n; i++)
		gn_linux_add_search(ctx, ctx->g, domains.v[i].where, domains.v[i].value);
	if (!found)
		gn_linux_warn(ctx, "%s; no resolved.conf either, so no system-wide DNS servers are "
			      "known", why);
	else if (dns.n == 0)
		gn_linux_warn(ctx, "%s; resolved.conf sets no DNS= either, so the servers are "
			      "those of the interfaces", why);
	else
		gn_linux_warn(ctx, "%s; the system-wide DNS servers are resolved.conf's [Resolve] "
			      "DNS=", why);
	resolved_list_reset(&dns);
	resolved_list_reset(&domains);
}

void gn_linux_read_resolv(struct gn_linux_ctx *ctx)
{
	const char *path = "/etc/resolv.conf";
	struct gn_linux_tree t = { 0 };
	struct gn_linux_node *v = NULL;
	struct search_list sl = { 0 };
	struct gn_linux_node *search_nodes = NULL;
	size_t n = 0, nsearch = 0;
	char where[GN_LINUX_WHERE_MAX];
	bool stub = false;
	int r = gn_linux_aug_file(ctx, "Resolv.lns", path, &t);

	if (r == 0) {
		read_resolved(ctx,
			      "'/etc/resolv.conf' was not found (in an offline copy, it is often a "
			      "link to systemd-resolved's file under /run)");
		return;
	}
	if (r < 0)
		return;  /* warned */
	gn_linux_aug_children(ctx, &t, NULL, &v, &n);
	for (size_t i = 0; i < n; i++) {
		gn_linux_where(where, sizeof(where), path, v[i].line);
		if (strcmp(v[i].label, "nameserver") == 0 && v[i].value) {
			if (is_resolved_stub(v[i].value))
				stub = true;
			else
				gn_linux_add_guest_dns(ctx, ctx->g, where, v[i].value,
						       GN_ORIGIN_UNSET);
		} else if (strcmp(v[i].label, "search") == 0) {
			gn_linux_nodes_free(search_nodes, nsearch);
			gn_linux_aug_children(ctx, &t, v[i].path, &search_nodes, &nsearch);
			sl.nodes = search_nodes;
			sl.n = nsearch;
			sl.domain = NULL;
			sl.line = v[i].line;
		} else if (strcmp(v[i].label, "domain") == 0 && v[i].value) {
			sl.domain = v[i].value;
			sl.line = v[i].line;
			if (!ctx->g->domain)
				gn_linux_set_string(ctx, &ctx->g->domain, where, "domain",
						    v[i].value);
		}
	}
	gn_linux_where(where, sizeof(where), path, sl.line);
	if (sl.domain)
		gn_linux_add_search(ctx, ctx->g, where, sl.domain);
	else
		for (size_t i = 0; i < sl.n; i++)
			if (sl.nodes[i].value)
				gn_linux_add_search(ctx, ctx->g, where, sl.nodes[i].value);
	gn_linux_nodes_free(search_nodes, nsearch);
	gn_linux_nodes_free(v, n);
	gn_linux_tree_release(ctx, &t);
	if (stub) {
		/* servers listed before the stub's are kept; resolved's come after them */
		read_resolved(ctx,
			      "'/etc/resolv.conf' is systemd-resolved's stub (nameserver "
			      "127.0.0.53)");
	}
}
