# Type stubs of the compiled extension `repm._core`. Each binding module of rust/python/src has
# its own section below; keep the sections in the same order as the Rust files.

__version__: str

# --- magnets (rust/python/src/magnets.rs) ---

# --- steels and conductors (rust/python/src/steels.rs) ---

# --- winding (rust/python/src/winding.rs) ---

from typing import Any

import numpy as np
import numpy.typing as npt

def winding_feasibility(slots: int, poles: int, phases: int, layers: int) -> tuple[bool, int, str]:
    """(feasible, reason code, reason); raises InputError/WindingError for malformed inputs."""

def winding_analyse(
    slots: int,
    poles: int,
    phases: int,
    layers: int,
    pitch: int | None,
    skew_slots: float,
    max_order: int,
) -> dict[str, Any]:
    """Keys: pitch, layout_phase, layout_sign (int64 Q×layers), layout_text, winding_factors
    (signed, float64), periodicity, sector_slots, sector_poles, antiperiodic, lcm_slots_poles,
    q_num, q_den, mmf_orders (uint32), mmf_amplitudes (float64), differential_leakage."""

def winding_table(
    slots: npt.NDArray[np.uint32],
    poles: npt.NDArray[np.uint32],
    phases: int,
    layers: int,
    max_order: int,
) -> dict[str, np.ndarray]:
    """Columns: slots, poles, feasible, reason, pitch, kw (rows×max_order, abs, NaN if
    infeasible), periodicity, lcm, q_num, q_den."""
