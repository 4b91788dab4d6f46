# recl: `make demo` runs the main job, `make test` runs every check. Both create .venv and install what they need.
# `make paper PROFILE=paper WORKERS=N` (N local worker processes) or `SCHEDULER=tcp://HOST:PORT` (a running Dask cluster).
# `ONLY="table1_2_main online"`: only these notebooks.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# the stamp is named after pyproject.toml's content (nbdev-export rewrites the file, so its date says nothing)
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PROFILE ?= quick
DATA_ROOT ?=
SCHEDULER ?=
WORKERS ?=

.PHONY: install demo test lint paper clean notebooks lab normalize bench bench-compare

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed*; touch $(STAMP)

# JupyterLab's settings (save hook: notebooks saved from JupyterLab are cleaned like nbdev-clean)
JUPYTER_CFG := $(VENV)/etc/jupyter/jupyter_server_config.py
$(JUPYTER_CFG): jupyter_server_config.py $(STAMP)
	mkdir -p $(dir $@) && cp jupyter_server_config.py $@

# JupyterLab as `make lab` starts it: no prompt about Jupyter news (settings overrides of this environment), and the
# python3 kernel named "python3", the name nbdev-clean writes into notebooks: opening a notebook then changes nothing in it
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
KERNEL_JSON := $(VENV)/share/jupyter/kernels/python3/kernel.json
$(LAB_OVERRIDES): jupyter_lab_overrides.json $(STAMP)
	mkdir -p $(dir $@) && cp jupyter_lab_overrides.json $@
	$(BIN)/python -c "import json, sys; p = sys.argv[1]; k = json.load(open(p)); k['display_name'] = 'python3'; json.dump(k, open(p, 'w'), indent=1)" $(KERNEL_JSON)

install: $(STAMP) $(JUPYTER_CFG) $(LAB_OVERRIDES)

demo: $(STAMP)
	$(BIN)/recl demo --out demo_out

test: $(STAMP) $(JUPYTER_CFG) $(LAB_OVERRIDES)
	$(BIN)/python scripts/run_tests.py

# performance benchmarks (pytest-benchmark): `make bench NAME=x` saves a run, `make bench-compare BASE=0001` compares with a saved one;
# K='table1' (pytest's -k) runs only the benchmarks whose name matches
K ?=
BENCH = $(BIN)/python -m pytest benchmarks -p no:cacheprovider --benchmark-only --benchmark-storage=file://benchmarks/results \
	--benchmark-columns=min,mean,median,max,rounds $(if $(K),-k "$(K)")
NAME ?= run
bench: $(STAMP)
	$(BENCH) --benchmark-save=$(NAME)
bench-compare: $(STAMP)
	$(BENCH) --benchmark-save=$(NAME) --benchmark-compare=$(BASE) --benchmark-group-by=name

lint: $(STAMP)
	$(BIN)/ruff check recl tests scripts benchmarks studies paper_figures

paper: $(STAMP)
	$(BIN)/python paper_figures/make_paper.py --profile $(PROFILE) $(if $(DATA_ROOT),--data-root $(DATA_ROOT)) \
		$(if $(SCHEDULER),--scheduler $(SCHEDULER)) $(if $(WORKERS),--workers $(WORKERS)) $(if $(ONLY),--only $(ONLY))

# execute every notebook of nbs/ in place (seeded; slow/gpu cells keep their saved outputs; unchanged notebooks are not rewritten)
notebooks: $(STAMP) $(JUPYTER_CFG) $(LAB_OVERRIDES)
	$(BIN)/python scripts/run_notebooks.py

lab: $(STAMP) $(JUPYTER_CFG) $(LAB_OVERRIDES)
	$(BIN)/jupyter lab

# store every notebook in the form JupyterLab gives it on opening (kernel metadata of this environment); rerun after merges
normalize: $(STAMP) $(LAB_OVERRIDES)
	$(BIN)/python scripts/normalize_notebooks.py

clean:
	rm -rf $(VENV) demo_out runs
