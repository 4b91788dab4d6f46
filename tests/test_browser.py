"""The notebooks as a reader sees them: JupyterLab on 127.0.0.1, driven in Debian's chromium by Playwright.

1. nbs/30_recl.ipynb and an executed paper notebook show their saved table and at least one figure, no error output and
   no absolute path of this machine;
2. "Run All Cells" on nbs/05_plots (a copy) finishes without error and draws a figure;
3. opening a notebook and saving it from JupyterLab leaves the file unchanged (the save hook of jupyter_server_config.py);
4. JupyterLab as `make lab` starts it (this environment's settings overrides and kernel, as `make install` leaves them):
   three notebooks opened side by side, their kernels started, show no tab marked modified and no prompt (such as the
   one about Jupyter news), checked in the page and in its pixels (a screenshot of each tab's modified-mark and of the
   corner where prompts appear, compared with the same spot with the mark set or prompts hidden).

Skipped, with the reason, where chromium or Playwright is missing (`apt-get install chromium`; the `dev` extra has
Playwright). Playwright's own browser download is not used: it launches the system chromium."""
import json, os, re, secrets, shutil, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
PAPER_NB = 'paper_figures/_executed/galleries.ipynb'
PANEL = '.jp-NotebookPanel:not(.lm-mod-hidden)'
MACHINE_PATHS = sorted({str(ROOT), str(ROOT.parent), sys.prefix, str(Path.home())} - {'/'}, key=len, reverse=True)

try: from playwright.sync_api import sync_playwright
except ImportError: sync_playwright = None

pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium): the browser test needs it"),
              pytest.mark.skipif(sync_playwright is None, reason="Playwright for Python is not installed (pip install playwright)"),
              pytest.mark.xdist_group('browser')]   # under `make test`'s pytest-xdist: one process, so JupyterLab starts once

def _free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

@pytest.fixture(scope='module')
def lab():
    "A JupyterLab server on this repository: (base url, token, its log file). Autosave off, every cell rendered (no windowing); other settings as `make lab` has them."
    tmp = Path(tempfile.mkdtemp(prefix='recl-lab-'))
    settings = tmp/'settings'
    for plugin, value in {'@jupyterlab/docmanager-extension/plugin': {'autosave': False},
                          '@jupyterlab/notebook-extension/tracker': {'windowingMode': 'none'}}.items():
        f = settings/f'{plugin}.jupyterlab-settings'; f.parent.mkdir(parents=True, exist_ok=True); f.write_text(json.dumps(value))
    port, token = _free_port(), secrets.token_hex(16)
    (tmp/'config').mkdir(); shutil.copy(ROOT/'jupyter_server_config.py', tmp/'config')   # the repository's save hook
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp/'runtime'), JUPYTERLAB_WORKSPACES_DIR=str(tmp/'workspaces'),
               JUPYTER_CONFIG_PATH=str(tmp/'config'))
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ip=127.0.0.1', f'--port={port}', f'--IdentityProvider.token={token}',
           f'--ServerApp.root_dir={ROOT}', f'--LabApp.user_settings_dir={settings}',
           '--LabApp.expose_app_in_browser=True', '--ServerApp.port_retries=0']   # window.jupyterapp: open notebooks, mark one modified
    if hasattr(os, 'geteuid') and os.geteuid() == 0: cmd.append('--allow-root')
    log = open(tmp/'lab.log', 'w')
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(120):
            if proc.poll() is not None: raise RuntimeError(f"JupyterLab exited: {(tmp/'lab.log').read_text()[-2000:]}")
            try: urllib.request.urlopen(f'{url}/api/status?token={token}', timeout=2); break
            except OSError: time.sleep(0.5)
        else: raise RuntimeError(f"JupyterLab did not start: {(tmp/'lab.log').read_text()[-2000:]}")
        yield url, token, tmp/'lab.log'
    finally:
        proc.terminate()
        try: proc.wait(20)
        except subprocess.TimeoutExpired: proc.kill()
        log.close(); shutil.rmtree(tmp, ignore_errors=True)

@pytest.fixture(scope='module')
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
              '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'])
        yield b
        b.close()

def _open(browser, lab, path):
    url, token, _ = lab
    page = browser.new_page(viewport={'width': 1400, 'height': 1000})
    page.goto(f'{url}/lab/workspaces/{secrets.token_hex(4)}/tree/{path}?token={token}')   # a fresh workspace: only this notebook open
    page.wait_for_selector(f'{PANEL} .jp-Cell', timeout=60_000)
    page.wait_for_timeout(1500)   # outputs render after the cells
    return page

def _errors(page) -> list[str]:
    return page.eval_on_selector_all(f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
                                     f'{PANEL} .jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]',
                                     'els => els.map(e => e.innerText.slice(0, 300))')

def _images(page) -> int:
    "Output images that were decoded and have a size."
    return page.eval_on_selector_all(f'{PANEL} .jp-OutputArea-output img', 'els => els.filter(e => e.complete && e.naturalWidth > 50).length')

@pytest.mark.parametrize('path', ['nbs/30_recl.ipynb', PAPER_NB])
def test_saved_outputs_render(lab, browser, path):
    if not any(c.get('outputs') for c in json.loads((ROOT/path).read_text())['cells'] if c['cell_type'] == 'code'):
        pytest.fail(f"{path} has no saved outputs: run `make notebooks` (nbs/) or `make paper` (paper_figures/) first")
    page = _open(browser, lab, path)
    try:
        assert page.locator(f'{PANEL} .jp-OutputArea-output table').count() >= 1, 'no table among the saved outputs'
        assert _images(page) >= 1, 'no figure among the saved outputs'
        assert not _errors(page), _errors(page)
        text = page.inner_text(PANEL)
        assert not [p for p in MACHINE_PATHS if p in text], [p for p in MACHINE_PATHS if p in text]
    finally: page.close()

def test_run_all_cells(lab, browser):
    copy = ROOT/'nbs'/'_browser_05_plots.ipynb'   # a copy: running it must not touch the committed notebook
    nb = json.loads((ROOT/'nbs'/'05_plots.ipynb').read_text())
    for c in nb['cells']:
        if c['cell_type'] == 'code': c['outputs'], c['execution_count'] = [], None
    copy.write_text(json.dumps(nb))
    try:
        page = _open(browser, lab, f'nbs/{copy.name}')
        page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
        n_code = sum(c['cell_type'] == 'code' for c in nb['cells'])
        prompts = lambda: page.eval_on_selector_all(f'{PANEL} .jp-CodeCell .jp-InputPrompt', 'els => els.map(e => e.innerText.trim())')
        for _ in range(3):   # on a loaded machine a click can reach the menu before the notebook is the active widget: click again
            page.locator(f'{PANEL} .jp-Cell').first.click()
            page.locator('.lm-MenuBar-itemLabel', has_text=re.compile(r'^Run$')).click()
            page.locator('.lm-Menu-itemLabel', has_text=re.compile(r'^Run All Cells$')).click()
            started = time.time() + 15
            while time.time() < started and all(x == '[ ]:' for x in prompts()): page.wait_for_timeout(500)
            if not all(x == '[ ]:' for x in prompts()): break
        deadline = time.time() + 90
        while time.time() < deadline:
            p = prompts()
            if len(p) == n_code and all(re.fullmatch(r'\[\d+\]:', x) for x in p): break
            page.wait_for_timeout(500)
        else: pytest.fail(f"not every cell ran within 90 s: prompts {prompts()}")
        page.wait_for_timeout(1000)
        assert not _errors(page), _errors(page)
        assert _images(page) >= 1, 'running the notebook drew no figure'
        sockets = list((lab[2].parent/'runtime').glob('kernel-*-ipc-*'))   # the running kernel's Unix sockets, beside its connection file
        assert sockets and all(p.is_socket() for p in sockets), sorted((lab[2].parent/'runtime').iterdir())
        page.close()
        # the kernel talked to the server over Unix sockets (jupyter_server_config.py), so ipykernel did not warn
        log = lab[2].read_text()
        assert 'Kernel started' in log and 'without encryption' not in log, log[-2000:]
    finally: copy.unlink(missing_ok=True)

def test_open_and_save_changes_nothing(lab, browser):
    path = ROOT/'nbs'/'03_metrics.ipynb'
    before = path.read_bytes()
    try:
        page = _open(browser, lab, 'nbs/03_metrics.ipynb')
        page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
        t0 = path.stat().st_mtime_ns
        page.locator(f'{PANEL} .jp-Notebook').click()
        page.keyboard.press('Control+s')
        for _ in range(40):
            if path.stat().st_mtime_ns != t0: break
            page.wait_for_timeout(250)
        else: pytest.fail('JupyterLab did not save the notebook')
        for _ in range(40):   # the save can land in steps on a loaded machine: read it once it has stopped changing
            seen = (path.stat().st_mtime_ns, path.stat().st_size)
            page.wait_for_timeout(500)
            if seen == (path.stat().st_mtime_ns, path.stat().st_size) and seen[1] > 0: break
        page.close()
        assert path.read_bytes() == before, 'saving from JupyterLab changed the notebook (the save hook did not clean it)'
    finally:
        if path.read_bytes() != before: path.write_bytes(before)

LAB_OVERRIDES = Path(sys.prefix)/'share'/'jupyter'/'lab'/'settings'/'overrides.json'
OPENED = ['nbs/03_metrics.ipynb', 'nbs/30_recl.ipynb', PAPER_NB]
TAB = '.lm-DockPanel-tabBar .lm-TabBar-tab'

def _set_dirty(page, label:str, dirty:bool):
    page.evaluate("""([label, dirty]) => { for (const w of window.jupyterapp.shell.widgets('main'))
                       if (w.title.label === label) { w.context.model.dirty = dirty; return; } throw new Error('no tab ' + label); }""", [label, dirty])
    page.wait_for_timeout(300)

def test_open_three_notebooks_unmodified_without_prompt(lab, browser, tmp_path):
    assert LAB_OVERRIDES.exists() and json.loads(LAB_OVERRIDES.read_text()) == json.loads((ROOT/'jupyter_lab_overrides.json').read_text()), \
        f"{LAB_OVERRIDES} is not the repository's jupyter_lab_overrides.json: run `make install`"
    before = {p: (ROOT/p).read_bytes() for p in OPENED}
    url, token, _ = lab
    page = browser.new_page(viewport={'width': 1400, 'height': 1000})
    try:
        page.goto(f'{url}/lab/workspaces/{secrets.token_hex(4)}/tree/{OPENED[0]}?token={token}')
        page.wait_for_selector(f'{PANEL} .jp-Cell', timeout=60_000)
        for p in OPENED[1:]: page.evaluate("p => window.jupyterapp.commands.execute('docmanager:open', {path: p})", p)
        # every kernel started and idle: JupyterLab has written what it writes into a notebook when its kernel starts
        page.wait_for_function("n => document.querySelectorAll('.jp-NotebookPanel .jp-Cell').length > 0 && "
                               "[...document.querySelectorAll('.jp-Notebook-ExecutionIndicator')].filter(e => e.dataset.status === 'idle').length >= n",
                               arg=len(OPENED), timeout=120_000)
        page.wait_for_timeout(8000)   # the news prompt, when it is not switched off, shows within a few seconds of the start
        page.mouse.move(700, 500)
        labels = page.eval_on_selector_all(TAB, 'els => els.map(e => e.innerText.trim())')
        assert sorted(labels) == sorted(Path(p).name for p in OPENED), labels
        page.screenshot(path=tmp_path/'lab.png')
        if os.environ.get('RECL_SCREENSHOTS'): shutil.copy(tmp_path/'lab.png', Path(os.environ['RECL_SCREENSHOTS'])/'lab_three_notebooks.png')
        # in pixels: each tab's mark looks as it does when the notebook is unmodified, and not as when it is modified
        for label in labels:
            icon = page.locator(TAB, has_text=label).locator('.lm-TabBar-tabCloseIcon')
            shown = icon.screenshot()
            _set_dirty(page, label, True); modified = icon.screenshot()
            _set_dirty(page, label, False); unmodified = icon.screenshot()
            assert shown == unmodified and shown != modified, f"the tab of {label} looks modified"
        assert not page.eval_on_selector_all(f'{TAB}.jp-mod-dirty', 'els => els.map(e => e.innerText.trim())'), 'tabs marked modified on opening'
        # in pixels: the corner where prompts appear looks the same with prompts hidden
        corner = dict(x=1400 - 480, y=1000 - 300, width=480, height=270)   # above the status bar
        shown = page.screenshot(clip=corner)
        page.add_style_tag(content='.Toastify { display: none !important; }'); page.wait_for_timeout(300)
        assert page.screenshot(clip=corner) == shown, 'a prompt is shown in the corner of the page'
        assert not page.locator('.Toastify__toast').all_inner_texts(), page.locator('.Toastify__toast').all_inner_texts()
    finally: page.close()
    assert {p: (ROOT/p).read_bytes() for p in OPENED} == before, 'opening the notebooks changed a file'
