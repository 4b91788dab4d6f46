#!/usr/bin/env python
"""Move the records of a results store written by recl before record format 2 to their format-2 place.

    python scripts/migrate_store.py STORE

Format 2 leaves `data_root` and `tag` out of the record key and stamps every record with `schema`. A format-1
record keeps its numbers and configuration; it gains `schema: 2` and `migrated_from_schema: 1` (it has no
`provenance` block: the code version that made it was not recorded)."""
import json, sys
from recl.store import ResultsStore, SCHEMA_VERSION, atomic_write_json

def migrate(root) -> int:
    store, moved = ResultsStore(root), 0
    for p in sorted((store.root/'records').glob('*/seed*.json')):
        rec = json.loads(p.read_text())
        if rec.get('schema') == SCHEMA_VERSION: continue
        new = store.path(rec['config'], rec['seed'])
        atomic_write_json(new, {**rec, 'schema': SCHEMA_VERSION, 'migrated_from_schema': rec.get('schema', 1)})
        if new != p: p.unlink()
        moved += 1
    for d in (store.root/'records').iterdir():
        if d.is_dir() and not any(d.iterdir()): d.rmdir()
    return moved

if __name__ == '__main__':
    if len(sys.argv) != 2: sys.exit(__doc__)
    print(f"{migrate(sys.argv[1])} records migrated to format {SCHEMA_VERSION}")
