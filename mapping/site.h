/*
 * site.h: the site document (schema/site.rng) as the mapping engine reads it: the policy, the
 * production (source) and recovery (target) networks with their subnets, and the rows that tie
 * them: attach, map, reip, public-pool and public, each in document order.
 *
 *   struct gn_site *site;
 *   r = gn_site_read_file("dr-east.xml", &site, &err);     0, -EBADMSG, -E2BIG, -errno
 *   net = gn_site_find_network(&site->target, map->target);   NULL: the engine warns
 *   gn_site_free(site);
 *
 * The reader (site.c) goes through the one parse helper (collector/xml.h: byte cap, no DOCTYPE,
 * schema), then checks what the schema cannot say, each error naming the file, line and element
 * (site.rng lists the rules).  What the engine judges is left to it, and is no error here: a
 * row naming a network that does not exist, a gateway outside its subnet, overlapping subnets.
 * Every list is counted against its GN_MAX_* limit (guestnet.h) before anything is built for
 * it, so a document of 10^6 networks is refused with -E2BIG, not turned into 10^6 structures.
 *
 * Addresses are held in binary (addr.h); a subnet's net has no host bits; a family 0 address
 * is absent.  Every array is sized once, so pointers into it stay valid for the site's life.
 * Each element keeps its line in the document (line), for the engine's warnings.
 */
#ifndef GN_SITE_H
#define GN_SITE_H

#include <stdbool.h>

#include "index.h"
#include "model.h"
#include "reip.h"

enum gn_subnet_fallback { GN_SUBNET_FALLBACK_ALPHABETICAL, GN_SUBNET_FALLBACK_DOCUMENT };

enum gn_network_role { GN_ROLE_FAILOVER, GN_ROLE_TEST };

enum gn_protocol { GN_PROTOCOL_TCP, GN_PROTOCOL_UDP };

/* <policy>; an absent element or attribute gives the defaults (alphabetical, 0, false). */
struct gn_site_policy {
	enum gn_subnet_fallback subnet_fallback;
	unsigned reserved_per_subnet;
	bool network_extension;
};

/* from..to, both included, of one family, from <= to. */
struct gn_site_range {
	struct gn_ip from, to;
};

struct gn_site_subnet {
	char *name;
	struct gn_ip net;                     /* its family is the subnet's */
	unsigned prefix;
	struct gn_ip gateway;                 /* family 0: none; may lie outside net */
	/* target subnets only (empty on the source side): */
	gn_dns_list dns;                      /* in order, duplicates dropped */
	GN_ARRAY(struct gn_site_range) reserved;  /* inside net */
	GN_ARRAY(struct gn_ip) in_use;            /* inside net */
	long line;
};

struct gn_site_network {
	char *name;
	enum gn_network_role role;            /* GN_ROLE_FAILOVER on the source side */
	unsigned mtu;                         /* 0: not given (always on the source side) */
	GN_ARRAY(struct gn_site_subnet) subnets;  /* document order */
	long line;
};

/*
 * <attach> and <public> name a NIC of a VM by its MAC ("aa:bb:cc:dd:ee:ff", whatever the
 * site's spelling) or its interface id (a GUID upper case in braces, as the settings write
 * it; a Linux name as given), or neither (both NULL): every NIC of the VM for attach, its first
 * NIC for public.
 */
struct gn_site_attach {
	char *vm, *mac, *interface;
	char *network;                        /* a source network's name, not checked here */
	long line;
};

struct gn_site_map {
	char *source, *target, *test_target;  /* test_target NULL when not given */
	long line;
};

/* A reip row: the rule (reip.h: a pattern or CIDR pair as two networks), then what the NIC
 * gets with its new address. */
struct gn_site_reip {
	struct gn_reip rule;
	struct gn_ip gateway;                 /* family 0: none; else the rule's family */
	gn_dns_list dns;
	long line;
};

struct gn_site_pool {
	int family;                           /* GN_AF_INET or GN_AF_INET6 */
	GN_ARRAY(struct gn_site_range) ranges;    /* of family, document order */
	long line;
};

struct gn_site_public {
	char *vm, *mac, *interface;           /* as in gn_site_attach */
	int family;                           /* GN_AF_INET or GN_AF_INET6 */
	unsigned port;                        /* 1..65535 */
	unsigned internal_port;               /* 0: not given (the same as port) */
	enum gn_protocol protocol;            /* GN_PROTOCOL_TCP when not given */
	long line;
};

/* One side of the site: <source> or <target>. */
struct gn_site_side {
	GN_ARRAY(struct gn_site_network) networks;  /* document order, names unique */
	struct gn_index names;                /* name -> struct gn_site_network *: use find */
};

struct gn_site {
	char *name;                           /* NULL when not given */
	struct gn_site_policy policy;
	struct gn_site_side source, target;
	GN_ARRAY(struct gn_site_attach) attach;
	GN_ARRAY(struct gn_site_map) maps;
	GN_ARRAY(struct gn_site_reip) reip;
	GN_ARRAY(struct gn_site_pool) pools;
	GN_ARRAY(struct gn_site_public) publics;
};

/*
 * Read a site document from path, or from len bytes of buf (name names it in messages, NULL:
 * "(memory)").  Returns 0 and a new site in *ret (free it with gn_site_free); -EBADMSG when it is
 * not a valid site document (not well-formed, a DOCTYPE, another root element, breaks site.rng
 * or a rule of site.rng's header), with err saying what and where; -E2BIG over
 * GN_MAX_XML_BYTES or a GN_MAX_* count; -ENOMEM; -errno on I/O errors.  Nothing is printed.
 */
int gn_site_read_file(const char *path, struct gn_site **ret, gn_error *err);
int gn_site_read_memory(const char *buf, size_t len, const char *name, struct gn_site **ret,
			gn_error *err);

/* Free a site and all it holds; NULL is fine. */
void gn_site_free(struct gn_site *s);
void gn_site_freep(struct gn_site **s);

/* The network of that name on one side (&site->source, &site->target) in constant time, or
 * NULL (also for a NULL name). */
const struct gn_site_network *gn_site_find_network(const struct gn_site_side *side,
						   const char *name);

/* Names used in the document: "failover", "tcp", ...; NULL outside the enumeration. */
const char *gn_network_role_name(enum gn_network_role r);
const char *gn_protocol_name(enum gn_protocol p);

#endif
