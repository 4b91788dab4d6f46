"""ReCL on Split MNIST (embedded data): every method with and without ReCL (naive) and the noise control,
CIL and DIL, over seeds. Prints ACC/BWT mean ± std and the runtime ratio to the plain method.

    .venv/bin/python benchmarks/recl_split_mnist.py --seeds 0 1 2 --out runs/recl_split_mnist
"""
import argparse
import pandas as pd
from recl.experiment import RunConfig, run

p = argparse.ArgumentParser()
p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
p.add_argument('--out', default='runs/recl_split_mnist')
p.add_argument('--methods', nargs='+', default=['finetune', 'ewc', 'er', 'upgd', 'agem', 'lwf', 'gpm'])
p.add_argument('--scenarios', nargs='+', default=['cil', 'dil'])
a = p.parse_args()
rows = []
for sc in a.scenarios:
    for m in a.methods:
        for r in (['none', 'naive', 'noise'] if m == 'finetune' else ['none', 'naive']):
            recs = run(RunConfig(scenario=sc, method=m, recl=r), a.seeds, out=a.out)
            df = pd.DataFrame([dict(scenario=sc, method=m, recl=r, seed=x['seed'], ACC=x['acc'], BWT=x['bwt'], **x['seconds']) for x in recs])
            rows.append(df)
            print(f"{sc} {m:9s} {r:6s} ACC {df.ACC.mean():6.2f} ± {df.ACC.std(ddof=0):5.2f}  BWT {df.BWT.mean():7.2f} ± {df.BWT.std(ddof=0):5.2f}  "
                  f"s/run {df.total.mean():5.1f} (train {df.train.mean():.1f}, reconstruct {df.reconstruct.mean():.1f})", flush=True)
df = pd.concat(rows)
g = df.groupby(['scenario', 'method', 'recl'], sort=False)
t = pd.DataFrame({'ACC': g.ACC.mean().round(2).astype(str) + ' ± ' + g.ACC.std(ddof=0).round(2).astype(str),
                  'BWT': g.BWT.mean().round(2).astype(str) + ' ± ' + g.BWT.std(ddof=0).round(2).astype(str),
                  'seconds': g.total.mean().round(2)})
base = g.total.mean().xs('none', level='recl')
t['time / plain'] = [round(t.loc[i, 'seconds'] / base.loc[i[:2]], 2) for i in t.index]
print(); print(t.to_markdown())
