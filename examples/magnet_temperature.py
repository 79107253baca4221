"""Second-quadrant demagnetisation curves of a sintered NdFeB grade from 20 °C to its limit,
with the knee and the margin of a working point: what a designer checks for a hot rotor."""

import numpy as np

import repm

grade = repm.magnets.grade("N42SH")
h = np.linspace(-2.0e6, 0.0, 9)  # field along the magnetisation, A/m

print(f"{grade.name}: Br {grade.br_t:.3f} T, HcJ {grade.hcj_a_per_m / 1e3:.0f} kA/m at 20 °C")
print("T (°C)  Br (T)  HcJ (kA/m)  knee (kA/m)  margin at -400 kA/m (kA/m)")
for temperature_c in (20.0, 60.0, 100.0, 150.0):
    margin = grade.demag_margin(-4.0e5, temperature_c)
    print(
        f"{temperature_c:6.0f}  {grade.br_t_at(temperature_c):6.3f}  "
        f"{grade.hcj_a_per_m_at(temperature_c) / 1e3:10.0f}  "
        f"{grade.knee_field_a_per_m(temperature_c) / 1e3:11.0f}  {margin / 1e3:10.0f}"
    )

# The whole B(H) curve at 150 °C, vectorised over H (values below -HcJ are outside the model).
hcj_hot = grade.hcj_a_per_m_at(150.0)
h_hot = np.linspace(-hcj_hot, 0.0, 7)
for hi, bi in zip(h_hot, grade.demag_curve(h_hot, 150.0), strict=True):
    print(f"H = {hi / 1e3:8.1f} kA/m  ->  B = {bi:6.3f} T")
