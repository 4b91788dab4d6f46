"Avalanche is an optional extra: recl works without it, the plugin says which extra to install, and `dev` (what `make test` installs) includes it."
import subprocess, sys, tomllib
from conftest import ROOT

def _python(code):
    return subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=ROOT, timeout=300)

def test_plugin_without_avalanche_names_the_extra():
    # `None` in sys.modules makes `import avalanche` fail as if it were not installed
    r = _python("import sys; sys.modules['avalanche'] = None\nimport recl.avalanche_plugin")
    assert r.returncode != 0
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith('ModuleNotFoundError') and "pip install 'recl[avalanche]'" in last, r.stderr[-2000:]

def test_recl_runs_without_avalanche(tmp_path):
    r = _python("import sys; sys.modules['avalanche'] = None\nfrom recl.cli import main\n"
                f"raise SystemExit(main(['run', '--n-per-class', '5', '--epochs', '1', '--set', 'model.hidden=[10]', '--json', '--out', {str(tmp_path)!r}]))")
    assert r.returncode == 0, r.stderr[-2000:]

def test_dev_extra_installs_avalanche():
    extras = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']['optional-dependencies']
    assert any(d.startswith('avalanche-lib') for d in extras['avalanche'])
    assert any(d.startswith('recl[') and 'avalanche' in d for d in extras['dev'])
    r = _python("import avalanche; print(avalanche.__version__)")   # installed by `make test` (the dev extra)
    assert r.returncode == 0 and r.stdout.startswith('0.6'), r.stderr[-2000:]
