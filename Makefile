# The two commands of the README (`make demo`, `make test`) work on a fresh Debian 12 machine
# with the Swift toolchain and nothing else: each first installs what is missing.
SHELL := /bin/bash
SWIFT ?= swift
# Debian packages the build and the tests need; installed only when missing.
DEB_PACKAGES := libcurl4-openssl-dev libxml2-dev libsqlite3-dev pkgconf
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release demo test bench clean

deps:
	@missing=""; \
	for package in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
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

bench: release
	$$($(SWIFT) build -c release --show-bin-path)/crawler bench

clean:
	rm -rf .build output/demo output/bench
