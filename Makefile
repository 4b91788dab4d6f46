# recl: `make demo` runs the main job, `make test` runs every check. Both create .venv and install what they need.
# `make paper PROFILE=paper WORKERS=N` (N local worker processes) or `SCHEDULER=tcp://HOST:PORT` (a running Dask cluster).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# the stamp is named after pyproject.toml's content (nbdev-export rewrites the file, so its date says nothing)
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PROFILE ?= quick
DATA_ROOT ?=
SCHEDULER ?=
WORKERS ?=

.PHONY: install demo test lint paper clean

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed*; touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/recl demo --out demo_out

test: $(STAMP)
	$(BIN)/python scripts/run_tests.py

lint: $(STAMP)
	$(BIN)/ruff check recl tests scripts benchmarks paper_figures

paper: $(STAMP)
	$(BIN)/python paper_figures/make_paper.py --profile $(PROFILE) $(if $(DATA_ROOT),--data-root $(DATA_ROOT)) \
		$(if $(SCHEDULER),--scheduler $(SCHEDULER)) $(if $(WORKERS),--workers $(WORKERS))

clean:
	rm -rf $(VENV) demo_out runs
