//! The Jacobian in the elimination order of its Cholesky factor.
//!
//! The system is assembled in dof order; the factor works in the fill-reducing (AMD) order of
//! faer's symbolic analysis. Once per sparsity pattern a map from each assembled entry to its
//! place in the factor's storage is built (with the update plan of [`crate::left_looking`]),
//! so a factorisation scatters the values straight into L (fused with the f64 → f32
//! conversion of the mixed-precision path) and factorises in place; the triangular solves
//! are the crate's own single-right-hand-side ones below.

use faer::dyn_stack::{MemStack, StackReq};
use faer::linalg::cholesky::llt::factor::cholesky_in_place_scratch;
use faer::sparse::linalg::cholesky::supernodal::SymbolicSupernodalCholesky;
use faer::sparse::linalg::cholesky::{
    factorize_symbolic_cholesky, CholeskySymbolicParams, SymbolicCholesky, SymbolicCholeskyRaw,
    SymmetricOrdering,
};
use faer::sparse::linalg::SupernodalThreshold;
use faer::sparse::SymbolicSparseColMatRef;
use faer::{Par, Side, Spec};

use crate::error::FemError;
use crate::left_looking::{column_supernodes, value_positions, Real, UpdatePlan, SMALL_BLOCK};

/// Symbolic factorisation of one sparsity pattern and the place of its values in the factor.
pub(crate) struct FactorLayout {
    /// `perm[i]`: the dof of row i of the factor.
    perm: Vec<u32>,
    /// Position in the factor's values of each entry of the assembled lower triangle (dof
    /// order).
    lmap: Vec<u32>,
    /// faer's symbolic factorisation (AMD ordering); only its supernodal part is used.
    symbolic: SymbolicCholesky<u32>,
    /// Which descendant supernode updates which (none for a diagonal matrix).
    plan: Option<UpdatePlan>,
    /// Columns of the widest supernode that faer's dense Cholesky factorises.
    dense_block: usize,
}

/// Work space of [`FactorLayout::factorize`] (reused across factorisations).
pub(crate) struct FactorWork<T> {
    buf: Vec<T>,
}

impl<T> Default for FactorWork<T> {
    fn default() -> Self {
        FactorWork { buf: Vec::new() }
    }
}

impl FactorLayout {
    /// Orders and analyses the lower triangle `col_ptr`/`row_idx` (dof order, sorted rows) of
    /// an n×n symmetric matrix.
    pub(crate) fn new(n: usize, col_ptr: &[u32], row_idx: &[u32]) -> Result<Self, FemError> {
        let sym = SymbolicSparseColMatRef::<u32>::new_checked(n, n, col_ptr, None, row_idx);
        let symbolic = factorize_symbolic_cholesky(
            sym,
            Side::Lower,
            SymmetricOrdering::Amd,
            CholeskySymbolicParams {
                // Supernodal (dense blocks) is several times faster than simplicial on 2D
                // meshes of a few thousand unknowns and up.
                supernodal_flop_ratio_threshold: SupernodalThreshold::FORCE_SUPERNODAL,
                ..Default::default()
            },
        )
        .map_err(|e| FemError::Constraint(format!("symbolic factorisation failed: {e:?}")))?;
        let perm: Vec<u32> = match symbolic.perm() {
            Some(p) => p.arrays().0.to_vec(),
            None => (0..n as u32).collect(),
        };
        let mut inv = vec![0u32; n];
        for (new, &old) in perm.iter().enumerate() {
            inv[old as usize] = new as u32;
        }
        // Each assembled entry's (row, column) in the permuted lower triangle.
        let inv = &inv;
        let placed: Vec<(u32, u32)> = (0..n)
            .flat_map(|c| {
                row_idx[col_ptr[c] as usize..col_ptr[c + 1] as usize]
                    .iter()
                    .map(move |&r| {
                        let (r, c) = (inv[r as usize], inv[c]);
                        (r.max(c), r.min(c))
                    })
            })
            .collect();
        let (plan, lmap, dense_block) = match symbolic.raw() {
            SymbolicCholeskyRaw::Supernodal(sn) => {
                let (begin, end) = (sn.supernode_begin(), sn.supernode_end());
                let dense_block = (0..sn.n_supernodes())
                    .map(|k| (end[k] - begin[k]) as usize)
                    .filter(|&nc| nc > SMALL_BLOCK)
                    .max()
                    .unwrap_or(0);
                let of_col = column_supernodes(sn);
                let lmap = value_positions(sn, &of_col, &placed);
                (Some(UpdatePlan::new(sn, &of_col)), lmap, dense_block)
            }
            // faer takes the simplicial path only when the factorisation costs no flops, i.e.
            // when the matrix is diagonal (one unknown, or unknowns not coupled to each
            // other): the factor is then the square root of the diagonal, in factor order.
            SymbolicCholeskyRaw::Simplicial(_) => {
                if row_idx.len() != n {
                    return Err(FemError::Constraint(
                        "symbolic factorisation: simplicial structure for a non-diagonal matrix"
                            .into(),
                    ));
                }
                (None, placed.iter().map(|&(r, _)| r).collect(), 0)
            }
        };
        Ok(FactorLayout {
            perm,
            lmap,
            symbolic,
            plan,
            dense_block,
        })
    }

    fn supernodal(&self) -> Option<&SymbolicSupernodalCholesky<u32>> {
        match self.symbolic.raw() {
            SymbolicCholeskyRaw::Supernodal(s) => Some(s),
            SymbolicCholeskyRaw::Simplicial(_) => None,
        }
    }

    /// Number of stored values of the factor L.
    pub(crate) fn len_val(&self) -> usize {
        match self.supernodal() {
            Some(s) => s.len_val(),
            None => self.perm.len(),
        }
    }

    /// Workspace of [`FactorLayout::factorize`] in f64 and f32 (faer's dense Cholesky of the
    /// widest supernode).
    pub(crate) fn scratch(&self) -> StackReq {
        StackReq::any_of(&[
            cholesky_in_place_scratch::<f64>(self.dense_block, Par::Seq, Spec::default()),
            cholesky_in_place_scratch::<f32>(self.dense_block, Par::Seq, Spec::default()),
        ])
    }

    /// Numeric Cholesky factorisation of the assembled lower triangle `kv` (dof order, the
    /// pattern of [`FactorLayout::new`]) into `l` (resized), converted by `cast`; `false` if
    /// the matrix is not positive definite in this precision.
    pub(crate) fn factorize<T: Real>(
        &self,
        kv: &[f64],
        cast: impl Fn(f64) -> T,
        l: &mut Vec<T>,
        work: &mut FactorWork<T>,
        stack: &mut MemStack,
    ) -> bool {
        l.clear();
        l.resize(self.len_val(), T::default());
        for (&p, &v) in self.lmap.iter().zip(kv) {
            l[p as usize] = cast(v);
        }
        let (Some(s), Some(plan)) = (self.supernodal(), self.plan.as_ref()) else {
            // Diagonal: L = √A.
            for v in l.iter_mut() {
                if !(*v > T::default() && v.finite()) {
                    return false;
                }
                *v = v.sqrt();
            }
            return true;
        };
        work.buf.resize(plan.buffer_len(), T::default());
        crate::left_looking::factorize(s, plan, l, &mut work.buf, stack)
    }

    /// Solves L·Lᵀ·y = b in place for `b` in dof order (L: the values `l` of a factor of
    /// this layout, f32 or f64), through the work vector `tmp` (factor order, f64).
    pub(crate) fn solve<T: Copy + Into<f64>>(&self, l: &[T], b: &mut [f64], tmp: &mut Vec<f64>) {
        let n = self.perm.len();
        let Some(s) = self.supernodal() else {
            for (&d, &p) in l.iter().zip(&self.perm) {
                let d: f64 = d.into();
                b[p as usize] /= d * d;
            }
            return;
        };
        tmp.resize(n, 0.0);
        for (t, &p) in tmp.iter_mut().zip(&self.perm) {
            *t = b[p as usize];
        }
        solve_supernodal(s, l, tmp);
        for (t, &p) in tmp.iter().zip(&self.perm) {
            b[p as usize] = *t;
        }
    }
}

/// L·Lᵀ·x = b in place (factor order) with a supernodal factor L, one right-hand side.
/// faer's blocked solve calls its dense kernels per supernode, and for one right-hand side on
/// a 2D mesh (mostly small supernodes) their dispatch costs more than the arithmetic (2.2 ms
/// against ~1 ms for the f32 factor of the 30k-dof Prius). Here each supernode is a dense
/// triangular solve of its diagonal block and one pass over its off-diagonal rows (contiguous
/// columns, vectorised) with a single scatter or gather of the pattern; the accumulation is
/// in f64 for an f32 factor too.
fn solve_supernodal<T: Copy + Into<f64>>(
    s: &SymbolicSupernodalCholesky<u32>,
    l: &[T],
    x: &mut [f64],
) {
    let (begin, end, val_ptr) = (s.supernode_begin(), s.supernode_end(), s.col_ptr_for_val());
    let block = |k: usize| {
        let (start, nc) = (begin[k] as usize, (end[k] - begin[k]) as usize);
        let pattern = s.supernode(k).pattern();
        let vals = &l[val_ptr[k] as usize..val_ptr[k + 1] as usize];
        (start, nc, pattern, vals)
    };
    let longest = (0..s.n_supernodes())
        .map(|k| s.supernode(k).pattern().len())
        .max()
        .unwrap_or(0);
    let mut t = vec![0.0f64; longest];
    // Forward, L·y = b. Column j of a supernode: its diagonal block's column (rows
    // start..start+nc, the lower part used), then the rows of the pattern.
    for k in 0..s.n_supernodes() {
        let (start, nc, pattern, vals) = block(k);
        let nr = nc + pattern.len();
        let t = &mut t[..pattern.len()];
        t.iter_mut().for_each(|v| *v = 0.0);
        for j in 0..nc {
            let col = &vals[j * nr..(j + 1) * nr];
            let xj = x[start + j] / col[j].into();
            x[start + j] = xj;
            for (xi, &v) in x[start + j + 1..start + nc].iter_mut().zip(&col[j + 1..nc]) {
                *xi -= v.into() * xj;
            }
            for (ti, &v) in t.iter_mut().zip(&col[nc..]) {
                *ti += v.into() * xj;
            }
        }
        for (&r, &ti) in pattern.iter().zip(t.iter()) {
            x[r as usize] -= ti;
        }
    }
    // Backward, Lᵀ·x = y.
    for k in (0..s.n_supernodes()).rev() {
        let (start, nc, pattern, vals) = block(k);
        let nr = nc + pattern.len();
        let t = &mut t[..pattern.len()];
        for (ti, &r) in t.iter_mut().zip(pattern) {
            *ti = x[r as usize];
        }
        for j in (0..nc).rev() {
            let col = &vals[j * nr..(j + 1) * nr];
            let mut acc = x[start + j] - dot(&col[nc..], t);
            for (xi, &v) in x[start + j + 1..start + nc].iter().zip(&col[j + 1..nc]) {
                acc -= v.into() * xi;
            }
            x[start + j] = acc / col[j].into();
        }
    }
}

/// Σ a_k·b_k with eight partial sums (vectorisable; the order is fixed, so results do not
/// depend on the machine).
#[inline]
fn dot<T: Copy + Into<f64>>(a: &[T], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (ac, bc) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ar, br) = (ac.remainder(), bc.remainder());
    for (x, y) in ac.zip(bc) {
        for q in 0..8 {
            acc[q] += x[q].into() * y[q];
        }
    }
    let mut tail = 0.0;
    for (x, y) in ar.iter().zip(br) {
        tail += (*x).into() * y;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use faer::dyn_stack::MemBuffer;
    use proptest::prelude::*;

    /// Lower triangle (sorted rows) of a weighted graph Laplacian on an nx × ny grid with
    /// diagonals, plus `shift` on the diagonal: symmetric positive definite.
    fn grid_matrix(nx: usize, ny: usize, w: &[f64], shift: f64) -> (Vec<u32>, Vec<u32>, Vec<f64>) {
        let n = nx * ny;
        let mut cols: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
        let mut diag = vec![shift; n];
        let mut k = 0;
        for y in 0..ny {
            for x in 0..nx {
                let i = y * nx + x;
                for (dx, dy) in [(1, 0), (0, 1), (1, 1)] {
                    let (x2, y2) = (x + dx, y + dy);
                    if x2 < nx && y2 < ny {
                        let j = y2 * nx + x2;
                        let wt = w[k % w.len()];
                        k += 1;
                        cols[i].push((j as u32, -wt));
                        diag[i] += wt;
                        diag[j] += wt;
                    }
                }
            }
        }
        let (mut ptr, mut rows, mut vals) = (vec![0u32], Vec::new(), Vec::new());
        for (c, col) in cols.iter_mut().enumerate() {
            col.push((c as u32, diag[c]));
            col.sort_by_key(|e| e.0);
            for &(r, v) in col.iter() {
                rows.push(r);
                vals.push(v);
            }
            ptr.push(rows.len() as u32);
        }
        (ptr, rows, vals)
    }

    /// y = A·x for the lower triangle (ptr, rows, vals) of a symmetric A.
    fn sym_matvec(ptr: &[u32], rows: &[u32], vals: &[f64], x: &[f64]) -> Vec<f64> {
        let mut y = vec![0.0; x.len()];
        for c in 0..x.len() {
            for k in ptr[c] as usize..ptr[c + 1] as usize {
                let r = rows[k] as usize;
                y[r] += vals[k] * x[c];
                if r != c {
                    y[c] += vals[k] * x[r];
                }
            }
        }
        y
    }

    /// The grid matrix of [`grid_matrix`] (lower triangle) with its layout and factor values.
    type Factored<T> = (Vec<u32>, Vec<u32>, Vec<f64>, FactorLayout, Vec<T>);

    fn factor_grid<T: Real>(
        nx: usize,
        ny: usize,
        w: &[f64],
        cast: impl Fn(f64) -> T,
    ) -> Factored<T> {
        let (ptr, rows, vals) = grid_matrix(nx, ny, w, 1e-3);
        let layout = FactorLayout::new(nx * ny, &ptr, &rows).unwrap();
        let mut mem = MemBuffer::new(layout.scratch());
        let mut l = Vec::new();
        let stack = MemStack::new(&mut mem);
        assert!(layout.factorize(&vals, cast, &mut l, &mut FactorWork::default(), stack));
        (ptr, rows, vals, layout, l)
    }

    fn relative_residual<T: Real + Into<f64>>(
        nx: usize,
        ny: usize,
        w: &[f64],
        b: &[f64],
        cast: impl Fn(f64) -> T,
    ) -> f64 {
        let n = nx * ny;
        let (ptr, rows, vals, layout, l) = factor_grid(nx, ny, w, cast);
        let mut x = b[..n].to_vec();
        layout.solve(&l, &mut x, &mut Vec::new());
        let ax = sym_matvec(&ptr, &rows, &vals, &x);
        let num: f64 = ax.iter().zip(&b[..n]).map(|(p, q)| (p - q).powi(2)).sum();
        let den: f64 = b[..n].iter().map(|q| q * q).sum();
        (num / den).sqrt()
    }

    /// Largest |(L·Lᵀ − P·A·Pᵀ)_ij| / max|A_ij| with the factor expanded to a dense matrix.
    fn reconstruction_error(nx: usize, ny: usize, w: &[f64]) -> f64 {
        let n = nx * ny;
        let (ptr, rows, vals, layout, l) = factor_grid(nx, ny, w, |v: f64| v);
        let mut dense = vec![0.0; n * n];
        match layout.supernodal() {
            Some(s) => {
                let (begin, end, val_ptr) =
                    (s.supernode_begin(), s.supernode_end(), s.col_ptr_for_val());
                for k in 0..s.n_supernodes() {
                    let (b, e) = (begin[k] as usize, end[k] as usize);
                    let rows_k: Vec<usize> = (b..e)
                        .chain(s.supernode(k).pattern().iter().map(|&r| r as usize))
                        .collect();
                    for j in b..e {
                        for (i, &r) in rows_k.iter().enumerate() {
                            let v = l[val_ptr[k] as usize + (j - b) * rows_k.len() + i];
                            dense[r * n + j] = if r >= j { v } else { 0.0 };
                        }
                    }
                }
            }
            None => (0..n).for_each(|i| dense[i * n + i] = l[i]),
        }
        let mut inv = vec![0; n];
        for (new, &old) in layout.perm.iter().enumerate() {
            inv[old as usize] = new;
        }
        let mut a = vec![0.0; n * n];
        for c in 0..n {
            for k in ptr[c] as usize..ptr[c + 1] as usize {
                let (i, j) = (inv[rows[k] as usize], inv[c]);
                a[i * n + j] = vals[k];
                a[j * n + i] = vals[k];
            }
        }
        let scale = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let mut worst = 0.0f64;
        for i in 0..n {
            for j in 0..=i {
                let llt: f64 = (0..=j).map(|t| dense[i * n + t] * dense[j * n + t]).sum();
                worst = worst.max((llt - a[i * n + j]).abs() / scale);
            }
        }
        worst
    }

    #[test]
    fn factor_times_its_transpose_is_the_permuted_matrix() {
        // Sizes with one unknown, a few small supernodes, and dense trailing blocks wider than
        // the plain-loop limit (updates through faer's matrix product).
        for (nx, ny) in [(1, 1), (3, 2), (9, 7), (24, 24)] {
            let err = reconstruction_error(nx, ny, &[0.3, 2.0, 7.5, 1.1]);
            assert!(err < 1e-12, "{nx}x{ny}: {err}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// L·Lᵀ reproduces the permuted matrix entry by entry (to f64 rounding).
        #[test]
        fn factor_reproduces_the_matrix(
            nx in 1usize..22, ny in 1usize..22,
            w in prop::collection::vec(0.1f64..10.0, 1..20),
        ) {
            prop_assert!(reconstruction_error(nx, ny, &w) < 1e-12);
        }
    }

    proptest! {
        /// The value map, the left-looking factorisation and the own triangular solves together
        /// solve A·x = b: to rounding in f64, to f32 accuracy with an f32 factor.
        #[test]
        fn factor_and_solve_give_the_solution(
            nx in 1usize..40, ny in 1usize..40,
            w in prop::collection::vec(0.1f64..10.0, 1..20),
            b in prop::collection::vec(-1.0f64..1.0, 1600),
        ) {
            prop_assume!(b[..nx * ny].iter().any(|v| *v != 0.0));
            prop_assert!(relative_residual::<f64>(nx, ny, &w, &b, |v| v) < 1e-9);
            prop_assert!(relative_residual::<f32>(nx, ny, &w, &b, |v| v as f32) < 2e-2);
        }
    }
}
