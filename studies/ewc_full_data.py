"""Does EWC's default lambda hold on full-size data? Trains EWC on full Split Fashion-MNIST (6,000 images per class,
MLP 784-1000-1000, SGD lr 0.05) and prints the accuracy matrix or the divergence, the largest Fisher entry and the
stiffness lr * lambda * max F of the penalty (plain SGD on a quadratic becomes unstable above 2).
Needs the IDX files under <data-root>/FashionMNIST/raw (Debian: apt-get install dataset-fashion-mnist, then link
/usr/share/datasets/fashion-mnist/* there).

    .venv/bin/python studies/ewc_full_data.py --data-root DATA --tasks 5 --epochs 20
"""
import argparse, time
import torch
from recl.core import ReclError, seed_everything
from recl.data import make_stream
from recl.engine import Learner
from recl.experiment import RunConfig, build_plugins
from recl.models import build_model

p = argparse.ArgumentParser()
p.add_argument('--data-root', required=True)
p.add_argument('--tasks', type=int, default=5)
p.add_argument('--epochs', type=int, default=20)
p.add_argument('--lam', type=float, default=None, help="EWC lambda (default: EWC's default)")
p.add_argument('--lr', type=float, default=0.05)
p.add_argument('--seed', type=int, default=0)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--device', default='auto')
a = p.parse_args()
torch.set_num_threads(a.threads)
s = make_stream('fashion_mnist', 'cil', n_tasks=a.tasks, n_per_class=None, seed=a.seed, root=a.data_root); seed_everything(a.seed)
cfg = RunConfig(dataset='fashion_mnist', method='ewc', n_per_class=None, epochs=a.epochs, lr=a.lr, hparams={} if a.lam is None else {'ewc.lam': a.lam})
ewc = build_plugins(cfg)[0]
learner = Learner(build_model('mlp', s.in_shape, s.n_outputs(0)), s, [ewc], lr=a.lr, epochs=a.epochs, seed=a.seed, device=a.device)
t0 = time.perf_counter()
try: res = learner.fit(); print(f"no divergence: ACC {res.acc:.2f}, BWT {res.bwt:.2f}\n{res.acc_matrix.round(2)}")
except ReclError as e: print(f"DIVERGED: {e}")
if ewc._tasks:
    mx = max(f.max().item() for fis, _ in ewc._tasks for f in fis.values())
    print(f"lambda {ewc.lam:g}: max Fisher entry {mx:.4g}, stiffness lr*lambda*maxF {a.lr * ewc.lam * mx:.3g} (unstable above 2); {time.perf_counter() - t0:.0f} s")
