/*
 * index.c: an open-addressing hash table (linear probing, at most half full) over SipHash-2-4
 * with a key drawn once per process, as Redis does: VM names and interface ids come from
 * tenants, and a fixed hash would let one craft a settings document whose names all collide
 * (quadratic time).  Nothing is ever iterated in hash order, so the random key never changes a
 * plan's bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "index.h"

static uint64_t sip_key[2];
static int sip_keyed;

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                            \
	do {                                                                \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                     \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                     \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

/* SipHash-2-4 (Aumasson and Bernstein, 2012), the reference algorithm. */
static uint64_t siphash(const uint8_t *in, size_t len)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ sip_key[0], v1 = 0x646f72616e646f6dULL ^ sip_key[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ sip_key[0], v3 = 0x7465646279746573ULL ^ sip_key[1];
	uint64_t b = (uint64_t)len << 56, m;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		m = 0;
		for (int k = 7; k >= 0; k--)
			m = m << 8 | in[i + (size_t)k];
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t k = 0; i + k < len; k++)
		b |= (uint64_t)in[i + k] << (8 * k);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static uint64_t hash(const void *key, size_t len)
{
	if (!sip_keyed) {
		/* without randomness the table still works, only predictably */
		if (getrandom(sip_key, sizeof(sip_key), GRND_NONBLOCK) != sizeof(sip_key))
			sip_key[0] = (uint64_t)(uintptr_t)&sip_key ^ 0x9e3779b97f4a7c15ULL;
		sip_keyed = 1;
	}
	return siphash(key, len);
}

static struct gn_index_slot *find(const struct gn_index *ix, const void *key, size_t len,
				  uint64_t h)
{
	size_t mask = ix->cap - 1;

	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct gn_index_slot *s = &ix->slots[i];
		if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
			return s;
	}
}

static int grow(struct gn_index *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 64;
	struct gn_index old = *ix;

	if (cap > SIZE_MAX / 2 / sizeof(*ix->slots))
		return -ENOMEM;
	ix->slots = calloc(cap, sizeof(*ix->slots));
	if (!ix->slots) {
		ix->slots = old.slots;
		return -ENOMEM;
	}
	ix->cap = cap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(ix, old.slots[i].key, old.slots[i].len, old.slots[i].hash) = old.slots[i];
	free(old.slots);
	return 0;
}

int gn_index_put(struct gn_index *ix, const void *key, size_t len, void *value)
{
	uint64_t h = hash(key, len);
	struct gn_index_slot *s;

	if ((ix->n + 1) * 2 > ix->cap && grow(ix) < 0)
		return -ENOMEM;
	s = find(ix, key, len, h);
	if (s->key)
		return -EEXIST;
	*s = (struct gn_index_slot){ key, len, h, value };
	ix->n++;
	return 0;
}

void *gn_index_get(const struct gn_index *ix, const void *key, size_t len)
{
	struct gn_index_slot *s;

	if (ix->cap == 0)
		return NULL;
	s = find(ix, key, len, hash(key, len));
	return s->key ? s->value : NULL;
}

void gn_index_release(struct gn_index *ix)
{
	free(ix->slots);
	*ix = (struct gn_index){ 0 };
}
