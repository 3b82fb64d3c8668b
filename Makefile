# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | sha256sum | cut -c1-12)
PYTEST_ARGS ?=

.PHONY: run test lint typecheck test-sqlite test-postgres system-deps messages bench-filing bench-archive bench-distribution bench-transitions clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --requirement requirements.txt
	$(BIN)/pip install --quiet --no-deps --editable .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## Serve the whole platform with demo data at http://127.0.0.1:8000 (web + background worker).
run: $(STAMP)
	TORELIK_DEMO=1 $(BIN)/torelik run

## Lint, type-check and run every test on SQLite and on PostgreSQL.
test: $(STAMP) system-deps lint typecheck test-sqlite test-postgres

system-deps:
	bash scripts/system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check torelik $(wildcard bench) conftest.py
	$(BIN)/ruff format --check torelik $(wildcard bench) conftest.py
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy torelik

test-sqlite: $(STAMP)
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: $(STAMP)
	bash scripts/with-postgres.sh $(BIN)/pytest -n 2 $(PYTEST_ARGS)

## Recompile translations after editing torelik/locale/*/LC_MESSAGES/django.po
# Apps with their own locale/ directory keep their own catalogue; the rest go to torelik/locale.
APP_LOCALES := $(patsubst %/locale,%,$(wildcard torelik/*/locale))
messages: $(STAMP)
	$(BIN)/torelik makemessages -l kk -l ru -l en --ignore '.venv/*' --ignore 'bench/*' \
	  $(foreach app,$(APP_LOCALES),--ignore '$(app)/*')
	for app in $(APP_LOCALES); do (cd $$app && $(CURDIR)/$(BIN)/torelik makemessages -l kk -l ru -l en) || exit 1; done
	$(BIN)/torelik compilemessages --ignore '.venv/*'

bench-filing: $(STAMP)
	$(BIN)/python bench/filing.py --engine sqlite
	bash scripts/with-postgres.sh $(BIN)/python bench/filing.py --engine postgres

## Ingest 100,000 documents into the electronic file, then verify it (see bench/README.md).
## The issue's 100,000 documents are about 60 GB and 90 minutes of ingest here; by default 10,000.
BENCH_ARCHIVE_ARGS ?= --documents 10000
bench-archive: $(STAMP)
	$(BIN)/python bench/archive.py $(BENCH_ARCHIVE_ARGS)

## Distribute 200,000 cases among 2,000 judges (see bench/README.md): all of them as the backlog job
## does (services.PENDING_BATCH = 1,000 cases per transaction) on SQLite, on PostgreSQL, and on
## PostgreSQL with two processes splitting the courts; then a minute of the registration path (one
## case per transaction) on each engine.
BENCH_DISTRIBUTION_ARGS ?=
bench-distribution: $(STAMP)
	$(BIN)/python bench/distribution.py --engine sqlite --batch 1000 --verify $(BENCH_DISTRIBUTION_ARGS)
	bash scripts/with-postgres.sh $(BIN)/python bench/distribution.py --engine postgres --batch 1000 $(BENCH_DISTRIBUTION_ARGS)
	bash scripts/with-postgres.sh $(BIN)/python bench/distribution.py --engine postgres --batch 1000 --workers 2 --verify $(BENCH_DISTRIBUTION_ARGS)
	$(BIN)/python bench/distribution.py --engine sqlite --batch 1 --time-limit 60
	bash scripts/with-postgres.sh $(BIN)/python bench/distribution.py --engine postgres --batch 1 --time-limit 60

## Take civil cases along their path by the services, one step per transaction, then time the case
## card of a case with 200 history entries (see bench/transitions.md). The issue's 100,000 cases are
## 600,000 steps, 40-70 minutes per engine on 2 cores: by default the tables are filled to that size
## in bulk and 10,000 cases (SQLite) / 5,000 (PostgreSQL) are taken along; BENCH_TRANSITIONS_ARGS
## overrides (e.g. --cases 100000 --background 0 for the whole run).
BENCH_TRANSITIONS_SQLITE ?= --cases 10000 --background 90000
BENCH_TRANSITIONS_POSTGRES ?= --cases 5000 --background 95000
bench-transitions: $(STAMP)
	$(BIN)/python bench/transitions.py --engine sqlite $(BENCH_TRANSITIONS_SQLITE) $(BENCH_TRANSITIONS_ARGS)
	bash scripts/with-postgres.sh $(BIN)/python bench/transitions.py --engine postgres $(BENCH_TRANSITIONS_POSTGRES) $(BENCH_TRANSITIONS_ARGS)
	bash scripts/with-postgres.sh $(BIN)/python bench/transitions.py --engine postgres --workers 2 $(BENCH_TRANSITIONS_POSTGRES) $(BENCH_TRANSITIONS_ARGS)

clean:
	rm -rf var staticfiles .mypy_cache .ruff_cache
