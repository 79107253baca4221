"""Field analysis of the bundled 12-slot 10-pole SPM servo motor with the nonlinear FEM solver:
back-EMF, cogging, torque at a q-axis current, and what a hotter magnet does to them.

Run: ``python examples/field_analysis.py`` (writes plots into ``servo-report/``).
"""

from __future__ import annotations

from repm.analysis import analyze, field_model, write_report
from repm.geometry import examples

machine = examples.spm_servo_12s10p()
for temperature_c in (20.0, 120.0):
    # the smallest anti-periodic sector (6 slots), a coarse mesh for a quick run
    model = field_model(machine, mesh_scale=1.5, magnet_temperature_c=temperature_c)
    result = analyze(model, speed_rpm=3000.0, iq_a=10.0, positions=16)
    print(
        f"magnets at {temperature_c:5.1f} °C: back-EMF {result.emf_rms_line_v:6.1f} V line rms "
        f"at 3000 rpm (THD {result.emf_thd_pct:.1f} %), cogging {result.cogging_pp_nm:.3f} N·m "
        f"p-p, torque at iq = 10 A {result.torque_avg_nm:.2f} N·m (Maxwell stress "
        f"{result.torque_maxwell_avg_nm:.2f}), ripple {result.torque_ripple_pct:.1f} %, "
        f"smallest demagnetisation margin {result.min_demag_margin_a_per_m / 1e3:.0f} kA/m"
    )
paths = write_report(result, model, "servo-report")
print("wrote", ", ".join(str(p) for p in paths))
print(f"solver: {result.solver['nodes']} nodes, {result.solver['solves']} nonlinear solves")
