"""The table "Measured: which scope, which defaults" of nbs/30 reads the grid file studies/recl_scope.json from the
committed store nbs/results/recl_scope: the store holds every record of it (so the notebook reads, never trains)."""
from conftest import ROOT
from recl.runner import load_grid
from recl.store import ResultsStore

def test_committed_store_is_complete():
    configs, seeds = load_grid(ROOT/'studies'/'recl_scope.json')
    store = ResultsStore(ROOT/'nbs'/'results'/'recl_scope')
    missing = [(c['method'], c['recl'], c['recl_kw'], s) for c in configs for s in seeds if store.get(c, s) is None]
    assert missing == [], missing
