"""Efficiency classes of a few motors (IEC 60034-30-1), with the provenance of each limit,
and the part-load efficiency of an IE3 induction motor against an IE5 PM motor."""

from __future__ import annotations

from repm.standards import classify, part_load

for power_kw, poles, eff in [(0.75, 4, 82.5), (11.0, 4, 91.6), (11.0, 4, 94.7), (250.0, 2, 96.0)]:
    res = classify(power_kw, poles, eff)
    limits = ", ".join(f"{c} {v:.1f} ({res.provenance[c]})" for c, v in res.limits.items())
    print(f"{power_kw:>6g} kW {poles}p η={eff:.1f} % -> {res.ie_class:9s} [{limits}]")

im = part_load.induction_part_load(11.0, 4, "IE3")
pm = part_load.pm_part_load(11.0, 4, "IE5")
print("\nload   IE3 induction   IE5 PM (model; see repm.standards.part_load for the basis)")
for x, e_im, n_im, e_pm in zip(im.load_fraction, im.efficiency, im.speed_rpm, pm.efficiency,
                               strict=True):  # fmt: skip
    print(
        f"{100 * x:4.0f} %  {100 * e_im:5.2f} % @ {n_im:6.1f} rpm   {100 * e_pm:5.2f} % @ 1500 rpm"
    )
