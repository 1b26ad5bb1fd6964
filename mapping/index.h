/*
 * index.h: the lookups the mapping engine makes per NIC (a network by name, a VM's attach rows,
 * a source address already seen) in constant time, so that planning 200,000 NICs stays linear.
 *
 * One open-addressing hash table keyed by bytes (a name, or an address with its family); the
 * caller keeps the keys alive.  Entries are never removed.
 *
 *   struct gn_index ix = { 0 };
 *   gn_index_put(&ix, name, strlen(name), net);   0, -EEXIST (the old value stays), -ENOMEM
 *   net = gn_index_get(&ix, name, strlen(name));  NULL when absent
 *   gn_index_release(&ix);
 */
#ifndef GN_INDEX_H
#define GN_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct gn_index_slot {
	const void *key;
	size_t len;
	uint64_t hash;
	void *value;
};

struct gn_index {
	struct gn_index_slot *slots;
	size_t n, cap;  /* cap: a power of two, or 0 */
};

int gn_index_put(struct gn_index *ix, const void *key, size_t len, void *value);
void *gn_index_get(const struct gn_index *ix, const void *key, size_t len);
void gn_index_release(struct gn_index *ix);

/* A string key, and an address key (family and bytes). */
#define gn_index_put_str(ix, s, v) gn_index_put((ix), (s), strlen(s), (v))
#define gn_index_get_str(ix, s) gn_index_get((ix), (s), strlen(s))
#define gn_index_put_ip(ix, ip, v) gn_index_put((ix), (ip), sizeof(struct gn_ip), (v))
#define gn_index_get_ip(ix, ip) gn_index_get((ix), (ip), sizeof(struct gn_ip))

#endif
