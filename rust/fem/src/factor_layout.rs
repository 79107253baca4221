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
    factorize_supernodal_numeric_llt, SupernodalLltRef, SymbolicSupernodalCholesky,
};
use faer::sparse::linalg::cholesky::{
    factorize_symbolic_cholesky, CholeskySymbolicParams, SymbolicCholesky, SymbolicCholeskyRaw,
    SymmetricOrdering,
};
use faer::sparse::linalg::SupernodalThreshold;
use faer::sparse::{SparseColMatRef, SymbolicSparseColMat, SymbolicSparseColMatRef};
use faer::traits::ComplexField;
use faer::{Conj, MatMut, Par, Side, Spec};

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
        if !matches!(symbolic.raw(), SymbolicCholeskyRaw::Supernodal(_)) && n > 0 {
            return Err(FemError::Constraint(
                "symbolic factorisation is not supernodal".into(),
            ));
        }
        Ok(FactorLayout {
            perm,
            lower,
            map,
            symbolic,
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
        self.symbolic.len_val()
    }

    /// Workspace of [`FactorLayout::factorize`] and [`FactorLayout::solve`] in f64 and f32.
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
            s.solve_in_place_scratch::<f64>(1, Par::Seq),
            s.solve_in_place_scratch::<f32>(1, Par::Seq),
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
    pub(crate) fn factorize<T: ComplexField + Copy + Default>(
        &self,
        l: &mut Vec<T>,
        a: &[T],
        stack: &mut MemStack,
    ) -> bool {
        let Some(s) = self.supernodal() else {
            return self.perm.is_empty();
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

    /// Solves L·Lᵀ·y = b in place for `b` in dof order, through `tmp` (factor order), with the
    /// conversions `to`/`from` between f64 and the factor's precision.
    pub(crate) fn solve<T: ComplexField + Copy + Default>(
        &self,
        l: &[T],
        b: &mut [f64],
        tmp: &mut Vec<T>,
        stack: &mut MemStack,
        to: impl Fn(f64) -> T,
        from: impl Fn(T) -> f64,
    ) {
        let Some(s) = self.supernodal() else {
            return;
        };
        let n = self.perm.len();
        tmp.resize(n, T::default());
        for (t, &p) in tmp.iter_mut().zip(&self.perm) {
            *t = to(b[p as usize]);
        }
        SupernodalLltRef::new(s, l).solve_in_place_with_conj(
            Conj::No,
            MatMut::from_column_major_slice_mut(tmp, n, 1),
            Par::Seq,
            stack,
        );
        for (t, &p) in tmp.iter().zip(&self.perm) {
            b[p as usize] = from(*t);
        }
    }
}
