//! Unit tests and property tests of the winding crate.
#![allow(clippy::unwrap_used)]

use super::*;
use proptest::prelude::*;

fn spec(slots: u32, poles: u32, layers: u32, pitch: Option<u32>) -> WindingSpec {
    WindingSpec {
        slots,
        poles,
        phases: 3,
        layers,
        pitch,
        skew_slots: 0.0,
        max_order: 49,
    }
}

fn kw(slots: u32, poles: u32, layers: u32, pitch: Option<u32>) -> Vec<f64> {
    analyse(&spec(slots, poles, layers, pitch))
        .unwrap()
        .winding_factors
}

#[test]
fn textbook_fundamental_factors() {
    // 12s/10p double layer tooth coils: kw1 = 0.933 (Bianchi & Dai Pre / EL-Refaie 2010 tables).
    assert!((kw(12, 10, 2, None)[0] - 0.9330).abs() < 5e-5);
    // 9s/8p: 0.945
    assert!((kw(9, 8, 2, None)[0] - 0.9452).abs() < 5e-5);
    // 36s/4p full pitch (q = 3): kd1 = sin(30°)/(3 sin(10°)) = 0.95980
    let k = kw(36, 4, 2, Some(9));
    assert!((k[0] - 0.5 / (3.0 * (10f64).to_radians().sin())).abs() < 1e-12);
    // 48s/8p single layer full pitch (Prius 2004): cos(15°) = 0.96593
    assert!((kw(48, 8, 1, None)[0] - (15f64).to_radians().cos()).abs() < 1e-12);
}

#[test]
fn classical_distribution_times_pitch_for_integral_slot() {
    // q = 2, pitch 5/6: kw_ν = kd_ν·kp_ν with kd = sin(νπ/6)/(2 sin(νπ/12)), kp = sin(ν·5π/12)
    let k = kw(24, 4, 2, Some(5));
    for nu in 1..=49usize {
        if nu % 2 == 0 {
            // the negative belt cancels the positive one for even orders
            assert!(k[nu - 1].abs() < 1e-12, "nu {nu}");
            continue;
        }
        let x = nu as f64;
        let kd = (x * PI / 6.0).sin() / (2.0 * (x * PI / 12.0).sin());
        let kp = (x * 5.0 * PI / 12.0).sin();
        assert!((k[nu - 1].abs() - (kd * kp).abs()).abs() < 1e-12, "nu {nu}");
        if (kd * kp).abs() > 1e-9 {
            assert_eq!(k[nu - 1].signum(), (kd * kp).signum(), "sign of nu {nu}");
        }
    }
}

#[test]
fn q1_full_pitch_leakage_is_pi2_over_9_minus_1() {
    let a = analyse(&spec(6, 2, 2, Some(3))).unwrap();
    assert!((a.differential_leakage - (PI * PI / 9.0 - 1.0)).abs() < 1e-12);
    let a = analyse(&spec(24, 8, 2, Some(3))).unwrap();
    assert!((a.differential_leakage - (PI * PI / 9.0 - 1.0)).abs() < 1e-12);
}

#[test]
fn integral_full_pitch_leakage_closed_form() {
    // m = 3 full pitch: σδ = π²(5q² + 1)/(54 q² kw1²) − 1 (from the MMF staircase).
    for q in 1..=6u32 {
        let a = analyse(&spec(6 * q, 2, 2, Some(3 * q))).unwrap();
        let qf = f64::from(q);
        let kw1 = a.winding_factors[0];
        let closed = PI * PI * (5.0 * qf * qf + 1.0) / (54.0 * qf * qf * kw1 * kw1) - 1.0;
        assert!((a.differential_leakage - closed).abs() < 1e-12, "q {q}");
    }
}

#[test]
fn leakage_matches_truncated_series() {
    // Σ_{n≠p, n ≤ N} (A_n/A_p)² converges to the exact (Parseval) value from below.
    for (q, p2) in [(12u32, 10u32), (9, 8), (36, 4), (48, 8)] {
        let mut s = spec(q, p2, 2, None);
        s.max_order = 2000;
        let a = analyse(&s).unwrap();
        let p = (p2 / 2) as usize;
        let ap = a.mmf_amplitudes[p - 1];
        let series: f64 = a
            .mmf_amplitudes
            .iter()
            .enumerate()
            .filter(|(i, _)| i + 1 != p)
            .map(|(_, x)| (x / ap) * (x / ap))
            .sum();
        assert!(series <= a.differential_leakage + 1e-12);
        assert!(a.differential_leakage - series < 2e-3, "{q}/{p2}");
    }
}

#[test]
fn mmf_fundamental_matches_textbook_amplitude() {
    // Rotating fundamental: (m/2)·(4/π)·N·kw1/(2p) with N = series turns of a phase (1 turn
    // per side → N = sides/2).
    let a = analyse(&spec(36, 4, 2, Some(9))).unwrap();
    let n = 12.0; // 36·2/3 = 24 coil sides of phase A = 12 one-turn coils
    let want = 1.5 * 4.0 / PI * n * a.winding_factors[0] / 4.0;
    assert!(
        (a.mmf_amplitudes[1] - want).abs() < 1e-9,
        "{} {want}",
        a.mmf_amplitudes[1]
    );
    // triplen of an integral-slot 3-phase winding is absent
    assert!(a.mmf_amplitudes[5] < 1e-9);
}

#[test]
fn periodicity_and_sector() {
    let a = analyse(&spec(12, 10, 2, None)).unwrap();
    assert_eq!(a.periodicity, 1);
    assert_eq!(
        (a.sector_slots, a.sector_poles, a.antiperiodic),
        (6, 5, true)
    );
    assert_eq!(a.lcm_slots_poles, 60);
    assert_eq!((a.q_num, a.q_den), (2, 5));
    let a = analyse(&spec(9, 8, 2, None)).unwrap();
    assert_eq!(
        (a.sector_slots, a.sector_poles, a.antiperiodic),
        (9, 8, false)
    );
    let a = analyse(&spec(48, 8, 1, None)).unwrap();
    assert_eq!(
        (a.sector_slots, a.sector_poles, a.antiperiodic),
        (6, 1, true)
    );
    assert_eq!(a.periodicity, 4);
}

#[test]
fn layout_text_and_mmf_subharmonic() {
    let a = analyse(&spec(12, 10, 2, None)).unwrap();
    let text = a.layout.to_text();
    assert!(text.starts_with("A/c' a'/a' b'/A "), "{text}");
    // 12s/10p has a sub-harmonic at mechanical order 1
    assert!(a.mmf_amplitudes[0] > 0.01 * a.mmf_amplitudes[4]);
}

#[test]
fn infeasible_reasons() {
    let f = feasibility(12, 8, 3, 2).unwrap();
    assert!(f.feasible);
    let f = feasibility(10, 8, 3, 2).unwrap();
    assert_eq!(f.reason_code, Reason::SlotsNotMultipleOfPhases);
    let f = feasibility(12, 9, 3, 2).unwrap();
    assert_eq!(f.reason_code, Reason::OddPoles);
    let f = feasibility(12, 12, 3, 2).unwrap();
    assert_eq!(f.reason_code, Reason::Unbalanced);
    assert!(f.reason.contains("Q/(m·t) = 12/(3·6)"), "{}", f.reason);
    let f = feasibility(12, 8, 4, 2).unwrap();
    assert_eq!(f.reason_code, Reason::EvenPhases);
    let f = feasibility(9, 8, 3, 1).unwrap();
    assert_eq!(f.reason_code, Reason::SingleLayerOddSides);
    assert!(matches!(
        feasibility(0, 8, 3, 2),
        Err(WindingError::InvalidInput { field: "slots", .. })
    ));
    assert!(matches!(
        feasibility(12, 8, 3, 3),
        Err(WindingError::BadLayers { layers: 3 })
    ));
    assert!(matches!(
        analyse(&spec(12, 10, 2, Some(12))),
        Err(WindingError::BadPitch { pitch: 12, .. })
    ));
    assert!(matches!(
        analyse(&spec(12, 12, 2, None)),
        Err(WindingError::Infeasible { .. })
    ));
    let mut s = spec(12, 10, 2, None);
    s.skew_slots = f64::NAN;
    assert!(matches!(
        analyse(&s),
        Err(WindingError::InvalidInput {
            field: "skew_slots",
            ..
        })
    ));
}

#[test]
fn skew_factor_one_slot() {
    let mut s = spec(36, 4, 2, Some(9));
    let k0 = analyse(&s).unwrap().winding_factors;
    s.skew_slots = 1.0;
    let k1 = analyse(&s).unwrap().winding_factors;
    let x = 2.0 * (2.0 * PI / 36.0) / 2.0;
    assert!((k1[0] - k0[0] * x.sin() / x).abs() < 1e-12);
}

#[test]
fn table_matches_analyse() {
    let slots: Vec<u32> = (6..=48).collect();
    let poles: Vec<u32> = (2..=20).step_by(2).collect();
    let t = table(&slots, &poles, 3, 2, 13).unwrap();
    for r in 0..t.slots.len() {
        let s = spec(t.slots[r], t.poles[r], 2, None);
        let a = analyse(&WindingSpec { max_order: 13, ..s });
        assert_eq!(a.is_ok(), t.feasible[r]);
        if let Ok(a) = a {
            for i in 0..13 {
                assert_eq!(a.winding_factors[i].abs(), t.kw[r * 13 + i]);
            }
            assert_eq!(a.periodicity, t.periodicity[r]);
        } else {
            assert!(t.kw[r * 13].is_nan());
        }
    }
}

/// Feasible (Q, 2p) pairs, double layer, 3 phases, generated from (Q/(m t), t, p/t).
fn feasible_dl() -> impl Strategy<Value = (u32, u32)> {
    (1u32..=8, 1u32..=4, 1u32..=12).prop_filter_map("coprime", |(n, t, pp)| {
        // Q = 3·t·n, p = t·pp, gcd(3n, pp) = 1
        if gcd(u64::from(3 * n), u64::from(pp)) != 1 {
            return None;
        }
        Some((3 * t * n, 2 * t * pp))
    })
}

proptest! {
    #[test]
    fn factors_bounded_and_deterministic((q, p2) in feasible_dl(), y in 1u32..6) {
        let y = y.min(q.saturating_sub(1)).max(1);
        let s = WindingSpec { pitch: Some(y), ..spec(q, p2, 2, None) };
        let a = analyse(&s).unwrap();
        prop_assert!(a.winding_factors.iter().all(|k| k.abs() <= 1.0 + 1e-12));
        prop_assert_eq!(&a, &analyse(&s).unwrap());
    }

    #[test]
    fn phases_are_rotations_of_phase_a((q, p2) in feasible_dl(), layers in 1u32..=2) {
        let Ok(a) = analyse(&spec(q, p2, layers, None)) else {
            prop_assert_eq!(layers, 1);
            return Ok(());
        };
        let l = &a.layout;
        let nl = l.layers;
        for j in 1..3u32 {
            let found = (0..q).any(|d| {
                (0..q).all(|k| (0..nl).all(|layer| {
                    let s0 = l.side(k, layer);
                    let sj = l.side((k + d) % q, layer);
                    (s0.phase == 0) == (sj.phase == j) && (s0.phase != 0 || s0.sign == sj.sign)
                }))
            });
            prop_assert!(found, "phase {} of {}/{}", j, q, p2);
        }
    }

    #[test]
    fn scaling_q_and_p_keeps_factors((q, p2) in feasible_dl(), c in 2u32..4) {
        let a = kw(q, p2, 2, None);
        let b = kw(c * q, c * p2, 2, None);
        for (x, z) in a.iter().zip(&b) {
            prop_assert!((x - z).abs() < 1e-9);
        }
    }

    #[test]
    fn balanced_slot_currents((q, p2) in feasible_dl(), layers in 1u32..=2) {
        if let Ok(a) = analyse(&spec(q, p2, layers, None)) {
            let w = slot_currents(&a.layout);
            let (re, im) = w.iter().fold((0.0, 0.0), |s, x| (s.0 + x.0, s.1 + x.1));
            prop_assert!(re.abs() < 1e-9 && im.abs() < 1e-9);
            // each phase: as many go as return sides
            for j in 0..3 {
                let net: i32 = a.layout.sides.iter().filter(|s| s.phase == j).map(|s| i32::from(s.sign)).sum();
                prop_assert_eq!(net, 0);
            }
        }
    }
}

#[test]
fn huge_tables_are_rejected_before_allocating() {
    let slots: Vec<u32> = (1..=10_000).collect();
    let poles: Vec<u32> = (1..=5_000).map(|p| 2 * p).collect();
    let err = table(&slots, &poles, 3, 2, 49).err().unwrap();
    assert!(matches!(err, WindingError::InvalidInput { .. }), "{err}");
    assert!(err.to_string().contains("table too large"), "{err}");
    // few rows but Q·max_order work too large
    let err = table(&[10_000; 10], &[9_998; 10], 3, 2, 10_000)
        .err()
        .unwrap();
    assert!(err.to_string().contains("table too large"), "{err}");
    // the default grid stays well inside the bounds
    let slots: Vec<u32> = (6..=72).collect();
    let poles: Vec<u32> = (1..=20).map(|p| 2 * p).collect();
    assert!(table(&slots, &poles, 3, 2, 49).is_ok());
}
