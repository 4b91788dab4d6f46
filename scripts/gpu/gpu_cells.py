"""Run the `#| gpu` cells of the notebooks without nbdev or Jupyter (for machines that have torch but not them).

Each `#| gpu` cell runs in a fresh namespace that holds what the notebook's own import cells would give it
(`from fastcore.test import *` and `from recl.<the notebook's module> import *`); the cells written for the
GPU import everything else themselves. Prints one line per cell and exits 1 if any cell failed.

    python scripts/gpu/gpu_cells.py nbs/*.ipynb
    python scripts/gpu/gpu_cells.py --cpu-rehearsal nbs/*.ipynb   # no GPU: run them with 'cuda' replaced by 'cpu'

`--cpu-rehearsal` only checks that the cells run (names, signatures, shapes); their assertions about
GPU results then compare the CPU with itself.
"""
import argparse, json, re, sys, time, traceback
from pathlib import Path

def gpu_cells(path):
    "(module, [(cell index, source)]) of the notebook's cells flagged `#| gpu`."
    nb = json.loads(Path(path).read_text())
    module, cells = None, []
    for i, c in enumerate(nb['cells']):
        if c['cell_type'] != 'code': continue
        src = ''.join(c['source'])
        m = re.search(r'^#\|\s*default_exp\s+(\S+)', src, re.M)
        if m: module = m.group(1)
        if re.match(r'\s*#\|\s*gpu\b', src): cells.append((i, src))
    return module, cells

def rehearse(src):
    "The cell with every CUDA device replaced by the CPU."
    for a, b in [(".cuda()", ".cpu()"), ("'cuda'", "'cpu'"), ("is_cuda", "is_cpu"), ("torch.cuda.is_available()", "True")]:
        src = src.replace(a, b)
    return src

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('notebooks', nargs='+')
    ap.add_argument('--cpu-rehearsal', action='store_true')
    a = ap.parse_args()
    import torch
    if not a.cpu_rehearsal and not torch.cuda.is_available():
        print("gpu cells: SKIPPED (no CUDA GPU here; --cpu-rehearsal runs them on the CPU)"); return 0
    if a.cpu_rehearsal and not hasattr(torch.Tensor, 'is_cpu'): torch.Tensor.is_cpu = property(lambda t: t.device.type == 'cpu')
    n_ok = n_fail = 0
    for nb in a.notebooks:
        module, cells = gpu_cells(nb)
        for i, src in cells:
            ns = {'__name__': '__main__'}
            pre = "from fastcore.test import *\n" + (f"from recl.{module} import *\n" if module else "")
            t = time.perf_counter()
            try:
                exec(compile(pre, f'{nb}[preamble]', 'exec'), ns)
                exec(compile(rehearse(src) if a.cpu_rehearsal else src, f'{nb}[cell {i}]', 'exec'), ns)
                print(f"PASS {nb} cell {i} ({time.perf_counter() - t:.1f} s)", flush=True); n_ok += 1
            except Exception:
                print(f"FAIL {nb} cell {i} ({time.perf_counter() - t:.1f} s)", flush=True); traceback.print_exc(); n_fail += 1
    print(f"gpu cells: {n_ok} passed, {n_fail} failed{' (CPU rehearsal)' if a.cpu_rehearsal else ''}")
    return 1 if n_fail else 0

if __name__ == '__main__': sys.exit(main())
