"""The execution layer on real Dask processes: a scheduler and two workers on 127.0.0.1 run a grid with one worker
killed mid-way (records equal a serial run's, none partial); `recl tune --workers 2` resumes after its driver is
killed; bad cluster input is one line and exit code 2."""
import contextlib, json, os, signal, socket, subprocess, sys, time
from pathlib import Path
import pytest
from conftest import ROOT, RECL, recl

BIN = Path(sys.executable).parent
TINY = dict(n_per_class=10, epochs=3, model_kw=dict(hidden=[20]))
# three quick configurations, then a slower one (seconds per job), so that jobs are still running when the test acts
GRID = dict(seeds=[0, 1], defaults=TINY, configs=[dict(method='ewc'), dict(method='er'), dict(recl='naive', recl_kw=dict(m_per_class=5, epochs=5)),
                                                  dict(n_per_class=100, epochs=40, model_kw=dict(hidden=[300, 300]))])

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

@contextlib.contextmanager
def dask_cluster(n_workers=2):
    "A real cluster: `dask scheduler` and `n_workers` `dask worker --no-nanny` processes (one thread each) on 127.0.0.1."
    port = free_port(); addr = f'tcp://127.0.0.1:{port}'
    env = dict(os.environ, OMP_NUM_THREADS='1')
    procs = [subprocess.Popen([BIN/'dask', 'scheduler', '--host', '127.0.0.1', '--port', str(port), '--no-dashboard'],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)]
    try:
        workers = [subprocess.Popen([BIN/'dask', 'worker', addr, '--nthreads', '1', '--no-nanny', '--no-dashboard', '--name', f'w{i}'],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env) for i in range(n_workers)]
        procs += workers
        from distributed import Client
        with Client(addr, timeout='60s') as c: c.wait_for_workers(n_workers, timeout=180)
        yield addr, workers
    finally:
        for p in reversed(procs):
            if p.poll() is None: p.terminate()
        for p in procs:
            try: p.wait(20)
            except subprocess.TimeoutExpired: p.kill(); p.wait()

def records(out) -> dict:
    "(config key, seed) -> record of every JSON file in a store; fails on anything that is not a whole record."
    got = {}
    for p in sorted((Path(out)/'records').rglob('*')):
        if p.is_dir(): continue
        assert p.suffix == '.json' and not p.name.startswith('.'), f"stray file in the store: {p.name}"
        r = json.loads(p.read_text())
        got[(p.parent.name, r['seed'])] = r
    return got

def serial_reference(grid_path, out):
    from recl.runner import load_grid, run_jobs
    from recl.store import ResultsStore
    configs, seeds = load_grid(grid_path)
    run_jobs([(c, s) for c in configs for s in seeds], ResultsStore(out), 'cpu', progress=False)
    return records(out)

def _wait_for_records(out, p, more_than:int, t0):
    "Wait until the store holds more than `more_than` records while the driver `p` runs."
    while not (out/'records').exists() or len(list((out/'records').rglob('seed*.json'))) <= more_than:
        assert p.poll() is None and time.time() - t0 < 400, p.communicate()
        time.sleep(0.2)
    return len(list((out/'records').rglob('seed*.json')))

def test_scheduler_two_workers_ctrl_c_and_one_killed(tmp_path):
    """8 jobs on a real cluster: Ctrl-C on the driver after the first record (exit 130, whole records only), then the same
    command resumes and one worker is killed with SIGKILL mid-way; the grid completes, equal to a serial run's."""
    grid = tmp_path/'grid.json'; grid.write_text(json.dumps(GRID))
    out = tmp_path/'cluster'
    cmd = [RECL, 'grid', grid, '--out', out, '--device', 'cpu']
    with dask_cluster(2) as (addr, workers):
        # the driver starts as from a terminal: SIGINT at its default (a child inherits an ignored SIGINT, and then Python
        # never turns Ctrl-C into KeyboardInterrupt), whatever an earlier test left in this pytest process
        p = subprocess.Popen(cmd + ['--scheduler', addr], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        at_int = _wait_for_records(out, p, 0, time.time())
        p.send_signal(signal.SIGINT)
        so, se = p.communicate(timeout=120)
        assert p.returncode == 130 and 'run the same command again to resume' in se, se[-2000:]
        interrupted = records(out)   # only whole records (checked by `records`)
        assert at_int <= len(interrupted) < 8
        p = subprocess.Popen(cmd + ['--scheduler', addr], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        from distributed import Client
        with Client(addr, timeout='60s') as c:   # kill worker w0 while it runs one of the resumed jobs
            w0 = next(a for a, w in c.scheduler_info()['workers'].items() if w['name'] == 'w0')
            t0 = time.time()
            while not c.processing().get(w0):
                assert p.poll() is None and time.time() - t0 < 400, p.communicate()
                time.sleep(0.05)
            at_kill = len(list((out/'records').rglob('seed*.json')))   # the driver may be writing one (a hidden temporary file)
            os.kill(workers[0].pid, signal.SIGKILL)
        so, se = p.communicate(timeout=600)
        assert p.returncode == 0, se[-3000:]
        assert workers[0].wait(10) == -signal.SIGKILL and workers[1].poll() is None
    assert at_kill < 8, at_kill   # the kill happened with jobs still to do
    assert 'Dask dashboard' in se and 'scheduler tcp://127.0.0.1' in se
    got, want = records(out), serial_reference(grid, tmp_path/'serial')
    assert len(got) == 8 and set(got) == set(want)
    for k in want:
        # same code, shapes and seed on one machine (each job runs single-threaded in both): bit-identical
        assert got[k]['acc_matrix'] == want[k]['acc_matrix'], k
        assert got[k]['config'] == want[k]['config']
    for k, r in interrupted.items(): assert got[k] == r   # records saved before Ctrl-C were kept, not redone

def _tune_kill_resume(tmp_path, n, kill_after):
    "`recl tune --workers 2` for `n` trials; its driver (and workers) killed with SIGKILL after `kill_after` finished trials; rerun."
    import optuna, sqlite3
    # trials long enough (a few tenths of a second each on an idle 2-core machine) that the kill lands with trials still to run
    args = [RECL, 'tune', '--n-per-class', '20', '--epochs', '8', '--set', 'model.hidden=[20]', '--method', 'ewc',
            '--params', 'lr', 'ewc.lam', '--val-per-class', '5', '--trials', str(n), '--workers', '2', '--out', tmp_path, '--device', 'cpu']
    log = open(tmp_path/'first_run.log', 'w+')
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT, start_new_session=True)
    db = tmp_path/'optuna.sqlite3'
    def trials():   # once no process writes the study
        return optuna.load_study(study_name=optuna.get_all_study_names(f'sqlite:///{db}')[0], storage=f'sqlite:///{db}').trials
    def n_finished_while_running():
        # read-only: opening the file with Optuna's storage would create its tables, racing the driver that creates them
        if not db.exists(): return 0
        con = sqlite3.connect(f'file:{db}?mode=ro', uri=True, timeout=30)
        try: return con.execute("select count(*) from trials where state in ('COMPLETE', 'FAIL', 'PRUNED')").fetchone()[0]
        except sqlite3.OperationalError as e:
            if 'no such table' in str(e): return 0   # the driver has not created the schema yet
            raise
        finally: con.close()
    t0 = time.time()
    while n_finished_while_running() < kill_after:
        assert p.poll() is None and time.time() - t0 < 900, (tmp_path/'first_run.log').read_text()[-3000:]
        time.sleep(0.05)
    os.killpg(p.pid, signal.SIGKILL); p.wait()   # the driver and its local workers
    before = {t.number: (t.params, t.value, t.datetime_complete) for t in trials() if t.state.is_finished()}
    assert kill_after <= len(before) < n
    r = recl(*args[1:], '--json')
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout)
    after = trials()
    # a stiff penalty with a large step can diverge: such a trial is finished as FAIL, which is a result too
    assert res['n_trials'] == n and len(after) == n and all(t.state.is_finished() for t in after) and any(t.state.name == 'COMPLETE' for t in after)
    for t in after:   # finished trials were not run again
        if t.number in before: assert (t.params, t.value, t.datetime_complete) == before[t.number]
    # a trial's result depends only on its values: the same as a serial run of them
    from recl.hpsearch import trial_job, with_params
    from recl.experiment import RunConfig
    base = RunConfig(n_per_class=20, epochs=8, method='ewc', model_kw=dict(hidden=[20]))
    for t in [t for t in after if t.state.name == 'COMPLETE'][:2]:
        c = with_params(base, t.params); c.val_per_class = 5
        assert trial_job(c.to_dict(), 0, 'cpu', threads=1)['acc'] == t.value
    return before, after

def test_tune_two_workers_resumes_after_driver_killed(tmp_path):
    _tune_kill_resume(tmp_path, 6, 2)

def test_tune_20_trials_two_workers_resumes(tmp_path):
    before, after = _tune_kill_resume(tmp_path, 20, 8)
    print(f"killed after {len(before)} finished trials; rerun completed {len(after)} trials, all COMPLETE")

@pytest.mark.parametrize('args,msg', [
    (['--workers', '0'], '--workers must be an integer >= 1, got 0'),
    (['--cluster', 'pbs'], "unknown cluster kind 'pbs'"),
    (['--scheduler', 'localhost:8786'], 'must look like tcp://HOST:PORT'),
])
def test_bad_cluster_input(tmp_path, args, msg, capsys):
    from recl.cli import main
    for cmd in (['run', '--n-per-class', '10'], ['tune', '--trials', '2']):
        code = main([*cmd, *args, '--out', str(tmp_path)])
        err = capsys.readouterr().err
        assert code == 2 and msg in err and err.count('\n') == 1, err
    assert not list(tmp_path.rglob('*.json')) and not (tmp_path/'optuna.sqlite3').exists()

def test_unreachable_scheduler_fails_fast(tmp_path):
    t0 = time.time()
    r = recl('run', '--n-per-class', '10', '--scheduler', f'tcp://127.0.0.1:{free_port()}', '--out', tmp_path/'o',
             env=dict(os.environ, RECL_CONNECT_TIMEOUT='3'), timeout=120)
    assert r.returncode == 2 and 'cannot reach the Dask scheduler' in r.stderr and r.stderr.count('\n') == 1, r.stderr
    assert time.time() - t0 < 90 and not (tmp_path/'o').exists()

@pytest.mark.parametrize('text,msg', [
    ('seeds = [0]\n[[configs]]\nepoch = 2\n', "unknown configuration key 'epoch'"),
    ('seeds = [0]\nworkers = 2\n[[configs]]\nepochs = 2\n', "unknown key 'workers'"),
    ('seeds = [0]\n[[configs]]\nepochs = "ten"\n', 'epochs must be int'),
    ('seeds = [0]\n[[configs]]\nmethod = "ewc"\nhparams = {lamda = 1.0}\n', "unknown hyper-parameter 'lamda'"),
    ('seeds = "0"\n[[configs]]\nepochs = 2\n', 'seeds in'),
])
def test_bad_grid_file(tmp_path, text, msg, capsys):
    from recl.cli import main
    g = tmp_path/'grid.toml'; g.write_text(text)
    code = main(['grid', str(g), '--out', str(tmp_path/'o')])
    err = capsys.readouterr().err
    assert code == 2 and msg in err and err.count('\n') == 1, err
    assert not (tmp_path/'o').exists()

def test_grid_failure_is_listed_and_others_saved(tmp_path, capsys):
    "A job that raises is a failure with its message; the other jobs finish and are saved; exit code 1."
    from recl.cli import main
    import recl.runner as E
    g = tmp_path/'grid.json'
    g.write_text(json.dumps(dict(seeds=[0], defaults=dict(TINY, epochs=1), configs=[dict(lr=0.05), dict(lr=0.01)])))
    orig = E.run_seed
    def flaky(cfg, seed, **kw):
        if cfg.lr == 0.01: raise FloatingPointError('loss is NaN')
        return orig(cfg, seed, **kw)
    E.run_seed = flaky
    try: code = main(['grid', str(g), '--out', str(tmp_path/'o'), '--device', 'cpu'])
    finally: E.run_seed = orig
    err = capsys.readouterr().err
    assert code == 1 and '1 of 2 jobs failed' in err and 'FloatingPointError: loss is NaN' in err, err
    assert len(records(tmp_path/'o')) == 1

def test_grid_plan_counts_store_and_estimates(tmp_path, capsys):
    from recl.cli import main
    from recl.runner import load_grid, run_jobs
    from recl.store import ResultsStore
    g = tmp_path/'grid.json'
    g.write_text(json.dumps(dict(seeds=[0, 1], defaults=dict(TINY, epochs=2), configs=[dict(method='finetune'), dict(method='ewc')])))
    configs, _ = load_grid(g)
    run_jobs([(configs[0], 0)], ResultsStore(tmp_path/'o'), 'cpu', progress=False)
    assert main(['grid', str(g), '--plan', '--out', str(tmp_path/'o'), '--device', 'cpu']) == 0
    out = capsys.readouterr().out
    assert '2 configurations x 2 seeds = 4 jobs; 1 in the store, 3 to run; estimated' in out, out
    assert len(records(tmp_path/'o')) == 1   # planning ran nothing into the store

def test_make_paper_plan_smoke(tmp_path):
    r = subprocess.run([sys.executable, ROOT/'paper_figures'/'make_paper.py', '--profile', 'smoke', '--plan', '--only', 'table1_2_main', 'runtime',
                        '--out', tmp_path/'store'],
                       capture_output=True, text=True, cwd=ROOT, timeout=1800)
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'table1_2_main' in r.stdout and 'all (unique)' in r.stdout and 'est. CPU' in r.stdout
    # every method is planned, not only the first: 2 datasets x 2 methods x 2 scenarios x (none, naive, 2 controls) x 1 seed
    row = next(l.split() for l in r.stdout.splitlines() if l.startswith('table1_2_main '))
    assert int(row[1]) == 32, r.stdout
    # the timing run repeats 3 of those runs into its own store: they count again, and its search is Table 1's (counted once)
    rows = {l.split()[0]: l.split() for l in r.stdout.splitlines() if l.startswith(('table1_2_main ', 'runtime ', 'all (unique)'))}
    assert int(rows['runtime'][1]) == 3 and int(rows['all'][2]) == 35 and rows['all'][5] == rows['table1_2_main'][4], r.stdout
    assert not list((tmp_path/'store').rglob('records/*/*.json'))   # nothing ran
    assert (tmp_path/'store'/'plan.txt').exists()
    assert (tmp_path/'store'/'plan_latest.txt').read_text().startswith('planned: table1_2_main runtime\n')
    kept = json.loads((tmp_path/'store'/'plan_before_run.json').read_text())   # nothing of either had run: both kept
    assert set(kept) == {'table1_2_main', 'runtime'} and kept['runtime']['jobs'] == 3 and kept['runtime']['seconds'] > 0, kept
