"""Mesh the bundled example machines (smallest sector and full cross-section) and report the
quality figures a solver cares about: nodes, elements, minimum angle, periodic pairs."""

from pathlib import Path

from repm import geometry, mesh

EXAMPLES = (
    geometry.prius2004,
    geometry.industrial_11kw_ipm,
    geometry.spm_servo_12s10p,
    geometry.outer_rotor_spm_24s20p,
)

for make in EXAMPLES:
    machine = make()
    for sector in (True, False):
        m = mesh.triangulate(geometry.build_pslg(machine, sector=sector))
        q = m.quality
        kind = f"{m.sector_angle_rad * 57.29577951308232:.0f}° sector" if sector else "full"
        print(
            f"{machine.name[:40]:40s} {kind:12s} {q.n_nodes:6d} nodes {q.n_triangles:6d} "
            f"triangles, min angle {q.min_angle_deg:4.1f}°, {len(m.periodic_pairs)} periodic pairs"
        )

# Write the Prius sector for ParaView and a picture of it.
prius = mesh.triangulate(geometry.build_pslg(geometry.prius2004()))
prius.write(Path("prius_sector.vtu"))
prius.plot(path=Path("prius_sector.png"))
print("wrote prius_sector.vtu and prius_sector.png")
