# Type stubs of the compiled extension `repm._core`. Each binding module of rust/python/src has
# its own section below; keep the sections in the same order as the Rust files.

__version__: str

# --- magnets (rust/python/src/magnets.rs) ---

# --- steels and conductors (rust/python/src/steels.rs) ---

from typing import Any

import numpy as np
from numpy.typing import NDArray

class BhCurve:
    def __init__(
        self, h_a_per_m: NDArray[np.float64], b_t: NDArray[np.float64], stacking_factor: float = 1.0
    ) -> None: ...
    def nu(self, b_squared: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def dnu_db2(self, b_squared: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def h_from_b(self, b_t: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def b_from_h(self, h_a_per_m: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def mu_r(self, b_t: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def knots(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]: ...
    @property
    def stacking_factor(self) -> float: ...
    @property
    def nu_at_zero(self) -> float: ...

def steel_names() -> list[str]: ...
def steel_grade_data(name: str) -> dict[str, Any]: ...
def fit_iron_loss(
    f_hz: NDArray[np.float64],
    b_peak_t: NDArray[np.float64],
    p_w_per_kg: NDArray[np.float64],
    model: str = "bertotti",
    kc: float | None = None,
    max_iter: int = 200,
) -> dict[str, Any]: ...
def iron_loss_w_per_kg(
    model: str, params: list[float], f_hz: NDArray[np.float64], b_peak_t: NDArray[np.float64]
) -> NDArray[np.float64]: ...
def classical_kc(
    lamination_thickness_m: float, resistivity_ohm_m: float, density_kg_per_m3: float
) -> float: ...
def conductor_names() -> list[str]: ...
def conductor_data(name: str) -> dict[str, Any]: ...
def conductor_check(
    name: str,
    resistivity_20c_ohm_m: float,
    alpha_20_per_k: float,
    density_kg_per_m3: float,
    temperature_min_c: float,
    temperature_max_c: float,
    source: str,
) -> None: ...
def conductor_resistivity_ohm_m(
    name: str,
    resistivity_20c_ohm_m: float,
    alpha_20_per_k: float,
    density_kg_per_m3: float,
    temperature_min_c: float,
    temperature_max_c: float,
    temperature_c: NDArray[np.float64],
) -> NDArray[np.float64]: ...

# --- winding (rust/python/src/winding.rs) ---
