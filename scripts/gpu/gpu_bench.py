"""GPU measurements for `gpu_check.sh` (each part also runs on a CPU-only machine, without its CUDA half).

    python scripts/gpu/gpu_bench.py recon   # reconstruction ms/iteration: CPU, CUDA fp32, CUDA TF32, torch.compile, loss reads
    python scripts/gpu/gpu_bench.py train   # Finetune and Finetune+ReCL seconds per run on Split MNIST (+ TF32, torch.compile)
    python scripts/gpu/gpu_bench.py cifar   # the CNN on CIFAR-10-format data written here (random pixels, real format)
    python scripts/gpu/gpu_bench.py share   # jobs per hour with K processes sharing one GPU (K = 1, 2, 4)

`GPU_BENCH_BUDGET_S` (seconds, default 150) bounds the optional parts (torch.compile, larger K): a part that
would start after the budget is spent is skipped and says so.
"""
import argparse, json, os, subprocess, sys, tempfile, time
import numpy as np
import torch

T0 = time.perf_counter()
BUDGET = float(os.environ.get('GPU_BENCH_BUDGET_S', 150))
CUDA = torch.cuda.is_available()
def left(): return BUDGET - (time.perf_counter() - T0)
def say(*a): print(*a, flush=True)
def sync(): torch.cuda.synchronize() if CUDA else None

def set_tf32(on:bool):
    "TF32 for matmuls and cuDNN convolutions (PyTorch's defaults: off for matmuls, on for convolutions)."
    torch.backends.cuda.matmul.allow_tf32 = on; torch.backends.cudnn.allow_tf32 = on

def rel_diff(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-30)))

# ---------------------------------------------------------------- reconstruction
def recon(a):
    import recl.reconstruct as R
    from recl.core import seed_everything
    from recl.models import HomogeneousMLP
    seed_everything(0)
    model = HomogeneousMLP((1, 28, 28), 10)     # 784-1000-1000-10
    kw = dict(classes=10, m=500, lr_x=1e-3, lr_lambda=1e-3, seed=0)
    def ms_per_iter(device, iters, dtype=torch.float32):
        R.reconstruct(model, epochs=3, device=device, dtype=dtype, **kw)                  # warm-up (kernels, allocator)
        rec = R.reconstruct(model, epochs=iters, device=device, dtype=dtype, **kw)
        return rec.seconds / iters * 1e3, rec.history['total']
    say(f"reconstruction: MLP 784-1000-1000-10, m=500, closed-form path, ms/iteration (loss values read back every "
        f"{R.GPU_LOSS_READ_EVERY} iterations on CUDA)")
    cpu_ms, cpu_hist = ms_per_iter('cpu', a.cpu_iters)
    say(f"  cpu  fp32  {cpu_ms:8.2f} ms/iter   ({torch.get_num_threads()} threads, {a.cpu_iters} iterations)")
    if not CUDA: say("  cuda: SKIPPED (no CUDA GPU)"); return
    n = a.cuda_iters
    set_tf32(False); fp32_ms, fp32_hist = ms_per_iter('cuda', n)
    say(f"  cuda fp32  {fp32_ms:8.3f} ms/iter   speed-up vs cpu {cpu_ms / fp32_ms:6.1f}x   "
        f"loss vs cpu (first {a.cpu_iters} its) max rel diff {rel_diff(fp32_hist[:a.cpu_iters], cpu_hist):.1e}")
    set_tf32(True); tf32_ms, tf32_hist = ms_per_iter('cuda', n); set_tf32(False)
    say(f"  cuda tf32  {tf32_ms:8.3f} ms/iter   speed-up vs cpu {cpu_ms / tf32_ms:6.1f}x   "
        f"loss vs cuda fp32 over {n} its: max rel diff {rel_diff(tf32_hist, fp32_hist):.1e}, final {rel_diff(tf32_hist[-1:], fp32_hist[-1:]):.1e}")
    old = R.GPU_LOSS_READ_EVERY; R.GPU_LOSS_READ_EVERY = 1
    every1_ms, _ = ms_per_iter('cuda', n); R.GPU_LOSS_READ_EVERY = old
    say(f"  cuda fp32, loss read every iteration {every1_ms:8.3f} ms/iter (vs {fp32_ms:.3f} reading every {old})")
    d64c, h64c = ms_per_iter('cpu', 5, torch.float64); d64g, h64g = ms_per_iter('cuda', 5, torch.float64)
    say(f"  float64 cpu vs cuda, 5 iterations: max rel diff of the loss values {rel_diff(h64g, h64c):.1e} "
        f"({d64c:.1f} vs {d64g:.2f} ms/iter)")
    if left() < 20: say(f"  torch.compile of the reconstruction step: SKIPPED (budget: {left():.0f} s left)"); return
    orig = R.chain_kkt_grad
    try:
        t = time.perf_counter(); R.chain_kkt_grad = torch.compile(orig)
        R.reconstruct(model, epochs=3, device='cuda', **kw); sync(); comp_s = time.perf_counter() - t
        c_ms, c_hist = ms_per_iter('cuda', n)
        say(f"  cuda fp32 torch.compile(chain_kkt_grad) {c_ms:8.3f} ms/iter (compile {comp_s:.0f} s)  "
            f"loss vs eager max rel diff {rel_diff(c_hist, fp32_hist):.1e}")
    except Exception as e: say(f"  torch.compile of the reconstruction step FAILED: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
    finally: R.chain_kkt_grad = orig

# ---------------------------------------------------------------- training runs
def one_run(cfg, device, compile_model=False):
    "Seconds of one `run_seed` (data prepared, model built, trained, evaluated) and its record."
    import recl.experiment as E
    orig = E.build_model
    if compile_model: E.build_model = lambda *a, **k: torch.compile(orig(*a, **k))
    try:
        sync(); t = time.perf_counter(); rec = E.run_seed(cfg, 0, device=device); sync()
        return time.perf_counter() - t, rec
    finally: E.build_model = orig

def train(a):
    from recl.experiment import RunConfig
    say(f"Split MNIST (mnist5k, CIL, MLP 784-1000-1000, 100 images/class, {a.epochs} epochs, batch 64), seconds per run (seed 0):")
    rows = {}
    for strategy in ('none', 'naive'):
        cfg = RunConfig(scenario='cil', method='finetune', recl=strategy, epochs=a.epochs)
        rows[strategy] = one_run(cfg, 'cpu')
        s, rec = rows[strategy]
        say(f"  finetune recl={strategy:5s} cpu        {s:7.2f} s  (train {rec['seconds']['train']:.2f}, reconstruct "
            f"{rec['seconds']['reconstruct']:.2f})  ACC {rec['acc']:.2f}")
    if not CUDA: say("  cuda: SKIPPED (no CUDA GPU)"); return
    one_run(RunConfig(scenario='cil', method='finetune', epochs=1), 'cuda')           # warm-up: CUDA context, cuBLAS
    for strategy in ('none', 'naive'):
        cfg = RunConfig(scenario='cil', method='finetune', recl=strategy, epochs=a.epochs)
        for label, tf32 in (('cuda fp32', False), ('cuda tf32', True)):
            set_tf32(tf32); s, rec = one_run(cfg, 'cuda'); set_tf32(False)
            say(f"  finetune recl={strategy:5s} {label}  {s:7.2f} s  (train {rec['seconds']['train']:.2f}, reconstruct "
                f"{rec['seconds']['reconstruct']:.2f})  ACC {rec['acc']:.2f}  speed-up vs cpu {rows[strategy][0] / s:5.1f}x")
    if left() < 20: say(f"  torch.compile of the model: SKIPPED (budget: {left():.0f} s left)"); return
    try:
        s, rec = one_run(RunConfig(scenario='cil', method='finetune', epochs=a.epochs), 'cuda', compile_model=True)
        s2, rec2 = one_run(RunConfig(scenario='cil', method='finetune', epochs=a.epochs), 'cuda', compile_model=True)
        say(f"  finetune recl=none  cuda fp32 torch.compile(model): first run {s:.2f} s (compiling), second {s2:.2f} s  ACC {rec2['acc']:.2f}")
    except Exception as e: say(f"  torch.compile of the model FAILED: {type(e).__name__}: {str(e).splitlines()[0][:200]}")

def cifar(a):
    from recl.data import write_cifar10
    from recl.experiment import RunConfig
    root = tempfile.mkdtemp(prefix='recl-cifar-')
    write_cifar10(root, n_train=1000, n_test=200)     # 5,000 train / 200 test images of random pixels, torchvision's format
    epochs = a.cifar_epochs
    say(f"CIFAR-10 format (random pixels written here), CIL 5x2 classes, HomogeneousCNN, 100 images/class, {epochs} epochs, seconds per run:")
    cfg = RunConfig(dataset='cifar10', scenario='cil', model='cnn', method='finetune', epochs=epochs, data_root=root)
    s_cpu, rec = one_run(cfg, 'cpu')
    say(f"  finetune cpu        {s_cpu:7.2f} s  ACC {rec['acc']:.2f} (random pixels: the accuracy means nothing)")
    if not CUDA: say("  cuda: SKIPPED (no CUDA GPU)"); return
    one_run(RunConfig(dataset='cifar10', scenario='cil', model='cnn', epochs=1, data_root=root), 'cuda')   # warm-up (cuDNN)
    for label, tf32 in (('cuda fp32', False), ('cuda tf32', True)):
        set_tf32(tf32); s, rec = one_run(cfg, 'cuda'); set_tf32(False)
        say(f"  finetune {label}  {s:7.2f} s  speed-up vs cpu {s_cpu / s:5.1f}x")
    cfg = RunConfig(dataset='cifar10', scenario='cil', model='cnn', method='finetune', recl='naive', epochs=epochs, data_root=root)
    s, rec = one_run(cfg, 'cuda')
    say(f"  finetune+recl cuda fp32 {s:7.2f} s  (reconstruct {rec['seconds']['reconstruct']:.2f} s)")

# ---------------------------------------------------------------- sharing one GPU
def worker(a):
    "Run `--jobs` Split MNIST runs (Finetune+ReCL) and print one JSON line per job with its start and end time."
    from recl.experiment import RunConfig
    torch.set_num_threads(a.threads)
    for j in range(a.jobs):
        t = time.time(); _, rec = one_run(RunConfig(scenario='cil', method='finetune', recl='naive', epochs=a.epochs), 'cuda')
        print(json.dumps(dict(start=t, end=time.time(), acc=rec['acc'])), flush=True)

def share(a):
    if not CUDA: say("sharing one GPU: SKIPPED (no CUDA GPU)"); return
    say(f"sharing one GPU: {a.total_jobs} Finetune+ReCL Split MNIST runs ({a.epochs} epochs) split over K processes started together")
    base = None
    for K in (1, 4, 2):
        if K > 1 and left() < 15: say(f"  K={K}: SKIPPED (budget: {left():.0f} s left)"); continue
        threads = max(1, (os.cpu_count() or 2) // K)
        t = time.time()
        procs = [subprocess.Popen([sys.executable, __file__, 'worker', '--jobs', str(a.total_jobs // K), '--threads', str(threads),
                                   '--epochs', str(a.epochs)],
                                  stdout=subprocess.PIPE, text=True) for _ in range(K)]
        outs = [p.communicate()[0] for p in procs]; wall = time.time() - t
        if any(p.returncode for p in procs): say(f"  K={K}: a worker FAILED (exit codes {[p.returncode for p in procs]})"); continue
        jobs = [json.loads(l) for o in outs for l in o.splitlines() if l.startswith('{')]
        span = max(j['end'] for j in jobs) - min(j['start'] for j in jobs)
        per_hour = len(jobs) / span * 3600
        base = base or per_hour   # K=1 runs first: one at a time
        say(f"  K={K}: {len(jobs)} jobs in {span:6.1f} s of running jobs ({wall:.1f} s with process start-up) -> "
            f"{per_hour:7.0f} jobs/hour ({per_hour / base:.2f}x one at a time), "
            f"mean {np.mean([j['end'] - j['start'] for j in jobs]):.2f} s per job")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('part', choices=['recon', 'train', 'cifar', 'share', 'worker'])
    ap.add_argument('--cpu-iters', type=int, default=10); ap.add_argument('--cuda-iters', type=int, default=300)
    ap.add_argument('--cifar-epochs', type=int, default=5)
    ap.add_argument('--epochs', type=int, default=None, help='epochs of the Split MNIST runs (train: 20, share: 10)')
    ap.add_argument('--total-jobs', type=int, default=8)
    ap.add_argument('--jobs', type=int, default=1); ap.add_argument('--threads', type=int, default=1)
    a = ap.parse_args()
    if a.part != 'worker': say(f"[{a.part}] torch {torch.__version__}, " + (f"GPU {torch.cuda.get_device_name()}" if CUDA else "no CUDA GPU") +
                               f", {os.cpu_count()} CPUs, {torch.get_num_threads()} torch threads")
    if a.epochs is None: a.epochs = 10 if a.part in ('share', 'worker') else 20
    globals()[a.part](a)

if __name__ == '__main__': main()
