#!/usr/bin/env python
"""Fingerprints of recl's results: a SHA-256 (first 16 hex digits) of the accuracy matrix of every method with and
without ReCL in CIL and DIL (8 methods x 2 x 2 = 32 runs of embedded Split MNIST, seed 0, the defaults otherwise).
Equal fingerprints between two versions of the code mean bit-identical results, so a refactor, a merge or a faster
training loop must leave all 32 unchanged. A correctness check, not a benchmark (timings: `make bench`).

    python scripts/fingerprints.py --out fp.json            # all 32 (a few minutes on one core), saved as JSON
    python scripts/fingerprints.py --compare fp.json        # again, and exit 1 if any differs from fp.json (listed)
    python scripts/fingerprints.py --only 'cil/finetune/*'  # only the runs whose name matches (fnmatch; repeatable)
    old=$(mktemp -d) && git archive <commit> | tar -x -C "$old" && PYTHONPATH="$old" python scripts/fingerprints.py --out old.json

A run is named `scenario/method/recl`, e.g. `dil/ewc/naive`. The hashes depend on the machine (CPU kernels) and on the
number of threads: the script runs with one (OMP_NUM_THREADS and torch's threads, set before torch is imported), so
compare only files written on one machine with the same `--threads`."""
from __future__ import annotations
import argparse, fnmatch, hashlib, json, os, sys, time
from pathlib import Path

METHODS = ('finetune', 'ewc', 'er', 'upgd', 'agem', 'lwf', 'gpm', 'joint')
STRATEGIES = ('none', 'naive')
SCENARIOS = ('cil', 'dil')
NAMES = [f"{sc}/{m}/{s}" for m in METHODS for s in STRATEGIES for sc in SCENARIOS]   # the order of the old cpu_loop_timing.py

def fingerprint(R) -> str:
    import numpy as np
    return hashlib.sha256(np.ascontiguousarray(R, dtype=np.float64).tobytes()).hexdigest()[:16]

def select(patterns:list[str]|None) -> list[str]:
    if not patterns: return list(NAMES)
    return [n for n in NAMES if any(fnmatch.fnmatchcase(n, p) for p in patterns)]

def compare(new:dict[str, str], saved:dict[str, str]) -> list[str]:
    "One line per run whose fingerprint differs from `saved` or that `saved` lacks; empty if all agree."
    return [f"{n}: {saved.get(n, 'missing')} -> {h}" for n, h in new.items() if saved.get(n) != h]

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', type=Path, help='write the fingerprints to this JSON file')
    ap.add_argument('--compare', type=Path, help='compare with a file written by --out; exit 1 if any differs')
    ap.add_argument('--only', action='append', metavar='PATTERN', help="only runs whose name scenario/method/recl matches (fnmatch, e.g. 'cil/*' or '*/ewc/*'); repeatable")
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--threads', type=int, default=1, help='OMP_NUM_THREADS and torch threads (the hashes depend on it)')
    ap.add_argument('--device', default='cpu')
    a = ap.parse_args(argv)
    names = select(a.only)
    if not names: ap.error(f"--only {a.only} matches none of the runs (names like {NAMES[0]})")
    saved = None
    if a.compare:
        saved = json.loads(a.compare.read_text())
        for k in ('seed', 'epochs', 'threads', 'device'):
            if k in saved and saved[k] != getattr(a, k): print(f"warning: {a.compare} was written with {k}={saved[k]}, this run has {getattr(a, k)}", file=sys.stderr)
    os.environ['OMP_NUM_THREADS'] = str(a.threads)   # before torch is imported: its OpenMP pool reads it once
    import torch
    torch.set_num_threads(a.threads)
    import recl
    from recl.experiment import RunConfig, run_seed
    print(f"recl from {Path(recl.__file__).parent} | torch {torch.__version__} | threads {torch.get_num_threads()} | "
          f"device {a.device} | epochs {a.epochs} | seed {a.seed} | {len(names)} runs", flush=True)
    fps = {}
    for n in names:
        sc, method, strategy = n.split('/')
        t = time.perf_counter()
        rec = run_seed(RunConfig(scenario=sc, method=method, recl=strategy, epochs=a.epochs), a.seed, device=a.device)
        fps[n] = fingerprint(rec['acc_matrix'])
        print(f"{n:<20} ACC {rec['acc']:6.2f}  acc-matrix sha {fps[n]}  ({time.perf_counter() - t:.1f} s)", flush=True)
    if a.out:
        a.out.write_text(json.dumps(dict(seed=a.seed, epochs=a.epochs, threads=a.threads, device=a.device, torch=torch.__version__,
                                         fingerprints=fps), indent=1) + '\n')
        print(f"wrote {len(fps)} fingerprints to {a.out}")
    if saved is not None:
        diff = compare(fps, saved.get('fingerprints', saved))
        for line in diff: print(f"DIFFERS {line}")
        print(f"{len(fps) - len(diff)} of {len(fps)} fingerprints equal to {a.compare}")
        return 1 if diff else 0
    return 0

if __name__ == '__main__':
    sys.exit(main())
