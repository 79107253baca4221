"""Survey of fractional-slot concentrated windings: the combinations with a high fundamental
winding factor and a high cogging indicator LCM(Q, 2p), from the table mode."""

import numpy as np

import repm

table = repm.winding.table(slots=range(6, 49, 3), poles=range(4, 41, 2), layers=2)
kw1 = table.kw[:, 0]
good = table.feasible & (table.q < 0.5) & (np.nan_to_num(kw1) > 0.93)
rows = np.flatnonzero(good)
rows = rows[np.argsort(-table.lcm[rows], kind="stable")]
print(f"{good.sum()} of {len(table)} combinations have q < 1/2 and kw1 > 0.93")
print("Q   2p  kw1     LCM  t")
for i in rows[:12]:
    print(
        f"{table.slots[i]:<3d} {table.poles[i]:<3d} {kw1[i]:.4f}  "
        f"{table.lcm[i]:<4d} {table.periodicity[i]}"
    )

best = repm.winding.analyse(12, 10)
print("12/10 layout:", best.to_dict()["layout"])
