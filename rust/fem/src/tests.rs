#![allow(clippy::unwrap_used, clippy::expect_used, clippy::needless_range_loop)]

use std::f64::consts::PI;

use proptest::prelude::*;
use repm_materials::steel::BhCurve;

use crate::{FactorCache, FemError, Problem, ProblemInput, Solver, SolverOptions, MU0};

/// Owned problem arrays for tests.
#[derive(Clone, Debug)]
struct P {
    nodes: Vec<f64>,
    tris: Vec<i64>,
    nu_r: Vec<f64>,
    steel: Vec<i64>,
    steels: Vec<BhCurve>,
    br: Vec<f64>,
    group: Vec<i64>,
    n_groups: usize,
    rotor: Vec<bool>,
    dirichlet: Vec<i64>,
    pairs: Vec<i64>,
    anti: bool,
    sector: f64,
    band_r: Vec<i64>,
    band_s: Vec<i64>,
}

impl P {
    fn input(&self) -> ProblemInput<'_> {
        ProblemInput {
            nodes: &self.nodes,
            triangles: &self.tris,
            nu_r: &self.nu_r,
            steel: &self.steel,
            steels: &self.steels,
            br_t: &self.br,
            source_group: &self.group,
            n_groups: self.n_groups,
            rotor: &self.rotor,
            dirichlet_nodes: &self.dirichlet,
            periodic_pairs: &self.pairs,
            antiperiodic: self.anti,
            sector_angle_rad: self.sector,
            band_rotor_nodes: &self.band_r,
            band_stator_nodes: &self.band_s,
        }
    }
    fn solver(&self) -> Solver {
        Solver::new(
            Problem::new(&self.input()).unwrap(),
            SolverOptions::default(),
        )
        .unwrap()
    }
    fn n_tris(&self) -> usize {
        self.tris.len() / 3
    }
}

/// Unit square, n×n cells, each split in two; boundary nodes Dirichlet; one group per element.
fn square(n: usize) -> P {
    let mut nodes = Vec::new();
    for j in 0..=n {
        for i in 0..=n {
            nodes.extend([i as f64 / n as f64, j as f64 / n as f64]);
        }
    }
    let id = |i: usize, j: usize| (j * (n + 1) + i) as i64;
    let mut tris = Vec::new();
    for j in 0..n {
        for i in 0..n {
            tris.extend([id(i, j), id(i + 1, j), id(i + 1, j + 1)]);
            tris.extend([id(i, j), id(i + 1, j + 1), id(i, j + 1)]);
        }
    }
    let t = tris.len() / 3;
    let mut dirichlet = Vec::new();
    for j in 0..=n {
        for i in 0..=n {
            if i == 0 || j == 0 || i == n || j == n {
                dirichlet.push(id(i, j));
            }
        }
    }
    P {
        nodes,
        tris,
        nu_r: vec![1.0; t],
        steel: vec![-1; t],
        steels: vec![],
        br: vec![0.0; 2 * t],
        group: (0..t as i64).collect(),
        n_groups: t,
        rotor: vec![false; t],
        dirichlet,
        pairs: vec![],
        anti: false,
        sector: 2.0 * PI,
        band_r: vec![],
        band_s: vec![],
    }
}

fn centroid(p: &P, e: usize) -> [f64; 2] {
    let mut c = [0.0; 2];
    for k in 0..3 {
        let i = p.tris[3 * e + k] as usize;
        c[0] += p.nodes[2 * i] / 3.0;
        c[1] += p.nodes[2 * i + 1] / 3.0;
    }
    c
}

fn steel_curve() -> BhCurve {
    // M400-50A-like shape (test data only, not a catalogue value).
    BhCurve::new(
        &[0.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 5000.0, 20000.0],
        &[0.0, 0.5, 1.0, 1.3, 1.5, 1.6, 1.8, 2.0],
        1.0,
    )
    .unwrap()
}

/// Polar mesh: rotor disc (radius r1, rings), band (r1 → r2), stator annulus (r2 → r3), all with
/// `n` nodes per ring. Rotor uniformly magnetised along x with Br, μrec = 1.
fn annulus(n: usize, rings_rotor: usize, rings_stator: usize, br: f64) -> P {
    let (r1, r2, r3) = (0.02, 0.021, 0.04);
    let mut nodes = vec![0.0, 0.0];
    let mut ring_ids = Vec::new();
    let mut radii: Vec<f64> = (1..=rings_rotor)
        .map(|k| r1 * k as f64 / rings_rotor as f64)
        .collect();
    radii.extend((0..=rings_stator).map(|k| r2 + (r3 - r2) * k as f64 / rings_stator as f64));
    for &r in &radii {
        let base = nodes.len() as i64 / 2;
        for i in 0..n {
            let a = 2.0 * PI * i as f64 / n as f64;
            nodes.extend([r * a.cos(), r * a.sin()]);
        }
        ring_ids.push(base);
    }
    let mut tris = Vec::new();
    let mut rotor = Vec::new();
    let ring = |k: usize, i: usize| ring_ids[k] + (i % n) as i64;
    for i in 0..n {
        tris.extend([0, ring(0, i), ring(0, i + 1)]);
        rotor.push(true);
    }
    let quad = |k: usize, tris: &mut Vec<i64>, rotor: &mut Vec<bool>, is_rotor: bool| {
        for i in 0..n {
            let (a, b, c, d) = (
                ring(k, i),
                ring(k, i + 1),
                ring(k + 1, i + 1),
                ring(k + 1, i),
            );
            tris.extend([a, d, c, a, c, b]);
            rotor.extend([is_rotor, is_rotor]);
        }
    };
    for k in 0..rings_rotor - 1 {
        quad(k, &mut tris, &mut rotor, true);
    }
    for k in rings_rotor..rings_rotor + rings_stator {
        quad(k, &mut tris, &mut rotor, false);
    }
    let t = tris.len() / 3;
    let br_v: Vec<f64> = rotor
        .iter()
        .flat_map(|&r| if r { [br, 0.0] } else { [0.0, 0.0] })
        .collect();
    let last = ring_ids.len() - 1;
    P {
        nodes,
        tris,
        nu_r: vec![1.0; t],
        steel: vec![-1; t],
        steels: vec![],
        br: br_v,
        group: vec![-1; t],
        n_groups: 0,
        rotor,
        dirichlet: (0..n).map(|i| ring(last, i)).collect(),
        pairs: vec![],
        anti: false,
        sector: 2.0 * PI,
        band_r: (0..n).map(|i| ring(rings_rotor - 1, i)).collect(),
        band_s: (0..n).map(|i| ring(rings_rotor, i)).collect(),
    }
}

fn l2_error(p: &P, a: &[f64], exact: impl Fn(f64, f64) -> f64) -> f64 {
    // Edge-midpoint rule (exact for quadratics).
    let mut s = 0.0;
    for e in 0..p.n_tris() {
        let v: Vec<usize> = (0..3).map(|k| p.tris[3 * e + k] as usize).collect();
        let x = |i: usize| [p.nodes[2 * i], p.nodes[2 * i + 1]];
        let (p0, p1, p2) = (x(v[0]), x(v[1]), x(v[2]));
        let area = 0.5 * ((p1[0] - p0[0]) * (p2[1] - p0[1]) - (p2[0] - p0[0]) * (p1[1] - p0[1]));
        for (i, j) in [(0, 1), (1, 2), (2, 0)] {
            let m = [
                (x(v[i])[0] + x(v[j])[0]) / 2.0,
                (x(v[i])[1] + x(v[j])[1]) / 2.0,
            ];
            let ah = (a[v[i]] + a[v[j]]) / 2.0;
            s += area / 3.0 * (ah - exact(m[0], m[1])).powi(2);
        }
    }
    s.sqrt()
}

#[test]
fn manufactured_solution_converges_at_second_order() {
    let exact = |x: f64, y: f64| (PI * x).sin() * (PI * y).sin();
    let mut errs = Vec::new();
    for n in [8, 16, 32] {
        let p = square(n);
        let j: Vec<f64> = (0..p.n_tris())
            .map(|e| {
                let c = centroid(&p, e);
                2.0 * PI * PI / MU0 * exact(c[0], c[1])
            })
            .collect();
        let s = p.solver().solve(0.0, &j, None).unwrap();
        assert_eq!(s.newton_iterations, 1);
        errs.push(l2_error(&p, &s.a, exact));
    }
    for k in 0..2 {
        let order = (errs[k] / errs[k + 1]).log2();
        assert!(order >= 1.8, "observed order {order} ({errs:?})");
    }
}

#[test]
fn newton_converges_quadratically_on_saturated_steel() {
    let p = saturated_square(12);
    // Strong current: the square saturates (B well above the knee). Pure Newton here.
    let opts = SolverOptions {
        chord_steps: false,
        ..SolverOptions::default()
    };
    let solver = Solver::new(Problem::new(&p.input()).unwrap(), opts).unwrap();
    let s = solver.solve(0.0, &[3e7], None).unwrap();
    // With chord steps: the same solution to the tolerance.
    let c = p.solver().solve(0.0, &[3e7], None).unwrap();
    let amax = s.a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (x, y) in s.a.iter().zip(&c.a) {
        assert!((x - y).abs() < 1e-6 * amax);
    }
    let r = &s.residuals;
    assert!(s.newton_iterations >= 3, "{r:?}");
    let bmax = s.b.iter().map(|b| b[0].hypot(b[1])).fold(0.0, f64::max);
    assert!(bmax > 1.7, "bmax {bmax}");
    // Quadratic: the last contraction is much stronger than linear.
    let k = r.len() - 1;
    assert!(r[k] < 1e-8);
    assert!(
        r[k] <= 10.0 * r[k - 1] * r[k - 1] / r[0].max(1e-300) + 1e-12,
        "{r:?}"
    );
}

#[test]
fn energy_of_a_uniform_field() {
    // Uniform remanence with every boundary node at A = 0: A = 0, B = 0, H = -ν0 Br everywhere.
    let mut p = square(6);
    let t = p.n_tris();
    p.br = [0.3, -0.4].repeat(t);
    p.group = vec![-1; t];
    let s = p.solver().solve(0.0, &vec![0.0; t], None).unwrap();
    let e = 0.5 / MU0 * 0.25;
    assert!(
        (s.energy_j_per_m - e).abs() < 1e-9 * e,
        "{} vs {e}",
        s.energy_j_per_m
    );
    assert!((s.coenergy_j_per_m + e).abs() < 1e-9 * e);
    for b in &s.b {
        assert!(b[0].abs() < 1e-12 && b[1].abs() < 1e-12);
    }
}

#[test]
fn magnetised_disc_in_air_has_half_remanence_inside() {
    let p = annulus(96, 6, 16, 1.0);
    let s = p.solver().solve(0.0, &[], None).unwrap();
    // Bounded domain: the image of the dipole in A = 0 at r3 gives B_in = Br/2 · (1 − (r1/r3)²).
    let expected = 0.5 * (1.0 - (0.02f64 / 0.04).powi(2));
    let n_r = 96 * (2 * 6 - 1);
    let mean: f64 = s.b[..n_r].iter().map(|b| b[0]).sum::<f64>() / n_r as f64;
    assert!(
        (mean - expected).abs() < 0.01 * expected,
        "{mean} vs {expected}"
    );
}

#[test]
fn band_rotation_rotates_the_field_and_keeps_the_energy() {
    let p = annulus(48, 3, 6, 1.0);
    let solver = p.solver();
    let s0 = solver.solve(0.0, &[], None).unwrap();
    let step = 2.0 * PI / 48.0;
    for theta in [step * 3.0, step * 5.5, -step * 7.25] {
        let s = solver.solve(theta, &[], None).unwrap();
        let rel = (s.energy_j_per_m - s0.energy_j_per_m).abs() / s0.energy_j_per_m;
        assert!(rel < 2e-3, "theta {theta}: rel {rel}");
        // Rotor centre field turns with the rotor.
        let b = s.b[0];
        let ang = b[1].atan2(b[0]);
        let d = (ang - theta + PI).rem_euclid(2.0 * PI) - PI;
        assert!(d.abs() < 0.02, "theta {theta}: field angle {ang}");
        // No torque on a uniformly magnetised disc in air, up to the discretisation (the
        // structured mesh's diagonals have one direction): well under 1 % of E per radian.
        let t = s.torque_arkkio_nm_per_m;
        assert!(
            t.abs() < 5e-3 * s0.energy_j_per_m,
            "theta {theta}: torque {t}"
        );
    }
    // Whole steps: exactly the same energy up to round-off.
    let s = solver.solve(step * 4.0, &[], None).unwrap();
    assert!((s.energy_j_per_m - s0.energy_j_per_m).abs() < 1e-9 * s0.energy_j_per_m);
}

/// The half (angle π) of [`annulus`]: `n` divisions on the full circle, `n/2` in the sector;
/// side nodes paired, the centre node fixed (A(0) = −A(0) for an anti-periodic field).
fn half_annulus(n: usize, rings_rotor: usize, rings_stator: usize, br: f64) -> P {
    let (r1, r2, r3) = (0.02, 0.021, 0.04);
    let k = n / 2;
    let mut nodes = vec![0.0, 0.0];
    let mut ring_ids = Vec::new();
    let mut radii: Vec<f64> = (1..=rings_rotor)
        .map(|q| r1 * q as f64 / rings_rotor as f64)
        .collect();
    radii.extend((0..=rings_stator).map(|q| r2 + (r3 - r2) * q as f64 / rings_stator as f64));
    for &r in &radii {
        ring_ids.push(nodes.len() as i64 / 2);
        for i in 0..=k {
            let a = PI * i as f64 / k as f64;
            nodes.extend([r * a.cos(), r * a.sin()]);
        }
    }
    let ring = |q: usize, i: usize| ring_ids[q] + i as i64;
    let (mut tris, mut rotor) = (Vec::new(), Vec::new());
    for i in 0..k {
        tris.extend([0, ring(0, i), ring(0, i + 1)]);
        rotor.push(true);
    }
    for q in 0..rings_rotor + rings_stator {
        if q == rings_rotor - 1 {
            continue; // the band
        }
        for i in 0..k {
            let (a, b, c, d) = (
                ring(q, i),
                ring(q, i + 1),
                ring(q + 1, i + 1),
                ring(q + 1, i),
            );
            tris.extend([a, d, c, a, c, b]);
            rotor.extend([q < rings_rotor, q < rings_rotor]);
        }
    }
    let t = tris.len() / 3;
    let br_v = rotor
        .iter()
        .flat_map(|&r| if r { [br, 0.0] } else { [0.0, 0.0] })
        .collect();
    let last = ring_ids.len() - 1;
    let mut dirichlet: Vec<i64> = (0..=k).map(|i| ring(last, i)).collect();
    dirichlet.push(0);
    P {
        nodes,
        tris,
        nu_r: vec![1.0; t],
        steel: vec![-1; t],
        steels: vec![],
        br: br_v,
        group: vec![-1; t],
        n_groups: 0,
        rotor,
        dirichlet,
        pairs: (0..ring_ids.len())
            .flat_map(|q| [ring(q, 0), ring(q, k)])
            .collect(),
        anti: true,
        sector: PI,
        band_r: (0..=k).map(|i| ring(rings_rotor - 1, i)).collect(),
        band_s: (0..=k).map(|i| ring(rings_rotor, i)).collect(),
    }
}

#[test]
fn antiperiodic_half_matches_the_full_model_at_any_rotor_angle() {
    // A uniformly magnetised rotor gives a 2-pole field: A(θ + π) = −A(θ).
    let full = annulus(48, 3, 5, 1.0).solver();
    let half = half_annulus(48, 3, 5, 1.0).solver();
    let step = 2.0 * PI / 48.0;
    // Whole steps past the sector side make band triangles wrap (with the sign flip).
    for theta in [
        0.0,
        3.0 * step,
        17.0 * step,
        30.0 * step,
        -5.0 * step,
        2.5 * step,
    ] {
        let (sf, sh) = (
            full.solve(theta, &[], None).unwrap(),
            half.solve(theta, &[], None).unwrap(),
        );
        let (ef, eh) = (sf.energy_j_per_m, sh.energy_j_per_m);
        assert!(
            (2.0 * eh - ef).abs() < 1e-9 * ef,
            "theta {theta}: full {ef}, 2 × half {}",
            2.0 * eh
        );
        let (tf, th) = (sf.torque_arkkio_nm_per_m, sh.torque_arkkio_nm_per_m);
        assert!(
            (2.0 * th - tf).abs() < 1e-9 * ef,
            "theta {theta}: torque {tf} vs 2 × {th}"
        );
    }
    let mut bad = half_annulus(48, 3, 5, 1.0);
    bad.pairs.extend([1, 1]);
    assert!(matches!(
        Problem::new(&bad.input()),
        Err(FemError::Input { .. })
    ));
}

#[test]
fn jacobian_matches_finite_differences_and_is_symmetric() {
    let mut p = square(4);
    let t = p.n_tris();
    p.steel = (0..t).map(|e| if e % 2 == 0 { 0 } else { -1 }).collect();
    p.steels = vec![steel_curve()];
    let solver = p.solver();
    let pat = solver.pattern(0).unwrap();
    let n = solver.problem.n_dof;
    // Unsaturated (first B-H piece), knee and deep saturation (tail beyond the data).
    for scale in [1e-6, 0.5, 3.0] {
        let x: Vec<f64> = (0..n)
            .map(|k| scale * (1.0 + (k as f64 * 0.7).sin()))
            .collect();
        let mut r = vec![0.0; n];
        let mut kv = vec![0.0; pat.row_idx.len()];
        solver.eval(&pat, &[], &x, &mut r, Some(&mut kv));
        let mut k = vec![vec![0.0; n]; n];
        for c in 0..n {
            for q in pat.col_ptr[c] as usize..pat.col_ptr[c + 1] as usize {
                let row = pat.row_idx[q] as usize;
                k[row][c] = kv[q];
                k[c][row] = kv[q];
            }
        }
        let h = 1e-7 * scale;
        let kmax = kv.iter().fold(0.0f64, |m, v| m.max(f64::abs(*v)));
        for j in 0..n {
            let (mut xp, mut xm) = (x.clone(), x.clone());
            xp[j] += h;
            xm[j] -= h;
            let (mut rp, mut rm) = (vec![0.0; n], vec![0.0; n]);
            solver.eval(&pat, &[], &xp, &mut rp, None);
            solver.eval(&pat, &[], &xm, &mut rm, None);
            for i in 0..n {
                let fd = (rp[i] - rm[i]) / (2.0 * h);
                assert!(
                    (fd - k[i][j]).abs() < 1e-5 * kmax,
                    "scale {scale}: K[{i}][{j}] = {} vs fd {fd}",
                    k[i][j]
                );
            }
        }
    }
}

#[test]
fn singular_and_bad_inputs_are_errors() {
    let mut p = square(3);
    p.dirichlet.clear();
    assert!(matches!(
        Problem::new(&p.input()),
        Err(FemError::Constraint(_))
    ));
    let mut p = square(3);
    p.tris.swap(1, 2); // inverted triangle
    assert!(matches!(
        Problem::new(&p.input()),
        Err(FemError::Geometry(_))
    ));
    let mut p = square(3);
    p.nu_r[2] = 0.0;
    let e = Problem::new(&p.input()).unwrap_err().to_string();
    assert!(e.contains("nu_r[2]"), "{e}");
    let mut p = square(3);
    p.pairs = vec![5, 6, 7, 6];
    assert!(matches!(
        Problem::new(&p.input()),
        Err(FemError::Constraint(_))
    ));
    let p = square(3);
    let s = p.solver();
    assert!(s.solve(f64::NAN, &vec![0.0; p.n_tris()], None).is_err());
    assert!(s.solve(0.0, &[1.0], None).is_err());
    let mut j = vec![0.0; p.n_tris()];
    j[0] = f64::INFINITY;
    assert!(s.solve(0.0, &j, None).is_err());
    let opts = SolverOptions {
        tol: 0.0,
        ..SolverOptions::default()
    };
    assert!(Solver::new(Problem::new(&p.input()).unwrap(), opts).is_err());
}

#[test]
fn convergence_failure_reports_residuals() {
    let p = saturated_square(8);
    let s = Solver::new(
        Problem::new(&p.input()).unwrap(),
        SolverOptions {
            tol: 1e-12,
            max_iterations: 1,
            chord_steps: true,
        },
    )
    .unwrap();
    match s.solve(0.0, &[3e7], None) {
        Err(FemError::Convergence {
            iterations,
            residuals,
        }) => {
            assert_eq!(iterations, 1);
            assert_eq!(residuals.len(), 2);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn batch_is_deterministic_and_matches_single_solves() {
    let p = steel_stator_annulus();
    let solver = p.solver();
    let angles: Vec<f64> = (0..7).map(|k| 0.05 * k as f64).collect();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let a = one.install(|| solver.solve_batch(&angles, &[]).unwrap());
    let b = two.install(|| solver.solve_batch(&angles, &[]).unwrap());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.a, y.a);
        assert_eq!(x.torque_arkkio_nm_per_m, y.torque_arkkio_nm_per_m);
    }
    for (k, s) in a.iter().enumerate() {
        let single = solver.solve(angles[k], &[], None).unwrap();
        let rel = (single.energy_j_per_m - s.energy_j_per_m).abs() / single.energy_j_per_m;
        assert!(rel < 1e-6, "point {k}: {rel}");
    }
}

/// The 32-node banded annulus with a steel stator (linear rotor).
fn steel_stator_annulus() -> P {
    let mut p = annulus(32, 3, 4, 1.0);
    p.steel = p.rotor.iter().map(|&r| if r { -1 } else { 0 }).collect();
    p.steels = vec![steel_curve()];
    p
}

/// An n×n square of steel carrying one current group.
fn saturated_square(n: usize) -> P {
    let mut p = square(n);
    let t = p.n_tris();
    p.steel = vec![0; t];
    p.steels = vec![steel_curve()];
    p.n_groups = 1;
    p.group = vec![0; t];
    p
}

fn pure_newton(p: &P) -> Solver {
    let opts = SolverOptions {
        chord_steps: false,
        ..SolverOptions::default()
    };
    Solver::new(Problem::new(&p.input()).unwrap(), opts).unwrap()
}

fn assert_close(a: &[f64], b: &[f64], rel: f64) {
    let amax = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= rel * amax, "{x} vs {y} (max {amax})");
    }
}

#[test]
fn warm_newton_krylov_solve_reuses_the_cached_factor_and_matches_pure_newton() {
    // Saturated (nonlinear) and linear cases: a warm solve at a nearby operating point uses
    // the factor the first solve left as the CG preconditioner and needs no factorisation.
    let mut lin = square(10);
    lin.n_groups = 1;
    lin.group = vec![0; lin.n_tris()];
    for (p, j) in [(saturated_square(12), 3e7), (lin, 1e6)] {
        let nk = p.solver();
        let s1 = nk.solve(0.0, &[j], None).unwrap();
        assert!(s1.factorizations >= 1);
        let s2 = nk.solve(0.0, &[1.05 * j], Some(&s1.a)).unwrap();
        assert_eq!(s2.factorizations, 0, "{:?}", s2.residuals);
        assert!(s2.linear_iterations >= 1);
        assert!(*s2.residuals.last().unwrap() < 1e-8);
        let exact = pure_newton(&p).solve(0.0, &[1.05 * j], None).unwrap();
        assert_eq!(exact.linear_iterations, 0);
        assert!(exact.factorizations >= 1);
        assert_close(&exact.a, &s2.a, 1e-7);
        // A cold solve does not read the cache: repeatable bit for bit.
        let c1 = nk.solve(0.0, &[j], None).unwrap();
        assert_eq!(c1.a, s1.a);
    }
}

#[test]
fn cold_newton_krylov_solve_with_f32_factors_matches_pure_newton() {
    // A cold Newton-Krylov solve factorises the Jacobian in single precision and runs CG on
    // the f64 system: at least one CG iteration per factorisation, same solution as pure
    // Newton (f64 factorisations, exact solves) within the tolerance.
    let mut annular = annulus(32, 3, 4, 1.0);
    annular.steel = annular
        .rotor
        .iter()
        .map(|&r| if r { -1 } else { 0 })
        .collect();
    annular.steels = vec![steel_curve()];
    for (p, j) in [(saturated_square(12), vec![3e7]), (annular, vec![])] {
        let nk = p.solver().solve(0.0, &j, None).unwrap();
        assert!(nk.factorizations >= 1);
        assert!(nk.linear_iterations >= nk.factorizations, "{nk:?}");
        assert!(*nk.residuals.last().unwrap() < 1e-8);
        let exact = pure_newton(&p).solve(0.0, &j, None).unwrap();
        assert_eq!(exact.linear_iterations, 0);
        assert_close(&exact.a, &nk.a, 1e-6);
        assert!((exact.energy_j_per_m - nk.energy_j_per_m).abs() <= 1e-6 * exact.energy_j_per_m);
    }
}

#[test]
fn warm_solve_at_a_new_band_shift_uses_the_neighbour_factor() {
    let p = steel_stator_annulus();
    let solver = p.solver();
    let step = solver.problem().band_step_rad().unwrap();
    let s0 = solver.solve(0.0, &[], None).unwrap();
    // One band step further: a new shift, preconditioned by shift 0's factor.
    let s1 = solver.solve(step, &[], Some(&s0.a)).unwrap();
    assert!(s1.linear_iterations >= 1, "{s1:?}");
    assert!(*s1.residuals.last().unwrap() < 1e-8);
    let exact = pure_newton(&p).solve(step, &[], None).unwrap();
    assert_close(&exact.a, &s1.a, 1e-6);
    // The new shift's symbolic factorisation is built only if a factorisation was needed.
    assert_eq!(solver.has_symbolic(1), s1.factorizations > 0, "{s1:?}");
    assert!(solver.has_symbolic(0));
    // Two steps on: whatever the previous step kept, the field is the pure-Newton one.
    let s2 = solver.solve(2.0 * step, &[], Some(&s1.a)).unwrap();
    let exact2 = pure_newton(&p).solve(2.0 * step, &[], None).unwrap();
    assert_close(&exact2.a, &s2.a, 1e-6);
}

#[test]
fn warm_solve_at_a_new_band_shift_can_skip_its_symbolic_factorisation() {
    // Linear annulus: the neighbouring shift's factor differs only in the band couplings, and
    // CG with it reaches the tolerance without a factorisation (or symbolic analysis) here.
    let p = annulus(32, 3, 4, 1.0);
    let solver = p.solver();
    let step = solver.problem().band_step_rad().unwrap();
    let s0 = solver.solve(0.0, &[], None).unwrap();
    let s1 = solver.solve(step, &[], Some(&s0.a)).unwrap();
    assert_eq!(s1.factorizations, 0, "{s1:?}");
    assert!(!solver.has_symbolic(1));
    let exact = pure_newton(&p).solve(step, &[], None).unwrap();
    assert_close(&exact.a, &s1.a, 1e-6);
}

#[test]
fn batch_with_initial_guesses_and_factor_cache_is_deterministic_and_accurate() {
    let p = steel_stator_annulus();
    let solver = p.solver();
    let angles: Vec<f64> = (0..5).map(|k| 0.07 * k as f64).collect();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let cache = FactorCache::new();
            let first = solver
                .solve_batch_with(&angles, &[], None, Some(&cache))
                .unwrap();
            assert_eq!(cache.len(), angles.len());
            let a0: Vec<f64> = first.iter().flat_map(|s| s.a.clone()).collect();
            let again = solver
                .solve_batch_with(&angles, &[], Some(&a0), Some(&cache))
                .unwrap();
            (first, again)
        })
    };
    let (f1, a1) = run(1);
    let (f2, a2) = run(2);
    for (x, y) in f1.iter().chain(&a1).zip(f2.iter().chain(&a2)) {
        assert_eq!(x.a, y.a);
        assert_eq!(x.residuals, y.residuals);
    }
    // Restarted at the solution with the cached factors: no factorisation, same field.
    let exact = pure_newton(&p);
    for (k, s) in a1.iter().enumerate() {
        assert_eq!(s.factorizations, 0, "point {k}");
        let e = exact.solve(angles[k], &[], None).unwrap();
        assert_close(&e.a, &s.a, 1e-6);
    }
    // Shape errors name the field; a cache of another solver is emptied, not misused.
    let bad = solver.solve_batch_with(&angles, &[], Some(&[0.0; 3]), None);
    assert!(matches!(bad, Err(FemError::Input { ref field, .. }) if field == "a0"));
    let other = p.solver();
    let cache = FactorCache::new();
    solver
        .solve_batch_with(&angles[..2], &[], None, Some(&cache))
        .unwrap();
    let s = other
        .solve_batch_with(&angles[..2], &[], None, Some(&cache))
        .unwrap();
    assert!(s[0].factorizations >= 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn solution_is_linear_in_current(j1 in -1e6f64..1e6, j2 in -1e6f64..1e6, c in -3.0f64..3.0) {
        let mut p = square(5);
        let t = p.n_tris();
        p.n_groups = 2;
        p.group = (0..t as i64).map(|e| e % 2).collect();
        let s = p.solver();
        prop_assume!(j1.abs() + j2.abs() > 1.0);
        let a = s.solve(0.0, &[j1, j2], None).unwrap().a;
        let b = s.solve(0.0, &[c * j1, c * j2], None).unwrap().a;
        let amax = a.iter().fold(0.0f64, |m, v| m.max(f64::abs(*v)));
        for (x, y) in a.iter().zip(&b) {
            prop_assert!((c * x - y).abs() <= 1e-9 * amax * c.abs().max(1.0));
        }
    }

    #[test]
    fn repeated_solves_are_bit_identical(theta in -1.0f64..1.0) {
        let p = annulus(24, 2, 3, 1.2);
        let s = p.solver();
        let a = s.solve(theta, &[], None).unwrap();
        let b = s.solve(theta, &[], None).unwrap();
        prop_assert_eq!(a.a, b.a);
        prop_assert_eq!(a.energy_j_per_m, b.energy_j_per_m);
    }

    #[test]
    fn random_bad_input_never_panics(
        tris in proptest::collection::vec(-2i64..12, 0..15),
        nodes in proptest::collection::vec(prop_oneof![Just(f64::NAN), -1.0f64..1.0], 0..20),
        nu in prop_oneof![Just(-1.0), Just(0.0), Just(f64::INFINITY), 0.1f64..10.0],
        dir in proptest::collection::vec(-2i64..12, 0..4),
        pairs in proptest::collection::vec(-1i64..12, 0..6),
    ) {
        let t = tris.len() / 3;
        let p = P {
            nodes, tris, nu_r: vec![nu; t], steel: vec![-1; t], steels: vec![],
            br: vec![0.1; 2 * t], group: vec![0; t], n_groups: 1, rotor: vec![false; t],
            dirichlet: dir, pairs, anti: false, sector: 2.0 * PI, band_r: vec![], band_s: vec![],
        };
        if let Ok(prob) = Problem::new(&p.input()) {
            let s = Solver::new(prob, SolverOptions::default()).unwrap();
            let _ = s.solve(0.0, &[1.0], None);
        }
    }
}

/// One unknown (a triangle with two Dirichlet nodes): faer's symbolic analysis is simplicial
/// there (a diagonal system), which the factor layout handles itself. The Galerkin equation of
/// the free node is K₂₂·A₂ = J·area/3 with K₂₂ = ν·area·|∇N₂|².
#[test]
fn single_unknown_matches_its_one_equation() {
    let p = P {
        nodes: vec![0.0, 0.0, 1.0, 0.0, 0.0, 1.0],
        tris: vec![0, 1, 2],
        nu_r: vec![1.0],
        steel: vec![-1],
        steels: vec![],
        br: vec![0.0, 0.0],
        group: vec![0],
        n_groups: 1,
        rotor: vec![false],
        dirichlet: vec![0, 1],
        pairs: vec![],
        anti: false,
        sector: 2.0 * PI,
        band_r: vec![],
        band_s: vec![],
    };
    let j = 1e6;
    for opts in [
        SolverOptions::default(),
        SolverOptions {
            chord_steps: false,
            ..SolverOptions::default()
        },
    ] {
        let solver = Solver::new(Problem::new(&p.input()).unwrap(), opts).unwrap();
        let sol = solver.solve(0.0, &[j], None).unwrap();
        // Node 2 at (0, 1): ∇N₂ = (0, 1), area ½.
        let expected = (j * 0.5 / 3.0) / (0.5 / MU0);
        assert!(
            (sol.a[2] - expected).abs() <= 1e-12 * expected,
            "{} vs {expected}",
            sol.a[2]
        );
        assert_eq!(sol.a[0], 0.0);
    }
}
