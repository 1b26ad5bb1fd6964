/*
 * sha256.c: SHA-256 as FIPS 180-4 section 6.2 describes it, in portable C, and the hash of a
 * byte range of a file (a disk image, or one member of an OVA read in place).
 *
 * Images are several GB, so whole 64-byte blocks are compressed straight from the caller's
 * buffer and files are read in GN_SHA256_CHUNK pieces; only a partial block is copied.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "model.h"
#include "sha256.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
	return x >> n | x << (32 - n);
}

static void compress(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];

	for (unsigned i = 0; i < 16; i++, p += 4)
		w[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	for (unsigned i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3;
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10;

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	for (unsigned i = 0; i < 64; i++) {
		uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + (g ^ (e & (f ^ g))) + K[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) | (c & (a | b)));

		hh = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
	h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

void gn_sha256_init(struct gn_sha256 *ctx)
{
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(ctx->h, h0, sizeof(h0));
	ctx->len = 0;
	ctx->nbuf = 0;
}

void gn_sha256_update(struct gn_sha256 *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;

	ctx->len += len;
	if (ctx->nbuf) {
		size_t n = len < 64 - ctx->nbuf ? len : 64 - ctx->nbuf;

		memcpy(ctx->buf + ctx->nbuf, p, n);
		ctx->nbuf += n, p += n, len -= n;
		if (ctx->nbuf < 64)
			return;
		compress(ctx->h, ctx->buf);
		ctx->nbuf = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		compress(ctx->h, p);
	if (len)
		memcpy(ctx->buf, p, len);
	ctx->nbuf = len;
}

void gn_sha256_final(struct gn_sha256 *ctx, uint8_t out[GN_SHA256_SIZE])
{
	uint64_t bits = ctx->len * 8;
	uint8_t pad[72] = { 0x80 };
	/* 0x80, zeros up to 56 bytes mod 64, then the length in bits, big-endian */
	size_t npad = (ctx->nbuf < 56 ? 56 : 120) - ctx->nbuf;

	for (unsigned i = 0; i < 8; i++)
		pad[npad + i] = (uint8_t)(bits >> (56 - 8 * i));
	gn_sha256_update(ctx, pad, npad + 8);
	for (unsigned i = 0; i < 8; i++)
		for (unsigned j = 0; j < 4; j++)
			out[4 * i + j] = (uint8_t)(ctx->h[i] >> (24 - 8 * j));
}

void gn_sha256_hex(const uint8_t digest[GN_SHA256_SIZE], char hex[GN_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned i = 0; i < GN_SHA256_SIZE; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[2 * GN_SHA256_SIZE] = '\0';
}

int gn_sha256_fd(int fd, const char *name, uint64_t offset, uint64_t length,
		 char hex[GN_SHA256_HEX], gn_error *err)
{
	bool to_end = length == UINT64_MAX;
	struct gn_sha256 ctx;
	uint8_t digest[GN_SHA256_SIZE];
	uint64_t done = 0;

	if (offset > INT64_MAX || (!to_end && length > INT64_MAX - offset))
		return gn_error_set(err, -EINVAL, "'%s': cannot hash %" PRIu64 " bytes at offset %"
				    PRIu64 ": past the largest file offset", name, length, offset);
	_cleanup_free_ uint8_t *buf = malloc(GN_SHA256_CHUNK);
	if (!buf)
		return gn_error_set(err, -ENOMEM, "'%s': out of memory", name);
	gn_sha256_init(&ctx);
	while (done < length) {
		size_t want = length - done < GN_SHA256_CHUNK ? (size_t)(length - done) : GN_SHA256_CHUNK;
		ssize_t n = pread(fd, buf, want, (off_t)(offset + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return gn_error_set(err, -errno, "'%s': cannot read at offset %" PRIu64 ": %s",
					    name, offset + done, strerror(errno));
		if (n == 0 && to_end)
			break;
		if (n == 0)
			return gn_error_set(err, -EBADMSG, "'%s': the file ends at offset %" PRIu64
					    ", short of the %" PRIu64 " bytes at offset %" PRIu64
					    " to hash", name, offset + done, length, offset);
		gn_sha256_update(&ctx, buf, (size_t)n);
		done += (uint64_t)n;
	}
	gn_sha256_final(&ctx, digest);
	gn_sha256_hex(digest, hex);
	return 0;
}

int gn_sha256_file(const char *path, uint64_t offset, uint64_t length, char hex[GN_SHA256_HEX],
		   gn_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return gn_error_set(err, -errno, "'%s': %s", path, strerror(errno));
	return gn_sha256_fd(fd, path, offset, length, hex, err);
}
