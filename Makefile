# pressreview: `make site` builds the site from seeds/, `make test` runs the whole suite.
# Both set up .venv with the pinned dependencies first (Python 3.11 on Debian).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps site docs serve pdf test eval bench golden screenshots clean

setup: $(STAMP)

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/pip check --disable-pip-version-check
	touch $(STAMP)

# Debian packages and the npm package that the PDF and the browser tests need (as root).
system-deps:
	scripts/system-deps.sh

site: setup
	$(PY) build.py build

# The site with the PDF report (site/report.pdf), linked from every page's footer.
pdf: setup system-deps
	$(PY) build.py build --pdf

docs: setup
	$(PY) build.py docs

serve: setup
	$(PY) build.py serve

test: setup system-deps
	$(PY) -m pytest

# Measured on the labelled data in ../shared/benchmarks (not part of a user's clone).
eval: setup
	$(PY) build.py eval --check

bench: setup
	$(PY) benchmarks/run_all.py

# PNGs of the main pages at 390 and 1280 px in screenshots/ (git-ignored), for review in a pull
# request: of site/ as it is (after `make site` or `make pdf`), built first when there is none.
screenshots: setup
	$(PY) scripts/screenshots.py

# Regenerate the golden files of the seeds; review them with `git diff tests/golden`.
golden: setup
	$(PY) build.py normalise --input seeds --out tests/golden

clean:
	rm -rf site screenshots .site.tmp-* .site.old-* .site.pressreview-stamp .site.pressreview-pages.json docs/index.md docs/articles docs/data docs/rules docs/sources docs/compare docs/report.pdf docs/changes.md docs/legend.md docs/methodology.md docs/reference docs/.pressreview-manifest.json .cache/pressreview .pressreview.lock .pressreview-mkdocs.yml build .pytest_cache .hypothesis
