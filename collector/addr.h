/*
 * addr.h: the text forms the model normalizes: IP addresses, masks, MAC addresses, GUIDs.
 *
 * Written without inet_pton/inet_ntop so the same code gives the same bytes on every platform the
 * agent is built for (glibc, mingw-w64): parsing is strict (dotted quad without leading zeros,
 * RFC 4291 text for IPv6, a %zone suffix ignored) and formatting is RFC 5952.
 */
#ifndef GN_ADDR_H
#define GN_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GN_AF_INET  4
#define GN_AF_INET6 6

/* family 0: no address.  IPv4 uses b[0..3]; the rest is zero, so memcmp compares. */
struct gn_ip {
	uint8_t family;
	uint8_t b[16];
};

#define GN_IP_TEXT_MAX 46  /* INET6_ADDRSTRLEN */
#define GN_MAC_TEXT_MAX 18
#define GN_GUID_TEXT_MAX 39

/* The value of a hex digit, or -1. */
int gn_hexval(char c);

/* Parse s (whole string, no spaces) as IPv4 or IPv6: 0 or -EINVAL. */
int gn_ip_parse(const char *s, struct gn_ip *ret);
/* Parse s of a given family: 0 or -EINVAL. */
int gn_ip_parse_family(const char *s, int family, struct gn_ip *ret);
/* Canonical text of ip into buf (GN_IP_TEXT_MAX bytes); returns buf. */
const char *gn_ip_format(const struct gn_ip *ip, char *buf);

bool gn_ip_is_unspecified(const struct gn_ip *ip);
bool gn_ip_equal(const struct gn_ip *a, const struct gn_ip *b);
/* Set ip from raw network-order bytes (4 or 16). */
void gn_ip_from_bytes(struct gn_ip *ip, int family, const void *bytes);
/* Bits of the family: 32 or 128 (0 for family 0). */
unsigned gn_ip_bits(int family);

/* Prefix length of a contiguous mask: 0, or -EINVAL for a non-contiguous mask. */
int gn_mask_to_prefix(const struct gn_ip *mask, unsigned *ret);

/* Whether ip is of net's family and its first prefix bits are net's. */
bool gn_ip_in_prefix(const struct gn_ip *ip, const struct gn_ip *net, unsigned prefix);
/* Clear the bits of ip past the first prefix ones: the network an address lies in. */
void gn_ip_clear_host(struct gn_ip *ip, unsigned prefix);
/* Order addresses by family, then by value: < 0, 0 or > 0, as memcmp. */
int gn_ip_compare(const struct gn_ip *a, const struct gn_ip *b);

/*
 * Parse s as an address and its prefix length, "10.3.58.5/24" or "2001:db8::5/64": the address
 * as gn_ip_parse (no zone index: it names an interface of one machine), the length in decimal
 * without sign or leading zero.  Returns 0; -EINVAL when s is not of that form; -ERANGE when the
 * length is longer than the family's (/33, /129, /99999).
 */
int gn_ip_prefix_parse(const char *s, struct gn_ip *ip, unsigned *prefix);
/*
 * The same for a network, "10.3.58.0/24": also -EDOM when the address has host bits set.  A
 * host address is refused rather than masked, so that a typo never silently names another
 * network; gn_ip_prefix_parse and gn_ip_clear_host give the network to suggest instead.
 */
int gn_cidr_parse(const char *s, struct gn_ip *net, unsigned *prefix);

/*
 * Normalize a MAC given as 12 hex digits, optionally grouped by ':' or '-' in pairs (or '.' in
 * fours, Cisco style), into "aa:bb:cc:dd:ee:ff": 0 or -EINVAL.
 */
int gn_mac_normalize(const char *s, char buf[GN_MAC_TEXT_MAX]);
/* The same from 6 raw bytes; -EINVAL for all-zero (no address). */
int gn_mac_from_bytes(const uint8_t b[6], char buf[GN_MAC_TEXT_MAX]);

/* True when s is a braced GUID "{8-4-4-4-12}" in either case. */
bool gn_is_guid(const char *s);
/* Upper-case braced GUID: 0 or -EINVAL. */
int gn_guid_normalize(const char *s, char buf[GN_GUID_TEXT_MAX]);

/*
 * Times in the documents: ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ", years 1970 to 9999, from and to
 * seconds since the epoch.  Own code, not gmtime/strftime, so neither TZ nor the locale nor the
 * platform changes a byte (and the writer needs no libxml2).  0 or -EINVAL (out of range, or not
 * exactly that form).
 */
#define GN_TIME_TEXT_MAX 21
int gn_xml_time_format(int64_t t, char buf[GN_TIME_TEXT_MAX]);
int gn_xml_time_parse(const char *s, int64_t *ret);

#endif
