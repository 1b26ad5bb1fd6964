/*
 * test-emit.c: the emitter (collector/emit.c, plain C, used by every program) writes the very
 * bytes libxml2's xmlTextWriter does (tests/unit/emit-libxml.c, the reference, kept here only):
 * for raw call sequences with every character that needs escaping, and for every settings
 * document in tests/data read into the model and written by settings-write.c through each.
 *
 * Both define the gn_emit_* functions: the reference and a second copy of settings-write.c are
 * compiled into this file under other names (x_*), the emitter itself comes from libguestnet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "model.h"

#define gn_emit_new x_emit_new
#define gn_emit_free x_emit_free
#define gn_emit_freep x_emit_freep
#define gn_emit_start x_emit_start
#define gn_emit_attr x_emit_attr
#define gn_emit_attr_int x_emit_attr_int
#define gn_emit_attr_ip x_emit_attr_ip
#define gn_emit_text x_emit_text
#define gn_emit_end x_emit_end
#define gn_emit_finish x_emit_finish
#define gn_settings_to_xml x_settings_to_xml
#undef GN_EMIT_H
#include "emit.h"  /* again: the x_* prototypes */
int x_settings_to_xml(const gn_settings *s, char **ret, size_t *ret_len, gn_error *err);
#include "emit-libxml.c"
#include "../../collector/settings-write.c"
#undef gn_emit_new
#undef gn_emit_free
#undef gn_emit_freep
#undef gn_emit_start
#undef gn_emit_attr
#undef gn_emit_attr_int
#undef gn_emit_attr_ip
#undef gn_emit_text
#undef gn_emit_end
#undef gn_emit_finish
#undef gn_settings_to_xml

/* One call sequence, run against either backend. */
struct backend {
	int (*new_)(struct gn_emitter **);
	void (*free_)(struct gn_emitter *);
	int (*start)(struct gn_emitter *, const char *);
	int (*attr)(struct gn_emitter *, const char *, const char *);
	int (*attr_int)(struct gn_emitter *, const char *, int64_t);
	int (*text)(struct gn_emitter *, const char *);
	int (*end)(struct gn_emitter *);
	int (*finish)(struct gn_emitter *, char **, size_t *);
};

static const struct backend libxml = {
	x_emit_new, x_emit_free, x_emit_start, x_emit_attr, x_emit_attr_int, x_emit_text,
	x_emit_end, x_emit_finish,
};
static const struct backend portable = {
	gn_emit_new, gn_emit_free, gn_emit_start, gn_emit_attr, gn_emit_attr_int, gn_emit_text,
	gn_emit_end, gn_emit_finish,
};

/* Every printable ASCII character, tab, newline, carriage return, and UTF-8 of 2, 3, 4 bytes. */
static char *awkward(void)
{
	static char s[256];
	size_t n = 0;

	for (int c = 0x20; c < 0x7f; c++)
		s[n++] = (char)c;
	strcpy(s + n, "\t\n\r\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80 a&amp;b ]]> --");
	return s;
}

/*
 * A program of calls: "<name" starts, "@name=value" is an attribute, "#n" an integer attribute,
 * "$" text (awkward), "=text" text, ">" ends.
 */
static char *run(const struct backend *b, const char *const *prog, int *ret)
{
	struct gn_emitter *e;
	char *out = NULL;
	size_t len;
	int r = b->new_(&e);

	assert_int_equal(r, 0);
	for (; *prog; prog++) {
		const char *p = *prog;
		switch (p[0]) {
		case '<':
			b->start(e, p + 1);
			break;
		case '@': {
			char name[32];
			const char *eq = strchr(p, '=');
			snprintf(name, sizeof(name), "%.*s", (int)(eq - p - 1), p + 1);
			b->attr(e, name, strcmp(eq + 1, "$") == 0 ? awkward() : eq + 1);
			break;
		}
		case '#':
			b->attr_int(e, "n", strtoll(p + 1, NULL, 10));
			break;
		case '$':
			b->text(e, awkward());
			break;
		case '=':
			b->text(e, p + 1);
			break;
		case '>':
			b->end(e);
			break;
		}
	}
	*ret = b->finish(e, &out, &len);
	if (*ret == 0)
		assert_int_equal(strlen(out), len);
	b->free_(e);
	return out;
}

static void test_sequences(void **state)
{
	static const char *const progs[][24] = {
		{ "<a", ">", NULL },
		{ "<a", "@x=1", "@y=", ">", NULL },
		{ "<a", "@v=$", ">", NULL },
		{ "<a", "$", ">", NULL },
		{ "<a", "=", ">", NULL },
		{ "<a", "#-9223372036854775807", "<b", ">", "<c", "@k=v", ">", ">", NULL },
		{ "<guestnet", "@version=1", "<guest", "@os=linux", "<interface", "@id=eth0",
		  "<ipv4", "@mode=static", "<address", "@ip=10.0.0.1", ">", ">", ">", "<route", ">",
		  ">", "<warning", "$", ">", "<warning", "=plain", ">", ">", NULL },
		{ "<a", "<b", "<c", "<d", "<e", "=deep", ">", ">", ">", ">", ">", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		int r1, r2;
		char *a = run(&libxml, progs[i], &r1), *b = run(&portable, progs[i], &r2);

		assert_int_equal(r1, 0);
		assert_int_equal(r2, 0);
		if (strcmp(a, b) != 0)
			fail_msg("program %zu:\nlibxml2:\n%s\nportable:\n%s", i, a, b);
		free(a);
		free(b);
	}
}

/* Misuse and the sticky error of emit.h. */
static void test_errors(void **state)
{
	static const char *const unbalanced[] = { "<a", "<b", ">", NULL };
	static const char *const extra_end[] = { "<a", ">", ">", NULL };
	static const char *const attr_late[] = { "<a", "<b", ">", "@x=1", ">", NULL };
	static const char *const text_outside[] = { "=x", "<a", ">", NULL };
	int r;
	char *out;

	(void)state;
	out = run(&portable, unbalanced, &r);
	assert_int_equal(r, -EINVAL);
	assert_null(out);
	run(&portable, extra_end, &r);
	assert_int_equal(r, -EINVAL);
	run(&portable, attr_late, &r);
	assert_int_equal(r, -EINVAL);
	run(&portable, text_outside, &r);
	assert_int_equal(r, -EINVAL);

	/* too deep for the portable emitter's bounded stack: an error, not an overflow */
	struct gn_emitter *e;
	assert_int_equal(gn_emit_new(&e), 0);
	for (int i = 0; i < 40; i++)
		gn_emit_start(e, "x");
	assert_int_equal(gn_emit_finish(e, &out, &(size_t){ 0 }), -EINVAL);
	gn_emit_free(e);

	/* after finish nothing more can be added */
	assert_int_equal(gn_emit_new(&e), 0);
	gn_emit_start(e, "a");
	gn_emit_end(e);
	assert_int_equal(gn_emit_finish(e, &out, &(size_t){ 0 }), 0);
	free(out);
	assert_int_equal(gn_emit_start(e, "b"), -EINVAL);
	gn_emit_free(e);
}

static int compare_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int compared = 0;

	if (!d)
		fail_msg("%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		char path[512];
		gn_settings *s = NULL;
		gn_error err = { "" };
		char *a = NULL, *b = NULL;
		size_t alen, blen;
		size_t n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 4, ".xml") != 0 || strstr(de->d_name, "-invalid"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (gn_settings_read_file(path, &s, &err) < 0)
			continue;  /* plans, sites: not settings documents */
		assert_int_equal(x_settings_to_xml(s, &a, &alen, &err), 0);
		assert_int_equal(gn_settings_to_xml(s, &b, &blen, &err), 0);
		if (alen != blen || memcmp(a, b, alen) != 0)
			fail_msg("%s:\nlibxml2:\n%s\nportable:\n%s", path, a, b);
		compared++;
		free(a);
		free(b);
		gn_settings_free(s);
	}
	closedir(d);
	return compared;
}

static void test_documents(void **state)
{
	static const char *const dirs[] = {
		"tests/data/settings", "tests/data/settings-normalize", "tests/data/hive",
		"tests/data/linux",
	};
	int n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		n += compare_dir(dirs[i]);
	assert_true(n >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
