# pressreview: `make site` builds the site from seeds/, `make test` runs the whole suite.
# Both set up .venv with the pinned dependencies first (Python 3.11 on Debian).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed

.PHONY: setup site docs serve test eval bench golden clean

setup: $(STAMP)

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/pip check --disable-pip-version-check
	touch $(STAMP)

site: setup
	$(PY) build.py build

docs: setup
	$(PY) build.py docs

serve: setup
	$(PY) build.py serve

test: setup
	$(PY) -m pytest

# Measured on the labelled data in ../shared/benchmarks (not part of a user's clone).
eval: setup
	$(PY) build.py eval --check

bench: setup
	$(PY) benchmarks/run_all.py

# Regenerate the golden files of the seeds; review them with `git diff tests/golden`.
golden: setup
	$(PY) build.py normalise --input seeds --out tests/golden

clean:
	rm -rf site docs/index.md docs/articles docs/data .pytest_cache .hypothesis
