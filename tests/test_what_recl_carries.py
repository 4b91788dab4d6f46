"""The study of nbs/31 is a grid file: it holds every configuration of `recl.analysis.study_configs`, and the committed
store holds every record of it (so the notebook reads, never trains)."""
from conftest import ROOT
from recl.analysis import study_configs
from recl.runner import load_grid
from recl.store import ResultsStore

GRID = ROOT/'studies'/'what_recl_carries.json'

def test_grid_file_is_the_study():
    configs, seeds = load_grid(GRID)
    assert seeds == [0, 1, 2]
    assert [{k: v for k, v in c.items() if k != 'tag'} for c in configs] == [{k: v for k, v in c.items() if k != 'tag'} for c in study_configs()]

def test_committed_store_is_complete():
    configs, seeds = load_grid(GRID)
    store = ResultsStore(ROOT/'nbs'/'results'/'what_recl_carries')
    missing = [(c['recl'], c['method'], s) for c in configs for s in seeds if store.get(c, s) is None]
    assert len(configs) * len(seeds) == 108 and missing == [], missing
