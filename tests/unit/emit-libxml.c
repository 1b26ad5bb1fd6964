/*
 * emit-libxml.c: the emitter (emit.h) on libxml2's xmlTextWriter, writing to an xmlBuffer: the
 * reference test-emit holds collector/emit.c to (it was the library's backend until the plan of
 * 100,000 VMs showed it took twice the time of emit.c).
 *
 * xmlTextWriter escapes text and attribute values (< & " and the white space an attribute would
 * lose); with the UTF-8 encoding declared it writes other characters as they are.  It fails only
 * when out of memory or misused; misuse is caught here first, so its failures read as -ENOMEM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "emit.h"

struct gn_emitter {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	size_t depth;  /* elements open */
	int error;     /* the first error, returned by every later call */
};

/* Keep the first failure: r from an xmlTextWriter call (< 0 on failure) or a negative errno. */
static int keep(struct gn_emitter *e, int r)
{
	if (r < 0 && e->error == 0)
		e->error = r == -1 ? -ENOMEM : r;
	return e->error;
}

int gn_emit_new(struct gn_emitter **ret)
{
	struct gn_emitter *e = calloc(1, sizeof(*e));

	if (!e)
		return -ENOMEM;
	e->buf = xmlBufferCreate();
	if (e->buf)
		e->w = xmlNewTextWriterMemory(e->buf, 0);
	if (!e->w || xmlTextWriterSetIndent(e->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(e->w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(e->w, NULL, "UTF-8", NULL) < 0) {
		gn_emit_free(e);
		return -ENOMEM;
	}
	*ret = e;
	return 0;
}

void gn_emit_free(struct gn_emitter *e)
{
	if (!e)
		return;
	if (e->w)
		xmlFreeTextWriter(e->w);
	if (e->buf)
		xmlBufferFree(e->buf);
	free(e);
}

void gn_emit_freep(struct gn_emitter **e)
{
	gn_emit_free(*e);
}

int gn_emit_start(struct gn_emitter *e, const char *name)
{
	if (e->error || !name)
		return keep(e, -EINVAL);
	e->depth++;
	return keep(e, xmlTextWriterStartElement(e->w, BAD_CAST name));
}

int gn_emit_attr(struct gn_emitter *e, const char *name, const char *value)
{
	if (e->error || !name)
		return keep(e, -EINVAL);
	if (!value)
		return 0;
	return keep(e, xmlTextWriterWriteAttribute(e->w, BAD_CAST name, BAD_CAST value));
}

int gn_emit_text(struct gn_emitter *e, const char *text)
{
	if (e->error)
		return e->error;
	if (!text)
		return 0;
	return keep(e, xmlTextWriterWriteString(e->w, BAD_CAST text));
}

int gn_emit_end(struct gn_emitter *e)
{
	if (e->error || e->depth == 0)
		return keep(e, -EINVAL);
	e->depth--;
	return keep(e, xmlTextWriterEndElement(e->w));
}

int gn_emit_finish(struct gn_emitter *e, char **ret, size_t *ret_len)
{
	char *out;
	size_t len;

	if (e->error || e->depth != 0)
		return keep(e, -EINVAL);
	if (keep(e, xmlTextWriterEndDocument(e->w)) < 0 || keep(e, xmlTextWriterFlush(e->w)) < 0)
		return e->error;
	len = (size_t)xmlBufferLength(e->buf);
	out = malloc(len + 1);
	if (!out)
		return keep(e, -ENOMEM);
	memcpy(out, xmlBufferContent(e->buf), len);
	out[len] = '\0';
	e->error = -EINVAL;  /* the document is ended: nothing more can be added */
	*ret = out;
	*ret_len = len;
	return 0;
}
