# Sillypaste: `make run` serves on http://127.0.0.1:8000, `make test` runs every test.
# Both install what they need first (Debian 12, as root or with sudo).

BUILD_RELEASE := build/release
BUILD_TEST    := build/test
JOBS          ?= $(shell nproc)
FUZZ_SECONDS  ?= 60

# Let ccache reuse objects across checkouts in different folders (CI clones afresh).
export CCACHE_BASEDIR  := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: run test deps deps-test build build-test unit functional fuzz soak bench bench-scale clean

run: deps build
	./$(BUILD_RELEASE)/sillypaste serve

test: deps-test build-test
	./scripts/run-tests $(BUILD_TEST)

deps:
	./scripts/install-deps

deps-test:
	./scripts/install-deps --test

build:
	cmake -S . -B $(BUILD_RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=Release -DSILLYPASTE_TESTS=OFF
	cmake --build $(BUILD_RELEASE) -j $(JOBS) --target sillypaste

build-test:
	cmake -S . -B $(BUILD_TEST) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSILLYPASTE_SANITIZE=ON \
	  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g"
	cmake --build $(BUILD_TEST) -j $(JOBS)

unit: build-test
	cd $(BUILD_TEST) && ctest --output-on-failure -j $(JOBS)

functional: build-test
	SILLYPASTE_BIN=$(CURDIR)/$(BUILD_TEST)/sillypaste /usr/bin/python3 -m pytest -q tests/functional

# Every libFuzzer target (tests/fuzz) for FUZZ_SECONDS each, built with clang-14.
fuzz: deps-test
	FUZZ_JOBS=$(JOBS) ./scripts/run-fuzz $(FUZZ_SECONDS)

# Long runs (scripts/run-soak): the crash test with SOAK_KILLS (500) SIGKILLs on SQLite and
# on PostgreSQL, about 10 minutes each; `make test` runs them with 50 kills. Then 2,000 idle
# and 200 slowloris clients for 60 s (about 3 minutes; `make test` runs 3 s).
soak: deps-test build-test
	./scripts/run-soak $(BUILD_TEST)

# Against nginx serving the same bytes, on loopback (bench/run.py, docs/performance.md):
# about 5 minutes once the 100,000-paste seed is cached in build/bench/cache/.
# BENCH_ARGS passes options to bench/run.py (--help lists them).
bench: deps-test build
	/usr/bin/python3 bench/run.py --binary $(BUILD_RELEASE)/sillypaste $(BENCH_ARGS)

# 1,000,000 pastes in SQLite: startup, search, expire, export. With the default sizes the
# import peaks near 75 GB of disk; BENCH_ARGS="--size-factor 0.2" needs about a fifth.
bench-scale: deps-test build
	/usr/bin/python3 bench/run.py --scale --binary $(BUILD_RELEASE)/sillypaste $(BENCH_ARGS)

clean:
	rm -rf build
