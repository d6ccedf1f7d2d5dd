# The two commands of the README (`make demo`, `make test`) work on a fresh Debian 12 machine
# with the Swift toolchain and nothing else: each first installs what is missing.
SHELL := /bin/bash
SWIFT ?= swift
# Debian packages the build and the tests need; installed only when missing.
DEB_PACKAGES := libcurl4-openssl-dev libxml2-dev libsqlite3-dev pkgconf graphviz
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release demo test bench microbench clean

deps:
	@missing=""; \
	for package in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi; \
	if ! command -v python3 >/dev/null; then \
	  echo "Installing python3 and NetworkX (the export tests load the exports with it)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3 python3-networkx; \
	elif ! python3 -c 'import networkx' 2>/dev/null; then \
	  echo "Installing NetworkX (the export tests load the exports with it)"; \
	  python3 -m pip install --quiet networkx 2>/dev/null || python3 -m pip install --quiet --break-system-packages networkx; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product crawler

demo: release
	$$($(SWIFT) build -c release --show-bin-path)/crawler demo

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The bench: every fetch and parse model, end to end, into output/bench/<timestamp>/ (report.md,
# report.json, SVG charts, index.html). BENCH_ARGS passes flags, e.g. make bench BENCH_ARGS=--quick
bench: release
	$$($(SWIFT) build -c release --show-bin-path)/crawler bench $(BENCH_ARGS)

# Micro-benchmarks of the hot paths (package-benchmark, release build): URL normalization, link
# extraction, store inserts. BENCHMARK_ARGS passes flags, e.g. "baseline compare main".
microbench: deps
	$(SWIFT) package --allow-writing-to-package-directory benchmark $(BENCHMARK_ARGS)

clean:
	rm -rf .build output/demo output/bench
