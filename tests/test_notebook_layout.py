"nbs/ holds notebooks (and the results folder they read), and their prose is wrapped at a readable width."
import subprocess, sys
from conftest import ROOT

def test_no_loose_files_in_nbs():
    tracked = subprocess.run(['git', 'ls-files', 'nbs'], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    loose = [f for f in tracked if f.count('/') == 1 and not f.endswith('.ipynb') and f != 'nbs/llms.txt']   # llms.txt: written by nbdev-export
    assert loose == [], f"files beside the notebooks (put what a notebook reads under nbs/results/): {loose}"

def test_markdown_is_wrapped():
    r = subprocess.run([sys.executable, ROOT/'scripts'/'wrap_markdown.py', '--check'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
