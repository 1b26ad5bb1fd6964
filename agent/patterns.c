/*
 * patterns.c: which interfaces the agent leaves out, by name (never by link kind: a bridge
 * named like a guest NIC is a guest NIC).
 */
#include <string.h>

#include "agent.h"
#include "cleanup.h"

static const char *const default_excludes[] = {
	"docker*", "veth*", "virbr*", "cni*", "flannel*", "cali*",
};

bool agent_match(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	/* the classic greedy match with one backtrack point: linear in practice, no recursion */
	while (*s) {
		if (*p == '*') {
			star = ++p;
			resume = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

bool agent_excluded(const struct agent_options *opt, const char *name)
{
	bool out = false;

	for (size_t i = 0; i < opt->ninclude; i++)
		if (agent_match(opt->include[i], name))
			return false;
	for (size_t i = 0; !out && i < opt->nexclude; i++)
		out = agent_match(opt->exclude[i], name);
	for (size_t i = 0; !out && !opt->no_default_excludes && i < GN_ELEMENTSOF(default_excludes); i++)
		out = agent_match(default_excludes[i], name);
	return out;
}

