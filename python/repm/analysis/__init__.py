"""Field analysis of PM machines on the nonlinear FEM solver (:mod:`repm.fem`).

* :func:`field_model`: machine description → mesh → :class:`repm.fem.Problem` with materials,
  magnets at temperature and coil groups (:class:`FieldModel`).
* :func:`analyze`: back-EMF (waveform, harmonics, THD), cogging torque, torque and ripple at dq
  currents (Arkkio and Maxwell stress), dq flux linkages, magnet working point and
  demagnetisation margin (:class:`FieldAnalysis`).
* :func:`write_report`: plots (|B| map with flux lines, back-EMF, cogging, torque).
"""

from repm.analysis.analyze import FieldAnalysis, analyze
from repm.analysis.model import FieldModel, field_model
from repm.analysis.report import write_report

__all__ = ["FieldAnalysis", "FieldModel", "analyze", "field_model", "write_report"]
