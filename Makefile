# The Baclofen Clinical Book. `make help` lists the targets.
# Everything runs from this folder with relative paths, so a copy elsewhere works too.

SHELL      := /bin/bash
PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
SPHINX     := $(BIN)/sphinx-build
SPHINXOPTS ?= -W --keep-going -n
# Test workers (pytest-xdist): each test file runs whole on one; the book is built once for all.
TEST_WORKERS ?= 2
BUILD      := _build
# Debian packages, by what needs them: the website (flowcharts), the PDF, the checks.
HTML_PACKAGES := graphviz
# The PDFs are printed by Chromium from print pages (tagged PDFs; README "Accessible PDFs").
PDF_PACKAGES  := chromium fonts-dejavu-core
# Editions recorded before 0.3 made their PDFs with XeLaTeX: `make editions` rebuilds them so.
LATEX_PACKAGES := latexmk texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended texlive-xetex fonts-freefont-otf tex-gyre
TEST_PACKAGES := $(HTML_PACKAGES) $(PDF_PACKAGES) poppler-utils epubcheck
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Reproducible output: stamp builds with the last commit's time unless the caller sets one.
# (HTML is byte-identical either way; XeLaTeX needs it for a byte-identical PDF.)
ifeq ($(SOURCE_DATE_EPOCH),)
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null)
endif
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif

.DEFAULT_GOAL := help
.PHONY: help book html pdf serve test clean setup system-deps html-deps pdf-deps latex-deps editions linkcheck epub bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

book: pdf html ## Build the PDFs, then the website that links them (installs what is missing)
	@echo
	@echo "Website: $(BUILD)/html/index.html  (open it in a browser, or run: make serve)"
	@echo "PDFs:    $(BUILD)/pdf/*.pdf  (also in the website: $(BUILD)/html/)"

setup: $(VENV)/.installed system-deps ## Install everything the book needs

$(VENV)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# $(call apt_need,COMMANDS,PACKAGES): install PACKAGES with apt when a COMMAND is missing
# (DejaVuSerif and FreeSerif stand for the fonts); elsewhere, say what to install.
define apt_need
	@missing=""; \
	for cmd in $(1); do \
		if [ "$$cmd" = DejaVuSerif ] || [ "$$cmd" = FreeSerif ]; then \
			fc-list 2>/dev/null | grep -q $$cmd || missing="$$missing $$cmd"; \
		else command -v $$cmd >/dev/null || missing="$$missing $$cmd"; fi; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
		echo "Missing:$$missing. Install these packages (Debian names) with your package manager: $(2)"; exit 1; fi; \
	echo "Installing with apt:$$missing"; \
	$(SUDO) apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(2)
endef

html-deps:
	$(call apt_need,dot,$(HTML_PACKAGES))
pdf-deps:
	$(call apt_need,chromium DejaVuSerif,$(PDF_PACKAGES))
latex-deps:
	$(call apt_need,latexmk xelatex FreeSerif,$(LATEX_PACKAGES))
system-deps: ## Install everything the checks need through apt (Graphviz, chromium, poppler, EPUBCheck)
	$(call apt_need,dot chromium DejaVuSerif pdftotext epubcheck java,$(TEST_PACKAGES))

# The PDFs (book, chapter handouts, quick-reference card) go into the website when they have been built from
# the current sources; names and places: bookext/products.py.
PRODUCTS := $(BIN)/python -m bookext.products

html: $(VENV)/.installed html-deps ## Build the website into _build/html (fails on any warning)
	$(SPHINX) -b html -c . $(SPHINXOPTS) -d $(BUILD)/doctrees docs $(BUILD)/html
	@$(PRODUCTS) install $(BUILD)/html

pdf: $(VENV)/.installed html-deps pdf-deps ## Build the tagged PDFs (book, chapter handouts, quick-reference card) into _build/pdf, copy them into the website
	$(PRODUCTS) pdf --sphinxopts "$(SPHINXOPTS)"
	@[ ! -d $(BUILD)/html ] || $(PRODUCTS) install $(BUILD)/html

epub: $(VENV)/.installed html-deps ## Build the EPUB e-book into _build/epub
	$(SPHINX) -b epub -c . $(SPHINXOPTS) -d $(BUILD)/doctrees-epub docs $(BUILD)/epub

serve: $(VENV)/.installed html-deps ## Preview the website at http://127.0.0.1:8000, rebuilding on save
	$(BIN)/sphinx-autobuild -b html -c . $(SPHINXOPTS) --watch references.bib --watch bookext \
		-d $(BUILD)/doctrees docs $(BUILD)/html --host 127.0.0.1 --port 8000

test: $(VENV)/.installed system-deps ## Run every check (builds the book once, then the tests)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(VENV)/.installed system-deps pdf-deps ## Time builds and PDFs, weigh pages, time search (not part of test)
	$(BIN)/python tools/bench.py $(BENCHOPTS)

editions: $(VENV)/.installed html-deps pdf-deps latex-deps ## Build every recorded edition (CHANGELOG.md) and latest/ with a version switcher
	$(BIN)/python tools/editions.py build --out $(BUILD)/editions
	@echo "Editions: $(BUILD)/editions (serve it: $(BIN)/python -m http.server -d $(BUILD)/editions)"

linkcheck: $(VENV)/.installed ## Check links to sources (needs the internet; CI runs it weekly)
	$(SPHINX) -b linkcheck -c . -d $(BUILD)/doctrees docs $(BUILD)/linkcheck

clean: ## Delete the build output
	rm -rf $(BUILD)
