/*
 * model.c: the settings model and its normalization (see model.h).
 *
 * Every collector and the XML reader fill the model only through these functions, so the rules
 * (canonical text, placeholders and duplicates dropped, caps) are written once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "model.h"

int gn_array_reserve(void **v, size_t *cap, size_t n, size_t elsize, size_t max)
{
	size_t want;
	void *p;

	if (n >= max)
		return -E2BIG;
	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 4;
	if (want > max)
		want = max;
	p = reallocarray(*v, want, elsize);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = want;
	return 0;
}

int gn_array_push_(void **v, size_t *n, size_t *cap, size_t elsize, size_t max, void **ret)
{
	int r = gn_array_reserve(v, cap, *n, elsize, max);

	if (r < 0)
		return r;
	void *e = (char *)*v + *n * elsize;
	memset(e, 0, elsize);
	(*n)++;
	*ret = e;
	return 0;
}

int gn_error_set(gn_error *err, int r, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return r;
}

/*
 * Length of the valid UTF-8 sequence at s (1-4), or 0.  Refuses overlong forms, surrogates, code
 * points past U+10FFFF, and the characters XML 1.0 cannot carry (C0 controls but tab, newline and
 * carriage return; U+FFFE, U+FFFF).
 */
static size_t utf8_char(const unsigned char *s)
{
	unsigned c = s[0];
	size_t len;
	unsigned cp;

	if (c < 0x80)
		return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

static int check_text(const char *s, size_t *ret_len)
{
	size_t i = 0;

	while (s[i]) {
		if (i >= GN_MAX_STRING)
			return -E2BIG;
		size_t n = utf8_char((const unsigned char *)s + i);
		if (n == 0)
			return -EINVAL;
		i += n;
	}
	if (i > GN_MAX_STRING)
		return -E2BIG;
	*ret_len = i;
	return 0;
}

int gn_set_string(char **field, const char *value)
{
	size_t len;
	char *copy = NULL;
	int r;

	if (value && value[0]) {
		r = check_text(value, &len);
		if (r < 0)
			return r;
		copy = strndup(value, len);
		if (!copy)
			return -ENOMEM;
	}
	free(*field);
	*field = copy;
	return 0;
}

static void interface_free(struct gn_interface *ifc)
{
	if (!ifc)
		return;
	free(ifc->id);
	free(ifc->name);
	free(ifc->mac);
	free(ifc->permanent_mac);
	free(ifc->description);
	free(ifc->dns_suffix);
	free(ifc->network);
	for (int f = 0; f < 2; f++) {
		struct gn_ipconf *c = f ? &ifc->v6 : &ifc->v4;
		free(c->addresses.v);
		free(c->gateways.v);
		free(c->dns.v);
		free(c->wins.v);
	}
	free(ifc);
}

void gn_guest_clear_routes(struct gn_guest *g)
{
	for (size_t i = 0; i < g->routes.n; i++)
		free(g->routes.v[i].interface);
	g->routes.n = 0;
}

void gn_guest_clear_resolver(struct gn_guest *g)
{
	for (size_t i = 0; i < g->search.n; i++)
		free(g->search.v[i]);
	g->search.n = 0;
	g->dns.n = 0;
}

static void guest_free(struct gn_guest *g)
{
	if (!g)
		return;
	gn_guest_clear_routes(g);
	gn_guest_clear_resolver(g);
	free(g->name);
	free(g->hostname);
	free(g->domain);
	for (size_t i = 0; i < g->sources.n; i++)
		free(g->sources.v[i].image);
	free(g->sources.v);
	for (size_t i = 0; i < g->interfaces.n; i++)
		interface_free(g->interfaces.v[i]);
	free(g->interfaces.v);
	free(g->routes.v);
	free(g->dns.v);
	free(g->search.v);
	for (size_t i = 0; i < g->warnings.n; i++)
		free(g->warnings.v[i]);
	free(g->warnings.v);
	free(g);
}

int gn_settings_new(gn_settings **ret)
{
	gn_settings *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

static void record_free(struct gn_record *rec)
{
	if (!rec)
		return;
	for (size_t i = 0; i < rec->images.n; i++)
		free(rec->images.v[i].path);
	free(rec->images.v);
	free(rec);
}

void gn_settings_free(gn_settings *s)
{
	if (!s)
		return;
	record_free(s->record);
	for (size_t i = 0; i < s->guests.n; i++)
		guest_free(s->guests.v[i]);
	free(s->guests.v);
	for (size_t i = 0; i < s->failures.n; i++) {
		free(s->failures.v[i].name);
		free(s->failures.v[i].image);
		free(s->failures.v[i].message);
	}
	free(s->failures.v);
	free(s);
}

void gn_settings_freep(gn_settings **s)
{
	gn_settings_free(*s);
}

size_t gn_settings_count(const gn_settings *s)
{
	return s->guests.n;
}

int gn_settings_add_guest(gn_settings *s, struct gn_guest **ret)
{
	struct gn_guest *g = calloc(1, sizeof(*g)), **slot;
	int r;

	if (!g)
		return -ENOMEM;
	r = GN_ARRAY_PUSH(&s->guests, GN_MAX_GUESTS, &slot);
	if (r < 0) {
		free(g);
		return r;
	}
	*slot = g;
	*ret = g;
	return 0;
}

int gn_settings_set_record(gn_settings *s, enum gn_backup_kind kind, int64_t recorded,
			   struct gn_record **ret)
{
	char buf[GN_TIME_TEXT_MAX];
	struct gn_record *rec;

	if (!gn_backup_kind_name(kind) || gn_xml_time_format(recorded, buf) < 0)
		return -EINVAL;
	if (s->record)
		return -EEXIST;
	rec = calloc(1, sizeof(*rec));
	if (!rec)
		return -ENOMEM;
	rec->kind = kind;
	rec->recorded = recorded;
	s->record = rec;
	*ret = rec;
	return 0;
}

/* Relative and inside the backup: not absolute, no ".." component (the export opens it). */
static bool valid_record_path(const char *path)
{
	if (!path || !path[0] || path[0] == '/')
		return false;
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

bool gn_sha256_hex_valid(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (size_t i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int gn_record_add_image(struct gn_record *rec, const char *path, uint64_t size,
			const char *sha256)
{
	_cleanup_free_ char *copy = NULL;
	struct gn_record_image *img;
	int r;

	if (!valid_record_path(path) || size > INT64_MAX || !gn_sha256_hex_valid(sha256))
		return -EINVAL;
	r = gn_set_string(&copy, path);
	if (r < 0)
		return r;
	for (size_t i = 0; i < rec->images.n; i++)
		if (strcmp(rec->images.v[i].path, copy) == 0)
			return -EEXIST;
	r = GN_ARRAY_PUSH(&rec->images, GN_MAX_RECORD_IMAGES, &img);
	if (r < 0)
		return r;
	img->path = TAKE_PTR(copy);
	img->size = size;
	memcpy(img->sha256, sha256, sizeof(img->sha256));
	return 1;
}

enum gn_source_kind gn_guest_source_kind(const struct gn_guest *g)
{
	if (g->sources.n == 0)
		return GN_SOURCE_UNSET;
	if (g->sources.v[0].kind == GN_SOURCE_BACKUP)
		return g->sources.v[0].origin;
	return g->sources.v[0].kind;
}

int gn_parse_decimal(const char *s, size_t n, uint64_t max, uint64_t *ret)
{
	uint64_t x = 0;

	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || x > (max - d) / 10)
			return -EINVAL;
		x = x * 10 + d;
	}
	*ret = x;
	return 0;
}

/* Cut s to at most max bytes at a UTF-8 character boundary. */
static void cut_utf8(char *s, size_t max);

/* A copy of text fit for the document: cut to GN_MAX_STRING, or a stand-in when not valid. */
static int fit_text(char **field, const char *text, const char *stand_in)
{
	char buf[GN_MAX_STRING + 8];

	if (!text)
		return 0;
	snprintf(buf, sizeof(buf), "%s", text);
	cut_utf8(buf, GN_MAX_STRING);
	if (check_text(buf, &(size_t){ 0 }) < 0)
		snprintf(buf, sizeof(buf), "%s", stand_in);
	*field = strdup(buf);
	return *field ? 0 : -ENOMEM;
}

int gn_settings_add_failure(gn_settings *s, const char *name, const char *image,
			    const char *message)
{
	struct gn_failure *f;
	int r = GN_ARRAY_PUSH(&s->failures, GN_MAX_GUESTS, &f);

	if (r < 0)
		return r;
	if (fit_text(&f->name, name, "(a name that cannot be written)") < 0 ||
	    fit_text(&f->image, image, "(a file name that cannot be written)") < 0 ||
	    fit_text(&f->message, message ? message : "unknown error",
		     "(a message that cannot be written)") < 0)
		return -ENOMEM;
	return 0;
}

/* Cut s to at most max bytes at a UTF-8 character boundary. */
static void cut_utf8(char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	s[max] = '\0';
}

void gn_text_vformat(char buf[GN_TEXT_BUF], const char *fmt, va_list ap)
{
	vsnprintf(buf, GN_TEXT_BUF, fmt, ap);
	cut_utf8(buf, GN_MAX_STRING);
	/* a value quoted from the input may hold bytes XML cannot carry: '?' for each */
	for (unsigned char *p = (unsigned char *)buf; *p;) {
		size_t n = utf8_char(p);
		if (n == 0)
			*p++ = '?';
		else
			p += n;
	}
}

void gn_guest_warn(struct gn_guest *g, const char *fmt, ...)
{
	char buf[GN_TEXT_BUF], **slot;
	va_list ap;

	if (g->warnings_capped)
		return;
	va_start(ap, fmt);
	gn_text_vformat(buf, fmt, ap);
	va_end(ap);

	for (size_t i = 0; i < g->warnings.n; i++)
		if (strcmp(g->warnings.v[i], buf) == 0)
			return;
	if (g->warnings.n == GN_MAX_WARNINGS - 1) {
		snprintf(buf, sizeof(buf), "more than %d warnings; the rest were dropped",
			 GN_MAX_WARNINGS - 1);
		g->warnings_capped = true;
	}
	char *copy = strdup(buf);
	if (!copy || GN_ARRAY_PUSH(&g->warnings, GN_MAX_WARNINGS, &slot) < 0) {
		free(copy);
		return;
	}
	*slot = copy;
}

int gn_guest_add_source(struct gn_guest *g, enum gn_source_kind kind, struct gn_source **ret)
{
	struct gn_source *src;
	int r = GN_ARRAY_PUSH(&g->sources, GN_MAX_SOURCES, &src);

	if (r < 0)
		return r;
	src->kind = kind;
	src->collected = GN_UNSET;
	*ret = src;
	return 1;
}

struct gn_interface *gn_guest_find_interface(const struct gn_guest *g, const char *id)
{
	for (size_t i = 0; i < g->interfaces.n; i++)
		if (strcasecmp(g->interfaces.v[i]->id, id) == 0)
			return g->interfaces.v[i];
	return NULL;
}

int gn_guest_add_interface(struct gn_guest *g, const char *id, struct gn_interface **ret)
{
	_cleanup_free_ struct gn_interface *ifc = NULL;
	struct gn_interface **slot;
	char guid[GN_GUID_TEXT_MAX];
	int r;

	if (!id || !id[0])
		return -EINVAL;
	if (gn_guid_normalize(id, guid) == 0)
		id = guid;
	if (gn_guest_find_interface(g, id))
		return -EEXIST;
	ifc = calloc(1, sizeof(*ifc));
	if (!ifc)
		return -ENOMEM;
	ifc->enabled = -1;
	ifc->v4.family = GN_AF_INET;
	ifc->v6.family = GN_AF_INET6;
	ifc->v4.lease.obtained = ifc->v4.lease.expires = GN_UNSET;
	ifc->v6.lease.obtained = ifc->v6.lease.expires = GN_UNSET;
	r = gn_set_string(&ifc->id, id);
	if (r < 0)
		return r;
	r = GN_ARRAY_PUSH(&g->interfaces, GN_MAX_INTERFACES, &slot);
	if (r < 0) {
		free(ifc->id);
		return r;
	}
	*slot = TAKE_PTR(ifc);
	*ret = *slot;
	return 1;
}

void gn_guest_remove_interface(struct gn_guest *g, struct gn_interface *ifc)
{
	for (size_t i = 0; i < g->interfaces.n; i++)
		if (g->interfaces.v[i] == ifc) {
			memmove(&g->interfaces.v[i], &g->interfaces.v[i + 1],
				(g->interfaces.n - i - 1) * sizeof(*g->interfaces.v));
			g->interfaces.n--;
			interface_free(ifc);
			return;
		}
}

static int set_mac(char **field, const char *mac)
{
	char buf[GN_MAC_TEXT_MAX];

	if (gn_mac_normalize(mac, buf) < 0)
		return -EINVAL;
	return gn_set_string(field, buf);
}

int gn_interface_set_mac(struct gn_interface *ifc, const char *mac)
{
	return set_mac(&ifc->mac, mac);
}

int gn_interface_set_permanent_mac(struct gn_interface *ifc, const char *mac)
{
	return set_mac(&ifc->permanent_mac, mac);
}

struct gn_ipconf *gn_interface_ipconf(struct gn_interface *ifc, int family)
{
	return family == GN_AF_INET6 ? &ifc->v6 : &ifc->v4;
}

int gn_ipconf_add_address(struct gn_ipconf *c, const struct gn_ip *ip, unsigned prefix,
			  enum gn_origin origin)
{
	struct gn_address *a;
	int r;

	if (ip->family != c->family || prefix > gn_ip_bits(ip->family))
		return -EINVAL;
	if (gn_ip_is_unspecified(ip))
		return 0;
	for (size_t i = 0; i < c->addresses.n; i++)
		if (gn_ip_equal(&c->addresses.v[i].ip, ip))
			return 0;
	r = GN_ARRAY_PUSH(&c->addresses, GN_MAX_ADDRESSES, &a);
	if (r < 0)
		return r;
	a->ip = *ip;
	a->prefix = prefix;
	a->origin = origin ? origin : GN_ORIGIN_UNKNOWN;
	return 1;
}

int gn_ipconf_add_gateway(struct gn_ipconf *c, const struct gn_ip *ip, int64_t metric)
{
	struct gn_gateway *gw;
	int r;

	if (ip->family != c->family)
		return -EINVAL;
	if (gn_ip_is_unspecified(ip))
		return 0;
	for (size_t i = 0; i < c->gateways.n; i++)
		if (gn_ip_equal(&c->gateways.v[i].ip, ip))
			return 0;
	r = GN_ARRAY_PUSH(&c->gateways, GN_MAX_GATEWAYS, &gw);
	if (r < 0)
		return r;
	gw->ip = *ip;
	gw->metric = metric;
	return 1;
}

int gn_ipconf_add_wins(struct gn_ipconf *c, const struct gn_ip *ip)
{
	struct gn_ip *w;
	int r;

	if (ip->family != GN_AF_INET || c->family != GN_AF_INET)
		return -EINVAL;
	if (gn_ip_is_unspecified(ip))
		return 0;
	for (size_t i = 0; i < c->wins.n; i++)
		if (gn_ip_equal(&c->wins.v[i], ip))
			return 0;
	r = GN_ARRAY_PUSH(&c->wins, GN_MAX_WINS, &w);
	if (r < 0)
		return r;
	*w = *ip;
	return 1;
}

int gn_dns_list_add(gn_dns_list *l, const struct gn_ip *ip, enum gn_origin origin)
{
	struct gn_dns *d;
	int r;

	if (ip->family != GN_AF_INET && ip->family != GN_AF_INET6)
		return -EINVAL;
	if (gn_ip_is_unspecified(ip))
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (gn_ip_equal(&l->v[i].ip, ip))
			return 0;
	r = GN_ARRAY_PUSH(l, GN_MAX_DNS, &d);
	if (r < 0)
		return r;
	d->ip = *ip;
	d->origin = origin;
	return 1;
}

/* A DNS name: letters, digits, '-', '_', '.', at most 253 bytes (RFC 1035, with the
 * underscore Windows allows in NetBIOS-derived names). */
static bool valid_domain(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return true;
}

int gn_guest_add_search(struct gn_guest *g, const char *domain)
{
	char **slot, *copy;
	int r;

	if (!domain || !domain[0])
		return 0;
	if (!valid_domain(domain))
		return -EINVAL;
	for (size_t i = 0; i < g->search.n; i++)
		if (strcasecmp(g->search.v[i], domain) == 0)
			return 0;
	copy = strdup(domain);
	if (!copy)
		return -ENOMEM;
	r = GN_ARRAY_PUSH(&g->search, GN_MAX_SEARCH, &slot);
	if (r < 0) {
		free(copy);
		return r;
	}
	*slot = copy;
	return 1;
}

static bool same_route(const struct gn_route *rt, const struct gn_ip *dest, unsigned prefix,
		       const struct gn_ip *gateway, const char *interface)
{
	if (!gn_ip_equal(&rt->destination, dest) || rt->prefix != prefix ||
	    !gn_ip_equal(&rt->gateway, gateway))
		return false;
	/* a route known without its interface (PersistentRoutes) is the same as one with it */
	return !rt->interface || !interface || strcasecmp(rt->interface, interface) == 0;
}

int gn_guest_add_route(struct gn_guest *g, const struct gn_ip *dest, unsigned prefix,
		       const struct gn_ip *gateway, int64_t metric, const char *interface)
{
	static const struct gn_ip none;
	_cleanup_free_ char *ifname = NULL;
	struct gn_route *rt;
	int r;

	if (!gateway)
		gateway = &none;
	if ((dest->family != GN_AF_INET && dest->family != GN_AF_INET6) ||
	    prefix > gn_ip_bits(dest->family) ||
	    (gateway->family && gateway->family != dest->family))
		return -EINVAL;
	/* a route carries its destination's network address: 10.1.2.3/8 is 10.0.0.0/8 */
	struct gn_ip net = *dest;
	for (unsigned i = prefix; i < 128; i++)
		net.b[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	struct gn_ip gw = *gateway;
	if (gn_ip_is_unspecified(&gw))
		memset(&gw, 0, sizeof(gw));
	for (size_t i = 0; i < g->routes.n; i++)
		if (same_route(&g->routes.v[i], &net, prefix, &gw, interface))
			return 0;
	if (interface) {
		char guid[GN_GUID_TEXT_MAX];
		if (gn_guid_normalize(interface, guid) == 0)
			interface = guid;
		r = gn_set_string(&ifname, interface);
		if (r < 0)
			return r;
	}
	r = GN_ARRAY_PUSH(&g->routes, GN_MAX_ROUTES, &rt);
	if (r < 0)
		return r;
	rt->family = net.family;
	rt->destination = net;
	rt->prefix = prefix;
	rt->gateway = gw;
	rt->metric = metric;
	rt->interface = TAKE_PTR(ifname);
	return 1;
}

/* Enumerations and their names in the document, in one table each. */
static const char *const mode_names[] = {
	[GN_MODE_STATIC] = "static", [GN_MODE_DHCP] = "dhcp",
	[GN_MODE_AUTO] = "auto", [GN_MODE_DISABLED] = "disabled",
};
static const char *const origin_names[] = {
	[GN_ORIGIN_STATIC] = "static", [GN_ORIGIN_DHCP] = "dhcp", [GN_ORIGIN_AUTO] = "auto",
	[GN_ORIGIN_LINK_LOCAL] = "link-local", [GN_ORIGIN_UNKNOWN] = "unknown",
};
static const char *const iftype_names[] = {
	[GN_IFTYPE_ETHERNET] = "ethernet", [GN_IFTYPE_WIRELESS] = "wireless",
	[GN_IFTYPE_LOOPBACK] = "loopback", [GN_IFTYPE_TUNNEL] = "tunnel",
	[GN_IFTYPE_OTHER] = "other",
};
static const char *const os_names[] = {
	[GN_OS_WINDOWS] = "windows", [GN_OS_LINUX] = "linux",
};
static const char *const source_kind_names[] = {
	[GN_SOURCE_RUNTIME] = "runtime", [GN_SOURCE_REGISTRY] = "registry",
	[GN_SOURCE_CONFIG_FILES] = "config-files", [GN_SOURCE_BACKUP] = "backup",
};
static const char *const backup_kind_names[] = {
	[GN_BACKUP_FOLDER] = "folder", [GN_BACKUP_OVA] = "ova", [GN_BACKUP_OVF] = "ovf",
	[GN_BACKUP_IMAGE] = "image",
};

static const char *name_of(const char *const *names, size_t n, unsigned v)
{
	return v < n ? names[v] : NULL;
}

static int value_of(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

#define NAME_FUNCS(type, table)                                                         \
	const char *gn_##type##_name(enum gn_##type v)                                  \
	{                                                                               \
		return name_of(table, GN_ELEMENTSOF(table), (unsigned)v);              \
	}                                                                               \
	int gn_##type##_from_name(const char *s)                                        \
	{                                                                               \
		return value_of(table, GN_ELEMENTSOF(table), s);                        \
	}

NAME_FUNCS(mode, mode_names)
NAME_FUNCS(origin, origin_names)
NAME_FUNCS(iftype, iftype_names)
NAME_FUNCS(os, os_names)
NAME_FUNCS(source_kind, source_kind_names)
NAME_FUNCS(backup_kind, backup_kind_names)

int gn_from_kind_from_name(const char *s)
{
	int k = gn_source_kind_from_name(s);

	return k == GN_SOURCE_BACKUP ? -1 : k;
}
