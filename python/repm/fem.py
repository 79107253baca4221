"""Low-level 2D magnetostatic finite elements (the Rust crate ``repm-fem``).

A :class:`Problem` is the cross-section as arrays (nodes, triangles, materials, sources,
constraints, the air-gap band); a :class:`Solver` holds it with the cached sparsity patterns and
symbolic Cholesky factorisations and returns :class:`Solution` objects.

Model (SI units): unknown A_z (Wb/m) on first-order triangles, B = curl A = (∂A/∂y, −∂A/∂x) in T.
Each element is linear with relative reluctivity ``nu_r`` (ν = ν_r/μ0; magnets: ν_r = 1/μ_rec,
H = ν(B − Br) with remanence ``br_t``) or nonlinear from a steel's B-H curve (ν(B²), the monotone
interpolant of :mod:`repm.steels`; remanence is ignored in steel). Current density J_z (A/m²) is
given per source group. Newton–Raphson with the exact Jacobian and a line search on the (convex)
energy along the Newton direction (damped, or extrapolated beyond the full step while the energy
still decreases there). By default inexact (Newton–Krylov): each Newton system is solved by
conjugate gradients preconditioned with the most recent numeric Cholesky factor of the same band
shift, only as accurately as the outer residual needs (Eisenstat–Walker forcing term), and the
Jacobian is refactorised when CG would cost more than a factorisation; these factorisations are
in single precision (f32, the preconditioner of CG on the double-precision system; an f64
factorisation if that fails), which does not change the accuracy of the solution
(``newton_krylov=False``: pure Newton, an f64 factorisation per iteration). Converged when ‖r‖/‖f‖ <
``tol`` (f: the source vector of magnets and currents) and, for nonlinear problems, the last
update max|ΔA| ≤ √tol·max|A|. Linear problems usually take one step.

Constraints: ``dirichlet_nodes`` have A = 0; periodic pairs (a, b) tie A_b = A_a (or −A_a when
``antiperiodic``) by master–slave elimination; nodes of no element are set to 0.

Rotor motion: rotor elements keep their rotor-frame geometry and remanence. The rotor angle
θ = k·step + frac (step = band node pitch, 0 ≤ frac < step) uses the band triangles of shift k
(:meth:`repm.mesh.Mesh.band_triangles`) with the rotor band nodes rotated by θ (the band is
sheared by frac, which stays valid). B of rotor elements is returned in the global (stator)
frame. In a sector, wrapped band triangles are placed where they physically are (stator nodes
turned by ``wraps`` sector angles) and their B is given there.

Outputs: energy Σ∫W dS with W = ½ν|B − Br|² (linear elements, = ½μ|H|²) and ∫₀^|B| H dB
(steel); co-energy with W' = ½μ|H|² + Br·H (linear) and B·H − W (steel), so that the torque is
∂W'/∂θ at constant current; Arkkio torque T = ∫_band r B_r B_θ dS / (μ0 (r_s − r_r)) on the
rotor (counter-clockwise positive, N·m per metre of stack, for the modelled part only: multiply
by the symmetry factor for the whole machine); ∫A dS per source group (Wb·m, for flux linkage).

Determinism: a cold solve (no ``a0``) is bit-for-bit repeatable. A warm single solve (``a0``
given) uses the factor that earlier solves of the same :class:`Solver` left for its band shift
(or, for a new shift, for a neighbouring one) as the preconditioner, so it depends on that
history within the tolerance.
:meth:`Solver.solve_batch` solves chunks of four consecutive points in parallel, warm-starting
each point from the previous one in its chunk (or, with ``a0``, every point from its own initial
guess, independently) and passing the numeric factor along the chunk; with a
:class:`FactorCache` the factor of point k is kept for point k of the next call. The chunking
does not depend on the thread count, so a batch is bit-for-bit identical for any number of
threads and depends only on its inputs and the cache's content (it differs from cold single
solves within the tolerance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from repm import _core
from repm.errors import GeometryError, InputError

if TYPE_CHECKING:
    from repm.mesh import Mesh
    from repm.steels import Steel

__all__ = [
    "FactorCache",
    "Problem",
    "Solution",
    "Solver",
    "arkkio_torque",
    "signed_triangle_areas",
]

MU0 = 4e-7 * math.pi  # vacuum permeability, H/m


def _arr(name: str, value: Any, dtype: Any, shape: tuple[int | None, ...]) -> NDArray[Any]:
    try:
        a = np.ascontiguousarray(value, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as e:
        raise InputError(f"{name} must be convertible to {np.dtype(dtype)}: {e}") from e
    if a.ndim != len(shape) or any(
        s is not None and s != n for s, n in zip(shape, a.shape, strict=True)
    ):
        want = "(" + ", ".join("n" if s is None else str(s) for s in shape) + ")"
        raise InputError(f"{name} must have shape {want}; got {a.shape}")
    if dtype is np.float64 and a.size and not np.all(np.isfinite(a)):
        bad = np.argwhere(~np.isfinite(a))[0]
        raise InputError(f"{name}[{', '.join(map(str, bad))}] must be finite; got {a[tuple(bad)]}")
    a.setflags(write=False)
    return a


def _int_arr(name: str, value: Any, shape: tuple[int | None, ...]) -> NDArray[np.int64]:
    raw = np.asarray(value)
    if raw.size and raw.dtype.kind not in "iu":
        if raw.dtype.kind != "f" or not np.all(np.isfinite(raw)) or np.any(raw != np.round(raw)):
            raise InputError(f"{name} must hold integers; got {raw.dtype} values")
    return _arr(name, raw, np.int64, shape)


@dataclass(frozen=True, eq=False)
class Problem:
    """Everything in the modelled part (sector or full machine), SI units.

    Attributes:
        nodes: (M, 2) float64, m; rotor nodes in the rotor frame at θ = 0.
        triangles: (T, 3) int64, counter-clockwise; the air-gap band is NOT included.
        nu_r: (T,) float64 relative reluctivity of linear elements, > 0 (ignored where
            ``steel >= 0``); magnets: 1/μ_rec.
        steel: (T,) int64 index into ``steels``, -1 = linear.
        steels: the nonlinear materials (:class:`repm.steels.Steel`; their ``bh_h_a_per_m``,
            ``bh_b_t`` and ``stacking_factor`` are used).
        br_t: (T, 2) float64 remanence vector, T (rotor frame for rotor elements).
        source_group: (T,) int64, -1 = no current, else a group index < ``n_groups``.
        n_groups: number of source groups.
        rotor: (T,) bool, True for elements that rotate with the rotor.
        dirichlet_nodes: (D,) int64 nodes with A = 0.
        periodic_pairs: (P, 2) int64 node pairs (a, b), b the image of a (as Mesh.periodic_pairs).
        antiperiodic: A_b = −A_a across the sides (else A_b = A_a).
        sector_angle_rad: angle of the modelled part, rad, in (0, 2π].
        band_rotor_nodes, band_stator_nodes: (n,) int64 air-gap band nodes, counter-clockwise;
            both empty for no band (no rotation, no Arkkio torque).
    """

    nodes: NDArray[np.float64]
    triangles: NDArray[np.int64]
    nu_r: NDArray[np.float64]
    steel: NDArray[np.int64]
    steels: tuple[Steel, ...]
    br_t: NDArray[np.float64]
    source_group: NDArray[np.int64]
    n_groups: int
    rotor: NDArray[np.bool_]
    dirichlet_nodes: NDArray[np.int64]
    periodic_pairs: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    antiperiodic: bool = False
    sector_angle_rad: float = 2 * math.pi
    band_rotor_nodes: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    band_stator_nodes: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))

    def __post_init__(self) -> None:
        s = object.__setattr__
        nodes = _arr("nodes", self.nodes, np.float64, (None, 2))
        m = len(nodes)
        tris = _int_arr("triangles", self.triangles, (None, 3))
        t = len(tris)
        if t == 0:
            raise InputError("triangles must hold at least one triangle; got 0")
        if tris.min() < 0 or tris.max() >= m:
            bad = int(np.argmax((tris < 0) | (tris >= m)))
            raise InputError(
                f"triangles[{bad // 3}] = {tris.reshape(-1)[bad - bad % 3 : bad - bad % 3 + 3]} "
                f"holds a node index outside 0..{m}"
            )
        p = nodes[tris]
        cross = (p[:, 1, 0] - p[:, 0, 0]) * (p[:, 2, 1] - p[:, 0, 1]) - (
            p[:, 2, 0] - p[:, 0, 0]
        ) * (p[:, 1, 1] - p[:, 0, 1])
        if np.any(cross <= 0):
            e = int(np.argmax(cross <= 0))
            raise GeometryError(
                f"triangles[{e}] = {tris[e].tolist()} is inverted or degenerate (signed area "
                f"{0.5 * cross[e]} m²): triangles must be counter-clockwise with positive area"
            )
        nu_r = _arr("nu_r", self.nu_r, np.float64, (t,))
        steel = _int_arr("steel", self.steel, (t,))
        steels = tuple(self.steels)
        from repm.steels import Steel

        for k, st in enumerate(steels):
            if not isinstance(st, Steel):
                raise InputError(
                    f"steels[{k}] must be a repm.steels.Steel; got {type(st).__name__}"
                )
        if t and (steel.min() < -1 or steel.max() >= len(steels)):
            e = int(np.argmax((steel < -1) | (steel >= len(steels))))
            raise InputError(
                f"steel[{e}] = {steel[e]} must be -1 (linear) or an index into steels "
                f"(0..{len(steels)})"
            )
        lin = steel < 0
        if np.any(lin & ~(nu_r > 0)):
            e = int(np.argmax(lin & ~(nu_r > 0)))
            raise InputError(f"nu_r[{e}] = {nu_r[e]} must be > 0 (relative reluctivity)")
        br = _arr("br_t", self.br_t, np.float64, (t, 2))
        n_groups = self.n_groups
        if (
            isinstance(n_groups, bool)
            or not isinstance(n_groups, (int, np.integer))
            or n_groups < 0
        ):
            raise InputError(f"n_groups = {n_groups!r} must be an integer >= 0")
        grp = _int_arr("source_group", self.source_group, (t,))
        if t and (grp.min() < -1 or grp.max() >= n_groups):
            e = int(np.argmax((grp < -1) | (grp >= n_groups)))
            raise InputError(
                f"source_group[{e}] = {grp[e]} must be -1 (no current) or in 0..{n_groups}"
            )
        rotor = np.asarray(self.rotor)
        if rotor.dtype != np.bool_ or rotor.ndim != 1:
            raise InputError(f"rotor must be a boolean array; got dtype {rotor.dtype}")
        rotor = _arr("rotor", rotor, np.bool_, (t,))
        dn = _int_arr("dirichlet_nodes", self.dirichlet_nodes, (None,))
        pairs = _int_arr("periodic_pairs", self.periodic_pairs, (None, 2))
        for name, arr in (("dirichlet_nodes", dn), ("periodic_pairs", pairs)):
            if arr.size and (arr.min() < 0 or arr.max() >= m):
                bad = arr.reshape(-1)[(arr.reshape(-1) < 0) | (arr.reshape(-1) >= m)][0]
                raise InputError(f"{name} holds node index {bad}, outside 0..{m}")
        sector = float(self.sector_angle_rad)
        if not (0.0 < sector <= 2 * math.pi + 1e-9):
            raise InputError(f"sector_angle_rad = {sector} must be in (0, 2π]")
        br_n = _int_arr("band_rotor_nodes", self.band_rotor_nodes, (None,))
        bs_n = _int_arr("band_stator_nodes", self.band_stator_nodes, (None,))
        if len(br_n) != len(bs_n):
            raise InputError(
                f"band_stator_nodes has {len(bs_n)} nodes but band_rotor_nodes has {len(br_n)}: "
                "they must pair up"
            )
        for name, arr in (("band_rotor_nodes", br_n), ("band_stator_nodes", bs_n)):
            if arr.size and (arr.min() < 0 or arr.max() >= m):
                raise InputError(f"{name} holds a node index outside 0..{m}")
        if len(dn) == 0 and not (self.antiperiodic and len(pairs)):
            raise InputError(
                "dirichlet_nodes is empty and the problem is not anti-periodic: A would be "
                "defined only up to a constant (singular system); fix at least one node"
            )
        for name, v in (
            ("nodes", nodes),
            ("triangles", tris),
            ("nu_r", nu_r),
            ("steel", steel),
            ("br_t", br),
            ("source_group", grp),
            ("rotor", rotor),
            ("dirichlet_nodes", dn),
            ("periodic_pairs", pairs),
            ("band_rotor_nodes", br_n),
            ("band_stator_nodes", bs_n),
        ):
            s(self, name, v)
        s(self, "steels", steels)
        s(self, "n_groups", int(n_groups))
        s(self, "antiperiodic", bool(self.antiperiodic))
        s(self, "sector_angle_rad", sector)

    @property
    def has_band(self) -> bool:
        """True when the problem has an air-gap band."""
        return len(self.band_rotor_nodes) > 0

    @classmethod
    def from_mesh(
        cls,
        mesh: Mesh,
        *,
        nu_r: Any,
        steel: Any,
        steels: tuple[Steel, ...] | list[Steel],
        br_t: Any,
        source_group: Any,
        n_groups: int,
        rotor: Any,
        dirichlet_nodes: Any,
    ) -> Problem:
        """A problem on a :class:`repm.mesh.Mesh`: nodes, triangles, periodic pairs,
        anti-periodicity, sector angle and band nodes come from the mesh; the per-triangle
        arrays (length ``len(mesh.triangles)``) and the Dirichlet nodes are given."""
        from repm.mesh import Mesh

        if not isinstance(mesh, Mesh):
            raise InputError(f"mesh must be a repm.mesh.Mesh; got {type(mesh).__name__}")
        return cls(
            nodes=mesh.nodes,
            triangles=mesh.triangles,
            nu_r=nu_r,
            steel=steel,
            steels=tuple(steels),
            br_t=br_t,
            source_group=source_group,
            n_groups=n_groups,
            rotor=rotor,
            dirichlet_nodes=dirichlet_nodes,
            periodic_pairs=mesh.periodic_pairs,
            antiperiodic=mesh.antiperiodic,
            sector_angle_rad=mesh.sector_angle_rad,
            band_rotor_nodes=mesh.band_rotor_nodes,
            band_stator_nodes=mesh.band_stator_nodes,
        )


@dataclass(frozen=True, eq=False)
class Solution:
    """One field solution (see the module docstring for the definitions).

    Attributes:
        a: (M,) A_z at every node, Wb/m (slaves filled with their sign).
        b: (T + Tb, 2) B per element, T, global frame: the problem's triangles, then the band's.
        band_triangles: (Tb, 3) int64 band triangles used (empty without a band).
        rotor_angle_rad: rotor angle, rad.
        energy_j_per_m: stored magnetic energy of the modelled part, J/m.
        coenergy_j_per_m: magnetic co-energy of the modelled part, J/m.
        group_a_integral: (G,) ∫A dS over each source group, Wb·m.
        newton_iterations: Newton iterations done (usually 1 for a linear problem, 0 without any
            source).
        residuals: relative residual ‖r‖/‖f‖ before and after each iteration.
        seconds: wall time of the solve, s.
        has_band: whether the problem had an air-gap band.
        factorizations: numeric Cholesky factorisations done by this solve.
        linear_iterations: preconditioned CG iterations done by this solve (0 for pure Newton).
    """

    a: NDArray[np.float64]
    b: NDArray[np.float64]
    band_triangles: NDArray[np.int64]
    rotor_angle_rad: float
    energy_j_per_m: float
    coenergy_j_per_m: float
    group_a_integral: NDArray[np.float64]
    newton_iterations: int
    residuals: tuple[float, ...]
    seconds: float
    has_band: bool
    torque_raw_nm_per_m: float = field(repr=False, default=0.0)
    factorizations: int = 0
    linear_iterations: int = 0

    @property
    def torque_arkkio_nm_per_m(self) -> float:
        """Arkkio torque on the rotor of the modelled part, N·m per metre of stack,
        counter-clockwise positive.

        Raises:
            InputError: the problem has no air-gap band.
        """
        if not self.has_band:
            raise InputError(
                "torque_arkkio_nm_per_m needs an air-gap band (band_rotor_nodes is empty)"
            )
        return self.torque_raw_nm_per_m


def _solution(d: dict[str, Any], has_band: bool) -> Solution:
    for k in ("a", "b", "band_triangles", "group_a_integral"):
        d[k].setflags(write=False)
    return Solution(
        a=d["a"],
        b=d["b"],
        band_triangles=d["band_triangles"],
        rotor_angle_rad=float(d["rotor_angle_rad"]),
        energy_j_per_m=float(d["energy_j_per_m"]),
        coenergy_j_per_m=float(d["coenergy_j_per_m"]),
        group_a_integral=d["group_a_integral"],
        newton_iterations=int(d["newton_iterations"]),
        residuals=tuple(float(r) for r in d["residuals"]),
        seconds=float(d["seconds"]),
        has_band=has_band,
        torque_raw_nm_per_m=float(d["torque_arkkio_nm_per_m"]),
        factorizations=int(d["factorizations"]),
        linear_iterations=int(d["linear_iterations"]),
    )


def _angle(name: str, value: Any) -> float:
    if isinstance(value, bool):
        raise InputError(f"{name} must be a number (rad); got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError) as e:
        raise InputError(f"{name} must be a number (rad); got {value!r}") from e
    if not math.isfinite(v):
        raise InputError(f"{name} = {v} must be finite (rad)")
    return v


class FactorCache:
    """Numeric Cholesky factors carried from one :meth:`Solver.solve_batch` call to the next,
    one per batch point index: pass the same cache to successive batches at the same rotor
    angles (e.g. a sweep over currents) so that each point starts with a recent factor of its
    band shift as the preconditioner. Point k of a call reads and writes slot k only, so the
    results do not depend on the thread count. Bound to the solver that last used it (another
    solver empties it). Not picklable (an unpickled or new cache is empty)."""

    def __init__(self) -> None:
        self._core = _core.FemFactorCache()

    def __len__(self) -> int:
        """Number of stored factors."""
        return len(self._core)

    def clear(self) -> None:
        """Drops every stored factor."""
        self._core.clear()

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]


class Solver:
    """Solves a :class:`Problem`; keeps the sparsity pattern, assembly map and symbolic
    Cholesky factorisation of every band shift it met (so repeated solves, operating points and
    rotor positions reuse them). Thread-safe; picklable (the caches are dropped).

    Args:
        problem: the :class:`Problem`.
        tol: relative residual tolerance, in (0, 1).
        max_iterations: Newton iteration limit, >= 1.
        newton_krylov: inexact Newton with a stale-factor preconditioned CG (default; see the
            module docstring); False: pure Newton, one factorisation per iteration.

    Raises:
        InputError: bad tolerance or limit, or a problem the Rust core refuses (conflicting
            periodic pairs, singular constraints, bad B-H data).
        GeometryError: degenerate triangles or an invalid air-gap band.
    """

    def __init__(
        self,
        problem: Problem,
        *,
        tol: float = 1e-8,
        max_iterations: int = 50,
        newton_krylov: bool = True,
    ) -> None:
        if not isinstance(problem, Problem):
            raise InputError(f"problem must be a repm.fem.Problem; got {type(problem).__name__}")
        try:
            tol_f = float(tol)
        except (TypeError, ValueError) as e:
            raise InputError(f"tol must be a number; got {tol!r}") from e
        if not (0.0 < tol_f < 1.0):
            raise InputError(f"tol = {tol!r} must be in (0, 1)")
        if isinstance(max_iterations, bool) or not isinstance(max_iterations, (int, np.integer)):
            raise InputError(f"max_iterations must be an integer; got {max_iterations!r}")
        if max_iterations < 1:
            raise InputError(f"max_iterations = {max_iterations} must be >= 1")
        if not isinstance(newton_krylov, (bool, np.bool_)):
            raise InputError(f"newton_krylov must be a bool; got {newton_krylov!r}")
        self._newton_krylov = bool(newton_krylov)
        self._problem = problem
        self._tol = tol_f
        self._max_iterations = int(max_iterations)
        p = problem
        self._core = _core.FemSolver(
            p.nodes,
            p.triangles,
            p.nu_r,
            p.steel,
            [(list(s.bh_h_a_per_m), list(s.bh_b_t), float(s.stacking_factor)) for s in p.steels],
            p.br_t,
            p.source_group,
            p.n_groups,
            p.rotor,
            p.dirichlet_nodes,
            p.periodic_pairs,
            p.antiperiodic,
            p.sector_angle_rad,
            p.band_rotor_nodes,
            p.band_stator_nodes,
            tol_f,
            self._max_iterations,
            self._newton_krylov,
        )

    @property
    def problem(self) -> Problem:
        return self._problem

    @property
    def tol(self) -> float:
        return self._tol

    @property
    def max_iterations(self) -> int:
        return self._max_iterations

    @property
    def newton_krylov(self) -> bool:
        return self._newton_krylov

    @property
    def band_step_rad(self) -> float | None:
        """Angular pitch of the band nodes, rad (None without a band)."""
        return self._core.info()[3]

    @property
    def n_dof(self) -> int:
        """Number of unknowns after Dirichlet and periodic elimination."""
        return self._core.info()[2]

    def __getstate__(self) -> dict[str, Any]:
        return {
            "problem": self._problem,
            "tol": self._tol,
            "max_iterations": self._max_iterations,
            "newton_krylov": self._newton_krylov,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["problem"],
            tol=state["tol"],
            max_iterations=state["max_iterations"],
            newton_krylov=state.get("newton_krylov", True),
        )

    def _currents(self, value: Any, shape: tuple[int, ...]) -> NDArray[np.float64]:
        if value is None:
            return np.zeros(shape, np.float64)
        return _arr("group_current_density", value, np.float64, shape)

    def solve(
        self,
        rotor_angle_rad: float = 0.0,
        group_current_density: Any = None,
        a0: Any = None,
    ) -> Solution:
        """One nonlinear solve.

        Args:
            rotor_angle_rad: rotor angle θ, rad, counter-clockwise.
            group_current_density: (G,) current density per source group, A/m² (default 0).
            a0: (M,) initial A_z, Wb/m (warm start, e.g. a previous ``Solution.a``; a warm
                solve also reuses the numeric factor cached for its band shift).

        Raises:
            InputError: non-finite or wrongly shaped inputs.
            ConvergenceError: Newton did not converge; ``.residuals`` holds the history.
        """
        th = _angle("rotor_angle_rad", rotor_angle_rad)
        j = self._currents(group_current_density, (self._problem.n_groups,))
        a = None if a0 is None else _arr("a0", a0, np.float64, (len(self._problem.nodes),))
        return _solution(self._core.solve(th, j, a), self._problem.has_band)

    def solve_batch(
        self,
        rotor_angles_rad: Any,
        group_current_density: Any = None,
        a0: Any = None,
        factors: FactorCache | None = None,
    ) -> list[Solution]:
        """K solves in parallel (see the module docstring for the determinism guarantee).

        Args:
            rotor_angles_rad: (K,) rotor angles, rad.
            group_current_density: (K, G) current densities, A/m² (default 0).
            a0: (K, M) initial A_z per point, Wb/m (e.g. the solutions of a neighbouring
                operating point at the same angles); default: warm starts within chunks.
            factors: a :class:`FactorCache` kept between calls (default: none).

        Raises:
            InputError: non-finite or wrongly shaped inputs, or ``factors`` not a FactorCache.
            ConvergenceError: a point did not converge.
        """
        th = _arr("rotor_angles_rad", rotor_angles_rad, np.float64, (None,))
        j = self._currents(group_current_density, (len(th), self._problem.n_groups))
        a = None
        if a0 is not None:
            a = _arr("a0", a0, np.float64, (len(th), len(self._problem.nodes)))
        if factors is not None and not isinstance(factors, FactorCache):
            raise InputError(
                f"factors must be a repm.fem.FactorCache or None; got {type(factors).__name__}"
            )
        fc = None if factors is None else factors._core
        has_band = self._problem.has_band
        return [_solution(d, has_band) for d in self._core.solve_batch(th, j, a, fc)]


def signed_triangle_areas(nodes: Any, triangles: Any) -> NDArray[np.float64]:
    """Signed areas (m², positive counter-clockwise) of triangles (T, 3) on nodes (M, 2), m."""
    p = np.asarray(nodes, np.float64)[np.asarray(triangles, np.int64)]
    return 0.5 * (
        (p[:, 1, 0] - p[:, 0, 0]) * (p[:, 2, 1] - p[:, 0, 1])
        - (p[:, 1, 1] - p[:, 0, 1]) * (p[:, 2, 0] - p[:, 0, 0])
    )


def arkkio_torque(nodes: Any, triangles: Any, b: Any, r_inner_m: float, r_outer_m: float) -> float:
    """Arkkio torque T = 1/(μ0 (r_o − r_i)) ∫ r B_r B_θ dS over the given triangles (an annulus
    r_i..r_o, m) with per-triangle B (T), r and θ at each centroid: N·m per metre of stack, on
    what lies inside the annulus (counter-clockwise positive)."""
    nodes = np.asarray(nodes, np.float64)
    tris = np.asarray(triangles, np.int64)
    b = np.asarray(b, np.float64)
    c = nodes[tris].mean(axis=1)
    r = np.hypot(c[:, 0], c[:, 1])
    cos, sin = c[:, 0] / r, c[:, 1] / r
    br = b[:, 0] * cos + b[:, 1] * sin
    bt = -b[:, 0] * sin + b[:, 1] * cos
    area = np.abs(signed_triangle_areas(nodes, tris))
    return float(np.sum(area * r * br * bt) / (MU0 * (r_outer_m - r_inner_m)))
