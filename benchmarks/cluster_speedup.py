"""Speed-up of `recl.cluster` on this machine: the same 8 (configuration, seed) jobs run
  (1) serially in this process with one torch thread (the baseline),
  (2) on 2 local worker processes of one thread each (`--workers 2`),
  (3) on 1 local worker process (`--workers 1`), to measure the layer's overhead against (1),
  (4) as (3) but with Dask's own malloc setting in the worker (MALLOC_TRIM_THRESHOLD_=65536) instead of `WORKER_ENV`.
Wall times include starting and stopping the worker processes. A job is one (configuration, seed) of the paper profile's
Table 1 (`make paper PROFILE=paper`): Finetune+ReCL (naive, 20 reconstructions per class, 100 reconstruction epochs),
Split MNIST (embedded), MLP 1000-1000, 100 images per class, 20 epochs (about 8 s on one core). `--job default` takes
`recl run --recl naive`'s defaults instead (20 reconstruction epochs, about 5 s). Each worker process costs about 5 s
once (start, first-job imports, stop), so the speed-up grows with the job's length. Prints the times, the speed-up of (2) over (1) (target >= 1.7x on
2 cores) and the overhead of (3) over (1) (target <= 10 %), and checks the records are identical in all three.

    python benchmarks/cluster_speedup.py                 # 8 paper-profile jobs, about 4 minutes in all on 2 idle cores
    python benchmarks/cluster_speedup.py --job default   # 8 shorter jobs
    python benchmarks/cluster_speedup.py --epochs 2      # a quick check that it runs

Run it on an otherwise idle machine: other processes on the cores change every number."""
import argparse, json, os, sys, time

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--jobs', type=int, default=8, help='number of jobs (seeds 0..N-1)')
    ap.add_argument('--job', choices=['paper', 'default'], default='paper', help='job size (see above)')
    ap.add_argument('--epochs', type=int, default=20, help='training epochs per task')
    ap.add_argument('--hidden', type=int, nargs='+', default=None, help='MLP hidden sizes (default: the model default)')
    ap.add_argument('--speedup-only', action='store_true', help='time only (1) and (2)')
    ap.add_argument('--json', action='store_true', help='print the numbers as one JSON object')
    a = ap.parse_args(argv)
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    import torch
    torch.set_num_threads(1)
    import recl.cluster
    from recl.cluster import Executor, open_executor
    from recl.runner import run_jobs
    from recl.experiment import RunConfig
    recl_kw = dict(m_per_class=20, epochs=100) if a.job == 'paper' else {}
    cfg = RunConfig(n_per_class=100, epochs=a.epochs, recl='naive', recl_kw=recl_kw,
                    model_kw=dict(hidden=a.hidden) if a.hidden else {}).to_dict()
    jobs = [(cfg, s) for s in range(a.jobs)]
    out = {}
    def timed(name, make_executor):
        t0 = time.perf_counter()
        with make_executor() as ex:
            t1 = time.perf_counter()
            recs, fails = run_jobs(jobs, None, 'cpu', ex, progress=False)
            t2 = time.perf_counter()
        out[name] = time.perf_counter() - t0
        assert not fails, fails
        per_job = sorted(r['seconds']['total'] for r in recs)   # inside the job: first-job imports and core sharing show here
        print(f"{name:<32} {out[name]:7.1f} s  (start {t1-t0:.1f}, jobs {t2-t1:.1f}, stop {t0+out[name]-t2:.1f}; "
              f"per job {sum(per_job)/len(per_job):.2f} s, min {per_job[0]:.2f}, max {per_job[-1]:.2f})", file=sys.stderr, flush=True)
        return [r['acc_matrix'] for r in recs]
    ref = timed('serial, 1 thread', Executor)
    w2 = timed('--workers 2 (1 thread each)', lambda: open_executor(workers=2, quiet=True))
    if a.speedup_only:
        s = out['serial, 1 thread'] / out['--workers 2 (1 thread each)']
        print(f"{a.jobs} {a.job} jobs, {a.epochs} epochs: speed-up of --workers 2 over serial {s:.2f}x; identical: {w2 == ref}")
        return 0 if w2 == ref else 1
    w1 = timed('--workers 1', lambda: open_executor(workers=1, quiet=True))
    ours, recl.cluster.WORKER_ENV = recl.cluster.WORKER_ENV, {}   # Dask's default: MALLOC_TRIM_THRESHOLD_=65536 only
    for k in ours: os.environ.pop(k, None)
    try: w1d = timed("--workers 1, Dask's malloc", lambda: open_executor(workers=1, quiet=True))
    finally: recl.cluster.WORKER_ENV = ours
    res = dict(job=a.job, jobs=a.jobs, epochs=a.epochs, hidden=a.hidden, cores=os.cpu_count(), seconds=out,
               speedup_workers2=out['serial, 1 thread'] / out['--workers 2 (1 thread each)'],
               overhead_workers1=out['--workers 1'] / out['serial, 1 thread'] - 1,
               overhead_workers1_dask_malloc=out["--workers 1, Dask's malloc"] / out['serial, 1 thread'] - 1,
               identical=(w2 == ref and w1 == ref and w1d == ref))
    if a.json: print(json.dumps(res))
    else:
        print(f"{a.jobs} {a.job} jobs (Finetune+ReCL naive {recl_kw or 'defaults'}, mnist5k, MLP {a.hidden or 'default'}, {a.epochs} epochs) on {os.cpu_count()} cores:")
        print(f"  speed-up of --workers 2 over serial: {res['speedup_workers2']:.2f}x (target >= 1.7x)")
        print(f"  overhead of --workers 1 over in-process: {100*res['overhead_workers1']:+.1f} % (target <= 10 %)")
        print(f"  same with Dask's malloc setting in the worker: {100*res['overhead_workers1_dask_malloc']:+.1f} %")
        print(f"  records identical in all three: {res['identical']}")
    return 0 if res['identical'] else 1

if __name__ == '__main__':
    sys.exit(main())
