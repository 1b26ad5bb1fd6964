/*
 * cleanup.h: scope-bound cleanup helpers (systemd's cleanup-fundamental.h, libvirt's g_autoptr).
 *
 *   _cleanup_free_ char *s = NULL;          freed when s goes out of scope
 *   _cleanup_(gn_settings_freep) gn_settings *doc = NULL;
 *   *ret = TAKE_PTR(s);                     hand ownership out; the cleanup then frees NULL
 */
#ifndef GN_CLEANUP_H
#define GN_CLEANUP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(gn_freep)
#define _cleanup_fclose_ _cleanup_(gn_fclosep)
#define _cleanup_close_ _cleanup_(gn_closep)

static inline void gn_freep(void *p)
{
	free(*(void **)p);
}

static inline void gn_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

static inline void gn_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

/* A NULL-terminated array of strings, each malloc'd (hivex, libguestfs and our own lists). */
static inline void gn_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static inline void gn_strv_freep(char ***v)
{
	gn_strv_free(*v);
}

/* Return the pointer and leave NULL behind, so the cleanup attribute frees nothing. */
#define TAKE_PTR(p) ({ __typeof__(p) _p = (p); (p) = NULL; _p; })

#define GN_ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

#endif
