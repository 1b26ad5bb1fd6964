/*
 * merge.h: one VM's settings collected twice, merged into one guest (issue 6).
 *
 * A backup may carry the settings the agent read from the running guest (runtime) and those read
 * offline from its disks (a Windows registry hive, Linux configuration files).  Where both exist
 * the runtime wins, field by field: IPv6 and DHCP state are only trustworthy from the running
 * system, while the offline copy knows what the runtime cannot show (a disabled NIC, persistent
 * routes, a friendly name).  The merged guest marks where each part came from (the from
 * attribute, model.h "Provenance").
 */
#ifndef GN_MERGE_H
#define GN_MERGE_H

#include "model.h"

/*
 * Merge runtime (the agent's guest) and other (the same VM read from a registry hive or
 * configuration files) into a new guest appended to s.  Neither input is changed; they may be
 * guests of s itself.
 *
 * Rules: os from runtime; name, hostname, domain the runtime's, else other's; the sources of
 * both; interfaces matched by MAC (the effective one, else the permanent one) and id (case-
 * insensitive), then by a MAC only one unmatched interface on each side has (VLAN interfaces,
 * bridges and teams share MACs), then by id where one side has no MAC.  A matched interface
 * keeps the runtime's fields and takes each one the runtime lacks from other; its ipv4 and ipv6
 * are the runtime's where the runtime knows that family (mode set), else other's.  Interfaces
 * only in runtime or only in other are copied (an other-only interface whose id is taken is
 * dropped with a warning, and its routes with it).  Routes: the runtime's, then other's not
 * already there (same family, destination, prefix and gateway), with their interface ids
 * translated to the matched runtime interface.  System-wide DNS servers and the
 * search list: the runtime's when it has either, else other's.  Warnings of both.  Interfaces,
 * their ipv4 and ipv6, routes and system-wide DNS servers get a from attribute: their own where
 * set, else their guest's kind (runtime; other's is gn_guest_source_kind).
 *
 * Returns 0 and the new guest in *ret (owned by s).  On error s is unchanged and err says why:
 * -EINVAL when the two are not the same VM (different os), runtime has no os or a source of
 * another kind, or other's kind is not registry or config-files; -E2BIG when the merged guest
 * exceeds a limit (GN_MAX_INTERFACES, GN_MAX_ROUTES, GN_MAX_SOURCES, GN_MAX_GUESTS in s; err
 * names it); -ENOMEM.
 */
int gn_settings_add_merged_guest(gn_settings *s, const struct gn_guest *runtime,
				 const struct gn_guest *other, struct gn_guest **ret,
				 gn_error *err);

#endif
