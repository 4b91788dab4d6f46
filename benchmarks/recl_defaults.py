"""The trade-offs behind ReCL's naive defaults (20 reconstructions per class, 20 reconstruction epochs):
ACC over seeds for fewer reconstructions or fewer epochs, for Finetune and EWC in CIL and Finetune in DIL.

    .venv/bin/python benchmarks/recl_defaults.py --seeds 0 1 2
"""
import argparse
import numpy as np, torch
from recl.experiment import RunConfig, run_seed

p = argparse.ArgumentParser()
p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
p.add_argument('--threads', type=int, default=1)
a = p.parse_args()
torch.set_num_threads(a.threads)
GRID = [('cil', 'finetune', None), *[('cil', 'finetune', dict(m_per_class=m, epochs=e)) for m in (10, 20) for e in (10, 20)],
        ('cil', 'finetune', dict(epochs=5)), ('cil', 'ewc', None), ('cil', 'ewc', dict(epochs=10)), ('cil', 'ewc', dict(epochs=20)),
        ('dil', 'finetune', None), *[('dil', 'finetune', dict(epochs=e)) for e in (5, 10, 20)]]
for sc, method, kw in GRID:
    cfg = RunConfig(scenario=sc, method=method, recl='none' if kw is None else 'naive', recl_kw=kw or {})
    recs = [run_seed(cfg, s, device='cpu') for s in a.seeds]
    accs = [r['acc'] for r in recs]
    sec = np.mean([r['seconds']['total'] for r in recs])
    label = 'none' if kw is None else ', '.join(f'{k}={v}' for k, v in kw.items())
    print(f"{sc} {method:8s} recl: {label:26s} ACC {np.mean(accs):6.2f} ± {np.std(accs):5.2f}   s/run {sec:5.2f}", flush=True)
