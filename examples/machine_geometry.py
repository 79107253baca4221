"""Machine geometry: load the example machines from examples/machines/*.toml, print their
derived masses and rare-earth bill, and the size of the PSLG handed to the mesher (smallest
sector and full machine)."""

import time
from pathlib import Path

from repm import geometry

HERE = Path(__file__).resolve().parent / "machines"

for path in sorted(HERE.glob("*.toml")):
    m = geometry.load_machine(path)
    d = geometry.derived(m)
    print(f"{m.name}")
    print(
        f"  masses: stator steel {d.stator_steel_mass_kg:.2f} kg, rotor steel"
        f" {d.rotor_steel_mass_kg:.2f} kg, copper {d.copper_mass_kg:.2f} kg,"
        f" magnets {d.magnet_mass_kg:.3f} kg; slot fill {d.slot_fill:.2f}"
    )
    ree = {k: v for k, v in d.element_bill.element_kg.items() if k in ("Nd", "Pr", "Dy", "Tb")}
    print("  rare earths: " + ", ".join(f"{k} {v * 1000:.0f} g" for k, v in ree.items()))
    for sector in (True, False):
        t0 = time.perf_counter()
        p = geometry.build_pslg(m, sector=sector)
        ms = (time.perf_counter() - t0) * 1e3
        what = (
            f"sector {p.sector_angle_rad * 180 / 3.141592653589793:.0f} deg" if sector else "full"
        )
        print(
            f"  PSLG {what}: {len(p.points)} points, {len(p.regions)} regions,"
            f" {len(p.band_rotor_points)} band points per circle, {ms:.0f} ms"
        )
