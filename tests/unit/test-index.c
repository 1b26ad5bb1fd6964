/*
 * test-index.c: the mapping engine's hash table (mapping/index.c): SipHash-2-4 against the
 * reference vectors, and the table's behaviour on many keys, duplicate keys, binary keys.
 * index.c is compiled into this file to reach its hash function and key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>

#include "../../mapping/index.c"
#include "addr.h"

/* The reference implementation's vectors: key 00..0f, messages 00..len-1 (vectors.h). */
static void test_siphash_vectors(void **state)
{
	static const struct {
		size_t len;
		uint64_t want;
	} v[] = {
		{ 0, 0x726fdb47dd0e0e31ULL },
		{ 1, 0x74f839c593dc67fdULL },
		{ 7, 0xab0200f58b01d137ULL },
		{ 8, 0x93f5f5799a932462ULL },
		{ 15, 0xa129ca6149be45e5ULL },
		{ 63, 0x958a324ceb064572ULL },
	};
	uint8_t in[64];

	(void)state;
	for (int i = 0; i < 64; i++)
		in[i] = (uint8_t)i;
	sip_key[0] = 0x0706050403020100ULL;
	sip_key[1] = 0x0f0e0d0c0b0a0908ULL;
	sip_keyed = 1;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (siphash(in, v[i].len) != v[i].want)
			fail_msg("length %zu: %016llx, want %016llx", v[i].len,
				 (unsigned long long)siphash(in, v[i].len), (unsigned long long)v[i].want);
}

static void test_table(void **state)
{
	enum { N = 100000 };
	static char names[N][16];
	struct gn_index ix = { 0 };
	struct gn_ip a, b;

	(void)state;
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "vm-%d", i);
		assert_int_equal(gn_index_put_str(&ix, names[i], names[i]), 0);
	}
	assert_int_equal(ix.n, N);
	for (int i = 0; i < N; i++)
		assert_ptr_equal(gn_index_get_str(&ix, names[i]), names[i]);
	assert_null(gn_index_get_str(&ix, "vm-100000"));
	assert_null(gn_index_get_str(&ix, ""));
	/* a duplicate keeps the first value */
	assert_int_equal(gn_index_put_str(&ix, "vm-7", names[9]), -EEXIST);
	assert_ptr_equal(gn_index_get_str(&ix, "vm-7"), names[7]);
	gn_index_release(&ix);
	assert_null(gn_index_get_str(&ix, "vm-7"));

	/* address keys: the family is part of the key */
	assert_int_equal(gn_ip_parse("10.0.0.1", &a), 0);
	assert_int_equal(gn_ip_parse("::a00:1", &b), 0);
	assert_int_equal(gn_index_put_ip(&ix, &a, names[1]), 0);
	assert_null(gn_index_get_ip(&ix, &b));
	assert_int_equal(gn_index_put_ip(&ix, &b, names[2]), 0);
	assert_ptr_equal(gn_index_get_ip(&ix, &a), names[1]);
	assert_ptr_equal(gn_index_get_ip(&ix, &b), names[2]);
	gn_index_release(&ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
