"The `recl` command: help, bad input, JSON output, resumable runs."
import json, os, signal, subprocess
import pytest
from conftest import recl, RECL, TINY

def test_help_reads_well():
    r = recl('run', '--help')
    assert r.returncode == 0
    for flag in ('--dataset', '--scenario', '--model', '--method', '--recl', '--seeds', '--n-per-class', '--epochs',
                 '--data-root', '--out', '--set', '--preset', '--device', '--json'):
        assert flag in r.stdout, flag

@pytest.mark.parametrize('args,msg', [
    (['--dataset', 'svhn'], "unknown dataset 'svhn'"),
    (['--scenario', 'til'], 'unknown scenario'),
    (['--model', 'vgg'], "unknown model 'vgg'"),
    (['--method', 'sgd'], "unknown method 'sgd'"),
    (['--recl', 'magic'], 'unknown recl strategy'),
    (['--n-per-class', '5000'], 'more than mnist5k has'),
    (['--epochs', '-1'], 'epochs must be >= 1'),
    (['--dataset', 'cifar10', '--data-root', '/nonexistent'], 'not found at /nonexistent'),
    (['--dataset', 'mnist'], 'needs a data root'),
    (['--device', 'tpu'], 'unknown device'),
    (['--set', 'nonsense=1'], "unknown hyper-parameter 'nonsense'"),
    (['--recl', 'naive', '--set', 'recl.m_per_class=0'], 'm_per_class must be an integer >= 1'),
    (['--recl', 'naive', '--set', 'recl.epochs=-3'], 'reconstruction epochs must be an integer >= 0'),
    (['--recl', 'naive', '--set', 'recl.mm=3'], "unknown setting 'mm' for ReCL"),
    (['--recl', 'naive', '--set', 'recl.n_trials=null'], 'ReCL setting n_trials must be int, got None'),
    (['--set', 'lr=abc'], "lr must be float, got 'abc'"),
    (['--set', 'lr=nan'], 'lr must be a finite number, got nan'),
    (['--method', 'ewc+ewc'], "method listed twice in 'ewc+ewc'"),
    (['--method', 'ewc', '--set', 'ewc.lam=abc'], "method 'ewc' setting lam must be float, got 'abc'"),
    (['--method', 'gpm', '--set', 'threshold=1.5'], 'GPM threshold'),
    (['--method', 'er', '--set', 'mem_per_class=0'], 'mem'),
    (['--tuned'], 'run `recl tune`'),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, msg):
    r = recl('run', *TINY, *args, '--out', tmp_path)
    assert r.returncode == 2, r.stderr
    assert msg in r.stderr and r.stderr.count('\n') == 1 and 'Traceback' not in r.stderr, r.stderr
    assert not list((tmp_path/'records').rglob('*.json'))

def test_config_file_typo(tmp_path):
    cfg = tmp_path/'cfg.json'; cfg.write_text(json.dumps({'dataset': 'mnist5k', 'epoch': 3}))
    r = recl('run', '--config', cfg, '--out', tmp_path)
    assert r.returncode == 2 and "unknown configuration key 'epoch'" in r.stderr and "did you mean 'epochs'" in r.stderr

@pytest.mark.parametrize('name,content', [
    ('cfg.toml', b'epochs = = 3'),       # TOML syntax error
    ('cfg.json', b'{"epochs": 3,}'),     # JSON syntax error
    ('cfg.json', b'\xff\xfe\x00junk'),    # not text
    ('cfg.json', None),                  # a folder
])
def test_unreadable_config_file(tmp_path, name, content):
    cfg = tmp_path/name
    if content is None: cfg.mkdir()
    else: cfg.write_bytes(content)
    r = recl('run', '--config', cfg, '--out', tmp_path/'out')
    assert r.returncode == 2 and 'cannot read config file' in r.stderr and r.stderr.count('\n') == 1 and 'Traceback' not in r.stderr, r.stderr

def test_unwritable_output(tmp_path):
    f = tmp_path/'file'; f.write_text('x')
    r = recl('run', '--out', f/'sub', *TINY)
    assert r.returncode == 2 and 'cannot use output folder' in r.stderr and r.stderr.count('\n') == 1

def test_json_and_determinism(tmp_path):
    a = recl('run', '--json', '--seeds', '0', '1', '--out', tmp_path/'a', *TINY, check=True)
    b = recl('run', '--json', '--seeds', '0', '1', '--out', tmp_path/'b', *TINY, check=True)
    la, lb = [json.loads(l) for l in a.stdout.splitlines()], [json.loads(l) for l in b.stdout.splitlines()]
    assert [l['seed'] for l in la] == [0, 1]
    assert {'seed', 'acc_matrix', 'acc', 'bwt', 'seconds', 'config'} <= set(la[0])
    assert {'train', 'reconstruct', 'tune', 'total'} <= set(la[0]['seconds'])
    assert [l['acc_matrix'] for l in la] == [l['acc_matrix'] for l in lb]
    assert la[0]['acc_matrix'] != la[1]['acc_matrix']
    assert a.stderr == ''  # no progress bars with --json

def test_rerun_reuses_records(tmp_path):
    recl('run', '--json', '--out', tmp_path, *TINY, check=True)
    files = {p: p.stat().st_mtime_ns for p in (tmp_path/'records').rglob('*.json')}
    r = recl('run', '--json', '--out', tmp_path, *TINY, check=True)
    assert json.loads(r.stdout)['reused'] is True
    assert files == {p: p.stat().st_mtime_ns for p in (tmp_path/'records').rglob('*.json')}

def test_resume_after_kill_9(tmp_path):
    "Kill -9 after the first seed's record is written; the rerun finishes with the same numbers as an uninterrupted run."
    args = lambda out: [RECL, 'run', '--json', '--seeds', '0', '1', '2', '--out', str(out), '--n-per-class', '20', '--epochs', '5', '--set', 'model.hidden=[50]']
    p = subprocess.Popen(args(tmp_path/'killed'), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = p.stdout.readline()
    os.kill(p.pid, signal.SIGKILL); p.wait()
    assert json.loads(first)['seed'] == 0
    assert not list((tmp_path/'killed').rglob('*.tmp'))
    run = lambda out: [json.loads(l) for l in subprocess.run(args(out), capture_output=True, text=True, check=True).stdout.splitlines()]
    resumed, clean = run(tmp_path/'killed'), run(tmp_path/'clean')
    assert resumed[0]['reused'] and [r['seed'] for r in resumed] == [0, 1, 2]
    assert [r['acc_matrix'] for r in resumed] == [r['acc_matrix'] for r in clean]

def test_table(tmp_path):
    recl('run', '--json', '--seeds', '0', '1', '--out', tmp_path, *TINY, check=True)
    r = recl('table', '--out', tmp_path, check=True)
    assert '±' in r.stdout and 'finetune' in r.stdout and 'seed)' not in r.stdout
    recl('run', '--json', '--seeds', '0', '--out', tmp_path/'one', *TINY, check=True)
    one = recl('table', '--out', tmp_path/'one', check=True).stdout
    assert '(1 seed)' in one and '±' not in one, one   # one seed: the mean and the count, no spread
