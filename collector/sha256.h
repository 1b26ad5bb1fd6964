/*
 * sha256.h: SHA-256 (FIPS 180-4), for the checksums recorded settings carry of the disk images
 * they belong to.
 *
 *   struct gn_sha256 ctx;
 *   uint8_t digest[GN_SHA256_SIZE];
 *   gn_sha256_init(&ctx);
 *   gn_sha256_update(&ctx, buf, len);       any number of times, any lengths
 *   gn_sha256_final(&ctx, digest);
 *
 *   char hex[GN_SHA256_HEX];
 *   r = gn_sha256_file("backup.ova", member->offset, member->size, hex, &err);
 */
#ifndef GN_SHA256_H
#define GN_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "guestnet.h"

#define GN_SHA256_SIZE  32                     /* bytes of a digest */
#define GN_SHA256_HEX   (2 * GN_SHA256_SIZE + 1) /* its lower-case hex form and a NUL */
#define GN_SHA256_CHUNK (1u << 20)             /* bytes read at a time by gn_sha256_file */

struct gn_sha256 {
	uint32_t h[8];
	uint64_t len;       /* bytes hashed so far */
	uint8_t buf[64];    /* a partial block */
	size_t nbuf;
};

void gn_sha256_init(struct gn_sha256 *ctx);
void gn_sha256_update(struct gn_sha256 *ctx, const void *data, size_t len);
/* Write the digest to out; ctx must be initialized again before it is reused. */
void gn_sha256_final(struct gn_sha256 *ctx, uint8_t out[GN_SHA256_SIZE]);

/* The lower-case hex form of digest, NUL-terminated. */
void gn_sha256_hex(const uint8_t digest[GN_SHA256_SIZE], char hex[GN_SHA256_HEX]);

/*
 * The SHA-256 of the length bytes at offset in the file open as fd (read with pread, so the file
 * offset is left alone), written to hex in lower case; length UINT64_MAX hashes to the end of the
 * file (nothing, when offset is at or past it).  name is the file's name for messages.
 *
 * Returns 0 and fills hex; on failure hex is untouched and err says why:
 *   -EBADMSG  the file ends before offset + length;
 *   -EINVAL   offset + length overflows, or offset is past what pread can address;
 *   -ENOMEM, or the -errno of a failed read.
 */
int gn_sha256_fd(int fd, const char *name, uint64_t offset, uint64_t length,
		 char hex[GN_SHA256_HEX], gn_error *err);

/* The same for the file at path, opened read-only; its -errno (-ENOENT...) when it cannot be. */
int gn_sha256_file(const char *path, uint64_t offset, uint64_t length, char hex[GN_SHA256_HEX],
		   gn_error *err);

#endif
