# parley: plain GNU make, out-of-tree objects under $(BUILD).
# `make test` is what the README and CI run; `make check` repeats it under ASan + UBSan.

SHELL := /bin/bash
CC ?= cc
PKG_CONFIG ?= $(CROSS_COMPILE)pkg-config
BUILD ?= build
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
SYSTEMD_UNITDIR ?= /lib/systemd/system
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wcast-qual -Wswitch-enum -Wformat=2 -Werror
CFLAGS ?= -O2 -g
override CFLAGS += -std=c11 $(WARNINGS)
# 64-bit time_t and off_t on 32-bit ARM too (armhf), so that times past 2038
# work; no library parley uses has either in its interface. No-op on 64-bit.
override CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 -MMD -MP

# Debian packages each target needs; tools/ensure-deps installs them as root
# or prints the apt-get line and stops.
BUILD_DEBS := gcc make pkg-config libserialport-dev libsqlite3-dev libconfig-dev \
	libmosquitto-dev libcjson-dev tzdata
TEST_DEBS := $(BUILD_DEBS) libcmocka-dev mosquitto
FUZZ_DEBS := clang libclang-rt-14-dev
DEMO_DEBS := $(BUILD_DEBS) mosquitto

CODEC_SRC := $(sort $(wildcard src/codec/*.c))
# every layer below the programs, lowest first; tests link the objects they use
LIB_SRC := $(CODEC_SRC) $(sort $(wildcard src/at/*.c)) $(sort $(wildcard src/modem/*.c)) \
	$(sort $(wildcard src/io/*.c)) $(sort $(wildcard src/store/*.c)) $(sort $(wildcard src/config/*.c)) \
	$(sort $(wildcard src/policy/*.c)) $(sort $(wildcard src/bridge/*.c)) $(sort $(wildcard src/app/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
MODEMSIM_SRC := $(sort $(wildcard tools/modemsim/*.c))
MQTTC_SRC := $(sort $(wildcard tools/mqttc/*.c))
SOAKCHECK_SRC := $(sort $(wildcard tools/soakcheck/*.c))
DAEMON_SRC := $(sort $(wildcard src/daemon/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
SUPPORT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/support/*.c))
# support that asserts through cmocka: the tests link it, the benches (no cmocka) do not
CMOCKA_SUPPORT_OBJ := $(BUILD)/tests/support/store_files.o
BENCH_SUPPORT_OBJ := $(filter-out $(CMOCKA_SUPPORT_OBJ),$(SUPPORT_OBJ))
.SECONDARY: $(SUPPORT_OBJ)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRC := $(sort $(wildcard bench/bench_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
MODEMSIM_OBJ := $(MODEMSIM_SRC:%.c=$(BUILD)/%.o)
MQTTC_OBJ := $(MQTTC_SRC:%.c=$(BUILD)/%.o)
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(BUILD)/%.o)
PARLEYD := $(if $(DAEMON_SRC),$(BUILD)/parleyd)
MODEMSIM := $(if $(MODEMSIM_SRC),$(BUILD)/modemsim)
MQTTC := $(if $(MQTTC_SRC),$(BUILD)/mqttc)
SOAKCHECK := $(BUILD)/soakcheck
LIB := $(BUILD)/libparley.a
PARLEY := $(BUILD)/parley
TESTS := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCHES := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

CJSON_LIBS = $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null || echo -lcjson)
CJSON_CFLAGS = $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
SERIAL_LIBS = $(shell $(PKG_CONFIG) --libs libserialport 2>/dev/null || echo -lserialport)
SQLITE_LIBS = $(shell $(PKG_CONFIG) --libs sqlite3 2>/dev/null || echo -lsqlite3)
CONFIG_LIBS = $(shell $(PKG_CONFIG) --libs libconfig 2>/dev/null || echo -lconfig)
MOSQUITTO_LIBS = $(shell $(PKG_CONFIG) --libs libmosquitto 2>/dev/null || echo -lmosquitto)
# everything the daemon and the tests may need; static linking keeps only what is used
ALL_LIBS = $(SERIAL_LIBS) $(SQLITE_LIBS) $(CONFIG_LIBS) $(CJSON_LIBS) $(MOSQUITTO_LIBS)

.PHONY: all test soak check valgrind fuzz bench install demo clean deps-build deps-test

all: deps-build $(PARLEY) $(PARLEYD) $(MODEMSIM) $(MQTTC)

deps-build:
	@tools/ensure-deps $(BUILD_DEBS)

deps-test:
	@tools/ensure-deps $(TEST_DEBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CJSON_CFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(PARLEY): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(ALL_LIBS)

$(BUILD)/parleyd: $(DAEMON_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(DAEMON_OBJ) $(LIB) $(ALL_LIBS)

$(BUILD)/modemsim: $(MODEMSIM_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(MODEMSIM_OBJ) $(LIB) $(CJSON_LIBS)

# a small MQTT console for tests and the demo (pub, sub, request/response)
$(BUILD)/mqttc: $(MQTTC_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(MQTTC_OBJ) $(LIB) $(CJSON_LIBS) $(MOSQUITTO_LIBS)

# reconciles a fault-suite run (tests/soak.sh): reads the store, the events, the network
$(SOAKCHECK): $(SOAKCHECK_SRC:%.c=$(BUILD)/%.o)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SQLITE_LIBS) $(CJSON_LIBS)

$(BUILD)/tests/%: tests/%.c $(SUPPORT_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CJSON_CFLAGS) $(CFLAGS) $(LDFLAGS) -Wno-missing-prototypes -Wno-missing-field-initializers -o $@ $< $(SUPPORT_OBJ) $(LIB) $(ALL_LIBS) $(CMOCKA_LIBS)

$(BUILD)/bench/%: bench/%.c $(BENCH_SUPPORT_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CJSON_CFLAGS) $(CFLAGS) -O2 -o $@ $< $(BENCH_SUPPORT_OBJ) $(LIB) $(ALL_LIBS)

PROGRAMS_ENV = PARLEY=$(PARLEY) PARLEYD=$(PARLEYD) MODEMSIM=$(MODEMSIM) MQTTC=$(MQTTC) SOAKCHECK=$(SOAKCHECK)

test: deps-test
	@$(MAKE) --no-print-directory $(PARLEY) $(PARLEYD) $(MODEMSIM) $(MQTTC) $(SOAKCHECK) $(TESTS)
	@$(PROGRAMS_ENV) tests/run-tests $(TESTS) $(sort $(wildcard tests/*.sh))

# The fault suite for as long as SOAK_SECONDS says (make test runs it for 45 s).
SOAK_SECONDS ?= 600
soak: deps-test
	@$(MAKE) --no-print-directory $(PARLEY) $(PARLEYD) $(MODEMSIM) $(MQTTC) $(SOAKCHECK)
	@$(PROGRAMS_ENV) SOAK_SECONDS=$(SOAK_SECONDS) tests/run-tests tests/soak.sh

# The same tests with ASan + UBSan, in their own build directory.
check: deps-test
	@$(MAKE) --no-print-directory test BUILD=build-san \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined"

# The same tests under valgrind's memcheck: any error or leak fails them.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
valgrind: deps-test
	@tools/ensure-deps valgrind
	@$(MAKE) --no-print-directory $(PARLEY) $(PARLEYD) $(MODEMSIM) $(MQTTC) $(SOAKCHECK) $(TESTS)
	@PARLEY=$(PARLEY) MODEMSIM=$(MODEMSIM) MQTTC=$(MQTTC) SOAKCHECK=$(SOAKCHECK) TEST_WRAPPER="$(VALGRIND)" MODEMSIM_WRAPPER="$(VALGRIND)" \
		tests/run-tests $(TESTS) $(sort $(wildcard tests/*.sh))

# Each libFuzzer target runs FUZZ_SECONDS seconds from its seed corpus.
FUZZERS := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_FLAGS := -std=c11 -Iinclude -D_POSIX_C_SOURCE=200809L $(CJSON_CFLAGS) -g -O1 \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
$(BUILD)/fuzz/%: tests/fuzz/%.c $(CODEC_SRC) $(wildcard tests/fuzz/*.h src/codec/*.h include/parley/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(CODEC_SRC)

# the parsers above the codec (MQTT commands, the configuration) need the whole library
$(BUILD)/fuzz/fuzz_mqtt_command $(BUILD)/fuzz/fuzz_config: $(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRC) $(ALL_LIBS)

# the AT layer and the modem driver, what a modem's bytes reach: no libraries needed
MODEM_FUZZ_SRC := $(CODEC_SRC) $(sort $(wildcard src/at/*.c)) $(sort $(wildcard src/modem/*.c))
$(filter $(BUILD)/fuzz/fuzz_at_% $(BUILD)/fuzz/fuzz_modem_%,$(FUZZERS)): $(BUILD)/fuzz/%: tests/fuzz/%.c \
		$(MODEM_FUZZ_SRC) $(wildcard tests/fuzz/*.h src/modem/*.h include/parley/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(MODEM_FUZZ_SRC)

VECTORS ?= $(firstword $(wildcard $(PARLEY_VECTORS) ../shared/vectors/real_pdus.tsv \
	/work/shared/vectors/real_pdus.tsv))

fuzz:
	@tools/ensure-deps $(FUZZ_DEBS)
	@$(MAKE) --no-print-directory $(FUZZERS)
	@tools/fuzz-seeds "$(VECTORS)" $(BUILD)/fuzz/seeds-real
	@set -e; for f in $(FUZZERS); do \
		name=$$(basename $$f); corpus=tests/fuzz/corpus/$$name; \
		case $$name in fuzz_at_*|fuzz_modem_*) dict=-dict=tests/fuzz/at.dict ;; *) dict= ;; esac; \
		mkdir -p $(BUILD)/fuzz/work-$$name; \
		echo "== $$name ($(FUZZ_SECONDS) s)"; \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$dict \
			-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/work-$$name $$corpus \
			$(BUILD)/fuzz/seeds-real 2>&1 \
			| grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus|==[0-9]+==ERROR|SUMMARY)|invariant broken|runtime error|Test unit written' ; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done; echo "fuzz: all targets ran clean"

bench: deps-build $(BENCHES) $(MODEMSIM) $(PARLEYD)
	@for b in $(BENCHES); do MODEMSIM=$(MODEMSIM) PARLEYD=$(PARLEYD) $$b || exit 1; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SYSCONFDIR)/parley $(DESTDIR)$(SYSTEMD_UNITDIR) \
		$(DESTDIR)$(PREFIX)/lib/sysusers.d $(DESTDIR)$(PREFIX)/lib/tmpfiles.d \
		$(DESTDIR)$(PREFIX)/share/parley/boards
	install -m 0755 $(PARLEY) $(PARLEYD) $(DESTDIR)$(PREFIX)/bin/
	install -m 0755 $(MODEMSIM) $(DESTDIR)$(PREFIX)/bin/parley-modemsim
	install -m 0644 systemd/parleyd.service $(DESTDIR)$(SYSTEMD_UNITDIR)/
	install -m 0644 systemd/parley.sysusers.conf $(DESTDIR)$(PREFIX)/lib/sysusers.d/parley.conf
	install -m 0644 systemd/parley.tmpfiles.conf $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/parley.conf
	install -m 0644 boards/* $(DESTDIR)$(PREFIX)/share/parley/boards/
	@# never overwrite a configuration someone has edited
	@test -e $(DESTDIR)$(SYSCONFDIR)/parley/parley.conf || \
		install -m 0640 boards/rpi-sim7600-hat.conf $(DESTDIR)$(SYSCONFDIR)/parley/parley.conf

demo:
	@tools/ensure-deps $(DEMO_DEBS)
	@$(MAKE) --no-print-directory $(PARLEY) $(PARLEYD) $(MODEMSIM) $(MQTTC)
	@BUILD=$(BUILD) tools/demo

# Cross builds for the Raspberry Pi with Debian's cross compilers and multiarch
# -dev packages, each ARCH in its own build directory: `make cross ARCH=arm64`
# (64-bit Raspberry Pi OS) or ARCH=armhf (32-bit). `make cross-test` runs the
# unit tests and the shell tests under qemu-user (binfmt_misc not needed); the
# mosquitto broker and the shell stay native. CROSS_UNIT_ONLY=1 skips the
# shell tests.
CROSS_TRIPLET_arm64 := aarch64-linux-gnu
CROSS_TRIPLET_armhf := arm-linux-gnueabihf
CROSS_QEMU_arm64 := qemu-aarch64
CROSS_QEMU_armhf := qemu-arm
CROSS_TRIPLET = $(CROSS_TRIPLET_$(ARCH))
CROSS_BUILD = build-$(ARCH)
# pkgconf:ARCH brings the TRIPLET-pkg-config wrapper that reads ARCH's .pc files;
# libc6-dev:ARCH the C headers and the loader qemu runs (gcc-TRIPLET only
# recommends its own copy, which apt leaves out here)
CROSS_DEBS = make gcc-$(CROSS_TRIPLET) pkgconf:$(ARCH) libc6-dev:$(ARCH) \
	$(addsuffix :$(ARCH),libserialport-dev libsqlite3-dev libconfig-dev libmosquitto-dev \
		libcjson-dev libcmocka-dev)
CROSS_TEST_DEBS = $(CROSS_DEBS) qemu-user mosquitto tzdata
CROSS_MAKE = $(MAKE) --no-print-directory BUILD=$(CROSS_BUILD) CC=$(CROSS_TRIPLET)-gcc \
	AR=$(CROSS_TRIPLET)-ar PKG_CONFIG=$(CROSS_TRIPLET)-pkg-config

.PHONY: cross cross-test cross-install cross-arch cross-programs
cross-arch:
	@test -n "$(CROSS_TRIPLET)" || { echo "make $(MAKECMDGOALS) ARCH=arm64 or ARCH=armhf" >&2; exit 1; }

cross: cross-arch
	@tools/ensure-deps $(CROSS_DEBS)
	@$(CROSS_MAKE) cross-programs

# what a cross build makes; run with BUILD set to the cross build directory
cross-programs: $(PARLEY) $(PARLEYD) $(MODEMSIM) $(MQTTC) $(TESTS)

# `make install` for ARCH into DESTDIR (never into this machine's own /), to
# carry to the Pi as a tar file (docs/raspberry-pi.md)
cross-install: cross-arch
	@test -n "$(DESTDIR)" || { echo "make cross-install ARCH=$(ARCH) DESTDIR=DIR" >&2; exit 1; }
	@tools/ensure-deps $(CROSS_DEBS)
	@$(CROSS_MAKE) install

# The shell tests get wrappers (CROSS_RUN/NAME) that exec each program under
# qemu; the unit tests run through TEST_WRAPPER. The loader and libraries are
# ARCH's multiarch ones (libc6:ARCH), where qemu finds them without -L.
CROSS_QEMU = $(CROSS_QEMU_$(ARCH))
CROSS_RUN = $(CROSS_BUILD)/qemu
CROSS_PROGRAMS := parley parleyd modemsim mqttc
cross-test: cross-arch
	@tools/ensure-deps $(CROSS_TEST_DEBS)
	@$(CROSS_MAKE) cross-programs
	@$(MAKE) --no-print-directory $(SOAKCHECK) # the soak's checker reads files: native is fine
	@mkdir -p $(CROSS_RUN); for p in $(CROSS_PROGRAMS); do \
		printf '#!/bin/sh\nexec %s %s "$$@"\n' $(CROSS_QEMU) $(CURDIR)/$(CROSS_BUILD)/$$p >$(CROSS_RUN)/$$p; \
		chmod 755 $(CROSS_RUN)/$$p; done
	@PARLEY=$(CROSS_RUN)/parley PARLEYD=$(CROSS_RUN)/parleyd MODEMSIM=$(CROSS_RUN)/modemsim \
		MQTTC=$(CROSS_RUN)/mqttc SOAKCHECK=$(SOAKCHECK) TEST_WRAPPER=$(CROSS_QEMU) \
		tests/run-tests $(TEST_SRC:tests/%.c=$(CROSS_BUILD)/tests/%) \
		$(if $(CROSS_UNIT_ONLY),,$(sort $(wildcard tests/*.sh)))

clean:
	rm -rf build build-san build-arm64 build-armhf

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
