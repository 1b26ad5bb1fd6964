/*
 * array.h: bounded growable arrays.
 *
 * Every count that comes from untrusted input has a named cap (GN_MAX_* in guestnet.h); the cap
 * is checked here, once, when an element is added, so no collector can forget it.
 *
 *   GN_ARRAY(struct gn_address) addresses;
 *   struct gn_address *a;
 *   r = GN_ARRAY_PUSH(&c->addresses, GN_MAX_ADDRESSES, &a);   -E2BIG at the cap, -ENOMEM
 */
#ifndef GN_ARRAY_H
#define GN_ARRAY_H

#include <stddef.h>

#define GN_ARRAY(type) struct { type *v; size_t n, cap; }

/* Make room for one more element of size elsize: 0, -E2BIG when n has reached max, -ENOMEM. */
int gn_array_reserve(void **v, size_t *cap, size_t n, size_t elsize, size_t max);

/* Append a zeroed element and return it through ret. */
#define GN_ARRAY_PUSH(a, max, ret) \
	gn_array_push_((void **)&(a)->v, &(a)->n, &(a)->cap, sizeof(*(a)->v), (max), (void **)(ret))

int gn_array_push_(void **v, size_t *n, size_t *cap, size_t elsize, size_t max, void **ret);

#endif
