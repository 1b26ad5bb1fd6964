/*
 * xml.h: the one way guestnet parses XML, and the helpers document readers share.
 *
 * Every document is untrusted (it may come from a tenant), so gn_xml_parse_file/_memory read at
 * most GN_MAX_XML_BYTES, parse with XML_PARSE_NONET only, refuse any DOCTYPE before its internal
 * subset is read (no entity is ever declared, so none is ever expanded or fetched), choose the
 * schema by the root element and validate against it; libxml2 never prints.  Readers then walk
 * the tree with the attribute helpers below, whose errors name the file, line, element and
 * attribute.  Times: gn_xml_time_format/_parse, in addr.h (the writer must not need libxml2).
 */
#ifndef GN_XML_H
#define GN_XML_H

#include <stdbool.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "guestnet.h"
#include "addr.h"

/* A RelaxNG schema compiled into the library (build/gen/schemas.c, by packaging/embed.sh). */
struct gn_schema {
	const char *name;  /* "settings.rng" */
	const char *text;
};

/* Ends with { NULL, NULL }. */
extern const struct gn_schema gn_schemas[];

/*
 * Read, parse and validate a document.  Returns 0 and the document in *ret (free it with
 * xmlFreeDoc), or: -E2BIG over GN_MAX_XML_BYTES (a file is not read past the cap); -EBADMSG when
 * it is not well-formed UTF-8 XML, holds a DOCTYPE, has a root element no schema is known for,
 * or breaks its schema, with err saying "'NAME' line N: element 'E': ..." for the first error;
 * -errno on I/O errors.  name names buf in messages (NULL: "(memory)").  A foreign document, one
 * guestnet reads but has no schema for (an OVF <Envelope>, ovf.h), is parsed with the same rules
 * and returned unvalidated: its reader checks it in C, and the caller must check the root.
 */
int gn_xml_parse_file(const char *path, xmlDocPtr *ret, gn_error *err);
int gn_xml_parse_memory(const char *buf, size_t len, const char *name, xmlDocPtr *ret,
			gn_error *err);

/*
 * Read a document child by child, for documents too large to hold as one tree (settings of
 * 100,000 guests): the same checks as gn_xml_parse_*, with the root element required to be root
 * and the schema of that root validated as the reader goes.  Each element child of the root is
 * handed to each() as a tree, freed once each() returns; each() must not keep pointers into it.
 * each() sees a child before the schema has checked it (the reader validates it while moving
 * past), so it must check what it reads as a tree reader does; a schema error found later still
 * fails the whole read.  Returns 0 when every child was handed over and the document is valid,
 * each()'s negative return, or the errors of gn_xml_parse_*: the caller drops what it built.
 */
typedef int (*gn_xml_each_fn)(xmlNode *child, void *data, gn_error *err);
int gn_xml_each_file(const char *path, const char *root, gn_xml_each_fn each, void *data,
		     gn_error *err);
int gn_xml_each_memory(const char *buf, size_t len, const char *name, const char *root,
		       gn_xml_each_fn each, void *data, gn_error *err);

void gn_xml_freep(xmlDocPtr *doc);

/* True when n is an element called name. */
bool gn_xml_is(const xmlNode *n, const char *name);

/* Write "'FILE' line N: element 'E': " and the formatted message into err; returns r. */
int gn_xml_error(gn_error *err, int r, const xmlNode *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Attribute name of element n.  Each returns 1 with the value in *ret, 0 when the attribute is
 * absent and not required (*ret untouched), or a negative errno with err set: -EBADMSG for an
 * absent required attribute or a bad value, -E2BIG for a string over GN_MAX_STRING bytes.
 */
/* A copy in *ret; free it. */
int gn_xml_attr(const xmlNode *n, const char *name, bool required, char **ret, gn_error *err);
/* A decimal integer in min..max. */
int gn_xml_attr_int(const xmlNode *n, const char *name, bool required, int64_t min, int64_t max,
		    int64_t *ret, gn_error *err);
/* An address of family (GN_AF_INET, GN_AF_INET6, or 0 for either). */
int gn_xml_attr_ip(const xmlNode *n, const char *name, bool required, int family,
		   struct gn_ip *ret, gn_error *err);
/* One name of an enumeration, through its gn_*_from_name function. */
int gn_xml_attr_enum(const xmlNode *n, const char *name, bool required,
		     int (*from_name)(const char *), int *ret, gn_error *err);
/* "true" (1) or "false" (0). */
int gn_xml_attr_bool(const xmlNode *n, const char *name, bool required, int *ret, gn_error *err);
/* A time "YYYY-MM-DDTHH:MM:SSZ" as seconds since the epoch. */
int gn_xml_attr_time(const xmlNode *n, const char *name, bool required, int64_t *ret,
		     gn_error *err);

/* The text content of n: 0 and a copy in *ret, -E2BIG over GN_MAX_STRING bytes, -ENOMEM. */
int gn_xml_text(const xmlNode *n, char **ret, gn_error *err);

#endif
