#!/usr/bin/env python
"""Commit a results store while a run is still writing to it: its records (and a timing run's), tuned values, gallery
reconstructions, plans and a consistent copy of its Optuna database.

    python scripts/commit_store.py [STORE]        # default: paper_figures/_paper_store

Records and tuned values are written atomically (temporary file + rename), so committing them is safe at any moment.
The Optuna SQLite file is not: a write in progress could be copied half-done. So the database committed is a snapshot
taken through SQLite's online backup API (a consistent state, taken while the run goes on), staged with
`git update-index` without touching the live file. Only the store's paths are committed; the script refuses to run
when anything else is staged. Prints the commit made, or that nothing changed."""
from __future__ import annotations
import sqlite3, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def git(*args, **kw) -> str:
    return subprocess.run(['git', *args], cwd=ROOT, check=True, capture_output=True, text=True, **kw).stdout.strip()

def snapshot(db:Path) -> str:
    "A consistent copy of the SQLite file `db`, written into git's object store; returns its blob id."
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)/'snapshot.sqlite3'
        src, dst = sqlite3.connect(f'file:{db}?mode=ro', uri=True), sqlite3.connect(copy)
        try: src.backup(dst)
        finally: src.close(); dst.close()
        return git('hash-object', '-w', str(copy))

def finished_trials(db:Path) -> int:
    c = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    try: return c.execute("select count(*) from trials where state in ('COMPLETE', 'FAIL') and trial_id not in "
                          "(select trial_id from trial_user_attributes where key = 'data_missing' and value_json = 'true')").fetchone()[0]
    finally: c.close()

def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    store = (ROOT/(argv[0] if argv else 'paper_figures/_paper_store')).resolve()
    if not (store/'records').is_dir():
        print(f"commit_store.py: error: {store} is not a results store (no records/ folder)", file=sys.stderr); return 2
    rel = store.relative_to(ROOT).as_posix()
    staged = [f for f in git('diff', '--cached', '--name-only').splitlines() if f and not f.startswith(rel + '/')]
    if staged:
        print(f"commit_store.py: error: other files are staged ({', '.join(staged[:5])}); commit or unstage them first", file=sys.stderr); return 2
    kept = ('records', 'tuned', 'timing', 'galleries', 'plan_probes.json', 'plan.txt', 'plan_latest.txt', 'plan_profile.txt', 'plan_before_run.json')
    git('add', '--', *[f'{rel}/{p}' for p in kept if (store/p).exists()])
    db = store/'optuna.sqlite3'
    if db.exists(): git('update-index', '--add', '--cacheinfo', f"100644,{snapshot(db)},{rel}/optuna.sqlite3")
    if not git('diff', '--cached', '--name-only'):
        print("nothing changed in the store since the last commit"); return 0
    n_rec = len(list((store/'records').glob('*/seed*.json')))
    n_tuned = len(list((store/'tuned').glob('*.json'))) if (store/'tuned').exists() else 0
    msg = f"{rel}: {n_rec} records, {n_tuned} finished searches, {finished_trials(db) if db.exists() else 0} finished trials"
    git('commit', '-q', '-m', msg)
    print(git('log', '--oneline', '-1'))
    return 0

if __name__ == '__main__':
    sys.exit(main())
