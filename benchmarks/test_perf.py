"""Performance benchmarks of recl, run by pytest-benchmark: each is a pytest test that times a call and checks its
result, and every run can be saved (JSON with the machine, the commit and the timings) and compared with a saved one.

    make bench                          # run and save (benchmarks/results/<machine>/NNNN_<name>.json)
    make bench-compare BASE=0001        # run again and compare with saved run 0001 (min/mean/median per benchmark)

Compare timings only between runs on one machine, and only when nothing else runs on its cores: a shared CPU
makes every number larger. The benchmarks run with one torch thread, as jobs do on workers.
"""
import tempfile, time
from pathlib import Path
import pytest
import torch
from recl.models import build_model
from recl.reconstruct import reconstruct
from recl.experiment import RunConfig, run_seed
from recl.data import write_tinyimagenet, load_tinyimagenet
import recl.cluster
from recl.cluster import Executor, open_executor, WORKER_ENV
from recl.runner import run_jobs

@pytest.fixture(autouse=True)
def one_thread():
    old = torch.get_num_threads(); torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)

# one reconstruction (Eq. 6) of m = 500 candidates from the MLP 784-1000-1000-10: the closed-form path that `reconstruct`
# takes for a Linear/ReLU chain, and the generic autograd path (`fast=False`) it takes for any other model
NET = build_model('mlp', (1, 28, 28), 10)
RECON = dict(classes=list(range(10)), m=500, epochs=5, in_shape=(1, 28, 28), seed=0)

@pytest.mark.parametrize('path', ['closed-form', 'autograd'])
def test_reconstruct_500_candidates_5_epochs(benchmark, path):
    rec = benchmark.pedantic(lambda: reconstruct(NET, fast=(path == 'closed-form'), **RECON), rounds=3, iterations=1, warmup_rounds=1)
    assert rec.path == path and rec.epochs_run == 5
    ref = reconstruct(NET, fast=True, **RECON)
    torch.testing.assert_close(torch.tensor(rec.history['total']), torch.tensor(ref.history['total']), rtol=1e-4, atol=0)

# one run of the package's default configuration (Split MNIST on the embedded data, MLP 784-1000-1000, 100 images per
# class, 20 epochs): Finetune, and Finetune with ReCL's naive defaults
@pytest.mark.parametrize('recl', ['none', 'naive'])
def test_split_mnist_run(benchmark, recl):
    cfg = RunConfig(recl=recl)
    rec = benchmark.pedantic(lambda: run_seed(cfg, 0, device='cpu'), rounds=2, iterations=1, warmup_rounds=0)
    benchmark.extra_info.update(acc=rec['acc'], **{f"seconds_{k}": v for k, v in rec['seconds'].items()})
    assert rec['acc_matrix'].shape == (5, 5)

# TinyImageNet: decoding the JPEGs against reading the uint8 cache (the folder format the tests write, 200 classes)
@pytest.fixture(scope='module')
def tinyimagenet():
    root = Path(tempfile.mkdtemp())
    write_tinyimagenet(root, n_classes=200, n_train=2, n_val=1)
    return root

@pytest.mark.parametrize('cache', [False, True])
def test_tinyimagenet_load(benchmark, tinyimagenet, cache):
    if cache: load_tinyimagenet(tinyimagenet)   # the first load writes the cache
    src = benchmark.pedantic(lambda: load_tinyimagenet(tinyimagenet, cache=cache), rounds=3, iterations=1)
    assert len(src.y_train) == 400

# the execution layer (recl.cluster): the same (configuration, seed) jobs in this process and on local worker processes of
# one thread each, their start and stop included; every record must equal the in-process one, bit for bit (same code,
# shapes and seeds, one thread each). extra_info holds start / jobs / stop seconds, the seconds per job measured inside
# the jobs (where the workers' first-job imports and core sharing show), and `speedup_over_in_process`: the in-process
# run's seconds over this run's, when the in-process case ran first in the same session (the parametrized order):
# target >= 1.7 for 2 workers on 2 idle cores, >= 1/1.1 for 1 worker (overhead <= 10 %).
WHERE = {'in-process': Executor,
         '2 workers': lambda: open_executor(workers=2, quiet=True),
         '1 worker': lambda: open_executor(workers=1, quiet=True),
         "1 worker, Dask malloc": lambda: open_executor(workers=1, quiet=True)}   # with Dask's malloc setting (see below)
REFERENCE = {}   # jobs' name -> (acc matrices, seconds) of the in-process run

def run_jobs_on(where, jobs, phases=None):
    t0 = time.perf_counter()
    with WHERE[where]() as ex:
        t1 = time.perf_counter()
        recs, fails = run_jobs(jobs, None, 'cpu', ex, progress=False)
        t2 = time.perf_counter()
    t3 = time.perf_counter()
    assert not fails, fails
    if phases is not None: phases.update(total=t3 - t0, start=t1 - t0, jobs=t2 - t1, stop=t3 - t2)
    return recs

def time_jobs(benchmark, monkeypatch, name, jobs, where):
    if where == "1 worker, Dask malloc":   # Dask's nanny default (MALLOC_TRIM_THRESHOLD_=65536) instead of recl.cluster.WORKER_ENV
        monkeypatch.setattr(recl.cluster, 'WORKER_ENV', {})
        for k in WORKER_ENV: monkeypatch.delenv(k, raising=False)
    phases = {}
    recs = benchmark.pedantic(lambda: run_jobs_on(where, jobs, phases), rounds=1, iterations=1)
    per_job = [r['seconds']['total'] for r in recs]
    benchmark.extra_info.update({f"seconds_{k}": v for k, v in phases.items()}, seconds_per_job_mean=sum(per_job) / len(per_job),
                                seconds_per_job_min=min(per_job), seconds_per_job_max=max(per_job))
    mats = [r['acc_matrix'] for r in recs]
    if where == 'in-process': REFERENCE[name] = (mats, phases['total'])
    if name not in REFERENCE: REFERENCE[name] = ([r['acc_matrix'] for r in run_jobs_on('in-process', jobs)], None)   # in-process not selected: an untimed reference
    if where != 'in-process' and REFERENCE[name][1]: benchmark.extra_info['speedup_over_in_process'] = REFERENCE[name][1] / phases['total']
    assert mats == REFERENCE[name][0]

# 4 short jobs (Finetune+ReCL naive defaults, 50 images per class, 5 epochs; under a second each): mostly the layer's cost
FOUR_JOBS = [(RunConfig(n_per_class=50, epochs=5, recl='naive').to_dict(), s) for s in range(4)]

@pytest.mark.parametrize('where', ['in-process', '2 workers', '1 worker'])
def test_four_jobs(benchmark, monkeypatch, where): time_jobs(benchmark, monkeypatch, 'four', FOUR_JOBS, where)

# 4 jobs of the paper profile's Table 1 size (`make paper PROFILE=paper`): Finetune+ReCL (naive, 20 reconstructions per
# class, 100 reconstruction epochs), Split MNIST (embedded), MLP 1000-1000, 100 images per class, 20 epochs (about 8 s
# each on one idle core); Dask's malloc setting in the worker makes the jobs about a third slower than in the driver,
# hence recl.cluster.WORKER_ENV
TABLE1_JOBS = [(RunConfig(n_per_class=100, epochs=20, recl='naive', recl_kw=dict(m_per_class=20, epochs=100)).to_dict(), s) for s in range(4)]

@pytest.mark.parametrize('where', ['in-process', '2 workers', '1 worker', "1 worker, Dask malloc"])
def test_table1_jobs(benchmark, monkeypatch, where): time_jobs(benchmark, monkeypatch, 'table1', TABLE1_JOBS, where)
