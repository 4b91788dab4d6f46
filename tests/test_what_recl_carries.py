"benchmarks/what_recl_carries.py: bad input exits 2 with one line; the committed store holds every record of the study."
import subprocess, sys
from conftest import ROOT

SCRIPT = ROOT/'benchmarks'/'what_recl_carries.py'

def test_bad_data_root_one_line_exit_2(tmp_path):
    r = subprocess.run([sys.executable, SCRIPT, '--data-root', tmp_path/'none', '--out', tmp_path/'out'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.strip().splitlines() == [f"error: no MNIST/raw under {tmp_path/'none'}"], r.stderr

def test_committed_store_is_complete():
    "A rerun over the committed records has nothing to do (so the notebook reads, never trains)."
    r = subprocess.run([sys.executable, SCRIPT], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0 and '108 runs to do' not in r.stdout and '; 0 runs to do' in r.stdout, r.stdout + r.stderr
