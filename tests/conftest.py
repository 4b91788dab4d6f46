import shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
RECL = shutil.which('recl', path=str(Path(sys.executable).parent)) or 'recl'
TINY = ['--n-per-class', '10', '--epochs', '2', '--set', 'model.hidden=[20]']

def recl(*args, check=False, timeout=600, **kw):
    "Run the `recl` command; returns the CompletedProcess."
    r = subprocess.run([RECL, *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=kw.pop('cwd', ROOT), **kw)
    if check and r.returncode: raise AssertionError(f"recl {' '.join(map(str, args))} exited {r.returncode}:\n{r.stderr[-3000:]}")
    return r

@pytest.fixture
def tiny(): return list(TINY)
