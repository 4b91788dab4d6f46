"""Notebook machinery that does not fit in a notebook: README.md is what nbs/index.ipynb says (nbdev's `readme_nb`),
and `scripts/run_notebooks.py` executes a notebook in place, skips `slow` cells (keeping their outputs), and leaves
the file untouched when a rerun gives the same outputs."""
import importlib.util, json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location('run_notebooks', ROOT/'scripts'/'run_notebooks.py')
run_notebooks = importlib.util.module_from_spec(spec); spec.loader.exec_module(run_notebooks)

def test_readme_is_written_from_index():
    assert (ROOT/'README.md').read_text() == run_notebooks.readme(), "README.md differs from nbs/index.ipynb: run `make notebooks`"

def test_run_notebooks_executes_in_place_and_is_idempotent(tmp_path):
    nbs = ROOT/'nbs'
    nb = dict(cells=[dict(cell_type='markdown', id='a1', metadata={}, source=['# toy']),
                     dict(cell_type='code', id='b2', metadata={}, execution_count=None, outputs=[], source=['import numpy as np\n', 'print(np.random.rand())']),
                     dict(cell_type='code', id='c3', metadata={}, execution_count=None,
                          outputs=[dict(output_type='stream', name='stdout', text=['kept from the full run\n'])], source=['#| slow\n', 'print(1/0)'])],
              metadata=dict(kernelspec=dict(display_name='python3', language='python', name='python3')), nbformat=4, nbformat_minor=5)
    path = nbs/'_test_run_notebooks.ipynb'
    path.write_text(json.dumps(nb))
    try:
        cmd = [sys.executable, str(ROOT/'scripts'/'run_notebooks.py'), str(path), '--jobs', '1']
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert r.returncode == 0 and 'written' in r.stdout, r.stdout + r.stderr
        out = json.loads(path.read_text())['cells']
        seeded = ''.join(out[1]['outputs'][0]['text'])
        assert seeded.strip() == '0.5488135039273248'        # np.random.seed(0) before the first cell
        assert ''.join(out[2]['outputs'][0]['text']) == 'kept from the full run\n'   # the slow cell did not run (1/0) and kept its output
        first = path.read_bytes(); mtime = path.stat().st_mtime_ns
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert r.returncode == 0 and 'unchanged' in r.stdout, r.stdout + r.stderr
        assert path.read_bytes() == first and path.stat().st_mtime_ns == mtime
    finally: path.unlink(missing_ok=True)
