PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Links in mail and feeds point at the port the site is served on, unless set.
BASE_URL ?= http://127.0.0.1:$(PORT)
export BASE_URL
FLASK := $(BIN)/flask --app innkeeper

.PHONY: install run worker test lint bench audit messages catalogues clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The compiled catalogues (.mo) are built from translations/*/LC_MESSAGES/messages.po,
# never committed, so they cannot fall behind the texts.
catalogues: install
	$(BIN)/pybabel compile -d translations --statistics

run: install catalogues
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 wsgi:app

worker: install catalogues
	$(FLASK) jobs run

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint catalogues
	$(BIN)/python -m pytest -n 2

# Lighthouse's scores of the guest pages; needs Node.js and a Chromium (CHROME_PATH).
audit: $(VENV)/.installed-test catalogues bench/node_modules/.installed
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python -m bench.audit

bench/node_modules/.installed: bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund --loglevel=error
	touch $@

# Extract every marked text into messages.pot, then bring each language's catalogue up
# to date with it; texts new or changed since are left for the translator (empty, or
# marked fuzzy with a guess). Another language: pybabel init -i messages.pot -d translations -l xx
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o messages.pot src templates
	test -f translations/es/LC_MESSAGES/messages.po || \
		$(BIN)/pybabel init -i messages.pot -d translations -l es
	$(BIN)/pybabel update -i messages.pot -d translations --ignore-obsolete

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench
	$(BIN)/python -m bench.reservations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache bench/node_modules
