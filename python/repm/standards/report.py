"""Plots of an IEC 60034-2-1 evaluation (matplotlib, Agg backend): residual-loss regression,
efficiency versus load and the loss breakdown versus load."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from repm.errors import StandardsError
from repm.standards.iec60034_2_1 import TestReport


def write_plots(report: TestReport, directory: str | Path) -> list[Path]:
    """Writes PNG plots of ``report`` into ``directory`` (created if needed); returns the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StandardsError(f"--report {str(out)!r} cannot be created: {err}") from None
    pts = report.points
    p_n = report.rated_power_kw * 1000.0
    load_pct = 100.0 * (pts["p1_w"] - pts["total_loss_w"]) / p_n
    paths = []

    if report.regression is not None:
        reg = report.regression
        fig, ax = plt.subplots(figsize=(6, 4))
        t2 = pts["torque_nm"] ** 2
        used = np.zeros(len(t2), dtype=bool)
        used[list(reg.used_points)] = True
        ax.plot(t2[used], pts["p_lr_w"][used], "o", label="residual loss P_Lr")
        if (~used).any():
            ax.plot(t2[~used], pts["p_lr_w"][~used], "x", color="red", label="deleted point")
        xs = np.linspace(0.0, float(t2.max()) * 1.05, 50)
        ax.plot(
            xs,
            reg.slope_a * xs + reg.intercept_b,
            "-",
            label=f"A·T² + B, A = {reg.slope_a:.4g} W/(N·m)², γ = {reg.gamma:.4f}",
        )
        ax.set_xlabel("T² (N·m)²")
        ax.set_ylabel("P_Lr (W)")
        ax.set_title("IEC 60034-2-1 2-1-1B residual-loss regression")
        ax.legend(fontsize=8)
        fig.tight_layout()
        paths.append(out / "residual_loss_regression.png")
        fig.savefig(paths[-1], dpi=120)
        plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(load_pct, 100.0 * pts["efficiency"], "o", label="test points (corrected)")
    evl = {k: v for k, v in report.efficiency_vs_load_pct.items() if v is not None}
    ax.plot(list(evl), list(evl.values()), "s-", label="at 25/50/75/100/125 %")
    ax.set_xlabel("load (% of rated output)")
    ax.set_ylabel("efficiency (%)")
    ax.set_title(f"Efficiency versus load ({report.method})")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    paths.append(out / "efficiency_vs_load.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4))
    order = np.argsort(load_pct)
    if report.method == "2-1-1B":
        parts = [
            ("stator winding P_s", "p_s_corr_w"),
            ("rotor winding P_r", "p_r_corr_w"),
            ("iron P_fe", "p_fe_w"),
            ("friction+windage P_fw", "p_fw_corr_w"),
            ("additional load P_LL", "p_ll_w"),
        ]
    else:
        parts = [("stator winding P_s", "p_s_corr_w"), ("other losses", "other_loss_w")]
    ax.stackplot(load_pct[order], *[pts[k][order] for _, k in parts], labels=[n for n, _ in parts])
    ax.set_xlabel("load (% of rated output)")
    ax.set_ylabel("losses (W), corrected to 25 °C coolant")
    ax.set_title("Losses versus load")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    paths.append(out / "losses_vs_load.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)
    return paths
