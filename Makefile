# numberdesk: `make run` to try it, `make test` to check it.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NUMBERDESK_HOME ?= $(CURDIR)/.numberdesk

.PHONY: run test lint bench install clean

$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip==25.3"
	$(BIN)/pip install -q -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	NUMBERDESK_SANDBOX=$${NUMBERDESK_SANDBOX:-1} $(BIN)/numberdesk db upgrade
	NUMBERDESK_SANDBOX=$${NUMBERDESK_SANDBOX:-1} $(BIN)/numberdesk demo --port $${PORT:-8080}
	NUMBERDESK_SANDBOX=$${NUMBERDESK_SANDBOX:-1} $(BIN)/numberdesk serve --port $${PORT:-8080}

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(STAMP) lint
	$(BIN)/pytest -q -n 2 --dist loadfile

bench: $(STAMP)
	for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .numberdesk .pytest_cache .mypy_cache .ruff_cache
