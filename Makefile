# fuss — userspace overlay filesystem over ptrace.
# `make` builds ./fuss; `make test` runs every test; `make demo` shows it.
# `make SAN=address,undefined` / `make SAN=thread` build into build-<san>/.

CC ?= cc
# The release number `fuss --version` prints (not `git describe`: a clone
# may have no tags).
VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHCOMPDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
comma := ,
BUILD_TSAN := build-thread
PKGS := ck liburcu-cds liburcu-qsbr libattr libcap
DEB_PKGS := build-essential pkg-config libck-dev liburcu-dev libattr1-dev \
	libcap-dev libcmocka-dev
# What the tests run: real programs, fuse-overlayfs as a second oracle, and
# a VM (Debian's kernel, fetched by tests/vm/compat.sh) for 32-bit programs.
TEST_PKGS := attr git rsync procps python3 fuse-overlayfs fuse3 autoconf \
	automake cpio patch linux-perf tmux vim-tiny less gcc-multilib qemu-system-x86 \
	busybox-static groff-base man-db bash-completion
# `make fuzz` (libFuzzer from Debian's clang) and `make check-valgrind`.
FUZZ_PKGS := clang libclang-rt-dev
VALGRIND_PKGS := valgrind
FUZZ_SECONDS ?= 60

# ARCH=x86_64 or arm64 (also amd64, aarch64): the target; a target other
# than this machine's is a cross build (`make cross ARCH=arm64`) into
# build-<arch>/ with clang, lld and Debian's multiarch libraries.
arch_dir = $(patsubst amd64,x86_64,$(patsubst aarch64,arm64,$(1)))
HOST_ARCH := $(call arch_dir,$(shell uname -m))
ARCH ?= $(HOST_ARCH)
ARCH_DIR := $(call arch_dir,$(ARCH))
ifeq ($(filter $(ARCH_DIR),x86_64 arm64),)
$(error ARCH=$(ARCH): fuss supports x86_64 and arm64)
endif
ARCH_TRIPLET_x86_64 := x86_64-linux-gnu
ARCH_TRIPLET_arm64 := aarch64-linux-gnu
ARCH_TRIPLET := $(ARCH_TRIPLET_$(ARCH_DIR))
ifneq ($(ARCH_DIR),$(HOST_ARCH))
CROSS := 1
ifneq ($(ARCH_DIR)-$(HOST_ARCH),arm64-x86_64)
$(error ARCH=$(ARCH): the only cross build is to arm64 from x86_64)
endif
endif

ifeq ($(CROSS),1)
# ck's arm64 library is not co-installable with the amd64 one: it is
# unpacked into a sysroot of its own (tests/arm64/deps.sh) and linked
# statically, so the binaries need only Debian's multiarch libraries.
BUILD := build-$(ARCH_DIR)
override CC := clang --target=$(ARCH_TRIPLET)
CROSS_LDFLAGS := -fuse-ld=lld
LDFLAGS += $(CROSS_LDFLAGS)
SANFLAGS :=
CROSS_SYSROOT := $(abspath $(BUILD))/sysroot
PKG_CONFIG := PKG_CONFIG_LIBDIR=/usr/lib/$(ARCH_TRIPLET)/pkgconfig:/usr/share/pkgconfig \
	pkg-config
PKGS := liburcu-cds liburcu-qsbr libattr libcap
CK_CFLAGS := -isystem $(CROSS_SYSROOT)/usr/include
CK_LIBS := $(CROSS_SYSROOT)/usr/lib/$(ARCH_TRIPLET)/libck.a
else ifeq ($(FUZZ),1)
# Fuzz targets: clang, every object instrumented for libFuzzer's coverage.
override CC := clang
BUILD := build-fuzz
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SAN),)
BUILD := build
SANFLAGS :=
else
BUILD := build-$(subst $(comma),-,$(SAN))
SANFLAGS := -fsanitize=$(SAN) -fno-omit-frame-pointer
endif
ifeq ($(V),1)
Q :=
else
Q := @
endif

PKG_CONFIG ?= pkg-config
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) $(CK_CFLAGS)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) $(CK_LIBS)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

CFLAGS ?= -O2 -g
override CFLAGS += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Werror \
	-MMD -MP -pthread $(SANFLAGS) $(PKG_CFLAGS) -DFUSS_VERSION='"$(VERSION)"'
LDFLAGS += -pthread $(SANFLAGS)
LDLIBS += $(PKG_LIBS)

ARCH_SRCS := arch/$(ARCH_DIR)/regs.c arch/table.c arch/filter.c
SHM_SRCS := shm/region.c shm/dcache.c shm/ring.c
VFSD_SRCS := vfsd/main.c vfsd/layer.c vfsd/copy_up.c vfsd/ops.c
TRACER_SRCS := tracer/log.c tracer/cli.c tracer/tracee.c tracer/mem.c \
	tracer/worker.c tracer/dispatch.c tracer/resolve.c tracer/path.c tracer/args.c \
	tracer/systab.c tracer/sys_open.c tracer/sys_stat.c tracer/sys_dir.c \
	tracer/sys_ns.c tracer/sys_cwd.c tracer/sys_exec.c tracer/sys_attr.c tracer/sys_xattr.c \
	tracer/sys_proc.c tracer/sys_socket.c tracer/perm.c tracer/alias.c tracer/needs.c \
	tracer/vfs.c tracer/vfs_passthrough.c tracer/audit.c tracer/observe.c tracer/stats.c tracer/origin.c
LIB_SRCS := $(ARCH_SRCS) $(SHM_SRCS) $(VFSD_SRCS) $(TRACER_SRCS)
MAIN_SRCS := tracer/main.c
UNIT_TESTS := test_shm test_dcache test_layer test_vfsd test_path test_resolve test_filter \
	test_table test_needs test_log
PROBE_SRCS := tests/e2e/probe.c

LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJS := $(MAIN_SRCS:%.c=$(BUILD)/%.o)
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/tests/unit/%)
LIB := $(BUILD)/libfuss.a

ifeq ($(SAN)$(CROSS),)
FUSS := fuss
else
FUSS := $(BUILD)/fuss
endif

# Keep objects of unit tests (chained rules would delete them).
.SECONDARY:

.PHONY: all deps test-deps demo test test-unit test-e2e cross deps-arm64 test-arm64 \
	test-arm64-vm check-asan check-tsan check-unpriv \
	install uninstall \
	clean fuzz fuzz-build check-valgrind check-asan-run format check-format bench-micro \
	bench-scale bench-memory bench bench-quick soak
# The floor tracer reads x86_64 registers.
FLOOR_x86_64 := $(BUILD)/perf/floor
all: $(FUSS) $(BUILD)/probe $(FLOOR_$(ARCH_DIR))

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUSS): $(MAIN_OBJS) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# A new VERSION must reach the binary.
$(BUILD)/tracer/cli.o: Makefile

# The tests' traced program: never sanitized, as a leak check cannot run
# under ptrace; only the cross build's linker flag.
$(BUILD)/probe: $(PROBE_SRCS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 $(CROSS_LDFLAGS) -o $@ $<

# Unit tests link only the modules they test, so each module builds alone.
obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
LOG_OBJ := $(BUILD)/tracer/log.o
$(BUILD)/tests/unit/test_shm $(BUILD)/tests/unit/test_dcache: \
	$(call obj,$(SHM_SRCS)) $(LOG_OBJ)
$(BUILD)/tests/unit/test_layer $(BUILD)/tests/unit/test_vfsd: \
	$(call obj,$(VFSD_SRCS) $(SHM_SRCS)) $(LOG_OBJ)
$(BUILD)/tests/unit/test_path: $(call obj,tracer/path.c) $(LOG_OBJ)
$(BUILD)/tests/unit/test_log: $(LOG_OBJ)
$(BUILD)/tests/unit/test_resolve: $(LIB)
$(BUILD)/tests/unit/test_filter $(BUILD)/tests/unit/test_table: $(call obj,$(ARCH_SRCS))
$(BUILD)/tests/unit/test_needs: $(call obj,tracer/needs.c)
$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CMOCKA_LIBS)

# Fuzz targets (built with FUZZ=1 into build-fuzz/), each linking only the
# modules it exercises, like the unit tests.
FUZZ_TARGETS := path args marker resolve vfsd_req
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)
$(BUILD)/fuzz/path: $(call obj,tracer/path.c) $(LOG_OBJ)
$(BUILD)/fuzz/args: $(call obj,tracer/args.c)
$(BUILD)/fuzz/resolve: $(BUILD)/fuzz/common.o $(LIB)
$(BUILD)/fuzz/marker $(BUILD)/fuzz/vfsd_req: $(BUILD)/fuzz/common.o \
	$(call obj,$(VFSD_SRCS) $(SHM_SRCS)) $(LOG_OBJ)
$(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# Stand-alone programs: the W5 micro benchmark and the floor tracer.
$(BUILD)/perf/micro $(BUILD)/perf/floor: $(BUILD)/perf/%: perf/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Werror -O2 -o $@ $<

# Dentry cache and request channel costs, against a real vfsd: the
# library's objects, like the unit tests.
$(BUILD)/perf/dcache: $(BUILD)/perf/dcache.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# W5: rounds alternating native, kernel overlayfs, fuse-overlayfs, PRoot,
# fuss and the floor tracer; calls per op and per run.
W5_ROUNDS ?= 5
W5_ITER ?= 20000
bench-micro:
	$(Q)sh perf/micro.sh $(W5_ROUNDS) $(W5_ITER)

bench-scale:
	$(Q)sh perf/scale.sh

bench-memory:
	$(Q)sh perf/memory.sh

# The workloads of BENCHMARKS.md on native, kernel overlayfs,
# fuse-overlayfs, PRoot and fuss (perf/bench.sh); the table goes to
# build/bench/results.txt and, in Markdown, results.md.
bench: all
	$(Q)sh perf/bench.sh

bench-quick: all
	$(Q)sh perf/bench.sh --quick

# `make install PREFIX=/usr DESTDIR=/tmp/root`: the binary, the man page
# (uncompressed) and the bash completion; `make uninstall` with the same
# variables removes exactly those three files.
install: $(FUSS)
	install -D -m 0755 $(FUSS) $(BINDIR)/fuss
	install -D -m 0644 doc/fuss.1 $(MAN1DIR)/fuss.1
	install -D -m 0644 doc/fuss.bash-completion $(BASHCOMPDIR)/fuss

uninstall:
	rm -f $(BINDIR)/fuss $(MAN1DIR)/fuss.1 $(BASHCOMPDIR)/fuss

# Installs the Debian packages the build and tests need when they are
# missing: as root with apt-get, otherwise it stops with the exact command.
deps:
	$(Q)sh tests/deps.sh $(DEB_PKGS)

test-deps:
	$(Q)sh tests/deps.sh $(DEB_PKGS) $(TEST_PKGS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh tests/demo.sh ./fuss

test: test-deps
	$(Q)$(MAKE) --no-print-directory all $(UNIT_BINS)
	$(Q)sh tests/run-all.sh $(abspath $(FUSS)) $(abspath $(BUILD)/probe) $(UNIT_BINS)

test-unit: $(UNIT_BINS)
	$(Q)sh tests/run-units.sh $(UNIT_BINS)

test-e2e: $(FUSS) $(BUILD)/probe
	$(Q)sh tests/e2e/fuss-only.sh $(abspath $(FUSS)) $(abspath $(BUILD)/probe)
	$(Q)sh tests/e2e/run.sh $(abspath $(FUSS)) $(abspath $(BUILD)/probe)

# arm64: `make cross ARCH=arm64` builds fuss, the probe and the unit tests
# into build-arm64/ (tests/arm64/deps.sh installs what it needs first);
# `make test-arm64` runs those unit tests under qemu-user, `make
# test-arm64-vm` the arm64 fuss in an arm64 VM.
deps-arm64:
	$(Q)sh tests/arm64/deps.sh $(abspath build-arm64)/sysroot

cross:
ifneq ($(CROSS),1)
	$(error make cross: name the target, as in make cross ARCH=arm64)
endif
	$(Q)sh tests/arm64/deps.sh $(CROSS_SYSROOT)
	$(Q)$(MAKE) --no-print-directory ARCH=$(ARCH) $(FUSS) $(BUILD)/probe $(UNIT_BINS)

test-arm64:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 cross
	$(Q)sh tests/arm64/units.sh $(UNIT_TESTS:%=build-arm64/tests/unit/%)

# The arm64 fuss traced by Debian's arm64 kernel in a VM (qemu-system-aarch64,
# TCG; tests/vm/arm64.sh): about 10 s once the kernel is fetched.
test-arm64-vm:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 cross
	$(Q)sh tests/deps.sh qemu-system-arm cpio
	$(Q)sh tests/vm/arm64.sh build-arm64

# Randomized differential test with fresh seeds of OPS operations for
# SECONDS seconds (tests/random/rdiff.py); a failure is minimised and saved
# for replay.
SECONDS ?= 600
OPS ?= 200
soak: $(FUSS)
	$(Q)python3 tests/random/rdiff.py soak --fuss $(abspath $(FUSS)) --seconds $(SECONDS) \
		--ops $(OPS)

# The whole suite (units, fuss-only, end-to-end, life-cycle, stress) with
# an ASan+UBSan build; any UBSan report aborts. Stress runs lighter; the
# memory check's bound makes room for ASan's shadow memory.
ASAN_ENV := UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	FUSS_STRESS_CHURN="16 60" FUSS_STRESS_THREADS="8 100" FUSS_STRESS_TIMEOUT=900 \
	FUSS_MEMORY_BOUND_MB=2048

# The whole end-to-end suite with fuss and the scenarios run as nobody
# (the harness itself needs root for the kernel mounts).
check-unpriv: $(FUSS) $(BUILD)/probe
	$(Q)FUSS_E2E_USER=65534 sh tests/e2e/run.sh $(abspath $(FUSS)) $(abspath $(BUILD)/probe)

check-asan:
	$(Q)$(MAKE) --no-print-directory SAN=address,undefined check-asan-run

check-asan-run: all $(UNIT_BINS)
	$(Q)$(ASAN_ENV) sh tests/run-all.sh $(abspath $(FUSS)) $(abspath $(BUILD)/probe) $(UNIT_BINS)

# TSan: every unit test, and a TSan build of fuss on multi-process scenarios.
TSAN_SCENARIOS := make-project git-init-commit rm-rf-merged cp-a-tree shape-exec-thread \
	shape-vfork-spawn shape-clone-fs shape-threads-io
check-tsan:
	$(Q)$(MAKE) --no-print-directory SAN=thread test-unit $(BUILD_TSAN)/fuss $(BUILD_TSAN)/probe
	$(Q)for s in $(TSAN_SCENARIOS); do \
		TSAN_OPTIONS="suppressions=$(abspath tests/tsan.supp) halt_on_error=1" \
		FUSS_E2E_OPTS=--workers=4 \
		sh tests/e2e/run.sh $(abspath $(BUILD_TSAN)/fuss) $(abspath $(BUILD_TSAN)/probe) "$$s" \
		|| exit 1; done

# vfsd under valgrind (through FUSS_VFSD_WRAP) over a long workload, in
# both whiteout formats: no error, no leak.
check-valgrind:
	$(Q)sh tests/deps.sh $(DEB_PKGS) $(VALGRIND_PKGS) python3
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh tests/valgrind/run.sh $(abspath $(FUSS))

# Each fuzz target for FUZZ_SECONDS (seeds from fuzz/corpus/NAME/), then
# its executions and coverage and a closing "fuzz: N passed, N failed".
fuzz:
	$(Q)sh tests/deps.sh $(DEB_PKGS) $(FUZZ_PKGS)
	$(Q)$(MAKE) --no-print-directory FUZZ=1 fuzz-build
	$(Q)sh fuzz/run.sh $(abspath build-fuzz) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_BINS)

format:
	clang-format -i $(LIB_SRCS) $(MAIN_SRCS) $(wildcard */*.h */*/*.h)

check-format:
	clang-format --dry-run --Werror $(LIB_SRCS) $(MAIN_SRCS)

clean:
	rm -rf build build-* fuss

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
