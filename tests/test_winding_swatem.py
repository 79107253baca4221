"""Cross-check against swat-em 0.6.3 (PyPI; an independent star-of-slots implementation).

swat-em numbers slots from 1 and its `get_windingfactor_el_by_nu(nu)` takes the electrical
order ν (the same convention as repm); its default coil span is Q // 2p, so repm's pitch is
passed explicitly. Both must agree to 1e-6 for every feasible double-layer winding with
Q ≤ 48 and 2p ≤ 20, for electrical orders 1 … 25 (absolute values), and on feasibility;
t = gcd(Q, p), LCM(Q, 2p) and the differential leakage coefficient are compared as well.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from repm import winding as wdg

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from swat_em import datamodel, wdggenerator
except Exception as err:  # PyQt5 needs system libraries; see .ci/run
    pytest.skip(f"swat-em unavailable: {err!r}", allow_module_level=True)

ORDERS = range(1, 26)


def test_winding_factors_agree_with_swatem():
    checked, worst, worst_sigma = 0, 0.0, 0.0
    for slots in range(6, 49):
        for poles in range(2, 21, 2):
            if not wdg.feasibility(slots, poles).feasible:
                continue
            a = wdg.analyse(slots, poles, max_order=max(ORDERS))
            ref = datamodel()
            ref.genwdg(Q=slots, P=poles, m=3, layers=2, w=a.pitch_slots)
            for nu in ORDERS:
                theirs = abs(ref.get_windingfactor_el_by_nu(nu)[0])
                dev = abs(theirs - a.kw(nu))
                worst = max(worst, dev)
                assert dev < 1e-6, (slots, poles, nu, theirs, a.kw(nu))
            assert a.periodicity == ref.get_periodicity_t()
            assert a.lcm_slots_poles == ref.get_lcmQP()
            # swat-em sums a truncated spectrum of a sampled MMF (DFT); repm's σδ is exact
            # (Parseval; the truncated series extrapolates to it, see test_winding_api), so they
            # agree only to swat-em's truncation error: 1.1 % at worst (27s/18p), < 0.4 % else.
            sigma = ref.get_double_linked_leakage()
            worst_sigma = max(worst_sigma, abs(a.differential_leakage - sigma))
            assert abs(a.differential_leakage - sigma) < 0.02 * sigma
            checked += 1
    assert checked == 116
    assert worst < 1e-12
    print(f"max |kw - kw_swat| = {worst:.2e}, max |σδ - σδ_swat| = {worst_sigma:.2e}")


@pytest.mark.parametrize("layers", [1, 2])
def test_feasibility_agrees_with_swatem(layers):
    t = wdg.table(range(6, 73), range(2, 41, 2), layers=layers, max_order=1)
    theirs = np.array(
        [
            bool(wdggenerator.winding_from_star_of_slot(int(q), int(p), 3, -1, layers)["valid"])
            for q, p in zip(t.slots, t.poles, strict=True)
        ]
    )
    np.testing.assert_array_equal(t.feasible, theirs)
    assert int(t.feasible.sum()) == {1: 186, 2: 358}[layers]
