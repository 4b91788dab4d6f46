#!/usr/bin/env python
"""Execute the notebooks of nbs/ top to bottom in place, so they are committed with their outputs (`make notebooks`).

    python scripts/run_notebooks.py [NOTEBOOK ...] [--jobs N] [--timeout S] [--check]

Each notebook runs in a fresh kernel started in nbs/, seeded (Python, NumPy, torch: 0) with a fixed number of torch
threads, so a rerun on the same machine prints the same outputs. Cells flagged `slow` or `gpu` (nbdev's tst_flags) are
not run: they keep the outputs saved from their last full execution (heavy experiments; their results are also
committed as files that the cheap cells read). The executed notebook is then cleaned like `nbdev-clean` does, and
written only if it differs from the file on disk: running this twice in a row changes no file. README.md is then
written from nbs/index.ipynb (nbdev's `readme_nb`), so the two always agree.

`--check` executes but writes nothing, and exits 1 if some notebook would change (its name is printed)."""
from __future__ import annotations
import argparse, json, os, re, subprocess, sys, tempfile, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'
sys.path.insert(0, str(ROOT/'paper_figures'))
from make_paper import IpcKernelManager   # noqa: E402  kernels on Unix sockets: no TCP port to lose to another process
SKIP_FLAGS = ('slow', 'gpu')
MACHINE_PATH = re.compile('|'.join(re.escape(p) for p in sorted({str(ROOT), sys.prefix, tempfile.gettempdir() + os.sep + 'ipykernel_'}, key=len, reverse=True)))
THREADS = 2   # torch threads in every kernel: a fixed number keeps float reductions (and so outputs) the same across machines
PREAMBLE = f"""import os, random, numpy as np, torch
random.seed(0); np.random.seed(0); torch.manual_seed(0); torch.set_num_threads({THREADS})"""

def notebooks(args) -> list[Path]:
    if args: return [Path(a).resolve() for a in args]
    return sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith(('_', '.')))

def flags(cell) -> set[str]:
    "nbdev's `#| flag` directives at the top of a code cell."
    out = set()
    for line in cell.source.splitlines():
        m = re.match(r'\s*#\s*\|\s*(.*)', line)
        if not m: break
        out.update(m.group(1).split())
    return out

def clean(nb_json:str) -> str:
    "The notebook exactly as `nbdev-clean` writes it (execution counts and cell/notebook metadata removed, outputs kept)."
    from fastcore.nbio import nb2str
    from nbdev.clean import _nbdev_clean
    nb = json.loads(nb_json)
    _nbdev_clean(nb)   # the project's settings: the working directory is the repository
    return nb2str(nb)

def readme(index:Path=NBS/'index.ipynb') -> str:
    """README.md as nbdev's `readme_nb` (index.ipynb) says it: markdown cells as they are, code cells and their text
    outputs as fenced blocks (a table's plain-text form; figures are left to the notebook)."""
    nb, out = json.loads(index.read_text()), []
    for c in nb['cells']:
        src = ''.join(c['source']).strip()
        if c['cell_type'] == 'markdown': out.append(src); continue
        if src.startswith('#| hide') or not src: continue
        out.append(f"```python\n{src}\n```")
        for o in c.get('outputs', []):
            text = ''.join(o.get('text', '')) if o['output_type'] == 'stream' else (
                   ''.join(o.get('data', {}).get('text/markdown', '')) or ''.join(o.get('data', {}).get('text/plain', '')))
            if text.strip(): out.append(text.strip() if 'text/markdown' in o.get('data', {}) else f"```\n{text.rstrip()}\n```")
    return '\n\n'.join(out) + '\n'

def execute(path:Path, timeout:int, check:bool) -> tuple[str, str, float]:
    "Run one notebook; returns (name, 'unchanged'|'written'|'would change'|'FAILED: ...', seconds)."
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    t0 = time.time()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(path.parent)}},
                            kernel_manager_class=IpcKernelManager)
    try:
        with client.setup_kernel(stderr=subprocess.DEVNULL):   # the kernel's own start-up warnings; cell errors still come back
            nb.cells.insert(0, nbformat.v4.new_code_cell(PREAMBLE))   # run first, then removed: it is not part of the notebook
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != 'code' or (i and flags(cell) & set(SKIP_FLAGS)): continue
                client.execute_cell(cell, i)
            nb.cells.pop(0)
    except CellExecutionError as e:
        return path.name, f"FAILED: {str(e).strip().splitlines()[-1][:300] if str(e).strip() else type(e).__name__}", time.time() - t0
    new, old = clean(nbformat.writes(nb)), path.read_text()
    leak = MACHINE_PATH.search(new)   # e.g. a warning naming the venv or the kernel's temporary file: fix its cause
    status = 'unchanged' if new == old else 'would change' if check else 'written'
    if new != old and not check: path.write_text(new)
    if leak: status = f"FAILED: {status}, but an output names a machine path: ...{new[max(0, leak.start() - 60):leak.end() + 60]!r}..."
    return path.name, status, time.time() - t0

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebooks', nargs='*', help='notebooks to run (default: every notebook of nbs/)')
    ap.add_argument('--jobs', type=int, default=int(os.environ.get('NBDEV_WORKERS', 2)), help='notebooks executed at once')
    ap.add_argument('--timeout', type=int, default=600, help='seconds one cell may take')
    ap.add_argument('--check', action='store_true', help='write nothing; exit 1 if a notebook would change')
    a = ap.parse_args(argv)
    paths = notebooks(a.notebooks)
    missing = [p for p in paths if not p.exists()]
    if missing: ap.error(f"no such notebook: {', '.join(map(str, missing))}")
    os.chdir(ROOT)
    # the kernels inherit these: fixed hashing and threads, the inline backend. (A warning raised in a cell names a
    # temporary file with the kernel's pid: such an output differs on every run, so a notebook must not keep one.)
    os.environ.update(PYTHONHASHSEED='0', OMP_NUM_THREADS=str(THREADS), MPLBACKEND='module://matplotlib_inline.backend_inline')
    t0, bad, changed = time.time(), [], []
    with ProcessPoolExecutor(max(1, a.jobs)) as ex:
        for name, status, s in ex.map(execute, paths, [a.timeout]*len(paths), [a.check]*len(paths)):
            print(f"{name:40s} {status} ({s:.0f} s)", flush=True)
            if status.startswith('FAILED'): bad.append(name)
            elif status != 'unchanged': changed.append(name)
    text = readme()
    if any(p.name == 'index.ipynb' for p in paths) and (ROOT/'README.md').read_text() != text:
        if a.check: changed.append('README.md'); print('README.md would change (it is written from nbs/index.ipynb)')
        else: (ROOT/'README.md').write_text(text); changed.append('README.md'); print('README.md written from nbs/index.ipynb')
    print(f"{len(paths)} notebooks in {time.time() - t0:.0f} s: {len(changed)} {'would change' if a.check else 'written'}, "
          f"{len(paths) - len(changed) - len(bad)} unchanged, {len(bad)} failed")
    return 1 if bad or (a.check and changed) else 0

if __name__ == '__main__':
    sys.exit(main())
