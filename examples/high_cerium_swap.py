"""What replacing part of the Nd/Pr with Ce does: remanence, temperature limit and the element
bill of one kilogram of magnet, over the Ce share of the rare earths (model data, labelled)."""

import repm

base = repm.magnets.grade("N38SH")
bill = base.element_bill(1.0)
nd_pr = bill.element_kg["Nd"] + bill.element_kg["Pr"]
print(f"base {base.name}: Br {base.br_t:.3f} T, Nd+Pr {nd_pr:.3f} kg/kg")
print("Ce share (%)  Br (T)  HcJ (kA/m)  max T (°C)  Nd+Pr (kg/kg)  Ce (kg/kg)  cost (USD/kg)")
for ce_share_pct in (0.0, 10.0, 20.0, 30.0, 40.0, 50.0):
    grade = repm.magnets.ce_substituted(ce_share_pct)
    bill = grade.element_bill(1.0)
    nd_pr = bill.element_kg.get("Nd", 0.0) + bill.element_kg.get("Pr", 0.0)
    print(
        f"{ce_share_pct:12.0f}  {grade.br_t:6.3f}  {grade.hcj_a_per_m / 1e3:10.0f}  "
        f"{grade.max_working_temperature_c:10.0f}  {nd_pr:13.3f}  "
        f"{bill.element_kg.get('Ce', 0.0):10.3f}  {bill.total_cost_usd:13.2f}"
    )
print("provenance of the Ce family:", repm.magnets.ce_substituted(20.0).provenance)
