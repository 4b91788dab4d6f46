"""Runtime of Finetune+ReCL (naive defaults) relative to Finetune on Split MNIST CIL (embedded data).

Each (seed, strategy) is run `--repeats` times, interleaved, and the fastest run counts (the least disturbed by
other processes); the ratio is the sum over seeds. Threads: `--threads` (torch intra-op).

    .venv/bin/python benchmarks/recl_time_ratio.py --seeds 0 1 2 --repeats 3 --threads 1
"""
import argparse
import numpy as np, torch
from recl.experiment import RunConfig, run_seed

p = argparse.ArgumentParser()
p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
p.add_argument('--repeats', type=int, default=3)
p.add_argument('--threads', type=int, default=1)
p.add_argument('--scenario', default='cil')
a = p.parse_args()
torch.set_num_threads(a.threads)
strategies = ('none', 'naive', 'noise')
best = {(s, r): dict(total=np.inf) for s in a.seeds for r in strategies}
for rep in range(a.repeats):
    for s in a.seeds:
        for r in strategies:
            rec = run_seed(RunConfig(scenario=a.scenario, recl=r), s, device='cpu')
            if rec['seconds']['total'] < best[s, r]['total']: best[s, r] = dict(rec['seconds'], acc=rec['acc'])
for r in strategies:
    tot = {k: sum(best[s, r][k] for s in a.seeds) / len(a.seeds) for k in ('train', 'reconstruct', 'total')}
    ratio = sum(best[s, r]['total'] for s in a.seeds) / sum(best[s, 'none']['total'] for s in a.seeds)
    print(f"{a.scenario} finetune recl={r:6s} ACC {np.mean([best[s, r]['acc'] for s in a.seeds]):6.2f}  seconds/run: "
          f"train {tot['train']:.2f} reconstruct {tot['reconstruct']:.2f} total {tot['total']:.2f}  time / Finetune {ratio:.2f}")
