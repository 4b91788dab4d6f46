"""SLURM for real: scripts/slurm.sh brings up a single-node SLURM (munged, slurmctld, slurmd), then `recl run --cluster slurm`
and `recl grid --cluster slurm` run through sbatch-started Dask workers; their records equal a serial run's.
Skipped, with the reason, where the machine does not allow it (not root, packages missing and not installable)."""
import json, os, shutil, subprocess, tempfile
from pathlib import Path
import pytest
from conftest import ROOT, recl

PACKAGES = ['slurmctld', 'slurmd', 'slurm-client', 'munge']

def _slurm_available() -> str|None:
    "None when a test SLURM can start here, else why not."
    if os.name != 'posix' or os.geteuid() != 0: return "needs root to start munged, slurmctld and slurmd"
    missing = lambda: [b for b in ('munged', 'slurmctld', 'slurmd', 'sbatch') if shutil.which(b) is None]
    if missing() and shutil.which('apt-get'):
        subprocess.run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', *PACKAGES], capture_output=True, timeout=300,
                       env=dict(os.environ, DEBIAN_FRONTEND='noninteractive'))
    if missing(): return f"SLURM is not installed ({', '.join(missing())} missing) and apt-get could not install {' '.join(PACKAGES)}"
    return None

@pytest.fixture(scope='module')
def slurm():
    why = _slurm_available()
    if why: pytest.skip(why)
    d = Path(tempfile.mkdtemp(prefix='recl-slurm-', dir='/tmp')); d.chmod(0o755)   # munged needs a world-executable path
    r = subprocess.run([ROOT/'scripts'/'slurm.sh', 'up', d], capture_output=True, text=True, timeout=120)
    if r.returncode: 
        subprocess.run([ROOT/'scripts'/'slurm.sh', 'down', d], capture_output=True, timeout=120)
        pytest.fail(f"scripts/slurm.sh up failed: {r.stderr[-2000:]}")
    cfg = d/'cluster.toml'
    cfg.write_text(f'[slurm]\nqueue = "debug"\ncores = 1\nmemory = "2GB"\nwalltime = "00:30:00"\nhost = "127.0.0.1"\nlog_directory = "{d/"logs"}"\n')
    try: yield dict(env=dict(os.environ, SLURM_CONF=str(d/'slurm.conf')), config=cfg, dir=d)
    finally:
        subprocess.run([ROOT/'scripts'/'slurm.sh', 'down', d], capture_output=True, timeout=120)
        shutil.rmtree(d, ignore_errors=True)

def _records(out) -> dict:
    return {(p.parent.name, json.loads(p.read_text())['seed']): json.loads(p.read_text()) for p in Path(out).rglob('seed*.json')}

TINY = ['--n-per-class', '10', '--epochs', '2', '--set', 'model.hidden=[20]', '--device', 'cpu']

def test_run_and_grid_on_slurm(slurm, tmp_path):
    cl = ['--cluster', 'slurm', '--jobs', '2', '--cluster-config', slurm['config']]
    r = recl('run', *TINY, '--seeds', '0', '1', *cl, '--out', tmp_path/'slurm', env=slurm['env'])
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'running on SLURM, 2 jobs' in r.stderr
    grid = tmp_path/'grid.json'
    grid.write_text(json.dumps(dict(seeds=[0], defaults=dict(n_per_class=10, epochs=2, model_kw=dict(hidden=[20])),
                                    configs=[dict(method='ewc'), dict(recl='naive', recl_kw=dict(m_per_class=5, epochs=5))])))
    g = recl('grid', grid, *cl, '--out', tmp_path/'slurm', '--device', 'cpu', env=slurm['env'])
    assert g.returncode == 0, g.stderr[-3000:]
    # the workers really were SLURM jobs: sbatch wrote their logs
    assert len(list((slurm['dir']/'logs').glob('dask-worker-*.err'))) >= 2
    # serial reference in this process: same code, shapes and seeds -> the same matrices, bit for bit
    from recl.runner import run_jobs, load_grid
    from recl.experiment import RunConfig
    from recl.store import ResultsStore
    configs, seeds = load_grid(grid)
    base = RunConfig(n_per_class=10, epochs=2, model_kw=dict(hidden=[20])).to_dict()
    run_jobs([(base, 0), (base, 1)] + [(c, s) for c in configs for s in seeds], ResultsStore(tmp_path/'serial'), 'cpu', progress=False)
    got, want = _records(tmp_path/'slurm'), _records(tmp_path/'serial')
    assert len(want) == 4 and set(got) == set(want)
    for k in want: assert got[k]['acc_matrix'] == want[k]['acc_matrix'], k
    # the SLURM jobs are gone once the command has finished
    q = subprocess.run(['squeue', '-h'], capture_output=True, text=True, env=slurm['env'])
    assert q.stdout.strip() == '', q.stdout
