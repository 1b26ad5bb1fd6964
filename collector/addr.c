/*
 * addr.c: strict parsers and canonical formatters for addresses, masks, MACs and GUIDs.
 *
 * Registry strings, configuration files and XML all reach the model through these, so an
 * address has exactly one text form in every document guestnet writes (RFC 5952 for IPv6).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

int gn_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Dotted quad, exactly four decimal octets, no leading zeros (which some parsers read as octal). */
static int parse_v4(const char *s, const char *end, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int digits = 0;

		while (s < end && *s >= '0' && *s <= '9') {
			if (digits == 1 && v == 0)
				return -EINVAL;
			v = v * 10 + (unsigned)(*s - '0');
			if (v > 255)
				return -EINVAL;
			digits++;
			s++;
		}
		if (digits == 0)
			return -EINVAL;
		out[i] = (uint8_t)v;
		if (i < 3) {
			if (s >= end || *s != '.')
				return -EINVAL;
			s++;
		}
	}
	return s == end ? 0 : -EINVAL;
}

/* RFC 4291 section 2.2 text: groups of 1-4 hex digits, at most one "::", optional IPv4 tail. */
static int parse_v6(const char *s, const char *end, uint8_t out[16])
{
	uint8_t b[16] = { 0 };
	int n = 0, gap = -1;

	if (end - s >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	} else if (s < end && *s == ':')
		return -EINVAL;

	while (s < end) {
		const char *g = s;
		unsigned v = 0;
		int digits = 0;

		while (s < end && gn_hexval(*s) >= 0 && digits < 5) {
			v = v * 16 + (unsigned)gn_hexval(*s);
			digits++;
			s++;
		}
		if (s < end && *s == '.') {
			/* embedded IPv4 in the last 32 bits */
			if (n > 12 || parse_v4(g, end, b + n) < 0)
				return -EINVAL;
			n += 4;
			s = end;
			break;
		}
		if (digits == 0 || digits > 4 || n > 14)
			return -EINVAL;
		b[n++] = (uint8_t)(v >> 8);
		b[n++] = (uint8_t)v;
		if (s == end)
			break;
		if (*s != ':')
			return -EINVAL;
		s++;
		if (s < end && *s == ':') {
			if (gap >= 0)
				return -EINVAL;
			gap = n;
			s++;
		} else if (s == end)
			return -EINVAL;  /* trailing single ':' */
	}

	if (gap >= 0) {
		if (n > 14)
			return -EINVAL;  /* "::" must stand for at least one group */
		memset(out, 0, 16);
		memcpy(out, b, (size_t)gap);
		memcpy(out + 16 - (n - gap), b + gap, (size_t)(n - gap));
	} else {
		if (n != 16)
			return -EINVAL;
		memcpy(out, b, 16);
	}
	return 0;
}

int gn_ip_parse_family(const char *s, int family, struct gn_ip *ret)
{
	struct gn_ip ip = { 0 };
	const char *end;

	if (!s)
		return -EINVAL;
	end = s + strlen(s);
	if (family == GN_AF_INET6) {
		/* a zone index ("fe80::1%12") names an interface of the source machine only */
		const char *pct = memchr(s, '%', (size_t)(end - s));
		if (pct)
			end = pct;
		if (parse_v6(s, end, ip.b) < 0)
			return -EINVAL;
	} else if (family == GN_AF_INET) {
		if (parse_v4(s, end, ip.b) < 0)
			return -EINVAL;
	} else
		return -EINVAL;
	ip.family = (uint8_t)family;
	*ret = ip;
	return 0;
}

int gn_ip_parse(const char *s, struct gn_ip *ret)
{
	if (s && strchr(s, ':'))
		return gn_ip_parse_family(s, GN_AF_INET6, ret);
	return gn_ip_parse_family(s, GN_AF_INET, ret);
}

const char *gn_ip_format(const struct gn_ip *ip, char *buf)
{
	const uint8_t *b = ip->b;
	int best = -1, bestlen = 0;
	char *p = buf;

	if (ip->family == GN_AF_INET) {
		snprintf(buf, GN_IP_TEXT_MAX, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
		return buf;
	}
	if (ip->family != GN_AF_INET6) {
		buf[0] = '\0';
		return buf;
	}

	/* RFC 5952 4.2: compress the longest run of two or more zero groups, the first on a tie */
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && b[2 * j] == 0 && b[2 * j + 1] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}

	/* RFC 5952 5: IPv4-mapped addresses keep their dotted tail */
	bool mapped = best == 0 && bestlen == 5 && b[10] == 0xff && b[11] == 0xff;

	for (int i = 0; i < 8; i++) {
		if (i == best) {
			p += sprintf(p, "::");
			i += bestlen - 1;
			continue;
		}
		if (mapped && i == 6) {
			sprintf(p, ":%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
			return buf;
		}
		if (i > 0 && p[-1] != ':')
			*p++ = ':';
		p += sprintf(p, "%x", (unsigned)(b[2 * i] << 8 | b[2 * i + 1]));
	}
	*p = '\0';
	return buf;
}

bool gn_ip_is_unspecified(const struct gn_ip *ip)
{
	static const uint8_t zero[16];
	return ip->family == 0 || memcmp(ip->b, zero, 16) == 0;
}

bool gn_ip_equal(const struct gn_ip *a, const struct gn_ip *b)
{
	return a->family == b->family && memcmp(a->b, b->b, 16) == 0;
}

void gn_ip_from_bytes(struct gn_ip *ip, int family, const void *bytes)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = (uint8_t)family;
	memcpy(ip->b, bytes, family == GN_AF_INET ? 4 : 16);
}

unsigned gn_ip_bits(int family)
{
	return family == GN_AF_INET ? 32 : family == GN_AF_INET6 ? 128 : 0;
}

int gn_mask_to_prefix(const struct gn_ip *mask, unsigned *ret)
{
	unsigned bits = gn_ip_bits(mask->family), n = 0;

	while (n < bits && (mask->b[n / 8] & (0x80 >> (n % 8))))
		n++;
	for (unsigned i = n; i < bits; i++)
		if (mask->b[i / 8] & (0x80 >> (i % 8)))
			return -EINVAL;
	*ret = n;
	return 0;
}

/* The bits of byte i (network order) that the first prefix bits of an address cover. */
static uint8_t prefix_byte(unsigned prefix, unsigned i)
{
	if (prefix >= 8 * (i + 1))
		return 0xff;
	if (prefix <= 8 * i)
		return 0;
	return (uint8_t)(0xff << (8 - (prefix - 8 * i)));
}

bool gn_ip_in_prefix(const struct gn_ip *ip, const struct gn_ip *net, unsigned prefix)
{
	if (ip->family != net->family || prefix > gn_ip_bits(net->family))
		return false;
	for (unsigned i = 0; i < 16; i++)
		if ((ip->b[i] ^ net->b[i]) & prefix_byte(prefix, i))
			return false;
	return true;
}

void gn_ip_clear_host(struct gn_ip *ip, unsigned prefix)
{
	for (unsigned i = 0; i < 16; i++)
		ip->b[i] &= prefix_byte(prefix, i);
}

int gn_ip_compare(const struct gn_ip *a, const struct gn_ip *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->b, b->b, 16);
}

int gn_ip_prefix_parse(const char *s, struct gn_ip *ip, unsigned *prefix)
{
	char addr[GN_IP_TEXT_MAX];
	const char *slash = s ? strchr(s, '/') : NULL, *d;
	struct gn_ip a;
	unsigned v = 0, bits;

	if (!slash || (size_t)(slash - s) >= sizeof(addr) || memchr(s, '%', (size_t)(slash - s)))
		return -EINVAL;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (gn_ip_parse(addr, &a) < 0)
		return -EINVAL;
	d = slash + 1;
	/* a leading zero reads as octal to some tools: one spelling only, as for dotted quads */
	if (!*d || (d[0] == '0' && d[1]))
		return -EINVAL;
	bits = gn_ip_bits(a.family);
	for (; *d; d++) {
		if (*d < '0' || *d > '9')
			return -EINVAL;
		if (v <= bits)  /* saturate: "/99999999999" is too long, not a wrapped /7 */
			v = v * 10 + (unsigned)(*d - '0');
	}
	if (v > bits)
		return -ERANGE;
	*ip = a;
	*prefix = v;
	return 0;
}

int gn_cidr_parse(const char *s, struct gn_ip *net, unsigned *prefix)
{
	struct gn_ip a, masked;
	unsigned len;
	int r = gn_ip_prefix_parse(s, &a, &len);

	if (r < 0)
		return r;
	masked = a;
	gn_ip_clear_host(&masked, len);
	if (!gn_ip_equal(&masked, &a))
		return -EDOM;
	*net = a;
	*prefix = len;
	return 0;
}

int gn_mac_from_bytes(const uint8_t b[6], char buf[GN_MAC_TEXT_MAX])
{
	static const uint8_t zero[6];

	if (memcmp(b, zero, 6) == 0)
		return -EINVAL;
	snprintf(buf, GN_MAC_TEXT_MAX, "%02x:%02x:%02x:%02x:%02x:%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5]);
	return 0;
}

int gn_mac_normalize(const char *s, char buf[GN_MAC_TEXT_MAX])
{
	uint8_t b[6];
	size_t len = s ? strlen(s) : 0;
	int group;
	char sep = 0;

	/* 12 plain digits, 6 pairs with ':' or '-', or 3 quads with '.' */
	if (len == 12)
		group = 12;
	else if (len == 17 && (s[2] == ':' || s[2] == '-'))
		group = 2, sep = s[2];
	else if (len == 14 && s[4] == '.')
		group = 4, sep = '.';
	else
		return -EINVAL;

	for (int i = 0, d = 0; i < (int)len; i++) {
		if (sep && (i + 1) % (group + 1) == 0) {
			if (s[i] != sep)
				return -EINVAL;
			continue;
		}
		int v = gn_hexval(s[i]);
		if (v < 0)
			return -EINVAL;
		if (d % 2 == 0)
			b[d / 2] = (uint8_t)(v << 4);
		else
			b[d / 2] |= (uint8_t)v;
		d++;
	}
	return gn_mac_from_bytes(b, buf);
}

bool gn_is_guid(const char *s)
{
	static const char form[] = "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}";

	if (!s || strlen(s) != sizeof(form) - 1)
		return false;
	for (size_t i = 0; form[i]; i++)
		if (form[i] == 'x' ? gn_hexval(s[i]) < 0 : s[i] != form[i])
			return false;
	return true;
}

int gn_guid_normalize(const char *s, char buf[GN_GUID_TEXT_MAX])
{
	if (!gn_is_guid(s))
		return -EINVAL;
	for (size_t i = 0; i < GN_GUID_TEXT_MAX; i++)
		buf[i] = (s[i] >= 'a' && s[i] <= 'f') ? (char)(s[i] - 'a' + 'A') : s[i];
	return 0;
}

/* 9999-12-31T23:59:59Z: the last second a four-digit year can write. */
#define TIME_MAX INT64_C(253402300799)

static bool is_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned char days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a date from 1970 on (H. Hinnant's days_from_civil, years >= 0). */
static int64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
	y -= m <= 2;
	unsigned era = y / 400, yoe = y % 400;
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int64_t)era * 146097 + doe - 719468;
}

int gn_xml_time_format(int64_t t, char buf[GN_TIME_TEXT_MAX])
{
	if (t < 0 || t > TIME_MAX)
		return -EINVAL;
	int64_t z = t / 86400 + 719468;
	unsigned secs = (unsigned)(t % 86400);
	unsigned era = (unsigned)(z / 146097), doe = (unsigned)(z % 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	unsigned y = era * 400 + yoe + (m <= 2);

	const unsigned v[6] = { y, m, d, secs / 3600, secs / 60 % 60, secs % 60 };
	char *p = buf;

	/* digits by hand: a year of four digits is certain, and snprintf cannot be told so */
	for (int f = 0; f < 6; f++) {
		unsigned x = v[f];
		int digits = f == 0 ? 4 : 2;
		for (int i = digits - 1; i >= 0; i--, x /= 10)
			p[i] = (char)('0' + x % 10);
		p += digits;
		*p++ = "--T::Z"[f];
	}
	*p = '\0';
	return 0;
}

int gn_xml_time_parse(const char *s, int64_t *ret)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	unsigned v[6] = { 0 }, f = 0;

	if (!s || strlen(s) != sizeof(form) - 1)
		return -EINVAL;
	for (size_t i = 0; form[i]; i++) {
		if (form[i] != 'd') {
			if (s[i] != form[i])
				return -EINVAL;
			f++;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v[f] = v[f] * 10 + (unsigned)(s[i] - '0');
	}
	/* v: year, month, day, hour, minute, second */
	if (v[0] < 1970 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]) ||
	    v[3] > 23 || v[4] > 59 || v[5] > 59)
		return -EINVAL;
	*ret = days_from_civil(v[0], v[1], v[2]) * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
	return 0;
}
