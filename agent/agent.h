/*
 * agent.h: guestnet-agent, the in-guest runtime.  agent.c is the program (options, interface
 * name patterns, output); one live collector per system fills the model with what the running
 * system has: live-linux.c (rtnetlink through libmnl) and live-windows.c (IP Helper API and the
 * registry).  The document is written by the core's settings-write.c through its emitter
 * (emit.c, plain C): no libxml2 in the agent.
 */
#ifndef GN_AGENT_H
#define GN_AGENT_H

#include <stdbool.h>

#include "model.h"

/* Interface name patterns given on the command line, each way. */
#define AGENT_MAX_PATTERNS 64

struct agent_options {
	const char *exclude[AGENT_MAX_PATTERNS];
	size_t nexclude;
	const char *include[AGENT_MAX_PATTERNS];
	size_t ninclude;
	bool no_default_excludes;
	const char *root;  /* where the system's configuration files are (Linux), "/" */
};

/*
 * Whether an interface of that name is left out: it matches an --exclude pattern or a default
 * one (container and bridge plumbing: docker*, veth*, virbr*, cni*, flannel*, cali*) and no
 * --include pattern.  Patterns are shell-style: '*' any run of characters, '?' any one.
 */
bool agent_excluded(const struct agent_options *opt, const char *name);

/* Shell-style match of '*' and '?' (no classes, no escapes): the same on Linux and Windows. */
bool agent_match(const char *pattern, const char *name);

/*
 * Fill g (os, host name, domain, interfaces, routes, DNS) with the running system's settings.
 * What could not be read becomes a warning of g; a negative errno with err set only when
 * nothing could be collected at all.
 */
int agent_collect(struct gn_guest *g, const struct agent_options *opt, gn_error *err);

#endif
