"""GetDP as a peer solver for :mod:`repm.fem` problems on the very same triangles.

Private module (imported by ``tests/test_fem_getdp.py`` and ``benches/bench_fem_getdp.py``; it
lives in the package so both can import it without path tricks, and it is small). It needs the
``getdp`` executable (Debian package ``getdp``; 3.2.0 is what CI installs).

What it does, for a :class:`repm.fem.Problem` (or anything with the same fields) at rotor
angle 0 (a full machine or a sector):

1. writes the mesh as Gmsh 2.2 ASCII: every triangle gets the physical region of its material
   class (unique combination of linear ν_r / steel index / remanence vector / source group);
   the air-gap band, if any, is added as air triangles of shift 0; the Dirichlet nodes become
   point elements of one more region, the periodic pairs (a, b) two more (masters, slaves);
2. writes a ``.pro`` file (written for repm): 2D magnetostatics in the vector potential,
   ``Form1P`` space on ``BF_PerpendicularEdge`` basis functions at the nodes, A = 0 on the
   Dirichlet points, ``Link`` constraints A_b = ±A_a with the slaves rotated back by the sector
   angle (sign −1 for an anti-periodic sector), linear ν = ν_r/μ0 per region, magnets as the
   source ``ν·Br`` (H = ν(B − Br)), currents ``J_z`` per region, and nonlinear steel through
   ``nu[] = InterpolationAkima`` on a dense table of (B², ν) sampled from repm's own curve
   (:meth:`repm.steels.Steel.nu`), so both solvers use the same material law; Newton-Raphson
   with ``IterativeLoopN`` / ``GenerateJac`` / ``SolveJac`` and the ``JacNL`` term
   ``2 dν/dB² (B ⊗ B)``;
3. runs ``getdp`` in a temporary directory (subprocess with a timeout) and reads back the
   stored energy integrated by GetDP and the nodal A_z.

Energy (J per metre of stack) is the quantity repm reports: ∫ W dS with, per element,
W = ½ν|B|² in linear non-magnet regions, W = ½ν|B − Br|² in magnets, and W(B) = ∫0^B H·dB =
½∫0^{B²} ν(s) ds in steel (GetDP interpolates a table of W(B²) integrated from the same ν).
The flux linkage and torque formulas are applied in numpy to GetDP's nodal A (see
:mod:`repm.gmsh_import`), with the same code repm's results go through.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from repm.errors import ConvergenceError, InputError, RepmError

__all__ = ["GetdpResult", "getdp_available", "getdp_version", "solve_getdp"]

MU0 = 4e-7 * np.pi


class GetdpError(RepmError):
    """GetDP is missing, failed, timed out or wrote output that cannot be read."""


@dataclass(frozen=True, eq=False)
class GetdpResult:
    """What the peer returns.

    Attributes:
        a: (M,) nodal A_z, Wb/m, in the problem's node order.
        energy_j_per_m: stored magnetic energy integrated by GetDP, J/m (definition above).
        newton_iterations: Newton iterations GetDP reported (1 for a linear problem).
        seconds: wall time of the ``getdp`` process, s (mesh and .pro parsing included).
        cpu_seconds: GetDP's own CPU time at exit, s (parsed from its log; on a shared machine
            a steadier figure than the wall time).
        log: GetDP's console output.
    """

    a: NDArray[np.float64]
    energy_j_per_m: float
    newton_iterations: int
    seconds: float
    cpu_seconds: float
    log: str


def getdp_available() -> bool:
    """True when a ``getdp`` executable is on PATH."""
    return shutil.which("getdp") is not None


def getdp_version() -> str:
    """The version string of the ``getdp`` on PATH (GetdpError when missing)."""
    exe = shutil.which("getdp")
    if exe is None:
        raise GetdpError("getdp is not on PATH (Debian: apt-get install getdp)")
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    return (out.stdout + out.stderr).strip()


def _steel_tables(
    steel: Any, n: int = 2000
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(B², ν, W) sampled from repm's curve: denser at low B², up to (B_max + 2 T)²."""
    b_max = float(max(steel.bh_b_t)) + 2.0
    b = np.linspace(0.0, b_max, n)
    b2 = b * b
    nu = np.asarray(steel.nu(b2), dtype=np.float64)
    # W(B²) = ½ ∫0^{B²} ν(s) ds, integrated on a 20× finer grid (trapezoid) from repm's ν.
    fine_b2 = np.linspace(0.0, b2[-1], 20 * n + 1)
    fine_nu = np.asarray(steel.nu(fine_b2), dtype=np.float64)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (fine_nu[1:] + fine_nu[:-1]) * np.diff(fine_b2))])
    w = 0.5 * np.interp(b2, fine_b2, cum)
    return b2, nu, w


def _list(values: NDArray[np.float64]) -> str:
    return ", ".join(f"{v:.17g}" for v in values)


def _alt(x: NDArray[np.float64], y: NDArray[np.float64]) -> str:
    return _list(np.column_stack([x, y]).ravel())


def _region_list(tags: list[int]) -> str:
    return "Region[{" + ", ".join(str(t) for t in tags) + "}]"


def _write_msh(
    path: Path,
    nodes: NDArray[np.float64],
    tris: NDArray[np.int64],
    tag: NDArray[np.int64],
    point_groups: list[tuple[NDArray[np.int64], int]],
) -> None:
    """Gmsh 2.2 ASCII: triangles with their region tags, then point elements per group."""
    m, t = len(nodes), len(tris)
    n_pts = sum(len(p) for p, _ in point_groups)
    with open(path, "w", encoding="ascii") as f:
        f.write("$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n")
        f.write(f"{m}\n")
        ids = np.arange(1, m + 1)
        np.savetxt(f, np.column_stack([ids, nodes, np.zeros(m)]), fmt="%d %.17g %.17g %g")
        f.write("$EndNodes\n$Elements\n")
        f.write(f"{t + n_pts}\n")
        rows = np.column_stack(
            [np.arange(1, t + 1), np.full(t, 2), np.full(t, 2), tag, tag, tris + 1]
        )
        np.savetxt(f, rows, fmt="%d")
        k = t + 1
        for pts, ptag in point_groups:
            d = len(pts)
            if d == 0:
                continue
            ones = np.ones(d, np.int64)
            rows = np.column_stack(
                [np.arange(k, k + d), 15 * ones, 2 * ones, ptag * ones, ptag * ones, pts + 1]
            )
            np.savetxt(f, rows, fmt="%d")
            k += d
        f.write("$EndElements\n")


def _pro_text(
    classes: NDArray[np.float64],
    steels: tuple[Any, ...],
    dir_tag: int,
    nonlinear: bool,
    tol: float,
    max_iterations: int,
    link: tuple[int, int, float, float] | None = None,
) -> str:
    """The .pro file. ``classes`` rows: (nu_r, steel, brx, bry, J) for region tag = row + 1."""
    tags = list(range(1, len(classes) + 1))
    steel_idx = classes[:, 1].astype(np.int64)
    lin = [t for t in tags if steel_idx[t - 1] < 0]
    nl = [t for t in tags if steel_idx[t - 1] >= 0]
    mag = [t for t in tags if classes[t - 1, 2] != 0.0 or classes[t - 1, 3] != 0.0]
    src = [t for t in tags if classes[t - 1, 4] != 0.0]
    lin_nomag = [t for t in lin if t not in set(mag)]
    g = ["Group {"]
    g.append(f"  Omega = {_region_list(tags)};")
    g.append(f"  DirBnd = Region[{{{dir_tag}}}];")
    constraint = "{ Region DirBnd; Value 0.; }"
    if link is not None:
        master, slave, angle, coef = link
        g.append(f"  Master = Region[{{{master}}}];")
        g.append(f"  Slave = Region[{{{slave}}}];")
        # Slave node b = R(angle)·(master node a): GetDP maps b back onto a.
        constraint += (
            f" {{ Region Slave; Type Link; RegionRef Master; Coefficient {coef:g}; "
            f"Function Rotate[XYZ[], 0, 0, {-angle:.17g}]; }}"
        )
    for name, lst in (("LinNoMag", lin_nomag), ("Magnets", mag), ("Sources", src), ("Steel", nl)):
        g.append(f"  {name} = {_region_list(lst)};" if lst else f"  {name} = Region[{{}}];")
    for s in range(len(steels)):
        lst = [t for t in nl if steel_idx[t - 1] == s]
        g.append(f"  Steel_{s} = {_region_list(lst)};" if lst else f"  Steel_{s} = Region[{{}}];")
    g.append("}")
    fn = ["Function {", f"  mu0 = {MU0:.17g};"]
    for t in lin:
        fn.append(f"  nu[Region[{t}]] = {classes[t - 1, 0]:.17g} / mu0;")
    for s, steel in enumerate(steels):
        if not any(steel_idx[t - 1] == s for t in nl):
            continue
        b2, nu, w = _steel_tables(steel)
        fn.append(f"  tab_nu_{s}() = {{ {_alt(b2, nu)} }};")
        fn.append(f"  tab_w_{s}() = {{ {_alt(b2, w)} }};")
        fn.append(f"  nu[Steel_{s}] = InterpolationAkima[SquNorm[$1]]{{ tab_nu_{s}() }};")
        fn.append(f"  dnudb2[Steel_{s}] = dInterpolationAkima[SquNorm[$1]]{{ tab_nu_{s}() }};")
        fn.append(f"  w[Steel_{s}] = InterpolationAkima[SquNorm[$1]]{{ tab_w_{s}() }};")
        fn.append(f"  dhdb_NL[Steel_{s}] = 2 * dnudb2[$1#1] * SquDyadicProduct[#1];")
    for t in mag:
        fn.append(
            f"  br[Region[{t}]] = Vector[{classes[t - 1, 2]:.17g}, {classes[t - 1, 3]:.17g}, 0];"
        )
    for t in src:
        fn.append(f"  js[Region[{t}]] = Vector[0, 0, {classes[t - 1, 4]:.17g}];")
    fn.append("}")
    eq: list[str] = []
    energy: list[str] = []
    if lin_nomag:
        eq.append(
            "      Galerkin { [ nu[] * Dof{d a}, {d a} ]; In LinNoMag; Jacobian Vol; "
            "Integration I1; }"
        )
        energy.append(
            "        Integral { [ 0.5 * nu[] * SquNorm[{d a}] ]; In LinNoMag; Jacobian Vol; "
            "Integration I1; }"
        )
    if mag:
        eq += [
            "      Galerkin { [ nu[] * Dof{d a}, {d a} ]; In Magnets; Jacobian Vol; "
            "Integration I1; }",
            "      Galerkin { [ -nu[] * br[], {d a} ]; In Magnets; Jacobian Vol; Integration I1; }",
        ]
        energy.append(
            "        Integral { [ 0.5 * nu[] * SquNorm[{d a} - br[]] ]; In Magnets; Jacobian Vol; "
            "Integration I1; }"
        )
    if src:
        eq.append("      Galerkin { [ -js[], {a} ]; In Sources; Jacobian Vol; Integration I1; }")
    if nonlinear:
        eq += [
            "      Galerkin { [ nu[{d a}] * Dof{d a}, {d a} ]; In Steel; Jacobian Vol; "
            "Integration I1; }",
            "      Galerkin { JacNL [ dhdb_NL[{d a}] * Dof{d a}, {d a} ]; In Steel; "
            "Jacobian Vol; Integration I1; }",
        ]
        energy.append("        Integral { [ w[{d a}] ]; In Steel; Jacobian Vol; Integration I1; }")
        ops = (
            f"IterativeLoopN[{max_iterations}, 1, System {{ {{ A, {tol:.3g}, {tol * 1e-6:.3g}, "
            "Solution MeanL2Norm } } ] { GenerateJac[A]; SolveJac[A]; }"
        )
        ops = "InitSolution[A]; " + ops
    else:
        ops = "Generate[A]; Solve[A];"
    eq_text = "\n".join(eq)
    en_text = "\n".join(energy)
    return f"""// Written by repm (repm._peers.getdp): 2D magnetostatics, A_z formulation.
{chr(10).join(g)}
{chr(10).join(fn)}
Constraint {{ {{ Name DirA; Case {{ {constraint} }} }} }}
FunctionSpace {{
  {{ Name Hcurl_a; Type Form1P;
    BasisFunction {{ {{ Name se; NameOfCoef ae; Function BF_PerpendicularEdge; Support Omega;
      Entity NodesOf[All]; }} }}
    Constraint {{ {{ NameOfCoef ae; EntityType NodesOf; NameOfConstraint DirA; }} }}
  }}
}}
Jacobian {{ {{ Name Vol; Case {{ {{ Region All; Jacobian Vol; }} }} }} }}
Integration {{ {{ Name I1; Case {{ {{ Type Gauss; Case {{
  {{ GeoElement Triangle; NumberOfPoints 1; }} }} }} }} }} }}
Formulation {{
  {{ Name MagSta; Type FemEquation;
    Quantity {{ {{ Name a; Type Local; NameOfSpace Hcurl_a; }} }}
    Equation {{
{eq_text}
    }}
  }}
}}
Resolution {{
  {{ Name Solve; System {{ {{ Name A; NameOfFormulation MagSta; }} }}
    Operation {{ {ops} SaveSolution[A]; }} }}
}}
PostProcessing {{
  {{ Name Post; NameOfFormulation MagSta;
    Quantity {{
      {{ Name az; Value {{ Term {{ [ CompZ[{{a}}] ]; In Omega; Jacobian Vol; }} }} }}
      {{ Name energy; Value {{
{en_text}
      }} }}
    }}
  }}
}}
PostOperation {{
  {{ Name Out; NameOfPostProcessing Post;
    Operation {{
      Print[ az, OnElementsOf Omega, Format NodeTable, File "az.txt" ];
      Print[ energy[Omega], OnGlobal, Format Table, File "energy.txt" ];
    }}
  }}
}}
"""


def _get(problem: Any, name: str) -> Any:
    try:
        return getattr(problem, name)
    except AttributeError as err:
        raise InputError(f"problem has no field {name!r}: a repm.fem.Problem is required") from err


def solve_getdp(
    problem: Any,
    group_current_density: Any = None,
    *,
    tol: float = 1e-8,
    max_iterations: int = 50,
    timeout_s: float = 900.0,
    workdir: str | Path | None = None,
) -> GetdpResult:
    """Solves ``problem`` (a :class:`repm.fem.Problem`, rotor at angle 0) with GetDP.

    Args:
        problem: nodes, triangles, nu_r, steel, steels, br_t, source_group, n_groups,
            dirichlet_nodes and, when present, periodic_pairs, antiperiodic, sector_angle_rad,
            band_rotor_nodes, band_stator_nodes (the band at shift 0 must not wrap).
        group_current_density: (n_groups,) J_z per source group, A/m² (default zeros).
        tol: relative tolerance on the Newton update in GetDP (``Solution MeanL2Norm``).
        max_iterations: Newton iteration limit.
        timeout_s: subprocess time limit, s.
        workdir: keep the files there (default: a temporary directory, removed afterwards).

    Raises:
        InputError: a field is missing, bad current densities, or a band that wraps at shift 0.
        GetdpError: getdp is missing, fails, times out or its output cannot be read.
        ConvergenceError: GetDP's Newton loop did not converge within ``max_iterations``.
    """
    exe = shutil.which("getdp")
    if exe is None:
        raise GetdpError("getdp is not on PATH (Debian: apt-get install getdp)")
    nodes = np.ascontiguousarray(_get(problem, "nodes"), dtype=np.float64)
    tris = np.ascontiguousarray(_get(problem, "triangles"), dtype=np.int64)
    nu_r = np.asarray(_get(problem, "nu_r"), dtype=np.float64)
    steel = np.asarray(_get(problem, "steel"), dtype=np.int64)
    steels = tuple(_get(problem, "steels"))
    br = np.asarray(_get(problem, "br_t"), dtype=np.float64).reshape(-1, 2)
    group = np.asarray(_get(problem, "source_group"), dtype=np.int64)
    n_groups = int(_get(problem, "n_groups"))
    dirichlet = np.unique(np.asarray(_get(problem, "dirichlet_nodes"), dtype=np.int64))
    pairs = np.asarray(getattr(problem, "periodic_pairs", np.zeros((0, 2))), np.int64)
    pairs = pairs.reshape(-1, 2)
    band_r = np.asarray(getattr(problem, "band_rotor_nodes", np.zeros(0)), np.int64)
    band_s = np.asarray(getattr(problem, "band_stator_nodes", np.zeros(0)), np.int64)
    sector = float(getattr(problem, "sector_angle_rad", 2 * np.pi))
    if len(band_r):
        # The band at rotor angle 0 (shift 0) as ordinary air triangles.
        from repm import _core

        is_full = len(pairs) == 0 and abs(sector - 2 * np.pi) < 1e-12
        band_tris, wraps = _core.mesh_band_triangles(nodes, band_r, band_s, is_full, 0)
        if np.any(wraps != 0):
            raise InputError("the GetDP peer supports the band at shift 0 without wraps only")
        nb = len(band_tris)
        tris = np.concatenate([tris, band_tris])
        nu_r = np.concatenate([nu_r, np.ones(nb)])
        steel = np.concatenate([steel, np.full(nb, -1, np.int64)])
        br = np.concatenate([br, np.zeros((nb, 2))])
        group = np.concatenate([group, np.full(nb, -1, np.int64)])
    link_pairs = pairs[~np.isin(pairs, dirichlet).any(axis=1)] if len(pairs) else pairs
    if group_current_density is None:
        j = np.zeros(n_groups)
    else:
        j = np.asarray(group_current_density, dtype=np.float64).reshape(-1)
    if j.shape != (n_groups,) or not np.all(np.isfinite(j)):
        raise InputError(
            f"group_current_density must be {n_groups} finite values (A/m²); got {j!r}"
        )
    j_elem = np.where(
        group >= 0, j[np.clip(group, 0, max(n_groups - 1, 0))] if n_groups else 0.0, 0.0
    )
    key = np.column_stack([np.where(steel >= 0, 0.0, nu_r), steel.astype(np.float64), br, j_elem])
    classes, tag = np.unique(key, axis=0, return_inverse=True)
    tag = tag.reshape(-1) + 1
    dir_tag = len(classes) + 1
    nonlinear = bool(np.any(steel >= 0))
    link = None
    point_groups = [(dirichlet, dir_tag)]
    if len(link_pairs):
        coef = -1.0 if bool(getattr(problem, "antiperiodic", False)) else 1.0
        link = (dir_tag + 1, dir_tag + 2, sector, coef)
        point_groups += [(link_pairs[:, 0], dir_tag + 1), (link_pairs[:, 1], dir_tag + 2)]

    tmp = None
    if workdir is None:
        tmp = tempfile.mkdtemp(prefix="repm_getdp_")
        wd = Path(tmp)
    else:
        wd = Path(workdir)
        wd.mkdir(parents=True, exist_ok=True)
    try:
        _write_msh(wd / "model.msh", nodes, tris, tag, point_groups)
        (wd / "model.pro").write_text(
            _pro_text(classes, steels, dir_tag, nonlinear, tol, max_iterations, link),
            encoding="ascii",
        )
        cmd = [exe, "model.pro", "-msh", "model.msh", "-solve", "Solve", "-pos", "Out", "-v", "4"]
        env = dict(os.environ, OMP_NUM_THREADS="1")
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, cwd=wd, capture_output=True, text=True, timeout=timeout_s, env=env
            )
        except subprocess.TimeoutExpired as err:
            raise GetdpError(f"getdp did not finish within timeout_s = {timeout_s} s") from err
        seconds = time.perf_counter() - t0
        log = proc.stdout + proc.stderr
        if proc.returncode != 0 or "Error" in log:
            tail = "\n".join(log.strip().splitlines()[-15:])
            raise GetdpError(f"getdp failed (exit {proc.returncode}):\n{tail}")
        iterations = _newton_iterations(log, nonlinear)
        if nonlinear and not _converged(log):
            raise ConvergenceError(
                f"GetDP's Newton loop did not converge in max_iterations = {max_iterations}"
            )
        a = _read_node_table(wd / "az.txt", len(nodes))
        energy = _read_global(wd / "energy.txt")
        return GetdpResult(
            a=a,
            energy_j_per_m=energy,
            newton_iterations=iterations,
            seconds=seconds,
            cpu_seconds=_cpu_seconds(log, seconds),
            log=log,
        )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _newton_iterations(log: str, nonlinear: bool) -> int:
    if not nonlinear:
        return 1
    done = re.findall(r"IterativeLoopN converged \((\d+) iteration", log)
    if done:
        return int(done[-1])
    its = re.findall(r"IterativeLoopN: Non linear iteration (\d+)", log)
    return max((int(i) for i in its), default=0)


def _converged(log: str) -> bool:
    return "IterativeLoopN converged" in log


def _cpu_seconds(log: str, default: float) -> float:
    cpu = re.findall(r"Stopped \([^)]*CPU = ([0-9.eE+-]+)s", log)
    return float(cpu[-1]) if cpu else default


def _read_node_table(path: Path, m: int) -> NDArray[np.float64]:
    try:
        data = np.loadtxt(path, skiprows=1, ndmin=2)
    except (OSError, ValueError) as err:
        raise GetdpError(f"cannot read GetDP's nodal output {path.name}: {err}") from err
    a = np.full(m, np.nan)
    ids = data[:, 0].astype(np.int64) - 1
    if ids.min() < 0 or ids.max() >= m:
        raise GetdpError(f"GetDP's nodal output {path.name} has node numbers out of range")
    a[ids] = data[:, 1]
    if not np.all(np.isfinite(a)):
        raise GetdpError(f"GetDP's nodal output {path.name} misses nodes or holds NaN")
    return a


def _read_global(path: Path) -> float:
    try:
        text = path.read_text(encoding="ascii").split()
        value = float(text[-1])
    except (OSError, ValueError, IndexError) as err:
        raise GetdpError(f"cannot read GetDP's global output {path.name}: {err}") from err
    if not np.isfinite(value):
        raise GetdpError(f"GetDP's {path.name} holds a non-finite value")
    return value
