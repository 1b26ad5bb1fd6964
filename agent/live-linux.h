/*
 * live-linux.h: the Linux live collector's parsers, apart from the sockets so that the unit
 * tests can feed them messages and files they build themselves.
 */
#ifndef GN_LIVE_LINUX_H
#define GN_LIVE_LINUX_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "agent.h"

/* Next hops of one multipath route kept; more are a warning. */
#define LIVE_MAX_NEXTHOPS 16
/* Bytes of resolv.conf read; the rest is a warning. */
#define LIVE_MAX_RESOLV_BYTES (64u << 10)

/* What an RTM_NEWLINK message says of a link. */
struct live_link {
	int index;
	char name[16];          /* IFNAMSIZ */
	unsigned short arphrd;  /* ARPHRD_* */
	bool up;                /* IFF_UP: administratively enabled */
	unsigned mtu;
	uint8_t mac[32];
	size_t mac_len;
	uint8_t perm_mac[32];   /* IFLA_PERM_ADDRESS (Linux 5.6+), where the kernel gives it */
	size_t perm_mac_len;
	char kind[16];          /* IFLA_INFO_KIND: "vlan", "bridge", "veth", or "" */
	unsigned vlan;          /* IFLA_VLAN_ID of a vlan link, else 0 */
	bool wireless;          /* IFLA_WIRELESS present */
};

/* What an RTM_NEWADDR message says of an address. */
struct live_addr {
	int index;
	int family;             /* GN_AF_INET, GN_AF_INET6 */
	struct gn_ip ip;
	unsigned prefix;
	uint32_t flags;         /* IFA_F_*, from IFA_FLAGS where present */
	int proto;              /* IFA_PROTO (Linux 6.3+), -1 when absent */
	uint32_t valid_lft;     /* seconds; UINT32_MAX: forever or not given */
};

struct live_nexthop {
	int index;              /* output interface, 0 when not given */
	struct gn_ip gateway;   /* family 0: on-link */
};

/* What an RTM_NEWROUTE message says of a route. */
struct live_route {
	int family;
	unsigned table;
	unsigned char type;     /* RTN_* */
	unsigned char protocol; /* RTPROT_* */
	struct gn_ip dst;       /* family 0 with dst_len 0: the default route */
	unsigned dst_len;
	int64_t metric;         /* RTA_PRIORITY, 0 when absent (the kernel's default) */
	struct live_nexthop hops[LIVE_MAX_NEXTHOPS];
	size_t nhops;
	bool hops_capped;
};

/* Parse one message; 0, or -EBADMSG when it is not what it should be. */
int live_parse_link(const struct nlmsghdr *nlh, struct live_link *ret);
int live_parse_addr(const struct nlmsghdr *nlh, struct live_addr *ret);
int live_parse_route(const struct nlmsghdr *nlh, struct live_route *ret);

/* An address's origin from the kernel's flags, protocol and the address itself. */
enum gn_origin live_addr_origin(const struct live_addr *a);

/*
 * resolv.conf's contents into g: nameserver lines as system-wide DNS servers, in order; the
 * search list from the last search or domain line (as glibc); the domain line as the guest's
 * domain when it has none.  Sets *stub when the only server is systemd-resolved's stub
 * (127.0.0.53), whose real list is elsewhere.
 */
void live_parse_resolv(struct gn_guest *g, const char *path, const char *buf, size_t len,
		       bool *stub);

#endif
