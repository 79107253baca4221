//! Assembly, Newton–Raphson with line search, cached sparsity patterns and symbolic Cholesky
//! factorisations, post-processing and the parallel batch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use faer::dyn_stack::{MemBuffer, MemStack};
use rayon::prelude::*;

use crate::error::{input, FemError};
use crate::factor_layout::{FactorLayout, FactorWork};
use crate::material::{linear_coenergy, linear_energy};
use crate::problem::{Geo, Problem};
use crate::steel_kernel::{SteelElems, LOCAL_PAIRS};
use crate::MU0;

/// An element entry that is not stored (Dirichlet or upper triangle).
const SKIP: u32 = crate::steel_kernel::NONE;
/// Consecutive batch points solved in one chunk (warm-started in sequence). Fixed, so that the
/// results do not depend on the number of threads.
pub const BATCH_CHUNK: usize = 4;
/// Patterns kept per solver (one per integer band shift); the cache is emptied when full.
const CACHE_CAP: usize = 64;
/// Numeric factors kept by a solver for warm single solves: at most this many f64 values in
/// all (128 MiB); the cache is emptied when full.
const FACTOR_BUDGET: usize = 16 << 20;
/// Preconditioned CG iterations per Newton step before the Jacobian is refactorised instead
/// (one iteration: a triangular solve pair and a sparse product, about 1/4 of a numeric f32
/// factorisation on the Prius models).
const PCG_MAX: usize = 8;
/// The same while the preconditioner is a neighbouring band shift's factor and this shift has
/// no symbolic factorisation yet (its first factorisation would cost about three more).
const PCG_MAX_NEIGHBOUR: usize = 20;
/// Eisenstat–Walker forcing term (choice 2): η_k = γ (‖r_k‖/‖r_{k−1}‖)², safeguarded.
const EW_GAMMA: f64 = 0.9;
/// A CG solve stopped short of its forcing term is still used as the Newton direction when
/// it cut the linear residual at least this much (an inexact step instead of a factorisation).
const PCG_ACCEPT: f64 = 0.05;
/// A factor of a band shift this close to the solved one may precondition CG (a warm solve at
/// a new shift then needs no factorisation if CG converges with it).
const NEIGHBOUR_SHIFTS: i64 = 1;
/// CG is tried only after a Newton step that cut the residual at least this much (0.1 before
/// the factorisation got ~40 % faster: the attempts that give up after two iterations then
/// cost more than they save; cold Prius solves and the cogging sweep ~4 % faster at 0.05).
const PCG_ENTRY: f64 = 0.05;
/// Largest step length of an extrapolated line search step.
const EXTRAPOLATE_MAX: f64 = 2.0;
/// The line search extrapolates beyond the full step when φ'(1) < −this·|φ'(0)|.
const EXTRAPOLATE_ENTRY: f64 = 0.02;
/// A damped step is accepted where |φ'(α)| ≤ this·|φ'(0)| (0.25 gave one factorisation
/// more on the cold Prius solve: the second step stopped short at α = 0.66 instead of 0.76).
const LINE_SEARCH_TOL: f64 = 0.1;
/// Largest forcing term (also the first step's).
const ETA_MAX: f64 = 0.1;

static SOLVER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A numeric Cholesky factor of the Jacobian of one band shift, kept as a preconditioner.
#[derive(Clone)]
pub(crate) struct Factor {
    shift: i64,
    /// Values of an f64 factor (empty for an f32 one).
    lvals: Vec<f64>,
    /// Values of an f32 factor (empty for an f64 one).
    l32: Vec<f32>,
    /// The pattern (symbolic factorisation) of `shift`.
    pat: Arc<Pattern>,
}

impl Factor {
    /// Stored values, in f64 units (an f32 value counts one half).
    fn size(&self) -> usize {
        self.lvals.len() + self.l32.len().div_ceil(2)
    }
}

/// A batch point's solution and the factor it leaves for its slot.
type SolvedPoint = (Solution, Option<Factor>);

/// Numeric factors carried from one [`Solver::solve_batch_with`] call to the next, one slot per
/// batch point index (point k of a call uses and updates slot k only, so results do not depend
/// on the thread count). Pass the same cache to successive batches at the same rotor angles
/// (e.g. a current sweep): each point then starts with a recent factor of its band shift as
/// the preconditioner. Tied to the solver that filled it (another solver clears it).
#[derive(Default)]
pub struct FactorCache {
    inner: Mutex<(u64, Vec<Option<Factor>>)>,
}

impl std::fmt::Debug for FactorCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self
            .inner
            .lock()
            .map(|g| g.1.iter().filter(|s| s.is_some()).count())
            .unwrap_or(0);
        f.debug_struct("FactorCache").field("factors", &n).finish()
    }
}

impl FactorCache {
    pub fn new() -> FactorCache {
        FactorCache::default()
    }

    /// Number of stored factors.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .map(|g| g.1.iter().filter(|s| s.is_some()).count())
            .unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every stored factor.
    pub fn clear(&self) {
        if let Ok(mut g) = self.inner.lock() {
            g.1.clear();
        }
    }
}

/// Newton options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolverOptions {
    /// Relative residual tolerance ‖r‖/‖f‖, in (0, 1).
    pub tol: f64,
    /// Maximum Newton iterations, ≥ 1.
    pub max_iterations: usize,
    /// Inexact Newton (Newton–Krylov): solve each Newton system by conjugate gradients
    /// preconditioned with the most recent numeric Cholesky factor of the same band shift
    /// (kept across solves), only as accurately as the outer residual needs (Eisenstat–Walker
    /// forcing term), and refactorise when CG would cost more than a factorisation; these
    /// factorisations are in f32 (the preconditioner of CG on the f64 system; f64 if the f32
    /// one or its CG fails). `false` gives pure Newton (an f64 factorisation and exact solve
    /// per iteration). The name is kept from the chord steps this path replaces.
    pub chord_steps: bool,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            tol: 1e-8,
            max_iterations: 50,
            chord_steps: true,
        }
    }
}

/// One field solution (see the crate docs for units and frames).
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// A_z at every node, Wb/m.
    pub a: Vec<f64>,
    /// B per element (problem triangles, then band triangles), global frame, T.
    pub b: Vec<[f64; 2]>,
    pub band_triangles: Vec<[u32; 3]>,
    pub rotor_angle_rad: f64,
    pub energy_j_per_m: f64,
    pub coenergy_j_per_m: f64,
    /// Arkkio torque on the rotor, counter-clockwise positive, N·m/m (0 without a band).
    pub torque_arkkio_nm_per_m: f64,
    /// ∫ A dS over each source group, Wb·m.
    pub group_a_integral: Vec<f64>,
    pub newton_iterations: usize,
    /// ‖r‖/‖f‖ before the first and after every iteration.
    pub residuals: Vec<f64>,
    pub seconds: f64,
    /// Numeric Cholesky factorisations done by this solve.
    pub factorizations: usize,
    /// Preconditioned CG iterations done by this solve (0 for pure Newton).
    pub linear_iterations: usize,
}

/// Sparsity pattern, assembly map and symbolic factorisation for one band shift.
pub(crate) struct Pattern {
    pub(crate) col_ptr: Vec<u32>,
    pub(crate) row_idx: Vec<u32>,
    /// Position in the CSC values of local entry (i, j) = 3i + j, per element (problem
    /// triangles, then band triangles); `SKIP` for Dirichlet / upper-triangle entries.
    pos: Vec<[u32; 9]>,
    band_tris: Vec<[u32; 3]>,
    band_sign: Vec<[f64; 3]>,
    band_wraps: Vec<i64>,
    /// Positions of the local pairs [`LOCAL_PAIRS`] of each steel element (`SKIP` if none).
    steel_pos: Vec<[u32; 6]>,
    /// Symbolic factorisation and the place of the values in the factor, built by the first
    /// factorisation at this shift ([`Pattern::layout`]): a warm solve preconditioned by a
    /// neighbouring shift's factor may need none.
    layout: OnceLock<FactorLayout>,
}

impl Pattern {
    /// The symbolic factorisation of this pattern (AMD ordering, supernodes, update plan),
    /// built on first use.
    fn layout(&self) -> Result<&FactorLayout, FemError> {
        if let Some(l) = self.layout.get() {
            return Ok(l);
        }
        let t = Instant::now();
        let built = FactorLayout::new(self.col_ptr.len() - 1, &self.col_ptr, &self.row_idx)?;
        if std::env::var_os("REPM_FEM_TIMING").is_some() {
            eprintln!(
                "repm-fem: symbolic {:.2} ms, nnz(L) {}",
                1e3 * t.elapsed().as_secs_f64(),
                built.len_val()
            );
        }
        Ok(self.layout.get_or_init(|| built))
    }
}

/// Element view used by the assembly loops.
#[derive(Clone, Copy)]
enum Law {
    Linear(f64),
    Steel(usize),
}

/// The solver: a validated problem plus caches. `Sync`: share it between threads.
pub struct Solver {
    pub(crate) problem: Problem,
    opts: SolverOptions,
    cache: Mutex<HashMap<i64, Arc<Pattern>>>,
    /// The latest numeric factor per band shift, for warm single solves.
    factors: Mutex<HashMap<i64, Factor>>,
    /// Identifies the solver to a [`FactorCache`].
    id: u64,
    /// Sorted lower-triangle keys of the problem's own elements (band excluded) and their
    /// entries' places among them.
    fixed_keys: OnceLock<FixedKeys>,
    /// The steel elements in the layout of the residual/Jacobian kernel.
    steel_elems: OnceLock<SteelElems>,
}

impl std::fmt::Debug for Solver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Solver")
            .field("n_nodes", &self.problem.n_nodes())
            .field("n_dof", &self.problem.n_dof())
            .field("opts", &self.opts)
            .finish()
    }
}

/// Working buffers of one solve (allocated once per solve, reused over the Newton iterations).
struct Work {
    kv: Vec<f64>,
    lvals: Vec<f64>,
    /// Single-precision factor values; `pre32`: the preconditioner is the factor in `l32`
    /// (else the one in `lvals`).
    l32: Vec<f32>,
    /// Factorisation work space, single and double precision.
    work32: FactorWork<f32>,
    work64: FactorWork<f64>,
    /// A vector in the factor's order (triangular solves).
    zp: Vec<f64>,
    pre32: bool,
    /// Band shift and pattern of the factor in `lvals` (a neighbouring shift's factor may
    /// precondition the first steps at a new shift).
    pre_shift: i64,
    pre: Arc<Pattern>,
    /// Workspace of the numeric factorisations (allocated by the first one).
    mem: Option<MemBuffer>,
    /// CG work vectors: residual, preconditioned residual, direction, K·direction.
    cg: [Vec<f64>; 4],
    r: Vec<f64>,
    r_try: Vec<f64>,
    x_try: Vec<f64>,
    dx: Vec<f64>,
    /// K_lin·x at the iterate and at the trial point, K_lin·dx.
    rlin: Vec<f64>,
    rlin_try: Vec<f64>,
    kd: Vec<f64>,
    /// (ν, 2·dν/d(B²)) of each steel element at the last trial point.
    coef: Vec<[f64; 2]>,
}

impl Work {
    /// Moves the preconditioner factor out.
    fn take_factor(&mut self) -> Factor {
        Factor {
            shift: self.pre_shift,
            lvals: if self.pre32 {
                Vec::new()
            } else {
                std::mem::take(&mut self.lvals)
            },
            l32: if self.pre32 {
                std::mem::take(&mut self.l32)
            } else {
                Vec::new()
            },
            pat: Arc::clone(&self.pre),
        }
    }
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

fn rotate(p: [f64; 2], c: f64, s: f64) -> [f64; 2] {
    [c * p[0] - s * p[1], s * p[0] + c * p[1]]
}

impl Solver {
    pub fn new(problem: Problem, opts: SolverOptions) -> Result<Solver, FemError> {
        if !(opts.tol.is_finite() && opts.tol > 0.0 && opts.tol < 1.0) {
            return Err(input("tol", opts.tol, "must be in (0, 1)"));
        }
        if opts.max_iterations == 0 {
            return Err(input("max_iterations", 0, "must be at least 1"));
        }
        Ok(Solver {
            problem,
            opts,
            cache: Mutex::new(HashMap::new()),
            factors: Mutex::new(HashMap::new()),
            id: SOLVER_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            fixed_keys: OnceLock::new(),
            steel_elems: OnceLock::new(),
        })
    }

    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    pub fn options(&self) -> SolverOptions {
        self.opts
    }

    /// Splits a rotor angle into (band shift k, remainder frac) with θ = k·step + frac and
    /// 0 ≤ frac < step: positive shear shortens the band's (rotor i, stator j+1) diagonals,
    /// so the triangles stay well shaped. Round-off next to a whole step snaps to it.
    fn split_angle(&self, theta: f64) -> (i64, f64) {
        match &self.problem.band {
            None => (0, 0.0),
            Some(b) => {
                let mut q = (theta / b.step).floor();
                let mut frac = theta - q * b.step;
                if frac >= b.step * (1.0 - 1e-9) {
                    q += 1.0;
                    frac = 0.0;
                } else if frac <= 1e-9 * b.step {
                    frac = 0.0;
                }
                (q as i64, frac)
            }
        }
    }

    /// Whether band shift `shift` has a cached pattern with its symbolic factorisation.
    #[cfg(test)]
    pub(crate) fn has_symbolic(&self, shift: i64) -> bool {
        self.cache
            .lock()
            .is_ok_and(|c| c.get(&shift).is_some_and(|p| p.layout.get().is_some()))
    }

    pub(crate) fn pattern(&self, shift: i64) -> Result<Arc<Pattern>, FemError> {
        if let Ok(c) = self.cache.lock() {
            if let Some(p) = c.get(&shift) {
                return Ok(Arc::clone(p));
            }
        }
        let pat = Arc::new(self.build_pattern(shift)?);
        if let Ok(mut c) = self.cache.lock() {
            if c.len() >= CACHE_CAP {
                c.clear();
            }
            c.insert(shift, Arc::clone(&pat));
        }
        Ok(pat)
    }

    fn build_pattern(&self, shift: i64) -> Result<Pattern, FemError> {
        let t_build = Instant::now();
        let p = &self.problem;
        let n = p.n_dof;
        let (mut band_tris, mut band_dof, mut band_sign, mut band_wraps) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        if let Some(b) = &p.band {
            let flat: Vec<f64> = p.nodes.iter().flatten().copied().collect();
            let band = repm_mesh::band_triangles(&flat, &b.rotor, &b.stator, b.full, shift)
                .map_err(|e| FemError::Geometry(format!("air-gap band: {e}")))?;
            for (tri, &w) in band.triangles.iter().zip(&band.wraps) {
                let flip = if p.antiperiodic && w.rem_euclid(2) == 1 {
                    -1.0
                } else {
                    1.0
                };
                let mut sg = [0.0; 3];
                for k in 0..3 {
                    let i = tri[k] as usize;
                    sg[k] = p.node_sign[i] * if b.is_stator[i] { flip } else { 1.0 };
                }
                band_dof.push(tri.map(|i| p.node_dof[i as usize]));
                band_sign.push(sg);
            }
            band_tris = band.triangles;
            band_wraps = band.wraps;
        }
        // Lower-triangle entries (row >= col) as sorted, deduplicated (col, row) keys: those
        // of the fixed elements are computed once per solver, the band's merged in per shift.
        let fixed = self
            .fixed_keys
            .get_or_init(|| FixedKeys::new(&p.elem_dof, n));
        let mut band_keys = Vec::with_capacity(6 * band_dof.len());
        push_keys(&mut band_keys, band_dof.iter());
        band_keys.sort_unstable();
        band_keys.dedup();
        let (keys, fixed_moved) = merge_sorted(&fixed.keys, &band_keys);
        let mut col_ptr = vec![0u32; n + 1];
        let mut row_idx = Vec::with_capacity(keys.len());
        for &k in &keys {
            col_ptr[(k >> 32) as usize + 1] += 1;
            row_idx.push((k & 0xffff_ffff) as u32);
        }
        for j in 0..n {
            col_ptr[j + 1] += col_ptr[j];
        }
        // The fixed elements' entries are where the merge moved their fixed keys. A band
        // entry is in its column (the keys came from the same triangles), and columns are
        // short (a few rows on a 2D mesh): its place is the count of smaller rows.
        let find = |r: i32, c: i32| -> u32 {
            let (lo, hi) = (
                col_ptr[c as usize] as usize,
                col_ptr[c as usize + 1] as usize,
            );
            let k = lo + row_idx[lo..hi].iter().filter(|&&x| x < r as u32).count();
            debug_assert_eq!(row_idx[k], r as u32);
            k as u32
        };
        let mut pos = Vec::with_capacity(p.elem_dof.len() + band_dof.len());
        pos.extend(fixed.pos.iter().map(|ps| {
            ps.map(|q| match fixed_moved.get(q as usize) {
                Some(&m) => m,
                None => SKIP,
            })
        }));
        for d in &band_dof {
            let mut e = [SKIP; 9];
            for i in 0..3 {
                for j in 0..3 {
                    if d[i] >= 0 && d[j] >= 0 && d[i] >= d[j] {
                        e[3 * i + j] = find(d[i], d[j]);
                    }
                }
            }
            pos.push(e);
        }
        let steel_pos = self
            .steel_elems()
            .index
            .iter()
            .map(|&e| {
                let ps = &pos[e as usize];
                LOCAL_PAIRS.map(|(i, j)| {
                    if ps[3 * i + j] != SKIP {
                        ps[3 * i + j]
                    } else {
                        ps[3 * j + i]
                    }
                })
            })
            .collect();
        if std::env::var_os("REPM_FEM_TIMING").is_some() {
            eprintln!(
                "repm-fem: pattern keys+map {:.2} ms",
                1e3 * t_build.elapsed().as_secs_f64()
            );
        }
        Ok(Pattern {
            col_ptr,
            row_idx,
            pos,
            band_tris,
            band_sign,
            band_wraps,
            steel_pos,
            layout: OnceLock::new(),
        })
    }

    /// Band element geometry at rotor angle `theta` (rotor nodes rotated; wrapped stator nodes
    /// rotated onto their unwrapped position).
    fn band_geo(&self, pat: &Pattern, theta: f64) -> Result<Vec<Geo>, FemError> {
        let p = &self.problem;
        let Some(b) = &p.band else {
            return Ok(Vec::new());
        };
        let (ct, st) = (theta.cos(), theta.sin());
        let mut out = Vec::with_capacity(pat.band_tris.len());
        for (t, (tri, &w)) in pat.band_tris.iter().zip(&pat.band_wraps).enumerate() {
            let phi = w as f64 * p.sector_angle_rad;
            let (cw, sw) = (phi.cos(), phi.sin());
            let pts = tri.map(|i| {
                let q = p.nodes[i as usize];
                if b.is_rotor[i as usize] {
                    rotate(q, ct, st)
                } else if w != 0 {
                    rotate(q, cw, sw)
                } else {
                    q
                }
            });
            out.push(Geo::new(pts).ok_or_else(|| {
                FemError::Geometry(format!(
                    "band triangle {t} = {tri:?} is degenerate at rotor angle {theta} rad: the \
                     band nodes must lie on two circles, evenly spaced"
                ))
            })?);
        }
        Ok(out)
    }

    #[inline]
    fn law(&self, e: usize) -> Law {
        let s = self.problem.steel[e];
        if s >= 0 {
            Law::Steel(s as usize)
        } else {
            Law::Linear(self.problem.nu[e])
        }
    }

    /// Internal force r = K(x)·x (without sources) and, if `kv` is given, the Jacobian values.
    #[cfg(test)]
    pub(crate) fn eval(
        &self,
        pat: &Pattern,
        bgeo: &[Geo],
        x: &[f64],
        r: &mut [f64],
        kv: Option<&mut [f64]>,
    ) {
        self.eval_with(pat, bgeo, x, r, kv, None, None);
    }

    /// Steel elements of the problem, laid out for the residual/Jacobian kernel.
    fn steel_elems(&self) -> &SteelElems {
        self.steel_elems
            .get_or_init(|| SteelElems::new(&self.problem))
    }

    /// Lower-triangle values of the stiffness matrix of the linear elements (problem and
    /// band), constant over the Newton iterations of a solve.
    fn linear_matrix(&self, pat: &Pattern, bgeo: &[Geo]) -> Vec<f64> {
        let p = &self.problem;
        let mut k = vec![0.0; pat.row_idx.len()];
        let t = p.tris.len();
        let nu0 = 1.0 / MU0;
        for e in 0..t + bgeo.len() {
            let (g, s, nu) = if e < t {
                if p.steel[e] >= 0 {
                    continue;
                }
                (&p.geo[e], &p.elem_sign[e], p.nu[e])
            } else {
                (&bgeo[e - t], &pat.band_sign[e - t], nu0)
            };
            let ps = &pat.pos[e];
            for i in 0..3 {
                for j in 0..3 {
                    let q = ps[3 * i + j];
                    if q != SKIP {
                        k[q as usize] +=
                            s[i] * s[j] * g.area * nu * (g.b[i] * g.b[j] + g.c[i] * g.c[j]);
                    }
                }
            }
        }
        k
    }

    /// [`Solver::eval`]; with `lin` = (K_lin from [`Solver::linear_matrix`], K_lin·x) only the
    /// steel elements are visited, the linear ones enter through `lin`; with `coef` the steel
    /// elements' (ν, 2·dν/d(B²)) are kept there.
    #[allow(clippy::too_many_arguments)]
    fn eval_with(
        &self,
        pat: &Pattern,
        bgeo: &[Geo],
        x: &[f64],
        r: &mut [f64],
        mut kv: Option<&mut [f64]>,
        lin: Option<(&[f64], &[f64])>,
        coef: Option<&mut [[f64; 2]]>,
    ) {
        let p = &self.problem;
        match lin {
            Some((kl, rl)) => {
                r.copy_from_slice(rl);
                if let Some(k) = kv.as_deref_mut() {
                    k.copy_from_slice(kl);
                }
            }
            None => {
                // The reference path of `Solver::eval`: K_lin and K_lin·x built here.
                let klin = self.linear_matrix(pat, bgeo);
                Self::matvec(pat, &klin, x, r);
                if let Some(k) = kv.as_deref_mut() {
                    k.copy_from_slice(&klin);
                }
            }
        }
        self.steel_elems()
            .add(&p.steels, &pat.steel_pos, x, r, kv, coef);
    }

    /// Source vector f: magnets ∫ν Br·curl N_i and currents ∫J N_i.
    fn sources(&self, j_group: &[f64]) -> Vec<f64> {
        let p = &self.problem;
        let mut f = vec![0.0; p.n_dof];
        for e in 0..p.tris.len() {
            let (g, d, s) = (&p.geo[e], &p.elem_dof[e], &p.elem_sign[e]);
            let br = p.br[e];
            let grp = p.group[e];
            let jz = if grp >= 0 { j_group[grp as usize] } else { 0.0 };
            if br == [0.0, 0.0] && jz == 0.0 {
                continue;
            }
            let nu = p.nu[e];
            for i in 0..3 {
                if d[i] >= 0 {
                    let mag = nu * (br[0] * g.c[i] - br[1] * g.b[i]);
                    f[d[i] as usize] += s[i] * g.area * (mag + jz / 3.0);
                }
            }
        }
        f
    }

    /// Dof vector from node values (the value of each dof's first node, sign applied).
    fn dofs_from_nodes(&self, a: &[f64]) -> Vec<f64> {
        let p = &self.problem;
        let mut x = vec![0.0; p.n_dof];
        let mut set = vec![false; p.n_dof];
        for (i, &d) in p.node_dof.iter().enumerate() {
            if d >= 0 && !set[d as usize] {
                x[d as usize] = p.node_sign[i] * a[i];
                set[d as usize] = true;
            }
        }
        x
    }

    fn check_inputs(
        &self,
        theta: f64,
        j_group: &[f64],
        a0: Option<&[f64]>,
    ) -> Result<(), FemError> {
        let p = &self.problem;
        if !theta.is_finite() {
            return Err(input("rotor_angle_rad", theta, "must be finite"));
        }
        if j_group.len() != p.n_groups {
            return Err(input(
                "group_current_density",
                format!("{} values", j_group.len()),
                format!("must have n_groups = {} values (A/m²)", p.n_groups),
            ));
        }
        for (g, &v) in j_group.iter().enumerate() {
            if !v.is_finite() {
                return Err(input(
                    format!("group_current_density[{g}]"),
                    v,
                    "must be finite (A/m²)",
                ));
            }
        }
        if let Some(a) = a0 {
            if a.len() != p.n_nodes() {
                return Err(input(
                    "a0",
                    format!("{} values", a.len()),
                    format!("must have one value per node ({})", p.n_nodes()),
                ));
            }
            if let Some((i, v)) = a.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(input(format!("a0[{i}]"), v, "must be finite (Wb/m)"));
            }
        }
        Ok(())
    }

    /// Solves at rotor angle `theta` (rad, counter-clockwise) with current density per source
    /// group (A/m²), optionally warm-started from node values `a0` (Wb/m). A warm solve uses
    /// the numeric factor that earlier solves of this solver left for the same band shift (or,
    /// at a new shift, a neighbouring one) as its preconditioner (the result then agrees with a cold solve within the tolerance); a
    /// cold solve (no `a0`) does not read it and is bit-for-bit repeatable.
    pub fn solve(
        &self,
        theta: f64,
        j_group: &[f64],
        a0: Option<&[f64]>,
    ) -> Result<Solution, FemError> {
        self.check_inputs(theta, j_group, a0)?;
        let x0 = a0.map(|a| self.dofs_from_nodes(a));
        let (shift, _) = self.split_angle(theta);
        let mut fac = None;
        if x0.is_some() && self.opts.chord_steps {
            if let Ok(mut c) = self.factors.lock() {
                fac = c.remove(&shift).or_else(|| {
                    (1..=NEIGHBOUR_SHIFTS)
                        .flat_map(|d| [shift - d, shift + d])
                        .find_map(|s| c.get(&s).cloned())
                });
            }
        }
        let res = self.solve_dofs(theta, j_group, x0, &mut fac);
        if let Some(f) = fac {
            if let Ok(mut c) = self.factors.lock() {
                let used: usize = c.values().map(Factor::size).sum();
                if used + f.size() > FACTOR_BUDGET {
                    c.clear();
                }
                if f.size() <= FACTOR_BUDGET {
                    c.insert(f.shift, f);
                }
            }
        }
        res.map(|(s, _)| s)
    }

    /// Symmetric product y = K·v with the lower triangle of K in `kv`.
    fn matvec(pat: &Pattern, kv: &[f64], v: &[f64], y: &mut [f64]) {
        y.iter_mut().for_each(|t| *t = 0.0);
        for j in 0..v.len() {
            let (lo, hi) = (pat.col_ptr[j] as usize, pat.col_ptr[j + 1] as usize);
            let vj = v[j];
            let mut acc = 0.0;
            for (&i, &k) in pat.row_idx[lo..hi].iter().zip(&kv[lo..hi]) {
                let i = i as usize;
                if i == j {
                    acc += k * vj;
                } else {
                    y[i] += k * vj;
                    acc += k * v[i];
                }
            }
            y[j] += acc;
        }
    }

    /// In-place solve with the preconditioner factor of `w` (f64 or f32); `false` if there is
    /// none (its pattern has no symbolic factorisation).
    fn precondition(w: &mut Work, z: &mut [f64]) -> bool {
        let Some(layout) = w.pre.layout.get() else {
            return false;
        };
        if w.pre32 {
            layout.solve(&w.l32, z, &mut w.zp);
        } else {
            layout.solve(&w.lvals, z, &mut w.zp);
        }
        true
    }

    /// The symbolic factorisation of `pat` and a workspace for its numeric factorisation
    /// (allocated on the first factorisation of the solve).
    fn factor_space<'a>(
        pat: &'a Pattern,
        mem: &'a mut Option<MemBuffer>,
    ) -> Result<(&'a FactorLayout, &'a mut MemStack), FemError> {
        let layout = pat.layout()?;
        let m = match mem {
            Some(m) => m,
            None => mem.insert(MemBuffer::try_new(layout.scratch()).map_err(|_| {
                FemError::Constraint("out of memory for the factorisation workspace".into())
            })?),
        };
        Ok((layout, MemStack::new(m)))
    }

    /// Single-precision numeric factorisation of the Jacobian in `w.kv` into `w.l32` (the
    /// pattern's symbolic structure); `false` if it is not positive definite in f32.
    fn factor32(&self, pat: &Pattern, w: &mut Work) -> bool {
        // A failed symbolic analysis or workspace makes the f64 path report the error.
        let Ok((layout, stack)) = Self::factor_space(pat, &mut w.mem) else {
            return false;
        };
        // A non-finite factor shows up as a non-finite CG residual (then f64 is used).
        layout.factorize(&w.kv, |v| v as f32, &mut w.l32, &mut w.work32, stack)
    }

    /// Conjugate gradients on K·dx = −r (K in `w.kv`), preconditioned by the factor in
    /// `w.lvals`, until ‖K·dx + r‖ ≤ eta·‖r‖. Returns (usable, iterations): stops after
    /// `max_it` iterations or as soon as the observed rate predicts more, and then the
    /// partial solution is still used if it cut the linear residual [`PCG_ACCEPT`]-fold.
    fn pcg(&self, pat: &Pattern, w: &mut Work, eta: f64, max_it: usize) -> (bool, usize) {
        let [res, z, p, q] = &mut std::mem::take(&mut w.cg);
        let out = self.pcg_inner(pat, w, eta, max_it, res, z, p, q);
        w.cg = [
            std::mem::take(res),
            std::mem::take(z),
            std::mem::take(p),
            std::mem::take(q),
        ];
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn pcg_inner(
        &self,
        pat: &Pattern,
        w: &mut Work,
        eta: f64,
        max_it: usize,
        res: &mut [f64],
        z: &mut [f64],
        p: &mut [f64],
        q: &mut [f64],
    ) -> (bool, usize) {
        let r0 = norm(&w.r);
        let target = eta * r0;
        for (s, r) in res.iter_mut().zip(&w.r) {
            *s = -r;
        }
        w.dx.iter_mut().for_each(|d| *d = 0.0);
        z.copy_from_slice(res);
        if !Self::precondition(w, z) {
            return (false, 0);
        }
        p.copy_from_slice(z);
        let mut rz: f64 = res.iter().zip(z.iter()).map(|(a, b)| a * b).sum();
        for it in 1..=max_it {
            Self::matvec(pat, &w.kv, p, q);
            let pq: f64 = p.iter().zip(q.iter()).map(|(a, b)| a * b).sum();
            if !(pq > 0.0 && rz > 0.0) {
                return (false, it);
            }
            let a = rz / pq;
            for k in 0..res.len() {
                w.dx[k] += a * p[k];
                res[k] -= a * q[k];
            }
            let rn = norm(res);
            if !rn.is_finite() {
                return (false, it);
            }
            if rn <= target {
                return (true, it);
            }
            // Linear rate so far: give up early if reaching the target would need more than
            // `max_it` iterations in all.
            let rate = (rn / r0).powf(1.0 / it as f64);
            if it >= 2 && rate < 1.0 && (eta.ln() / rate.ln()) > max_it as f64 + 0.5 {
                return (rn <= PCG_ACCEPT * r0, it);
            }
            if rate >= 1.0 && it >= 2 {
                return (false, it);
            }
            z.copy_from_slice(res);
            if !Self::precondition(w, z) {
                return (false, it);
            }
            let rz_new: f64 = res.iter().zip(z.iter()).map(|(a, b)| a * b).sum();
            let beta = rz_new / rz;
            rz = rz_new;
            for k in 0..p.len() {
                p[k] = z[k] + beta * p[k];
            }
        }
        let rn = norm(res);
        (rn <= PCG_ACCEPT * r0, max_it)
    }

    /// One solve from dof values `x0` (zero if `None`). `fac`: on entry an optional numeric
    /// factor (used as the preconditioner if it belongs to this band shift), on return the
    /// most recent factor of this shift (if any).
    fn solve_dofs(
        &self,
        theta: f64,
        j_group: &[f64],
        x0: Option<Vec<f64>>,
        fac: &mut Option<Factor>,
    ) -> Result<(Solution, Vec<f64>), FemError> {
        let start = Instant::now();
        let p = &self.problem;
        let n = p.n_dof;
        let (shift, frac) = self.split_angle(theta);
        let timing = std::env::var_os("REPM_FEM_TIMING").is_some();
        let pat = self.pattern(shift)?;
        if timing {
            eprintln!(
                "repm-fem: pattern {:.2} ms, nnz(A) {}",
                1e3 * start.elapsed().as_secs_f64(),
                pat.row_idx.len(),
            );
        }
        let step_angle = theta - frac;
        let bgeo = self.band_geo(&pat, step_angle + frac)?;
        let f = self.sources(j_group);
        let fref = norm(&f);
        let mut x = x0.unwrap_or_else(|| vec![0.0; n]);
        let mut residuals = Vec::new();
        let mut iterations = 0;
        let (mut factorizations, mut linear_iterations) = (0, 0);
        let inexact = self.opts.chord_steps;
        if fref > 0.0 && n > 0 {
            let nonlinear = p.is_nonlinear();
            // The factor of this shift, or of a neighbouring one (same dofs, only the band
            // couplings differ) as a preconditioner until the first factorisation here.
            let (lvals, l32, pre_shift, pre, mut has_factor) = match fac.take() {
                Some(fc)
                    if inexact
                        && (fc.shift - shift).abs() <= NEIGHBOUR_SHIFTS
                        && fc.pat.layout.get().is_some_and(|l| {
                            fc.lvals.len() == l.len_val() || fc.l32.len() == l.len_val()
                        }) =>
                {
                    (fc.lvals, fc.l32, fc.shift, fc.pat, true)
                }
                _ => (Vec::new(), Vec::new(), shift, Arc::clone(&pat), false),
            };
            let mut w = Work {
                kv: vec![0.0; pat.row_idx.len()],
                pre32: !l32.is_empty(),
                lvals,
                l32,
                work32: FactorWork::default(),
                work64: FactorWork::default(),
                zp: Vec::new(),
                pre_shift,
                pre,
                mem: None,
                cg: if inexact {
                    std::array::from_fn(|_| vec![0.0; n])
                } else {
                    std::array::from_fn(|_| Vec::new())
                },
                r: vec![0.0; n],
                r_try: vec![0.0; n],
                x_try: vec![0.0; n],
                dx: vec![0.0; n],
                rlin: vec![0.0; n],
                rlin_try: vec![0.0; n],
                kd: vec![0.0; n],
                coef: vec![[0.0; 2]; self.steel_elems().elems.len()],
            };
            // Linear elements: K_lin once, its residual K_lin·x updated along the steps
            // (K_lin·(x + α·dx) = K_lin·x + α·K_lin·dx: one product per Newton step).
            let klin = self.linear_matrix(&pat, &bgeo);
            Self::matvec(&pat, &klin, &x, &mut w.rlin);
            self.eval_with(
                &pat,
                &bgeo,
                &x,
                &mut w.r,
                Some(&mut w.kv),
                Some((&klin, &w.rlin)),
                None,
            );
            w.r.iter_mut().zip(&f).for_each(|(r, f)| *r -= f);
            let mut rn = norm(&w.r);
            residuals.push(rn / fref);
            let upd_tol = self.opts.tol.sqrt();
            let mut converged = rn / fref < self.opts.tol && x.iter().any(|&v| v != 0.0);
            let (mut rn_prev, mut eta_prev) = (rn, ETA_MAX);
            let from_zero = x.iter().all(|&v| v == 0.0);
            let mut alpha_prev = 1.0f64;
            while !converged {
                if iterations >= self.opts.max_iterations {
                    if has_factor {
                        *fac = Some(w.take_factor());
                    }
                    return Err(FemError::Convergence {
                        iterations,
                        residuals,
                    });
                }
                iterations += 1;
                let t_fact = Instant::now();
                // Inexact Newton: CG preconditioned by the last factor, to the forcing term
                // η (Eisenstat–Walker choice 2, safeguarded), never below what the tolerance
                // needs; a factorisation (and exact solve) when CG would cost more.
                let floor = 0.5 * self.opts.tol * fref / rn;
                let eta = if !nonlinear {
                    floor
                } else if iterations == 1 {
                    ETA_MAX
                } else {
                    let mut e = EW_GAMMA * (rn / rn_prev).powi(2);
                    let safe = EW_GAMMA * eta_prev * eta_prev;
                    if safe > 0.1 {
                        e = e.max(safe);
                    }
                    e
                }
                .max(floor)
                .min(ETA_MAX);
                // CG only where the factor can be a good preconditioner: the first step of a
                // warm solve, or after a step that contracted the residual strongly (the
                // Jacobian then changes little from one iterate to the next).
                // With a neighbouring shift's factor and no symbolic analysis of this shift yet,
                // a factorisation here would also pay that analysis (AMD and supernodes, ~3
                // numeric factorisations on the Prius): CG keeps trying, with a larger budget.
                let lazy = |w: &Work| w.pre_shift != shift && pat.layout.get().is_none();
                let near = iterations == 1 || rn < PCG_ENTRY * rn_prev || lazy(&w);
                // CG to η with the current preconditioner, counted (and logged); false if it
                // gave up.
                let mut run_pcg = |w: &mut Work, what: &str, since: Instant| -> bool {
                    let max_it = if lazy(w) { PCG_MAX_NEIGHBOUR } else { PCG_MAX };
                    let (ok, its) = self.pcg(&pat, w, eta, max_it);
                    linear_iterations += its;
                    if timing {
                        eprintln!(
                            "repm-fem: {what} eta {eta:.1e} {its} it {} {:.2} ms",
                            if ok { "ok" } else { "gave up" },
                            1e3 * since.elapsed().as_secs_f64()
                        );
                    }
                    ok
                };
                let mut direct = !(inexact && has_factor && near);
                if !direct {
                    direct = !run_pcg(&mut w, "pcg", t_fact);
                }
                if direct && inexact {
                    // Mixed precision: an f32 factorisation of the Jacobian preconditions CG
                    // on the f64 system (f64 factorisation if that fails).
                    let t32 = Instant::now();
                    let ok32 = self.factor32(&pat, &mut w);
                    if timing {
                        eprintln!(
                            "repm-fem: f32 factor {:.2} ms",
                            1e3 * t32.elapsed().as_secs_f64()
                        );
                    }
                    if ok32 {
                        factorizations += 1;
                        has_factor = true;
                        w.pre32 = true;
                        w.pre_shift = shift;
                        w.pre = Arc::clone(&pat);
                        w.lvals = Vec::new();
                        direct = !run_pcg(&mut w, "f32 factor + pcg", t32);
                    }
                }
                if direct {
                    let len_l = pat.layout()?.len_val();
                    if w.pre_shift != shift || w.lvals.len() != len_l || w.pre32 {
                        w.lvals.resize(len_l, 0.0);
                        w.l32 = Vec::new();
                        w.pre32 = false;
                        w.pre_shift = shift;
                        w.pre = Arc::clone(&pat);
                    }
                    self.newton_step(&pat, &mut w)?;
                    factorizations += 1;
                    has_factor = true;
                    if timing {
                        eprintln!(
                            "repm-fem: factor+solve {:.2} ms",
                            1e3 * t_fact.elapsed().as_secs_f64()
                        );
                    }
                }
                eta_prev = eta;
                rn_prev = rn;
                // Line search on the energy functional Π, convex along the Newton direction:
                // φ(α) = Π(x + α·dx), φ'(α) = r(x + α·dx)·dx, increasing in α, φ'(0) < 0.
                // Full step if φ'(1) ≤ ½|φ'(0)| (energy decreases for a near-quadratic φ; always
                // so in Newton's quadratic phase), else
                // the root of φ' in (0, 1) by Illinois regula falsi (a few residual-only
                // evaluations), then the Jacobian is assembled at the accepted point.
                let d0: f64 = w.r.iter().zip(&w.dx).map(|(r, d)| r * d).sum();
                let g0 = d0.abs();
                Self::matvec(&pat, &klin, &w.dx, &mut w.kd);
                let trial = |alpha: f64, w: &mut Work, with_k: bool| -> f64 {
                    for ((xt, xk), dk) in w.x_try.iter_mut().zip(&x).zip(&w.dx) {
                        *xt = xk + alpha * dk;
                    }
                    for ((rt, rk), kd) in w.rlin_try.iter_mut().zip(&w.rlin).zip(&w.kd) {
                        *rt = rk + alpha * kd;
                    }
                    let kv = if with_k { Some(&mut w.kv[..]) } else { None };
                    self.eval_with(
                        &pat,
                        &bgeo,
                        &w.x_try,
                        &mut w.r_try,
                        kv,
                        Some((&klin, &w.rlin_try)),
                        Some(&mut w.coef),
                    );
                    w.r_try.iter_mut().zip(&f).for_each(|(r, f)| *r -= f);
                    w.r_try.iter().zip(&w.dx).map(|(r, d)| r * d).sum()
                };
                // The Jacobian at the point of the last trial, from the reluctivities it kept.
                let jacobian_at_last_trial = |w: &mut Work| {
                    w.kv.copy_from_slice(&klin);
                    self.steel_elems()
                        .add_jacobian(&pat.steel_pos, &w.x_try, &w.coef, &mut w.kv);
                };
                let mut alpha = 1.0;
                // The Jacobian is assembled with the full-step trial unless a damped step is
                // expected (the first step from A = 0, after a strongly damped step, or after
                // an extrapolated one).
                let k_at_1 = !(nonlinear
                    && (!(0.5..=1.0).contains(&alpha_prev) || (iterations == 1 && from_zero)));
                let d1 = trial(1.0, &mut w, k_at_1);
                if nonlinear && d0 < 0.0 && d1 > 0.5 * g0 && d1.is_finite() {
                    let (mut lo, mut dlo, mut hi, mut dhi) = (0.0, d0, 1.0, d1);
                    let mut side = 0i8;
                    for _ in 0..8 {
                        alpha = (lo * dhi - hi * dlo) / (dhi - dlo);
                        if !(alpha > lo && alpha < hi) {
                            alpha = 0.5 * (lo + hi);
                        } else if alpha - lo < 0.1 * (hi - lo) {
                            // φ' strongly convex (saturating iron, typically the first step
                            // from A = 0, φ'(1) ≫ |φ'(0)|): the secant hugs the lower end and
                            // regula falsi would crawl up; the geometric mean of the secant's
                            // and the bracket's widths lands near the root in one or two steps.
                            alpha = lo + ((alpha - lo) * (hi - lo)).sqrt();
                        }
                        let da = trial(alpha, &mut w, false);
                        if da.abs() <= LINE_SEARCH_TOL * g0 {
                            break;
                        }
                        if da < 0.0 {
                            (lo, dlo) = (alpha, da);
                            if side == -1 {
                                dhi *= 0.5;
                            }
                            side = -1;
                        } else {
                            (hi, dhi) = (alpha, da);
                            if side == 1 {
                                dlo *= 0.5;
                            }
                            side = 1;
                        }
                    }
                    jacobian_at_last_trial(&mut w);
                } else if nonlinear && d0 < 0.0 && d1 < -EXTRAPOLATE_ENTRY * g0 {
                    // Still descending at the full step (typical of saturating iron, where
                    // the Newton model is too stiff): extrapolate φ' linearly to its root,
                    // kept if φ' there is no larger in size than at α = 1.
                    let ext = (g0 / (g0 + d1)).min(EXTRAPOLATE_MAX);
                    let da = trial(ext, &mut w, true);
                    if da.is_finite() && da.abs() <= d1.abs() {
                        alpha = ext;
                    } else {
                        trial(1.0, &mut w, true);
                    }
                } else if !k_at_1 {
                    jacobian_at_last_trial(&mut w);
                }
                alpha_prev = alpha;
                if timing {
                    eprintln!("repm-fem: alpha {alpha} (phi'(1)/|phi'(0)| {:.3})", d1 / g0);
                }
                std::mem::swap(&mut x, &mut w.x_try);
                std::mem::swap(&mut w.rlin, &mut w.rlin_try);
                std::mem::swap(&mut w.r, &mut w.r_try);
                rn = norm(&w.r);
                residuals.push(rn / fref);
                if !rn.is_finite() {
                    return Err(FemError::Convergence {
                        iterations,
                        residuals,
                    });
                }
                let xmax = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                let dmax = w.dx.iter().fold(0.0f64, |m, v| m.max(v.abs())) * alpha;
                converged = rn / fref < self.opts.tol && (!nonlinear || dmax <= upd_tol * xmax);
            }
            if has_factor {
                *fac = Some(w.take_factor());
            }
        } else {
            x.iter_mut().for_each(|v| *v = 0.0);
            residuals.push(0.0);
        }
        if timing {
            eprintln!(
                "repm-fem: newton done {:.2} ms, {factorizations} factorisations, \
                 {linear_iterations} CG iterations, residuals {:.2?}",
                1e3 * start.elapsed().as_secs_f64(),
                residuals
                    .iter()
                    .map(|r| format!("{r:.1e}"))
                    .collect::<Vec<_>>()
            );
        }
        let t_post = Instant::now();
        let mut sol = self.post(
            &pat, &bgeo, theta, &x, j_group, iterations, residuals, start,
        );
        if timing {
            eprintln!(
                "repm-fem: post-processing {:.2} ms",
                1e3 * t_post.elapsed().as_secs_f64()
            );
        }
        sol.factorizations = factorizations;
        sol.linear_iterations = linear_iterations;
        Ok((sol, x))
    }

    /// Factorises the assembled Jacobian in `w.kv` and puts the Newton update −K⁻¹r in `w.dx`.
    fn newton_step(&self, pat: &Pattern, w: &mut Work) -> Result<(), FemError> {
        let (layout, stack) = Self::factor_space(pat, &mut w.mem)?;
        if !layout.factorize(&w.kv, |v| v, &mut w.lvals, &mut w.work64, stack) {
            return Err(FemError::Constraint(
                "the stiffness matrix is not positive definite: a part of the mesh is not \
                 connected to any Dirichlet node, or reluctivities are not physical"
                    .into(),
            ));
        }
        for (d, r) in w.dx.iter_mut().zip(&w.r) {
            *d = -r;
        }
        layout.solve(&w.lvals, &mut w.dx, &mut w.zp);
        if w.dx.iter().any(|v| !v.is_finite()) {
            return Err(FemError::Constraint(
                "the Newton update is not finite: the system is singular".into(),
            ));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn post(
        &self,
        pat: &Pattern,
        bgeo: &[Geo],
        theta: f64,
        x: &[f64],
        j_group: &[f64],
        iterations: usize,
        residuals: Vec<f64>,
        start: Instant,
    ) -> Solution {
        let p = &self.problem;
        let m = p.n_nodes();
        let a: Vec<f64> = (0..m)
            .map(|i| {
                let d = p.node_dof[i];
                if d >= 0 {
                    p.node_sign[i] * x[d as usize]
                } else {
                    0.0
                }
            })
            .collect();
        let t = p.tris.len();
        let (ct, st) = (theta.cos(), theta.sin());
        let mut b = Vec::with_capacity(t + bgeo.len());
        let (mut energy, mut coenergy) = (0.0, 0.0);
        let mut group_a = vec![0.0; p.n_groups];
        let nu0 = 1.0 / MU0;
        let mut torque = 0.0;
        for e in 0..t + bgeo.len() {
            let (g, nodes, sgn) = if e < t {
                (&p.geo[e], &p.tris[e], [1.0; 3])
            } else {
                (&bgeo[e - t], &pat.band_tris[e - t], {
                    // Band stator nodes of wrapped anti-periodic triangles enter with a flip.
                    let q = e - t;
                    let mut sg = [1.0; 3];
                    for (k, sgk) in sg.iter_mut().enumerate() {
                        let ns = p.node_sign[pat.band_tris[q][k] as usize];
                        if ns != 0.0 {
                            *sgk = pat.band_sign[q][k] / ns;
                        }
                    }
                    sg
                })
            };
            let al = [
                sgn[0] * a[nodes[0] as usize],
                sgn[1] * a[nodes[1] as usize],
                sgn[2] * a[nodes[2] as usize],
            ];
            let gx = al[0] * g.b[0] + al[1] * g.b[1] + al[2] * g.b[2];
            let gy = al[0] * g.c[0] + al[1] * g.c[1] + al[2] * g.c[2];
            let bl = [gy, -gx];
            let (w_e, wc_e) = if e < t {
                match self.law(e) {
                    Law::Linear(nu) => (
                        linear_energy(nu, bl, p.br[e]),
                        linear_coenergy(nu, bl, p.br[e]),
                    ),
                    Law::Steel(k) => {
                        let b2 = gx * gx + gy * gy;
                        let w = p.steels[k].energy_density(b2.sqrt());
                        let h = p.steels[k].nu_dnu(b2).0 * b2.sqrt();
                        (w, h * b2.sqrt() - w)
                    }
                }
            } else {
                let e2 = 0.5 * nu0 * (gx * gx + gy * gy);
                (e2, e2)
            };
            energy += g.area * w_e;
            coenergy += g.area * wc_e;
            if e < t {
                let grp = p.group[e];
                if grp >= 0 {
                    group_a[grp as usize] += g.area * (al[0] + al[1] + al[2]) / 3.0;
                }
                b.push(if p.rotor[e] { rotate(bl, ct, st) } else { bl });
            } else {
                // Band triangles are already in the global frame.
                let q = &pat.band_tris[e - t];
                let _ = q;
                b.push(bl);
                if let Some(bd) = &p.band {
                    // Centroid of the (rotated) band triangle from its gradients: recompute.
                    let cen =
                        band_centroid(p, bd, &pat.band_tris[e - t], pat.band_wraps[e - t], theta);
                    let r = cen[0].hypot(cen[1]);
                    let (cr, sr) = (cen[0] / r, cen[1] / r);
                    let b_r = bl[0] * cr + bl[1] * sr;
                    let b_t = -bl[0] * sr + bl[1] * cr;
                    torque += g.area * r * b_r * b_t / (MU0 * (bd.r_stator - bd.r_rotor));
                }
            }
        }
        let _ = j_group;
        Solution {
            a,
            b,
            band_triangles: pat.band_tris.clone(),
            rotor_angle_rad: theta,
            energy_j_per_m: energy,
            coenergy_j_per_m: coenergy,
            torque_arkkio_nm_per_m: torque,
            group_a_integral: group_a,
            newton_iterations: iterations,
            residuals,
            seconds: start.elapsed().as_secs_f64(),
            factorizations: 0,
            linear_iterations: 0,
        }
    }

    /// Solves K points: `angles` (K,) and `j` (K·G, row-major). Chunks of [`BATCH_CHUNK`]
    /// consecutive points run in parallel, each warm-started from the previous point of its
    /// chunk; results are bit-identical for any number of threads.
    pub fn solve_batch(&self, angles: &[f64], j: &[f64]) -> Result<Vec<Solution>, FemError> {
        self.solve_batch_with(angles, j, None, None)
    }

    /// [`Solver::solve_batch`] with optional initial node values `a0` (K·M, row-major, Wb/m;
    /// M = number of nodes) and an optional [`FactorCache`]. With `a0` every point starts from
    /// its own row and the points run independently in parallel; without it, chunks of
    /// [`BATCH_CHUNK`] consecutive points run in parallel, each warm-started from the previous
    /// point of its chunk. Numeric factors are passed along a chunk and, with `factors`, kept
    /// per point index for the next call (point k reads and writes slot k only). The results
    /// are bit-identical for any number of threads and depend only on the inputs and on what
    /// earlier calls left in `factors`.
    pub fn solve_batch_with(
        &self,
        angles: &[f64],
        j: &[f64],
        a0: Option<&[f64]>,
        factors: Option<&FactorCache>,
    ) -> Result<Vec<Solution>, FemError> {
        let g = self.problem.n_groups;
        let m = self.problem.n_nodes();
        if j.len() != angles.len() * g {
            return Err(input(
                "group_current_density",
                format!("{} values", j.len()),
                format!("must have shape (K, n_groups) = ({}, {g})", angles.len()),
            ));
        }
        if let Some(a) = a0 {
            if a.len() != angles.len() * m {
                return Err(input(
                    "a0",
                    format!("{} values", a.len()),
                    format!("must have shape (K, n_nodes) = ({}, {m})", angles.len()),
                ));
            }
        }
        for (k, &th) in angles.iter().enumerate() {
            self.check_inputs(
                th,
                &j[k * g..(k + 1) * g],
                a0.map(|a| &a[k * m..(k + 1) * m]),
            )
            .map_err(|e| match e {
                FemError::Input {
                    field,
                    value,
                    allowed,
                } => FemError::Input {
                    field: format!("point {k}: {field}"),
                    value,
                    allowed,
                },
                other => other,
            })?;
        }
        let kpts = angles.len();
        // Take the slots out of the cache for the whole call (deterministic hand-over).
        let mut slots: Vec<Option<Factor>> = match factors.map(|c| c.inner.lock()) {
            Some(Ok(mut gd)) => {
                if gd.0 != self.id {
                    gd.1.clear();
                    gd.0 = self.id;
                }
                let mut v = std::mem::take(&mut gd.1);
                v.resize_with(kpts.max(v.len()), || None);
                v
            }
            _ => (0..kpts).map(|_| None).collect(),
        };
        let inexact = self.opts.chord_steps;
        let chunk = if a0.is_some() { 1 } else { BATCH_CHUNK };
        let idx: Vec<usize> = (0..kpts).collect();
        let results: Vec<Result<Vec<SolvedPoint>, FemError>> = idx
            .par_chunks(chunk)
            .zip(slots[..kpts].par_chunks_mut(chunk))
            .map(|(pts, sl)| {
                let mut out = Vec::with_capacity(pts.len());
                let mut prev: Option<Vec<f64>> = None;
                let mut carry: Option<Factor> = None;
                for (&k, slot) in pts.iter().zip(sl.iter_mut()) {
                    let x0 = match a0 {
                        Some(a) => Some(self.dofs_from_nodes(&a[k * m..(k + 1) * m])),
                        None => prev.take(),
                    };
                    let (shift, _) = self.split_angle(angles[k]);
                    // The slot's factor if of this shift, else the chunk's previous one if
                    // of this shift (a neighbouring shift's factor did not pay off in
                    // sweeps over rotor positions: more Newton iterations than it saved).
                    let mut fac = match slot.take() {
                        Some(f) if f.shift == shift => Some(f),
                        _ => carry.take().filter(|f| f.shift == shift),
                    };
                    if !inexact {
                        fac = None;
                    }
                    let (s, x) =
                        self.solve_dofs(angles[k], &j[k * g..(k + 1) * g], x0, &mut fac)?;
                    prev = Some(x);
                    if k + 1 < kpts && pts.last() != Some(&k) {
                        carry.clone_from(&fac);
                    }
                    out.push((s, fac));
                }
                Ok(out)
            })
            .collect();
        let mut all = Vec::with_capacity(kpts);
        let mut err = None;
        let mut k = 0;
        for c in results {
            match c {
                Ok(v) => {
                    for (s, fac) in v {
                        slots[k] = fac;
                        k += 1;
                        all.push(s);
                    }
                }
                Err(e) => {
                    err.get_or_insert(e);
                }
            }
        }
        if let Some(c) = factors {
            if let Ok(mut gd) = c.inner.lock() {
                if err.is_none() {
                    gd.1 = slots;
                }
                gd.0 = self.id;
            }
        }
        match err {
            Some(e) => Err(e),
            None => Ok(all),
        }
    }
}

fn band_centroid(
    p: &Problem,
    bd: &crate::problem::BandInfo,
    tri: &[u32; 3],
    wraps: i64,
    theta: f64,
) -> [f64; 2] {
    let (ct, st) = (theta.cos(), theta.sin());
    let phi = wraps as f64 * p.sector_angle_rad;
    let (cw, sw) = (phi.cos(), phi.sin());
    let mut c = [0.0; 2];
    for &i in tri {
        let q = p.nodes[i as usize];
        let r = if bd.is_rotor[i as usize] {
            rotate(q, ct, st)
        } else {
            rotate(q, cw, sw)
        };
        c[0] += r[0] / 3.0;
        c[1] += r[1] / 3.0;
    }
    c
}

/// Appends the (col, row) keys, row ≥ col, of every element's free dofs.
fn push_keys<'a>(keys: &mut Vec<u64>, dofs: impl Iterator<Item = &'a [i32; 3]>) {
    for d in dofs {
        for &ri in d {
            for &cj in d {
                if ri >= 0 && cj >= 0 && ri >= cj {
                    keys.push(((cj as u64) << 32) | ri as u64);
                }
            }
        }
    }
}

/// Sorted, deduplicated lower-triangle keys (column << 32 | row) of the problem's own
/// elements and the diagonal, with the place of every element entry among them.
struct FixedKeys {
    keys: Vec<u64>,
    /// Per element, entry (i, j) = 3i + j: index into `keys`, `SKIP` where not stored
    /// (Dirichlet node or upper triangle).
    pos: Vec<[u32; 9]>,
}

impl FixedKeys {
    /// Counting sort of all entries by column, then by row within each (short) column,
    /// carrying each entry's origin so that its place needs no search afterwards.
    fn new(elem_dof: &[[i32; 3]], n: usize) -> FixedKeys {
        // Entries (column, row, origin = 9·element + 3i + j, or SKIP for the diagonal),
        // visited twice: once to count per column, once to place.
        let mut start = vec![0usize; n + 1];
        for_each_entry(elem_dof, n, |c, _, _| start[c as usize + 1] += 1);
        for c in 0..n {
            start[c + 1] += start[c];
        }
        let mut next = start.clone();
        let mut by_col = vec![(0u32, 0u32); start[n]];
        for_each_entry(elem_dof, n, |c, r, o| {
            by_col[next[c as usize]] = (r, o);
            next[c as usize] += 1;
        });
        let mut keys = Vec::with_capacity(by_col.len() / 2);
        let mut pos = vec![[SKIP; 9]; elem_dof.len()];
        for c in 0..n {
            let col = &mut by_col[start[c]..start[c + 1]];
            col.sort_unstable();
            let mut last = None;
            for &(r, o) in col.iter() {
                if last != Some(r) {
                    keys.push(((c as u64) << 32) | u64::from(r));
                    last = Some(r);
                }
                if o != SKIP {
                    pos[o as usize / 9][o as usize % 9] = (keys.len() - 1) as u32;
                }
            }
        }
        FixedKeys { keys, pos }
    }
}

/// Calls `f(column, row, origin)` for the diagonal (origin `SKIP`) and every lower-triangle
/// entry of the elements (origin 9·element + 3i + j).
#[inline(always)]
fn for_each_entry(elem_dof: &[[i32; 3]], n: usize, mut f: impl FnMut(u32, u32, u32)) {
    for d in 0..n as u32 {
        f(d, d, SKIP);
    }
    for (e, d) in elem_dof.iter().enumerate() {
        for i in 0..3 {
            for j in 0..3 {
                if d[i] >= 0 && d[j] >= 0 && d[i] >= d[j] {
                    f(d[j] as u32, d[i] as u32, (9 * e + 3 * i + j) as u32);
                }
            }
        }
    }
}

/// Union of two sorted, deduplicated key lists, and the index in the union of each key of `a`.
fn merge_sorted(a: &[u64], b: &[u64]) -> (Vec<u64>, Vec<u32>) {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut moved = Vec::with_capacity(a.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x <= y {
            moved.push(out.len() as u32);
        }
        out.push(x.min(y));
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    for &x in &a[i..] {
        moved.push(out.len() as u32);
        out.push(x);
    }
    out.extend_from_slice(&b[j..]);
    (out, moved)
}
