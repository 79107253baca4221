"""Plots of envelopes and efficiency maps (``repm map --report DIR``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from repm.maps.drive import EfficiencyMap, Envelope, OperatingPoints

__all__ = ["write_report"]


def write_report(
    directory: str | Path,
    env: Envelope,
    emap: EfficiencyMap,
    *,
    points: OperatingPoints | None = None,
    title: str = "",
) -> list[Path]:
    """Writes ``envelope.png`` (torque and power vs speed, motoring and generating),
    ``efficiency_map.png`` (contours with the envelope and the given points) and
    ``loss_split.png`` (copper, iron, magnet, mechanical loss maps, W) into ``directory``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []

    fig, ax = plt.subplots(figsize=(7, 4.5))
    s = env.speed_rpm
    ax.plot(s, env.motoring.torque_nm, "C0", label="torque, motoring")
    ax.plot(s, env.generating.torque_nm, "C0--", label="torque, generating")
    ax.set_xlabel("speed (rpm)")
    ax.set_ylabel("shaft torque (N·m)")
    ax2 = ax.twinx()
    ax2.plot(s, env.motoring.p_shaft_w / 1e3, "C1", label="power, motoring")
    ax2.plot(s, env.generating.p_shaft_w / 1e3, "C1--", label="power, generating")
    ax2.set_ylabel("shaft power (kW)")
    if env.corner_speed_rpm:
        ax.axvline(env.corner_speed_rpm, color="0.6", lw=0.8)
    ax.set_title(f"{title} envelope")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="lower left")
    fig.tight_layout()
    paths.append(out / "envelope.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)

    sp, tq = np.meshgrid(emap.speed_rpm, emap.torque_nm, indexing="ij")
    eff = np.where(emap.points.valid, emap.points.efficiency * 100, np.nan)
    fig, ax = plt.subplots(figsize=(7, 5))
    levels = [50, 70, 80, 85, 88, 90, 92, 93, 94, 95, 96, 97, 98, 99]
    lo = np.nanmin(eff) if np.any(np.isfinite(eff)) else 0.0
    levels = [v for v in levels if v >= lo] or [lo]
    cf = ax.contourf(sp, tq, eff, levels=[0, *levels, 100], cmap="viridis")
    cs = ax.contour(sp, tq, eff, levels=levels, colors="k", linewidths=0.5)
    ax.clabel(cs, fontsize=7, fmt="%g")
    fig.colorbar(cf, ax=ax, label="efficiency (%)")
    ax.plot(s, env.motoring.torque_nm, "r", lw=1.2)
    if emap.torque_nm.min() < 0:
        ax.plot(s, env.generating.torque_nm, "r", lw=1.2)
    if points is not None:
        ok = points.valid
        ax.plot(points.speed_rpm[ok], points.torque_nm[ok], "wo", mec="k", ms=5)
    ax.set_xlabel("speed (rpm)")
    ax.set_ylabel("shaft torque (N·m)")
    ax.set_title(f"{title} efficiency ({emap.strategy}), peak {emap.peak_efficiency * 100:.2f} %")
    fig.tight_layout()
    paths.append(out / "efficiency_map.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)

    p = emap.points
    parts = [
        ("copper (DC + AC)", p.p_copper_dc_w + p.p_copper_ac_w),
        ("iron", p.p_iron_w),
        ("magnet", p.p_magnet_w),
        ("mechanical", p.p_mechanical_w),
    ]
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True, sharey=True)
    for a, (name, v) in zip(axes.ravel(), parts, strict=True):
        v = np.where(p.valid, v, np.nan)
        if np.any(np.isfinite(v)) and np.nanmax(v) > np.nanmin(v):
            c = a.contourf(sp, tq, v, levels=12, cmap="magma")
            fig.colorbar(c, ax=a, label="W")
        a.set_title(name)
    for a in axes[1]:
        a.set_xlabel("speed (rpm)")
    for a in axes[:, 0]:
        a.set_ylabel("torque (N·m)")
    fig.suptitle(f"{title} losses")
    fig.tight_layout()
    paths.append(out / "loss_split.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)
    return paths
