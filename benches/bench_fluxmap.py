"""The complete efficiency-map workflow of the Prius 2004 sector model: FEM flux map
(repm.maps.compute.flux_map) on a 15 × 15 dq current grid × 12 rotor positions (2,712 nonlinear
solves with the no-load sweep, loss coefficients from the element flux-density waveforms), the
losses at 3000 rpm, then the 100 × 100 minimum-loss efficiency map with the demo's drive
(repm.demo.PRIUS_2004_DRIVE). Prints each step and the whole workflow in seconds.

Run: ``python benches/bench_fluxmap.py`` (``--smoke``: the small servo example on a 3 × 3 grid,
coarse mesh, for CI). Prints seconds, solves per second, peak memory (max RSS) and the losses.
The cache is disabled so that the map is really computed.

Measured on the 2-core machine shared with another job (load ~2.5), before → after the
Newton–Krylov solver and the row-wise warm-started traversal: 61.9 s → 20.3 s wall, 44 → 134
solves/s, 12.3 → 4.9 Newton iterations per solve, 64.6 → 25.0 s CPU, peak RSS 76 → 88 MiB
(factors kept per position); the 100 × 100 efficiency map (bench_maps.py) adds 0.9 s.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from repm.analysis import field_model
from repm.demo import PRIUS_2004_DRIVE
from repm.geometry import examples
from repm.maps import efficiency_map
from repm.maps.compute import default_current_limit_a, flux_map


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny case for CI")
    parser.add_argument("--grid", type=int, default=15, help="points per current axis")
    parser.add_argument("--positions", type=int, default=12)
    parser.add_argument("--speed-rpm", type=float, default=3000.0)
    args = parser.parse_args()
    if args.smoke:
        machine, grid, positions, scale = examples.spm_servo_12s10p(), 3, 8, 2.0
    else:
        machine, grid, positions, scale = examples.prius2004(), args.grid, args.positions, 1.0
    t0 = time.perf_counter()
    model = field_model(machine, mesh_scale=scale)
    t_model = time.perf_counter() - t0
    i_max = default_current_limit_a(model)
    print(
        f"{machine.name}: sector model {len(model.mesh.nodes)} nodes, "
        f"{len(model.problem.triangles)} elements, built in {t_model:.2f} s; "
        f"I_max (20 A/mm² peak) = {i_max:.1f} A"
    )
    t0 = time.perf_counter()
    fm = flux_map(model, grid=(grid, grid), positions=positions, cache_dir=False)
    sec = time.perf_counter() - t0
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    solves = fm.meta["solves"]
    print(
        f"flux map {grid} x {grid} x {positions} positions: {sec:.1f} s, {solves} solves "
        f"({solves / sec:.0f} solves/s, {fm.meta['newton_iterations'] / solves:.1f} Newton "
        f"iterations each), peak RSS {rss_mib:.0f} MiB"
    )
    f = args.speed_rpm / 60 * fm.pole_pairs
    iron = fm.iron_hyst_w_per_hz * f + fm.iron_eddy_w_per_hz2 * f**2
    iron = iron + fm.iron_excess_w_per_hz1_5 * f**1.5
    mag = fm.magnet_eddy_w_per_hz2 * f**2
    i0 = int(np.argmin(np.abs(fm.id_a)))
    st_h = np.array(fm.meta["stator_iron_hyst_w_per_hz"])
    st_e = np.array(fm.meta["stator_iron_eddy_w_per_hz2"])
    st_x = np.array(fm.meta["stator_iron_excess_w_per_hz1_5"])
    stator = st_h * f + st_e * f**2 + st_x * f**1.5
    print(
        f"at {args.speed_rpm:.0f} rpm ({f:.0f} Hz): no-load iron loss {iron[i0, 0]:.0f} W "
        f"(stator {stator[i0, 0]:.0f} W), magnet {mag[i0, 0]:.1f} W; "
        f"at id=0, iq={fm.iq_a[-1]:.0f} A: T = {fm.torque_nm[i0, -1]:.0f} N·m, iron "
        f"{iron[i0, -1]:.0f} W (stator {stator[i0, -1]:.0f} W), magnet {mag[i0, -1]:.1f} W"
    )
    print(f"psi_d(0, 0) = {fm.psi_d_wb[i0, 0]:.4f} Wb; max torque {fm.torque_nm.max():.0f} N·m")
    if args.smoke:
        return
    t1 = time.perf_counter()
    em = efficiency_map(fm, PRIUS_2004_DRIVE)
    sec_map = time.perf_counter() - t1
    print(
        f"efficiency map {len(em.speed_rpm)} x {len(em.torque_nm)}: {sec_map:.2f} s, peak "
        f"{em.peak_efficiency * 100:.1f} %; whole workflow (model, flux map with losses, "
        f"efficiency map): {t_model + sec + sec_map:.1f} s"
    )


if __name__ == "__main__":
    main()
