# banmian — set-up, demo and tests. Every target installs what it needs, is idempotent and never prompts.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Debian packages the tool and its tests need (runtime: Pango, HarfBuzz subsetter, the fonts;
# tests and preflight: poppler-utils, qpdf, ghostscript, zbar-tools; the live-preview browser test: chromium).
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai \
	poppler-utils qpdf ghostscript libgs-common zbar-tools \
	chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)
SAMPLE := content/beibei-dangjian.yaml

.PHONY: demo test setup apt venv lint bench clean icc

demo: setup
	$(VENV)/bin/banmian build $(SAMPLE)

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

# Bytecode first, as an installed banmian has it (pip compiles it): the figures are the tool's, not those of
# compiling its sources (what a shell with PYTHONDONTWRITEBYTECODE=1 would otherwise pay in every run).
bench: setup
	$(PY) -m compileall -q src >/dev/null
	$(PY) bench/run.py

setup: apt venv

apt:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

# Regenerate the newsprint press profile from the CGATS TR 002 data (see src/banmian/graphics/data/README.md).
# Not part of set-up: the profile is committed; this needs argyll and icc-profiles-free and ~2 min.
icc:
	@dpkg-query -W -f='$${Status}\n' argyll 2>/dev/null | grep -q '^install ok installed' || \
		(export DEBIAN_FRONTEND=noninteractive; $(SUDO) apt-get update -qq && \
		 $(SUDO) apt-get install -y -qq --no-install-recommends argyll icc-profiles-free >/dev/null)
	tmp=$$(mktemp -d) && cp /usr/share/color/icc/TR002.ti3 $$tmp/ && cd $$tmp && \
	colprof -qm -nc -kr -l240 -L95 -S /usr/share/color/icc/sRGB.icc -cmt -dpp \
		-D "banmian Newsprint (CGATS TR 002, TAC 240%)" \
		-C "Derived from ANSI CGATS/SNAP TR 002-2007 characterization data; see README" TR002 && \
	cp $$tmp/TR002.icc $(CURDIR)/src/banmian/graphics/data/newsprint-tr002.icc && rm -rf $$tmp

clean:
	rm -rf output/*.pdf output/*.png $(VENV)
