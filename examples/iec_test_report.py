"""IEC 60034-2-1 method 2-1-1B on the bundled SYNTHETIC test record: loss separation, residual-loss
regression and efficiency versus load, then a check that the known model losses are recovered."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from repm.standards.iec60034_2_1 import evaluate
from repm.standards.records import load_record
from repm.standards.report import write_plots
from repm.standards.synthetic import synthetic_induction_record

record = load_record(Path(__file__).resolve().parent / "test_records" / "im_11kw_synthetic.toml")
report = evaluate(record)
reg = report.regression
assert reg is not None
print(f"P_Lr = {reg.slope_a:.5f}·T² + {reg.intercept_b:.3f} W, γ = {reg.gamma:.6f}")
print(f"P_fw0 = {report.constant_losses['p_fw0_w']:.2f} W")
for load, eta in report.efficiency_vs_load_pct.items():
    print(f"η at {load:3d} % load: {eta:.2f} %")

_, truth = synthetic_induction_record()
rows = (report.points["row"] - 1).astype(int)
for key in ("p_s", "p_r", "p_fe", "p_fw", "p_ll"):
    err = np.abs(report.points[key + "_w"] - truth[key][rows]) / truth["p1"][rows]
    print(f"{key:5s} recovered within {100 * err.max():.2e} % of input power")
print("plots:", ", ".join(p.name for p in write_plots(report, Path("iec_report"))))
