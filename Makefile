# Praxis-Hub — `make run` serves the demo hub, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export HUB_TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run schedule test lint translations update-translations clean help chromium nginx wheel

help:
	@echo "make run    – install, migrate, load the demo corpus, build the index, serve on http://$(HOST):$(PORT)"
	@echo "make test   – install test tools (incl. Chromium, nginx) and run the whole suite on SQLite and PostgreSQL"
	@echo "make schedule – run the periodic jobs (digests, index check, backups) in the foreground"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d hub/translations -f >/dev/null

update-translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o hub/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i hub/translations/messages.pot -d hub/translations --no-fuzzy-matching

# gunicorn's settings live in hub/gunicorn_conf.py: access log to stderr, and Prometheus multiprocess
# mode (PROMETHEUS_MULTIPROC_DIR, default instance/prometheus) so /metrics adds up all workers.
run: $(VENV)/.installed translations
	$(BIN)/hub init --demo
	HUB_BIND=$(HOST):$(PORT) HUB_WORKERS=2 $(BIN)/gunicorn --config python:hub.gunicorn_conf hub.wsgi:app

schedule: $(VENV)/.installed
	$(BIN)/hub schedule

wheel: $(VENV)/.installed
	$(BIN)/pip wheel --no-deps -w dist .

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)

nginx:  # tests/test_deploy.py checks deploy/nginx.conf with `nginx -t`
	@test -x /usr/sbin/nginx || (apt-get update -qq && apt-get install -y -qq nginx-light)

test: $(VENV)/.installed-test translations chromium nginx
	$(BIN)/ruff check hub tests bench config.py wsgi.py
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadfile

# mypy checks what [tool.mypy] in pyproject.toml names (hub, config.py, wsgi.py); cache in .mypy_cache
lint: $(VENV)/.installed-test
	$(BIN)/ruff check hub tests bench config.py wsgi.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) search_index instance .pytest_cache .mypy_cache build dist
