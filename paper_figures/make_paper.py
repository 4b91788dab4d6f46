"""Regenerate the paper's tables and figures: execute every notebook of paper_figures/ with papermill under a profile,
save the executed notebooks to _executed/, and write README.md with every table (numbers measured) and figure.

    python paper_figures/make_paper.py --profile quick|paper|smoke [--data-root DIR] [--out STORE] [--outputs DIR]
                                       [--workers N | --scheduler tcp://HOST:PORT] [--plan]

--workers N runs the notebooks' jobs (runs and hyper-parameter trials) on N local worker processes, --scheduler on a
running Dask cluster (recl.cluster); --plan runs nothing and prints the jobs per notebook, how many are already in the store,
and the estimated CPU time from timed probes.

Resumable: runs go through a results store (--out) that skips every finished (configuration, seed) record, so a rerun
after an interruption only does what is missing. A failing notebook is reported and the others still run; the exit
status is non-zero if any notebook failed or any configuration failed."""
from __future__ import annotations
import argparse, json, os, re, sys, time, uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import default

HERE = Path(__file__).resolve().parent
NOTEBOOKS = ['table1_2_main', 'sensitivity_m', 'recon_epochs', 'online', 'nonhomogeneous', 'tinyimagenet', 'full_datasets', 'galleries', 'runtime',
             'reproduction']
LAST = ('runtime', 'reproduction')   # they read what the others wrote: run after them, in this order

# Shared parameters per profile, then per-notebook overrides. In the paper profile every experiment runs on the baselines'
# tuned values: Tables 1/2 search them (100 Optuna trials, a seed apart from the evaluation seeds), the others reuse those searches.
PAPER_TUNING = dict(tune_trials=100, tune_seed=100)
PROFILES = {
    'smoke': dict(common=dict(seeds=[0], n_per_class=5, epochs=1, hidden=[32, 32], m_per_class=2, recon_epochs=2, n_trials=1),
                  table1_2_main=dict(methods=['finetune', 'er'], datasets=[['mnist5k', 'mlp'], ['cifar10', 'cnn']], tune_trials=2, tune_seed=100,
                                     controls=['noise', 'class_mean'], control_methods=['finetune', 'er']),
                  sensitivity_m=dict(m_values=[2], strategies=['naive', 'unsupervised', 'supervised'], scenarios=['cil']),
                  recon_epochs=dict(epoch_values=[1, 2], scenarios=['cil']),
                  online=dict(epoch_values=[1, 2]),
                  nonhomogeneous=dict(models=['alexnet'], model_kws={'alexnet': {'width': 8, 'hidden': 32}}),
                  tinyimagenet=dict(methods=['finetune']),
                  full_datasets=dict(n_per_class=None, methods=['finetune'], full_m_per_class=2),
                  galleries=dict(datasets=[['mnist5k', 'mlp']], gallery_m_per_class=4, gallery_epochs=5, n_show=8),
                  runtime=dict(timing_methods=['finetune'], timing_strategies=['unsupervised'], timing_seeds=[0], tune_trials=2, tune_seed=100)),
    'quick': dict(common=dict(seeds=[0, 1, 2], n_per_class=100, epochs=10, hidden=[256, 256], m_per_class=20, recon_epochs=50, n_trials=3),
                  table1_2_main=dict(methods=['finetune', 'ewc', 'er', 'upgd', 'agem', 'lwf', 'gpm'], method_hparams={'ewc': {'lam': 100.0}},
                                     datasets=[['mnist5k', 'mlp'], ['cifar10', 'mlp'], ['cifar10', 'cnn']]),
                  sensitivity_m=dict(m_values=[2, 10, 20], strategies=['naive', 'unsupervised', 'supervised'], scenarios=['cil', 'dil']),
                  recon_epochs=dict(epoch_values=[10, 50, 100], scenarios=['cil', 'dil']),
                  online=dict(epoch_values=[1, 2, 3, 5, 10]),
                  nonhomogeneous=dict(models=['alexnet', 'resnet18'], model_kws={'alexnet': {'width': 32, 'hidden': 256}, 'resnet18': {}}),
                  tinyimagenet=dict(methods=['finetune', 'er']),
                  full_datasets=dict(n_per_class=None, seeds=[0], methods=['finetune', 'ewc', 'er'], full_m_per_class=20, method_hparams={'ewc': {'lam': 100.0}}),
                  galleries=dict(datasets=[['mnist5k', 'mlp'], ['cifar10', 'cnn']], gallery_m_per_class=20, gallery_epochs=100, n_show=20),
                  runtime=dict(timing_methods=['finetune', 'er'], timing_strategies=['unsupervised', 'supervised'], timing_seeds=[0, 1, 2])),
    'paper': dict(common=dict(seeds=[0, 1, 2, 3, 4], n_per_class=100, epochs=20, hidden=[1000, 1000], m_per_class=20, recon_epochs=100, n_trials=10),
                  table1_2_main=dict(methods=['finetune', 'ewc', 'er', 'upgd', 'agem', 'lwf', 'gpm'], **PAPER_TUNING,
                                     controls=['noise', 'class_mean'], control_methods=['finetune', 'ewc', 'er', 'upgd', 'agem', 'lwf', 'gpm'],
                                     datasets=[['split_mnist', 'mlp'], ['cifar10', 'mlp'], ['cifar10', 'cnn']]),
                  sensitivity_m=dict(m_values=[1, 5, 10, 20, 50], strategies=['naive', 'unsupervised', 'supervised'], scenarios=['cil', 'dil'],
                                     dataset='split_mnist', **PAPER_TUNING),
                  recon_epochs=dict(epoch_values=[10, 50, 100, 200, 500], scenarios=['cil', 'dil'], dataset='split_mnist', **PAPER_TUNING),
                  online=dict(epoch_values=list(range(1, 11)), dataset='split_mnist', **PAPER_TUNING),
                  nonhomogeneous=dict(models=['alexnet', 'resnet18'], model_kws={'alexnet': {}, 'resnet18': {}}, **PAPER_TUNING),
                  tinyimagenet=dict(methods=['finetune', 'ewc', 'er', 'lwf'], **PAPER_TUNING),
                  full_datasets=dict(n_per_class=None, seeds=[0, 1, 2], methods=['finetune', 'ewc', 'er', 'upgd', 'agem', 'lwf', 'gpm'], full_m_per_class=20,
                                     datasets=[['mnist', 'mlp'], ['fashion_mnist', 'mlp'], ['tinyimagenet', 'cnn']], **PAPER_TUNING,
                                     tune_dataset={'mnist': 'split_mnist', 'fashion_mnist': 'split_mnist'}),
                  galleries=dict(datasets=[['split_mnist', 'mlp'], ['cifar10', 'cnn']], gallery_m_per_class=50, gallery_epochs=1000, n_show=30),
                  runtime=dict(timing_methods=['finetune', 'ewc', 'er', 'upgd', 'agem', 'lwf', 'gpm'], timing_strategies=['unsupervised', 'supervised'],
                               timing_seeds=[0, 1, 2], timing_dataset='split_mnist', **PAPER_TUNING)),
}

# Where each profile keeps its work, relative to paper_figures/: the paper profile's store (records and Optuna studies) is
# committed, so a run stopped at the end of a day resumes the next day from a fresh clone; the other profiles' stores are not.
# The paper profile writes README.md; the quick profile its own README beside it, its outputs kept apart.
PATHS = {'paper': dict(out='_paper_store', outputs='outputs_paper', executed='_executed_paper', readme='README.md'),
         'quick': dict(out='_store', outputs='outputs', executed='_executed', readme='README_quick.md'),
         'smoke': dict(out='_store_smoke', outputs='outputs_smoke', executed='_executed_smoke', readme='README_smoke.md')}

def absolute(p) -> str:
    "`p` as an absolute path, symbolic links kept: a data root linked into the repository stays inside it."
    return os.path.abspath(os.path.expanduser(p))

def relative(p) -> str|None:
    "`p` relative to paper_figures/ (the kernels' working directory), so no machine path reaches a notebook or table."
    return None if p is None else os.path.relpath(absolute(p), HERE)

def report_path(readme:Path) -> Path:
    "The reproduction report beside a README: README.md -> REPRODUCTION.md, README_quick.md -> REPRODUCTION_quick.md."
    return readme.with_name(readme.name.replace('README', 'REPRODUCTION'))

def params_for(profile:str, nb:str, out:Path, outputs:Path, data_root, readme:Path|None=None) -> dict:
    p = dict(profile=profile, out=relative(out), outputs=relative(outputs), data_root=relative(data_root))
    if nb == 'reproduction': p['report'] = relative(report_path(readme or outputs.parent/'README.md'))
    p.update(PROFILES[profile]['common']); p.update(PROFILES[profile].get(nb, {}))
    return p

class IpcKernelManager(AsyncKernelManager):
    """The notebooks' kernels talk to the driver over Unix sockets in Jupyter's runtime folder (IPC), not TCP ports: a TCP
    port is picked free, closed, then bound by the kernel, and another process (a Dask worker, a second kernel) can take it
    in between, so the kernel dies with 'Address already in use'. IPC sockets are private to the user, so ipykernel does
    not warn about unencrypted TCP either."""
    @default('transport')
    def _default_transport(self): return 'ipc'
    @default('ip')   # the sockets' path prefix; jupyter_client's default, 'kernel-ipc' in the working folder, is shared
    def _default_ip(self):
        runtime = Path(jupyter_runtime_dir()); runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        return str(runtime/f'kernel-{uuid.uuid4().hex}-ipc')

def execute(nb:str, params:dict, executed:Path, timeout=None) -> tuple[str, float, str|None]:
    import papermill as pm
    t0 = time.time()
    try:
        pm.execute_notebook(str(HERE/f'{nb}.ipynb'), str(executed/f'{nb}.ipynb'), parameters=params, kernel_name='python3',
                            progress_bar=False, log_output=False, execution_timeout=timeout, kernel_manager_class=IpcKernelManager)
        tidy(executed/f'{nb}.ipynb')
        return nb, time.time() - t0, None
    except Exception as e:
        if (executed/f'{nb}.ipynb').exists(): tidy(executed/f'{nb}.ipynb')
        msg = str(e).strip().splitlines()
        return nb, time.time() - t0, f"{type(e).__name__}: {' '.join(msg[-3:])[:500] if msg else ''}"

def tidy(path:Path):
    "Drop what papermill adds that changes on every run or names this machine (paths, times, counts, cell ids); keep outputs."
    nb = json.loads(path.read_text())
    nb['metadata'].pop('papermill', None)
    for c in nb['cells']:
        for k in ('papermill', 'execution'): c.get('metadata', {}).pop(k, None)
        if 'injected-parameters' in c.get('metadata', {}).get('tags', []): c['id'] = 'injected-parameters'   # papermill draws a new id each run
        if c['cell_type'] == 'code':
            c['execution_count'] = None
            for o in c.get('outputs', []):
                if 'execution_count' in o: o['execution_count'] = None
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')

def missing_datasets(outputs:Path) -> list[str]:
    "Each dataset a table could not run for, once, with its message (read from the tables' CSV cells 'not run: ...')."
    import pandas as pd
    seen = {}
    for csv in sorted(outputs.glob('*.csv')):
        try: cells = pd.read_csv(csv, dtype=str).to_numpy().ravel()
        except pd.errors.EmptyDataError: continue   # an empty table (e.g. no runtime record yet)
        for v in cells:
            if isinstance(v, str) and v.startswith('not run:') and 'planned' not in v:
                msg = v.removeprefix('not run:').strip()
                seen.setdefault(msg.split(' ', 1)[0], msg)
    return [seen[k] for k in sorted(seen)]

def _failed_rows(outputs:Path) -> list[str]:
    out = []
    for md in sorted(outputs.glob('*.md')):
        for line in md.read_text().splitlines():
            if 'failed:' in line: out.append(f"{md.stem}: {line.strip()[:300]}")
    return out

def _order(p:Path):
    "Tables in paper order (table1, table2, ..., table16), then figures, then galleries."
    n = re.findall(r'\d+', p.stem)
    kind = 0 if p.stem.startswith('table') else 1 if p.stem.startswith('fig') else 2
    return (kind, int(n[0]) if n else 99, p.stem)

def with_earlier_statuses(results, readme:Path) -> list:
    """`results` (notebook, seconds, error) plus, for each notebook not executed now (`--only`), its status in the README
    written before, in the order of NOTEBOOKS: the summary stays one of every notebook's latest run."""
    earlier = {}
    if readme.exists():
        for m in re.finditer(r'^\| \[(\w+)\]\([^)]*\) \| (.*) \|$', readme.read_text(), re.M):
            earlier[m[1]] = None if m[2] == 'ok' else m[2].removeprefix('FAILED: ')
    now = {r[0]: r for r in results}
    return [now.get(n) or (n, 0., earlier[n]) for n in NOTEBOOKS if n in now or n in earlier]

def write_readme(path:Path, profile, outputs:Path, executed:Path, results, data_root, total_s, store:Path):
    rel = lambda p: Path(os.path.relpath(Path(p).resolve(), path.parent.resolve())).as_posix()
    root_rel = os.path.relpath(absolute(data_root), HERE.parent) if data_root else None
    L = [f"# Paper tables and figures (profile `{profile}`)", "",
         f"Generated by `python paper_figures/make_paper.py --profile {profile}{f' --data-root {root_rel}' if data_root else ''}` "
         f"(`make paper PROFILE={profile}{f' DATA_ROOT={root_rel}' if data_root else ''}`); "
         f"each run reuses every record already in the store (times are printed, not written here, so an unchanged rerun changes no file). "
         f"Data root: `{root_rel}` (relative to the repository). Results store: `{rel(store)}` (rerunning skips finished records).", "",
         "Every number below was measured on this machine by this code (mean ± std over seeds; records computed by this or an "
         "earlier, interrupted invocation with the same profile); nothing is copied from the paper. "
         "Profiles other than `paper` use fewer seeds, samples, epochs, smaller hidden layers and fewer methods; "
         "the methods use their default hyper-parameters except those set in the profile (`method_hparams`); only where "
         "`tune_trials` > 0 (the `paper` profile: 100 trials, as in the paper) is each baseline of Tables 1/2 first tuned "
         "over Table 4 on a validation split (`recl.hpsearch`). Numbers of reduced profiles are not comparable to the paper's. "
         "The tables' seconds are each job's wall-clock time on one thread, on the machine as loaded when it ran (other jobs "
         "beside it; each record keeps the load average): compare them only within the runtime table (Table 16), whose jobs ran alone.", "",
         *([f"The paper's claims one by one, with the command, the numbers, the criterion and the verdict of each: "
            f"[{report_path(path).name}]({report_path(path).name}).", ""] if report_path(path).exists() else []),
         "## Profile parameters", "", "```json", json.dumps(PROFILES[profile], indent=1), "```", "", "## Notebooks", "",
         "| notebook | status |", "|---|---|"]
    for nb, s, err in results:
        L.append(f"| [{nb}]({rel(executed/(nb + '.ipynb'))}) | {'ok' if err is None else 'FAILED: ' + err.replace('|', '/')} |")
    missing = missing_datasets(outputs)
    L += ["", "## Missing datasets", ""] + ([f"- {m}" for m in missing] or ["none"])
    fails = _failed_rows(outputs)
    L += ["", "## Failed configurations", ""] + ([f"- {f}" for f in fails] or ["none"])
    L += ["", "## Tables", ""]
    for md in sorted(outputs.glob('*.md'), key=_order):
        L += [md.read_text().replace('### ', '### ', 1), f"CSV: [{md.stem}.csv]({rel(md.with_suffix('.csv'))})", ""]
    L += ["## Figures", ""]
    for png in sorted(outputs.glob('*.png'), key=_order):
        L += [f"### {png.stem}", "", f"![{png.stem}]({rel(png)}) ([PDF]({rel(png.with_suffix('.pdf'))}))", ""]
    path.write_text("\n".join(L) + "\n")

PLANNED = [n for n in NOTEBOOKS if n not in ('galleries', 'reproduction')]   # notebooks whose work is grids, searches and timings
PLAN_BEFORE_RUN = 'plan_before_run.json'

def keep_plans_before_run(out:Path, rows) -> list[str]:
    """Keep each notebook's plan from the first `--plan` that found none of its jobs in the store (its estimate before it ran)
    in `out/plan_before_run.json`; a later plan never replaces one. `rows`: (notebook, `recl.runner.plan` dict) pairs.
    Returns the notebooks added."""
    from recl.store import atomic_write_json
    path = out/PLAN_BEFORE_RUN
    kept = json.loads(path.read_text()) if path.exists() else {}
    new = {nb: {k: p[k] for k in ('jobs', 'trials', 'seconds', 'not_estimated')} for nb, p in rows
           if nb not in kept and p['in_store'] == 0 and p['seconds'] is not None}
    if new: atomic_write_json(path, {**kept, **new})
    return list(new)

def make_plan(profile:str, nbs, out:Path, data_root, device:str='auto') -> int:
    "Execute the grid notebooks in plan mode (nothing runs), then count their jobs and estimate the CPU time from probes."
    import tempfile
    from recl.cluster import PLAN_ENV
    from recl.runner import plan
    from recl.store import ResultsStore
    tmp = Path(tempfile.mkdtemp(prefix='recl-plan-'))
    store, rows, seen, studies, all_jobs, all_trials = ResultsStore(out), [], set(), set(), [], []
    print(f"planning profile {profile!r} (store {out}); probes are timed with one thread on this machine", flush=True)
    for nb in [n for n in nbs if n in PLANNED]:
        os.environ[PLAN_ENV] = str(tmp/f'{nb}.jsonl')
        _, secs, err = execute(nb, params_for(profile, nb, out, tmp/'outputs', data_root), tmp)
        del os.environ[PLAN_ENV]
        if err: print(f"  {nb}: planning failed: {err}", file=sys.stderr); continue
        entries = [json.loads(l) for l in (tmp/f'{nb}.jsonl').read_text().splitlines()] if (tmp/f'{nb}.jsonl').exists() else []
        # a job is a (store, configuration, seed): the timing run repeats runs of the other tables into a store of its own
        jobs = {(e.get('store'), json.dumps(c, sort_keys=True), s): (c, s, d) for e in entries if e['kind'] == 'runs' for c, s, d in e['jobs']}
        trials = {e['study']: (e['config'], e['n_trials'] - e['finished']) for e in entries if e['kind'] == 'trials'}
        p = plan([j[:2] for j in jobs.values()], store, probe=True, device=device, trials=list(trials.values()), progress=True,
                 done=[j[2] for j in jobs.values()])
        rows.append((nb, p))
        new_jobs = [j for k, j in jobs.items() if k not in seen]; seen |= set(jobs)
        all_jobs += new_jobs; all_trials += [t for k, t in trials.items() if k not in studies]; studies |= set(trials)
        print(f"  {nb}: planned in {secs:.0f}s", flush=True)
    total = plan([j[:2] for j in all_jobs], store, probe=True, device=device, trials=all_trials, done=[j[2] for j in all_jobs])
    cpu = lambda sec: f"{sec/3600:.2f} h" if sec >= 3600 else f"{sec/60:.1f} min"
    head = f"{'notebook':<16}{'jobs':>7}{'in store':>10}{'to run':>8}{'trials':>8}{'est. CPU':>12}{'not estimated':>15}"
    print('\n' + head); print('-' * len(head))
    fmt = lambda n, p: f"{n:<16}{p['jobs']:>7}{p['in_store']:>10}{p['to_run']:>8}{p['trials']:>8}{cpu(p['seconds']):>12}{p['not_estimated']:>15}"
    for nb, p in rows: print(fmt(nb, p))
    print('-' * len(head)); print(fmt('all (unique)', total))
    table = '\n'.join([head, '-' * len(head), *[fmt(nb, p) for nb, p in rows], '-' * len(head), fmt('all (unique)', total)])
    saved = out/'plan.txt'
    if not saved.exists(): saved.write_text(table + '\n'); print(f"\nplan saved to {relative(saved)} (the first plan of this store; a later --plan does not replace it)")
    # the latest plan beside it (replaced by every --plan): what is left, counted against the store as it is now
    (out/'plan_latest.txt').write_text(f"planned: {' '.join(r[0] for r in rows)}\n" + table + '\n')
    kept = keep_plans_before_run(out, rows)
    if kept: print(f"plan before the run kept for {', '.join(kept)} in {relative(out/PLAN_BEFORE_RUN)}")
    unplanned = [n for n in nbs if n not in PLANNED]
    print(f"\njobs = (configuration, seed) runs; trials = hyper-parameter search trials still to run (not in the store). "
          f"CPU time: one thread per job on this machine, from {total['probes']} timed probes scaled linearly in epochs and trials "
          f"(a rough estimate); with N worker processes the wall time is about CPU time / N. 'not estimated': jobs whose data is "
          f"missing here." + (f" Not planned: {', '.join(unplanned)} (computed directly in the notebook)." if unplanned else ''))
    return 0

STORE_ONLY_ENV = 'RECL_STORE_ONLY'   # common.store_only(): the notebooks read the store and run nothing

def check_data_root(data_root):
    "Load each IDX dataset that `data_root` holds, so damaged files stop the run before anything is written (`ReclError`)."
    if not data_root: return
    from recl.data import load_mnist, load_fashion_mnist
    for sub, load in (('MNIST', load_mnist), ('FashionMNIST', load_fashion_mnist)):
        if (Path(data_root)/sub).exists(): load(data_root)

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--profile', default='quick', choices=list(PROFILES))
    ap.add_argument('--data-root', default=None)
    ap.add_argument('--out', default=None, help="results store shared by the notebooks (default: the profile's, see PATHS)")
    ap.add_argument('--outputs', default=None, help="folder of tables and figures (default: the profile's)")
    ap.add_argument('--executed', default=None, help="folder of executed notebooks (default: the profile's; with --outputs, _executed next to it)")
    ap.add_argument('--readme', default=None, help="README to write (default: the profile's; with --outputs, README.md next to it)")
    ap.add_argument('--only', nargs='*', default=None, help='run only these notebooks')
    ap.add_argument('--jobs', type=int, default=1, help='notebooks executed at once (runtime always runs last)')
    ap.add_argument('--readme-only', action='store_true', help='only rewrite the README from the outputs already there')
    ap.add_argument('--workers', type=int, default=None, help='run the jobs on N local worker processes (one thread each)')
    ap.add_argument('--scheduler', default=None, help='run the jobs on a running Dask cluster at tcp://HOST:PORT')
    ap.add_argument('--plan', action='store_true', help='run nothing: print jobs per notebook, how many are in the store, estimated CPU time')
    ap.add_argument('--from-store', action='store_true', help='train and tune nothing: tables and figures from the records already in the store')
    a = ap.parse_args(argv)
    paths = PATHS[a.profile]
    out = Path(a.out or HERE/paths['out']).resolve()
    outputs = Path(a.outputs or HERE/paths['outputs']).resolve()
    executed = Path(a.executed).resolve() if a.executed else outputs.parent/'_executed' if a.outputs else HERE/paths['executed']
    readme = Path(a.readme).resolve() if a.readme else outputs.parent/'README.md' if a.outputs else HERE/paths['readme']
    data_root = absolute(a.data_root) if a.data_root else None
    from recl.core import ReclError
    try: check_data_root(data_root)   # damaged data stops here, before any folder or file is made
    except ReclError as e: print(f"make_paper.py: error: {e}", file=sys.stderr); return 2
    for d in (out, outputs, executed): d.mkdir(parents=True, exist_ok=True)
    os.chdir(HERE)   # the kernels start here: the relative paths passed to the notebooks (`relative`) are relative to it
    nbs = [n for n in NOTEBOOKS if a.only is None or n in a.only]
    unknown = [n for n in (a.only or []) if n not in NOTEBOOKS]
    if unknown: ap.error(f"unknown notebook(s) {unknown}; choose from {NOTEBOOKS}")
    # the kernels find common.py through PYTHONPATH (papermill's cwd= is a process-wide chdir, unsafe with --jobs > 1)
    os.environ['PYTHONPATH'] = os.pathsep.join([str(HERE)] + [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p])
    if a.jobs > 1:   # several kernels at once: one thread each, or they oversubscribe the cores
        for k in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ.setdefault(k, '1')
    if a.from_store: os.environ[STORE_ONLY_ENV] = '1'
    if a.plan:
        try: return make_plan(a.profile, nbs, out, data_root)
        except ReclError as e: print(f"make_paper.py: error: {e}", file=sys.stderr); return 2
    from recl.cluster import open_executor, SCHEDULER_ENV
    try: executor = open_executor(scheduler=a.scheduler, workers=a.workers)   # the kernels reach it through RECL_SCHEDULER
    except ReclError as e: print(f"make_paper.py: error: {e}", file=sys.stderr); return 2
    if executor.client is not None: os.environ[SCHEDULER_ENV] = executor.client.scheduler.address
    try: return _make(a, nbs, out, outputs, executed, readme, data_root)
    finally: executor.close()

def _make(a, nbs, out, outputs, executed, readme, data_root) -> int:
    t0 = time.time()
    if a.readme_only:
        results = [(n, 0., None if (executed/f'{n}.ipynb').exists() else 'not executed yet') for n in nbs]
        write_readme(readme, a.profile, outputs, executed, results, data_root, 0., out); return 0
    first = [n for n in nbs if n not in LAST]
    def go(nb):
        r = execute(nb, params_for(a.profile, nb, out, outputs, data_root, readme), executed)
        print(f"[{time.time()-t0:6.0f}s] {nb}: {'ok' if r[2] is None else 'FAILED ' + r[2]} ({r[1]:.0f}s)", flush=True)
        return r
    with ThreadPoolExecutor(max(1, a.jobs)) as ex: results = list(ex.map(go, first))
    results += [go(n) for n in LAST if n in nbs]
    total = time.time() - t0
    write_readme(readme, a.profile, outputs, executed, with_earlier_statuses(results, readme), data_root, total, out)
    bad = [r for r in results if r[2]]; fails = _failed_rows(outputs)
    print(f"{len(results) - len(bad)}/{len(results)} notebooks ok in {total:.0f}s; {len(fails)} failed configurations; README: {readme}")
    for nb, _, err in bad: print(f"  FAILED {nb}: {err}", file=sys.stderr)
    for f in fails: print(f"  failed configuration {f}", file=sys.stderr)
    return 1 if bad or fails else 0

if __name__ == '__main__':
    sys.exit(main())
