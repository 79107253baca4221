# Type stubs of the compiled extension `repm._core`. Each binding module of rust/python/src has
# its own section below; keep the sections in the same order as the Rust files.

from typing import Any

import numpy as np
import numpy.typing as npt
from numpy.typing import NDArray

__version__: str

# --- magnets (rust/python/src/magnets.rs) ---
# Price rows: (item, basis "element"|"oxide", usd_per_kg, date, source).
# Model tuple: (br_t, hcj_a_per_m, alpha_br_pct_per_c, beta_hcj_pct_per_c, reference_temperature_c,
#               min_temperature_c, max_working_temperature_c, mu_rec, squareness).

def magnet_grade(name: str) -> dict[str, Any]: ...
def magnet_list(family: str | None = None) -> list[str]: ...
def magnet_families() -> list[str]: ...
def magnet_family_model(family: str) -> tuple[float, float, float | None]: ...
def magnet_ce_substituted(
    ce_share_pct: float,
    hcj_a_per_m: float | None = None,
    br0_t: float | None = None,
    name: str | None = None,
) -> dict[str, Any]: ...
def magnet_validate(props: dict[str, Any]) -> dict[str, Any]: ...
def magnet_eval(
    quantity: str,
    model: tuple[float, float, float, float, float, float, float, float, float],
    h: npt.NDArray[np.float64],
    t: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]: ...
def magnet_element_bill(
    composition_wt_pct: list[tuple[str, float]],
    mass_kg: float,
    prices: list[tuple[str, str, float, str, str]] | None = None,
) -> dict[str, Any]: ...
def magnet_default_prices() -> list[tuple[str, str, float, str, str]]: ...
def magnet_parse_prices(text: str) -> list[tuple[str, str, float, str, str]]: ...
def magnet_check_prices(
    prices: list[tuple[str, str, float, str, str]],
) -> list[tuple[str, str, float, str, str]]: ...
def magnet_element_data() -> list[tuple[str, float, str, float]]: ...

# --- steels and conductors (rust/python/src/steels.rs) ---

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

# --- mesh (rust/python/src/mesh.rs) ---

def mesh_triangulate(
    points: NDArray[np.float64],
    loop_ptr: NDArray[np.int64],
    loop_points: NDArray[np.int64],
    loop_region: NDArray[np.int64],
    loop_protected: NDArray[np.bool_],
    region_size_m: NDArray[np.float64],
    periodic_pairs: NDArray[np.int64],
    sector_angle_rad: float,
    band_rotor_points: NDArray[np.int64],
    band_stator_points: NDArray[np.int64],
    min_angle_deg: float,
    max_nodes: int,
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64], dict[str, Any]]:
    """(nodes (M, 2) m, triangles (T, 3) int64 CCW, region (T,) int64, dict with keys
    min_angle_deg, n_below, n_below_forced, n_below_sharp_corner, n_below_protected,
    region_area_m2 (float64 per region, m²), periodic_pairs ((P, 2) int64: the input pairs, then
    the pairs of points added on the sector sides)).
    Raises GeometryError (invalid PSLG), InputError (options), MeshError (node limit, kernel)."""

def mesh_band_triangles(
    points: NDArray[np.float64],
    rotor: NDArray[np.int64],
    stator: NDArray[np.int64],
    full: bool,
    shift: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Air-gap band for a rotor shift of `shift` node steps: (triangles (T, 3) int64, wraps (T,)
    int64 sector wraps of each triangle's stator nodes). Raises GeometryError."""

# --- fleet (rust/python/src/fleet.rs) ---
# `cols`: dict of 1-D C-contiguous arrays: key (uint64); on_vsd, trimmed (bool); profile_offsets
# (uint64, n + 1); rated_kw, sync_rpm, im_slip_rated, im_loss_ratio, im_c0, pm_loss_ratio, pm_c0,
# speed_exponent, trim_efficiency, profile_load, profile_hours, price_per_kwh,
# emission_kg_per_kwh, capex (float64). Every fleet binding raises InputError on bad input.

def fleet_motor_keys(ids: list[str]) -> NDArray[np.uint64]:
    """Stable 64-bit keys of motor ids (FNV-1a 64 + SplitMix64 finaliser)."""

def fleet_evaluate(
    cols: dict[str, NDArray[Any]], discount_rate: float, escalation: float, horizon_years: int
) -> dict[str, NDArray[np.float64]]:
    """Per-motor results: mean_load, hours, im_speed_rpm, shaft_power_increase_pct, baseline_kwh,
    pm_untrimmed_kwh, pm_trimmed_kwh, savings_untrimmed_kwh, savings_trimmed_kwh, savings_kwh,
    annual_value, payback_years (inf: no savings), npv, irr (NaN: undefined), co2_t_per_year."""

def fleet_capex(
    rated_kw: NDArray[np.float64],
    trimmed: NDArray[np.bool_],
    price_coef: float,
    price_exp: float,
    class_multiplier: float,
    install_fraction: float,
    install_fixed: float,
    trim_fixed: float,
    trim_per_kw: float,
    vsd_coef: float,
    vsd_exp: float,
    trim_by_vsd: bool,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(motor, installation, trim) cost per motor, USD."""

def fleet_magnet_mass(
    rated_kw: NDArray[np.float64],
    sync_rpm: NDArray[np.float64],
    g_per_nm: float,
    grade_factor: float,
) -> NDArray[np.float64]:
    """Magnet mass per motor, kg: g_per_nm/1000 · rated torque (N·m) · grade_factor."""

def fleet_monte_carlo(
    cols: dict[str, NDArray[Any]],
    include: NDArray[np.bool_],
    discount_rate: float,
    escalation: float,
    horizon_years: int,
    seed: int,
    samples: int,
    load_rel_sd: float,
    hours_rel_sd: float,
    price_rel_sd: float,
    emission_rel_sd: float,
    magnet_rel_sd: float,
    efficiency_tolerance: bool,
    motor_quantiles: bool,
) -> dict[str, Any]:
    """total_savings_kwh, total_value, total_npv, total_co2_kg: per-sample sums over the included
    motors as exact fixed-point ints (divide by fixed_scale); price_factor, emission_factor,
    magnet_factor (float64 per sample); npv_mean, npv_sd, prob_npv_positive, savings_mean_kwh and
    (if motor_quantiles, else empty) npv_p10, npv_p50, npv_p90 (float64 per motor)."""

def fleet_select(
    objective: NDArray[np.float64],
    capex: NDArray[np.float64],
    key: NDArray[np.uint64],
    budget: float,
) -> tuple[NDArray[np.bool_], NDArray[np.uint32], float, float, float]:
    """(selected, rank (0 = not a candidate), objective total, capex total, LP upper bound)."""

# --- fem (rust/python/src/fem.rs) ---
# Solution dicts hold: a (M,), b (T+Tb, 2), band_triangles (Tb, 3) int64, rotor_angle_rad,
# energy_j_per_m, coenergy_j_per_m, torque_arkkio_nm_per_m, group_a_integral (G,),
# newton_iterations, residuals (list[float]), seconds, factorizations, linear_iterations.

class FemFactorCache:
    def __init__(self) -> None: ...
    def __len__(self) -> int: ...
    def clear(self) -> None: ...

class FemSolver:
    def __init__(
        self,
        nodes: NDArray[np.float64],
        triangles: NDArray[np.int64],
        nu_r: NDArray[np.float64],
        steel: NDArray[np.int64],
        steels: list[tuple[list[float], list[float], float]],
        br_t: NDArray[np.float64],
        source_group: NDArray[np.int64],
        n_groups: int,
        rotor: NDArray[np.bool_],
        dirichlet_nodes: NDArray[np.int64],
        periodic_pairs: NDArray[np.int64],
        antiperiodic: bool,
        sector_angle_rad: float,
        band_rotor_nodes: NDArray[np.int64],
        band_stator_nodes: NDArray[np.int64],
        tol: float,
        max_iterations: int,
        newton_krylov: bool = True,
    ) -> None:
        """Raises InputError (values, constraints, B-H data), GeometryError (triangles, band)."""
    def solve(
        self,
        rotor_angle_rad: float,
        group_current_density: NDArray[np.float64],
        a0: NDArray[np.float64] | None = None,
    ) -> dict[str, Any]:
        """Raises InputError, ConvergenceError (with .residuals)."""
    def solve_batch(
        self,
        rotor_angles_rad: NDArray[np.float64],
        group_current_density: NDArray[np.float64],
        a0: NDArray[np.float64] | None = None,
        factors: FemFactorCache | None = None,
    ) -> list[dict[str, Any]]:
        """Raises InputError, ConvergenceError (with .residuals)."""
    def info(self) -> tuple[int, int, int, float | None]:
        """(n_nodes, n_triangles, n_dof, band step in rad or None)."""

# --- machine (rust/python/src/machine.rs) ---
# Point dicts hold (N,) float64 arrays id_a, iq_a, torque_em_nm, torque_nm, voltage_v, p_shaft_w,
# p_electrical_w, p_copper_dc_w, p_copper_ac_w, p_iron_w, p_magnet_w, p_mechanical_w,
# p_inverter_w, efficiency, system_efficiency (NaN where not valid) and bool arrays valid,
# feasible. Speeds omega_m in rad/s. Every binding raises InputError on bad input.

class DriveModel:
    def __init__(
        self,
        id_a: NDArray[np.float64],
        iq_a: NDArray[np.float64],
        fields: list[NDArray[np.float64]],
        pole_pairs: int,
        phases: int,
        drive: tuple[float, float, float, float, float, float, float, float],
    ) -> None: ...
    def evaluate_into(
        self,
        speed_rpm: NDArray[np.float64],
        id_a: NDArray[np.float64],
        iq_a: NDArray[np.float64],
        speed_out: NDArray[np.float64],
        values: list[NDArray[np.float64]],
        feasible: NDArray[np.bool_],
        valid: NDArray[np.bool_],
    ) -> None: ...
    def envelope(
        self, omega_m: NDArray[np.float64]
    ) -> tuple[dict[str, NDArray[Any]], dict[str, NDArray[Any]]]: ...
    def efficiency_map(
        self, omega_m: NDArray[np.float64], torque_nm: NDArray[np.float64], strategy: str
    ) -> dict[str, NDArray[Any]]: ...
    def solve_points(
        self, omega_m: NDArray[np.float64], torque_nm: NDArray[np.float64], strategy: str
    ) -> dict[str, NDArray[Any]]: ...
    def mtpa(
        self, current_a: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]: ...
    def corner_speed(self) -> float | None: ...
