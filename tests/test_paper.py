"""The paper driver end to end (smoke profile): every notebook runs with papermill into a temporary folder, tables
and figures come out, and a second run reuses the results store (no new training)."""
import json, re, subprocess, sys
import numpy as np
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DRIVER = ROOT/'paper_figures'/'make_paper.py'

def _drive(tmp, *extra):
    cmd = [sys.executable, str(DRIVER), '--profile', 'smoke', '--out', str(tmp/'store'), '--outputs', str(tmp/'outputs'), '--jobs', '4', *extra]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=900)  # a hang guard, not a speed test

def _records(tmp):
    return {p: p.stat().st_mtime_ns for p in (tmp/'store'/'records').glob('*/seed*.json')}

def test_make_paper_smoke(tmp_path):
    r = _drive(tmp_path)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert 'without encryption' not in r.stderr, r.stderr[-2000:]   # the kernels run on Unix sockets (IPC), so ipykernel does not warn
    out = tmp_path/'outputs'
    for name in ('table1_cil_mnist5k_mlp', 'table2_dil_mnist5k_mlp', 'table5_sensitivity_m_cil', 'table9_recon_epochs_cil',
                 'fig8_online', 'table3_15_nonhomogeneous', 'table7_tinyimagenet_cil', 'galleries', 'table16_runtime'):
        assert (out/f'{name}.csv').exists() and (out/f'{name}.md').exists(), name
    for name in ('fig_table1_cil_mnist5k_mlp', 'fig4_sensitivity_m_cil', 'fig8_online', 'gallery_mnist5k_mlp'):
        assert (out/f'{name}.png').stat().st_size > 0 and (out/f'{name}.pdf').stat().st_size > 0, name
    t1 = (out/'table1_cil_mnist5k_mlp.md').read_text()
    for row in ('finetune', 'finetune+recl', 'er+recl', 'finetune+recl(noise)'): assert re.search(rf'\| {re.escape(row)} +\|', t1), row
    assert '(1 seed)' in t1 and '±' not in t1   # the smoke profile runs one seed: the mean, no spread
    # no CIFAR-10 / TinyImageNet without a data root: a table says so, and the run goes on
    assert 'not run:' in (out/'table1_cil_cifar10_cnn.md').read_text()
    assert 'not run:' in (out/'table7_tinyimagenet_cil.md').read_text()
    assert 'not run:' in (out/'table11_full_mnist_cil.md').read_text() and 'not run:' in (out/'table14_full_tinyimagenet_dil.md').read_text()
    # the reproduction report: every claim with a verdict, computed from the saved tables
    rep = (tmp_path/'REPRODUCTION.md').read_text()
    claims = re.findall(r'^### (C\d+): .*\n(?:.*\n)*?- \*\*Verdict: ([^*]+)\*\*', rep, re.M)
    assert [c for c, _ in claims] == [f'C{i}' for i in range(1, 15)], claims
    assert all(v.startswith(('holds', 'partly', 'does not hold', 'not run', 'not decided')) for _, v in claims), claims
    assert '## Controls per method' in rep and 'er+recl vs er+recl(class_mean)' in rep
    tuned_part = rep.split('## Tuned hyper-parameters')[1].split('## Compute')[0]
    assert all(re.search(rf'\| mnist5k +\| {sc} +\| {m} +\|', tuned_part) for sc in ('cil', 'dil') for m in ('er', 'finetune')), tuned_part
    readme = (tmp_path/'README.md').read_text()
    assert '[REPRODUCTION.md](REPRODUCTION.md)' in readme
    assert 'profile `smoke`' in readme and 'Table 1 (CIL): Split mnist5k' in readme and 'Missing datasets' in readme
    assert all((tmp_path/'_executed'/f'{n}.ipynb').exists() for n in ('table1_2_main', 'galleries', 'runtime'))
    # Table 16 comes from a timing run of its own: in the runtime kernel, one thread, its records apart, each with its load
    timing = [json.loads(p.read_text()) for p in (tmp_path/'store'/'timing'/'records').glob('*/seed*.json')]
    assert sorted(r['name'] for r in timing) == ['finetune', 'finetune+recl', 'finetune+recl(unsupervised)']
    assert all(r['provenance']['threads'] == 1 and len(r['provenance']['load']) == 3 for r in timing)
    assert 'x without ReCL' in (out/'table16_runtime.md').read_text()
    # the executed notebooks keep their figures, and nothing written names this machine's paths
    gal = json.loads((tmp_path/'_executed'/'galleries.ipynb').read_text())
    assert any('image/png' in o.get('data', {}) for c in gal['cells'] for o in c.get('outputs', [])), 'the gallery is not shown inline'
    absolute = re.compile('|'.join(f'(?<!\\.\\.){re.escape(str(p))}' for p in (ROOT, tmp_path)))   # a path reached through '..' is relative
    for f in [*(tmp_path/'_executed').glob('*.ipynb'), *out.glob('*.md'), *out.glob('*.csv'), tmp_path/'README.md']:
        assert not absolute.search(f.read_text()), f"{f.name} contains an absolute path: {absolute.search(f.read_text())}"
    pdfs = {p: p.read_bytes() for p in out.glob('*.pdf')}
    assert pdfs and not any(b'/CreationDate' in b for b in pdfs.values())
    before = _records(tmp_path)
    assert len(before) >= 15
    # the gallery's reconstructions are kept in the store, with where they came from
    kept = {p: p.stat().st_mtime_ns for p in (tmp_path/'store'/'galleries').iterdir()}
    assert sorted(p.suffix for p in kept) == ['.json', '.npy'], kept
    assert json.loads(next(p for p in kept if p.suffix == '.json').read_text())['provenance']['device'] == 'cpu'
    gallery_png = (out/'gallery_mnist5k_mlp.png').read_bytes()
    # second run (the notebooks that train most, and the gallery): every record is reused, nothing is trained or rewritten
    r = _drive(tmp_path, '--only', 'table1_2_main', 'sensitivity_m', 'online', 'galleries')
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert _records(tmp_path) == before
    assert {p: p.stat().st_mtime_ns for p in (tmp_path/'store'/'galleries').iterdir()} == kept
    assert (out/'gallery_mnist5k_mlp.png').read_bytes() == gallery_png
    assert {p: p.read_bytes() for p in out.glob('*.pdf')} == pdfs   # same numbers, same files (no creation date)
    assert (tmp_path/'README.md').read_text() == readme   # the notebooks left out keep their rows: an unchanged rerun changes no file
    # tables from the store alone: the same tables, nothing trained, tuned or written to the store
    r = _drive(tmp_path, '--only', 'table1_2_main', 'galleries', '--from-store', '--outputs', str(tmp_path/'again'/'outputs'))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert _records(tmp_path) == before
    # the same tables, a missing dataset's (never tuned, never run) included
    for name in ('table1_cil_mnist5k_mlp', 'table2_dil_mnist5k_mlp', 'table1_cil_cifar10_cnn', 'galleries'):
        assert (tmp_path/'again'/'outputs'/f'{name}.csv').read_text() == (out/f'{name}.csv').read_text(), name

def test_make_paper_tunes_once_with_its_own_seed_and_runs_controls(tmp_path):
    "The smoke profile tunes each baseline (2 trials, seed 100, apart from the evaluation seed 0) and runs both controls for every method."
    import sqlite3
    r = _drive(tmp_path, '--only', 'table1_2_main')
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    tuned = [json.loads(p.read_text()) for p in (tmp_path/'store'/'tuned').glob('*.json')]
    assert sorted((t['method'], t['config']['scenario']) for t in tuned) == [('er', 'cil'), ('er', 'dil'), ('finetune', 'cil'), ('finetune', 'dil')]
    assert {t['seed'] for t in tuned} == {100} and {t['n_trials'] for t in tuned} == {2}
    with sqlite3.connect(tmp_path/'store'/'optuna.sqlite3') as c:
        assert c.execute("select count(*) from trials where state = 'COMPLETE'").fetchone()[0] == 8
    t1 = (tmp_path/'outputs'/'table1_cil_mnist5k_mlp.md').read_text()
    for row in ('finetune+recl(noise)', 'finetune+recl(class_mean)', 'er+recl(noise)', 'er+recl(class_mean)'):
        assert re.search(rf'\| {re.escape(row)} +\|', t1), row
    # each record carries its baseline's tuned learning rate, ReCL's and the controls' included
    best = {(t['method'], t['config']['scenario']): t['best_params']['lr'] for t in tuned}
    for p in (tmp_path/'store'/'records').glob('*/seed0.json'):
        c = json.loads(p.read_text())['config']
        if c['dataset'] == 'mnist5k': assert c['lr'] == best[(c['method'], c['scenario'])], c

def test_make_paper_refuses_a_damaged_mnist(tmp_path):
    "A data root whose MNIST files are truncated or of the wrong kind: one line, exit 2, nothing in the store."
    from recl.data import write_idx
    raw = tmp_path/'data'/'MNIST'/'raw'; raw.mkdir(parents=True)
    write_idx(raw/'train-images-idx3-ubyte', np.zeros((20, 28, 28), np.uint8)); write_idx(raw/'train-labels-idx1-ubyte', np.arange(20) % 10)
    write_idx(raw/'t10k-images-idx3-ubyte', np.zeros((10, 28, 28), np.uint8)); write_idx(raw/'t10k-labels-idx1-ubyte', np.arange(10) % 10)
    for damage, expected in ((lambda: (raw/'train-images-idx3-ubyte').write_bytes((raw/'train-images-idx3-ubyte').read_bytes()[:500]), 'is truncated'),
                             (lambda: (raw/'train-images-idx3-ubyte').write_bytes((raw/'t10k-labels-idx1-ubyte').read_bytes()), 'does not hold 28x28 images')):
        damage()
        r = _drive(tmp_path, '--only', 'table1_2_main', '--data-root', str(tmp_path/'data'))
        assert r.returncode == 2, r.stdout[-2000:] + r.stderr[-2000:]
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0] and 'Traceback' not in r.stderr, r.stderr
        assert not (tmp_path/'store').exists() and not (tmp_path/'outputs').exists()   # nothing made, not even a folder

def test_paper_profile_runs_every_experiment_on_the_tuned_baselines():
    "Each paper notebook that can reuse the baselines' searches is given the same number of trials and search seed as Tables 1/2."
    sys.path.insert(0, str(DRIVER.parent))
    from make_paper import PROFILES
    paper = PROFILES['paper']
    want = {k: paper['table1_2_main'][k] for k in ('tune_trials', 'tune_seed')}
    assert want['tune_trials'] == 100 and want['tune_seed'] not in paper['common']['seeds']
    tunable = [p.stem for p in DRIVER.parent.glob('*.ipynb') if re.search(r'^tune_trials = ', _parameters(p), re.M)]
    assert {'table1_2_main', 'sensitivity_m', 'recon_epochs', 'online', 'runtime', 'full_datasets', 'tinyimagenet', 'nonhomogeneous'} <= set(tunable), tunable
    for nb in tunable: assert {k: paper.get(nb, {}).get(k) for k in want} == want, nb

def _parameters(path) -> str:
    "The source of a notebook's cell tagged 'parameters'."
    nb = json.loads(Path(path).read_text())
    return next(''.join(c['source']) for c in nb['cells'] if 'parameters' in c.get('metadata', {}).get('tags', []))

def test_every_profile_parameter_is_a_parameter_of_its_notebook():
    "papermill sees every value a profile passes (an assignment it cannot parse, e.g. `a, b = 1, 2`, would be 'unknown')."
    import papermill as pm
    sys.path.insert(0, str(DRIVER.parent))
    from make_paper import PROFILES, NOTEBOOKS, params_for
    for nb in NOTEBOOKS:
        known = set(pm.inspect_notebook(str(DRIVER.parent/f'{nb}.ipynb')))
        for profile in PROFILES:
            passed = set(params_for(profile, nb, DRIVER.parent/'_store', DRIVER.parent/'outputs', None, DRIVER.parent/'README.md'))
            assert passed <= known, (nb, profile, sorted(passed - known))

def test_plan_before_run_is_kept_once_per_notebook(tmp_path):
    "A notebook's estimate before its run is the first plan that found none of its jobs in the store; later plans never replace it."
    sys.path.insert(0, str(DRIVER.parent))
    from make_paper import keep_plans_before_run, PLAN_BEFORE_RUN
    p = lambda jobs, in_store, secs: dict(jobs=jobs, in_store=in_store, to_run=jobs - in_store, trials=0, seconds=secs, not_estimated=0)
    assert keep_plans_before_run(tmp_path, [('a', p(10, 0, 60.)), ('b', p(10, 3, 50.))]) == ['a']   # b had already started
    assert keep_plans_before_run(tmp_path, [('a', p(10, 0, 99.)), ('b', p(4, 0, 20.))]) == ['b']
    kept = json.loads((tmp_path/PLAN_BEFORE_RUN).read_text())
    assert kept == {'a': dict(jobs=10, trials=0, seconds=60., not_estimated=0), 'b': dict(jobs=4, trials=0, seconds=20., not_estimated=0)}

def test_markdown_tables_leave_missing_values_empty():
    sys.path.insert(0, str(DRIVER.parent))
    import common
    import pandas as pd
    md = common.to_markdown(pd.DataFrame(dict(name=['finetune', 'ewc'], ACC=['20.55 ± 1.28', 'not run yet'], seconds=[209.42, float('nan')])))
    assert 'nan' not in md and '209.42' in md, md
    assert md.splitlines()[-1].replace(' ', '') == '|ewc|notrunyet||', md

def test_a_linked_data_root_stays_where_it_is_linked(tmp_path):
    "A data root that is a symbolic link is passed to the notebooks as linked, not as the folder it points to."
    sys.path.insert(0, str(DRIVER.parent))
    from make_paper import relative
    (tmp_path/'elsewhere'/'data').mkdir(parents=True)
    (tmp_path/'data').symlink_to(tmp_path/'elsewhere'/'data')
    rel = Path(relative(tmp_path/'data'))
    assert rel.name == 'data' and rel.parent.name == tmp_path.name, rel
    assert (DRIVER.parent/rel).samefile(tmp_path/'elsewhere'/'data')

def test_kernels_use_private_unix_sockets(tmp_path, monkeypatch):
    """The driver's kernels (and run_notebooks') listen on Unix sockets of their own in Jupyter's runtime folder, never on
    TCP ports another process can take between the pick and the bind: two kernels started at once from one working folder
    both run, each on its own socket path, nothing lands in the working folder, and the sockets are gone afterwards."""
    import nbformat, papermill as pm
    from concurrent.futures import ThreadPoolExecutor
    from jupyter_core.paths import jupyter_runtime_dir
    sys.path.insert(0, str(DRIVER.parent))
    from make_paper import IpcKernelManager
    monkeypatch.chdir(tmp_path)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import json; from ipykernel.connect import get_connection_info; print(get_connection_info())")])
    nbformat.write(nb, tmp_path/'in.ipynb')
    def run(i):
        out = pm.execute_notebook(str(tmp_path/'in.ipynb'), str(tmp_path/f'out{i}.ipynb'), kernel_name='python3', progress_bar=False,
                                  kernel_manager_class=IpcKernelManager)
        return json.loads(out.cells[0].outputs[0]['text'])
    with ThreadPoolExecutor(2) as ex: infos = list(ex.map(run, range(2)))
    assert all(i['transport'] == 'ipc' for i in infos), infos
    prefixes = [Path(i['ip']) for i in infos]
    assert prefixes[0] != prefixes[1] and all(p.parent == Path(jupyter_runtime_dir()) for p in prefixes), prefixes
    assert sorted(p.name for p in tmp_path.iterdir()) == ['in.ipynb', 'out0.ipynb', 'out1.ipynb']
    assert not [f for p in prefixes for f in p.parent.glob(p.name + '-*')], 'socket files left behind'
