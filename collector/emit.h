/*
 * emit.h: a tiny XML serializer, the only way guestnet writes documents.
 *
 * The writers (settings-write.c, later the plan writer) call these in document order; the
 * backend escapes, indents by two spaces and starts with <?xml version="1.0" encoding="UTF-8"?>,
 * so the same calls always give the same bytes: those of libxml2's xmlTextWriter (emit.c, in
 * plain C so the agents need no libxml2).
 *
 *   struct gn_emitter *e;
 *   gn_emit_new(&e);
 *   gn_emit_start(e, "guestnet");
 *   gn_emit_attr(e, "version", "1");
 *   gn_emit_end(e);
 *   r = gn_emit_finish(e, &xml, &len);    the first error of any call above, or 0
 *   gn_emit_free(e);
 *
 * Errors are sticky: once a call fails, every later call returns the same negative errno and
 * gn_emit_finish fails, so a writer checks once, at the end.  -ENOMEM: out of memory;
 * -EINVAL: misuse (a NULL name, an end without a start, an element left open at finish).
 */
#ifndef GN_EMIT_H
#define GN_EMIT_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"

struct gn_emitter;

/* A new document.  Free it with gn_emit_free. */
int gn_emit_new(struct gn_emitter **ret);
void gn_emit_free(struct gn_emitter *e);
void gn_emit_freep(struct gn_emitter **e);

/* Open an element; its attributes follow, then its children or text, then gn_emit_end. */
int gn_emit_start(struct gn_emitter *e, const char *name);
/* An attribute of the element just opened; a NULL value writes nothing. */
int gn_emit_attr(struct gn_emitter *e, const char *name, const char *value);
static inline int gn_emit_attr_int(struct gn_emitter *e, const char *name, int64_t value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, value);
	return gn_emit_attr(e, name, buf);
}
/* An address attribute in canonical form; an address of family 0 writes nothing. */
static inline void gn_emit_attr_ip(struct gn_emitter *e, const char *name, const struct gn_ip *ip)
{
	char buf[GN_IP_TEXT_MAX];

	if (ip->family)
		gn_emit_attr(e, name, gn_ip_format(ip, buf));
}

/* Text content (UTF-8); NULL writes nothing. */
int gn_emit_text(struct gn_emitter *e, const char *text);
/* Close the element opened last. */
int gn_emit_end(struct gn_emitter *e);

/*
 * End the document: 0 and in *ret a malloc'd NUL-terminated UTF-8 buffer of *ret_len bytes
 * (the NUL not counted), which the caller frees; or the first error.  Later calls fail.
 */
int gn_emit_finish(struct gn_emitter *e, char **ret, size_t *ret_len);

#endif
