"""Drive-map evaluation: repm (Rust kernel, rayon) vs a numpy implementation of the same
formulas (kept here as the reference): C1 bicubic Hermite interpolation of the 7 flux-map
fields at (id, iq), then voltages, copper (DC + AC), iron, magnet, mechanical losses, shaft
torque and efficiency, over 10^6 random (speed, id, iq) points of a linear machine's map.
Also times a 100 × 100 minimum-loss efficiency map (search per point; no numpy peer).

Run: ``python benches/bench_maps.py`` (``--smoke``: 10^4 points and a 20 × 20 map, for CI).
Prints seconds, the speed-up ratio and the largest relative difference between the two.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from repm.maps import Drive, FluxMap, efficiency_map, evaluate_currents


def numpy_reference(fm: FluxMap, d: Drive, speed_rpm, id_a, iq_a) -> dict[str, np.ndarray]:
    """The operating-point formulas of repm-machine in numpy (motoring currents, iq >= 0)."""
    names = (
        "psi_d_wb",
        "psi_q_wb",
        "torque_nm",
        "iron_hyst_w_per_hz",
        "iron_eddy_w_per_hz2",
        "iron_excess_w_per_hz1_5",
        "magnet_eddy_w_per_hz2",
    )
    v = {k: val for k, (val, _, _) in fm._eval(names, id_a, iq_a).items()}
    m, p = fm.phases, fm.pole_pairs
    w = speed_rpm * 2 * math.pi / 60
    f = p * w / (2 * math.pi)
    we = p * w
    r_dc = d.resistance_ohm()
    r = r_dc * (1 + d.ac_coeff_per_hz2() * f * f)
    ud = r * id_a - we * v["psi_q_wb"]
    uq = r * iq_a + we * v["psi_d_wb"]
    i2 = id_a**2 + iq_a**2
    p_cu_dc = 0.5 * m * r_dc * i2
    p_cu_ac = 0.5 * m * (r - r_dc) * i2
    p_fe = (
        v["iron_hyst_w_per_hz"] * f
        + v["iron_eddy_w_per_hz2"] * f**2
        + v["iron_excess_w_per_hz1_5"] * f**1.5
    )
    p_mag = v["magnet_eddy_w_per_hz2"] * f**2
    p_mech = d.friction_w_per_rpm * speed_rpm + d.windage_w_per_rpm3 * speed_rpm**3
    with np.errstate(divide="ignore", invalid="ignore"):
        t_loss = np.where(w > 0, (p_fe + p_mag + p_mech) / w, 0.0)
    torque = v["torque_nm"] - t_loss
    p_shaft = torque * w
    losses = p_cu_dc + p_cu_ac + p_fe + p_mag + p_mech
    with np.errstate(divide="ignore", invalid="ignore"):
        eff = np.where(p_shaft > 0, p_shaft / (p_shaft + losses), 0.0)
    return {
        "voltage_v": np.hypot(ud, uq),
        "torque_nm": torque,
        "p_electrical_w": 0.5 * m * (ud * id_a + uq * iq_a),
        "efficiency": eff,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="small case for CI")
    args = parser.parse_args()
    n, nmap = (10_000, 20) if args.smoke else (1_000_000, 100)
    fm = FluxMap.linear(
        psi_m_wb=0.12,
        ld_h=3e-4,
        lq_h=7.5e-4,
        pole_pairs=4,
        id_a=np.linspace(-400, 50, 31),
        iq_a=np.linspace(0, 400, 31),
        iron_hyst_w_per_hz=1.0,
        iron_eddy_w_per_hz2=1e-3,
        iron_excess_w_per_hz1_5=1e-2,
        magnet_eddy_w_per_hz2=2e-4,
    )
    d = Drive(
        dc_bus_v=500.0,
        current_limit_a=354.0,
        phase_resistance_ohm=0.069,
        ac_model="hairpin",
        hairpin_height_m=2.5e-3,
        hairpin_layers=4,
        friction_w_per_rpm=0.02,
        windage_w_per_rpm3=1e-9,
    )
    rng = np.random.default_rng(0)
    s = rng.uniform(1.0, 6000.0, n)
    x = rng.uniform(-400.0, 50.0, n)
    y = rng.uniform(0.0, 400.0, n)
    evaluate_currents(fm, d, s[:100], x[:100], y[:100])  # warm-up (model build)
    best_rs = math.inf
    for _ in range(5):
        t0 = time.perf_counter()
        got = evaluate_currents(fm, d, s, x, y)
        best_rs = min(best_rs, time.perf_counter() - t0)
    best_np = math.inf
    for _ in range(2 if not args.smoke else 3):
        t0 = time.perf_counter()
        ref = numpy_reference(fm, d, s, x, y)
        best_np = min(best_np, time.perf_counter() - t0)
    diff = max(
        float(np.max(np.abs(getattr(got, k) - ref[k]) / np.maximum(np.abs(ref[k]), 1.0)))
        for k in ref
    )
    print(
        f"map evaluation, {n:,} points (7-field bicubic + losses): repm {best_rs * 1e3:.1f} ms, "
        f"numpy {best_np * 1e3:.1f} ms, ratio {best_np / best_rs:.1f}x; max rel diff {diff:.1e}"
    )
    assert diff < 1e-9, "Rust and numpy disagree"
    sp = np.linspace(60.0, 6000.0, nmap)
    tq = np.linspace(0.0, 350.0, nmap)
    t0 = time.perf_counter()
    em = efficiency_map(fm, d, sp, tq)
    sec = time.perf_counter() - t0
    print(
        f"efficiency map {nmap} x {nmap} (min-loss search per point): {sec:.2f} s, "
        f"{int(em.points.valid.sum())} points inside the envelope, peak "
        f"{em.peak_efficiency * 100:.2f} %"
    )


if __name__ == "__main__":
    main()
