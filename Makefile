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

.PHONY: demo test setup apt venv lint bench clean

demo: setup
	$(VENV)/bin/banmian build $(SAMPLE)

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

bench: setup
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

clean:
	rm -rf output/*.pdf output/*.png $(VENV)
