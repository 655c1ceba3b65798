# Harbor — the two set-up commands are `make run` and `make test`; `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        ?= .venv
PY          := $(VENV)/bin/python
RASA        := $(VENV)/bin/rasa
STAMPS      := $(VENV)/.harbor
ACTIONS_PORT ?= 5055
RASA_PORT   ?= 5005
WEB_PORT    ?= 8080
export ACTIONS_PORT RASA_PORT WEB_PORT

LOCK_INPUTS := requirements.lock pyproject.toml
SPACY_INPUTS := scripts/build_spacy.py requirements.lock

.PHONY: help install train serve-actions serve-rasa serve-web run test lint validate \
        test-unit test-core bench clean web

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMPS)/venv:
	@py=$$(scripts/find-python.sh) && echo "Using $$py" && $$py -m venv $(VENV)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/deps: $(STAMPS)/venv $(LOCK_INPUTS)
	$(PY) -m pip install --quiet --upgrade "pip==24.3.1"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	@touch $@

$(STAMPS)/spacy: $(STAMPS)/deps $(SPACY_INPUTS)
	$(PY) scripts/build_spacy.py
	@touch $@

web/vendor/socket.io.min.js: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --silent
	mkdir -p web/vendor && cp web/node_modules/socket.io-client/dist/socket.io.min.js $@

install: $(STAMPS)/spacy web/vendor/socket.io.min.js ## Find Python 3.10, create .venv, install the lock file, build the spaCy pipeline
	@$(PY) -m bot.store.migrate upgrade >/dev/null && echo "Harbor is installed in $(VENV)"

train: install ## Train into models/ (skipped when data, config and domain are unchanged)
	@scripts/train-if-changed.sh

serve-actions: install ## Action server on 127.0.0.1:$ACTIONS_PORT
	@scripts/serve-actions.sh

serve-rasa: install ## Rasa server on 127.0.0.1:$RASA_PORT (API, REST, socket.io, Telegram)
	@scripts/serve-rasa.sh

serve-web: install ## Chat page on http://127.0.0.1:$WEB_PORT/
	@scripts/serve-web.sh

run: train ## Install, train if needed, start everything and print the chat URL (Ctrl-C stops all)
	@scripts/run.sh

lint: install ## ruff
	$(VENV)/bin/ruff check bot actions tests scripts bench

validate: install ## rasa data validate (warnings fail)
	@scripts/validate.sh

test: install lint validate train ## Lint, validate, pytest (unit + trained model + servers), rasa test core
	@scripts/test.sh

bench: train ## Benchmarks: NLU, safety, latency vs the Rasa starter bot; writes bench/results/
	$(PY) -m bench

clean: ## Remove the virtualenv, models and caches
	rm -rf $(VENV) models .rasa var web/node_modules web/vendor .pytest_cache .ruff_cache
