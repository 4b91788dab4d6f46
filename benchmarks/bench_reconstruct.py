"""Benchmark one reconstruction iteration (loss + gradients w.r.t. x and lambda + SGD step).

MLP 784-1000-1000-10 (recl.models.HomogeneousMLP), m = 500 candidates, float32 by default.
Compares the straightforward implementation (autograd.grad over the summed weighted margins with
create_graph=True, then .backward(), as in the reference codes) with recl's generic autograd path and
recl's closed-form path. Usage: python benchmarks/bench_reconstruct.py [--m 500] [--iters 10] [--device cpu] [--float64]
"""
import argparse, time
import torch
from torch.utils._python_dispatch import TorchDispatchMode

class MatmulFlops(TorchDispatchMode):
    "Counts the FLOPs of every matrix product (mm, addmm, bmm) dispatched while active, autograd's included."
    def __init__(self): super().__init__(); self.flops = 0
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        aten = torch.ops.aten
        if func is aten.mm.default: a, b = args[0], args[1]; self.flops += 2 * a.shape[0] * a.shape[1] * b.shape[1]
        elif func is aten.addmm.default: a, b = args[1], args[2]; self.flops += 2 * a.shape[0] * a.shape[1] * b.shape[1]
        elif func is aten.bmm.default: a, b = args[0], args[1]; self.flops += 2 * a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2]
        return func(*args, **(kwargs or {}))
from recl.models import HomogeneousMLP
from recl.smooth_relu import smooth_copy
from recl.recon_losses import margins, kkt_loss, kkt_residual, lambda_loss, prior_loss
from recl.reconstruct import _mlp_chain, chain_kkt_residual, chain_kkt_grad

def straightforward_step(net, params, x, y, lam, opt, lambda_min):
    "Reference-style: grads of the weighted margins w.r.t. all parameters, create_graph, then backward."
    opt.zero_grad(); net.zero_grad(set_to_none=True)
    phi = (lam * margins(net(x), y)).sum() / x.shape[0]
    g = torch.autograd.grad(phi, params, create_graph=True)
    L = kkt_loss(params, g) + lambda_loss(lam, lambda_min) + prior_loss(x)
    L.backward()
    opt.step()
    return L.detach()

def recl_step(fn, x, y, lam, opt, lambda_min):
    L = fn(x, y, lam) + lambda_loss(lam, lambda_min) + prior_loss(x)
    x.grad, lam.grad = torch.autograd.grad(L, [x, lam])
    opt.step()
    return L.detach()

def recl_manual_step(layers, alpha, x, y, lam, opt, lambda_min):
    "What reconstruct() runs for an MLP: both backward passes in closed form, autograd only for the cheap Eq. 4-5 terms."
    l_rec, gx, gl = chain_kkt_grad(layers, x.detach(), y, lam.detach(), alpha)
    aux = lambda_loss(lam, lambda_min) + prior_loss(x)
    ax, al = torch.autograd.grad(aux, [x, lam])
    x.grad, lam.grad = gx + ax, gl + al
    opt.step()
    return (l_rec + aux).detach()

def flops_per_iter(dims, m):
    "Matmul FLOPs a closed-form iteration needs: 5 passes over the first layer, 7 over the others (fwd, VJP, double backward)."
    P = [a*b for a, b in zip(dims[:-1], dims[1:])]
    return 2*m*(5*P[0] + 7*sum(P[1:]))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--m', type=int, default=500); ap.add_argument('--iters', type=int, default=10)
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu'); ap.add_argument('--float64', action='store_true')
    ap.add_argument('--alpha', type=float, default=100.)
    a = ap.parse_args()
    torch.set_flush_denormal(True)  # as reconstruct() does
    dt, dev = (torch.float64 if a.float64 else torch.float32), torch.device(a.device)
    torch.manual_seed(0)
    model = HomogeneousMLP((1, 28, 28), 10)
    net = smooth_copy(model, a.alpha).to(dev, dt)
    params = list(net.parameters())
    layers = _mlp_chain(net, (1, 28, 28))
    y = (torch.arange(a.m) * 10 // a.m).to(dev)
    x0 = (torch.randn(a.m, 1, 28, 28, dtype=dt) * 0.1).to(dev); l0 = torch.rand(a.m, dtype=dt).to(dev)
    impls = {
        'straightforward (autograd.grad create_graph + backward)': lambda x, lam, opt: straightforward_step(net, params, x, y, lam, opt, 0.1),
        'recl generic (autograd.grad to x, lambda only)': lambda x, lam, opt: recl_step(lambda *t: kkt_residual(net, *t), x, y, lam, opt, 0.1),
        'recl closed-form layer grads + autograd 2nd pass': lambda x, lam, opt: recl_step(lambda *t: chain_kkt_residual(layers, *t, a.alpha), x, y, lam, opt, 0.1),
        'recl closed-form, no autograd (reconstruct default)': lambda x, lam, opt: recl_manual_step(layers, a.alpha, x, y, lam, opt, 0.1),
    }
    fl = flops_per_iter([784, 1000, 1000, 10], a.m)
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == 'cuda' else (lambda: None)
    print(f"device={dev} dtype={dt} threads={torch.get_num_threads()} m={a.m} MLP 784-1000-1000-10 iters={a.iters} "
          f"FLOP/iter={fl/1e9:.2f} G (counted matmuls of the closed form)")
    res = {}
    for name, step in impls.items():
        x, lam = x0.clone().requires_grad_(True), l0.clone().requires_grad_(True)
        opt = torch.optim.SGD([dict(params=[x], lr=1e-3), dict(params=[lam], lr=1e-3)], momentum=0.9)
        with MatmulFlops() as fc: step(x0.clone().requires_grad_(True), l0.clone().requires_grad_(True), torch.optim.SGD([torch.zeros(1)], lr=0.))
        flops = fc.flops
        for p in params: p.grad = None
        losses = [step(x, lam, opt).item() for _ in range(2)]  # warm-up (and loss check)
        sync(); t = time.perf_counter()
        for _ in range(a.iters): losses.append(step(x, lam, opt).item())
        sync(); ms = (time.perf_counter() - t) / a.iters * 1e3
        res[name] = (ms, losses, flops)
        print(f"  {name}: loss first/last {losses[0]:.6f} / {losses[-1]:.6f}")
        for p in params: p.grad = None
    base_ms, base_losses, _ = res[next(iter(res))]
    print(f"{'implementation':54s} {'ms/iter':>8s} {'GFLOP/iter':>10s} {'GFLOP/s':>8s} {'eff.GFLOP/s':>11s} {'speed-up':>8s} {'max rel. loss diff':>18s}")
    for name, (ms, losses, flops) in res.items():
        diff = max(abs(u - v) / abs(v) for u, v in zip(losses, base_losses))
        print(f"{name:54s} {ms:8.1f} {flops/1e9:10.2f} {flops/ms/1e6:8.1f} {fl/ms/1e6:11.1f} {base_ms/ms:7.2f}x {diff:18.2e}")
    print("GFLOP/iter: matmul FLOPs counted at the aten level (mm/addmm/bmm) during one step; GFLOP/s = those / time (achieved);"
          " eff.GFLOP/s = the same reference work for all (the 5/7-pass count above) / time")

if __name__ == '__main__': main()
