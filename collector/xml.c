/*
 * xml.c: the one parse helper (libvirt's virXMLParseHelper) and the attribute helpers of the
 * document readers.
 *
 * A document is read with a byte cap and parsed from memory with XML_PARSE_NONET and no other
 * option: never NOENT (it enables entity substitution and local file reads), HUGE, DTDLOAD,
 * DTDATTR or XINCLUDE.  A DOCTYPE stops the parser from the SAX internalSubset callback, which
 * libxml2 calls after the DOCTYPE's name and external id and before its internal subset, so no
 * entity is ever declared ("billion laughs", external entities naming local files).  libxml2
 * reports through the context's structured error handler and never prints.  The root element
 * chooses the schema (roots[] below), compiled into the library (packaging/embed.sh).  A root
 * with no schema is a foreign document guestnet reads (an OVF descriptor): it is parsed with
 * every rule above but not validated, and its reader checks it in C.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlreader.h>

#include "cleanup.h"
#include "model.h"
#include "xml.h"

/*
 * Root element -> the schema it is validated against.  One line per document kind.  NULL: a
 * foreign document with no guestnet schema (ovf.c), parsed with every safety rule, not
 * schema-validated, checked by its reader in C; such roots come last and are not named as
 * guestnet documents in messages.
 */
static const struct {
	const char *root;
	const char *schema;
} roots[] = {
	{ "guestnet", "settings.rng" },
	{ "site", "site.rng" },
	{ "plan", "plan.rng" },
	{ "Envelope", NULL },
};

/* One parse: the name for messages and the first error met. */
struct parse {
	const char *name;
	long doctype_line;      /* > 0: a DOCTYPE was met on that line and parsing stopped */
	char msg[GN_MAX_ERROR]; /* the first error, "" when none */
};

static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

static void init_libxml_once(void)
{
	xmlInitParser();
	xmlRelaxNGInitTypes();
}

/* libxml2's globals, set up once before any parse: some are lazy and not thread-safe. */
static void init_libxml(void)
{
	pthread_once(&libxml_once, init_libxml_once);
}

/* "'FILE' line N: element 'E': " for messages (line and element where known). */
static void where(char *buf, size_t size, const char *file, long line, const char *element)
{
	if (element && line > 0)
		snprintf(buf, size, "'%s' line %ld: element '%s': ", file, line, element);
	else if (element)
		snprintf(buf, size, "'%s': element '%s': ", file, element);
	else if (line > 0)
		snprintf(buf, size, "'%s' line %ld: ", file, line);
	else
		snprintf(buf, size, "'%s': ", file);
}

static void keep_error(struct parse *p, const xmlError *e)
{
	const xmlNode *n = e->node;
	const char *element = NULL, *message = e->message ? e->message : "unknown error";
	long line = e->line;
	size_t len;

	if (p->msg[0] || e->level < XML_ERR_ERROR)
		return;
	if (n && n->type == XML_ELEMENT_NODE) {
		element = (const char *)n->name;
		line = xmlGetLineNo(n);
	}
	if (e->domain == XML_FROM_RELAXNGV && e->code == XML_RELAXNG_ERR_ATTRVALID) {
		/* libxml2 says "Element E failed to validate attributes", without the node when a
		 * required attribute is missing: say what it means */
		element = e->str1;
		message = "an attribute is missing or has a value the schema does not allow";
	}
	where(p->msg, sizeof(p->msg), p->name, line, element);
	len = strlen(p->msg);
	snprintf(p->msg + len, sizeof(p->msg) - len, "%s", message);
	/* libxml2 messages end in a newline and some add a second line: keep one line */
	for (char *c = p->msg; *c; c++)
		if (*c == '\n')
			*c = ' ';
	for (len = strlen(p->msg); len > 0 && p->msg[len - 1] == ' '; len--)
		p->msg[len - 1] = '\0';
}

/* The parser passes its context: ctxt->userData is the context itself. */
static void parser_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = data;

	if (ctxt && ctxt->_private)
		keep_error(ctxt->_private, e);
}

/* The schema's and the streaming reader's handler: data is the struct parse itself. */
static void parse_error(void *data, xmlErrorPtr e)
{
	keep_error(data, e);
}

/* internalSubset and externalSubset SAX callbacks: stop before any declaration is read. */
static void refuse_doctype(void *data, const xmlChar *name, const xmlChar *external_id,
			   const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = data;
	struct parse *p = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	if (p && p->doctype_line == 0)
		p->doctype_line = ctxt->input && ctxt->input->line > 0 ? ctxt->input->line : 1;
	xmlStopParser(ctxt);
}

static int too_big(const char *name, gn_error *err)
{
	return gn_error_set(err, -E2BIG, "'%s': larger than GN_MAX_XML_BYTES (%u bytes)", name,
			    GN_MAX_XML_BYTES);
}

static int doctype_error(const char *name, long line, gn_error *err)
{
	return gn_error_set(err, -EBADMSG, "'%s' line %ld: DOCTYPE is not allowed (its entities "
			    "could expand without bound or read files)", name, line);
}

/*
 * The encoding an XML declaration at s names, if any, must be UTF-8: libxml2 is told the
 * document is UTF-8, but its streaming reader would still switch to a declared encoding.
 */
static int check_declaration(const char *s, size_t len, const char *name, gn_error *err)
{
	const char *close, *v, *q;

	if (len < 6 || memcmp(s, "<?xml", 5) != 0 || !strchr(" \t\r\n", s[5]))
		return 0;
	close = memmem(s, len, "?>", 2);
	v = close ? memmem(s, (size_t)(close - s), "encoding", 8) : NULL;
	if (!v)
		return 0;  /* none named, or a declaration libxml2 will refuse */
	for (v += 8; v < close && strchr(" \t\r\n=", *v); v++)
		;
	if (v == close || (*v != '"' && *v != '\''))
		return 0;
	q = memchr(v + 1, *v, (size_t)(close - v - 1));
	if (q && q - v - 1 == 5 && strncasecmp(v + 1, "UTF-8", 5) == 0)
		return 0;
	return gn_error_set(err, -EBADMSG, "'%s' line 1: the XML declaration names encoding "
			    "'%.*s': documents must be UTF-8", name,
			    q ? (int)(q - v - 1 > 32 ? 32 : q - v - 1) : 0, v + 1);
}

static long line_at(const char *buf, const char *at)
{
	long line = 1;

	for (; buf < at; buf++)
		line += *buf == '\n';
	return line;
}

/*
 * libxml2 2.9 compares each attribute of a start tag with every one before it: a tag with 10^6
 * attributes costs 10^12 comparisons.  Refuse a tag with more than GN_MAX_XML_ATTRIBUTES before
 * libxml2 sees it, counting the '=' of each tag outside its quoted values.  Comments, CDATA
 * sections and processing instructions are skipped; what is not well-formed is left to libxml2.
 */
static int check_attributes(const char *buf, const char *c, const char *end, const char *name,
			    gn_error *err)
{
	static const struct {
		const char *open, *close;
	} skip[] = { { "<!--", "-->" }, { "<![CDATA[", "]]>" }, { "<?", "?>" } };

	while ((c = memchr(c, '<', (size_t)(end - c)))) {
		const char *tag = c;
		unsigned n = 0;
		size_t i;

		for (i = 0; i < GN_ELEMENTSOF(skip); i++)
			if ((size_t)(end - c) >= strlen(skip[i].open) &&
			    memcmp(c, skip[i].open, strlen(skip[i].open)) == 0)
				break;
		if (i < GN_ELEMENTSOF(skip)) {
			c = memmem(c + strlen(skip[i].open), (size_t)(end - c) - strlen(skip[i].open),
				   skip[i].close, strlen(skip[i].close));
			if (!c)
				return 0;
			continue;
		}
		for (c++; c < end && *c != '>'; c++) {
			if (*c == '"' || *c == '\'') {
				c = memchr(c + 1, *c, (size_t)(end - c - 1));
				if (!c)
					return 0;
			} else if (*c == '=' && ++n > GN_MAX_XML_ATTRIBUTES) {
				return gn_error_set(err, -EBADMSG, "'%s' line %ld: an element has more "
						    "than %u attributes (GN_MAX_XML_ATTRIBUTES)", name,
						    line_at(buf, tag), GN_MAX_XML_ATTRIBUTES);
			}
		}
		if (c == end)
			return 0;
	}
	return 0;
}

/*
 * What every document must pass before libxml2 reads it: not empty, UTF-8 (libxml2 is told so,
 * and check_declaration() refuses another declared encoding), no NUL, no DOCTYPE in the prolog,
 * the only place XML allows one (libxml2 refuses one anywhere else as not well-formed), and no
 * element with more attributes than GN_MAX_XML_ATTRIBUTES.  The prolog is what libxml2 accepts
 * before the root element: a byte order mark, then processing instructions (the XML declaration
 * is one), comments and white space.  The streaming reader has no SAX hook (parse() above has
 * one too), so this check, and to_root() refusing a DOCTYPE node, keep entities out of both.
 */
static int check_bytes(const char *buf, size_t len, const char *name, gn_error *err)
{
	const unsigned char *u = (const unsigned char *)buf;
	const char *nul, *c = buf, *end = buf + len;
	long line = 1;
	int r;

	if (len == 0)
		return gn_error_set(err, -EBADMSG, "'%s': document is empty", name);
	nul = memchr(buf, '\0', len);
	/* UTF-16 and UTF-32 start with a byte order mark or have a zero byte in "<?" */
	if ((len >= 2 && ((u[0] == 0xfe && u[1] == 0xff) || (u[0] == 0xff && u[1] == 0xfe))) ||
	    (nul && nul - buf < 4))
		return gn_error_set(err, -EBADMSG, "'%s': document is not UTF-8 (UTF-16 or UTF-32?)",
				    name);
	/* libxml2 takes a NUL after the root element for the end and ignores what follows */
	if (nul)
		return gn_error_set(err, -EBADMSG, "'%s': NUL byte at offset %zu", name,
				    (size_t)(nul - buf));
	/*
	 * libxml2 guesses an encoding from the first four bytes whatever it is told
	 * (xmlDetectCharEncoding): besides UTF-8 and those refused above, only EBCDIC's "<?xm",
	 * which would let what follows escape every check below
	 */
	if (len >= 4 && memcmp(buf, "\x4c\x6f\xa7\x94", 4) == 0)
		return gn_error_set(err, -EBADMSG, "'%s': document is not UTF-8 (EBCDIC?)", name);

	if (len >= 3 && memcmp(c, "\xef\xbb\xbf", 3) == 0)
		c += 3;
	r = check_declaration(c, (size_t)(end - c), name, err);
	if (r < 0)
		return r;
	while (c < end) {
		const char *close = NULL;

		if (*c == '\n' || *c == ' ' || *c == '\t' || *c == '\r') {
			line += *c++ == '\n';
			continue;
		}
		if (end - c >= 2 && memcmp(c, "<?", 2) == 0)
			close = memmem(c + 2, (size_t)(end - c - 2), "?>", 2);
		else if (end - c >= 4 && memcmp(c, "<!--", 4) == 0)
			close = memmem(c + 4, (size_t)(end - c - 4), "-->", 3);
		else if (end - c >= 9 && memcmp(c, "<!DOCTYPE", 9) == 0)
			return doctype_error(name, line, err);
		if (!close)
			break;  /* the root element, or what libxml2 will refuse */
		close += *close == '?' ? 2 : 3;
		for (; c < close; c++)
			line += *c == '\n';
	}
	return check_attributes(buf, c, end, name, err);
}

/* Parse buf as UTF-8 XML, refusing any DOCTYPE: 0 and the document, or -EBADMSG, -ENOMEM. */
static int parse(const char *buf, size_t len, struct parse *p, xmlDocPtr *ret, gn_error *err)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	int well_formed, r;

	init_libxml();
	r = check_bytes(buf, len, p->name, err);
	if (r < 0)
		return r;
	/* the SAX hook stays as a second line behind check_bytes */
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return gn_error_set(err, -ENOMEM, "out of memory");
	ctxt->_private = p;
	ctxt->sax->serror = parser_error;  /* used as sax->initialized == XML_SAX2_MAGIC */
	ctxt->sax->error = NULL;
	ctxt->sax->warning = NULL;
	ctxt->sax->internalSubset = refuse_doctype;
	ctxt->sax->externalSubset = refuse_doctype;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, p->name, "UTF-8", XML_PARSE_NONET);
	well_formed = ctxt->wellFormed;
	xmlFreeParserCtxt(ctxt);

	if (p->doctype_line > 0) {
		xmlFreeDoc(doc);
		return doctype_error(p->name, p->doctype_line, err);
	}
	if (!doc || !well_formed) {
		xmlFreeDoc(doc);
		if (p->msg[0])
			return gn_error_set(err, -EBADMSG, "%s", p->msg);
		return gn_error_set(err, -EBADMSG, "'%s': not well-formed XML", p->name);
	}
	*ret = doc;
	return 0;
}

static const char *schema_text(const char *name)
{
	for (const struct gn_schema *s = gn_schemas; s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s->text;
	return NULL;
}

/* The schema for the root element of doc, "" for a foreign one, or NULL with err naming the
 * roots known. */
static const char *root_schema(xmlDocPtr doc, const char *name, gn_error *err)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	char known[128] = "";

	for (size_t i = 0; i < GN_ELEMENTSOF(roots); i++) {
		if (root && strcmp((const char *)root->name, roots[i].root) == 0)
			return roots[i].schema ? roots[i].schema : "";
		if (roots[i].schema)
			snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s'%s'",
				 i ? ", " : "", roots[i].root);
	}
	gn_error_set(err, -EBADMSG, "'%s' line %ld: root element '%s' is not a guestnet document "
		     "(expected %s)", name, root ? xmlGetLineNo(root) : 0L,
		     root ? (const char *)root->name : "", known);
	return NULL;
}

/* Compile the schema called name: the schema, or NULL with err set. */
static xmlRelaxNGPtr compile(const char *name, gn_error *err)
{
	const char *text = schema_text(name);
	struct parse p = { .name = name };
	xmlRelaxNGParserCtxtPtr pctxt;
	xmlRelaxNGPtr rng;

	if (!text) {
		gn_error_set(err, -EINVAL, "schema '%s' is not built in", name);
		return NULL;
	}
	init_libxml();
	pctxt = xmlRelaxNGNewMemParserCtxt(text, (int)strlen(text));
	if (!pctxt) {
		gn_error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	xmlRelaxNGSetParserStructuredErrors(pctxt, parse_error, &p);
	rng = xmlRelaxNGParse(pctxt);
	xmlRelaxNGFreeParserCtxt(pctxt);
	if (!rng)
		gn_error_set(err, -EINVAL, "schema '%s' does not compile: %s", name,
			     p.msg[0] ? p.msg : "out of memory?");
	return rng;
}

/* The first error kept in p, else "does not match schema". */
static int invalid(const struct parse *p, const char *schema, gn_error *err)
{
	if (p->msg[0])
		return gn_error_set(err, -EBADMSG, "%s", p->msg);
	return gn_error_set(err, -EBADMSG, "'%s': does not match schema '%s'", p->name, schema);
}

static int validate(xmlDocPtr doc, struct parse *p, gn_error *err)
{
	const char *schema = root_schema(doc, p->name, err);
	xmlRelaxNGValidCtxtPtr vctxt;
	xmlRelaxNGPtr rng;
	int r;

	if (!schema)
		return -EBADMSG;
	if (!schema[0])
		return 0;  /* foreign: its reader checks it */
	rng = compile(schema, err);
	if (!rng)
		return -EINVAL;
	vctxt = xmlRelaxNGNewValidCtxt(rng);
	if (!vctxt) {
		xmlRelaxNGFree(rng);
		return gn_error_set(err, -ENOMEM, "out of memory");
	}
	xmlRelaxNGSetValidStructuredErrors(vctxt, parse_error, p);
	r = xmlRelaxNGValidateDoc(vctxt, doc);
	xmlRelaxNGFreeValidCtxt(vctxt);
	xmlRelaxNGFree(rng);
	return r == 0 ? 0 : invalid(p, schema, err);
}

int gn_xml_parse_memory(const char *buf, size_t len, const char *name, xmlDocPtr *ret,
			gn_error *err)
{
	struct parse p = { .name = name ? name : "(memory)" };
	xmlDocPtr doc = NULL;
	int r;

	if (len > GN_MAX_XML_BYTES)
		return too_big(p.name, err);
	r = parse(buf, len, &p, &doc, err);
	if (r < 0)
		return r;
	r = validate(doc, &p, err);
	if (r < 0) {
		xmlFreeDoc(doc);
		return r;
	}
	*ret = doc;
	return 0;
}

/* Read all of path, but no more than GN_MAX_XML_BYTES: a larger file is refused unread. */
static int read_capped(const char *path, char **ret, size_t *ret_len, gn_error *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 64 << 10;
	struct stat st;
	int r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		r = -errno;
		return gn_error_set(err, r, "cannot open '%s': %s", path, strerror(-r));
	}
	if (S_ISDIR(st.st_mode))
		return gn_error_set(err, -EISDIR, "cannot read '%s': %s", path, strerror(EISDIR));
	if (S_ISREG(st.st_mode)) {
		if (st.st_size > (off_t)GN_MAX_XML_BYTES)
			return too_big(path, err);
		cap = (size_t)st.st_size + 1;  /* + 1 to see the end of file in one read */
	}
	buf = malloc(cap);
	if (!buf)
		return gn_error_set(err, -ENOMEM, "out of memory");
	for (;;) {
		if (len == cap) {
			/* the file grew, or is not a regular file: read on, up to the cap + 1 */
			size_t want = cap > (GN_MAX_XML_BYTES + 1) / 2 ? GN_MAX_XML_BYTES + 1 : cap * 2;
			char *p = realloc(buf, want);
			if (!p)
				return gn_error_set(err, -ENOMEM, "out of memory");
			buf = p;
			cap = want;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			return gn_error_set(err, r, "cannot read '%s': %s", path, strerror(-r));
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > GN_MAX_XML_BYTES)
			return too_big(path, err);
	}
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

int gn_xml_parse_file(const char *path, xmlDocPtr *ret, gn_error *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r;

	r = read_capped(path, &buf, &len, err);
	if (r < 0)
		return r;
	return gn_xml_parse_memory(buf, len, path, ret, err);
}

/*
 * The streaming reader: libxml2's xmlTextReader validating against the schema as it reads, each
 * element child of the root expanded into a small tree, handed to each(), and freed by the
 * reader once it has moved past it.  Memory stays that of one child, not of the document: a
 * plan of 100,000 guests read its settings as a tree in twice the time.
 */
/* What a reader that failed (xmlTextReaderRead -1, Expand NULL) met first. */
static int reader_failed(const struct parse *p, gn_error *err)
{
	if (p->msg[0])
		return gn_error_set(err, -EBADMSG, "%s", p->msg);
	return gn_error_set(err, -EBADMSG, "'%s': not well-formed XML", p->name);
}

/* Move to the root element and check its name: 0, or -EBADMSG. */
static int to_root(xmlTextReaderPtr reader, struct parse *p, const char *root, gn_error *err)
{
	int r;

	while ((r = xmlTextReaderRead(reader)) == 1 &&
	       xmlTextReaderNodeType(reader) != XML_READER_TYPE_ELEMENT)
		if (xmlTextReaderNodeType(reader) == XML_READER_TYPE_DOCUMENT_TYPE)
			return doctype_error(p->name, xmlTextReaderGetParserLineNumber(reader),
					     err);
	if (r != 1)
		return reader_failed(p, err);
	if (strcmp((const char *)xmlTextReaderConstName(reader), root) != 0)
		return gn_error_set(err, -EBADMSG, "'%s' line %d: root element '%s' is not '%s'",
				    p->name, xmlTextReaderGetParserLineNumber(reader),
				    (const char *)xmlTextReaderConstName(reader), root);
	return 0;
}

/*
 * From the root, hand each element child to each(): 0 at the end of the document or when *stop
 * is set (the schema refused the document: its error is the one reported), else -errno.
 */
static int each_child(xmlTextReaderPtr reader, struct parse *p, gn_xml_each_fn each, void *data,
		      const atomic_bool *stop, gn_error *err)
{
	int r = xmlTextReaderRead(reader);

	while (r == 1 && !p->msg[0] && !atomic_load(stop)) {
		xmlNodePtr n;

		if (xmlTextReaderDepth(reader) != 1 ||
		    xmlTextReaderNodeType(reader) != XML_READER_TYPE_ELEMENT) {
			r = xmlTextReaderRead(reader);
			continue;
		}
		n = xmlTextReaderExpand(reader);
		if (!n)
			return reader_failed(p, err);
		r = each(n, data, err);
		if (r < 0)
			return r;
		/* reads (and validates) the rest of the child, then steps to its sibling */
		r = xmlTextReaderNext(reader);
	}
	return r < 0 || p->msg[0] ? reader_failed(p, err) : 0;
}

/* The schema's half of a streamed read, on a thread of its own. */
struct validation {
	const char *buf;
	size_t len;
	const char *name, *schema;
	gn_error err;
	int r;
	atomic_bool failed;      /* r < 0 is known: the other reader may stop */
};

/* Read the whole document with the schema: 0 when valid, else -errno with v->err set. */
static void *validate_stream(void *data)
{
	struct validation *v = data;
	struct parse p = { .name = v->name };
	xmlTextReaderPtr reader;
	xmlRelaxNGPtr rng = compile(v->schema, &v->err);
	int r;

	v->r = -EINVAL;
	if (!rng) {
		atomic_store(&v->failed, true);
		return NULL;
	}
	reader = xmlReaderForMemory(v->buf, (int)v->len, v->name, "UTF-8", XML_PARSE_NONET);
	if (!reader) {
		xmlRelaxNGFree(rng);
		v->r = gn_error_set(&v->err, -ENOMEM, "out of memory");
		atomic_store(&v->failed, true);
		return NULL;
	}
	/* the handler first: the schema's validation context takes it from the reader */
	xmlTextReaderSetStructuredErrorHandler(reader, parse_error, &p);
	if (xmlTextReaderRelaxNGSetSchema(reader, rng) < 0) {
		v->r = gn_error_set(&v->err, -ENOMEM, "out of memory");
	} else {
		while ((r = xmlTextReaderRead(reader)) == 1 && !p.msg[0])
			;
		if (r < 0 || p.msg[0])
			v->r = reader_failed(&p, &v->err);
		else
			v->r = xmlTextReaderIsValid(reader) == 1 ? 0 : invalid(&p, v->schema, &v->err);
	}
	xmlFreeTextReader(reader);
	xmlRelaxNGFree(rng);
	atomic_store(&v->failed, v->r < 0);
	return NULL;
}

/*
 * Two readers over the same bytes, one per core: this thread hands the children to each(), the
 * other validates the document against the schema.  The schema's verdict comes first, so the
 * error reported is the same whatever the timing: a document the schema refuses is refused
 * with the schema's first error; each()'s error is reported only for a valid document.
 */
int gn_xml_each_memory(const char *buf, size_t len, const char *name, const char *root,
		       gn_xml_each_fn each, void *data, gn_error *err)
{
	struct validation v = { .buf = buf, .len = len, .name = name ? name : "(memory)" };
	struct parse p = { .name = v.name };
	xmlTextReaderPtr reader;
	pthread_t thread;
	int r;

	for (size_t i = 0; i < GN_ELEMENTSOF(roots); i++)
		if (strcmp(roots[i].root, root) == 0)
			v.schema = roots[i].schema;
	if (!v.schema)
		return gn_error_set(err, -EINVAL, "no schema for root element '%s'", root);
	if (len > GN_MAX_XML_BYTES)
		return too_big(p.name, err);
	init_libxml();
	r = check_bytes(buf, len, p.name, err);
	if (r < 0)
		return r;
	reader = xmlReaderForMemory(buf, (int)len, p.name, "UTF-8", XML_PARSE_NONET);
	if (!reader)
		return gn_error_set(err, -ENOMEM, "out of memory");
	xmlTextReaderSetStructuredErrorHandler(reader, parse_error, &p);
	/* a document of another kind is refused for that, not for what its schema would say */
	r = to_root(reader, &p, root, err);
	if (r == 0)
		r = -pthread_create(&thread, NULL, validate_stream, &v);
	if (r < 0) {
		xmlFreeTextReader(reader);
		return r == -EBADMSG ? r : gn_error_set(err, r, "cannot start a thread: %s",
							 strerror(-r));
	}
	r = each_child(reader, &p, each, data, &v.failed, err);
	xmlFreeTextReader(reader);
	pthread_join(thread, NULL);
	if (v.r < 0)
		return gn_error_set(err, v.r, "%s", v.err.msg);
	return r;
}

int gn_xml_each_file(const char *path, const char *root, gn_xml_each_fn each, void *data,
		     gn_error *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r;

	r = read_capped(path, &buf, &len, err);
	if (r < 0)
		return r;
	return gn_xml_each_memory(buf, len, path, root, each, data, err);
}

void gn_xml_freep(xmlDocPtr *doc)
{
	xmlFreeDoc(*doc);
}

bool gn_xml_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

int gn_xml_error(gn_error *err, int r, const xmlNode *n, const char *fmt, ...)
{
	const char *file = n->doc && n->doc->URL ? (const char *)n->doc->URL : "(memory)";
	char prefix[GN_MAX_ERROR], msg[GN_MAX_ERROR];
	va_list ap;

	if (!err)
		return r;
	where(prefix, sizeof(prefix), file, xmlGetLineNo(n), (const char *)n->name);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return gn_error_set(err, r, "%s%s", prefix, msg);
}

int gn_xml_attr(const xmlNode *n, const char *name, bool required, char **ret, gn_error *err)
{
	xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
	char *copy;

	if (!v) {
		if (required)
			return gn_xml_error(err, -EBADMSG, n, "attribute '%s' is missing", name);
		return 0;
	}
	if (strlen((const char *)v) > GN_MAX_STRING) {
		xmlFree(v);
		return gn_xml_error(err, -E2BIG, n, "attribute '%s' is longer than GN_MAX_STRING "
				    "(%d bytes)", name, GN_MAX_STRING);
	}
	copy = strdup((const char *)v);
	xmlFree(v);
	if (!copy)
		return gn_error_set(err, -ENOMEM, "out of memory");
	*ret = copy;
	return 1;
}

/*
 * An attribute of a schema type that collapses white space (integers, times, enumerations):
 * the schema accepted " 24 ", so the value is read without the XML white space around it.
 */
static int attr_token(const xmlNode *n, const char *name, bool required, char **ret,
		      gn_error *err)
{
	static const char space[] = " \t\r\n";
	char *v = NULL;
	size_t skip, len;
	int r = gn_xml_attr(n, name, required, &v, err);

	if (r <= 0)
		return r;
	skip = strspn(v, space);
	len = strlen(v + skip);
	while (len > 0 && strchr(space, v[skip + len - 1]))
		len--;
	memmove(v, v + skip, len);
	v[len] = '\0';
	*ret = v;
	return 1;
}

int gn_xml_attr_int(const xmlNode *n, const char *name, bool required, int64_t min, int64_t max,
		    int64_t *ret, gn_error *err)
{
	_cleanup_free_ char *v = NULL;
	long long x;
	char *end;
	int r = attr_token(n, name, required, &v, err);

	if (r <= 0)
		return r;
	errno = 0;
	x = strtoll(v, &end, 10);
	/* xsd:long: an optional sign and digits, nothing else */
	if (!strchr("+-0123456789", v[0]) || end == v || *end)
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': '%s' is not an integer",
				    name, v);
	if (errno == ERANGE || x < min || x > max)
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': %s is out of range %" PRId64
				    "..%" PRId64, name, v, min, max);
	*ret = x;
	return 1;
}

int gn_xml_attr_ip(const xmlNode *n, const char *name, bool required, int family,
		   struct gn_ip *ret, gn_error *err)
{
	_cleanup_free_ char *v = NULL;
	struct gn_ip ip;
	int r = attr_token(n, name, required, &v, err);

	if (r <= 0)
		return r;
	/* a zone index ("fe80::1%12") names an interface of one machine: never in a document */
	r = strchr(v, '%') ? -EINVAL : family ? gn_ip_parse_family(v, family, &ip) :
		gn_ip_parse(v, &ip);
	if (r < 0)
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': '%s' is not an %s address",
				    name, v, family == GN_AF_INET ? "IPv4" :
				    family == GN_AF_INET6 ? "IPv6" : "IP");
	*ret = ip;
	return 1;
}

int gn_xml_attr_enum(const xmlNode *n, const char *name, bool required,
		     int (*from_name)(const char *), int *ret, gn_error *err)
{
	_cleanup_free_ char *v = NULL;
	int r = attr_token(n, name, required, &v, err);

	if (r <= 0)
		return r;
	r = from_name(v);
	if (r < 0)
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': '%s' is not a known value",
				    name, v);
	*ret = r;
	return 1;
}

static int bool_from_name(const char *s)
{
	return strcmp(s, "true") == 0 ? 1 : strcmp(s, "false") == 0 ? 0 : -1;
}

int gn_xml_attr_bool(const xmlNode *n, const char *name, bool required, int *ret, gn_error *err)
{
	return gn_xml_attr_enum(n, name, required, bool_from_name, ret, err);
}

int gn_xml_attr_time(const xmlNode *n, const char *name, bool required, int64_t *ret,
		     gn_error *err)
{
	_cleanup_free_ char *v = NULL;
	int r = attr_token(n, name, required, &v, err);

	if (r <= 0)
		return r;
	if (gn_xml_time_parse(v, ret) < 0)
		return gn_xml_error(err, -EBADMSG, n, "attribute '%s': '%s' is not a time from 1970 "
				    "to 9999 as YYYY-MM-DDTHH:MM:SSZ", name, v);
	return 1;
}

int gn_xml_text(const xmlNode *n, char **ret, gn_error *err)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *copy;

	if (!v)
		return gn_error_set(err, -ENOMEM, "out of memory");
	if (strlen((const char *)v) > GN_MAX_STRING) {
		xmlFree(v);
		return gn_xml_error(err, -E2BIG, n, "text is longer than GN_MAX_STRING (%d bytes)",
				    GN_MAX_STRING);
	}
	copy = strdup((const char *)v);
	xmlFree(v);
	if (!copy)
		return gn_error_set(err, -ENOMEM, "out of memory");
	*ret = copy;
	return 0;
}
