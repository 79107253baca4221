//! repm-fem: 2D magnetostatic finite elements for electrical machines (no Python here;
//! `repm-python` binds it).
//!
//! # Model
//! Unknown A_z on first-order triangles, B = curl A = (∂A/∂y, −∂A/∂x). Per element the
//! reluctivity is linear (ν = ν_r/μ0) or nonlinear from a [`repm_materials::steel::BhCurve`]
//! (ν(B²)); linear elements may carry a remanence Br (magnets: H = ν(B − Br)) and every element
//! a current density J_z (per source group). The solution minimises
//! Π(A) = Σ_e ∫ (W(B) − ν Br·B − J A) dS with W' = H, by Newton–Raphson with the exact Jacobian
//! K_ij + 2 ν'(B²)(∇A·∇N_i)(∇A·∇N_j) and a line search on the (convex) energy along the Newton
//! direction. By default each Newton system is solved inexactly (Newton–Krylov,
//! [`SolverOptions::chord_steps`]): conjugate gradients preconditioned by the most recent
//! numeric Cholesky factor of the same band shift, to an Eisenstat–Walker forcing term, with a
//! refactorisation when CG would cost more than a factorisation; factors are kept per band
//! shift for warm solves and per batch point in a [`FactorCache`].
//! Convergence: ‖r‖/‖f‖ < tol (f: the source vector, magnets and currents) and, for nonlinear
//! problems, max|ΔA| ≤ √tol · max|A|. Linear problems take one step.
//!
//! # Constraints
//! Dirichlet nodes (A = 0); periodic / anti-periodic pairs (a, b) by master–slave elimination
//! (A_b = ±A_a); every element node maps to (dof, sign) so the system stays SPD. Nodes used by
//! no element are fixed at 0.
//!
//! # Motion
//! Rotor elements keep their rotor-frame geometry and remanence. A rotor angle θ = k·step + frac
//! (step: band node pitch, 0 ≤ frac < step) uses the band triangles of shift k
//! ([`repm_mesh::band_triangles`]) with the rotor band nodes rotated by θ; stator band nodes of a
//! sector that wrap across the sides are rotated by wraps·sector (their physical place) and, for
//! an anti-periodic sector, enter with sign (−1)^wraps. Sparsity pattern, assembly map and
//! symbolic Cholesky (faer, AMD ordering; built by the first factorisation at a shift, so a
//! warm solve that converges with CG preconditioned by a neighbouring shift's factor skips
//! it) are cached per band shift; the Jacobian is assembled
//! straight into the factor's storage (`factor_layout`), factorised by the crate's left-looking
//! supernodal Cholesky on faer's symbolic analysis (`left_looking`; faer's dense kernels for
//! the large blocks) and solved by its own single-right-hand-side triangular solves.
//!
//! # Outputs
//! B per element in the global frame (rotor elements rotated by θ; band elements as placed).
//! Stored energy Σ∫W dS with W = ½ν|B − Br|² (linear, magnets included; = ½μ|H|²) and
//! W = ∫₀^|B| H dB (steel); co-energy Σ∫W' dS with W' = ½μ|H|² + Br·H (linear) and B·H − W
//! (steel), so that torque = ∂W'/∂θ at constant current. Arkkio torque
//! T = 1/(μ0 (r_s − r_r)) ∫_band r B_r B_θ dS on the modelled part (N·m per metre of stack,
//! counter-clockwise positive), with r_r, r_s the mean radii of the band node circles.

mod error;
mod factor_layout;
mod left_looking;
mod material;
mod problem;
mod solver;
mod steel_kernel;
#[cfg(test)]
mod tests;

pub use error::FemError;
pub use problem::{Problem, ProblemInput};
pub use solver::{FactorCache, Solution, Solver, SolverOptions, BATCH_CHUNK};

/// Vacuum permeability, H/m (the value of `repm-materials`).
pub const MU0: f64 = repm_materials::steel::MU0;
