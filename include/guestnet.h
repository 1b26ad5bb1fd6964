/*
 * guestnet.h: the public C API of libguestnet.
 *
 * libguestnet collects the network settings of virtual machines (from a Windows SYSTEM hive or a
 * Linux system's configuration files, and in later releases from disk images, backups and the
 * running guest), holds them in one model, and reads and writes that model as the guestnet
 * settings document (schema settings.rng, installed under share/guestnet/schema).
 *
 * Conventions (hivex(3), systemd): functions that can fail return 0 (or a positive count) on
 * success and a negative errno on failure; results are written through ret out-parameters only
 * on success; a gn_error, when given, receives a one-line message (lower case, no full stop,
 * the failing thing in single quotes).  The library never prints and never exits.
 *
 * Errors: -EBADMSG, -EILSEQ, -EINVAL: the input data is bad (the document, the hive);
 * -E2BIG: a named limit below was exceeded; -ENOMEM; other negative errno values: I/O.
 */
#ifndef GUESTNET_H
#define GUESTNET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Limits: every count and length taken from untrusted input is capped here.  A value over its
 * cap is dropped (or a list cut) with a <warning> in the document, or the input is refused.
 */
#define GN_MAX_XML_BYTES     (64u << 20)  /* one XML document read */
#define GN_MAX_XML_ATTRIBUTES 64          /* attributes of one element (libxml2 2.9: quadratic) */
#define GN_MAX_HIVE_BYTES    (512u << 20) /* one registry hive file */
#define GN_MAX_VALUE_BYTES   (4u << 20)   /* one registry value read */
#define GN_MAX_CONFIG_FILE_BYTES (1u << 20) /* one Linux configuration file (bigger: skipped) */
#define GN_MAX_CONFIG_FILES  1024         /* Linux configuration files read for one guest */
#define GN_MAX_GUESTS        100000       /* <guest> elements in one document */
#define GN_MAX_INTERFACES    1024         /* interfaces of one guest */
#define GN_MAX_ADDRESSES     256          /* addresses of one interface, per family */
#define GN_MAX_GATEWAYS      32           /* gateways of one interface, per family */
#define GN_MAX_DNS           32           /* DNS servers of one interface (per family), guest,
                                             site subnet or reip rule */
#define GN_MAX_WINS          16           /* WINS servers of one interface */
#define GN_MAX_ROUTES        4096         /* static routes of one guest */
#define GN_MAX_SEARCH        64           /* DNS search domains of one guest */
#define GN_MAX_SOURCES       16           /* <source> elements of one guest */
#define GN_MAX_WARNINGS      256          /* warnings of one guest */
#define GN_MAX_STRING        1024         /* bytes of any name, description or other text */
#define GN_MAX_RECORD_IMAGES 4096         /* <image> elements of a recorded document's <backup> */
/* The site document (mapping engine): counted before anything is built for them. */
#define GN_MAX_NETWORKS      10000        /* networks on one side (source, target) */
#define GN_MAX_SUBNETS       4096         /* subnets of one network */
#define GN_MAX_SITE_SUBNETS  100000       /* subnets on one side, all its networks together */
#define GN_MAX_SITE_ROWS     (1u << 20)   /* attach, map or public rows (each kind) */
#define GN_MAX_REIP_RULES    1024         /* reip rules: every NIC outside its subnet tries each */
#define GN_MAX_RANGES        65536        /* reserved ranges of one subnet; ranges of one pool */
#define GN_MAX_IN_USE        (1u << 20)   /* in-use addresses of one subnet */
#define GN_MAX_PUBLIC_POOLS  256          /* public-pool elements */
#define GN_MAX_ERROR         512          /* bytes of an error message */

typedef struct gn_settings gn_settings;

typedef struct gn_error {
	char msg[GN_MAX_ERROR];
} gn_error;

/* A new, empty settings document.  Free it with gn_settings_free (which accepts NULL). */
int gn_settings_new(gn_settings **ret);
void gn_settings_free(gn_settings *s);

/* The number of <guest> elements in s. */
size_t gn_settings_count(const gn_settings *s);

/* How a collector labels what it adds (the <source> element and guest/@name). */
typedef struct gn_collect_options {
	int64_t collected;  /* seconds since the epoch for source/@collected, or -1 to omit it */
	const char *image;  /* source/@image, or NULL */
	const char *name;   /* guest/@name (the VM's inventory name), or NULL */
} gn_collect_options;

/*
 * Read the network settings of a Windows guest from its SYSTEM hive at path and append them to s
 * as one <guest>.  Whatever could not be read becomes a <warning> of that guest; a hive that
 * hivex opens only with its unsafe flag is read that way, with a warning.
 *
 * Returns 0 on success; -EBADMSG when path is not a readable SYSTEM hive (err says why; nothing
 * is added); -E2BIG when the hive is larger than GN_MAX_HIVE_BYTES; -errno on I/O errors.
 */
int gn_hive_read(gn_settings *s, const char *path, const gn_collect_options *opt, gn_error *err);

/*
 * Read the persistent network configuration of the Linux system whose files are under root and
 * append them to s as one <guest> (os linux, source kind config-files).  root is a private copy
 * of the guest's files (gn_linux_config_paths, paths kept, no symbolic links) or "/" for the
 * running system.  Styles read, first configuration of an interface winning: netplan,
 * systemd-networkd, NetworkManager keyfiles, RHEL and SUSE ifcfg, Debian /etc/network/interfaces;
 * then the host name, resolv.conf (or systemd-resolved's resolved.conf) and the search list.
 * Whatever could not be read (a file over GN_MAX_CONFIG_FILE_BYTES, a parse error, a symbolic
 * link under a root other than "/", an invalid value) becomes a <warning> of that guest; a root
 * holding no network configuration gives a guest with a warning saying so.
 *
 * Returns 0 on success; -ENOENT when root does not exist, -ENOTDIR when it is not a folder,
 * -EINVAL when it is NULL or empty, -errno when it cannot be opened (err says why; nothing is
 * added); -ENOMEM.
 */
int gn_linux_read(gn_settings *s, const char *root, const gn_collect_options *opt, gn_error *err);

/*
 * Absolute guest paths gn_linux_read looks at (files, or folders whose regular files it reads,
 * not recursively), NULL-terminated: what an offline reader copies out of the guest.  A path may
 * be a file in one distribution and a folder in another (/etc/sysconfig/network).  A file the
 * configuration itself names elsewhere (Debian's "source /opt/net/eth0.cfg") is read when it is
 * under root; a copy of these paths alone lacks it, and a warning says so.
 */
extern const char *const gn_linux_config_paths[];

/*
 * Serialize s as the settings document: UTF-8, fixed element and attribute order, two-space
 * indentation, so the same settings always give the same bytes.  *ret is NUL-terminated,
 * *ret_len excludes the NUL, and the caller frees *ret.
 */
int gn_settings_to_xml(const gn_settings *s, char **ret, size_t *ret_len, gn_error *err);

/*
 * Parse, validate (settings.rng, then the cross-field rules) and load a settings document.
 * The document must not exceed GN_MAX_XML_BYTES nor hold a DOCTYPE; the network is never used.
 * Returns 0 and a new document in *ret (free with gn_settings_free), or -EBADMSG with err saying
 * what is wrong and where, -E2BIG, or -errno on I/O errors.
 */
int gn_settings_read_file(const char *path, gn_settings **ret, gn_error *err);
int gn_settings_read_memory(const char *buf, size_t len, const char *name, gn_settings **ret,
			    gn_error *err);

/*
 * Validate any guestnet document (chosen by its root element: <guestnet> for settings) against
 * its schema and cross-field rules.  Returns 0 when valid, -EBADMSG with the reason, -errno.
 * A document guestnet reads but does not define (an OVF descriptor) is refused: -EBADMSG.
 */
int gn_validate_file(const char *path, gn_error *err);

/*
 * Write len bytes to path atomically: a private temporary file beside it, fsync, rename.  A failed
 * or killed run never leaves a partial file at path.  Returns 0 or -errno.
 */
int gn_write_file_atomic(const char *path, const void *buf, size_t len, gn_error *err);

#ifdef __cplusplus
}
#endif

#endif
