/*
 * plan.h: the plan the mapping engine writes (schema/plan.rng): for every VM of the settings,
 * each NIC's target network, subnet, addresses, DNS, public addresses, and the notes that say
 * why.  The engine fills it; plan.c writes it through the emitter (emit.h), so the same plan is
 * always the same bytes.
 */
#ifndef GN_PLAN_H
#define GN_PLAN_H

#include <stdbool.h>

#include "model.h"

/* Per NIC: notes; per plan: warnings (more are counted in one last line). */
#define GN_MAX_PLAN_NOTES    16
#define GN_MAX_PLAN_WARNINGS 1024
/* Public addresses of one NIC. */
#define GN_MAX_PLAN_PUBLICS  64

enum gn_plan_mode { GN_PLAN_FAILOVER, GN_PLAN_TEST, GN_PLAN_FAILBACK };

/* The rule that decided an address (DESIGN.md): the plan names it so every choice is explained. */
enum gn_plan_rule {
	GN_RULE_NONE,
	GN_RULE_KEPT_SOURCE_IP,
	GN_RULE_NEXT_AVAILABLE,
	GN_RULE_NEXT_AVAILABLE_FROM_END,
	GN_RULE_REIP,
	GN_RULE_DHCP,
	GN_RULE_MANUAL,
};

/* One family of one NIC: <ipv4> or <ipv6>; mode GN_MODE_UNSET writes nothing. */
struct gn_plan_ip {
	enum gn_mode mode;      /* GN_MODE_STATIC or GN_MODE_DHCP */
	struct gn_ip ip;        /* family 0: none */
	unsigned prefix;
	struct gn_ip gateway;   /* family 0: none */
	enum gn_plan_rule rule;
};

struct gn_plan_public {
	struct gn_ip ip;
	unsigned port, internal_port;  /* 0: not given */
};

struct gn_plan_nic {
	char *id, *mac;
	char *source_network, *target_network, *subnet;
	bool connected;
	struct gn_plan_ip v4, v6;
	gn_dns_list dns;
	GN_ARRAY(struct gn_plan_public) publics;
	GN_ARRAY(char *) notes;
	bool notes_capped;
};

struct gn_plan_vm {
	char *name;
	GN_ARRAY(struct gn_plan_nic *) nics;
};

struct gn_plan {
	enum gn_plan_mode mode;
	char *site;
	GN_ARRAY(struct gn_plan_vm *) vms;
	GN_ARRAY(char *) warnings;
	size_t warnings_dropped;
};

int gn_plan_new(enum gn_plan_mode mode, const char *site, struct gn_plan **ret);
void gn_plan_free(struct gn_plan *p);
void gn_plan_freep(struct gn_plan **p);

int gn_plan_add_vm(struct gn_plan *p, const char *name, struct gn_plan_vm **ret);
int gn_plan_add_nic(struct gn_plan_vm *vm, const char *id, const char *mac,
		    struct gn_plan_nic **ret);

/* A note of a NIC, a warning of the plan (printf formats); past the caps they are counted. */
void gn_plan_note(struct gn_plan_nic *nic, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gn_plan_warn(struct gn_plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *gn_plan_mode_name(enum gn_plan_mode m);
int gn_plan_mode_from_name(const char *s);
const char *gn_plan_rule_name(enum gn_plan_rule r);

/* The plan document: 0 and a malloc'd buffer, or a negative errno with err set. */
int gn_plan_to_xml(const struct gn_plan *p, char **ret, size_t *ret_len, gn_error *err);

#endif
