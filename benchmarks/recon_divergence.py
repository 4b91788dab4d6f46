"""Do ReCL's naive reconstruction defaults (`RECON_DEFAULTS`) hold over the paper's sweeps? Runs Finetune+ReCL on
Split MNIST (embedded 5k, MLP 784-1000-1000, 100 images per class) for every m per class in 1..50 and every number of
reconstruction epochs in 10..500, CIL and DIL, and prints the runs whose reconstruction diverged (none expected).

    .venv/bin/python benchmarks/recon_divergence.py --seeds 0 1 2
"""
import argparse, time
import torch
from recl.experiment import RunConfig, run_seed
from recl.reconstruct import ReconstructionDiverged

p = argparse.ArgumentParser()
p.add_argument('--seeds', type=int, nargs='+', default=[0])
p.add_argument('--m', type=int, nargs='+', default=[1, 2, 5, 10, 20, 50])
p.add_argument('--epochs', type=int, nargs='+', default=[10, 20, 50, 100, 200, 500])
p.add_argument('--scenarios', nargs='+', default=['cil', 'dil'])
p.add_argument('--threads', type=int, default=1)
p.add_argument('--device', default='cpu')
a = p.parse_args()
torch.set_num_threads(a.threads)
bad, n, t0 = [], 0, time.perf_counter()
for sc in a.scenarios:
    for m in a.m:
        for e in a.epochs:
            for s in a.seeds:
                cfg = RunConfig(scenario=sc, recl='naive', recl_kw=dict(m_per_class=m, epochs=e))
                n += 1
                try: rec = run_seed(cfg, s, device=a.device)
                except ReconstructionDiverged as err:
                    bad.append((sc, m, e, s)); print(f"{sc} m_per_class={m} epochs={e} seed={s}: DIVERGED ({err})", flush=True); continue
                print(f"{sc} m_per_class={m:2d} epochs={e:3d} seed={s}: ACC {rec['acc']:6.2f}  reconstruct {rec['seconds']['reconstruct']:6.1f} s", flush=True)
print(f"{len(bad)} of {n} runs diverged ({time.perf_counter() - t0:.0f} s)")
