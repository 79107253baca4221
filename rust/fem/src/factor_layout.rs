//! The Jacobian in the elimination order of its Cholesky factor.
//!
//! The system is assembled in dof order; the factor works in the fill-reducing (AMD) order.
//! faer's generic `factorize_numeric_llt` permutes the matrix — structure and values — on every
//! call (about 1 ms per factorisation of the 30k-dof Prius model, i.e. several per solve). Here
//! the permuted structure is built once per sparsity pattern with a map from each assembled
//! entry to its place in it, so a factorisation only scatters the values (fused with the
//! f64 → f32 conversion of the mixed-precision path), and the supernodal factorisation and
//! triangular solves of faer are called on the permuted system directly.

use faer::dyn_stack::{MemStack, StackReq};
use faer::linalg::cholesky::llt::factor::LltRegularization;
use faer::sparse::linalg::cholesky::supernodal::{
    factorize_supernodal_numeric_llt, SymbolicSupernodalCholesky,
};
use faer::sparse::linalg::cholesky::{
    factorize_symbolic_cholesky, CholeskySymbolicParams, SymbolicCholesky, SymbolicCholeskyRaw,
    SymmetricOrdering,
};
use faer::sparse::linalg::SupernodalThreshold;
use faer::sparse::{SparseColMatRef, SymbolicSparseColMat, SymbolicSparseColMatRef};
use faer::traits::ComplexField;
use faer::{Par, Side, Spec};

use crate::error::FemError;

/// Symbolic factorisation of one sparsity pattern and the permuted layout of its values.
pub(crate) struct FactorLayout {
    /// `perm[i]`: the dof of row i of the factor.
    perm: Vec<u32>,
    /// Lower triangle of the permuted matrix (rows unsorted within a column).
    lower: SymbolicSparseColMat<u32>,
    /// Position in `lower` of each entry of the assembled lower triangle (dof order).
    map: Vec<u32>,
    /// faer's symbolic factorisation (AMD ordering); only its supernodal part is used.
    symbolic: SymbolicCholesky<u32>,
    /// The matrix is diagonal (faer's symbolic is then simplicial): the "factor" values are
    /// the diagonal of A itself (L·Lᵀ = A with L = √A).
    diagonal: bool,
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
                // Supernodal (dense BLAS-3 blocks) is several times faster than simplicial on
                // 2D meshes of a few thousand unknowns and up.
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
        // Each entry's (row, column) in the permuted lower triangle, then a counting sort by
        // column.
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
        let mut new_ptr = vec![0u32; n + 1];
        for &(_, c) in &placed {
            new_ptr[c as usize + 1] += 1;
        }
        for c in 0..n {
            new_ptr[c + 1] += new_ptr[c];
        }
        let mut next = new_ptr.clone();
        let mut new_rows = vec![0u32; placed.len()];
        let mut map = vec![0u32; placed.len()];
        for (m, &(r, c)) in map.iter_mut().zip(&placed) {
            let slot = next[c as usize];
            next[c as usize] += 1;
            new_rows[slot as usize] = r;
            *m = slot;
        }
        let lower = SymbolicSparseColMat::new_unsorted_checked(n, n, new_ptr, None, new_rows);
        // faer takes the simplicial path only when the factorisation costs no flops, i.e. when
        // the matrix is diagonal (one unknown, or unknowns not coupled to each other).
        let diagonal = matches!(symbolic.raw(), SymbolicCholeskyRaw::Simplicial(_));
        if diagonal && lower.row_idx().len() != n {
            return Err(FemError::Constraint(
                "symbolic factorisation: simplicial structure for a non-diagonal matrix".into(),
            ));
        }
        Ok(FactorLayout {
            perm,
            lower,
            map,
            symbolic,
            diagonal,
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
        if self.diagonal {
            self.perm.len()
        } else {
            self.symbolic.len_val()
        }
    }

    /// Workspace of [`FactorLayout::factorize`] in f64 and f32.
    pub(crate) fn scratch(&self) -> StackReq {
        let Some(s) = self.supernodal() else {
            return StackReq::EMPTY;
        };
        StackReq::any_of(&[
            faer::sparse::linalg::cholesky::supernodal::factorize_supernodal_numeric_llt_scratch::<
                u32,
                f64,
            >(s, Par::Seq, Spec::default()),
            faer::sparse::linalg::cholesky::supernodal::factorize_supernodal_numeric_llt_scratch::<
                u32,
                f32,
            >(s, Par::Seq, Spec::default()),
        ])
    }

    /// The assembled values `kv` (dof order) in the permuted layout, converted by `cast`.
    pub(crate) fn permute_values<T: Copy + Default>(
        &self,
        kv: &[f64],
        out: &mut Vec<T>,
        cast: impl Fn(f64) -> T,
    ) {
        out.resize(self.map.len(), T::default());
        for (&slot, &v) in self.map.iter().zip(kv) {
            out[slot as usize] = cast(v);
        }
    }

    /// Numeric Cholesky factorisation of the permuted values `a` into `l` (resized);
    /// `false` if the matrix is not positive definite in this precision.
    pub(crate) fn factorize<T: ComplexField + Copy + Default + PartialOrd>(
        &self,
        l: &mut Vec<T>,
        a: &[T],
        stack: &mut MemStack,
    ) -> bool {
        let Some(s) = self.supernodal() else {
            // Diagonal: `lower` holds exactly the diagonal, one entry per column.
            l.clear();
            l.extend_from_slice(a);
            return a.iter().all(|&v| v > T::default());
        };
        l.resize(self.len_val(), T::default());
        let a = SparseColMatRef::new(self.lower.as_ref(), a);
        factorize_supernodal_numeric_llt(
            l,
            a,
            LltRegularization::default(),
            s,
            Par::Seq,
            stack,
            Spec::default(),
        )
        .is_ok()
    }

    /// Solves L·Lᵀ·y = b in place for `b` in dof order (L: the values `l` of a factor of
    /// this layout, f32 or f64), through the work vector `tmp` (factor order, f64).
    pub(crate) fn solve<T: Copy + Into<f64>>(&self, l: &[T], b: &mut [f64], tmp: &mut Vec<f64>) {
        let n = self.perm.len();
        let Some(s) = self.supernodal() else {
            for (&d, &p) in l.iter().zip(&self.perm) {
                b[p as usize] /= d.into();
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

    fn relative_residual<T: ComplexField + Copy + Default + Into<f64> + PartialOrd>(
        nx: usize,
        ny: usize,
        w: &[f64],
        b: &[f64],
        cast: impl Fn(f64) -> T,
    ) -> f64 {
        let (ptr, rows, vals) = grid_matrix(nx, ny, w, 1e-3);
        let n = nx * ny;
        let layout = FactorLayout::new(n, &ptr, &rows).unwrap();
        let mut mem = MemBuffer::new(layout.scratch());
        let (mut a, mut l) = (Vec::new(), Vec::new());
        layout.permute_values(&vals, &mut a, cast);
        assert!(layout.factorize(&mut l, &a, MemStack::new(&mut mem)));
        let mut x = b[..n].to_vec();
        layout.solve(&l, &mut x, &mut Vec::new());
        let ax = sym_matvec(&ptr, &rows, &vals, &x);
        let num: f64 = ax.iter().zip(&b[..n]).map(|(p, q)| (p - q).powi(2)).sum();
        let den: f64 = b[..n].iter().map(|q| q * q).sum();
        (num / den).sqrt()
    }

    proptest! {
        /// The permuted layout, faer's factorisation and the own triangular solves together
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
