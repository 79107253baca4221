"""Benchmark: nonlinear magnetostatic solves of the Toyota Prius 2004 cross-section with
:mod:`repm.fem`, full machine (about 30k nodes) and its smallest anti-periodic sector.

Run: ``python benches/bench_fem.py [--smoke]``. Model (a benchmark set-up, not a validated
machine model): stator and rotor steel M400-50A from :mod:`repm.steels` (nonlinear B-H),
magnets linear with Br = 1.2 T and μ_rec = 1.05 along each region's ``direction_rad``
(a model assumption of the order of the pyleecan Prius model's Br = 1.24 T, μr = 1.05), coils
and air linear μ_r = 1, A = 0 on the stator outer circle. Rotor elements: those inside the
band's rotor circle. Three phase current densities of a q-axis-like operating point are applied
as source groups (phase, sense): A: ±J, B: ∓J/2, C: ∓J/2, J = 5 A/mm².

Timed (median of several runs, milliseconds, one thread): cold = a new Solver's first solve
(pattern, AMD ordering, symbolic factorisation, all Newton iterations); warm/step = a solve on
the same Solver at a rotor angle one band step further (a new band shift: its pattern and
symbolic factorisation are built, then cached), started from the previous solution; warm/op =
the same rotor angle with 5 % more current (cached pattern), started from the previous
solution.
FEMM 4.2 took about 2.95 s and GetDP 3.2 about 4.7 s for a nonlinear problem of this size on
this kind of machine (see shared design notes); the GetDP run in the same process is added by
the GetDP harness benchmark.

Tried for speed and not kept (measured on this benchmark, full model, one core): geometric
nested dissection (coordinate-median or best-of-5-quantile cuts, AMD on leaves of 64 to 2000
dofs) gave nnz(L) 1.22M to 1.53M against 1.07M with AMD and no faster factorisation;
reusing the AMD ordering of a neighbouring band shift saved about 13 ms of symbolic analysis
per new shift but raised nnz(L) to 1.39M and each factorisation by 7 to 10 ms; other chord-step
thresholds (entry 0.5 to 1, rate 0.3 to 0.6) and a secant reluctivity (steel at 1 to 2 T) for
the first step from A = 0 did not reduce the factorisations of a cold solve.

Newton–Krylov (kept, the default since the femspeed branch; ``newton_krylov=False`` gives pure
Newton): the chord steps are replaced by conjugate gradients on the exact Jacobian,
preconditioned by the most recent numeric Cholesky factor of the same band shift, to an
Eisenstat–Walker forcing term (choice 2, γ = 0.9, η ≤ 0.1), tried only on the first step of a
warm solve or after a step that cut the residual tenfold, stopped after 8 iterations (one
iteration, a triangular solve pair and a product, costs about 1/6 to 1/8 of a numeric
factorisation here) or when the observed rate predicts more; then the Jacobian is
refactorised. The factor is kept per band shift by the Solver (read by warm solves only) and
per batch point by a FactorCache. Same machine, same minute, load ~1.5 (ms, before → after,
two runs of medians of 5): full cold 210–222 → 198–209 (12 → 10 iterations, 9 factorisations:
cold solves are dominated by the globalisation phase, where the Jacobian changes too much
between iterates for a stale preconditioner), warm/op 65–71 → 50–52 (0 to 1 factorisation,
~10 CG iterations), warm/step 73–78 → 76–77 (a new band shift still pays its pattern and
symbolic analysis, ~20 ms; its first steps are preconditioned by the neighbouring shift's
factor, same dof numbering, only the band couplings differ: 2 CG iterations for η = 0.1, then
one factorisation instead of two; without the neighbour factor warm/step was ~15 ms slower);
sector cold 19 → 19, warm/step 8.1 → 8.6, warm/op 7.0 → 5.5.
Batch sweeps over rotor positions (bench_analysis) take only factors of the same shift along
a chunk: with the neighbouring shift's factor the 60-position cogging curve needed 289 instead
of 264 Newton iterations and was slower. Tried and
dropped: always trying CG in a cold solve (full cold 270 ms: most attempts gave up after 2
iterations), a larger forcing term cap (0.3, 0.5) or a floor (1e-3, 1e-2) on η, the CG entry
at a contraction of 0.25 or 0.5 instead of 0.1 (all within noise or worse). Not done: a lazy
symbolic analysis for a new shift (it pays only when the neighbour-preconditioned solve needs
no factorisation at all, which was not the case here).

Cold-solve work (femcold branch; goal full cold <= 150 ms, not reached). Profile of a full cold
solve before (quiet, ~200 ms): pattern keys+map 8.5 ms, AMD + symbolic 16 ms, 9 f64
factorisations x 14 ms, 20 residual evaluations (13 with the Jacobian) ~40 ms, post-processing
and solver set-up ~10 ms; the B-H lookups (binary search + Hermite piece) alone ~7 % of the
samples. Kept, each measured by A/B in the same minute:
(1) mixed precision: every refactorisation of a Newton-Krylov solve is an f32 numeric Cholesky
(same symbolic structure; 9.3 ms instead of 14 ms) used as the preconditioner of CG on the f64
system to the same forcing term (1 CG iteration per step here; f64 factorisation if the f32
one is not positive definite or CG fails). Full cold -10 to -15 ms, factors kept for warm
solves take half the memory (bench_fluxmap peak RSS 86-88 -> 81-82 MiB), warm/op -5 ms;
pure Newton (``newton_krylov=False``) keeps f64 and is the reference in the tests.
(2) the linear elements (air, coils, magnets, shaft, band) are assembled once per solve into
K_lin; residual and Jacobian evaluations visit only the 37k steel elements, and the linear
residual is updated along the step (K_lin(x + a dx) = K_lin x + a K_lin dx); no Jacobian
assembly with the full-step trial where a damped step is expected (first step from A = 0):
evaluations ~40 -> ~30 ms.
(3) line search extrapolation: in steps 4 to 8 of the cold Prius solve the energy still
decreases at the full Newton step (phi'(1) = -0.13 to -0.24 |phi'(0)|: the Newton model of the
saturating iron is too stiff), so when phi'(1) < -0.02 |phi'(0)| the step is extrapolated to
the secant root of phi' (alpha 1.15 to 1.22, at most 2, kept if |phi'| there is not larger):
10 -> 9 Newton iterations and 9 -> 8 factorisations (-5 ms CPU); the 60-position cogging
sweep 264 -> 254 Newton iterations; sector cold 9 -> 8 iterations. With the threshold at 0.1
the iteration count stayed at 10 (no gain).
(4) small: the energy density inside a cubic H(B) piece by 2-point Gauss (exact) instead of 5,
fixed-element sparsity keys by a counting sort on columns (keys+map 8.5 -> ~7 ms).
Tried and dropped: other supernode relaxation parameters of faer (bigger supernodes: no change
within noise; none: f32 factorisation 20 ms). Not done: a faster B-H piece lookup (the curve
type lives in repm-materials), a cheaper AMD / symbolic analysis (16 ms per new shift), fewer
Newton iterations from a better first iterate.
Before -> after (ms, medians of 5, three A/B pairs, machine shared with a CI job, load 1 to
2.7): full cold 217-247 -> 189-203 (10 -> 9 it), warm/step 84-89 -> 75-80, warm/op 57-63 ->
47-51; sector cold 19.6-20.4 -> 18.7-19.1 (9 -> 8 it), warm/step 9.0-9.4 -> 8.5-9.0, warm/op
5.9 -> 5.5. bench_analysis cogging (60 positions) 304-314 -> 290-291 ms and analyze 0.88-0.91 ->
0.80-0.82 s at load ~0.7 (equal, 614 vs 616 ms, in a loaded minute); bench_fluxmap whole
workflow 14.7 -> 14.1-14.3 s.

Cold-solve work, stop 11 (full model, one thread; the machine's speed drifted by up to 1.4x
within minutes, so each step was checked by alternating the two builds in the same minute).
Profile of a cold solve at the start (~178 ms quiet): residual/Jacobian evaluations ~36 ms
(25 of them, the B-H piece lookup by binary search ~15 ms of it), faer's per-call permutation
of the matrix ~1 ms per factorisation, f32 triangular solve pair 2.2 ms each (faer dispatches
dense kernels per supernode; 7,527 supernodes, 55 % with one or two columns), AMD ~11 ms.
Kept:
(1) B-H piece lookup by a guide table in repm-materials (one read and a step instead of a
binary search; same piece, proptest against the search);
(2) the steel residual/Jacobian over one compact record per steel element with the
constraint signs folded into the gradients (same bits; 6 stored Jacobian pairs instead of 9
tests per element); 178 -> ~163 ms together with (3);
(3) the Jacobian scattered straight into the factor's AMD order (FactorLayout: the permuted
lower triangle and a map from each assembled entry, built once per pattern; faer's
supernodal factorisation then runs on it without permuting);
(4) own single-right-hand-side supernodal triangular solves (per supernode a dense solve of
the diagonal block and one pass over the rows below; f64 accumulation): 2.2 -> ~1.2 ms per
preconditioner application;
(5) line search: damped steps accepted at |phi'| <= 0.1 |phi'(0)| instead of 0.25 (the second
cold step then stops at alpha 0.76 instead of 0.66; 9 Newton iterations with 7 instead of 8
factorisations; the sector model 8 -> 10 iterations, 7 factorisations), and the regula falsi
pulled to the geometric mean when the secant hugs the lower end of the bracket (the first step
from A = 0 has phi'(1) = 65 |phi'(0)|: 7 -> 2 trials);
(6) the Jacobian at an accepted line-search point assembled from the reluctivities the trial
kept (no second B-H evaluation).
Medians then 143-156 ms (quiet minutes 143-150, bench medians 149-156 in later minutes);
warm/op 34-38, warm/step 60-69, sector cold 17-18 (10 it, 7 factorisations).
Tried and dropped: fat LTO with one codegen unit (no change); the triangular solves compiled
for AVX-512 through pulp (no change: latency-bound, not arithmetic-bound); an own right-looking
supernodal numeric factorisation (plain loops, then pulp-dispatched, then register-blocked:
10.5-12 ms against faer's 9 ms); spatial pre-orderings before AMD (Morton, angle, reversed:
nnz(L) within 3 %, factorisations not faster); trying CG after a 3-5x contraction instead of
10x (6 instead of 7 factorisations but more CG, slower); the line search starting at the
previous extrapolated length (6 factorisations on the full model, 8 instead of 7 on the sector).

Cold-solve work, stop 12 (same conditions; builds alternated in the same minute). Profile at
the start (~143 ms quiet): faer's supernodal factorisation ~9 ms x 7, of which much was
per-call overhead: it calls its general dense kernels once per (supernode, descendant) update
(21,800 updates on this factor, 18,500 of them with at most 512 multiply-adds, together 3 % of
the 77 Mflop) and searches each descendant's rows on every call. Kept:
(1) own left-looking supernodal numeric Cholesky on faer's symbolic analysis (rust/fem/src/
left_looking.rs): the update list and each update's target-local rows are built once per
pattern, updates of at most 256 multiply-adds and diagonal blocks of at most 16 columns run as
plain loops (compiled for AVX-512/AVX2 by pulp's runtime dispatch), larger ones through faer's
matrix product, dense Cholesky and triangular solve; the assembled Jacobian is scattered
straight into L (no permuted copy). f32 factorisation ~8.7 -> ~5.3 ms; checked against the
dense L.L^T of the permuted matrix (proptest) and by the solve tests;
(2) the assembled entries' places in L found by one pass per supernode (1.8 -> 1.0 ms per
pattern);
(3) with the Jacobian, the steel kernel evaluates all reluctivities in a first pass and
scatters in a second (1.40 -> 1.20 ms per evaluation; residual-only evaluations keep one pass);
(4) CG tried only after a 20-fold contraction (was 10-fold): a factorisation now costs about
four CG iterations, so attempts that give up after two no longer pay (-5 ms cold, cogging
sweep ~-5 %);
(5) the symbolic factorisation of a band shift is built by its first factorisation, and while
the preconditioner is a neighbouring shift's factor and this shift has none, CG is tried at
every step with up to 20 iterations: the warm solve one band step on then needs no
factorisation and no symbolic analysis (full warm/step 54-56 -> 43-46 ms, sector 6.1 -> 4.7
ms; 12 sequential single solves one step apart 790 -> 717 ms, alternating 0 and 2
factorisations; batch sweeps unchanged).
Medians then 110-124 ms full cold (9 it, 7 factorisations), warm/op 29-33, warm/step 43-46,
sector cold 13-15 ms; bench_fem_getdp's operating point (N38SH, 200 A: 10 it, 8 factorisations,
Problem built inside the timing) 137-146 ms. Tried and dropped: geometric nested dissection
again (nnz(L) 1.51M against AMD's 1.07M); more supernode amalgamation with the own
factorisation (fewer updates, but blocks of 17-32 columns then go through faer's dense
Cholesky, no net change); a secant reluctivity at 1.5-2.5 T for the first step (100-110
against 108 factorisations over 16 cold solves); a damped Jacobian (2 nu' term x 0.7-0.9: 170
to 304 against 141 Newton iterations over the same 16 solves); a floor 0.02-0.1 on the forcing
term; mimalloc and glibc malloc thresholds (page faults are not the cost); subtracting updates
run by run where target rows are consecutive (runs are mostly one row: slower); inlining the
B-H evaluation across crates and replacing its divisions by products (no change); restricting
the numeric refactorisation to supernodes with steel below them (only 1 % of the flops are
below linear regions only).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from repm import fem, geometry, steels
from repm.geometry import examples
from repm.mesh import Mesh, triangulate

BR_T = 1.2
MU_REC = 1.05
J_A_PER_M2 = 5e6


def problem(mesh: Mesh) -> fem.Problem:
    """The benchmark problem on a Prius mesh (see the module docstring)."""
    t = len(mesh.triangles)
    kinds = [mesh.regions[r].kind for r in mesh.region]
    names = sorted(
        {mesh.regions[r].material for r in mesh.region if "steel" in mesh.regions[r].kind}
    )
    steel_list = tuple(steels.steel(n) for n in names)
    steel = np.full(t, -1, np.int64)
    nu_r = np.ones(t)
    br = np.zeros((t, 2))
    group = np.full(t, -1, np.int64)
    for e, (r, k) in enumerate(zip(mesh.region, kinds, strict=True)):
        reg = mesh.regions[r]
        if "steel" in k:
            steel[e] = names.index(reg.material)
        elif k == "magnet":
            nu_r[e] = 1.0 / MU_REC
            br[e] = BR_T * np.array([np.cos(reg.direction_rad), np.sin(reg.direction_rad)])
        elif k == "coil":
            group[e] = 2 * reg.phase + (1 if reg.sign < 0 else 0)
    cen = mesh.nodes[mesh.triangles].mean(axis=1)
    r_band = np.hypot(*mesh.nodes[mesh.band_rotor_nodes].T).mean()
    rotor = np.hypot(cen[:, 0], cen[:, 1]) < r_band
    # Outer circle: nodes of boundary edges (one triangle) near the largest radius (boundary
    # split points sit on chords, slightly inside the circle).
    tri = mesh.triangles
    edges = np.sort(np.concatenate([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]]), axis=1)
    uniq, count = np.unique(edges, axis=0, return_counts=True)
    bnd = np.unique(uniq[count == 1])
    radius = np.hypot(mesh.nodes[bnd, 0], mesh.nodes[bnd, 1])
    outer = bnd[radius > 0.99 * radius.max()]
    return fem.Problem.from_mesh(
        mesh,
        nu_r=nu_r,
        steel=steel,
        steels=steel_list,
        br_t=br,
        source_group=group,
        n_groups=6,
        rotor=rotor,
        dirichlet_nodes=outer,
    )


def run(sector: bool, repeats: int) -> None:
    mesh = triangulate(geometry.build_pslg(examples.prius2004(), sector=sector))
    prob = problem(mesh)
    j = J_A_PER_M2 * np.array([1.0, -1.0, -0.5, 0.5, -0.5, 0.5])
    cold, warm, warm_op = [], [], []
    solver = None
    for _ in range(repeats):
        # Free the previous repeat's solver (patterns, cached factors) outside the timing.
        del solver
        t0 = time.perf_counter()
        solver = fem.Solver(prob)
        s0 = solver.solve(0.0, j)
        cold.append(time.perf_counter() - t0)
        step = solver.band_step_rad or 0.0
        t0 = time.perf_counter()
        s1 = solver.solve(step, j, a0=s0.a)
        warm.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        s2 = solver.solve(0.0, 1.05 * j, a0=s0.a)
        warm_op.append(time.perf_counter() - t0)
    name = "sector" if sector else "full"
    print(
        f"{name:6s} nodes {len(mesh.nodes):6d}  dof {solver.n_dof:6d}  "
        f"cold {1e3 * statistics.median(cold):7.1f} ms ({s0.newton_iterations} it)  "
        f"warm/step {1e3 * statistics.median(warm):6.1f} ms ({s1.newton_iterations} it)  "
        f"warm/op {1e3 * statistics.median(warm_op):6.1f} ms ({s2.newton_iterations} it)  "
        f"T_arkkio {s0.torque_arkkio_nm_per_m:9.2f} N·m/m  "
        f"|B|max {np.hypot(*s0.b.T).max():.2f} T"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="one repeat, sector only")
    args = ap.parse_args()
    if args.smoke:
        run(True, 1)
        return
    for sector in (True, False):
        run(sector, 5)


if __name__ == "__main__":
    main()
