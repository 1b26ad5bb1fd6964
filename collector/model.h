/*
 * model.h: the settings model, the hub every source fills and every consumer reads.
 *
 * One gn_settings holds guests; a guest holds interfaces, routes, system-wide DNS servers, the
 * DNS search list and warnings.  All normalization happens in the add and set functions below
 * (model.c): addresses are held in binary and written in canonical form, masks become prefix
 * lengths, MACs are lower-case colon form, interface GUIDs upper case, 0.0.0.0 placeholders and
 * duplicates are dropped, strings are checked for UTF-8 and length, and every count is capped
 * (the GN_MAX_* limits of guestnet.h).  Collectors never build these structures by hand.
 *
 * Add functions return 1 when the element was added, 0 when it was dropped as a placeholder or a
 * duplicate, -EINVAL for a value that is not valid, -E2BIG at the cap, -ENOMEM.
 */
#ifndef GN_MODEL_H
#define GN_MODEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "guestnet.h"
#include "array.h"
#include "compat.h"
#include "addr.h"

enum gn_os { GN_OS_UNSET, GN_OS_WINDOWS, GN_OS_LINUX };

/* GN_MODE_UNSET: nothing is known of that family; its element is not written. */
enum gn_mode { GN_MODE_UNSET, GN_MODE_STATIC, GN_MODE_DHCP, GN_MODE_AUTO, GN_MODE_DISABLED };

/* GN_ORIGIN_UNSET is only for DNS servers, whose origin attribute is optional. */
enum gn_origin {
	GN_ORIGIN_UNSET,
	GN_ORIGIN_STATIC,
	GN_ORIGIN_DHCP,
	GN_ORIGIN_AUTO,
	GN_ORIGIN_LINK_LOCAL,
	GN_ORIGIN_UNKNOWN,
};

enum gn_iftype {
	GN_IFTYPE_UNSET,
	GN_IFTYPE_ETHERNET,
	GN_IFTYPE_WIRELESS,
	GN_IFTYPE_LOOPBACK,
	GN_IFTYPE_TUNNEL,
	GN_IFTYPE_OTHER,
};

enum gn_source_kind {
	GN_SOURCE_UNSET,
	GN_SOURCE_RUNTIME,
	GN_SOURCE_REGISTRY,
	GN_SOURCE_CONFIG_FILES,
	GN_SOURCE_BACKUP,
};

/*
 * Provenance: the from attribute of <interface>, <ipv4>, <ipv6>, <route> and a guest-level <dns>
 * names the source kind (runtime, registry or config-files, never backup) an element came from
 * when a guest merges two sources (merge.h).  GN_SOURCE_UNSET: not written, the element comes
 * from the guest's only (or first) source.
 */

/* Sentinel for an absent metric, time or number. */
#define GN_UNSET INT64_MIN

struct gn_address {
	struct gn_ip ip;
	unsigned prefix;
	enum gn_origin origin;
};

struct gn_gateway {
	struct gn_ip ip;
	int64_t metric;  /* GN_UNSET when not known */
};

struct gn_dns {
	struct gn_ip ip;
	enum gn_origin origin;  /* GN_ORIGIN_UNSET when not known */
	enum gn_source_kind from;  /* guest-level servers only; GN_SOURCE_UNSET: not written */
};

typedef GN_ARRAY(struct gn_dns) gn_dns_list;

struct gn_lease {
	struct gn_ip server;  /* family 0 when not known */
	int64_t obtained;     /* seconds since the epoch, GN_UNSET when not known */
	int64_t expires;
};

/* One address family of one interface: <ipv4> or <ipv6>. */
struct gn_ipconf {
	int family;  /* GN_AF_INET or GN_AF_INET6, set when the interface is made */
	enum gn_mode mode;
	enum gn_source_kind from;  /* GN_SOURCE_UNSET: not written */
	GN_ARRAY(struct gn_address) addresses;
	GN_ARRAY(struct gn_gateway) gateways;
	gn_dns_list dns;
	GN_ARRAY(struct gn_ip) wins;
	struct gn_lease lease;
};

struct gn_interface {
	char *id;             /* Windows: {GUID} upper case; Linux: interface name */
	char *name;           /* friendly name */
	char *mac;            /* effective MAC, "aa:bb:cc:dd:ee:ff" */
	char *permanent_mac;  /* hardware MAC, written only when it differs from mac */
	char *description;
	char *dns_suffix;
	char *network;        /* hypervisor network the NIC is plugged into */
	enum gn_iftype type;
	unsigned mtu;         /* 0: not known */
	unsigned vlan;        /* 0: none or not known */
	int enabled;          /* -1: not known, 0, 1 */
	enum gn_source_kind from;  /* GN_SOURCE_UNSET: not written */
	struct gn_ipconf v4, v6;
};

struct gn_route {
	int family;           /* GN_AF_INET or GN_AF_INET6 */
	struct gn_ip destination;
	unsigned prefix;
	struct gn_ip gateway; /* family 0: on-link */
	int64_t metric;       /* GN_UNSET when not known */
	char *interface;      /* interface id, or NULL */
	enum gn_source_kind from;  /* GN_SOURCE_UNSET: not written */
};

struct gn_source {
	enum gn_source_kind kind;
	enum gn_source_kind origin;  /* for kind backup: who collected first */
	int64_t collected;           /* GN_UNSET when not known */
	char *image;
	unsigned control_set;        /* 0: not applicable */
};

struct gn_guest {
	enum gn_os os;
	char *name;
	char *hostname;
	char *domain;
	GN_ARRAY(struct gn_source) sources;
	GN_ARRAY(struct gn_interface *) interfaces;
	GN_ARRAY(struct gn_route) routes;
	gn_dns_list dns;
	GN_ARRAY(char *) search;
	GN_ARRAY(char *) warnings;
	bool warnings_capped;
};

/* An input that gave no guest (a hive that is not one, a VM without an operating system). */
struct gn_failure {
	char *name;     /* the VM's name, or NULL */
	char *image;    /* the input's file(s), or NULL */
	char *message;
};

/* <backup kind=>: what a recorded settings document was recorded with (gn_settings_set_record). */
enum gn_backup_kind {
	GN_BACKUP_UNSET,
	GN_BACKUP_FOLDER,  /* a folder of disk images */
	GN_BACKUP_OVA,     /* an OVA archive */
	GN_BACKUP_OVF,     /* an OVF descriptor and its files */
	GN_BACKUP_IMAGE,   /* one disk image */
};

/* One image of the backup: path relative to the backup (a file name, or a member of an OVA). */
struct gn_record_image {
	char *path;
	uint64_t size;     /* bytes, at most INT64_MAX */
	char sha256[65];   /* 64 lower-case hex digits */
};

/* The <backup> element: the images the settings belong to, and their checksums. */
struct gn_record {
	enum gn_backup_kind kind;
	int64_t recorded;  /* seconds since the epoch */
	GN_ARRAY(struct gn_record_image) images;
};

struct gn_settings {
	struct gn_record *record;  /* NULL: not a recorded document */
	GN_ARRAY(struct gn_guest *) guests;
	GN_ARRAY(struct gn_failure) failures;
};

void gn_settings_freep(gn_settings **s);

/* A new guest at the end of s. */
int gn_settings_add_guest(gn_settings *s, struct gn_guest **ret);

/*
 * Make s a recorded document: its <backup> element, of kind (not GN_BACKUP_UNSET) recorded at
 * recorded (seconds since the epoch, 1970..9999), with no image yet.  Returns 0 and the record
 * in *ret (owned by s); -EINVAL for a kind or time the document cannot carry; -EEXIST when s
 * already has one; -ENOMEM.
 */
int gn_settings_set_record(gn_settings *s, enum gn_backup_kind kind, int64_t recorded,
			   struct gn_record **ret);

/*
 * Add an image to a record.  path is relative to the backup: not empty, not absolute, no ".."
 * component, valid text of at most GN_MAX_STRING bytes; size at most INT64_MAX (the document's
 * xsd:long); sha256 exactly 64 lower-case hex digits.  Returns 1 when added; -EINVAL for a bad
 * value; -EEXIST when path is already listed; -E2BIG past GN_MAX_RECORD_IMAGES; -ENOMEM.
 */
int gn_record_add_image(struct gn_record *rec, const char *path, uint64_t size,
			const char *sha256);

/* Whether s is a SHA-256 as a record holds it: exactly 64 lower-case hex digits. */
bool gn_sha256_hex_valid(const char *s);

/* The source kind elements without a from attribute come from: the kind of the guest's first
 * source, or for kind backup its origin; GN_SOURCE_UNSET when the guest has no source. */
enum gn_source_kind gn_guest_source_kind(const struct gn_guest *g);

/* Record an input that gave no guest; name and image may be NULL.  Text that cannot be written
 * is replaced, so this fails only with -ENOMEM or -E2BIG (GN_MAX_GUESTS failures). */
int gn_settings_add_failure(gn_settings *s, const char *name, const char *image,
			    const char *message);

/*
 * Set a string field: checks UTF-8, refuses control characters XML cannot carry and anything
 * longer than GN_MAX_STRING (-EINVAL, -E2BIG; the field is left unchanged).  An empty or NULL
 * value clears the field.
 */
int gn_set_string(char **field, const char *value);

/* The n bytes at s, digits only (no sign, no space), as a number at most max: 0, or -EINVAL
 * (empty, another character, past max).  The readers of foreign formats (OVF, tar) share it. */
int gn_parse_decimal(const char *s, size_t n, uint64_t max, uint64_t *ret);

/*
 * Format a message for a document (a warning, a note): cut at GN_MAX_STRING bytes on a character
 * boundary, and each byte XML cannot carry (invalid UTF-8, control characters) made '?'.
 */
#define GN_TEXT_BUF (GN_MAX_STRING + 8)
void gn_text_vformat(char buf[GN_TEXT_BUF], const char *fmt, va_list ap);

/* Add a warning (printf format).  Duplicates are dropped; past GN_MAX_WARNINGS one last warning
 * says so and the rest are dropped.  Text over GN_MAX_STRING is cut at a character boundary. */
void gn_guest_warn(struct gn_guest *g, const char *fmt, ...) GN_PRINTF(2, 3);

int gn_guest_add_source(struct gn_guest *g, enum gn_source_kind kind, struct gn_source **ret);

/* A new interface with id normalized (a GUID upper case); -EEXIST when the id is taken. */
int gn_guest_add_interface(struct gn_guest *g, const char *id, struct gn_interface **ret);
void gn_guest_remove_interface(struct gn_guest *g, struct gn_interface *ifc);
struct gn_interface *gn_guest_find_interface(const struct gn_guest *g, const char *id);

/* Set interface MAC fields from any of "001122AABBCC", "00-11-22-aa-bb-cc", "00:11:22:AA:BB:CC". */
int gn_interface_set_mac(struct gn_interface *ifc, const char *mac);
int gn_interface_set_permanent_mac(struct gn_interface *ifc, const char *mac);

/* ipconf of a family (GN_AF_INET or GN_AF_INET6). */
struct gn_ipconf *gn_interface_ipconf(struct gn_interface *ifc, int family);

/* Addresses, gateways, DNS and WINS servers: ip must be of the ipconf's family (-EINVAL);
 * unspecified addresses (0.0.0.0, ::) and duplicates are dropped (0). */
int gn_ipconf_add_address(struct gn_ipconf *c, const struct gn_ip *ip, unsigned prefix,
			  enum gn_origin origin);
int gn_ipconf_add_gateway(struct gn_ipconf *c, const struct gn_ip *ip, int64_t metric);
int gn_ipconf_add_wins(struct gn_ipconf *c, const struct gn_ip *ip);
int gn_dns_list_add(gn_dns_list *l, const struct gn_ip *ip, enum gn_origin origin);
#define gn_ipconf_add_dns(c, ip, origin) gn_dns_list_add(&(c)->dns, (ip), (origin))
#define gn_guest_add_dns(g, ip, origin) gn_dns_list_add(&(g)->dns, (ip), (origin))

int gn_guest_add_search(struct gn_guest *g, const char *domain);
/* Empty the guest's static routes; its system-wide DNS servers and search list (a collector
 * that starts over: a live dump the kernel interrupted, a stub resolv.conf). */
void gn_guest_clear_routes(struct gn_guest *g);
void gn_guest_clear_resolver(struct gn_guest *g);
int gn_guest_add_route(struct gn_guest *g, const struct gn_ip *dest, unsigned prefix,
		       const struct gn_ip *gateway, int64_t metric, const char *interface);

/* Names used in the document, and back; NULL / -1 for values outside the enumeration. */
const char *gn_mode_name(enum gn_mode m);
const char *gn_origin_name(enum gn_origin o);
const char *gn_iftype_name(enum gn_iftype t);
const char *gn_os_name(enum gn_os os);
const char *gn_source_kind_name(enum gn_source_kind k);
const char *gn_backup_kind_name(enum gn_backup_kind k);
int gn_mode_from_name(const char *s);
int gn_origin_from_name(const char *s);
int gn_iftype_from_name(const char *s);
int gn_os_from_name(const char *s);
int gn_source_kind_from_name(const char *s);
int gn_backup_kind_from_name(const char *s);
/* A from attribute: runtime, registry or config-files (not backup); -1 otherwise. */
int gn_from_kind_from_name(const char *s);

/* Write a formatted error message into err (which may be NULL); returns r for chaining. */
int gn_error_set(gn_error *err, int r, const char *fmt, ...) GN_PRINTF(3, 4);

#endif
