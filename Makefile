# rashomon: one command installs and runs the demo, one installs and runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-fast lint serve screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# the CPU build of torch first (from local disk); the ranges in pyproject then add nothing
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/rashomon compare examples/harbor-fire/*.* --format html -o report.html
	HF_HUB_OFFLINE=1 $(BIN)/rashomon compare examples/harbor-fire/*.* --format md -o report.md
	@echo "wrote report.html and report.md"

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q

# the fast lane: no model is loaded (a test that loads one without the `models` mark fails)
test-fast: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q -m "not models"

# the demo story in a corpus, browsed at http://127.0.0.1:8000
serve: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/rashomon ingest examples/harbor-fire --db demo.db
	HF_HUB_OFFLINE=1 $(BIN)/rashomon serve --db demo.db

# screenshots of the web app's main pages (headless Chromium) -> docs/screenshots/
screenshots: $(STAMP)
	RASHOMON_SCREENSHOTS=docs/screenshots HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q \
		tests/test_web_browser.py -k "filters or citation or compare_now or outlet_page"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) report.html report.md demo.db
