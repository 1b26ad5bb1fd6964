/*
 * live-linux.c: the running Linux system's network settings, from the kernel through rtnetlink
 * (libmnl: the message walking and attribute validation are the library's, not ours) and from
 * resolv.conf.  No privileges needed: the dumps read here are open to every user.
 *
 * What the kernel says, and how it becomes the model:
 *
 *   links      RTM_GETLINK: name, MAC (and IFLA_PERM_ADDRESS where it differs), MTU, IFF_UP as
 *              enabled, the VLAN id of a vlan link, the type from the ARPHRD and IFLA_WIRELESS.
 *              Loopback never; names matching the agent's patterns (agent_excluded) never.
 *   addresses  RTM_GETADDR.  Origin: link-local by the address (fe80::/10, 169.254/16);
 *              IFA_F_PERMANENT is static (ip addr add, NetworkManager and networkd static
 *              addresses); an address with a lifetime came from DHCP (IPv4; IPv6 /128 as DHCPv6
 *              hands them out) or router advertisements (IPv6, also by IFA_PROTO on Linux
 *              6.3+).  Privacy (temporary) addresses and failed DAD are left out.
 *   routes     RTM_GETROUTE, main table, unicast: a default route with a gateway is a gateway
 *              of its interface (metric = RTA_PRIORITY); other routes are static routes unless
 *              the kernel derived them from an address (proto kernel) or DHCP or router
 *              advertisements installed them (they come back by themselves after a failover).
 *   modes      per family, from the above: dhcp (an address with a DHCP origin or a default
 *              route of proto dhcp), auto (IPv6 from router advertisements, or nothing but a
 *              link-local address while the kernel accepts them), static (permanent global
 *              addresses), disabled (IPv6 switched off on the link).
 *   DNS        resolv.conf; systemd-resolved's stub (127.0.0.53) is followed to the real list
 *              in /run/systemd/resolve/resolv.conf.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "cleanup.h"
#include "live-linux.h"

/* Links tracked (reported or not, to know which interface an address or route is on). */
#define LIVE_MAX_LINKS 4096
/* Times a dump is restarted when the kernel says it changed under us (NLM_F_DUMP_INTR). */
#define LIVE_DUMP_TRIES 5
/* The receive buffer: the kernel fills dump messages up to 32 KiB. */
#define LIVE_RECV_BYTES 32768

#ifndef IFLA_PERM_ADDRESS
#define IFLA_PERM_ADDRESS 54
#endif

/* -------- parsers: one message in, a plain struct out -------- */

/* mnl_attr_parse callback: keep each known attribute of a valid size in tb[type]. */
struct attrs {
	const struct nlattr **tb;
	int max;
	const enum mnl_attr_data_type *types;  /* per type, or NULL: any payload */
};

static int keep_attr(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, (uint16_t)a->max) <= 0)
		return MNL_CB_OK;  /* newer than this build: ignored */
	if (a->types && a->types[type] != MNL_TYPE_UNSPEC &&
	    mnl_attr_validate(attr, a->types[type]) < 0)
		return MNL_CB_ERROR;
	a->tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_attrs(const struct nlmsghdr *nlh, size_t hdr, const struct nlattr **tb, int max,
		       const enum mnl_attr_data_type *types)
{
	struct attrs a = { tb, max, types };

	if (nlh->nlmsg_len < mnl_nlmsg_size(hdr))
		return -EBADMSG;
	return mnl_attr_parse(nlh, (unsigned)hdr, keep_attr, &a) == MNL_CB_ERROR ? -EBADMSG : 0;
}

static int parse_nested(const struct nlattr *nest, const struct nlattr **tb, int max,
			const enum mnl_attr_data_type *types)
{
	struct attrs a = { tb, max, types };

	return mnl_attr_parse_nested(nest, keep_attr, &a) == MNL_CB_ERROR ? -EBADMSG : 0;
}

/* A binary address attribute of the family's length into ip. */
static int attr_ip(const struct nlattr *attr, int family, struct gn_ip *ip)
{
	size_t want = family == GN_AF_INET ? 4 : 16;

	if (mnl_attr_get_payload_len(attr) != want)
		return -EBADMSG;
	gn_ip_from_bytes(ip, family, mnl_attr_get_payload(attr));
	return 0;
}

static int gn_family(int af)
{
	return af == AF_INET ? GN_AF_INET : af == AF_INET6 ? GN_AF_INET6 : 0;
}

int live_parse_link(const struct nlmsghdr *nlh, struct live_link *ret)
{
	static const enum mnl_attr_data_type types[IFLA_MAX + 1] = {
		[IFLA_IFNAME] = MNL_TYPE_NUL_STRING, [IFLA_MTU] = MNL_TYPE_U32,
		[IFLA_LINKINFO] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type info_types[IFLA_INFO_MAX + 1] = {
		[IFLA_INFO_KIND] = MNL_TYPE_NUL_STRING, [IFLA_INFO_DATA] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type vlan_types[IFLA_VLAN_MAX + 1] = {
		[IFLA_VLAN_ID] = MNL_TYPE_U16,
	};
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	const struct nlattr *info[IFLA_INFO_MAX + 1] = { 0 };
	const struct nlattr *vlan[IFLA_VLAN_MAX + 1] = { 0 };
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const char *name;

	memset(ret, 0, sizeof(*ret));
	if (parse_attrs(nlh, sizeof(*ifm), tb, IFLA_MAX, types) < 0 || !tb[IFLA_IFNAME])
		return -EBADMSG;
	name = mnl_attr_get_str(tb[IFLA_IFNAME]);
	if (strlen(name) >= sizeof(ret->name) || !name[0])
		return -EBADMSG;
	strcpy(ret->name, name);
	ret->index = ifm->ifi_index;
	ret->arphrd = ifm->ifi_type;
	ret->up = ifm->ifi_flags & IFF_UP;
	if (tb[IFLA_MTU])
		ret->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) <= sizeof(ret->mac)) {
		ret->mac_len = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
		memcpy(ret->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), ret->mac_len);
	}
	if (tb[IFLA_PERM_ADDRESS] &&
	    mnl_attr_get_payload_len(tb[IFLA_PERM_ADDRESS]) <= sizeof(ret->perm_mac)) {
		ret->perm_mac_len = mnl_attr_get_payload_len(tb[IFLA_PERM_ADDRESS]);
		memcpy(ret->perm_mac, mnl_attr_get_payload(tb[IFLA_PERM_ADDRESS]), ret->perm_mac_len);
	}
	ret->wireless = tb[IFLA_WIRELESS] != NULL;
	if (tb[IFLA_LINKINFO] && parse_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX, info_types) < 0)
		return -EBADMSG;
	if (info[IFLA_INFO_KIND])
		snprintf(ret->kind, sizeof(ret->kind), "%s", mnl_attr_get_str(info[IFLA_INFO_KIND]));
	if (strcmp(ret->kind, "vlan") == 0 && info[IFLA_INFO_DATA]) {
		if (parse_nested(info[IFLA_INFO_DATA], vlan, IFLA_VLAN_MAX, vlan_types) < 0)
			return -EBADMSG;
		if (vlan[IFLA_VLAN_ID])
			ret->vlan = mnl_attr_get_u16(vlan[IFLA_VLAN_ID]) & 0xfff;
	}
	return 0;
}

int live_parse_addr(const struct nlmsghdr *nlh, struct live_addr *ret)
{
	static const enum mnl_attr_data_type types[IFA_MAX + 1] = {
		[IFA_FLAGS] = MNL_TYPE_U32, [IFA_PROTO] = MNL_TYPE_U8,
	};
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *addr;

	memset(ret, 0, sizeof(*ret));
	if (parse_attrs(nlh, sizeof(*ifa), tb, IFA_MAX, types) < 0)
		return -EBADMSG;
	ret->family = gn_family(ifa->ifa_family);
	ret->index = (int)ifa->ifa_index;
	ret->prefix = ifa->ifa_prefixlen;
	ret->flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	ret->proto = tb[IFA_PROTO] ? mnl_attr_get_u8(tb[IFA_PROTO]) : -1;
	ret->valid_lft = UINT32_MAX;
	if (tb[IFA_CACHEINFO] &&
	    mnl_attr_get_payload_len(tb[IFA_CACHEINFO]) >= sizeof(struct ifa_cacheinfo)) {
		const struct ifa_cacheinfo *ci = mnl_attr_get_payload(tb[IFA_CACHEINFO]);
		ret->valid_lft = ci->ifa_valid;
	}
	/* IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's on point-to-point links */
	addr = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!ret->family || !addr || ret->prefix > gn_ip_bits(ret->family))
		return -EBADMSG;
	return attr_ip(addr, ret->family, &ret->ip);
}

/* One next hop of RTA_MULTIPATH. */
static int parse_nexthop(const struct rtnexthop *nh, size_t room, int family,
			 struct live_nexthop *ret)
{
	const struct nlattr *attr;

	if (room < sizeof(*nh) || nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > room)
		return -EBADMSG;
	ret->index = nh->rtnh_ifindex;
	ret->gateway.family = 0;
	for (attr = (const struct nlattr *)((const char *)nh + RTNH_ALIGN(sizeof(*nh)));
	     mnl_attr_ok(attr, (int)((const char *)nh + nh->rtnh_len - (const char *)attr));
	     attr = mnl_attr_next(attr))
		if (mnl_attr_get_type(attr) == RTA_GATEWAY &&
		    attr_ip(attr, family, &ret->gateway) < 0)
			return -EBADMSG;
	return 0;
}

int live_parse_route(const struct nlmsghdr *nlh, struct live_route *ret)
{
	static const enum mnl_attr_data_type types[RTA_MAX + 1] = {
		[RTA_OIF] = MNL_TYPE_U32, [RTA_PRIORITY] = MNL_TYPE_U32, [RTA_TABLE] = MNL_TYPE_U32,
	};
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	memset(ret, 0, sizeof(*ret));
	if (parse_attrs(nlh, sizeof(*rtm), tb, RTA_MAX, types) < 0)
		return -EBADMSG;
	ret->family = gn_family(rtm->rtm_family);
	if (!ret->family || rtm->rtm_dst_len > gn_ip_bits(ret->family))
		return -EBADMSG;
	ret->table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	ret->type = rtm->rtm_type;
	ret->protocol = rtm->rtm_protocol;
	ret->dst_len = rtm->rtm_dst_len;
	if (tb[RTA_DST] && attr_ip(tb[RTA_DST], ret->family, &ret->dst) < 0)
		return -EBADMSG;
	if (!tb[RTA_DST])
		gn_ip_from_bytes(&ret->dst, ret->family, (const uint8_t[16]){ 0 });
	ret->metric = tb[RTA_PRIORITY] ? mnl_attr_get_u32(tb[RTA_PRIORITY]) : 0;
	if (tb[RTA_MULTIPATH]) {
		const char *p = mnl_attr_get_payload(tb[RTA_MULTIPATH]);
		size_t room = mnl_attr_get_payload_len(tb[RTA_MULTIPATH]);

		while (room >= sizeof(struct rtnexthop)) {
			const struct rtnexthop *nh = (const struct rtnexthop *)p;
			size_t step;

			if (ret->nhops == LIVE_MAX_NEXTHOPS) {
				ret->hops_capped = true;
				break;
			}
			if (parse_nexthop(nh, room, ret->family, &ret->hops[ret->nhops++]) < 0)
				return -EBADMSG;
			step = RTNH_ALIGN(nh->rtnh_len);
			if (step >= room)
				break;
			p += step;
			room -= step;
		}
	} else {
		ret->nhops = 1;
		ret->hops[0].index = tb[RTA_OIF] ? (int)mnl_attr_get_u32(tb[RTA_OIF]) : 0;
		if (tb[RTA_GATEWAY] && attr_ip(tb[RTA_GATEWAY], ret->family, &ret->hops[0].gateway) < 0)
			return -EBADMSG;
	}
	return 0;
}

static bool is_link_local(const struct gn_ip *ip)
{
	if (ip->family == GN_AF_INET)
		return ip->b[0] == 169 && ip->b[1] == 254;
	return ip->b[0] == 0xfe && (ip->b[1] & 0xc0) == 0x80;
}

enum gn_origin live_addr_origin(const struct live_addr *a)
{
	if (is_link_local(&a->ip))
		return GN_ORIGIN_LINK_LOCAL;
	if (a->proto == IFAPROT_KERNEL_RA)
		return GN_ORIGIN_AUTO;
	if (a->flags & IFA_F_PERMANENT)
		return GN_ORIGIN_STATIC;
	if (a->family == GN_AF_INET)
		return GN_ORIGIN_DHCP;
	/* DHCPv6 hands out single addresses; SLAAC builds them in a /64 */
	return a->prefix == 128 ? GN_ORIGIN_DHCP : GN_ORIGIN_AUTO;
}

/* The words of a resolv.conf line after its keyword, split on blanks. */
static char *next_word(char **p)
{
	char *w = *p + strspn(*p, " \t"), *end;

	if (!*w)
		return NULL;
	end = w + strcspn(w, " \t");
	*p = *end ? end + 1 : end;
	*end = '\0';
	return w;
}

void live_parse_resolv(struct gn_guest *g, const char *path, const char *buf, size_t len,
		       bool *stub)
{
	_cleanup_free_ char *copy = strndup(buf, len);
	_cleanup_free_ char *search = NULL;  /* the words of the last search or domain line */
	char *line, *save = NULL;
	size_t servers = 0, stubs = 0;

	*stub = false;
	if (!copy) {
		gn_guest_warn(g, "%s: out of memory", path);
		return;
	}
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line, *key = next_word(&p), *w;

		if (!key || key[0] == '#' || key[0] == ';')
			continue;
		if (strcmp(key, "nameserver") == 0 && (w = next_word(&p))) {
			struct gn_ip ip;
			w[strcspn(w, "%")] = '\0';  /* fe80::1%eth0: the zone is the link's */
			if (gn_ip_parse(w, &ip) < 0) {
				gn_guest_warn(g, "%s: nameserver '%.64s' is not an address", path, w);
				continue;
			}
			servers++;
			if (ip.family == GN_AF_INET && ip.b[0] == 127 && ip.b[1] == 0 && ip.b[2] == 0 &&
			    ip.b[3] == 53)
				stubs++;
			if (gn_guest_add_dns(g, &ip, GN_ORIGIN_UNSET) == -E2BIG)
				gn_guest_warn(g, "%s: more than %d name servers; the rest are left out",
					      path, GN_MAX_DNS);
		} else if (strcmp(key, "search") == 0 || strcmp(key, "domain") == 0) {
			free(search);
			search = strdup(p);
			if (strcmp(key, "domain") == 0 && !g->domain && (w = next_word(&p)))
				gn_set_string(&g->domain, w);
		}
	}
	for (char *p = search, *w; p && (w = next_word(&p));)
		if (gn_guest_add_search(g, w) < 0)
			gn_guest_warn(g, "%s: search domain '%.64s' left out", path, w);
	*stub = servers > 0 && stubs == servers;
}

/* -------- collection: sockets, files, and the model -------- */

struct link_slot {
	int index;
	struct gn_interface *ifc;  /* NULL: loopback or excluded */
	bool v4_dhcp, v6_auto, v6_dhcp;
};

struct live {
	struct gn_guest *g;
	const struct agent_options *opt;
	struct mnl_socket *nl;
	unsigned seq;
	struct link_slot *links;
	size_t nlinks;
	bool links_capped;
	char *buf;  /* LIVE_RECV_BYTES */
};

static struct link_slot *slot_of(struct live *L, int index)
{
	for (size_t i = 0; i < L->nlinks; i++)
		if (L->links[i].index == index)
			return &L->links[i];
	return NULL;
}

typedef int (*message_fn)(struct live *L, const struct nlmsghdr *nlh);

struct dump {
	struct live *L;
	message_fn fn;
	int error;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	int r = d->fn(d->L, nlh);

	if (r < 0 && d->error == 0)
		d->error = r;
	return MNL_CB_OK;
}

/*
 * One dump request (RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE) with its answers handed to fn; run
 * again from the start when the kernel says the tables changed during it.  reset() empties what
 * an interrupted run gathered.
 */
static int dump(struct live *L, uint16_t type, int family, message_fn fn, void (*reset)(struct live *),
		gn_error *err)
{
	for (int tries = 0; tries < LIVE_DUMP_TRIES; tries++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(L->buf);
		struct rtgenmsg *gen;
		struct dump d = { L, fn, 0 };
		unsigned portid = mnl_socket_get_portid(L->nl);
		ssize_t n;
		int r = MNL_CB_OK;

		nlh->nlmsg_type = type;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		nlh->nlmsg_seq = ++L->seq;
		gen = mnl_nlmsg_put_extra_header(nlh, sizeof(*gen));
		gen->rtgen_family = (unsigned char)family;
		if (type == RTM_GETLINK)  /* counters are large and of no use here */
			mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
		if (mnl_socket_sendto(L->nl, nlh, nlh->nlmsg_len) < 0)
			return gn_error_set(err, -errno, "rtnetlink: cannot send a request: %s",
					    strerror(errno));
		if (reset)
			reset(L);
		errno = 0;
		while (r > MNL_CB_STOP && (n = mnl_socket_recvfrom(L->nl, L->buf, LIVE_RECV_BYTES)) > 0)
			r = mnl_cb_run(L->buf, (size_t)n, L->seq, portid, dump_cb, &d);
		if (r == MNL_CB_STOP || (r == MNL_CB_OK && errno == 0)) {
			if (d.error < 0)
				gn_guest_warn(L->g, "rtnetlink: a malformed message was skipped");
			return 0;
		}
		if (errno != EINTR)
			return gn_error_set(err, -(errno ? errno : EIO), "rtnetlink: %s",
					    strerror(errno ? errno : EIO));
	}
	return gn_error_set(err, -EAGAIN, "rtnetlink: the tables kept changing during %d dumps",
			    LIVE_DUMP_TRIES);
}

static enum gn_iftype link_type(const struct live_link *k)
{
	switch (k->arphrd) {
	case ARPHRD_ETHER:
		return k->wireless ? GN_IFTYPE_WIRELESS : GN_IFTYPE_ETHERNET;
	case ARPHRD_IEEE80211:
		return GN_IFTYPE_WIRELESS;
	case ARPHRD_TUNNEL:
	case ARPHRD_TUNNEL6:
	case ARPHRD_SIT:
	case ARPHRD_IPGRE:
	case ARPHRD_IP6GRE:
	case ARPHRD_NONE:
	case ARPHRD_PPP:
		return GN_IFTYPE_TUNNEL;
	default:
		return GN_IFTYPE_OTHER;
	}
}

static void set_mac(struct live *L, struct gn_interface *ifc, const uint8_t *b, size_t len, bool perm)
{
	char text[GN_MAC_TEXT_MAX];

	if (len != 6 || !(b[0] | b[1] | b[2] | b[3] | b[4] | b[5]))
		return;  /* not an Ethernet MAC (tunnels, InfiniBand), or none */
	gn_mac_from_bytes(b, text);
	if ((perm ? gn_interface_set_permanent_mac(ifc, text) : gn_interface_set_mac(ifc, text)) < 0)
		gn_guest_warn(L->g, "%s: MAC %s could not be recorded", ifc->id, text);
}

static int on_link(struct live *L, const struct nlmsghdr *nlh)
{
	struct live_link k;
	struct link_slot *slot;
	struct gn_interface *ifc;
	int r = live_parse_link(nlh, &k);

	if (r < 0)
		return r;
	if (L->nlinks == LIVE_MAX_LINKS) {
		if (!L->links_capped)
			gn_guest_warn(L->g, "more than %d links: the rest are left out", LIVE_MAX_LINKS);
		L->links_capped = true;
		return 0;
	}
	slot = &L->links[L->nlinks++];
	memset(slot, 0, sizeof(*slot));
	slot->index = k.index;
	if (k.arphrd == ARPHRD_LOOPBACK || agent_excluded(L->opt, k.name))
		return 0;
	r = gn_guest_add_interface(L->g, k.name, &ifc);
	if (r < 0) {
		gn_guest_warn(L->g, "interface %s could not be recorded: %s", k.name,
			      r == -E2BIG ? "too many interfaces" : strerror(-r));
		return 0;
	}
	slot->ifc = ifc;
	gn_set_string(&ifc->name, k.name);
	ifc->type = link_type(&k);
	ifc->mtu = k.mtu;
	ifc->enabled = k.up;
	ifc->vlan = k.vlan;
	set_mac(L, ifc, k.mac, k.mac_len, false);
	set_mac(L, ifc, k.perm_mac, k.perm_mac_len, true);
	return 0;
}

static void reset_links(struct live *L)
{
	while (L->g->interfaces.n > 0)
		gn_guest_remove_interface(L->g, L->g->interfaces.v[L->g->interfaces.n - 1]);
	L->nlinks = 0;
	L->links_capped = false;
}

static void add_lease(struct gn_ipconf *c, uint32_t valid_lft)
{
	if (valid_lft == UINT32_MAX || c->lease.expires != GN_UNSET)
		return;
	c->lease.expires = (int64_t)time(NULL) + valid_lft;
}

static int on_addr(struct live *L, const struct nlmsghdr *nlh)
{
	struct live_addr a;
	struct link_slot *slot;
	struct gn_ipconf *c;
	enum gn_origin origin;
	char text[GN_IP_TEXT_MAX];
	int r = live_parse_addr(nlh, &a);

	if (r < 0)
		return r;
	slot = slot_of(L, a.index);
	if (!slot || !slot->ifc || (a.flags & IFA_F_DADFAILED))
		return 0;
	/* IPv6 privacy addresses come and go; the same bit on IPv4 means "secondary", kept */
	if (a.family == GN_AF_INET6 && (a.flags & IFA_F_TEMPORARY))
		return 0;
	origin = live_addr_origin(&a);
	c = gn_interface_ipconf(slot->ifc, a.family);
	r = gn_ipconf_add_address(c, &a.ip, a.prefix, origin);
	if (r < 0) {
		gn_guest_warn(L->g, "%s: address %s/%u left out: %s", slot->ifc->id,
			      gn_ip_format(&a.ip, text), a.prefix,
			      r == -E2BIG ? "too many addresses" : strerror(-r));
		return 0;
	}
	if (origin == GN_ORIGIN_DHCP) {
		if (a.family == GN_AF_INET)
			slot->v4_dhcp = true;
		else
			slot->v6_dhcp = true;
		add_lease(c, a.valid_lft);
	} else if (origin == GN_ORIGIN_AUTO) {
		slot->v6_auto = true;
	}
	return 0;
}

static void reset_addrs(struct live *L)
{
	for (size_t i = 0; i < L->nlinks; i++) {
		struct gn_interface *ifc = L->links[i].ifc;
		if (!ifc)
			continue;
		ifc->v4.addresses.n = ifc->v6.addresses.n = 0;
		ifc->v4.lease.expires = ifc->v6.lease.expires = GN_UNSET;
		L->links[i].v4_dhcp = L->links[i].v6_auto = L->links[i].v6_dhcp = false;
	}
}

/* Whether the kernel derived or learned this route by itself (it comes back on its own). */
static bool derived_route(const struct live_route *rt)
{
	return rt->protocol == RTPROT_KERNEL || rt->protocol == RTPROT_REDIRECT ||
	       rt->protocol == RTPROT_RA || rt->protocol == RTPROT_DHCP;
}

static int on_route(struct live *L, const struct nlmsghdr *nlh)
{
	struct live_route rt;
	char text[GN_IP_TEXT_MAX];
	int r = live_parse_route(nlh, &rt);

	if (r < 0)
		return r;
	if (rt.table != RT_TABLE_MAIN || rt.type != RTN_UNICAST)
		return 0;
	if (rt.hops_capped)
		gn_guest_warn(L->g, "a route to %s/%u has more than %d next hops; the rest are left out",
			      gn_ip_format(&rt.dst, text), rt.dst_len, LIVE_MAX_NEXTHOPS);
	for (size_t i = 0; i < rt.nhops; i++) {
		struct live_nexthop *h = &rt.hops[i];
		struct link_slot *slot = slot_of(L, h->index);

		if (h->index && (!slot || !slot->ifc))
			continue;  /* on loopback or an excluded interface */
		if (rt.dst_len == 0 && h->gateway.family && slot) {
			struct gn_ipconf *c = gn_interface_ipconf(slot->ifc, rt.family);
			if (rt.protocol == RTPROT_DHCP && rt.family == GN_AF_INET)
				slot->v4_dhcp = true;
			if (rt.protocol == RTPROT_RA)
				slot->v6_auto = true;
			if (gn_ipconf_add_gateway(c, &h->gateway, rt.metric) < 0)
				gn_guest_warn(L->g, "%s: gateway %s left out", slot->ifc->id,
					      gn_ip_format(&h->gateway, text));
		} else if (!derived_route(&rt)) {
			r = gn_guest_add_route(L->g, &rt.dst, rt.dst_len,
					       h->gateway.family ? &h->gateway : NULL, rt.metric,
					       slot ? slot->ifc->id : NULL);
			if (r == -E2BIG)
				gn_guest_warn(L->g, "more than %d static routes: the rest are left out",
					      GN_MAX_ROUTES);
		}
	}
	return 0;
}

static void reset_routes(struct live *L)
{
	gn_guest_clear_routes(L->g);
	for (size_t i = 0; i < L->nlinks; i++)
		if (L->links[i].ifc)
			L->links[i].ifc->v4.gateways.n = L->links[i].ifc->v6.gateways.n = 0;
}

/* A file of at most max bytes under the agent's root; NULL and errno when it cannot be read. */
static char *read_small(const struct agent_options *opt, const char *path, size_t max, size_t *len)
{
	char full[4096];
	_cleanup_free_ char *buf = NULL;
	int fd;
	ssize_t n;

	snprintf(full, sizeof(full), "%s%s", strcmp(opt->root, "/") == 0 ? "" : opt->root, path);
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	buf = malloc(max + 1);
	*len = 0;
	while (buf && *len < max && (n = read(fd, buf + *len, max - *len)) > 0)
		*len += (size_t)n;
	close(fd);
	if (buf)
		buf[*len] = '\0';
	return TAKE_PTR(buf);
}

/* The kernel's per-link IPv6 switches: /proc/sys/net/ipv6/conf/NAME/KEY (this namespace's). */
static int ipv6_conf(const char *ifname, const char *key)
{
	char path[128], buf[16];
	int fd, v = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname, key);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		v = atoi(buf);
	}
	return v;
}

static bool has_global(const struct gn_ipconf *c)
{
	for (size_t i = 0; i < c->addresses.n; i++)
		if (c->addresses.v[i].origin != GN_ORIGIN_LINK_LOCAL)
			return true;
	return false;
}

/* Each interface's mode per family, from what its addresses and routes showed. */
static void decide_modes(struct live *L)
{
	for (size_t i = 0; i < L->nlinks; i++) {
		struct link_slot *s = &L->links[i];
		struct gn_interface *ifc = s->ifc;

		if (!ifc)
			continue;
		if (s->v4_dhcp)
			ifc->v4.mode = GN_MODE_DHCP;
		else if (has_global(&ifc->v4))
			ifc->v4.mode = GN_MODE_STATIC;
		else if (ifc->v4.addresses.n)
			ifc->v4.mode = GN_MODE_AUTO;  /* only 169.254/16: IPv4 link-local autoconfiguration */
		else if (ifc->v4.gateways.n)
			ifc->v4.mode = GN_MODE_STATIC;

		if (ipv6_conf(ifc->id, "disable_ipv6") == 1) {
			ifc->v6.mode = GN_MODE_DISABLED;
			ifc->v6.addresses.n = ifc->v6.gateways.n = 0;
		} else if (s->v6_dhcp) {
			ifc->v6.mode = GN_MODE_DHCP;
		} else if (s->v6_auto) {
			ifc->v6.mode = GN_MODE_AUTO;
		} else if (has_global(&ifc->v6) || ifc->v6.gateways.n) {
			ifc->v6.mode = GN_MODE_STATIC;
		} else if (ifc->v6.addresses.n) {
			/* only link-local: autoconfigured if a router spoke, as the kernel would */
			ifc->v6.mode = ipv6_conf(ifc->id, "autoconf") > 0 &&
				       ipv6_conf(ifc->id, "accept_ra") > 0 ? GN_MODE_AUTO : GN_MODE_STATIC;
		}
	}
}

static void read_dns(struct live *L)
{
	static const char *const files[] = {
		"/etc/resolv.conf", "/run/systemd/resolve/resolv.conf",
	};
	bool stub = false;

	for (size_t i = 0; i < GN_ELEMENTSOF(files); i++) {
		size_t len;
		_cleanup_free_ char *buf = read_small(L->opt, files[i], LIVE_MAX_RESOLV_BYTES, &len);

		if (!buf) {
			if (i == 0 && errno != ENOENT)
				gn_guest_warn(L->g, "%s: %s", files[i], strerror(errno));
			if (i == 1)
				gn_guest_warn(L->g, "%s uses systemd-resolved's stub, and %s cannot be "
					      "read: %s", files[0], files[i], strerror(errno));
			return;
		}
		if (len == LIVE_MAX_RESOLV_BYTES)
			gn_guest_warn(L->g, "%s: only the first %u bytes were read", files[i],
				      LIVE_MAX_RESOLV_BYTES);
		gn_guest_clear_resolver(L->g);  /* the real file replaces the stub's */
		live_parse_resolv(L->g, files[i], buf, len, &stub);
		if (!stub)
			return;
	}
}

static void read_hostname(struct live *L)
{
	char name[256];
	char *dot;

	if (gethostname(name, sizeof(name)) < 0) {
		gn_guest_warn(L->g, "the host name could not be read: %s", strerror(errno));
		return;
	}
	name[sizeof(name) - 1] = '\0';
	/* a fully qualified host name: its first label is the host name, the rest the domain */
	dot = strchr(name, '.');
	if (dot && dot[1])
		gn_set_string(&L->g->domain, dot + 1);
	if (dot)
		*dot = '\0';
	if (gn_set_string(&L->g->hostname, name) < 0)
		gn_guest_warn(L->g, "the host name is not valid UTF-8 or too long");
}

int agent_collect(struct gn_guest *g, const struct agent_options *opt, gn_error *err)
{
	struct live L = { .g = g, .opt = opt };
	int r;

	g->os = GN_OS_LINUX;
	L.links = calloc(LIVE_MAX_LINKS, sizeof(*L.links));
	L.buf = malloc(LIVE_RECV_BYTES);
	if (!L.links || !L.buf) {
		r = gn_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	L.nl = mnl_socket_open(NETLINK_ROUTE);
	if (!L.nl || mnl_socket_bind(L.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = gn_error_set(err, -errno, "cannot open an rtnetlink socket: %s", strerror(errno));
		goto out;
	}
	read_hostname(&L);
	r = dump(&L, RTM_GETLINK, AF_UNSPEC, on_link, reset_links, err);
	if (r >= 0)
		r = dump(&L, RTM_GETADDR, AF_UNSPEC, on_addr, reset_addrs, err);
	if (r >= 0)
		r = dump(&L, RTM_GETROUTE, AF_UNSPEC, on_route, reset_routes, err);
	if (r >= 0) {
		decide_modes(&L);
		read_dns(&L);
	}
out:
	if (L.nl)
		mnl_socket_close(L.nl);
	free(L.links);
	free(L.buf);
	return r < 0 ? r : 0;
}
