"""TinyImageNet loading time: decoding the JPEGs at every load (cache=False, what every run did before the cache)
against the first load (decode + write the uint8 cache) and the later loads (read the cache). On the folder the
tests write (`write_tinyimagenet(root, n_classes=200, n_train=2, n_val=1)`, as in nbs/01_data) and on a larger
one (`--n-train`, closer to the real 500 images per class).

    .venv/bin/python benchmarks/tinyimagenet_load.py
    .venv/bin/python benchmarks/tinyimagenet_load.py --n-train 100 --n-val 10 --classes 40
"""
import argparse, tempfile, time
from pathlib import Path
from recl.data import write_tinyimagenet, load_tinyimagenet

p = argparse.ArgumentParser()
p.add_argument('--n-train', type=int, default=2)
p.add_argument('--n-val', type=int, default=1)
p.add_argument('--classes', type=int, default=200, help='classes loaded (all 200 are written)')
p.add_argument('--repeats', type=int, default=3)
a = p.parse_args()
root = Path(tempfile.mkdtemp())
write_tinyimagenet(root, n_classes=200, n_train=a.n_train, n_val=a.n_val)
classes = list(range(a.classes))
def timed(**kw):
    t0 = time.perf_counter(); load_tinyimagenet(root, classes=classes, **kw); return time.perf_counter() - t0
decode = min(timed(cache=False) for _ in range(a.repeats))
first = timed()
cached = min(timed() for _ in range(a.repeats))
print(f"{a.classes} classes x ({a.n_train} train + {a.n_val} val) images: decode every time {decode:.3f} s, "
      f"first load with cache {first:.3f} s, cached load {cached:.3f} s ({decode / cached:.1f}x faster)")
