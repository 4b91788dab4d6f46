#!/usr/bin/env python
"""Every check of `make test`, in order, ending with one line `N passed, N failed`.

1. nbdev-clean and nbdev-export must not change any file (notebooks are clean, recl/ is what they export);
2. ruff: no lint errors in recl/, tests/, scripts/, benchmarks/, studies/, paper_figures/ (settings in pyproject.toml);
   import-linter: the layers contract of pyproject.toml holds (imports inside functions included), and no import cycle;
3. nbdev-test: every notebook in nbs/ (cells flagged notest/slow/gpu are skipped);
4. pytest tests/ (CLI, installs, papermill runs; `slow` tests are skipped), on PYTEST_WORKERS processes (default 2).
"""
import hashlib, os, re, subprocess, sys, time, xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
passed, failed, failures = 0, 0, []

def sh(*cmd, **kw): return subprocess.run(list(map(str, cmd)), cwd=ROOT, text=True, capture_output=True, **kw)

def snapshot():
    "Hash of every file git sees (tracked and untracked-not-ignored), with its content."
    files = sh('git', 'ls-files', '--cached', '--others', '--exclude-standard').stdout.split()
    h = {}
    for f in files:
        p = ROOT/f
        h[f] = hashlib.sha1(p.read_bytes()).hexdigest() if p.is_file() else None
    return h

def record(ok, name, detail=''):
    global passed, failed
    if ok: passed += 1
    else: failed += 1; failures.append(f"{name}: {detail}".strip())
    print(f"{'PASS' if ok else 'FAIL'} {name}" + (f"  ({detail})" if detail and not ok else ''), flush=True)

def sync_check(tool):
    before = snapshot()
    r = sh(BIN/tool)
    after = snapshot()
    changed = sorted(f for f in set(before) | set(after) if before.get(f) != after.get(f))
    ok = r.returncode == 0 and not changed
    record(ok, f"{tool} leaves the tree unchanged", (r.stderr.strip()[-500:] if r.returncode else f"it changed {', '.join(changed[:10])}; run `make test` after committing what {tool} writes"))

t0 = time.time()
sync_check('nbdev-clean')
sync_check('nbdev-export')

LINTED = ('recl', 'tests', 'scripts', 'benchmarks', 'studies', 'paper_figures')
r = sh(BIN/'ruff', 'check', '--output-format', 'concise', *LINTED)
if r.returncode: print(r.stdout[-3000:], r.stderr[-1000:], sep='\n', flush=True)
record(r.returncode == 0, f"ruff check {' '.join(LINTED)}", 'see the findings above')

r = sh(BIN/'lint-imports', '--no-cache', '--no-logo')
if r.returncode: print(r.stdout[-4000:], r.stderr[-1000:], sep='\n', flush=True)
record(r.returncode == 0, "lint-imports: recl's layers point down", 'see the broken contract above')
r = sh(BIN/'python', 'scripts/import_cycles.py')
if r.returncode: print(r.stdout[-3000:], r.stderr[-1000:], sep='\n', flush=True)
record(r.returncode == 0, 'no import cycle in recl (scripts/import_cycles.py)', 'see the cycles above')

# nbdev-test, notebook by notebook (in parallel), so the count names what failed
nbs = sorted(p for p in (ROOT/'nbs').rglob('*.ipynb') if not any(part.startswith(('_', '.')) for part in p.relative_to(ROOT/'nbs').parts))
print(f"(checks before the notebooks took {time.time() - t0:.0f} s)", flush=True); t1 = time.time()
r = sh(BIN/'nbdev-test', '--n-workers', os.environ.get('NBDEV_WORKERS', '2'))
print(f"(nbdev-test took {time.time() - t1:.0f} s)", flush=True); t1 = time.time()
print(r.stdout[-3000:], r.stderr[-6000:] if r.returncode else '', sep='\n', flush=True)
bad = set(re.findall(r'^\s+(\S+\.ipynb)\s*$', r.stdout + r.stderr, re.M))
for nb in nbs: record(nb.name not in bad and (r.returncode == 0 or bad), f"nbdev-test {nb.relative_to(ROOT)}", 'see the traceback above')
if r.returncode and not bad: record(False, 'nbdev-test', 'failed without naming a notebook')

# pytest
xml = ROOT/'.pytest-report.xml'
# tests spread over PYTEST_WORKERS processes (pytest-xdist); the tests of one xdist_group (the browser's, SLURM's) stay on
# one process, so their module fixtures start once
n = os.environ.get('PYTEST_WORKERS', '2')
dist = ['-n', n, '--dist', 'loadgroup'] if n not in ('0', '1') else []
r = subprocess.run([BIN/'python', '-m', 'pytest', 'tests', '-q', '-p', 'no:cacheprovider', *dist, '--durations=15', f'--junitxml={xml}'], cwd=ROOT)
print(f"(pytest took {time.time() - t1:.0f} s)", flush=True)
if xml.exists():
    for case in ET.parse(xml).getroot().iter('testcase'):
        name = f"pytest {case.get('classname')}::{case.get('name')}"
        if case.find('skipped') is not None: continue
        record(case.find('failure') is None and case.find('error') is None, name, 'see pytest output above')
    xml.unlink()
elif r.returncode not in (0, 5): record(False, 'pytest', f'exit code {r.returncode}')

print(f"\n{len(failures)} failure(s):" if failures else '', *failures, sep='\n')
print(f"(took {time.time() - t0:.0f} s)")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
