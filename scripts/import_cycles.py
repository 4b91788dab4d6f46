#!/usr/bin/env python
"""Count the import cycles between the modules of `recl`, imports inside functions included, and print each one.

    .venv/bin/python scripts/import_cycles.py      # exit 0 when there is none

The graph is grimp's (the one import-linter checks): every `import`/`from ... import` statement of every module,
at the top or inside a function, plus the import of each package above an imported module (importing
`recl.methods.base` from outside the package runs `recl/methods/__init__.py` first). A cycle is a strongly connected component of more than one module (or a module that
imports itself); the count is the number of such components.
"""
import sys
import grimp

def import_edges(package:str='recl') -> dict:
    "module -> the modules of `package` it imports (see above)."
    g = grimp.build_graph(package)
    mods = sorted(g.modules)
    def with_parents(d):   # importing a.b.c runs the package a.b's __init__ first: that is an import too
        parts = d.split('.')
        return {'.'.join(parts[:i]) for i in range(1, len(parts) + 1)}
    # a module's own packages are initialised before it runs, so they are no edge of it
    edges = {m: sorted({p for d in g.find_modules_directly_imported_by(m) if d in g.modules for p in with_parents(d)} - with_parents(m))
             for m in mods}
    return edges

def cycles(edges:dict) -> list[list[str]]:
    "The strongly connected components of more than one module of the import graph `edges` (Tarjan's algorithm)."
    mods = sorted(edges)
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
        for w in edges[v]:
            if w not in index: visit(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1 or v in edges[v]: out.append(sorted(comp))
    sys.setrecursionlimit(10_000)
    for m in mods:
        if m not in index: visit(m)
    return out

if __name__ == '__main__':
    import networkx as nx   # installed with torch
    package = sys.argv[1] if len(sys.argv) > 1 else 'recl'
    edges = import_edges(package)
    found = cycles(edges)
    loops = list(nx.simple_cycles(nx.DiGraph([(a, b) for a, bs in edges.items() for b in bs])))
    for c in found: print('modules on a cycle:', ', '.join(c))
    for c in loops: print('  cycle:', ' -> '.join(c + c[:1]))
    print(f"{len(loops)} import cycle(s) ({len(found)} group(s) of modules that import each other) in {package}, imports inside functions included")
    sys.exit(1 if found else 0)
