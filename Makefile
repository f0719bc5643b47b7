# Klientela: `make run` sets everything up and serves the app; `make test` runs the whole suite.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
KLIENTELA := $(UV) run --frozen klientela
HOST ?= 127.0.0.1:8000

.PHONY: run test install assets migrate demo serve lint format test-sqlite test-postgres browser messages

run: install assets migrate demo serve

test: install assets lint browser
	$(UV) run --frozen pytest $(PYTEST_ARGS)

$(UV):
	python3 -m pip install --user --quiet uv || python3 -m pip install --user --quiet --break-system-packages uv

install: $(UV)
	$(UV) sync --frozen

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	npm run --silent build

migrate:
	$(KLIENTELA) migrate --noinput -v 0

demo:
	$(KLIENTELA) demo --if-empty

serve:
	@echo "Klientela is starting on http://$(HOST)/"
	$(KLIENTELA) runserver $(HOST)

lint:
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen lint-imports

format:
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

# Browser tests drive Debian's Chromium; install it when missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "Chromium is missing: browser tests will fail (apt-get install chromium)."

# JavaScript strings live in assets/ (bundled into klientela/static/build): scan them from the top.
messages:
	cd klientela && $(UV) run --frozen klientela makemessages -l ru -l pl -l sl --no-location --no-obsolete --ignore='static/*'
	$(KLIENTELA) makemessages -d djangojs -l ru -l pl -l sl --no-location --no-obsolete \
	  --ignore='node_modules/*' --ignore='klientela/static/*' --ignore='tests/*' \
	  --ignore='test-artifacts/*' --ignore='var/*'
	cd klientela && $(UV) run --frozen klientela compilemessages
