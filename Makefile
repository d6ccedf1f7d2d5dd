# The two commands of the README (`make demo`, `make test`) work on a fresh Debian 12 machine
# with the Swift toolchain and nothing else: each first installs what is missing.
SHELL := /bin/bash
SWIFT ?= swift
# Debian packages the build and the tests need; installed only when missing.
# postgresql: the fleet tests start a private cluster of their own (initdb in a temporary folder).
DEB_PACKAGES := libcurl4-openssl-dev libxml2-dev libdeflate-dev libsqlite3-dev pkgconf graphviz postgresql
# NetworkX releases the JSON export is loaded with besides the installed one (ExportTests),
# each in .build/python/networkx-VERSION.
OLDER_NETWORKX := 3.2.1 3.3 3.4.2 3.5
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release demo test bench microbench fuzz clean

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
	  echo "Installing python3 (the export tests load the exports with NetworkX)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3 python3-pip; \
	fi; \
	if ! python3 -c 'import sys, networkx; sys.exit(tuple(map(int, networkx.__version__.split(".")[:2])) < (3, 4))' 2>/dev/null; then \
	  echo "Installing NetworkX 3.4 or later (the export tests read node-link JSON the 3.4 way)"; \
	  python3 -m pip install --quiet --upgrade 'networkx>=3.4' 2>/dev/null \
	    || python3 -m pip install --quiet --upgrade --break-system-packages 'networkx>=3.4'; \
	fi; \
	if ! python3 -c 'import warcio' 2>/dev/null; then \
	  echo "Installing warcio (the WARC tests read the archives back with it)"; \
	  python3 -m pip install --quiet 'warcio>=1.7' 2>/dev/null \
	    || python3 -m pip install --quiet --break-system-packages 'warcio>=1.7'; \
	fi; \
	if ! python3 -c 'import igraph' 2>/dev/null; then \
	  echo "Installing python-igraph (the export tests load the GraphML export with it)"; \
	  python3 -m pip install --quiet python-igraph 2>/dev/null \
	    || python3 -m pip install --quiet --break-system-packages python-igraph; \
	fi; \
	for version in $(OLDER_NETWORKX); do \
	  if [ ! -d .build/python/networkx-$$version/networkx ]; then \
	    echo "Installing NetworkX $$version into .build/python (the JSON export must load in it too)"; \
	    python3 -m pip install --quiet --no-deps --target .build/python/networkx-$$version "networkx==$$version" 2>/dev/null \
	      || python3 -m pip install --quiet --no-deps --break-system-packages --target .build/python/networkx-$$version "networkx==$$version"; \
	  fi; \
	done

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
# extraction, frame round trips, WARC encoding, store inserts. BENCHMARK_ARGS passes flags, e.g. "baseline compare main".
microbench: deps
	$(SWIFT) package --allow-writing-to-package-directory benchmark $(BENCHMARK_ARGS)

# libFuzzer targets (Fuzz/Targets): URL normalization, robots.txt, link extraction and the
# worker wire format, each for FUZZ_SECONDS (default 600) on its corpus in Fuzz/Corpus, which
# grows with what they find; a crash leaves its input in output/fuzz/. `make test` replays the
# committed corpus (FuzzCorpusTests).
FUZZ_SECONDS ?= 600
fuzz: deps
	$(SWIFT) build --product crawler
	Fuzz/build.sh
	mkdir -p output/fuzz
	for target in url robots parse; do \
		mkdir -p Fuzz/Corpus/$$target; \
		.build/fuzz/fuzz-$$target -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -artifact_prefix=output/fuzz/$$target- \
			Fuzz/Corpus/$$target || exit 1; \
	done

clean:
	rm -rf .build output/demo output/bench
