"""Seconds per run of Finetune and Finetune+ReCL on embedded Split MNIST (CIL) on the CPU, and a fingerprint of
every method's accuracy matrix, to check that a change of the training loop keeps the CPU path as fast as before
and its results bit-identical (same code path, same shapes, same seed, same machine).

    .venv/bin/python benchmarks/cpu_loop_timing.py --repeats 3 --threads 1
    PYTHONPATH=<checkout of the old code> .venv/bin/python benchmarks/cpu_loop_timing.py ...   # the same for the old code

Each (strategy, seed) is run `--repeats` times, interleaved, and the fastest run is kept (timings on a shared
CPU only go up). `--fingerprints` adds one run of every method with and without ReCL and prints a SHA-256 of
its accuracy matrix (compare the lines between two versions of the code: equal hashes = equal matrices).
"""
import argparse, hashlib, time
import numpy as np
import torch
import recl
from recl.experiment import RunConfig, run_seed

def fingerprint(R) -> str: return hashlib.sha256(np.ascontiguousarray(R, dtype=np.float64).tobytes()).hexdigest()[:16]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', type=int, nargs='+', default=[0])
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--fingerprints', action='store_true', help='also fingerprint every method with and without ReCL')
    ap.add_argument('--device', default='cpu')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print(f"recl from {recl.__file__.rsplit('recl', 1)[0] or '.'} | torch {torch.__version__} | threads {torch.get_num_threads()} | "
          f"device {a.device} | epochs {a.epochs}", flush=True)
    best = {}
    for rep in range(a.repeats):
        for seed in a.seeds:
            for strategy in ('none', 'naive'):
                cfg = RunConfig(scenario='cil', method='finetune', recl=strategy, epochs=a.epochs)
                t = time.perf_counter(); rec = run_seed(cfg, seed, device=a.device); wall = time.perf_counter() - t
                k = (strategy, seed)
                if k not in best or wall < best[k][0]: best[k] = (wall, rec)
    for strategy in ('none', 'naive'):
        walls = [best[(strategy, s)][0] for s in a.seeds]
        recs = [best[(strategy, s)][1] for s in a.seeds]
        print(f"finetune recl={strategy:5s}  s/run (fastest of {a.repeats}, mean over seeds) {np.mean(walls):6.2f}  "
              f"train {np.mean([r['seconds']['train'] for r in recs]):5.2f}  reconstruct {np.mean([r['seconds']['reconstruct'] for r in recs]):5.2f}  "
              f"ACC {np.mean([r['acc'] for r in recs]):6.2f}  acc-matrix sha {' '.join(fingerprint(r['acc_matrix']) for r in recs)}", flush=True)
    if a.fingerprints:
        for method in ('finetune', 'ewc', 'er', 'upgd', 'agem', 'lwf', 'gpm', 'joint'):
            for strategy in ('none', 'naive'):
                for sc in ('cil', 'dil'):
                    cfg = RunConfig(scenario=sc, method=method, recl=strategy, epochs=a.epochs)
                    t = time.perf_counter(); rec = run_seed(cfg, a.seeds[0], device=a.device)
                    print(f"{sc} {method:8s} recl={strategy:5s} ACC {rec['acc']:6.2f}  acc-matrix sha {fingerprint(rec['acc_matrix'])}  "
                          f"({time.perf_counter() - t:.1f} s)", flush=True)

if __name__ == '__main__': main()
