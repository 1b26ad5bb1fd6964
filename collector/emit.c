/*
 * emit.c: the emitter (emit.h) in plain C: the one every program writes with, the agents
 * included (the Windows agent has no libxml2, the Linux one stays small without it).
 *
 * It writes exactly the bytes of libxml2's xmlTextWriter with a two-space indent and the UTF-8
 * encoding declared: the XML declaration on its own line, each element on a line of its own
 * indented by its depth, an empty element as <name/>, text inline as <name>text</name>, and the
 * escapes below.  test-emit holds it to that against xmlTextWriter itself
 * (tests/unit/emit-libxml.c), call sequence by call sequence.  It is also twice as fast as
 * xmlTextWriter, which mattered for plans of 100,000 VMs.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

/* Deeper than any document guestnet writes (the settings document is 5 deep). */
#define EMIT_MAX_DEPTH 32

struct gn_emitter {
	char *buf;
	size_t len, size;
	const char *names[EMIT_MAX_DEPTH];  /* the open elements (callers' static names) */
	bool has_child[EMIT_MAX_DEPTH];     /* an element was written inside it */
	bool has_text[EMIT_MAX_DEPTH];      /* text was written inside it */
	size_t depth;
	bool tag_open;                      /* "<name attr=..." still waits for ">" or "/>" */
	int error;
};

static int set_error(struct gn_emitter *e, int r)
{
	if (r < 0 && e->error == 0)
		e->error = r;
	return e->error;
}

static int put(struct gn_emitter *e, const char *s, size_t n)
{
	if (e->error)
		return e->error;
	if (n >= e->size - e->len) {
		size_t size = e->size ? e->size : 4096;
		char *p;

		while (n >= size - e->len) {
			if (size > SIZE_MAX / 2)
				return set_error(e, -ENOMEM);
			size *= 2;
		}
		p = realloc(e->buf, size);
		if (!p)
			return set_error(e, -ENOMEM);
		e->buf = p;
		e->size = size;
	}
	memcpy(e->buf + e->len, s, n);
	e->len += n;
	e->buf[e->len] = '\0';
	return 0;
}

static int puts_(struct gn_emitter *e, const char *s)
{
	return put(e, s, strlen(s));
}

/*
 * s escaped as xmlTextWriter does: in text < > & " and carriage return; in an attribute value
 * also the white space it would otherwise lose (tab, newline).
 */
static int put_escaped(struct gn_emitter *e, const char *s, bool attr)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc = NULL;

		switch (*s) {
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '&': esc = "&amp;"; break;
		case '\r': esc = "&#13;"; break;
		case '"': esc = "&quot;"; break;
		case '\n': esc = attr ? "&#10;" : NULL; break;
		case '\t': esc = attr ? "&#9;" : NULL; break;
		}
		if (esc) {
			put(e, run, (size_t)(s - run));
			puts_(e, esc);
			run = s + 1;
		}
	}
	return put(e, run, (size_t)(s - run));
}

static int indent(struct gn_emitter *e, size_t depth)
{
	for (size_t i = 0; i < depth; i++)
		put(e, "  ", 2);
	return e->error;
}

/* Close a start tag still waiting for its ">". */
static int close_tag(struct gn_emitter *e)
{
	if (!e->tag_open)
		return e->error;
	e->tag_open = false;
	return put(e, ">", 1);
}

int gn_emit_new(struct gn_emitter **ret)
{
	struct gn_emitter *e = calloc(1, sizeof(*e));

	if (!e)
		return -ENOMEM;
	if (puts_(e, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") < 0) {
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
	free(e->buf);
	free(e);
}

void gn_emit_freep(struct gn_emitter **e)
{
	gn_emit_free(*e);
}

int gn_emit_start(struct gn_emitter *e, const char *name)
{
	if (e->error || !name || e->depth == EMIT_MAX_DEPTH)
		return set_error(e, -EINVAL);
	if (e->depth > 0) {
		if (e->tag_open)
			put(e, ">\n", 2);
		e->tag_open = false;
		e->has_child[e->depth - 1] = true;
	}
	indent(e, e->depth);
	put(e, "<", 1);
	puts_(e, name);
	e->names[e->depth] = name;
	e->has_child[e->depth] = false;
	e->has_text[e->depth] = false;
	e->depth++;
	e->tag_open = true;
	return e->error;
}

int gn_emit_attr(struct gn_emitter *e, const char *name, const char *value)
{
	if (e->error || !name || !e->tag_open)
		return set_error(e, -EINVAL);
	if (!value)
		return 0;
	put(e, " ", 1);
	puts_(e, name);
	put(e, "=\"", 2);
	put_escaped(e, value, true);
	return put(e, "\"", 1);
}

int gn_emit_text(struct gn_emitter *e, const char *text)
{
	if (e->error)
		return e->error;
	if (e->depth == 0)
		return set_error(e, -EINVAL);
	if (!text)
		return 0;
	close_tag(e);
	e->has_text[e->depth - 1] = true;
	return put_escaped(e, text, false);
}

int gn_emit_end(struct gn_emitter *e)
{
	size_t d;

	if (e->error || e->depth == 0)
		return set_error(e, -EINVAL);
	d = --e->depth;
	if (e->tag_open) {
		e->tag_open = false;
		put(e, "/>\n", 3);
	} else {
		/* children end on a line of their own; text keeps the end tag inline */
		if (e->has_child[d] && !e->has_text[d])
			indent(e, d);
		put(e, "</", 2);
		puts_(e, e->names[d]);
		put(e, ">\n", 2);
	}
	return e->error;
}

int gn_emit_finish(struct gn_emitter *e, char **ret, size_t *ret_len)
{
	if (e->error || e->depth != 0)
		return set_error(e, -EINVAL);
	*ret = e->buf;
	*ret_len = e->len;
	e->buf = NULL;
	e->len = e->size = 0;
	e->error = -EINVAL;  /* the document is ended: nothing more can be added */
	return 0;
}
