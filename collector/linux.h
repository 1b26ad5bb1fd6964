/*
 * linux.h: what the Linux configuration-file readers share (linux.c, linux-*.c).
 *
 * gn_linux_read (linux.c) opens the root, then runs one reader per configuration style, each
 * filling a unit: a scratch guest of its own.  Units are merged into the real guest in the order
 * of precedence (netplan, systemd-networkd, NetworkManager, RHEL ifcfg, SUSE ifcfg, Debian), the
 * first configuration of an interface winning and the later ones named in a warning.  Warnings
 * about files and values go straight to the real guest (ctx->g), so they keep the order in which
 * files were read; units hold only settings.
 *
 * Every file is read through gn_linux_read_file (size-checked, never through a symbolic link
 * when the root is a copy of the guest), and parsed with libaugeas' stock lenses through
 * aug_text_store, so libaugeas never opens a file itself; netplan YAML goes through libyaml
 * (linux-netplan.c).
 */
#ifndef GN_LINUX_H
#define GN_LINUX_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

/* Entries looked at in one folder: a configuration folder holds a few files, a hostile one
 * millions of names that would each cost a stat. */
#define GN_LINUX_MAX_DIR_ENTRIES 4096
/* Bytes read from all the configuration files of one guest: a real system's configuration is
 * a few kilobytes, and libaugeas parses about 2 MiB a second, so this bounds the time one hostile
 * guest takes (GN_MAX_CONFIG_FILES files of GN_MAX_CONFIG_FILE_BYTES would take minutes). */
#define GN_LINUX_MAX_TOTAL_BYTES (16u << 20)
/* Bytes of a path in the guest (PATH_MAX). */
#define GN_LINUX_MAX_PATH 4096
/* Tree nodes (lines, keys, sections) taken from one parsed file: 1 MiB of one-character lines
 * would give half a million, each a few allocations in libaugeas and here. */
#define GN_LINUX_MAX_NODES 16384
/* Words of one command line (Debian "up ip route add ...", a route file line). */
#define GN_LINUX_MAX_WORDS 64
/* Nesting of Debian "source" and "source-directory" (ifupdown itself recurses without limit;
 * a file that sources itself must end). */
#define GN_LINUX_MAX_SOURCE_DEPTH 8

typedef struct augeas augeas;

/* Where an interface of a unit was configured, for the precedence warnings. */
struct gn_linux_origin {
	char *id;
	char *path;
};

/* The settings one configuration style gave, before they are merged into the guest. */
struct gn_linux_unit {
	const char *style;    /* "netplan", "systemd-networkd", ... */
	gn_settings *s;       /* owns g */
	struct gn_guest *g;
	GN_ARRAY(struct gn_linux_origin) origins;
};

struct gn_linux_ctx {
	int rootfd;
	bool live;            /* root is "/": the system's own symbolic links are followed */
	struct gn_guest *g;   /* the guest being read: warnings */
	unsigned files;       /* files read, up to GN_MAX_CONFIG_FILES */
	bool files_capped;
	uint64_t bytes;       /* bytes read, up to GN_LINUX_MAX_TOTAL_BYTES */
	bool bytes_capped;
	augeas *aug;          /* opened at first use */
	bool aug_failed;
	unsigned aug_seq;     /* names of parsed trees */
	GN_ARRAY(struct gn_linux_origin) origins;  /* of the interfaces merged so far */
};

/*
 * Files.  Paths are absolute guest paths ("/etc/hostname"): under ctx's root, every component
 * opened without following a symbolic link unless ctx->live.
 */

/* Read a regular file: 1 with its contents NUL-terminated (*ret, free it; *ret_len without the
 * NUL), 0 when it does not exist, -EISDIR (no warning) when it is a folder, or a negative errno
 * after a warning (a symbolic link, not a regular file, over GN_MAX_CONFIG_FILE_BYTES, a NUL
 * byte, GN_MAX_CONFIG_FILES reached, I/O). */
int gn_linux_read_file(struct gn_linux_ctx *ctx, const char *path, char **ret, size_t *ret_len);

/* True when path exists (as anything, a symbolic link included). */
bool gn_linux_exists(struct gn_linux_ctx *ctx, const char *path);

typedef bool (*gn_linux_keep_fn)(const char *name, const void *data);

/*
 * The names of the regular files in folder dir for which keep(name, data) is true (keep NULL:
 * all), sorted by strcmp, NULL-terminated: 1, 0 when dir does not exist or is a file (*ret NULL),
 * or a negative errno after a warning.  Symbolic links and other non-regular entries are skipped,
 * a link with a warning, unless it points to /dev/null: systemd's way of masking a file; masks
 * are listed as the name with a leading '!'.  Free with gn_strv_free.
 */
int gn_linux_list(struct gn_linux_ctx *ctx, const char *dir, gn_linux_keep_fn keep,
		  const void *data, char ***ret);

/* True when name, or a mask of it, is in one of lists[0] .. lists[n - 1] (gn_linux_list results,
 * folders of higher precedence): a file of the same name there shadows it. */
bool gn_linux_shadowed(char **const *lists, size_t n, const char *name);


/* Split a command or route line into at most GN_LINUX_MAX_WORDS words at blanks; *n the count.
 * The words point into line, which is modified.  -E2BIG for more words. */
int gn_linux_split_words(char *line, char **words, size_t *n);

/* "'PATH' line N", where a message says a line is. */
#define GN_LINUX_WHERE_MAX (GN_LINUX_MAX_PATH + 32)
void gn_linux_where(char *buf, size_t size, const char *path, int line);

/* Whether name ends with one of suffixes[0 .. n) (backup and editor files a tool skips). */
bool gn_linux_has_suffix(const char *name, const char *const *suffixes, size_t n);

/*
 * Each line of text, a '#' comment cut off, split into words (gn_linux_split_words): fn gets the
 * words of every line that has some, with where ("'PATH' line N") for its messages.  A line of
 * more than GN_LINUX_MAX_WORDS words is a warning and skipped.
 */
typedef void (*gn_linux_words_fn)(struct gn_linux_ctx *ctx, const char *where, char **words,
				  size_t n, void *data);
void gn_linux_each_line(struct gn_linux_ctx *ctx, const char *path, const char *text,
			gn_linux_words_fn fn, void *data);

/*
 * libaugeas.  A parsed file is a tree of nodes in ctx's libaugeas handle.
 */

struct gn_linux_tree {
	char *root;    /* the tree's path in libaugeas */
	char *file;    /* the guest path, for messages */
	char *text;    /* the file's contents, for line numbers */
	size_t *lines; /* offsets where text's lines start */
	size_t nlines;
};

struct gn_linux_node {
	char *path;   /* the node's path in libaugeas */
	char *label;
	char *value;  /* NULL when the node has none */
	int line;     /* the node's line in the file, 0 when not known */
};

/* Parse text (the contents of path; taken over, freed on error too) with lens ("Shellvars.lns"):
 * 0 and the tree in *ret (release it), or a negative errno after a warning naming the file and,
 * for a parse error, the line. */
int gn_linux_aug_parse(struct gn_linux_ctx *ctx, const char *lens, const char *path, char *text,
		       struct gn_linux_tree *ret);
/* Read and parse a file: 1 with *ret as above, 0 when it does not exist, or a negative errno. */
int gn_linux_aug_file(struct gn_linux_ctx *ctx, const char *lens, const char *path,
		      struct gn_linux_tree *ret);
/* Forget a parsed tree. */
void gn_linux_tree_release(struct gn_linux_ctx *ctx, struct gn_linux_tree *t);
void gn_linux_aug_close(struct gn_linux_ctx *ctx);

/* The children of the node at path (NULL: the tree's root), in file order, up to
 * GN_LINUX_MAX_NODES (a warning names the file past that): 0 and an array in *ret, its length in
 * *ret_n (0 and NULL for none), or -ENOMEM.  Free with gn_linux_nodes_free. */
int gn_linux_aug_children(struct gn_linux_ctx *ctx, const struct gn_linux_tree *t, const char *path,
			  struct gn_linux_node **ret, size_t *ret_n);
void gn_linux_nodes_free(struct gn_linux_node *v, size_t n);
/* The value of the last node labelled label, or NULL. */
const char *gn_linux_node_get(const struct gn_linux_node *v, size_t n, const char *label);

/* Variables of a shell-style file (ifcfg), values unquoted. */
struct gn_linux_var {
	char *name;
	char *value;
	int line;
};

struct gn_linux_vars {
	struct gn_linux_var *v;
	size_t n;
};

/* Read a shell variable file through the Shellvars lens: 1 with its assignments in *ret (release
 * it), 0 when it does not exist, or a negative errno after a warning.  A line that is not an
 * assignment, an array and a value with a shell expansion are warnings, and skipped. */
int gn_linux_sh_file(struct gn_linux_ctx *ctx, const char *path, struct gn_linux_vars *ret);
/* The value of name (the last assignment), or NULL; *line (may be NULL) gets its line. */
const char *gn_linux_var(const struct gn_linux_vars *vars, const char *name, int *line);
void gn_linux_vars_release(struct gn_linux_vars *vars);

/*
 * Shell-style values (ifcfg): 'single', "double" with backslash escapes, or bare words, joined.
 * 0 and the plain value in *ret (free it), or -EINVAL for an unterminated quote or a shell
 * expansion ($, backquote) that a static reader cannot evaluate.
 */
int gn_linux_sh_unquote(const char *raw, char **ret);

/*
 * Units and the model.
 */

int gn_linux_unit_init(struct gn_linux_unit *u, const char *style);
void gn_linux_unit_release(struct gn_linux_unit *u);
/* Merge u into the guest: interfaces whose id the guest already has are dropped with a warning
 * naming both configurations, and so are the routes that name them. */
void gn_linux_unit_merge(struct gn_linux_ctx *ctx, struct gn_linux_unit *u);

/*
 * A new interface id of u, configured in path: 1 with *ret; 0 with *ret NULL for the loopback
 * interface (never reported); -EEXIST after a warning when u already has it (the configuration
 * in path is ignored); another negative errno after a warning.
 */
int gn_linux_interface_new(struct gn_linux_ctx *ctx, struct gn_linux_unit *u, const char *id,
			   const char *path, struct gn_interface **ret);
/* u's interface id, or NULL. */
struct gn_interface *gn_linux_interface_find(struct gn_linux_unit *u, const char *id);

/* A warning of the guest being read.  Values quoted in it come from the guest: bytes that are
 * not valid UTF-8, and control characters, are written as '?', so the warning itself is never
 * lost (the model would replace it by a generic one). */
void gn_linux_warn(struct gn_linux_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Warn about a value the model refused (r from an add or set function). */
void gn_linux_warn_add(struct gn_linux_ctx *ctx, int r, const char *where, const char *what,
		       const char *value);

/* Setters that check and warn (where: "'/etc/x' line 3"); each returns 0 or -EINVAL. */
int gn_linux_set_string(struct gn_linux_ctx *ctx, char **field, const char *where, const char *what,
			const char *value);
int gn_linux_set_mac(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
		     const char *value);
int gn_linux_set_mtu(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
		     const char *value);
int gn_linux_set_vlan(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
		      const char *value);

/* A decimal number within [min, max]: 0, or -EINVAL (no warning). */
int gn_linux_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *ret);
/* A boolean the way the styles spell them (yes/no, true/false, on/off, 1/0, y/n): 1, 0, or
 * -EINVAL. */
int gn_linux_parse_bool(const char *s);

/*
 * "ADDR/PREFIX" or "ADDR": family 0 for either; *prefix -1 when absent.  0 or -EINVAL (with
 * *why saying what is wrong).
 */
int gn_linux_parse_cidr(const char *s, int family, struct gn_ip *ip, int *prefix, const char **why);
/* A prefix length or, for IPv4, a dotted mask ("255.255.255.0" or "24"): 0 or -EINVAL. */
int gn_linux_parse_netmask(const char *s, int family, unsigned *ret);

/* Add an address "ADDR/PREFIX" (or "ADDR" with default_prefix >= 0) of family (0: either) to
 * ifc, origin static.  Warns and returns a negative errno when it is not valid. */
int gn_linux_add_address(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
			 const char *value, int family, int default_prefix);
int gn_linux_add_gateway(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
			 const char *value, int family, int64_t metric);
/* A DNS server of ifc (under ipv4 or ipv6 by its family), origin static.  "ADDR#NAME",
 * "ADDR%IFACE" and "[ADDR]:PORT" (systemd's forms) are reduced to the address. */
int gn_linux_add_dns(struct gn_linux_ctx *ctx, struct gn_interface *ifc, const char *where,
		     const char *value);
int gn_linux_add_guest_dns(struct gn_linux_ctx *ctx, struct gn_guest *g, const char *where,
			   const char *value, enum gn_origin origin);
/* A search domain of g ("~domain", systemd's routing-only domain, is skipped). */
int gn_linux_add_search(struct gn_linux_ctx *ctx, struct gn_guest *g, const char *where,
			const char *value);

/* A static route as the styles write them. */
struct gn_linux_route {
	struct gn_ip dest;       /* family set, unspecified for the default route */
	unsigned prefix;
	struct gn_ip gateway;    /* family 0: on-link */
	int64_t metric;          /* GN_UNSET */
	char dev[64];            /* "" when not named */
};

/*
 * Parse `ip route` arguments (after "ip route add"; route-eth0 lines): "PREFIX|default [via
 * ADDR] [dev NAME] [metric N] [table main] [proto|scope|src|mtu ...]".  family 0 guesses from the
 * addresses.  0, 1 when the route is to be skipped (why says why: a policy table, a blackhole),
 * or -EINVAL with why saying what is wrong.
 */
#define GN_LINUX_WHY_MAX 128
int gn_linux_parse_ip_route(char **words, size_t n, int family, struct gn_linux_route *rt,
			    char why[GN_LINUX_WHY_MAX]);

/*
 * Add a route of unit u: a default route with a gateway becomes a gateway of its interface (dev,
 * else ifname, else the interface with an address on the gateway's subnet) when u has it; any
 * other route is a guest route naming its interface.
 */
void gn_linux_add_route(struct gn_linux_ctx *ctx, struct gn_linux_unit *u,
			const struct gn_linux_route *rt, const char *ifname, const char *where);

/* The interface of u that has a static address on the subnet of ip, or NULL. */
struct gn_interface *gn_linux_interface_on_subnet(struct gn_linux_unit *u, const struct gn_ip *ip);

/*
 * Mode of a family from what the configuration said: dhcp (1: on), the static addresses already
 * added, ra (IPv6 router advertisements: 1 on), off (1: the family is explicitly off or the style
 * configures nothing else).  -1 in any means "not said".
 */
void gn_linux_set_mode(struct gn_ipconf *c, int dhcp, int ra, int off);

/* Styles. */
void gn_linux_read_netplan(struct gn_linux_ctx *ctx, struct gn_linux_unit *u);
void gn_linux_read_networkd(struct gn_linux_ctx *ctx, struct gn_linux_unit *u);
void gn_linux_read_nm(struct gn_linux_ctx *ctx, struct gn_linux_unit *u);
void gn_linux_read_ifcfg(struct gn_linux_ctx *ctx, struct gn_linux_unit *u);
void gn_linux_read_suse(struct gn_linux_ctx *ctx, struct gn_linux_unit *u);
void gn_linux_read_debian(struct gn_linux_ctx *ctx, struct gn_linux_unit *u);
/* Host name, domain, resolv.conf / resolved.conf: straight into ctx->g (linux-resolv.c). */
void gn_linux_read_resolv(struct gn_linux_ctx *ctx);
void gn_linux_read_hostname(struct gn_linux_ctx *ctx);

#endif
