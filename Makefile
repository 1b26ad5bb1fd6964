# guestnet: one non-recursive GNU Makefile.
#
#   make                 build programs and library into build/
#   make check           install missing dependencies, build, run every test
#   make demo            install missing dependencies, run the main job on a bundled fixture
#   make bench           benchmarks against the peer tools named in the issues
#   make install         PREFIX=/usr/local DESTDIR= honoured
#   make SANITIZE=address,undefined check
#
# Objects depend on build/CFLAGS.stamp, so changing SANITIZE or CFLAGS rebuilds everything
# (the trick of git's GIT-CFLAGS).

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
PKG_CONFIG ?= pkg-config
INSTALL    ?= install

VERSION    := 0.1.0
SOVERSION  := 0

B := build

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror=implicit-function-declaration -Wmissing-prototypes \
	-Wshadow -Wformat-security -Wvla -fno-common
ifneq ($(CI),)
WARN += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

XML_CFLAGS     := $(shell $(PKG_CONFIG) --cflags libxml-2.0 2>/dev/null)
XML_LIBS       := $(shell $(PKG_CONFIG) --libs libxml-2.0 2>/dev/null)
HIVEX_CFLAGS   := $(shell $(PKG_CONFIG) --cflags hivex 2>/dev/null)
HIVEX_LIBS     := $(shell $(PKG_CONFIG) --libs hivex 2>/dev/null)
GUESTFS_CFLAGS := $(shell $(PKG_CONFIG) --cflags libguestfs 2>/dev/null)
GUESTFS_LIBS   := $(shell $(PKG_CONFIG) --libs libguestfs 2>/dev/null)
AUGEAS_CFLAGS  := $(shell $(PKG_CONFIG) --cflags augeas 2>/dev/null)
AUGEAS_LIBS    := $(shell $(PKG_CONFIG) --libs augeas 2>/dev/null)
YAML_CFLAGS    := $(shell $(PKG_CONFIG) --cflags yaml-0.1 2>/dev/null)
YAML_LIBS      := $(shell $(PKG_CONFIG) --libs yaml-0.1 2>/dev/null)
MNL_CFLAGS     := $(shell $(PKG_CONFIG) --cflags libmnl 2>/dev/null)
MNL_LIBS       := $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null)
CMOCKA_CFLAGS  := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS    := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -DGN_VERSION=\"$(VERSION)\" \
	-DGN_LIBEXECDIR=\"$(LIBEXECDIR)\" -Iinclude -Icollector -Imounts -Imapping -I$(B)/gen \
	-Icli -Iagent $(XML_CFLAGS) $(HIVEX_CFLAGS) $(GUESTFS_CFLAGS) $(AUGEAS_CFLAGS) $(YAML_CFLAGS) \
	$(MNL_CFLAGS) \
	$(CFLAGS) $(SANFLAGS) -pthread -fPIC -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS) -pthread
LIBS_CORE = $(XML_LIBS) $(HIVEX_LIBS) $(AUGEAS_LIBS) $(YAML_LIBS) $(GUESTFS_LIBS)

# libguestnet: the collector core (collector/), disk images through libguestfs (mounts/) and
# the mapping engine (mapping/).
LIB_SRC := $(sort $(wildcard collector/*.c) $(wildcard mounts/*.c) \
	$(wildcard mapping/*.c))
LIB_GEN := $(B)/gen/schemas.c
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/schemas.o
LIB_A   := $(B)/lib/libguestnet.a
LIB_SO  := $(B)/lib/libguestnet.so.$(SOVERSION)

# Two programs: guestnet (libxml2 and hivex only, so it starts fast) and guestnet-images, the
# commands that need libguestfs, which guestnet executes (cli/guestnet.c says why).
IMAGES_CMD_SRC := cli/cmd-inspect.c cli/cmd-export.c
MAIN_CMD_SRC   := $(filter-out $(IMAGES_CMD_SRC),$(wildcard cli/cmd-*.c))
MAIN_OBJ   := $(patsubst %.c,$(B)/obj/%.o,cli/guestnet.c cli/cli.c $(MAIN_CMD_SRC))
IMAGES_OBJ := $(patsubst %.c,$(B)/obj/%.o,cli/guestnet-images.c cli/cli.c $(IMAGES_CMD_SRC))
LIBS_MAIN  := $(XML_LIBS) $(HIVEX_LIBS)

# guestnet-agent: the core's model and writer (its emitter is plain C), rtnetlink through
# libmnl; no libxml2.  'make windows' builds the Windows one with mingw-w64.
AGENT_OBJ := $(patsubst %.c,$(B)/obj/%.o,agent/agent.c agent/patterns.c agent/live-linux.c cli/cli.c)

# Test and fixture tools: never installed.
FIXTURE_SRC := fixtures/hivebuild.c fixtures/regf.c $(wildcard fixtures/mkimage.c)
FIXTURE_OBJ := $(FIXTURE_SRC:%.c=$(B)/obj/%.o)

UNIT_TESTS := $(patsubst tests/unit/test-%.c,%,$(wildcard tests/unit/test-*.c))
UNIT_BIN   := $(UNIT_TESTS:%=$(B)/tests/test-%)

SCHEMAS := $(sort $(wildcard schema/*.rng))
MANPAGES := docs/guestnet.1 docs/guestnet-agent.1

PROGRAMS := $(B)/bin/guestnet $(B)/bin/guestnet-agent
# The Windows agent, where mingw-w64 is installed (defined before check-run, which needs it;
# its rules are in the windows block below)
MINGW_CC    ?= x86_64-w64-mingw32-gcc
WINDOWS_EXE := $(if $(shell command -v $(MINGW_CC) 2>/dev/null),$(B)/windows/guestnet-agent.exe)
HELPERS  := $(B)/libexec/guestnet/guestnet-images
TOOLS    := $(B)/bin/gn-hivebuild $(if $(wildcard fixtures/mkimage-main.c),$(B)/bin/gn-mkimage)

all: $(PROGRAMS) $(HELPERS) $(LIB_A) $(LIB_SO) $(B)/lib/guestnet.pc $(TOOLS)

$(B)/CFLAGS.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@

$(B)/obj/%.o: %.c $(B)/CFLAGS.stamp
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/obj/gen/%.o: $(B)/gen/%.c $(B)/CFLAGS.stamp
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The schemas are compiled into the library, so validation never depends on where (or whether)
# they were installed, and a tenant cannot swap them.
$(B)/gen/schemas.c: $(SCHEMAS) packaging/embed.sh
	@mkdir -p $(@D)
	sh packaging/embed.sh $(SCHEMAS) > $@.tmp && mv $@.tmp $@

$(LIB_A): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(LIB_SO): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libguestnet.so.$(SOVERSION) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_CORE)
	ln -sf libguestnet.so.$(SOVERSION) $(B)/lib/libguestnet.so

$(B)/lib/guestnet.pc: packaging/guestnet.pc.in Makefile
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' $< > $@

$(B)/bin/guestnet: $(MAIN_OBJ) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB_A) $(LIBS_MAIN)

$(B)/bin/guestnet-agent: $(AGENT_OBJ) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(AGENT_OBJ) $(LIB_A) $(MNL_LIBS)

$(B)/libexec/guestnet/guestnet-images: $(IMAGES_OBJ) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(IMAGES_OBJ) $(LIB_A) $(LIBS_CORE)

$(B)/bin/gn-hivebuild: $(FIXTURE_OBJ) $(B)/obj/fixtures/hivebuild-main.o $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_CORE)

$(B)/bin/gn-mkimage: $(FIXTURE_OBJ) $(B)/obj/fixtures/mkimage-main.o $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_CORE)

$(B)/obj/tests/unit/%.o: tests/unit/%.c $(B)/CFLAGS.stamp
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ifixtures $(CMOCKA_CFLAGS) -c -o $@ $<

$(B)/tests/test-%: $(B)/obj/tests/unit/test-%.o $(B)/obj/tests/unit/testlib.o $(FIXTURE_OBJ) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_CORE) $(CMOCKA_LIBS)

# the agent's parsers: its objects and libmnl too
$(B)/tests/test-live-linux: $(B)/obj/tests/unit/test-live-linux.o $(B)/obj/tests/unit/testlib.o \
		$(B)/obj/agent/live-linux.o \
		$(B)/obj/agent/patterns.o $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_CORE) $(MNL_LIBS) $(CMOCKA_LIBS)

# make check: dependencies first (packaging/deps.sh says what it installs), then a fresh make
# so pkg-config sees what was just installed.
check: deps
	$(MAKE) --no-print-directory check-run

check-run: all $(UNIT_BIN) $(WINDOWS_EXE)
	@sh tests/run.sh $(B)

demo: deps
	$(MAKE) --no-print-directory demo-run

demo-run: all
	@sh fixtures/demo.sh $(B)

bench: deps
	packaging/deps.sh --bench
	$(MAKE) --no-print-directory all
	@sh bench/hive.sh $(B)
	@sh bench/inspect.sh $(B)
	@sh bench/agent.sh $(B)
	@sh bench/map.sh $(B)
	@sh bench/export.sh $(B)

# guestnet-agent.exe: the Windows agent, cross-built with mingw-w64.  Its own flags (no
# sanitizers, no pkg-config: nothing of the host's libraries), the core's model and writer
# through the emitter, the IP Helper API and the registry; statically linked against
# libgcc so the one .exe is all a guest needs.
WIN_CFLAGS ?= -O2
WIN_LDFLAGS ?= -s
WIN_ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -D__USE_MINGW_ANSI_STDIO=1 -D_WIN32_WINNT=0x0601 \
	-DWINVER=0x0601 $(WARN) -DGN_VERSION=\"$(VERSION)\" -Iinclude -Icollector -Icli -Iagent \
	$(WIN_CFLAGS) -MMD -MP
WIN_LIBS   := -liphlpapi -lws2_32 -ladvapi32
WIN_SRC    := agent/agent.c agent/patterns.c agent/live-windows.c agent/windows-convert.c \
	agent/output-windows.c cli/cli.c collector/model.c collector/addr.c collector/settings-write.c \
	collector/emit.c
WIN_OBJ    := $(WIN_SRC:%.c=$(B)/windows/obj/%.o)

windows: $(B)/windows/guestnet-agent.exe

$(B)/windows/CFLAGS.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(MINGW_CC) $(WIN_ALL_CFLAGS) $(WIN_LDFLAGS)' | cmp -s - $@ || \
		echo '$(MINGW_CC) $(WIN_ALL_CFLAGS) $(WIN_LDFLAGS)' > $@

$(B)/windows/obj/%.o: %.c $(B)/windows/CFLAGS.stamp
	@mkdir -p $(@D)
	$(MINGW_CC) $(WIN_ALL_CFLAGS) -c -o $@ $<

$(B)/windows/guestnet-agent.exe: $(WIN_OBJ)
	$(MINGW_CC) -static-libgcc $(WIN_LDFLAGS) -o $@ $(WIN_OBJ) $(WIN_LIBS)

-include $(shell find $(B)/windows/obj -name '*.d' 2>/dev/null)

deps:
	@sh packaging/deps.sh

install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR)/guestnet $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(DATADIR)/guestnet/schema $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 755 $(HELPERS) $(DESTDIR)$(LIBEXECDIR)/guestnet/
	$(INSTALL) -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	$(INSTALL) -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libguestnet.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libguestnet.so
	$(INSTALL) -m 644 include/guestnet.h $(DESTDIR)$(INCLUDEDIR)/
	$(INSTALL) -m 644 $(SCHEMAS) $(DESTDIR)$(DATADIR)/guestnet/schema/
	$(INSTALL) -m 644 $(B)/lib/guestnet.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	$(INSTALL) -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/

clean:
	rm -rf $(B)

.PHONY: all check check-run demo demo-run bench deps install clean windows FORCE

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
