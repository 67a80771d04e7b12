# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint typecheck pytest browser build bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium for the browser tests (playwright drives it; it never downloads a browser),
# poppler-utils (pdftotext, pdfinfo, pdffonts) for the PDF tests' text extraction, and an
# emoji font for the PDF test of text the theme's font lacks (Typst falls back to it).
browser:
	@{ command -v chromium && command -v pdftotext && \
	   dpkg -s fonts-noto-color-emoji; } >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    chromium poppler-utils fonts-noto-color-emoji >/dev/null; }

run: $(STAMP)
	$(BIN)/cvgen serve --host $(HOST) --port $(PORT)

build: $(STAMP)
	$(BIN)/cvgen build

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) browser
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP) browser
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf output .cvgen .pytest_cache .mypy_cache .ruff_cache dist build
