"""The paper driver end to end (smoke profile): every notebook runs with papermill into a temporary folder, tables
and figures come out, and a second run reuses the results store (no new training)."""
import json, re, subprocess, sys
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
    readme = (tmp_path/'README.md').read_text()
    assert 'profile `smoke`' in readme and 'Table 1 (CIL): Split mnist5k' in readme and 'Missing datasets' in readme
    assert all((tmp_path/'_executed'/f'{n}.ipynb').exists() for n in ('table1_2_main', 'galleries', 'runtime'))
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
    # second run (the notebooks that train most): every record is reused, nothing is trained or rewritten
    r = _drive(tmp_path, '--only', 'table1_2_main', 'sensitivity_m', 'online')
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert _records(tmp_path) == before
    assert {p: p.read_bytes() for p in out.glob('*.pdf')} == pdfs   # same numbers, same files (no creation date)
