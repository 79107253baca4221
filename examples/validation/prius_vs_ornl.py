"""The Prius 2004 example against ORNL's dynamometer measurements (ORNL/TM-2006/423, Table B-1).

Computes the FEM flux map of ``examples/machines/prius2004.toml`` (the settings of ``repm map``:
9 × 7 currents, 16 rotor positions, coarse mesh; cached on disk after the first run), evaluates
the minimum-loss operating point at each measured (speed, torque) and prints, per point, the
measured and the computed motor efficiency and the losses they imply, then a summary per speed
(mean and RMS difference, the torque of best efficiency) and the peak of the computed map.

What this does and does not show: the drive of the example file holds ASSUMED values where ORNL
gives none (current limit, winding temperature, friction), the magnet grade is an assumption,
and the loss model has no PWM-harmonic or manufacturing (build) factor, so a difference of a few
percentage points, largest at light load where iron losses dominate, is expected.

Run: ``python examples/validation/prius_vs_ornl.py [--json]``.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

import numpy as np

from repm import geometry, maps
from repm.maps.compute import flux_map

HERE = Path(__file__).resolve().parent
MEASURED_CSV = HERE / "prius2004_ornl_table_b1.csv"
MACHINE_TOML = HERE.parent / "machines" / "prius2004.toml"


def measured_points(path: Path = MEASURED_CSV) -> dict[str, np.ndarray]:
    """ORNL's measured points: ``speed_rpm``, ``torque_nm``, ``efficiency_motor``,
    ``efficiency_motor_inverter`` (0..1) as arrays."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def compare(
    grid: tuple[int, int] = (9, 7), positions: int = 16, mesh_scale: float = 2.0
) -> dict[str, Any]:
    """Computed against measured motor efficiency at ORNL's points (see the module docstring).

    Returns ``points`` (one dict per measured point: speed rpm, torque N·m, measured and
    computed efficiency, measured and computed losses W), ``slices`` (per nominal speed 1500 and
    3000 rpm: mean and RMS of computed − measured efficiency, the largest |difference|, and the
    torque of the best measured and computed efficiency) and the computed map's
    ``peak_efficiency`` with its speed and torque.
    """
    machine = geometry.load_machine(MACHINE_TOML)
    drive = maps.load_drive(MACHINE_TOML)
    fm = flux_map(
        machine,
        grid=grid,
        positions=positions,
        current_limit_a=drive.current_limit_a,
        mesh_scale=mesh_scale,
    )
    meas = measured_points()
    speed, torque, eta_meas = meas["speed_rpm"], meas["torque_nm"], meas["efficiency_motor"]
    op = maps.operating_points(fm, drive, speed, torque, machine=machine)
    p_shaft = torque * speed * np.pi / 30.0
    points = [
        {
            "speed_rpm": float(s),
            "torque_nm": float(t),
            "efficiency_measured": float(em),
            "efficiency_computed": float(ec) if ok else None,
            "losses_measured_w": float(p * (1.0 / em - 1.0)),
            "losses_computed_w": float(lc) if ok else None,
            "iron_computed_w": float(fe) if ok else None,
            "copper_computed_w": float(cu) if ok else None,
        }
        for s, t, em, ec, p, lc, fe, cu, ok in zip(
            speed,
            torque,
            eta_meas,
            op.efficiency,
            p_shaft,
            op.losses_w,
            op.p_iron_w,
            op.p_copper_dc_w + op.p_copper_ac_w,
            op.valid,
            strict=True,
        )
    ]
    slices = {}
    for nominal in (1500, 3000):
        sel = np.abs(speed - nominal) < 50
        d = op.efficiency[sel] - eta_meas[sel]
        slices[str(nominal)] = {
            "points": int(sel.sum()),
            "inside_envelope": int(op.valid[sel].sum()),
            "mean_difference": float(np.nanmean(d)),
            "rms_difference": float(np.sqrt(np.nanmean(d * d))),
            "max_abs_difference": float(np.nanmax(np.abs(d))),
            "best_torque_measured_nm": float(torque[sel][np.argmax(eta_meas[sel])]),
            "best_torque_computed_nm": float(torque[sel][np.nanargmax(op.efficiency[sel])]),
            "best_efficiency_measured": float(eta_meas[sel].max()),
            "best_efficiency_computed": float(np.nanmax(op.efficiency[sel])),
        }
    em = maps.efficiency_map(fm, drive, machine=machine)
    return {
        "machine": machine.name,
        "points": points,
        "slices": slices,
        "peak_efficiency": em.peak_efficiency,
        "peak_efficiency_speed_rpm": em.peak_speed_rpm,
        "peak_efficiency_torque_nm": em.peak_torque_nm,
        "measured_max_efficiency": float(eta_meas.max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="JSON output")
    args = parser.parse_args()
    res = compare()
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print(f"{res['machine']} vs ORNL/TM-2006/423 Table B-1 (motor efficiency, %)")
    print(f"{'rpm':>6} {'N·m':>7} {'ORNL':>6} {'repm':>6} {'diff':>6} {'loss ORNL W':>12} "
          f"{'loss repm W':>12} {'iron W':>8} {'copper W':>9}")  # fmt: skip
    for p in res["points"]:
        ec = p["efficiency_computed"]
        if ec is None:
            eta = p["efficiency_measured"] * 100
            print(f"{p['speed_rpm']:6.0f} {p['torque_nm']:7.1f} {eta:6.1f}  outside the envelope")
            continue
        print(f"{p['speed_rpm']:6.0f} {p['torque_nm']:7.1f} {p['efficiency_measured'] * 100:6.1f} "
              f"{ec * 100:6.1f} {(ec - p['efficiency_measured']) * 100:+6.1f} "
              f"{p['losses_measured_w']:12.0f} {p['losses_computed_w']:12.0f} "
              f"{p['iron_computed_w']:8.0f} {p['copper_computed_w']:9.0f}")  # fmt: skip
    for nominal, s in res["slices"].items():
        print(f"{nominal} rpm: {s['inside_envelope']}/{s['points']} points inside the envelope; "
              f"repm − ORNL mean {s['mean_difference'] * 100:+.1f}, RMS "
              f"{s['rms_difference'] * 100:.1f}, max |diff| {s['max_abs_difference'] * 100:.1f} "
              f"points; best efficiency {s['best_efficiency_measured'] * 100:.1f} % at "
              f"{s['best_torque_measured_nm']:.0f} N·m (ORNL), "
              f"{s['best_efficiency_computed'] * 100:.1f} % at "
              f"{s['best_torque_computed_nm']:.0f} N·m (repm)")  # fmt: skip
    print(f"computed map peak {res['peak_efficiency'] * 100:.1f} % at "
          f"{res['peak_efficiency_speed_rpm']:.0f} rpm, {res['peak_efficiency_torque_nm']:.0f} "
          f"N·m; highest measured (these two speeds) "
          f"{res['measured_max_efficiency'] * 100:.1f} %")  # fmt: skip


if __name__ == "__main__":
    main()
