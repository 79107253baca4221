//! Left-looking supernodal numeric Cholesky for 2D-mesh matrices, on faer's symbolic analysis.
//!
//! faer's supernodal factorisation calls its general dense kernels once per (supernode,
//! descendant) update. On a 2D mesh most of those updates are tiny (the 30k-dof Prius factor:
//! 21,800 updates, 18,500 of them with at most 512 multiply-adds and together 3 % of the
//! flops), so per-call dispatch dominates them. Here the update list is built once per
//! sparsity pattern (which descendant updates which supernode, from which row of its pattern:
//! no search per factorisation), small updates and small diagonal blocks run as plain loops,
//! and only the large ones go through faer's dense matrix product, Cholesky and triangular
//! solve. The assembled matrix is scattered straight into the factor's storage through a map
//! built with the plan.

use faer::dyn_stack::MemStack;
use faer::linalg::cholesky::llt::factor::{cholesky_in_place, LltParams, LltRegularization};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::sparse::linalg::cholesky::supernodal::SymbolicSupernodalCholesky;
use faer::traits::ComplexField;
use faer::{Accum, MatMut, MatRef, Par, Spec};

/// An update with at most this many multiply-adds (rows × columns × depth) runs as plain
/// loops; larger ones through faer's matrix product.
const SMALL_UPDATE: usize = 256;
/// Diagonal blocks of at most this many columns are factorised by plain loops.
pub(crate) const SMALL_BLOCK: usize = 16;

/// Real scalar of a factorisation (f32 or f64).
pub(crate) trait Real:
    ComplexField
    + Copy
    + Default
    + PartialOrd
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
    + std::ops::SubAssign
    + std::ops::AddAssign
    + std::ops::MulAssign
{
    fn sqrt(self) -> Self;
    fn one() -> Self;
    fn finite(self) -> bool;
}

macro_rules! impl_real {
    ($($t:ty),*) => {$(
        impl Real for $t {
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            fn one() -> Self {
                1.0
            }
            fn finite(self) -> bool {
                self.is_finite()
            }
        }
    )*};
}

impl_real!(f32, f64);

/// The per-pattern part of the factorisation: updates grouped by target supernode.
pub(crate) struct UpdatePlan {
    /// Updates of supernode s: `ptr[s]..ptr[s + 1]` into `desc` and `first`.
    ptr: Vec<u32>,
    /// Descendant supernode of each update.
    desc: Vec<u32>,
    /// Index in the descendant's row pattern of its first row inside the target supernode.
    first: Vec<u32>,
    /// Number of the descendant's pattern rows inside the target's columns.
    cols: Vec<u32>,
    /// Rows `first..` of the descendant's pattern as rows of the target's storage (its
    /// diagonal block's rows, then its pattern's): `local[local_ptr[q]..local_ptr[q + 1]]`.
    local_ptr: Vec<u32>,
    local: Vec<u32>,
    /// Largest rows × columns of one update (the dense buffer of the large ones).
    max_block: usize,
}

impl UpdatePlan {
    /// `of_col`: [`column_supernodes`] of `s`.
    pub(crate) fn new(s: &SymbolicSupernodalCholesky<u32>, of_col: &[u32]) -> UpdatePlan {
        let ns = s.n_supernodes();
        let (begin, end) = (s.supernode_begin(), s.supernode_end());
        let mut runs: Vec<(u32, u32, u32, u32)> = Vec::new();
        let mut max_block = 0;
        for d in 0..ns {
            let pat = s.supernode(d).pattern();
            let mut i = 0;
            while i < pat.len() {
                let target = of_col[pat[i] as usize];
                let mut j = i;
                while j < pat.len() && of_col[pat[j] as usize] == target {
                    j += 1;
                }
                max_block = max_block.max((pat.len() - i) * (j - i));
                runs.push((target, d as u32, i as u32, (j - i) as u32));
                i = j;
            }
        }
        // Counting sort by target, descendants in increasing order within a target.
        let mut ptr = vec![0u32; ns + 1];
        for r in &runs {
            ptr[r.0 as usize + 1] += 1;
        }
        for k in 0..ns {
            ptr[k + 1] += ptr[k];
        }
        let mut next = ptr.clone();
        let (mut desc, mut first, mut cols) = (
            vec![0; runs.len()],
            vec![0; runs.len()],
            vec![0; runs.len()],
        );
        for &(t, d, f, c) in &runs {
            let q = next[t as usize] as usize;
            next[t as usize] += 1;
            (desc[q], first[q], cols[q]) = (d, f, c);
        }
        // The target-local rows of every update (fixed by the pattern, so computed here once
        // instead of per factorisation).
        let mut g2l = vec![0u32; s.nrows()];
        let (mut local_ptr, mut local) = (Vec::with_capacity(runs.len() + 1), Vec::new());
        local_ptr.push(0u32);
        for k in 0..ns {
            let (start, stop) = (begin[k] as usize, end[k] as usize);
            for (p, &r) in s.supernode(k).pattern().iter().enumerate() {
                g2l[r as usize] = (stop - start + p) as u32;
            }
            for q in ptr[k] as usize..ptr[k + 1] as usize {
                let dpat = s.supernode(desc[q] as usize).pattern();
                local.extend(dpat[first[q] as usize..].iter().map(|&r| {
                    let r = r as usize;
                    if r < stop {
                        (r - start) as u32
                    } else {
                        g2l[r]
                    }
                }));
                local_ptr.push(local.len() as u32);
            }
        }
        UpdatePlan {
            ptr,
            desc,
            first,
            cols,
            local_ptr,
            local,
            max_block,
        }
    }

    /// Scratch length (elements of `T`) for [`factorize`].
    pub(crate) fn buffer_len(&self) -> usize {
        self.max_block
    }
}

/// The supernode of each column of the factor.
pub(crate) fn column_supernodes(s: &SymbolicSupernodalCholesky<u32>) -> Vec<u32> {
    let (begin, end) = (s.supernode_begin(), s.supernode_end());
    let mut of_col = vec![0u32; s.nrows()];
    for k in 0..s.n_supernodes() {
        of_col[begin[k] as usize..end[k] as usize].fill(k as u32);
    }
    of_col
}

/// Position in the factor values of each entry (row, column), row ≥ column, of the permuted
/// matrix: a column's supernode stores its diagonal block's rows then its pattern's rows,
/// column-major. Entries are bucketed by supernode so that each pattern is mapped once.
/// `of_col`: [`column_supernodes`] of `s`.
pub(crate) fn value_positions(
    s: &SymbolicSupernodalCholesky<u32>,
    of_col: &[u32],
    entries: &[(u32, u32)],
) -> Vec<u32> {
    let ns = s.n_supernodes();
    let (begin, end, val_ptr) = (s.supernode_begin(), s.supernode_end(), s.col_ptr_for_val());
    let mut bucket_ptr = vec![0u32; ns + 1];
    for &(_, c) in entries {
        bucket_ptr[of_col[c as usize] as usize + 1] += 1;
    }
    for k in 0..ns {
        bucket_ptr[k + 1] += bucket_ptr[k];
    }
    let mut next = bucket_ptr.clone();
    let mut bucket = vec![0u32; entries.len()];
    for (e, &(_, c)) in entries.iter().enumerate() {
        let k = of_col[c as usize] as usize;
        bucket[next[k] as usize] = e as u32;
        next[k] += 1;
    }
    let mut g2l = vec![0u32; s.nrows()];
    let mut pos = vec![0u32; entries.len()];
    for k in 0..ns {
        let (start, stop) = (begin[k] as usize, end[k] as usize);
        let pat = s.supernode(k).pattern();
        let nrows = (stop - start + pat.len()) as u32;
        for (p, &r) in pat.iter().enumerate() {
            g2l[r as usize] = (stop - start + p) as u32;
        }
        for &e in &bucket[bucket_ptr[k] as usize..bucket_ptr[k + 1] as usize] {
            let (r, c) = entries[e as usize];
            let local = if (r as usize) < stop {
                r - start as u32
            } else {
                g2l[r as usize]
            };
            pos[e as usize] = val_ptr[k] + (c - start as u32) * nrows + local;
        }
    }
    pos
}

/// Numeric factorisation: `l` holds the matrix scattered into the factor's storage (zeros
/// elsewhere) and is overwritten with L. `buf` ([`UpdatePlan::buffer_len`]) is work space;
/// `stack` serves faer's dense Cholesky of large diagonal blocks. `false` if a pivot is not
/// positive (or not finite).
pub(crate) fn factorize<T: Real>(
    s: &SymbolicSupernodalCholesky<u32>,
    plan: &UpdatePlan,
    l: &mut [T],
    buf: &mut [T],
    stack: &mut MemStack,
) -> bool {
    pulp::Arch::new().dispatch(FactorJob {
        s,
        plan,
        l,
        buf,
        stack,
    })
}

/// [`factorize`]'s arguments, for `pulp`'s dispatch: the plain loops (axpys over contiguous
/// columns) are compiled for the widest vector unit this CPU has (AVX-512 or AVX2 where
/// available, else the baseline). Rust never fuses a multiply and an add on its own and the
/// loops reorder no sum, so every path gives the same bits.
struct FactorJob<'a, T> {
    s: &'a SymbolicSupernodalCholesky<u32>,
    plan: &'a UpdatePlan,
    l: &'a mut [T],
    buf: &'a mut [T],
    stack: &'a mut MemStack,
}

impl<T: Real> pulp::WithSimd for FactorJob<'_, T> {
    type Output = bool;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) -> bool {
        self.run()
    }
}

impl<T: Real> FactorJob<'_, T> {
    /// The factorisation, inlined into each target-feature copy made by [`factorize`].
    #[inline(always)]
    fn run(self) -> bool {
        let FactorJob {
            s,
            plan,
            l,
            buf,
            stack,
        } = self;
        let (begin, end, val_ptr) = (s.supernode_begin(), s.supernode_end(), s.col_ptr_for_val());
        for k in 0..s.n_supernodes() {
            let (start, stop) = (begin[k] as usize, end[k] as usize);
            let nc = stop - start;
            let pat = s.supernode(k).pattern();
            let nr = nc + pat.len();
            let (head, tail) = l.split_at_mut(val_ptr[k] as usize);
            let ls = &mut tail[..nr * nc];
            for q in plan.ptr[k] as usize..plan.ptr[k + 1] as usize {
                let d = plan.desc[q] as usize;
                let (first, kc) = (plan.first[q] as usize, plan.cols[q] as usize);
                let dpat = s.supernode(d).pattern();
                let dc = (end[d] - begin[d]) as usize;
                let dr = dc + dpat.len();
                let ld = &head[val_ptr[d] as usize..val_ptr[d + 1] as usize];
                let local = &plan.local[plan.local_ptr[q] as usize..plan.local_ptr[q + 1] as usize];
                let m = local.len();
                if m * kc * dc <= SMALL_UPDATE {
                    // Column jj of the update: Σ_t L_d[jj.., t]·L_d[jj, t] as axpys over the
                    // descendant's contiguous columns, then subtracted at the local rows.
                    for jj in 0..kc {
                        let w = &mut buf[..m - jj];
                        w.fill(T::default());
                        for t in 0..dc {
                            let col_t = &ld[t * dr + dc + first..t * dr + dr];
                            let c = col_t[jj];
                            for (x, &v) in w.iter_mut().zip(&col_t[jj..]) {
                                *x += v * c;
                            }
                        }
                        let col = local[jj] as usize * nr;
                        for (&r, &x) in local[jj..].iter().zip(w.iter()) {
                            ls[col + r as usize] -= x;
                        }
                    }
                } else {
                    let rows =
                        MatRef::from_column_major_slice_with_stride(&ld[dc + first..], m, dc, dr);
                    let w = &mut buf[..m * kc];
                    {
                        let wm = MatMut::from_column_major_slice_mut(w, m, kc);
                        faer::linalg::matmul::matmul(
                            wm,
                            Accum::Replace,
                            rows,
                            rows.subrows(0, kc).transpose(),
                            T::one(),
                            Par::Seq,
                        );
                    }
                    for jj in 0..kc {
                        let col = local[jj] as usize * nr;
                        for ii in jj..m {
                            ls[col + local[ii] as usize] -= w[jj * m + ii];
                        }
                    }
                }
            }
            if !factor_block(ls, nc, nr, stack) {
                return false;
            }
        }
        true
    }
}

/// Cholesky of the diagonal block (nc × nc, leading dimension nr) and the triangular solve of
/// the rows below it, in place.
#[inline(always)]
fn factor_block<T: Real>(ls: &mut [T], nc: usize, nr: usize, stack: &mut MemStack) -> bool {
    if nc <= SMALL_BLOCK {
        for j in 0..nc {
            // Left-looking within the block: column j minus the contributions of columns < j.
            for t in 0..j {
                let ljt = ls[t * nr + j];
                if ljt != T::default() {
                    let (done, rest) = ls.split_at_mut(j * nr);
                    let src = &done[t * nr + j..t * nr + nr];
                    for (x, &v) in rest[j..nr].iter_mut().zip(src) {
                        *x -= v * ljt;
                    }
                }
            }
            let pivot = ls[j * nr + j];
            if !(pivot > T::default() && pivot.finite()) {
                return false;
            }
            let root = pivot.sqrt();
            let inv = T::one() / root;
            ls[j * nr + j] = root;
            for x in &mut ls[j * nr + j + 1..j * nr + nr] {
                *x *= inv;
            }
        }
        return true;
    }
    let whole = MatMut::from_column_major_slice_mut(ls, nr, nc);
    let (mut top, bottom) = whole.split_at_row_mut(nc);
    if cholesky_in_place(
        top.rb_mut(),
        LltRegularization::default(),
        Par::Seq,
        stack,
        Spec::<LltParams, T>::default(),
    )
    .is_err()
    {
        return false;
    }
    faer::linalg::triangular_solve::solve_lower_triangular_in_place(
        top.rb().conjugate(),
        bottom.transpose_mut(),
        Par::Seq,
    );
    true
}
