# quotetrace: two commands do all the set-up on a fresh machine.
#   make report   - run the verification on the bundled corpus; reports appear in reports/tweetgate/
#   make test     - run the whole test suite (unit, property, notebook and CLI tests)
# Both create .venv and install the pinned dependencies (pyproject.toml) when missing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= tweetgate

.PHONY: report test install browser notebooks bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/quotetrace run $(CORPUS)

# Debian's chromium for the real-browser JupyterLab test (playwright drives it; no browser download)
browser:
	@command -v chromium >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "make test needs Debian's chromium: sudo apt-get install chromium"; exit 1; }

# unit, property, doctest, CLI/papermill, hostile-input and browser tests, and nbval on the committed notebooks
test: $(STAMP) browser
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg tests lib notebooks

# Re-execute the committed notebooks on the bundled corpus so their stored outputs match (nbval compares them).
notebooks: $(STAMP)
	$(BIN)/python -m quotetrace.notebooks refresh

bench: $(STAMP)
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf reports .pytest_cache
