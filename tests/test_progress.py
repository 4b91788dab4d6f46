"""A finished run of jobs ends with a bar that says so (done = total, running = 0) wherever it is shown: in a log file,
in a terminal and as a Jupyter widget (`recl.core.progress_bar` as `recl.cluster.run_tasks` drives it); a failing job is
named on a line of its own when it fails."""
import contextlib, io, re
import pytest
import recl.core
from recl.cluster import Task, run_tasks

def _square(x):
    if x < 0: raise ValueError('negative')
    return x * x

TASKS = [Task(f't{i}', _square, (x,)) for i, x in enumerate((1, -2, 3))]

class Terminal(io.StringIO):
    def isatty(self): return True

def _run(stream):
    with contextlib.redirect_stderr(stream): return run_tasks(TASKS, lambda t, r: None, desc='jobs')

def _state(text:str) -> tuple:
    "(done, total, failed, running) of a bar's text."
    m = re.search(r'(\d+)/(\d+) \[.*failed=(\d+), running=(\d+)\]', text.replace('\u2007', ' '))
    assert m, text
    return tuple(map(int, m.groups()))

def test_log_file_ends_done():
    log = io.StringIO()
    assert len(_run(log)) == 1
    lines = log.getvalue().splitlines()
    bar = [l for l in lines if 'failed=' in l]
    assert [_state(l)[0] for l in bar] == [1, 2, 3]
    assert _state(lines[-1]) == (3, 3, 1, 0)
    assert 'jobs: t1 failed: ValueError: negative' in lines   # the failing job, named as it fails, before the bar counts it
    assert lines.index('jobs: t1 failed: ValueError: negative') == lines.index(bar[1]) - 1

def test_terminal_ends_done():
    term = Terminal()
    _run(term)
    last = term.getvalue().rstrip('\n').split('\r')[-1]   # what the terminal shows after the last redraw
    assert _state(last) == (3, 3, 1, 0)

def test_widget_ends_done(monkeypatch):
    pytest.importorskip('ipywidgets')
    monkeypatch.setattr(recl.core, 'in_notebook', lambda: True)
    bars = []
    from tqdm.notebook import tqdm as widget_bar
    real_close = widget_bar.close
    def close(self):   # remember each widget bar, and its text once closed
        real_close(self); bars.append((self, self.container.children[-1].value, self.container.children[1]))
    monkeypatch.setattr(widget_bar, 'close', close)
    with contextlib.redirect_stdout(io.StringIO()): run_tasks(TASKS, lambda t, r: None, desc='jobs')
    assert len(bars) == 1
    _, text, progress = bars[0]
    assert _state(text) == (3, 3, 1, 0) and progress.value == progress.max == 3
