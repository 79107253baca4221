"""Efficiency standards: IEC 60034-30-1 classes, IEC 60034-2-1 test evaluation, part-load models.

Modules: :mod:`repm.standards.iec60034_30_1` (minimum efficiencies and classification),
:mod:`repm.standards.records` (the TOML test-record format), :mod:`repm.standards.iec60034_2_1`
(loss separation 2-1-1B and the direct method) and :mod:`repm.standards.part_load` (efficiency,
power factor and speed versus load). Every value carries its provenance; see each module.
"""

from __future__ import annotations

from repm.standards.iec60034_30_1 import (
    Classification,
    EfficiencyLimit,
    classify,
    minimum_efficiency,
    table,
)

__all__ = ["Classification", "EfficiencyLimit", "classify", "minimum_efficiency", "table"]
