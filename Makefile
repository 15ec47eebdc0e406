# Everything a newcomer, CI and the benchmarks need; each target sets itself up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run shell migrate test test-sqlite test-postgres bench messages lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(BIN)/python -m bot migrate

run: migrate
	$(BIN)/python -m bot run

shell: migrate
	$(BIN)/python -m bot shell

# The whole suite on SQLite, then again on PostgreSQL (TEST_POSTGRES_URL, default the local
# server). Without a reachable server the PostgreSQL half is skipped with a note, except on CI.
POSTGRES_UP := $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)"
test: setup
	$(BIN)/python -m pytest -q
	@if [ -n "$$CI" ] || [ -n "$$TEST_POSTGRES_URL" ] || $(POSTGRES_UP) 2>/dev/null; then \
		VOKASI_TEST_DATABASE=postgresql $(BIN)/python -m pytest -q -m "not sqlite_only"; \
	else \
		echo "No PostgreSQL at 127.0.0.1:5432: the PostgreSQL half was skipped (CI runs it)."; \
	fi

test-sqlite: setup
	$(BIN)/python -m pytest -q

test-postgres: setup
	VOKASI_TEST_DATABASE=postgresql $(BIN)/python -m pytest -q -m "not sqlite_only"

bench: setup
	$(BIN)/python -m bench

# After changing user-visible text: refresh the template and the catalogues, then translate.
messages: setup
	$(BIN)/pybabel extract -k N_ --no-location --sort-output --project=vokasi-bot \
		-o locales/messages.pot bot handlers
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages -w 99 --ignore-obsolete

lint: setup
	$(BIN)/ruff check bot handlers db tests bench

clean:
	rm -rf $(VENV) data .pytest_cache
