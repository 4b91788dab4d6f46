"""Performance benchmarks of recl, run by pytest-benchmark: each is a pytest test that times a call and checks its
result, and every run can be saved (JSON with the machine, the commit and the timings) and compared with a saved one.

    make bench                          # run and save (benchmarks/results/<machine>/NNNN_<name>.json)
    make bench-compare BASE=0001        # run again and compare with saved run 0001 (min/mean/median per benchmark)

Compare timings only between runs on one machine, and only when nothing else runs on its cores: a shared CPU
makes every number larger. The benchmarks run with one torch thread, as jobs do on workers.
"""
import tempfile
from pathlib import Path
import pytest
import torch
from recl.models import build_model
from recl.reconstruct import reconstruct
from recl.experiment import RunConfig, run_seed
from recl.data import write_tinyimagenet, load_tinyimagenet
from recl.cluster import Executor, open_executor
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

# the execution layer: 4 short (configuration, seed) jobs in this process, and on 2 local worker processes (their start
# and stop included); the records must be the same, bit for bit
JOBS = [(RunConfig(n_per_class=50, epochs=5, recl='naive').to_dict(), s) for s in range(4)]
REFERENCE = {}

@pytest.mark.parametrize('where', ['in-process', '2 workers'])
def test_four_jobs(benchmark, where):
    def go():
        with (Executor() if where == 'in-process' else open_executor(workers=2, quiet=True)) as ex:
            recs, fails = run_jobs(JOBS, None, 'cpu', ex, progress=False)
        assert not fails, fails
        return [r['acc_matrix'] for r in recs]
    mats = benchmark.pedantic(go, rounds=1, iterations=1)
    REFERENCE.setdefault('mats', mats)
    assert mats == REFERENCE['mats']
