"The package builds as a wheel holding every exported module, and the notebooks' modules import."
import importlib, subprocess, sys, zipfile
from conftest import ROOT

def test_wheel_contains_modules(tmp_path):
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w', tmp_path, ROOT], check=True, capture_output=True)
    whl = next(tmp_path.glob('recl-*.whl'))
    names = zipfile.ZipFile(whl).namelist()
    for mod in (ROOT/'recl').rglob('*.py'):
        assert str(mod.relative_to(ROOT)) in names, mod

def test_every_module_imports():
    for mod in sorted((ROOT/'recl').rglob('*.py')):
        name = '.'.join(mod.relative_to(ROOT).with_suffix('').parts).replace('.__init__', '')
        importlib.import_module(name)
