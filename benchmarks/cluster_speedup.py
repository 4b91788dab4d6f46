"""Speed-up of `recl.cluster` on this machine: the same 8 (configuration, seed) jobs run
  (1) serially in this process with one torch thread (the baseline),
  (2) on 2 local worker processes of one thread each (`--workers 2`),
  (3) on 1 local worker process (`--workers 1`), to measure the layer's overhead against (1).
Wall times include starting the worker processes. Prints the times, the speed-up of (2) over (1) (target >= 1.7x on
2 cores) and the overhead of (3) over (1) (target <= 10 %), and checks the records are identical in all three.

    python benchmarks/cluster_speedup.py                 # 8 jobs: Finetune+ReCL, Split MNIST (embedded), MLP 400-400, 20 epochs
    python benchmarks/cluster_speedup.py --epochs 2      # a quick check that it runs

Run it on an otherwise idle machine: other processes on the cores change every number."""
import argparse, json, os, sys, time

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--jobs', type=int, default=8, help='number of jobs (seeds 0..N-1)')
    ap.add_argument('--epochs', type=int, default=20, help='training epochs per task')
    ap.add_argument('--hidden', type=int, nargs='+', default=[400, 400])
    ap.add_argument('--json', action='store_true', help='print the numbers as one JSON object')
    a = ap.parse_args(argv)
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    import torch
    torch.set_num_threads(1)
    from recl.cluster import Executor, open_executor, run_jobs
    from recl.experiment import RunConfig
    cfg = RunConfig(n_per_class=100, epochs=a.epochs, recl='naive', model_kw=dict(hidden=a.hidden)).to_dict()
    jobs = [(cfg, s) for s in range(a.jobs)]
    out = {}
    def timed(name, make_executor):
        t0 = time.perf_counter()
        with make_executor() as ex:
            recs, fails = run_jobs(jobs, None, 'cpu', ex, progress=False)
        out[name] = time.perf_counter() - t0
        assert not fails, fails
        print(f"{name:<28} {out[name]:7.1f} s", file=sys.stderr, flush=True)
        return [r['acc_matrix'] for r in recs]
    ref = timed('serial, 1 thread', Executor)
    w2 = timed('--workers 2 (1 thread each)', lambda: open_executor(workers=2, quiet=True))
    w1 = timed('--workers 1', lambda: open_executor(workers=1, quiet=True))
    res = dict(jobs=a.jobs, epochs=a.epochs, hidden=a.hidden, cores=os.cpu_count(), seconds=out,
               speedup_workers2=out['serial, 1 thread'] / out['--workers 2 (1 thread each)'],
               overhead_workers1=out['--workers 1'] / out['serial, 1 thread'] - 1,
               identical=(w2 == ref and w1 == ref))
    if a.json: print(json.dumps(res))
    else:
        print(f"{a.jobs} jobs (Finetune+ReCL naive, mnist5k, MLP {a.hidden}, {a.epochs} epochs) on {os.cpu_count()} cores:")
        print(f"  speed-up of --workers 2 over serial: {res['speedup_workers2']:.2f}x (target >= 1.7x)")
        print(f"  overhead of --workers 1 over in-process: {100*res['overhead_workers1']:+.1f} % (target <= 10 %)")
        print(f"  records identical in all three: {res['identical']}")
    return 0 if res['identical'] else 1

if __name__ == '__main__':
    sys.exit(main())
