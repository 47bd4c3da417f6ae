# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv with the project and its dependencies on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_INDEX := demo-index

.PHONY: demo test install clean

$(BIN)/search: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/search

demo: install
	rm -rf $(DEMO_INDEX)
	$(BIN)/search index add samples --index $(DEMO_INDEX)
	$(BIN)/search query "انسحاب داعش" --index $(DEMO_INDEX)

test: install
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(DEMO_INDEX) .pytest_cache
