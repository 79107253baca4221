"""Operating envelope and efficiency maps (issue #5).

* :class:`FluxMap` (:mod:`repm.maps.fluxmap`): dq flux linkages, torque and loss coefficients on
  a current grid, with C1 interpolation and the inverse map; :meth:`FluxMap.linear` for analytic
  machines.
"""

from repm.maps.fluxmap import FluxMap

__all__ = ["FluxMap"]
