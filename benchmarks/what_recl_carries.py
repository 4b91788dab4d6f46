"""Regenerate the records behind nbs/31_what_recl_carries.ipynb: ReCL, its controls and a hyper-parameter sweep
on Split MNIST (CIL and DIL, 3 seeds) into a results store. Finished records are reused, so an interrupted run
resumes; `--jobs N` runs N single-threaded processes at once.

    .venv/bin/python benchmarks/what_recl_carries.py --jobs 2              # embedded mnist5k, into nbs/results/what_recl_carries (6-8 min on 2 idle cores)
    .venv/bin/python benchmarks/what_recl_carries.py --data-root ~/data    # adds full MNIST (<root>/MNIST/raw)
"""
import argparse, sys, time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

def _one(args):
    cfg, seed, out, device = args
    import torch; torch.set_num_threads(1)
    from recl.experiment import run
    t0 = time.perf_counter(); rec = run(cfg, seeds=[seed], out=out, device=device)[0]
    return cfg.name, cfg.scenario, seed, rec['acc'], time.perf_counter() - t0

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default=str(Path(__file__).resolve().parent.parent/'nbs'/'results'/'what_recl_carries'))
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--jobs', type=int, default=1)
    p.add_argument('--device', default='cpu')
    p.add_argument('--data-root', default=None, help='folder with MNIST/raw: also run the controls on full MNIST')
    a = p.parse_args(argv)
    from recl.core import ReclError
    from recl.analysis import controls_grid, sweep_grid
    from recl.store import ResultsStore
    try:
        if a.data_root is not None and not (Path(a.data_root).expanduser()/'MNIST'/'raw').is_dir():
            raise ReclError(f"no MNIST/raw under {a.data_root}")
        store = ResultsStore(a.out)
    except ReclError as e: print(f"error: {e}", file=sys.stderr); return 2
    cfgs = [*controls_grid('cil').values(), *controls_grid('dil').values(), *sweep_grid('cil').values()]
    if a.data_root: cfgs += [*controls_grid('cil', 'mnist', a.data_root).values(), *controls_grid('dil', 'mnist', a.data_root).values()]
    seen, todo = set(), []
    for c in cfgs:
        key = str(sorted(c.to_dict().items()))
        if key in seen: continue
        seen.add(key)
        todo += [(c, s, a.out, a.device) for s in a.seeds if store.get(c.to_dict(), s) is None]
    print(f"{len(seen)} configurations x {len(a.seeds)} seeds; {len(todo)} runs to do", flush=True)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max(1, a.jobs)) as ex:
        for i, f in enumerate(as_completed([ex.submit(_one, t) for t in todo])):
            name, sc, seed, acc, sec = f.result()
            print(f"[{i+1}/{len(todo)}] {sc} {name} seed {seed}: ACC {acc:.2f} ({sec:.1f} s)", flush=True)
    print(f"done in {time.perf_counter() - t0:.0f} s", flush=True)
    return 0

if __name__ == '__main__': sys.exit(main())
