# Two commands on a fresh machine: `make run` builds exports/ from facts/, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test docs clean

run: $(VENV)/.installed
	$(BIN)/kg build

test: $(VENV)/.installed-test
	@$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; \
	exit $$status

$(VENV)/.venv-created:
	$(PYTHON) -m venv $(VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.venv-created pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium fonts-dejavu-core; }
	command -v virtuoso-t >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends virtuoso-opensource-7-bin; }
	touch $@

docs: $(VENV)/.installed
	$(BIN)/python -m kg.clidoc > docs/cli.md.tmp && mv docs/cli.md.tmp docs/cli.md

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
