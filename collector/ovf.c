/*
 * ovf.c: an OVF descriptor into struct gn_ovf (ovf.h).
 *
 * The walk: the Envelope's References (every File's href must be a plain file name, whether or
 * not a disk uses it) and DiskSection (disks by id), then its one VirtualSystem: the name, the
 * items of its first VirtualHardwareSection, the hard disk items (ResourceType 17) resolved
 * through the DiskSection to their files, the NIC items (ResourceType 10), and VirtualBox's
 * MACs where the items have none.  Only the disks the VM uses are resolved, so a DiskSection
 * entry of another kind (VirtualBox lists ISO images there) is no error.  Ids are looked up by
 * comparing every pair, which the GN_OVF_MAX_* caps keep to a few thousand comparisons.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "cleanup.h"
#include "model.h"
#include "ovf.h"
#include "xml.h"

#define NS_OVF1 "http://schemas.dmtf.org/ovf/envelope/1"
#define NS_OVF2 "http://schemas.dmtf.org/ovf/envelope/2"
#define NS_CIM "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
#define NS_RASD NS_CIM "CIM_ResourceAllocationSettingData"
#define NS_SASD NS_CIM "CIM_StorageAllocationSettingData"
#define NS_EPASD NS_CIM "CIM_EthernetPortAllocationSettingData"
#define NS_VBOX "http://www.virtualbox.org/ovf/machine"

#define RESOURCE_NIC 10
#define RESOURCE_DISK 17

#define LIMIT(x) (size_t)(x), #x

/* An order key that was not given: after every one that was. */
#define UNKNOWN UINT64_MAX

/*
 * ovf:format URIs, compared ignoring case as VirtualBox does.  oVirt and virt-v2v write the
 * "Byte" one for raw and qcow2 alike (their ovf:volume-format says which): taken as raw, a
 * qcow2 image only fails to inspect, whereas raw data taken as qcow2 could name a backing file.
 */
static const struct {
	const char *uri, *format;
} formats[] = {
	{ "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized", "vmdk" },
	{ "http://www.vmware.com/interfaces/specifications/vmdk.html#sparse", "vmdk" },
	{ "http://www.vmware.com/interfaces/specifications/vmdk.html#compressed", "vmdk" },
	{ "http://www.vmware.com/specifications/vmdk.html#sparse", "vmdk" },
	{ "http://www.vmware.com/specifications/vmdk.html#compressed", "vmdk" },
	{ "http://www.gnome.org/~markmc/qcow-image-format.html", "qcow2" },
	{ "http://people.gnome.org/~markmc/qcow-image-format.html", "qcow2" },
	{ "http://en.wikipedia.org/wiki/Byte", "raw" },
};

/* Item elements (in the envelope's namespace) and the namespace of their fields. */
static const struct {
	const char *element, *ns;
} item_kinds[] = {
	{ "Item", NS_RASD },
	{ "StorageItem", NS_SASD },           /* OVF 2 */
	{ "EthernetPortItem", NS_EPASD },     /* OVF 2 */
};

/* A File of References, or a Disk of the DiskSection (href NULL). */
struct entry {
	xmlNode *n;
	char *id, *href;
};

struct item {
	xmlNode *n;
	const char *ns;     /* of its fields */
	uint64_t type;      /* ResourceType, 0 when absent */
	char *instance_id;  /* NULL when absent */
	uint64_t key[3];    /* the order of NICs or disks, the last key the item's index */
	xmlNode *disk;      /* a hard disk item: the Disk its HostResource names */
};

struct reader {
	const char *ovf;    /* the envelope's namespace */
	GN_ARRAY(struct entry) files;
	GN_ARRAY(struct entry) disks;
	GN_ARRAY(struct item) items;
	gn_error *err;
};

static void reader_release(struct reader *rd)
{
	for (size_t i = 0; i < rd->files.n; i++) {
		free(rd->files.v[i].id);
		free(rd->files.v[i].href);
	}
	for (size_t i = 0; i < rd->disks.n; i++)
		free(rd->disks.v[i].id);
	for (size_t i = 0; i < rd->items.n; i++)
		free(rd->items.v[i].instance_id);
	free(rd->files.v);
	free(rd->disks.v);
	free(rd->items.v);
}

static int oom(gn_error *err)
{
	return gn_error_set(err, -ENOMEM, "out of memory");
}

/* The result r of a GN_ARRAY_PUSH for element n: 0, or the error. */
static int pushed(int r, const xmlNode *n, const char *what, size_t max, const char *limit,
		  gn_error *err)
{
	if (r == -E2BIG)
		return gn_xml_error(err, r, n, "more than %zu %s (%s)", max, what, limit);
	return r < 0 ? oom(err) : 0;
}

/* Whether ns is base, or base ".xsd" as VirtualBox names the OVF 2 ones. */
static bool ns_is(const xmlNs *ns, const char *base)
{
	size_t len = strlen(base);
	const char *href = ns && ns->href ? (const char *)ns->href : "";

	return strncmp(href, base, len) == 0 && (!href[len] || strcmp(href + len, ".xsd") == 0);
}

/* Whether n is the element name in namespace ns (NULL: any namespace). */
static bool is(const xmlNode *n, const char *ns, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && (!ns || ns_is(n->ns, ns)) &&
	       strcmp((const char *)n->name, name) == 0;
}

/* The first child of n that is(ns, name), or NULL (also for n NULL). */
static xmlNode *child(xmlNode *n, const char *ns, const char *name)
{
	for (xmlNode *c = n ? xmlFirstElementChild(n) : NULL; c; c = xmlNextElementSibling(c))
		if (is(c, ns, name))
			return c;
	return NULL;
}

static char *trim(char *s)
{
	static const char space[] = " \t\r\n";
	size_t len;

	s += strspn(s, space);
	len = strlen(s);
	while (len > 0 && strchr(space, s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* v, what of element n, into the new string *ret (NULL when empty), checked as model text. */
static int keep(const xmlNode *n, const char *what, const char *v, char **ret, gn_error *err)
{
	int r = gn_set_string(ret, v);

	if (r == -ENOMEM)
		return oom(err);
	if (r == -E2BIG)
		return gn_xml_error(err, r, n, "%s is longer than GN_MAX_STRING (%d bytes)", what,
				    GN_MAX_STRING);
	if (r < 0)
		return gn_xml_error(err, -EBADMSG, n, "%s is not valid text", what);
	return 0;
}

/* Attribute ovf:name of n into the new string *ret: NULL when absent or empty, unless required. */
static int attr(struct reader *rd, const xmlNode *n, const char *name, bool required, char **ret)
{
	xmlChar *v = xmlGetNsProp(n, BAD_CAST name, BAD_CAST rd->ovf);
	char what[64];
	int r;

	snprintf(what, sizeof(what), "attribute 'ovf:%s'", name);
	r = v ? keep(n, what, (const char *)v, ret, rd->err) : 0;
	xmlFree(v);
	if (r == 0 && required && !*ret)
		return gn_xml_error(rd->err, -EBADMSG, n, "%s is missing or empty", what);
	return r;
}

/* s, a decimal number without sign or spaces: 0, or -EINVAL (also past UINT64_MAX). */
static int parse_u64(const char *s, uint64_t *ret)
{
	return gn_parse_decimal(s, strlen(s), UINT64_MAX, ret);
}

/* The trimmed text of the item's field NAME (rasd:, sasd: or epasd:) into *ret, NULL: absent. */
static int field(const struct item *it, const char *name, char **ret, gn_error *err)
{
	xmlNode *f = child(it->n, it->ns, name);
	_cleanup_free_ char *v = NULL;
	char what[64];
	int r;

	if (!f)
		return 0;
	r = gn_xml_text(f, &v, err);
	if (r < 0)
		return r;
	snprintf(what, sizeof(what), "the text of '%s'", name);
	return keep(f, what, trim(v), ret, err);
}

/* A numeric field as an order key: UNKNOWN when absent or not a number (it only orders). */
static int field_key(const struct item *it, const char *name, uint64_t *ret, gn_error *err)
{
	_cleanup_free_ char *v = NULL;
	int r = field(it, name, &v, err);

	*ret = UNKNOWN;
	if (r < 0)
		return r;
	if (v)
		parse_u64(v, ret);
	return 0;
}

static const struct entry *find(const struct entry *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id && strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

/* The id of entry e (the last of v) must not be used before it. */
static int unique(struct reader *rd, const struct entry *v, size_t n, const char *what)
{
	const struct entry *e = &v[n - 1], *first = find(v, n - 1, e->id);

	if (first)
		return gn_xml_error(rd->err, -EBADMSG, e->n, "%s id '%s' is used twice (first on "
				    "line %ld)", what, e->id, xmlGetLineNo(first->n));
	return 0;
}

/*
 * The href is opened inside the OVA or beside the descriptor: it must be a plain file name,
 * never a path out of the backup, a URL to fetch, or a folder.
 */
static int check_href(struct reader *rd, const struct entry *f)
{
	const char *why = NULL;

	if (strchr(f->href, ':'))
		why = "it has a ':', as a URL has";
	else if (strpbrk(f->href, "/\\"))
		why = "it has a '/' or '\\'";
	else if (strcmp(f->href, ".") == 0 || strstr(f->href, ".."))
		why = "it is '.' or has '..'";
	else if (strpbrk(f->href, "\t\r\n"))
		why = "it has a control character";
	if (why)
		return gn_xml_error(rd->err, -EBADMSG, f->n, "attribute 'ovf:href': '%s' is not a "
				    "plain file name (%s)", f->href, why);
	return 0;
}

static int read_files(struct reader *rd, xmlNode *refs)
{
	for (xmlNode *c = child(refs, rd->ovf, "File"); c; c = xmlNextElementSibling(c)) {
		struct entry *f;
		int r;

		if (!is(c, rd->ovf, "File"))
			continue;
		r = GN_ARRAY_PUSH(&rd->files, GN_OVF_MAX_FILES, &f);
		if ((r = pushed(r, c, "files", LIMIT(GN_OVF_MAX_FILES), rd->err)) < 0)
			return r;
		f->n = c;
		if ((r = attr(rd, c, "id", true, &f->id)) < 0 ||
		    (r = unique(rd, rd->files.v, rd->files.n, "file")) < 0 ||
		    (r = attr(rd, c, "href", true, &f->href)) < 0 || (r = check_href(rd, f)) < 0)
			return r;
	}
	return 0;
}

static int read_disk_section(struct reader *rd, xmlNode *section)
{
	for (xmlNode *c = child(section, rd->ovf, "Disk"); c; c = xmlNextElementSibling(c)) {
		struct entry *d;
		int r;

		if (!is(c, rd->ovf, "Disk"))
			continue;
		r = GN_ARRAY_PUSH(&rd->disks, GN_OVF_MAX_DISKS, &d);
		if ((r = pushed(r, c, "disks", LIMIT(GN_OVF_MAX_DISKS), rd->err)) < 0)
			return r;
		d->n = c;
		if ((r = attr(rd, c, "diskId", true, &d->id)) < 0 ||
		    (r = unique(rd, rd->disks.v, rd->disks.n, "disk")) < 0)
			return r;
	}
	return 0;
}

static int read_name(struct reader *rd, xmlNode *vs, struct gn_ovf *o)
{
	xmlNode *n = child(vs, rd->ovf, "Name");
	_cleanup_free_ char *v = NULL;
	int r;

	if (n) {
		if ((r = gn_xml_text(n, &v, rd->err)) < 0 ||
		    (r = keep(n, "the name", trim(v), &o->name, rd->err)) < 0)
			return r;
		if (o->name)
			return 0;
	}
	return attr(rd, vs, "id", true, &o->name);
}

static const char *item_ns(struct reader *rd, const xmlNode *n)
{
	for (size_t i = 0; i < GN_ELEMENTSOF(item_kinds); i++)
		if (is(n, rd->ovf, item_kinds[i].element))
			return item_kinds[i].ns;
	return NULL;
}

/* The items of the VirtualHardwareSection, with their type and InstanceID. */
static int read_items(struct reader *rd, xmlNode *section)
{
	for (xmlNode *c = xmlFirstElementChild(section); c; c = xmlNextElementSibling(c)) {
		const char *ns = item_ns(rd, c);
		_cleanup_free_ char *type = NULL;
		struct item *it;
		int r;

		if (!ns)
			continue;
		r = GN_ARRAY_PUSH(&rd->items, GN_OVF_MAX_ITEMS, &it);
		if ((r = pushed(r, c, "items", LIMIT(GN_OVF_MAX_ITEMS), rd->err)) < 0)
			return r;
		it->n = c;
		it->ns = ns;
		if ((r = field(it, "InstanceID", &it->instance_id, rd->err)) < 0 ||
		    (r = field(it, "ResourceType", &type, rd->err)) < 0)
			return r;
		if (type && (parse_u64(type, &it->type) < 0 || it->type > UINT16_MAX))
			return gn_xml_error(rd->err, -EBADMSG, c, "ResourceType '%s' is not a "
					    "number from 0 to 65535", type);
	}
	return 0;
}

static int compare_keys(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	for (size_t i = 0; i < GN_ELEMENTSOF(x->key); i++)
		if (x->key[i] != y->key[i])
			return x->key[i] < y->key[i] ? -1 : 1;
	return 0;
}

/* Copies of the items of type, in document order, their order keys UNKNOWN but the last. */
static int select_items(struct reader *rd, uint64_t type, size_t max, const char *limit,
			struct item **ret, size_t *ret_n)
{
	size_t n = 0;
	struct item *v;

	for (size_t i = 0; i < rd->items.n; i++)
		if (rd->items.v[i].type == type && ++n > max)
			return gn_xml_error(rd->err, -E2BIG, rd->items.v[i].n, "more than %zu items "
					    "of ResourceType %u (%s)", max, (unsigned)type, limit);
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return oom(rd->err);
	n = 0;
	for (size_t i = 0; i < rd->items.n; i++)
		if (rd->items.v[i].type == type) {
			v[n] = rd->items.v[i];
			v[n].key[0] = v[n].key[1] = UNKNOWN;
			v[n++].key[2] = i;
		}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* The place of the controller whose InstanceID is the item's Parent, or UNKNOWN. */
static int controller(struct reader *rd, const struct item *it, uint64_t *ret)
{
	_cleanup_free_ char *parent = NULL;
	int r = field(it, "Parent", &parent, rd->err);

	*ret = UNKNOWN;
	for (size_t i = 0; r == 0 && parent && i < rd->items.n; i++)
		if (rd->items.v[i].instance_id && strcmp(rd->items.v[i].instance_id, parent) == 0) {
			*ret = i;
			break;
		}
	return r;
}

/* The DiskSection disk a hard disk item's HostResource names ("ovf:/disk/ID"). */
static int host_disk(struct reader *rd, struct item *it)
{
	static const char *const prefixes[] = { "ovf:/disk/", "/disk/", "ovf://disk/" };
	_cleanup_free_ char *host = NULL;
	const struct entry *d = NULL;
	int r = field(it, "HostResource", &host, rd->err);

	if (r < 0)
		return r;
	for (size_t i = 0; host && !d && i < GN_ELEMENTSOF(prefixes); i++)
		if (strncmp(host, prefixes[i], strlen(prefixes[i])) == 0) {
			d = find(rd->disks.v, rd->disks.n, host + strlen(prefixes[i]));
			if (!d)
				return gn_xml_error(rd->err, -EBADMSG, it->n, "HostResource '%s' names "
						    "no Disk of the DiskSection", host);
		}
	if (!d)
		return gn_xml_error(rd->err, -EBADMSG, it->n, "hard disk HostResource '%s' is not "
				    "'ovf:/disk/ID'", host ? host : "");
	it->disk = d->n;
	return 0;
}

/* "byte", "byte * 2^30", "byte * 10^3" (DSP0004 programmatic units): the multiplier. */
static int allocation_units(const char *s, uint64_t *ret)
{
	unsigned base, exp;
	uint64_t m = 1;
	int n = -1;

	sscanf(s, " byte %n", &n);
	if (n < 0 || s[n]) {
		n = -1;
		if (sscanf(s, " byte * %u ^ %u %n", &base, &exp, &n) != 2 || n < 0 || s[n] ||
		    (base != 2 && base != 10))
			return -EINVAL;
		for (unsigned i = 0; i < exp; i++) {
			if (m > UINT64_MAX / base)
				return -ERANGE;
			m *= base;
		}
	}
	*ret = m;
	return 0;
}

static int read_capacity(struct reader *rd, xmlNode *n, uint64_t *ret)
{
	_cleanup_free_ char *cap = NULL, *units = NULL;
	uint64_t c, m = 1;
	int r;

	if ((r = attr(rd, n, "capacity", true, &cap)) < 0 ||
	    (r = attr(rd, n, "capacityAllocationUnits", false, &units)) < 0)
		return r;
	if (parse_u64(trim(cap), &c) < 0)
		return gn_xml_error(rd->err, -EBADMSG, n, "attribute 'ovf:capacity': '%s' is not a "
				    "number", cap);
	if (units && allocation_units(units, &m) < 0)
		return gn_xml_error(rd->err, -EBADMSG, n, "attribute 'ovf:capacityAllocationUnits': "
				    "'%s' is not 'byte', 'byte * 2^N' or 'byte * 10^N' within 64 bits",
				    units);
	if (m && c > UINT64_MAX / m)
		return gn_xml_error(rd->err, -EBADMSG, n, "capacity %s x '%s' is more than 64 bits",
				    cap, units);
	*ret = c * m;
	return 0;
}

/* What guestnet cannot read of a disk's file: compression, chunks; its size. */
static int read_file_size(struct reader *rd, const struct entry *f, int64_t *ret)
{
	_cleanup_free_ char *compression = NULL, *chunk = NULL, *size = NULL;
	uint64_t s;
	int r;

	if ((r = attr(rd, f->n, "compression", false, &compression)) < 0 ||
	    (r = attr(rd, f->n, "chunkSize", false, &chunk)) < 0 ||
	    (r = attr(rd, f->n, "size", false, &size)) < 0)
		return r;
	if (compression && strcmp(compression, "identity") != 0)
		return gn_xml_error(rd->err, -EOPNOTSUPP, f->n, "file '%s' is compressed ('%s'), "
				    "which guestnet does not read: export the VM without compression",
				    f->href, compression);
	if (chunk)
		return gn_xml_error(rd->err, -EOPNOTSUPP, f->n, "file '%s' is split into chunks "
				    "(ovf:chunkSize), which guestnet does not read", f->href);
	*ret = -1;
	if (size && (parse_u64(trim(size), &s) < 0 || s > INT64_MAX))
		return gn_xml_error(rd->err, -EBADMSG, f->n, "attribute 'ovf:size': '%s' is not a "
				    "number of bytes", size);
	if (size)
		*ret = (int64_t)s;
	return 0;
}

/* The Disk n of the DiskSection as a disk of o, unless it has no file (a blank disk). */
static int add_disk(struct reader *rd, xmlNode *n, struct gn_ovf *o)
{
	_cleanup_free_ char *id = NULL, *file_ref = NULL, *parent = NULL, *uri = NULL;
	const char *format = NULL;
	const struct entry *f;
	struct gn_ovf_disk *d;
	int64_t size = -1;
	uint64_t capacity = 0;
	int r;

	if ((r = attr(rd, n, "diskId", true, &id)) < 0 ||
	    (r = attr(rd, n, "fileRef", false, &file_ref)) < 0 ||
	    (r = attr(rd, n, "parentRef", false, &parent)) < 0)
		return r;
	for (size_t i = 0; i < o->disks.n; i++)
		if (strcmp(o->disks.v[i].disk_id, id) == 0)
			return gn_xml_error(rd->err, -EBADMSG, n, "disk '%s' is attached twice", id);
	if (!file_ref)
		return 0;
	f = find(rd->files.v, rd->files.n, file_ref);
	if (!f)
		return gn_xml_error(rd->err, -EBADMSG, n, "attribute 'ovf:fileRef': no File '%s' in "
				    "References", file_ref);
	if (parent)
		return gn_xml_error(rd->err, -EOPNOTSUPP, n, "disk '%s' is a differencing disk of "
				    "'%s' (ovf:parentRef), which guestnet does not read", id, parent);
	if ((r = attr(rd, n, "format", true, &uri)) < 0)
		return r;
	for (size_t i = 0; !format && i < GN_ELEMENTSOF(formats); i++)
		if (strcasecmp(uri, formats[i].uri) == 0)
			format = formats[i].format;
	if (!format)
		return gn_xml_error(rd->err, -EOPNOTSUPP, n, "attribute 'ovf:format': disk format "
				    "'%s' is not one guestnet reads (vmdk, raw, qcow2)", uri);
	if ((r = read_capacity(rd, n, &capacity)) < 0 || (r = read_file_size(rd, f, &size)) < 0)
		return r;

	r = GN_ARRAY_PUSH(&o->disks, GN_OVF_MAX_DISKS, &d);
	if ((r = pushed(r, n, "disks", LIMIT(GN_OVF_MAX_DISKS), rd->err)) < 0)
		return r;
	d->disk_id = TAKE_PTR(id);
	d->href = strdup(f->href);
	if (!d->href)
		return oom(rd->err);
	d->format = format;
	d->capacity = capacity;
	d->size = size;
	d->line = xmlGetLineNo(n);
	return 0;
}

/* Hard disk items by controller, AddressOnParent, document order; their disks into o. */
static int read_disks(struct reader *rd, struct gn_ovf *o)
{
	_cleanup_free_ struct item *v = NULL;
	size_t n;
	int r = select_items(rd, RESOURCE_DISK, LIMIT(GN_OVF_MAX_DISKS), &v, &n);

	for (size_t i = 0; r == 0 && i < n; i++) {
		r = host_disk(rd, &v[i]);
		if (r == 0)
			r = controller(rd, &v[i], &v[i].key[0]);
		if (r == 0)
			r = field_key(&v[i], "AddressOnParent", &v[i].key[1], rd->err);
	}
	if (r < 0)
		return r;
	qsort(v, n, sizeof(*v), compare_keys);
	for (size_t i = 0; i < n; i++)
		if ((r = add_disk(rd, v[i].disk, o)) < 0)
			return r;
	return 0;
}

/* The MAC v of element n, normalized, into the new string *ret. */
static int read_mac(struct reader *rd, const xmlNode *n, const char *v, char **ret)
{
	char buf[GN_MAC_TEXT_MAX];

	if (gn_mac_normalize(v, buf) < 0)
		return gn_xml_error(rd->err, -EBADMSG, n, "'%s' is not a MAC address", v);
	return keep(n, "the MAC", buf, ret, rd->err);
}

/* NIC items by AddressOnParent, InstanceID, document order, into o. */
static int read_nics(struct reader *rd, struct gn_ovf *o)
{
	_cleanup_free_ struct item *v = NULL;
	size_t n;
	int r = select_items(rd, RESOURCE_NIC, LIMIT(GN_OVF_MAX_NICS), &v, &n);

	for (size_t i = 0; r == 0 && i < n; i++) {
		r = field_key(&v[i], "AddressOnParent", &v[i].key[0], rd->err);
		if (v[i].instance_id)
			parse_u64(v[i].instance_id, &v[i].key[1]);
	}
	if (r < 0)
		return r;
	qsort(v, n, sizeof(*v), compare_keys);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *mac = NULL;
		struct gn_ovf_nic *nic;

		r = GN_ARRAY_PUSH(&o->nics, GN_OVF_MAX_NICS, &nic);
		if ((r = pushed(r, v[i].n, "NICs", LIMIT(GN_OVF_MAX_NICS), rd->err)) < 0)
			return r;
		nic->line = xmlGetLineNo(v[i].n);
		if ((r = field(&v[i], "Connection", &nic->network, rd->err)) < 0 ||
		    (r = field(&v[i], "ElementName", &nic->element_name, rd->err)) < 0 ||
		    (r = field(&v[i], "Address", &mac, rd->err)) < 0 ||
		    (mac && (r = read_mac(rd, child(v[i].n, v[i].ns, "Address"), mac,
					  &nic->mac)) < 0))
			return r;
	}
	return 0;
}

struct adapter {
	int64_t slot;
	size_t index;
	char mac[GN_MAC_TEXT_MAX];  /* "" when not given */
};

static int compare_slots(const void *a, const void *b)
{
	const struct adapter *x = a, *y = b;

	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * VirtualBox keeps MACs out of its items, in its own machine configuration:
 * <vbox:Machine><Hardware><Network><Adapter slot="0" enabled="true" MACAddress="080027AABBCC">.
 * It exports one NIC item per enabled adapter, in slot order, so the two are matched in that
 * order.  It writes the children of vbox:Machine without a prefix, so they fall in the
 * envelope's default namespace: they are matched by name alone.
 */
static int vbox_macs(struct reader *rd, xmlNode *vs, struct gn_ovf *o)
{
	xmlNode *machine = child(vs, NS_VBOX, "Machine"), *net;
	struct adapter a[GN_OVF_MAX_NICS];
	size_t n = 0;
	bool missing = false;
	int r;

	for (size_t i = 0; i < o->nics.n; i++)
		missing |= !o->nics.v[i].mac;
	if (!machine || !missing)
		return 0;
	net = child(child(machine, NULL, "Hardware"), NULL, "Network");
	for (xmlNode *c = child(net, NULL, "Adapter"); c; c = xmlNextElementSibling(c)) {
		_cleanup_free_ char *mac = NULL;
		int enabled = 0;

		if (!is(c, NULL, "Adapter"))
			continue;
		if ((r = gn_xml_attr_bool(c, "enabled", false, &enabled, rd->err)) < 0)
			return r;
		if (!enabled)
			continue;
		if (n == GN_OVF_MAX_NICS)
			return gn_xml_error(rd->err, -E2BIG, c, "more than %d enabled network "
					    "adapters (GN_OVF_MAX_NICS)", GN_OVF_MAX_NICS);
		a[n].index = n;
		a[n].mac[0] = '\0';
		if ((r = gn_xml_attr_int(c, "slot", true, 0, INT32_MAX, &a[n].slot, rd->err)) < 0 ||
		    (r = gn_xml_attr(c, "MACAddress", false, &mac, rd->err)) < 0)
			return r;
		if (mac && gn_mac_normalize(mac, a[n].mac) < 0)
			return gn_xml_error(rd->err, -EBADMSG, c, "attribute 'MACAddress': '%s' is not "
					    "a MAC address", mac);
		n++;
	}
	if (n != o->nics.n)
		return gn_xml_error(rd->err, -EBADMSG, machine, "%zu enabled network adapters for "
				    "%zu NIC items: which MAC is whose is not known", n, o->nics.n);
	qsort(a, n, sizeof(*a), compare_slots);
	for (size_t i = 0; i < n; i++)
		if (!o->nics.v[i].mac && a[i].mac[0] && !(o->nics.v[i].mac = strdup(a[i].mac)))
			return oom(rd->err);
	return 0;
}

static int load(xmlDoc *doc, struct gn_ovf **ret, gn_error *err)
{
	_cleanup_(reader_release) struct reader rd = { .err = err };
	_cleanup_(gn_ovf_freep) struct gn_ovf *o = NULL;
	xmlNode *root = xmlDocGetRootElement(doc), *vs = NULL, *refs = NULL, *disks = NULL, *hw;
	int r;

	if (!is(root, NS_OVF1, "Envelope") && !is(root, NS_OVF2, "Envelope"))
		return gn_xml_error(err, -EBADMSG, root, "not an OVF descriptor (an Envelope of "
				    "namespace '%s' or '%s')", NS_OVF1, NS_OVF2);
	rd.ovf = (const char *)root->ns->href;
	for (xmlNode *c = xmlFirstElementChild(root); c; c = xmlNextElementSibling(c)) {
		if (is(c, rd.ovf, "VirtualSystemCollection"))
			return gn_xml_error(err, -EOPNOTSUPP, c, "a collection of virtual systems: "
					    "guestnet exports one VM per backup");
		if (is(c, rd.ovf, "VirtualSystem") && vs)
			return gn_xml_error(err, -EOPNOTSUPP, c, "a second VirtualSystem (the first "
					    "on line %ld): guestnet exports one VM per backup",
					    xmlGetLineNo(vs));
		if (is(c, rd.ovf, "VirtualSystem"))
			vs = c;
		else if (is(c, rd.ovf, "References") && !refs)
			refs = c;
		else if (is(c, rd.ovf, "DiskSection") && !disks)
			disks = c;
	}
	if (!vs)
		return gn_xml_error(err, -EBADMSG, root, "no VirtualSystem: this descriptor "
				    "describes no VM");
	hw = child(vs, rd.ovf, "VirtualHardwareSection");
	if (!hw)
		return gn_xml_error(err, -EBADMSG, vs, "no VirtualHardwareSection");

	o = calloc(1, sizeof(*o));
	if (!o)
		return oom(err);
	if ((r = read_files(&rd, refs)) < 0 || (r = read_disk_section(&rd, disks)) < 0 ||
	    (r = read_name(&rd, vs, o)) < 0 || (r = read_items(&rd, hw)) < 0 ||
	    (r = read_disks(&rd, o)) < 0 || (r = read_nics(&rd, o)) < 0 ||
	    (r = vbox_macs(&rd, vs, o)) < 0)
		return r;
	*ret = TAKE_PTR(o);
	return 0;
}

int gn_ovf_read(const char *buf, size_t len, const char *name, struct gn_ovf **ret,
		gn_error *err)
{
	_cleanup_(gn_xml_freep) xmlDoc *doc = NULL;
	int r = gn_xml_parse_memory(buf, len, name, &doc, err);

	return r < 0 ? r : load(doc, ret, err);
}

int gn_ovf_read_file(const char *path, struct gn_ovf **ret, gn_error *err)
{
	_cleanup_(gn_xml_freep) xmlDoc *doc = NULL;
	int r = gn_xml_parse_file(path, &doc, err);

	return r < 0 ? r : load(doc, ret, err);
}

void gn_ovf_free(struct gn_ovf *o)
{
	if (!o)
		return;
	free(o->name);
	for (size_t i = 0; i < o->disks.n; i++) {
		free(o->disks.v[i].disk_id);
		free(o->disks.v[i].href);
	}
	for (size_t i = 0; i < o->nics.n; i++) {
		free(o->nics.v[i].mac);
		free(o->nics.v[i].network);
		free(o->nics.v[i].element_name);
	}
	free(o->disks.v);
	free(o->nics.v);
	free(o);
}

void gn_ovf_freep(struct gn_ovf **o)
{
	gn_ovf_free(*o);
}
