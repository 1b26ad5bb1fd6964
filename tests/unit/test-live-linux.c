/*
 * test-live-linux.c: the Linux agent's parsers (agent/live-linux.c) on netlink messages built
 * here with libmnl, as the kernel lays them out: what the namespaces of the integration tests
 * cannot show (a VLAN link: this kernel has no 8021q module; DHCP and SLAAC flags; multipath
 * routes) and what a hostile or newer kernel could send (short, truncated, unknown attributes).
 * Also resolv.conf parsing and the interface name patterns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "cleanup.h"
#include "live-linux.h"

static char buf[8192];

static struct nlmsghdr *link_msg(const char *name, int index, unsigned flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	memset(buf + sizeof(*nlh), 0, sizeof(*ifm));
	nlh->nlmsg_type = RTM_NEWLINK;
	ifm->ifi_index = index;
	ifm->ifi_type = ARPHRD_ETHER;
	ifm->ifi_flags = flags;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1496);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, "\x52\x54\x00\x12\x34\x56");
	return nlh;
}

static void test_link_vlan(void **state)
{
	struct nlmsghdr *nlh = link_msg("eth0.12", 7, IFF_UP);
	struct nlattr *info, *data;
	struct live_link k;

	(void)state;
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u16(nlh, IFLA_VLAN_PROTOCOL, htons(0x8100));
	mnl_attr_put_u16(nlh, IFLA_VLAN_ID, 12);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	mnl_attr_put(nlh, IFLA_PERM_ADDRESS, 6, "\x52\x54\x00\x12\x34\x99");
	mnl_attr_put_u32(nlh, 0x7ff0 & 0x3ff, 1);  /* an attribute type this build does not know */

	assert_int_equal(live_parse_link(nlh, &k), 0);
	assert_string_equal(k.name, "eth0.12");
	assert_int_equal(k.index, 7);
	assert_true(k.up);
	assert_int_equal(k.mtu, 1496);
	assert_string_equal(k.kind, "vlan");
	assert_int_equal(k.vlan, 12);
	assert_int_equal(k.mac_len, 6);
	assert_memory_equal(k.mac, "\x52\x54\x00\x12\x34\x56", 6);
	assert_int_equal(k.perm_mac_len, 6);
	assert_memory_equal(k.perm_mac, "\x52\x54\x00\x12\x34\x99", 6);
	assert_false(k.wireless);
}

static void test_link_plain_and_bad(void **state)
{
	struct nlmsghdr *nlh = link_msg("ens18", 2, 0);
	struct live_link k;
	char name[IFNAMSIZ + 8];

	(void)state;
	assert_int_equal(live_parse_link(nlh, &k), 0);
	assert_false(k.up);
	assert_int_equal(k.vlan, 0);
	assert_string_equal(k.kind, "");

	/* a vlan without its data is a vlan of unknown id, not an error */
	nlh = link_msg("eth1.5", 3, IFF_UP);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vlan");
	mnl_attr_nest_end(nlh, info);
	assert_int_equal(live_parse_link(nlh, &k), 0);
	assert_int_equal(k.vlan, 0);

	/* no name, a name too long, an MTU of the wrong size, a message cut short */
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	assert_int_equal(live_parse_link(nlh, &k), -EBADMSG);
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	nlh = link_msg(name, 4, 0);
	assert_int_equal(live_parse_link(nlh, &k), -EBADMSG);
	nlh = link_msg("eth2", 4, 0);
	mnl_attr_put_u16(nlh, IFLA_MTU, 1500);  /* the last of a type wins: now a u16 */
	assert_int_equal(live_parse_link(nlh, &k), -EBADMSG);
	nlh = link_msg("eth3", 4, 0);
	nlh->nlmsg_len = sizeof(*nlh) + 4;
	assert_int_equal(live_parse_link(nlh, &k), -EBADMSG);
}

static struct nlmsghdr *addr_msg(int family, const char *text, unsigned prefix, uint32_t flags,
				 uint32_t valid)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint8_t b[16];

	memset(ifa, 0, sizeof(*ifa));
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefix;
	ifa->ifa_flags = (uint8_t)flags;
	ifa->ifa_index = 2;
	inet_pton(family, text, b);
	mnl_attr_put(nlh, IFA_ADDRESS, family == AF_INET ? 4 : 16, b);
	if (family == AF_INET)
		mnl_attr_put(nlh, IFA_LOCAL, 4, b);
	mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	if (valid != UINT32_MAX) {
		struct ifa_cacheinfo ci = { .ifa_prefered = valid, .ifa_valid = valid };
		mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	}
	return nlh;
}

static void test_addr_origins(void **state)
{
	static const struct {
		int family;
		const char *ip;
		unsigned prefix;
		uint32_t flags, valid;
		enum gn_origin want;
	} cases[] = {
		{ AF_INET, "10.1.2.3", 24, IFA_F_PERMANENT, UINT32_MAX, GN_ORIGIN_STATIC },
		{ AF_INET, "10.1.2.4", 24, IFA_F_PERMANENT | IFA_F_SECONDARY, UINT32_MAX, GN_ORIGIN_STATIC },
		{ AF_INET, "192.168.1.50", 24, 0, 86400, GN_ORIGIN_DHCP },
		{ AF_INET, "169.254.7.8", 16, IFA_F_PERMANENT, UINT32_MAX, GN_ORIGIN_LINK_LOCAL },
		{ AF_INET6, "2001:db8::10", 64, IFA_F_PERMANENT, UINT32_MAX, GN_ORIGIN_STATIC },
		{ AF_INET6, "2001:db8::5054:ff:fe12:3456", 64, IFA_F_MANAGETEMPADDR, 2592000, GN_ORIGIN_AUTO },
		{ AF_INET6, "2001:db8::1:99", 128, 0, 7200, GN_ORIGIN_DHCP },
		{ AF_INET6, "fe80::1", 64, IFA_F_PERMANENT, UINT32_MAX, GN_ORIGIN_LINK_LOCAL },
	};
	struct live_addr a;
	char text[GN_IP_TEXT_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nlmsghdr *nlh = addr_msg(cases[i].family, cases[i].ip, cases[i].prefix,
						cases[i].flags, cases[i].valid);
		assert_int_equal(live_parse_addr(nlh, &a), 0);
		assert_string_equal(gn_ip_format(&a.ip, text), cases[i].ip);
		assert_int_equal(a.prefix, cases[i].prefix);
		assert_int_equal(a.flags, cases[i].flags);
		assert_int_equal(a.valid_lft, cases[i].valid);
		assert_int_equal(a.proto, -1);
		if (live_addr_origin(&a) != cases[i].want)
			fail_msg("%s: origin %d, want %d", cases[i].ip, live_addr_origin(&a),
				 cases[i].want);
	}

	/* Linux 6.3+ says which addresses router advertisements made */
	struct nlmsghdr *nlh = addr_msg(AF_INET6, "2001:db8::77", 64, IFA_F_PERMANENT, UINT32_MAX);
	mnl_attr_put_u8(nlh, IFA_PROTO, IFAPROT_KERNEL_RA);
	assert_int_equal(live_parse_addr(nlh, &a), 0);
	assert_int_equal(live_addr_origin(&a), GN_ORIGIN_AUTO);

	/* an IPv4 address attribute of 16 bytes, a prefix past the family, no address at all */
	nlh = addr_msg(AF_INET, "10.0.0.1", 24, 0, UINT32_MAX);
	mnl_attr_put(nlh, IFA_LOCAL, 16, "0123456789abcdef");
	assert_int_equal(live_parse_addr(nlh, &a), -EBADMSG);
	nlh = addr_msg(AF_INET, "10.0.0.1", 33, 0, UINT32_MAX);
	assert_int_equal(live_parse_addr(nlh, &a), -EBADMSG);
	nlh = mnl_nlmsg_put_header(buf);
	memset(mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifaddrmsg)), 0, sizeof(struct ifaddrmsg));
	((struct ifaddrmsg *)mnl_nlmsg_get_payload(nlh))->ifa_family = AF_INET;
	assert_int_equal(live_parse_addr(nlh, &a), -EBADMSG);
}

static struct nlmsghdr *route_msg(int family, const char *dst, unsigned dst_len, unsigned proto)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	uint8_t b[16];

	memset(rtm, 0, sizeof(*rtm));
	nlh->nlmsg_type = RTM_NEWROUTE;
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_protocol = (uint8_t)proto;
	mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
	if (dst) {
		inet_pton(family, dst, b);
		mnl_attr_put(nlh, RTA_DST, family == AF_INET ? 4 : 16, b);
	}
	return nlh;
}

static void put_hop(struct nlmsghdr *nlh, int index, const char *gw)
{
	struct rtnexthop *nh = (struct rtnexthop *)((char *)nlh + nlh->nlmsg_len);
	size_t start = nlh->nlmsg_len;
	uint8_t b[4];

	memset(nh, 0, sizeof(*nh));
	nh->rtnh_ifindex = index;
	nlh->nlmsg_len += RTNH_ALIGN(sizeof(*nh));
	inet_pton(AF_INET, gw, b);
	mnl_attr_put(nlh, RTA_GATEWAY, 4, b);
	nh->rtnh_len = (unsigned short)(nlh->nlmsg_len - start);
}

static void test_routes(void **state)
{
	struct live_route rt;
	struct nlmsghdr *nlh;
	struct nlattr *mp;
	char text[GN_IP_TEXT_MAX];
	uint8_t gw[4];

	(void)state;
	/* a default route with a gateway and a metric */
	nlh = route_msg(AF_INET, NULL, 0, RTPROT_DHCP);
	inet_pton(AF_INET, "10.0.0.1", gw);
	mnl_attr_put(nlh, RTA_GATEWAY, 4, gw);
	mnl_attr_put_u32(nlh, RTA_OIF, 3);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 100);
	assert_int_equal(live_parse_route(nlh, &rt), 0);
	assert_int_equal(rt.dst_len, 0);
	assert_string_equal(gn_ip_format(&rt.dst, text), "0.0.0.0");
	assert_int_equal(rt.protocol, RTPROT_DHCP);
	assert_int_equal(rt.metric, 100);
	assert_int_equal(rt.nhops, 1);
	assert_int_equal(rt.hops[0].index, 3);
	assert_string_equal(gn_ip_format(&rt.hops[0].gateway, text), "10.0.0.1");

	/* a static route over two next hops */
	nlh = route_msg(AF_INET, "172.16.0.0", 12, RTPROT_BOOT);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	put_hop(nlh, 2, "10.0.0.254");
	put_hop(nlh, 3, "10.0.1.254");
	mnl_attr_nest_end(nlh, mp);
	assert_int_equal(live_parse_route(nlh, &rt), 0);
	assert_int_equal(rt.nhops, 2);
	assert_int_equal(rt.metric, 0);
	assert_int_equal(rt.hops[1].index, 3);
	assert_string_equal(gn_ip_format(&rt.hops[1].gateway, text), "10.0.1.254");
	assert_string_equal(gn_ip_format(&rt.dst, text), "172.16.0.0");

	/* more next hops than kept: capped and said */
	nlh = route_msg(AF_INET, "172.17.0.0", 16, RTPROT_STATIC);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (int i = 0; i < LIVE_MAX_NEXTHOPS + 3; i++)
		put_hop(nlh, 2, "10.0.0.9");
	mnl_attr_nest_end(nlh, mp);
	assert_int_equal(live_parse_route(nlh, &rt), 0);
	assert_int_equal(rt.nhops, LIVE_MAX_NEXTHOPS);
	assert_true(rt.hops_capped);

	/* a next hop claiming more than its room; a destination of the wrong size */
	nlh = route_msg(AF_INET, "172.18.0.0", 16, RTPROT_STATIC);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	put_hop(nlh, 2, "10.0.0.9");
	((struct rtnexthop *)mnl_attr_get_payload(mp))->rtnh_len = 200;
	mnl_attr_nest_end(nlh, mp);
	assert_int_equal(live_parse_route(nlh, &rt), -EBADMSG);
	nlh = route_msg(AF_INET6, NULL, 64, RTPROT_STATIC);
	mnl_attr_put(nlh, RTA_DST, 4, gw);
	assert_int_equal(live_parse_route(nlh, &rt), -EBADMSG);
	nlh = route_msg(AF_INET, NULL, 40, RTPROT_STATIC);
	assert_int_equal(live_parse_route(nlh, &rt), -EBADMSG);
}

static void test_resolv(void **state)
{
	static const char conf[] =
		"# generated\n"
		"nameserver 10.0.0.53\n"
		"nameserver   2001:db8::53  \n"
		"nameserver fe80::1%eth0\n"
		"nameserver 10.0.0.53\n"
		"nameserver not-an-address\n"
		"search a.example b.example\n"
		"domain corp.example\n"
		"options ndots:2\n"
		"search  c.example\td.example\n";
	_cleanup_(gn_settings_freep) gn_settings *s = NULL;
	struct gn_guest *g;
	char text[GN_IP_TEXT_MAX];
	bool stub;

	(void)state;
	assert_int_equal(gn_settings_new(&s), 0);
	assert_int_equal(gn_settings_add_guest(s, &g), 0);
	live_parse_resolv(g, "/etc/resolv.conf", conf, sizeof(conf) - 1, &stub);
	assert_false(stub);
	assert_int_equal(g->dns.n, 3);
	assert_string_equal(gn_ip_format(&g->dns.v[0].ip, text), "10.0.0.53");
	assert_string_equal(gn_ip_format(&g->dns.v[1].ip, text), "2001:db8::53");
	assert_string_equal(gn_ip_format(&g->dns.v[2].ip, text), "fe80::1");
	/* the last search or domain line wins; the domain line names the domain */
	assert_int_equal(g->search.n, 2);
	assert_string_equal(g->search.v[0], "c.example");
	assert_string_equal(g->search.v[1], "d.example");
	assert_string_equal(g->domain, "corp.example");
	assert_int_equal(g->warnings.n, 1);
	assert_non_null(strstr(g->warnings.v[0], "not-an-address"));

	/* systemd-resolved's stub, and a file without a final newline nor servers */
	assert_int_equal(gn_settings_add_guest(s, &g), 0);
	static const char stubconf[] = "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch x";
	live_parse_resolv(g, "r", stubconf, strlen(stubconf), &stub);
	assert_true(stub);
	assert_int_equal(g->search.n, 1);
	assert_int_equal(gn_settings_add_guest(s, &g), 0);
	live_parse_resolv(g, "r", "", 0, &stub);
	assert_false(stub);
	assert_int_equal(g->dns.n, 0);
}

static void test_patterns(void **state)
{
	struct agent_options opt = { .root = "/" };

	(void)state;
	assert_true(agent_match("veth*", "veth1a2b"));
	assert_true(agent_match("*", ""));
	assert_true(agent_match("e?h*0", "eth10"));
	assert_true(agent_match("*a*b*c", "xxaxxbxxbc"));
	assert_false(agent_match("eth?", "eth10"));
	assert_false(agent_match("docker*", "xdocker0"));
	assert_false(agent_match("a*b", "aXbX"));

	assert_true(agent_excluded(&opt, "docker0"));
	assert_true(agent_excluded(&opt, "cali1234"));
	assert_false(agent_excluded(&opt, "eth0"));
	opt.exclude[opt.nexclude++] = "eth1*";
	assert_true(agent_excluded(&opt, "eth10"));
	opt.include[opt.ninclude++] = "docker0";
	assert_false(agent_excluded(&opt, "docker0"));
	assert_true(agent_excluded(&opt, "docker1"));
	opt.no_default_excludes = true;
	assert_false(agent_excluded(&opt, "veth0"));
	assert_true(agent_excluded(&opt, "eth11"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_vlan),
		cmocka_unit_test(test_link_plain_and_bad),
		cmocka_unit_test(test_addr_origins),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_resolv),
		cmocka_unit_test(test_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
