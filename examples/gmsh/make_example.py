"""Regenerates ``spm_servo_12s10p.msh`` and ``regions.toml`` in this folder.

The mesh is the full 12-slot 10-pole SPM example machine (``repm.geometry.examples``), meshed
coarsely (mesh size ×3, one element layer per air-gap layer, 20° minimum angle) so the file stays
under 300 kB, and written as Gmsh 2.2 ASCII with named physical groups by
:func:`repm.gmsh_import.write_msh`. Run: ``python examples/gmsh/make_example.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from repm import geometry
from repm.gmsh_import import write_msh
from repm.mesh import triangulate

HERE = Path(__file__).resolve().parent


def _toml_value(v: Any) -> str:
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(round(v, 12))
    return str(v)


def dump_region_map(rmap: dict[str, Any], header: str) -> str:
    """The region-map dict of write_msh as TOML text."""
    lines = [header, ""]
    for key in ("dirichlet", "airgap", "stack_length_m"):
        if key in rmap:
            lines.append(f"{key} = {_toml_value(rmap[key])}")
    for name, spec in rmap["groups"].items():
        lines += ["", f'[groups."{name}"]']
        lines += [f"{k} = {_toml_value(v)}" for k, v in spec.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    machine = geometry.examples.spm_servo_12s10p()
    pslg = geometry.build_pslg(
        machine, sector=False, mesh_size=geometry.MeshSize(scale=3.0, airgap_layers=1)
    )
    mesh = triangulate(pslg, min_angle_deg=20.0)
    msh = HERE / "spm_servo_12s10p.msh"
    rmap = write_msh(msh, mesh, turns=machine.winding.turns_per_coil, float_fmt=".9g")
    rmap["stack_length_m"] = machine.stator.stack_length_m
    # Rated-ish phase currents at electrical angle 0: i_A = I, i_B = i_C = -I/2.
    for spec in rmap["groups"].values():
        if spec["kind"] == "coil":
            spec["current_a"] = {"A": 10.0, "B": -5.0, "C": -5.0}[spec["phase"]]
    header = (
        "# Region map of spm_servo_12s10p.msh (written by make_example.py): what each physical\n"
        "# group is. Schema: repm.gmsh_import. Magnet directions and coil sides come from the\n"
        "# machine description; current_a are example phase currents (A)."
    )
    (HERE / "regions.toml").write_text(dump_region_map(rmap, header), encoding="utf-8")
    print(f"wrote {msh.name} ({msh.stat().st_size / 1e3:.0f} kB, {len(mesh.nodes)} nodes)")


if __name__ == "__main__":
    main()
