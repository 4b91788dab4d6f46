"Defaults named in prose and help texts equal the defaults in the code (where a number is named as a default)."
import json, re
from conftest import ROOT
from recl.cli import make_parser
from recl.experiment import RunConfig
from recl.reconstruct import RECON_DEFAULTS
from recl.recl_plugin import ReCL

def markdown(nb:str) -> str:
    cells = json.loads((ROOT/'nbs'/nb).read_text())['cells']
    return '\n'.join(''.join(c['source']) for c in cells if c['cell_type'] == 'markdown')

def test_reconstruct_table_of_defaults():
    "The table of `reconstruct`'s arguments in nbs/12 lists RECON_DEFAULTS, value for value."
    rows = dict(re.findall(r'^\| `(\w+)` \| ([^|]+?) \|', markdown('12_reconstruct.ipynb'), re.M))
    assert set(rows) == set(RECON_DEFAULTS), rows
    for k, v in rows.items(): assert float(v) == RECON_DEFAULTS[k], (k, v, RECON_DEFAULTS[k])

def test_no_stale_default_epochs_in_prose():
    "'the default N epochs' anywhere in the notebooks names the reconstruction's or the training's default."
    ok = {RECON_DEFAULTS['epochs'], RunConfig.epochs}
    for nb in sorted((ROOT/'nbs').glob('*.ipynb')):
        for n in re.findall(r'default (\d+) epochs', markdown(nb.name)): assert int(n) in ok, (nb.name, n)

def test_cli_help_defaults():
    "Every '(default X)' in `recl run --help` for a configuration field equals RunConfig's default."
    sub = next(a for a in make_parser()._actions if a.dest == 'command').choices['run']
    fields = RunConfig.__dataclass_fields__
    checked = 0
    for a in sub._actions:
        m = re.search(r'\(default ([\w.]+)', a.help or '')
        if not m or a.dest not in fields: continue
        want = fields[a.dest].default
        assert str(want) == m.group(1) or (isinstance(want, float) and float(m.group(1)) == want), (a.dest, m.group(1), want)
        checked += 1
    assert checked >= 5, checked

def test_study_prose_names_the_defaults():
    "nbs/31's description of the study names RunConfig's and ReCL's defaults."
    text = ' '.join(markdown('31_what_recl_carries.ipynb').split())
    c, r = RunConfig(), ReCL()
    for phrase in (f"{c.n_per_class} training images per class", f"SGD lr {c.lr:g}", f"{c.epochs} epochs", f"batch {c.batch_size}",
                   f"{r.m_per_class} candidates per class", f"{r.epochs} epochs, lr_x {r.hp['lr_x']:g}"):
        assert phrase in text, phrase
