/*
 * compat.h: what the C library or compiler of one of the agent's platforms lacks, nothing else.
 *
 * The core files the Windows agent shares (model.c, addr.c, settings-write.c) are written for
 * glibc; mingw-w64's C runtime has no reallocarray or strndup.  The stand-ins carry a gn_ prefix
 * and a macro gives them the POSIX name, so a later mingw-w64 that declares either keeps
 * compiling.  Include it after the system headers, before any use.
 */
#ifndef GN_COMPAT_H
#define GN_COMPAT_H

/*
 * printf-style checking for the functions the agents share: mingw-w64's GCC checks
 * format(printf) against Microsoft's printf and rejects %zu, which the C99 printf that
 * __USE_MINGW_ANSI_STDIO selects does support; gnu_printf checks what really runs.
 */
#ifdef __MINGW32__
#define GN_PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#else
#define GN_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#endif

#ifdef _WIN32
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* realloc of n elements of size bytes, failing with ENOMEM where n * size would overflow. */
static inline void *gn_reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}

static inline char *gn_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *copy = malloc(len + 1);

	if (!copy)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

#define reallocarray gn_reallocarray
#define strndup gn_strndup
#endif

#endif
