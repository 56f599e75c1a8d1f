# Two commands: `make run` serves everything on the embedded defaults, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test lint bench install worker migrate clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the dependency list changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run

migrate: $(VENV)/.installed-run
	@mkdir -p var/static
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_questions

run: migrate
	$(BIN)/python -m config.ws_server -b $(HOST) -p $(PORT) config.asgi:application

worker: $(VENV)/.installed-run
	$(BIN)/celery -A config worker --pool threads --concurrency 2 --loglevel INFO

test: $(VENV)/.installed-dev
	@mkdir -p var/static
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.installed-dev
	@mkdir -p var/static
	DJANGO_SETTINGS_MODULE=benchmarks.settings $(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf var/test_db.sqlite3* .pytest_cache
