/*
 * plan.c: the plan model and its document (schema/plan.rng), written through the emitter in one
 * fixed order, so that the same plan is always the same bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "emit.h"
#include "plan.h"

static const char *const mode_names[] = {
	[GN_PLAN_FAILOVER] = "failover", [GN_PLAN_TEST] = "test", [GN_PLAN_FAILBACK] = "failback",
};

static const char *const rule_names[] = {
	[GN_RULE_NONE] = NULL,
	[GN_RULE_KEPT_SOURCE_IP] = "kept-source-ip",
	[GN_RULE_NEXT_AVAILABLE] = "next-available",
	[GN_RULE_NEXT_AVAILABLE_FROM_END] = "next-available-from-end",
	[GN_RULE_REIP] = "re-ip",
	[GN_RULE_DHCP] = "dhcp",
	[GN_RULE_MANUAL] = "manual",
};

const char *gn_plan_mode_name(enum gn_plan_mode m)
{
	return (unsigned)m < GN_ELEMENTSOF(mode_names) ? mode_names[m] : NULL;
}

int gn_plan_mode_from_name(const char *s)
{
	for (size_t i = 0; s && i < GN_ELEMENTSOF(mode_names); i++)
		if (strcmp(s, mode_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *gn_plan_rule_name(enum gn_plan_rule r)
{
	return (unsigned)r < GN_ELEMENTSOF(rule_names) ? rule_names[r] : NULL;
}

int gn_plan_new(enum gn_plan_mode mode, const char *site, struct gn_plan **ret)
{
	struct gn_plan *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->mode = mode;
	if (site && gn_set_string(&p->site, site) < 0) {
		free(p);
		return -EINVAL;
	}
	*ret = p;
	return 0;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void nic_free(struct gn_plan_nic *nic)
{
	free(nic->id);
	free(nic->mac);
	free(nic->source_network);
	free(nic->target_network);
	free(nic->subnet);
	free(nic->dns.v);
	free(nic->publics.v);
	free_strv(nic->notes.v, nic->notes.n);
	free(nic);
}

void gn_plan_free(struct gn_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->vms.n; i++) {
		struct gn_plan_vm *vm = p->vms.v[i];
		for (size_t j = 0; j < vm->nics.n; j++)
			nic_free(vm->nics.v[j]);
		free(vm->nics.v);
		free(vm->name);
		free(vm);
	}
	free(p->vms.v);
	free_strv(p->warnings.v, p->warnings.n);
	free(p->site);
	free(p);
}

void gn_plan_freep(struct gn_plan **p)
{
	gn_plan_free(*p);
}

int gn_plan_add_vm(struct gn_plan *p, const char *name, struct gn_plan_vm **ret)
{
	struct gn_plan_vm **slot, *vm = calloc(1, sizeof(*vm));
	int r;

	if (!vm)
		return -ENOMEM;
	r = gn_set_string(&vm->name, name);
	if (r >= 0)
		r = GN_ARRAY_PUSH(&p->vms, GN_MAX_GUESTS, &slot);
	if (r < 0) {
		free(vm->name);
		free(vm);
		return r;
	}
	*slot = vm;
	*ret = vm;
	return 0;
}

int gn_plan_add_nic(struct gn_plan_vm *vm, const char *id, const char *mac,
		    struct gn_plan_nic **ret)
{
	struct gn_plan_nic **slot, *nic = calloc(1, sizeof(*nic));
	int r;

	if (!nic)
		return -ENOMEM;
	r = gn_set_string(&nic->id, id);
	if (r >= 0)
		r = gn_set_string(&nic->mac, mac);
	if (r >= 0)
		r = GN_ARRAY_PUSH(&vm->nics, GN_MAX_INTERFACES, &slot);
	if (r < 0) {
		nic_free(nic);
		return r;
	}
	*slot = nic;
	*ret = nic;
	return 0;
}

/* Append a formatted line to a list capped at max; false when it was full (or out of memory). */
static bool add_line(char ***v, size_t *n, size_t *cap, size_t max, const char *fmt, va_list ap)
{
	char buf[GN_TEXT_BUF], **slot, *copy;

	if (*n >= max)
		return false;
	gn_text_vformat(buf, fmt, ap);
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], buf) == 0)
			return true;  /* said already */
	copy = strdup(buf);
	if (!copy || gn_array_push_((void **)v, n, cap, sizeof(char *), max, (void **)&slot) < 0) {
		free(copy);
		return false;
	}
	*slot = copy;
	return true;
}

void gn_plan_note(struct gn_plan_nic *nic, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!add_line(&nic->notes.v, &nic->notes.n, &nic->notes.cap, GN_MAX_PLAN_NOTES, fmt, ap))
		nic->notes_capped = true;
	va_end(ap);
}

void gn_plan_warn(struct gn_plan *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!add_line(&p->warnings.v, &p->warnings.n, &p->warnings.cap, GN_MAX_PLAN_WARNINGS, fmt, ap))
		p->warnings_dropped++;
	va_end(ap);
}

static void write_ip(struct gn_emitter *e, const char *element, const struct gn_plan_ip *c)
{
	if (c->mode == GN_MODE_UNSET)
		return;
	gn_emit_start(e, element);
	gn_emit_attr(e, "mode", gn_mode_name(c->mode));
	gn_emit_attr_ip(e, "ip", &c->ip);
	if (c->ip.family)
		gn_emit_attr_int(e, "prefix", c->prefix);
	gn_emit_attr_ip(e, "gateway", &c->gateway);
	gn_emit_attr(e, "rule", gn_plan_rule_name(c->rule));
	gn_emit_end(e);
}

static void write_text(struct gn_emitter *e, const char *element, const char *text)
{
	gn_emit_start(e, element);
	gn_emit_text(e, text);
	gn_emit_end(e);
}

static void write_nic(struct gn_emitter *e, const struct gn_plan_nic *nic)
{
	char more[64];

	gn_emit_start(e, "nic");
	gn_emit_attr(e, "id", nic->id);
	gn_emit_attr(e, "mac", nic->mac);
	gn_emit_attr(e, "source-network", nic->source_network);
	gn_emit_attr(e, "target-network", nic->target_network);
	gn_emit_attr(e, "subnet", nic->subnet);
	gn_emit_attr(e, "connected", nic->connected ? "true" : "false");
	write_ip(e, "ipv4", &nic->v4);
	write_ip(e, "ipv6", &nic->v6);
	for (size_t i = 0; i < nic->dns.n; i++) {
		gn_emit_start(e, "dns");
		gn_emit_attr_ip(e, "ip", &nic->dns.v[i].ip);
		gn_emit_end(e);
	}
	for (size_t i = 0; i < nic->publics.n; i++) {
		const struct gn_plan_public *pub = &nic->publics.v[i];
		gn_emit_start(e, "public");
		gn_emit_attr_ip(e, "ip", &pub->ip);
		if (pub->port)
			gn_emit_attr_int(e, "port", pub->port);
		if (pub->internal_port)
			gn_emit_attr_int(e, "internal-port", pub->internal_port);
		gn_emit_end(e);
	}
	for (size_t i = 0; i < nic->notes.n; i++)
		write_text(e, "note", nic->notes.v[i]);
	if (nic->notes_capped) {
		snprintf(more, sizeof(more), "more than %d notes; the rest were dropped",
			 GN_MAX_PLAN_NOTES);
		write_text(e, "note", more);
	}
	gn_emit_end(e);
}

int gn_plan_to_xml(const struct gn_plan *p, char **ret, size_t *ret_len, gn_error *err)
{
	_cleanup_(gn_emit_freep) struct gn_emitter *e = NULL;
	char more[80];
	int r = gn_emit_new(&e);

	if (r < 0)
		return gn_error_set(err, r, "out of memory");
	gn_emit_start(e, "plan");
	gn_emit_attr(e, "version", "1");
	gn_emit_attr(e, "mode", gn_plan_mode_name(p->mode));
	gn_emit_attr(e, "site", p->site);
	for (size_t i = 0; i < p->vms.n; i++) {
		const struct gn_plan_vm *vm = p->vms.v[i];
		gn_emit_start(e, "vm");
		gn_emit_attr(e, "name", vm->name);
		for (size_t j = 0; j < vm->nics.n; j++)
			write_nic(e, vm->nics.v[j]);
		gn_emit_end(e);
	}
	for (size_t i = 0; i < p->warnings.n; i++)
		write_text(e, "warning", p->warnings.v[i]);
	if (p->warnings_dropped) {
		snprintf(more, sizeof(more), "%zu more warnings were dropped", p->warnings_dropped);
		write_text(e, "warning", more);
	}
	gn_emit_end(e);
	r = gn_emit_finish(e, ret, ret_len);
	if (r < 0)
		return gn_error_set(err, r, "cannot write the plan: %s", strerror(-r));
	return 0;
}
