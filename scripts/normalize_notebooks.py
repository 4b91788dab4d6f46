#!/usr/bin/env python
"""Store every notebook of the repository in the form JupyterLab gives it on opening, so that opening one in `make lab`
marks nothing as modified, and `nbdev-clean` keeps that form.

    python scripts/normalize_notebooks.py [--check]

When JupyterLab opens a notebook and its kernel starts, it writes two entries of the notebook's metadata: `kernelspec`
(the kernel's name, display name and language) and `language_info` (what the kernel reports: Python's version, the
lexer, the file extension). Where the stored values differ, the notebook is marked modified (the dot on its tab) though
nobody edited it. This script sets both to what this environment's `python3` kernel reports (the display name is the
kernel's name, as `nbdev-clean` writes it and as `make install` names the kernel), in nbs/ (then cleaned like
`nbdev-clean`), in the paper notebooks and in their executed copies (paper_figures/_executed*/). Only these two entries change; cells, ids and
outputs are kept. Running it twice changes nothing; run it again after a merge that brings notebooks from elsewhere.

`--check` writes nothing and exits 1 (naming them) if some notebook is not in this form."""
from __future__ import annotations
import argparse, json, os, subprocess, sys
from pathlib import Path
from fastcore.nbio import nb2str
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel
from nbdev.clean import _nbdev_clean

ROOT = Path(__file__).resolve().parents[1]
KERNEL = 'python3'

def notebooks() -> list[Path]:
    nbs = [p for p in (ROOT/'nbs').rglob('*.ipynb') if not any(part.startswith(('_', '.')) for part in p.relative_to(ROOT/'nbs').parts)]
    return sorted(nbs + list((ROOT/'paper_figures').glob('*.ipynb')) + list((ROOT/'paper_figures').glob('_executed*/*.ipynb')))

def kernel_metadata(name:str=KERNEL) -> dict:
    "The `kernelspec` and `language_info` JupyterLab writes for kernel `name` of this environment (started once to ask it)."
    spec = KernelSpecManager().get_kernel_spec(name)
    km, kc = start_new_kernel(kernel_name=name, stderr=subprocess.DEVNULL)   # not its start-up warnings
    try: info = kc.kernel_info(reply=True, timeout=60)['content']['language_info']
    finally: kc.stop_channels(); km.shutdown_kernel(now=True)
    return dict(kernelspec=dict(display_name=spec.display_name, language=spec.language, name=name), language_info=info)

def normalized(path:Path, meta:dict) -> str:
    "The text of the notebook at `path` with `meta` as its kernel metadata (nbs/: then cleaned like nbdev-clean)."
    nb = json.loads(path.read_text())
    nb['metadata'].update(json.loads(json.dumps(meta)))
    if (ROOT/'nbs') in path.parents: _nbdev_clean(nb)   # the settings of the repository (the working directory)
    return nb2str(nb)   # how nbdev writes notebooks (papermill and JupyterLab write the same layout)

def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--check', action='store_true', help='write nothing; exit 1 if a notebook is not in normal form')
    a = p.parse_args(argv)
    os.chdir(ROOT)
    meta = kernel_metadata()
    if meta['kernelspec']['display_name'] != KERNEL:
        print(f"the {KERNEL} kernel of this environment is named {meta['kernelspec']['display_name']!r}; run `make install` first "
              f"(it names the kernel {KERNEL!r}, the name nbdev-clean writes)", file=sys.stderr)
        return 2
    changed = []
    for path in notebooks():
        old, new = path.read_text(), normalized(path, meta)
        if json.loads(old) != json.loads(new) or (not a.check and old != new):
            changed.append(path.relative_to(ROOT))
            if not a.check: path.write_text(new)
    verb = 'not in normal form' if a.check else 'normalised'
    print(f"{len(changed)} of {len(notebooks())} notebooks {verb}" + ''.join(f"\n  {c}" for c in changed))
    return 1 if a.check and changed else 0

if __name__ == '__main__': sys.exit(main())
