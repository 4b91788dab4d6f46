"""Every figure function of the package draws figures whose texts a reader can read: no two text boxes intersect, every
text lies inside the figure and no legend covers a plotting area (`recl.plots.assert_text_apart`, matplotlib's own
extents). Each function is drawn with hard inputs: many panels or methods, long names, one seed (no spread)."""
import ast, sys
from pathlib import Path
import matplotlib
matplotlib.use('Agg')   # a test process without a display; library code never picks a backend
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import torch
from recl.plots import assert_text_apart, plot_accuracy_grid, plot_accuracy_over_time, plot_methods, text_overlaps
from recl.similarity import save_grid, similarity

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'paper_figures'))
import common   # noqa: E402  the paper notebooks' helpers

def _R(T, seed=0):
    "An accuracy matrix (percent) of T tasks with forgetting."
    g = np.random.default_rng(seed)
    R = np.full((T, T), np.nan)
    for i in range(T): R[i, :i+1] = np.clip(98 - 15 * (i - np.arange(i+1)) + g.normal(0, 3, i+1), 0, 100)
    return R

METHODS = ['finetune', 'finetune+recl', 'finetune+recl(noise)', 'ewc+recl(head_only)', 'er', 'agem+recl', 'lwf', 'gpm+recl(class_mean_noise)']

def _summary(labels, seeds):
    "A `common.summary`-like frame: one row per label, ACC/BWT over `seeds` seeds."
    rows = [dict(label, ACC=60 + 3*i + s, BWT=-30 + 2*i - s) for i, label in enumerate(labels) for s in range(seeds)]
    from recl.metrics import summarize_frame
    keys = list(labels[0])
    return summarize_frame(pd.DataFrame(rows), keys).reset_index()

def demo_figure():
    "The demo's accuracy-over-time grid (`recl demo`): CIL and DIL x Finetune, +ReCL, +ReCL(noise), 5 tasks each."
    return plot_accuracy_grid([(f"{sc} {m}: ACC 69.8, BWT -34.0", _R(5, k)) for k, (sc, m) in
                               enumerate((sc, m) for sc in ('CIL', 'DIL') for m in METHODS[:3])], ncols=3)

def _images(n, seed=0): return torch.rand(n, 1, 28, 28, generator=torch.Generator().manual_seed(seed)) - 0.5

FIGURES = {
    'plot_accuracy_over_time (2 tasks)': lambda: plot_accuracy_over_time(_R(2)),
    'plot_accuracy_over_time (10 tasks, named)': lambda: plot_accuracy_over_time(_R(10), names=[f"digits {2*j}/{2*j+1}" for j in range(10)]),
    'plot_accuracy_grid: the demo figure': demo_figure,
    'plot_accuracy_grid (5 panels in 2 rows)': lambda: plot_accuracy_grid([(f"{m}: ACC 50.0, BWT -40.0", _R(5, k)) for k, m in enumerate(METHODS[3:8])], ncols=3),
    'plot_methods (2 methods, 3 seeds)': lambda: plot_methods(_summary([dict(method=m) for m in METHODS[:2]], 3).set_index('method'), 'Split MNIST CIL'),
    'plot_methods (16 rows, one seed)': lambda: plot_methods(_summary([dict(scenario=s, method=m) for s in ('cil', 'dil') for m in METHODS], 1).set_index(['scenario', 'method']),
                                                             'every method in both scenarios, one seed each'),
    'save_grid (3 columns)': lambda: save_grid(_images(6), _images(6, 1), similarity(_images(6), _images(6, 1)), None, cols=3),
    'save_grid (demo title, 20 pairs)': lambda: save_grid(_images(40), _images(8, 1), similarity(_images(40), _images(8, 1)), None, n=20,
                                                          title="real | nearest reconstruction (task 1); mean SSIM 0.123, frac>=0.4 0.45; un-optimised control 0.012, 0.00"),
    'common.bar_figure (paper table figure)': lambda: common.bar_figure(_summary([dict(method=m, recl=r) for m in METHODS[:4] for r in ('none', 'naive')], 3),
                                                                        'fig_table', 'Table 1 (CIL): Split MNIST, MLP', ['method', 'recl']),
    'common.line_figure (sensitivity, one seed)': lambda: common.line_figure(_summary([dict(method=m, m_per_class=k) for m in METHODS[:4] for k in (1, 5, 20, 100)], 1),
                                                                             'm_per_class', 'method', 'fig_m', 'Sensitivity to m (CIL)', 'candidates per class'),
}

@pytest.fixture(autouse=True)
def _outputs(tmp_path, monkeypatch):
    monkeypatch.setattr(common, 'OUTPUTS', tmp_path)   # where common.save writes
    yield
    plt.close('all')

@pytest.mark.parametrize('name', list(FIGURES))
def test_text_apart(name):
    fig = FIGURES[name]()
    assert_text_apart(fig)

def test_old_demo_layout_fails():
    "The check can fail: the demo's grid as it was laid out (no layout engine, a legend in each axes) has overlapping text."
    fig, axes = plt.subplots(2, 3, figsize=(15, 7), squeeze=False)
    for k, ax in enumerate(axes.flat): plot_accuracy_over_time(_R(5, k), f"{'CD'[k // 3]}IL {METHODS[k % 3]}: ACC 69.8, BWT -34.0", ax=ax)
    for ax in axes.flat: ax.legend(fontsize=7, ncol=2)   # the old placement: inside the axes, over the curves
    problems = text_overlaps(fig)
    assert [p for p in problems if "x label 'after training task' overlaps" in p and 'title' in p], problems
    assert sum('covers the plotting area' in p for p in problems) == 6, problems

def _figure_functions():
    "Functions in recl/ and paper_figures/common.py that make a matplotlib figure (they call plt.subplots or plt.figure)."
    found = set()
    for f in [*(ROOT/'recl').rglob('*.py'), ROOT/'paper_figures'/'common.py']:
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.FunctionDef) and any(isinstance(c, ast.Attribute) and c.attr in ('subplots', 'figure') and
                                                         isinstance(c.value, ast.Name) and c.value.id == 'plt' for c in ast.walk(node)):
                found.add(f"{'common' if f.name == 'common.py' else f.stem}.{node.name}")
    return found

def test_every_figure_function_is_checked():
    covered = {'plots.plot_accuracy_over_time', 'plots.plot_accuracy_grid', 'plots.plot_methods', 'similarity.save_grid',
               'common.line_figure'}   # common.bar_figure draws through plots.plot_methods; the demo through plot_accuracy_grid
    missing = _figure_functions() - covered
    assert not missing, f"figure functions without a case in FIGURES: {sorted(missing)}"
    assert len(FIGURES) >= len(covered) + 1
