/*
 * map.h: the mapping engine.  From the settings of the protected VMs and the recovery site's
 * description it decides, for every NIC, its target network, subnet, addresses, gateway, DNS
 * and public addresses after failover, test failover or failback, and writes why into the plan.
 *
 * The rules (DESIGN.md, issue 5), in the order they apply to one NIC:
 *   1. source network: the site's <attach> row, else interface/@network where it names a
 *      network of the side the NIC is on, else the subnet holding its address (longest prefix);
 *   2. target network: the <map> rows (failover target, test target), or with no rows an
 *      automatic mapping when both sides hold as many networks (equal names first, then
 *      document order); failback reverses the mapping, which must be one to one;
 *   3. subnet: the target subnet named like the source subnet, else by the policy's fallback
 *      (alphabetical, or document order);
 *   4. addresses: DHCP stays DHCP; a static address is kept where the target subnet holds it and
 *      it is free, else the first matching <reip> rule, else the next available address (from
 *      the end of the subnet for test failover); never an address the pool refuses (pool.h);
 *   5. public addresses from the site's pools, one per request;
 * and warnings for what the site or the settings get wrong.  Same input, same bytes: VMs and
 * NICs are planned in the order of the settings, everything else in document order.
 */
#ifndef GN_MAP_H
#define GN_MAP_H

#include "plan.h"
#include "site.h"

/*
 * Plan the guests of settings[0..n) against site.  Returns 0 and a new plan in *ret; -EBADMSG
 * with err saying why when the site cannot give a plan of that mode (failback over a mapping
 * that is not one to one; an IPv6 subnet other than /64 with network extension); -ENOMEM.
 */
int gn_map(const struct gn_site *site, gn_settings *const *settings, size_t n,
	   enum gn_plan_mode mode, struct gn_plan **ret, gn_error *err);

#endif
