"""Benchmark: repm.winding.table against swat-em 0.6.3.

repm computes, in one call from Python, feasibility, winding factors of electrical orders 1…49,
periodicity, LCM and q for the whole grid Q = 6…72 × 2p = 2…40 (1340 combinations, 358 of them
feasible double-layer windings). swat-em (the peer) generates the star-of-slots layout and computes
only kw1, kw5 and kw7 for the same 358 feasible windings (the combinations its own generator marks
valid for a double-layer, three-phase winding; the set is identical to repm's).

Run: python benches/bench_winding.py [--smoke]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from repm import winding as wdg

SLOTS = range(6, 73)
POLES = range(2, 41, 2)


def time_repm(repeat: int) -> tuple[float, int]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        t = wdg.table(SLOTS, POLES, layers=2, max_order=49)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), int(t.feasible.sum())


def time_swatem(repeat: int) -> tuple[float, int] | None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from swat_em import datamodel, wdggenerator
    except Exception as err:  # PyQt5 system libraries missing
        print(f"swat-em unavailable ({err!r}): peer missing, repm time only")
        return None
    combos = [
        (q, p)
        for q in SLOTS
        for p in POLES
        if wdggenerator.winding_from_star_of_slot(q, p, 3, -1, 2)["valid"]
    ]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for q, p in combos:
            w = datamodel()
            w.genwdg(Q=q, P=p, m=3, layers=2, analyse=False)
            for nu in (1, 5, 7):
                w.get_windingfactor_el_by_nu(nu)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(combos)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="few repetitions (CI)")
    args = ap.parse_args()
    rep_repm, rep_peer = (5, 1) if args.smoke else (50, 3)
    wdg.table(SLOTS, POLES)  # warm-up (module import, first call)
    t_repm, n_repm = time_repm(rep_repm)
    print(f"repm.winding.table: {n_repm} feasible of {len(SLOTS) * len(POLES)}, kw orders 1-49, "
          f"periodicity, lcm, q: {t_repm * 1e3:.2f} ms (median of {rep_repm})")  # fmt: skip
    peer = time_swatem(rep_peer)
    if peer is None:
        return 0
    t_peer, n_peer = peer
    print(f"swat-em 0.6.3: kw1, kw5, kw7 of {n_peer} windings: {t_peer * 1e3:.1f} ms "
          f"(median of {rep_peer})")  # fmt: skip
    print(f"ratio swat-em / repm: {t_peer / t_repm:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
