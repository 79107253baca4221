"""Plots of a field analysis: |B| map with flux lines, back-EMF, cogging, torque vs rotor angle."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from repm.analysis.analyze import FieldAnalysis
from repm.analysis.model import FieldModel
from repm.errors import InputError
from repm.fem import Solver

__all__ = ["write_report"]


def _figure():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_field(model: FieldModel, path: Path, rotor_angle_rad: float = 0.0) -> None:
    """|B| map (T) of the no-load field at ``rotor_angle_rad`` with flux lines (contours of A_z),
    rotor drawn at its position, written to ``path`` (PNG)."""
    plt = _figure()
    sol = Solver(model.problem).solve(rotor_angle_rad)
    mesh = model.mesh
    c, s = np.cos(rotor_angle_rad), np.sin(rotor_angle_rad)
    nodes = mesh.nodes.copy()
    moving = np.zeros(len(nodes), bool)
    moving[np.unique(model.problem.triangles[model.problem.rotor])] = True
    x, y = nodes[moving, 0].copy(), nodes[moving, 1].copy()
    nodes[moving, 0], nodes[moving, 1] = c * x - s * y, s * x + c * y
    tris = np.concatenate([model.problem.triangles, sol.band_triangles])
    bmag = np.hypot(sol.b[:, 0], sol.b[:, 1])
    fig, ax = plt.subplots(figsize=(8, 8))
    pc = ax.tripcolor(nodes[:, 0], nodes[:, 1], tris, facecolors=bmag, cmap="viridis", vmin=0)
    ax.tricontour(nodes[:, 0], nodes[:, 1], tris, sol.a, levels=24, colors="w", linewidths=0.5)
    fig.colorbar(pc, ax=ax, label="|B| (T)", shrink=0.8)
    ax.set_aspect("equal")
    ax.set_title(f"{model.machine.name}: no-load |B| and flux lines")
    ax.set_xlabel("x (m)")
    ax.set_ylabel("y (m)")
    fig.savefig(path, dpi=150)
    plt.close(fig)


def _line_plot(path: Path, x, ys, labels, xlabel, ylabel, title) -> None:  # type: ignore[no-untyped-def]
    plt = _figure()
    fig, ax = plt.subplots(figsize=(7, 4))
    for y, label in zip(ys, labels, strict=True):
        ax.plot(x, y, marker=".", label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def write_report(analysis: FieldAnalysis, model: FieldModel, directory: str | Path) -> list[Path]:
    """Writes ``field.png``, ``emf.png``, ``cogging.png``, ``torque.png`` and ``summary.json``
    into ``directory`` (created if needed); returns the paths."""
    d = Path(directory)
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"report directory {str(d)!r} cannot be created: {e}") from e
    letters = "ABCDEFGHIJK"
    a = analysis
    paths = [d / "field.png", d / "emf.png", d / "cogging.png", d / "torque.png"]
    plot_field(model, paths[0])
    _line_plot(
        paths[1],
        a.angle_deg,
        a.emf_phase_v.T,
        [f"phase {letters[k]}" for k in range(a.emf_phase_v.shape[1])],
        "rotor angle (mech. deg)",
        "back-EMF (V)",
        f"No-load phase back-EMF at {a.speed_rpm:g} rpm",
    )
    _line_plot(
        paths[2],
        a.cogging_angle_deg,
        [a.cogging_nm],
        ["Arkkio"],
        "rotor angle (mech. deg)",
        "cogging torque (N·m)",
        f"Cogging torque: {a.cogging_pp_nm:.3g} N·m peak-to-peak",
    )
    _line_plot(
        paths[3],
        a.angle_deg,
        [a.torque_nm, a.torque_maxwell_nm],
        ["Arkkio", "Maxwell stress"],
        "rotor angle (mech. deg)",
        "torque (N·m)",
        f"Torque at id = {a.id_a:g} A, iq = {a.iq_a:g} A: mean {a.torque_avg_nm:.4g} N·m",
    )
    summary = d / "summary.json"
    from repm.cli._output import _jsonable

    summary.write_text(json.dumps(_jsonable(a.summary()), indent=2, allow_nan=False) + "\n")
    return [*paths, summary]
