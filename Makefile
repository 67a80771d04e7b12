# Two commands do everything on a fresh machine: `make run` and `make test`.
# `make run` installs only what cvgen needs at run time; `make test` adds the dev tools.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-stamp
STAMP  := $(VENV)/.installed-stamp
# The development and CI toolchain, every package pinned (`make lock` updates it, on purpose).
LOCK   := requirements-dev.lock
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8000
PIP    := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: run test test-fast test-lowest lint typecheck pytest docs browser build dist bench clean lock mutation

$(BIN)/python:
	@echo "==> creating $(VENV)/ (a virtual environment for this checkout)"
	$(PYTHON) -m venv $(VENV)

# cvgen and its run-time dependencies only (click, jinja2, markdown, pyyaml, boto3, watchdog).
$(RUNTIME_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	@echo "==> installing cvgen (editable) and its run-time dependencies into $(VENV)/"
	$(PIP) install --progress-bar off -c $(LOCK) -e .
	@touch $@

# Everything `make test` needs on top: pytest, moto, playwright, ruff, mypy, cfn-lint, checkov...
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	@echo "==> installing cvgen with the development tools into $(VENV)/ (a few minutes the first time)"
	$(PIP) install --quiet -c $(LOCK) -e '.[dev]'
	@touch $@ $(RUNTIME_STAMP)

# Re-resolve the toolchain into $(LOCK) in a scratch venv. Pins already in the lock are kept
# (so adding a dependency to pyproject.toml pins just it and what it needs);
# `make lock UPGRADE=1` takes the newest versions pyproject.toml allows. Review the diff.
lock:
	rm -rf .tools/lock-venv
	$(PYTHON) -m venv .tools/lock-venv
	.tools/lock-venv/bin/python -m pip install --quiet --disable-pip-version-check \
	  $(if $(UPGRADE),,-c $(LOCK)) -e '.[dev]'
	{ echo "# The development and CI toolchain, pinned. Written by \`make lock\`; never edit by hand."; \
	  echo "# \`make lock\` keeps these pins and adds what pyproject.toml newly asks for;"; \
	  echo "# \`make lock UPGRADE=1\` re-resolves to the newest versions pyproject.toml allows."; \
	  .tools/lock-venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf .tools/lock-venv

# The fast suite against the lowest version of each run-time dependency that pyproject.toml
# allows (uv's --resolution lowest-direct; uv itself, pinned, from PyPI into .tools/). The
# development tools come from the lock, with those run-time pins forced on them (an override:
# cfn-lint and moto ask for a newer PyYAML than cvgen needs, and work with cvgen's lowest);
# tests/ci/lowest_bounds.py stops the run unless each dependency is at exactly its bound.
# A lower bound that is too low fails here rather than on a user's machine. CI: job `lowest`.
UV_VERSION := 0.13.9
UV     := .tools/uv/bin/uv
LOWEST := .tools/lowest

$(UV):
	$(PYTHON) -m venv .tools/uv
	.tools/uv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

test-lowest: $(UV) browser
	rm -rf $(LOWEST)
	$(UV) venv --quiet --python $(PYTHON) $(LOWEST)
	$(UV) pip install --quiet --python $(LOWEST)/bin/python --resolution lowest-direct -e .
	$(UV) pip freeze --python $(LOWEST)/bin/python | grep -v '^-e' > $(LOWEST)/runtime.txt
	awk -F== 'function key(n) { n = tolower(n); gsub(/[_.]/, "-", n); return n } \
	  NR == FNR { pinned[key($$1)]; next } !/^#/ && !(key($$1) in pinned)' \
	  $(LOWEST)/runtime.txt $(LOCK) > $(LOWEST)/tools.txt
	$(UV) pip install --quiet --python $(LOWEST)/bin/python --override $(LOWEST)/runtime.txt \
	  -c $(LOWEST)/tools.txt -e '.[dev]'
	$(LOWEST)/bin/python tests/ci/lowest_bounds.py
	$(LOWEST)/bin/python -m pytest -q -m "not slow" -p no:randomly

# Debian's Chromium for the browser tests (playwright drives it; it never downloads a browser),
# poppler-utils (pdftotext, pdfinfo, pdffonts) for the PDF tests' text extraction, an
# emoji font for the PDF test of text the theme's font lacks (Typst falls back to it),
# node, which runs the site's CloudFront Function in the template tests, and LibreOffice
# Writer (soffice), which opens cv.docx in the Word tests.
browser:
	@{ command -v chromium && command -v pdftotext && command -v node && command -v soffice && \
	   dpkg -s fonts-noto-color-emoji; } >/dev/null 2>&1 || { \
	  echo "==> installing Debian's chromium, poppler-utils, node, an emoji font and LibreOffice Writer for the tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    chromium poppler-utils nodejs fonts-noto-color-emoji libreoffice-writer >/dev/null; }

run: $(RUNTIME_STAMP)
	@echo "==> serving the example site on http://$(HOST):$(PORT)/ (edit content/, the page reloads; Ctrl+C stops)"
	$(BIN)/cvgen serve --host $(HOST) --port $(PORT)

build: $(RUNTIME_STAMP)
	$(BIN)/cvgen build

# The sdist and wheel, into dist/, as the release workflow builds them (`build` runs apart
# from .venv: its `packaging` would clash with checkov's pin).
dist: $(BIN)/python
	rm -rf dist
	$(PIP) install --quiet --target .tools/build 'build>=1.2'
	PYTHONPATH=.tools/build $(BIN)/python -m build --outdir dist .

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/vulture

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) browser
	$(BIN)/pytest

# The documentation site (docs/ -> .tools/site/), strict: a broken link, an unknown page or
# a page left out of mkdocs.yml's nav fails it; the reference pages come from the code.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

test: lint typecheck docs pytest

# The edit loop: lint and every test not marked `slow` (make test still runs them all).
test-fast: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/pytest -q -m "not slow"

bench: $(STAMP) browser
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Small bugs put into the modules changed since main (or MODULES="cvgen/a.py cvgen/b.py"),
# one at a time, each run against the tests that import the module: prints the survivors
# and killed / survived / equivalent per module (tools/mutation-equivalent.txt lists the
# equivalent ones, with why). Slow: minutes per module.
mutation: $(STAMP)
	$(BIN)/python tools/mutation.py $(MODULES)

clean:
	rm -rf output .cvgen .pytest_cache .mypy_cache .ruff_cache dist build
