//! repm-winding: star-of-slots winding analysis (layout, winding factors, MMF harmonics,
//! periodicity). No Python here; the binding crate `repm-python` wraps this API.
//!
//! Conventions (used everywhere in this crate):
//! - `slots` = Q, `poles` = 2p (even), `phases` = m (odd, ≥ 3 in practice; even m is rejected,
//!   see [`Reason::EvenPhases`]), `layers` ∈ {1, 2}, `pitch` = coil span y in slot pitches.
//! - Slot k (0-based) sits at mechanical angle θ_k = 2πk/Q. Its star-of-slots phasor for the
//!   working harmonic has electrical angle p·θ_k. Phase j (0-based, A = 0) owns the positive belt
//!   centred on electrical angle 2πj/m, half-open `[2πj/m − π/2m, 2πj/m + π/2m)`, and the negative
//!   belt opposite to it. Belt membership is decided in exact integer arithmetic.
//! - Double layer: the top layer of slot k holds the go side of coil k (phase and sign of slot
//!   k's belt), the bottom layer of slot k + y holds its return side (same phase, opposite sign).
//! - Winding factors are phasor sums over the coil sides of phase A, so distribution and pitch
//!   are implicit and exact for any layout; electrical order ν means mechanical order ν·p.

mod error;
mod table;

pub use error::{Reason, WindingError};
pub use table::{table, WindingTable};

use std::f64::consts::PI;

/// Largest slot or pole count accepted (keeps every allocation small and every product in u64).
pub const MAX_SIZE: u32 = 10_000;
/// Largest harmonic order accepted for winding factors.
pub const MAX_ORDER: u32 = 10_000;
/// Largest number of MMF orders (max_order·p) computed by [`analyse`].
pub const MAX_MMF_ORDERS: u64 = 200_000;

/// Greatest common divisor.
pub fn gcd(a: u64, b: u64) -> u64 {
    let (mut a, mut b) = (a, b);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Least common multiple (0 if either argument is 0).
pub fn lcm(a: u64, b: u64) -> u64 {
    if a == 0 || b == 0 {
        0
    } else {
        a / gcd(a, b) * b
    }
}

/// Result of the feasibility test.
#[derive(Debug, Clone, PartialEq)]
pub struct Feasibility {
    pub feasible: bool,
    pub reason_code: Reason,
    /// Human-readable reason (with the numbers); "balanced ..." when feasible.
    pub reason: String,
}

/// One coil side: which phase (0-based) and which direction (+1 go, −1 return).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CoilSide {
    pub phase: u32,
    pub sign: i8,
}

/// The star-of-slots layout: `sides[slot * layers + layer]` (layer 0 = top).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub slots: u32,
    pub layers: u32,
    pub phases: u32,
    pub sides: Vec<CoilSide>,
}

impl Layout {
    /// The coil side in `slot` (0-based), `layer` (0 = top).
    pub fn side(&self, slot: u32, layer: u32) -> CoilSide {
        self.sides[(slot * self.layers + layer) as usize]
    }

    /// Readable layout, slots separated by spaces, layers of a slot by '/':
    /// "A/a' ..." (upper case = go side, lower case with a prime = return side).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for s in 0..self.slots {
            if s > 0 {
                out.push(' ');
            }
            for l in 0..self.layers {
                if l > 0 {
                    out.push('/');
                }
                out.push_str(&side_name(self.side(s, l)));
            }
        }
        out
    }
}

/// The name of a phase: A, B, C, … (P27, P28, … beyond 26 phases).
pub fn phase_name(phase: u32) -> String {
    if phase < 26 {
        char::from(b'A' + phase as u8).to_string()
    } else {
        format!("P{}", phase + 1)
    }
}

fn side_name(side: CoilSide) -> String {
    let name = phase_name(side.phase);
    if side.sign > 0 {
        name
    } else {
        format!("{}'", name.to_lowercase())
    }
}

/// The coil pitch closest to full pitch Q/2p (ties go to the shorter pitch), at least 1.
pub fn default_pitch(slots: u32, poles: u32) -> u32 {
    if poles == 0 {
        return 1;
    }
    // round(Q/2p) with ties down: floor((2Q + 2p - 1) / (2·2p)) ... computed exactly:
    let (q, p2) = (u64::from(slots), u64::from(poles));
    let fl = q / p2;
    let rem = q % p2;
    let y = if 2 * rem > p2 { fl + 1 } else { fl };
    y.max(1) as u32
}

/// Candidate default pitches: the closest to Q/2p first, then (single layer only, when Q/2p is
/// not an integer) the other neighbour, because single-layer coils in alternate slots need an
/// odd span.
fn pitch_candidates(slots: u32, poles: u32, layers: u32) -> Vec<u32> {
    let y = default_pitch(slots, poles);
    let mut c = vec![y];
    if layers == 1 && poles > 0 && slots % poles != 0 {
        let fl = (slots / poles).max(1);
        let other = if y == fl { fl + 1 } else { fl };
        if other != y && other < slots {
            c.push(other);
        }
    }
    c
}

/// Builds the layout with the default pitch (see [`pitch_candidates`]); returns the pitch used.
pub fn build_default_layout(
    slots: u32,
    poles: u32,
    phases: u32,
    layers: u32,
) -> Result<(u32, Layout), WindingError> {
    let mut last = None;
    for y in pitch_candidates(slots, poles, layers) {
        match build_layout(slots, poles, phases, layers, y) {
            Ok(l) => return Ok((y, l)),
            Err(e @ WindingError::Infeasible { .. }) => {
                if last.is_none() {
                    last = Some(e);
                }
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or(WindingError::BadPitch {
        pitch: default_pitch(slots, poles),
        allowed: "no default pitch fits".to_string(),
    }))
}

fn check_size(field: &'static str, value: u32, min: u32) -> Result<(), WindingError> {
    if value < min || value > MAX_SIZE {
        return Err(WindingError::InvalidInput {
            field,
            value: value.to_string(),
            allowed: format!("must be an integer in {min}..={MAX_SIZE}"),
        });
    }
    Ok(())
}

fn check_inputs(slots: u32, poles: u32, phases: u32, layers: u32) -> Result<(), WindingError> {
    check_size("slots", slots, 1)?;
    check_size("poles", poles, 1)?;
    check_size("phases", phases, 2)?;
    if layers != 1 && layers != 2 {
        return Err(WindingError::BadLayers { layers });
    }
    Ok(())
}

/// The arithmetic feasibility code (no layout built, no allocation). Single-layer windings also
/// need coil sides that pair into coils; [`feasibility`] checks that too.
pub(crate) fn arithmetic_code(slots: u32, poles: u32, phases: u32, layers: u32) -> Reason {
    let (q, m) = (u64::from(slots), u64::from(phases));
    if poles % 2 != 0 {
        return Reason::OddPoles;
    }
    if phases % 2 == 0 {
        return Reason::EvenPhases;
    }
    let t = gcd(q, u64::from(poles / 2));
    if q % m != 0 {
        Reason::SlotsNotMultipleOfPhases
    } else if q % (m * t) != 0 {
        Reason::Unbalanced
    } else if layers == 1 && q % (2 * m) != 0 {
        Reason::SingleLayerOddSides
    } else {
        Reason::Feasible
    }
}

fn arithmetic_feasibility(slots: u32, poles: u32, phases: u32, layers: u32) -> Feasibility {
    let code = arithmetic_code(slots, poles, phases, layers);
    let (q, m) = (u64::from(slots), u64::from(phases));
    let p = u64::from(poles / 2);
    let t = gcd(q, p);
    let reason = match code {
        Reason::OddPoles => format!("poles = {poles} is odd: the pole count 2p must be even"),
        Reason::EvenPhases => format!(
            "phases = {phases} is even: in a symmetric system of phases 2π/m apart, phases k and \
             k + m/2 are in antiphase, so it is an m/2-phase winding; use an odd phase count"
        ),
        Reason::SlotsNotMultipleOfPhases => {
            format!("Q/m = {q}/{m} is not an integer: the phases cannot have equal slot counts")
        }
        Reason::Unbalanced => format!(
            "Q/(m·t) = {q}/({m}·{t}) is not an integer, t = gcd(Q, p) = gcd({q}, {p}): the \
             phases' slot stars are not rotations of each other"
        ),
        Reason::SingleLayerOddSides => format!(
            "single layer needs an even number of coil sides per phase, but Q/m = {} is odd \
             (Q/(2m) = {q}/{} is not an integer)",
            q / m,
            2 * m
        ),
        Reason::Feasible | Reason::SingleLayerNoCoils => {
            format!("balanced: t = gcd(Q, p) = {t}, Q/(m·t) = {}", q / (m * t))
        }
    };
    Feasibility {
        feasible: code == Reason::Feasible,
        reason_code: code,
        reason,
    }
}

/// Whether Q slots and 2p poles can carry a balanced symmetric m-phase winding with `layers`
/// layers (single layer: with the default pitch). Errors only for malformed inputs (zero sizes,
/// layers not 1 or 2); infeasible combinations are reported in the result, with the reason.
pub fn feasibility(
    slots: u32,
    poles: u32,
    phases: u32,
    layers: u32,
) -> Result<Feasibility, WindingError> {
    check_inputs(slots, poles, phases, layers)?;
    let f = arithmetic_feasibility(slots, poles, phases, layers);
    if !f.feasible || layers == 2 {
        return Ok(f);
    }
    match build_default_layout(slots, poles, phases, layers) {
        Ok(_) => Ok(f),
        Err(WindingError::Infeasible { code, reason, .. }) => Ok(Feasibility {
            feasible: false,
            reason_code: code,
            reason,
        }),
        Err(e) => Err(e),
    }
}

/// Belt index (0..2m) of the phasor of slot `k`: belt b covers electrical angles
/// `[bπ/m − π/2m, bπ/m + π/2m)`. Exact integer arithmetic: r = k·p mod Q, angle = 2πr/Q.
pub(crate) fn belt(k: u64, p: u64, q: u64, m: u64) -> u64 {
    let r = (k * p) % q;
    // floor(angle/(π/m) + 1/2) = floor((4·m·r + Q) / (2Q))
    ((4 * m * r + q) / (2 * q)) % (2 * m)
}

/// Phase and sign owning belt `b` (m odd): even belts are positive belts of phase b/2, odd belts
/// negative belts of phase (b − m)/2 mod m.
pub(crate) fn belt_side(b: u64, m: u64) -> CoilSide {
    if b % 2 == 0 {
        CoilSide {
            phase: (b / 2) as u32,
            sign: 1,
        }
    } else {
        CoilSide {
            phase: (((b + m) / 2) % m) as u32,
            sign: -1,
        }
    }
}

fn infeasible(slots: u32, poles: u32, phases: u32, layers: u32, f: Feasibility) -> WindingError {
    WindingError::Infeasible {
        slots,
        poles,
        phases,
        layers,
        code: f.reason_code,
        reason: f.reason,
    }
}

/// Builds the star-of-slots layout. Errors: malformed inputs, a pitch outside 1..Q−1, or an
/// infeasible combination (with the reason).
pub fn build_layout(
    slots: u32,
    poles: u32,
    phases: u32,
    layers: u32,
    pitch: u32,
) -> Result<Layout, WindingError> {
    check_inputs(slots, poles, phases, layers)?;
    let f = arithmetic_feasibility(slots, poles, phases, layers);
    if !f.feasible {
        return Err(infeasible(slots, poles, phases, layers, f));
    }
    if pitch == 0 || (slots > 1 && pitch >= slots) || (slots == 1 && pitch != 1) {
        return Err(WindingError::BadPitch {
            pitch,
            allowed: format!(
                "the coil span must be in 1..={} slots",
                slots.saturating_sub(1).max(1)
            ),
        });
    }
    let (q, p, m, y) = (
        u64::from(slots),
        u64::from(poles / 2),
        u64::from(phases),
        u64::from(pitch),
    );
    let placeholder = CoilSide { phase: 0, sign: 0 };
    if layers == 2 {
        let mut sides = vec![placeholder; (2 * q) as usize];
        for k in 0..q {
            let go = belt_side(belt(k, p, q, m), m);
            sides[(2 * k) as usize] = go;
            let ret = (k + y) % q;
            sides[(2 * ret + 1) as usize] = CoilSide {
                phase: go.phase,
                sign: -go.sign,
            };
        }
        return Ok(Layout {
            slots,
            layers,
            phases,
            sides,
        });
    }
    // Single layer, construction 1: one coil side per slot, phase and sign from its own belt;
    // the go and return sides of each phase must pair into coils of span `pitch`.
    let sides: Vec<CoilSide> = (0..q).map(|k| belt_side(belt(k, p, q, m), m)).collect();
    let first = match pair_coils(&sides, y) {
        Ok(()) => {
            let layout = Layout {
                slots,
                layers,
                phases,
                sides,
            };
            match check_symmetry(&layout, p) {
                Ok(()) => return Ok(layout),
                Err(msg) => msg,
            }
        }
        Err(msg) => msg,
    };
    // Construction 2 (odd pitch only): coils start in every other slot (go sides in even
    // slots, return sides in odd slots), phase from the belt of the go slot.
    let second = if y % 2 == 1 && q % 2 == 0 {
        let mut sides = vec![placeholder; q as usize];
        for c in 0..q / 2 {
            let go = belt_side(belt(2 * c, p, q, m), m);
            sides[(2 * c) as usize] = go;
            sides[((2 * c + y) % q) as usize] = CoilSide {
                phase: go.phase,
                sign: -go.sign,
            };
        }
        let layout = Layout {
            slots,
            layers,
            phases,
            sides,
        };
        match check_symmetry(&layout, p) {
            Ok(()) => return Ok(layout),
            Err(msg) => format!("; with coils in alternate slots: {msg}"),
        }
    } else {
        String::new()
    };
    Err(infeasible(
        slots,
        poles,
        phases,
        layers,
        Feasibility {
            feasible: false,
            reason_code: Reason::SingleLayerNoCoils,
            reason: format!(
                "single layer with pitch {pitch}: one side per slot from the star of slots: \
                 {first}{second}"
            ),
        },
    ))
}

/// Pairs each go side with a return side of the same phase `y` slots away (either direction);
/// a bipartite matching (Kuhn) so that mixed directions are found.
fn pair_coils(sides: &[CoilSide], y: u64) -> Result<(), String> {
    let q = sides.len() as u64;
    let go: Vec<u64> = (0..q).filter(|&k| sides[k as usize].sign > 0).collect();
    let ret_count = sides.iter().filter(|s| s.sign < 0).count();
    if go.len() != ret_count {
        return Err(format!(
            "{} go sides against {} return sides",
            go.len(),
            ret_count
        ));
    }
    let candidates = |k: u64| -> Vec<usize> {
        let ph = sides[k as usize].phase;
        let mut c = Vec::with_capacity(2);
        for r in [(k + y) % q, (k + q - y % q) % q] {
            let s = sides[r as usize];
            if s.sign < 0 && s.phase == ph && !c.contains(&(r as usize)) {
                c.push(r as usize);
            }
        }
        c
    };
    let mut owner: Vec<Option<usize>> = vec![None; q as usize];
    fn augment(
        g: usize,
        cands: &[Vec<usize>],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &r in &cands[g] {
            if seen[r] {
                continue;
            }
            seen[r] = true;
            let free = match owner[r] {
                None => true,
                Some(other) => augment(other, cands, owner, seen),
            };
            if free {
                owner[r] = Some(g);
                return true;
            }
        }
        false
    }
    let cands: Vec<Vec<usize>> = go.iter().map(|&k| candidates(k)).collect();
    for g in 0..go.len() {
        let mut seen = vec![false; q as usize];
        if !augment(g, &cands, &mut owner, &mut seen) {
            return Err(format!(
                "the go side of phase {} in slot {} has no free return side {y} slots away",
                phase_name(sides[go[g] as usize].phase),
                go[g] + 1
            ));
        }
    }
    Ok(())
}

/// Complex phasor sum of phase `phase` for mechanical order `n` (unnormalised), and the number
/// of its coil sides.
fn phase_sum(layout: &Layout, phase: u32, n: u64) -> ((f64, f64), u32) {
    let q = u64::from(layout.slots);
    let mut re = 0.0;
    let mut im = 0.0;
    let mut count = 0;
    for k in 0..q {
        for l in 0..layout.layers {
            let s = layout.side(k as u32, l);
            if s.phase == phase && s.sign != 0 {
                let a = 2.0 * PI * ((n * k) % q) as f64 / q as f64;
                re += f64::from(s.sign) * a.cos();
                im += f64::from(s.sign) * a.sin();
                count += 1;
            }
        }
    }
    ((re, im), count)
}

/// Checks that every slot layer is used, every phase has the same number of sides, and that the
/// fundamental phasors of the phases have equal length and are 2π/m apart.
fn check_symmetry(layout: &Layout, p: u64) -> Result<(), String> {
    if layout.sides.iter().any(|s| s.sign == 0) {
        return Err("some slot layers stay empty".to_string());
    }
    let m = layout.phases;
    let ((r0, i0), c0) = phase_sum(layout, 0, p);
    let mag0 = r0.hypot(i0);
    if mag0 < 1e-9 * f64::from(c0.max(1)) {
        return Err("phase A links no working harmonic".to_string());
    }
    let ang0 = i0.atan2(r0);
    for j in 1..m {
        let ((r, i), c) = phase_sum(layout, j, p);
        if c != c0 {
            return Err(format!(
                "phase {} has {c} coil sides, phase A has {c0}",
                phase_name(j)
            ));
        }
        let want = ang0 + 2.0 * PI * f64::from(j) / f64::from(m);
        let (er, ei) = (mag0 * want.cos(), mag0 * want.sin());
        if (r - er).hypot(i - ei) > 1e-9 * f64::from(c0) {
            return Err(format!(
                "phase {} is not phase A rotated by 2π/m",
                phase_name(j)
            ));
        }
    }
    Ok(())
}

/// Per-order winding factors of phase A (signed, see [`WindingAnalysis::winding_factors`]).
/// `orders` are electrical orders ν ≥ 1; `skew_slots` is the skew in slot pitches.
pub fn winding_factors(layout: &Layout, poles: u32, max_order: u32, skew_slots: f64) -> Vec<f64> {
    let q = layout.slots as usize;
    let p = u64::from(poles / 2);
    // Slot weights of phase A (sum of signs over layers) and the number of its coil sides.
    let mut weights: Vec<(usize, f64)> = Vec::new();
    let mut nsides = 0u32;
    for k in 0..q {
        let mut w = 0i32;
        for l in 0..layout.layers {
            let s = layout.side(k as u32, l);
            if s.phase == 0 && s.sign != 0 {
                w += i32::from(s.sign);
                nsides += 1;
            }
        }
        if w != 0 {
            weights.push((k, f64::from(w)));
        }
    }
    let (cos_t, sin_t) = roots_of_unity(q);
    factors_from_weights(&weights, nsides, &cos_t, &sin_t, p, max_order, skew_slots)
}

/// cos and sin of 2πk/Q for k in 0..Q.
pub(crate) fn roots_of_unity(q: usize) -> (Vec<f64>, Vec<f64>) {
    let mut c = Vec::with_capacity(q);
    let mut s = Vec::with_capacity(q);
    for k in 0..q {
        let a = 2.0 * PI * k as f64 / q as f64;
        c.push(a.cos());
        s.push(a.sin());
    }
    (c, s)
}

/// Signed factors for ν = 1..=max_order from slot weights; the sign of order ν is the sign of
/// the projection of its phasor on ν times the fundamental's axis.
pub(crate) fn factors_from_weights(
    weights: &[(usize, f64)],
    nsides: u32,
    cos_t: &[f64],
    sin_t: &[f64],
    p: u64,
    max_order: u32,
    skew_slots: f64,
) -> Vec<f64> {
    let q = cos_t.len() as u64;
    let sum = |n: u64| -> (f64, f64) {
        let (mut re, mut im) = (0.0, 0.0);
        for &(k, w) in weights {
            let idx = ((n % q) * k as u64 % q) as usize;
            re += w * cos_t[idx];
            im += w * sin_t[idx];
        }
        (re, im)
    };
    let norm = f64::from(nsides.max(1));
    let (r1, i1) = sum(p);
    // A coil's phasor for order ν is 2 sin(νγy/2)·e^{j(ν·ψ − π/2)} with ψ its magnetic axis, so
    // the order-ν reference direction is ν·(arg S_1 + π/2) − π/2 (classical kd·kp signs).
    let axis = i1.atan2(r1) + PI / 2.0;
    let mut out = Vec::with_capacity(max_order as usize);
    for nu in 1..=u64::from(max_order) {
        let (re, im) = if nu == 1 { (r1, i1) } else { sum(nu * p) };
        let mag = re.hypot(im) / norm;
        let a = nu as f64 * axis - PI / 2.0;
        let proj = re * a.cos() + im * a.sin();
        let sign = if proj < -1e-12 * norm { -1.0 } else { 1.0 };
        out.push(sign * mag * skew_factor(nu, p, q, skew_slots));
    }
    out
}

/// Skew factor sin(x)/x with x = ν·p·α_s·s/2, α_s = 2π/Q, s = skew in slot pitches.
pub fn skew_factor(nu: u64, p: u64, q: u64, skew_slots: f64) -> f64 {
    let x = nu as f64 * p as f64 * (2.0 * PI / q as f64) * skew_slots / 2.0;
    if x.abs() < 1e-12 {
        1.0
    } else {
        x.sin() / x
    }
}

/// Input of [`analyse`].
#[derive(Debug, Clone, PartialEq)]
pub struct WindingSpec {
    pub slots: u32,
    pub poles: u32,
    pub phases: u32,
    pub layers: u32,
    /// Coil span in slot pitches; `None` = [`default_pitch`] (single layer: the other neighbour
    /// of Q/2p if the closest one cannot be wound).
    pub pitch: Option<u32>,
    /// Skew in slot pitches (0 = unskewed).
    pub skew_slots: f64,
    /// Highest electrical harmonic order ν of the winding factors (≥ 1).
    pub max_order: u32,
}

/// Everything [`analyse`] computes.
#[derive(Debug, Clone, PartialEq)]
pub struct WindingAnalysis {
    pub spec: WindingSpec,
    pub pitch: u32,
    pub layout: Layout,
    /// Signed winding factors of phase A, index 0 = electrical order ν = 1 (mechanical order p),
    /// skew included. The sign is that of the order-ν phasor projected on the direction
    /// ν·(ψ + π/2) − π/2, ψ = arg of the fundamental phasor, i.e. the classical sign of kd·kp
    /// (+ for the working harmonic).
    pub winding_factors: Vec<f64>,
    /// t = gcd(Q, p).
    pub periodicity: u32,
    /// Slots and poles of the smallest simulation sector, and whether its side boundaries are
    /// anti-periodic (field and currents change sign) rather than periodic.
    pub sector_slots: u32,
    pub sector_poles: u32,
    pub antiperiodic: bool,
    /// LCM(Q, 2p): the cogging indicator (cogging periods per revolution).
    pub lcm_slots_poles: u64,
    /// q = Q/(2p·m) as a reduced fraction (numerator, denominator).
    pub q_num: u64,
    pub q_den: u64,
    /// Mechanical orders 1..=N (N = max_order·p) and the MMF amplitude of each for balanced
    /// m-phase currents of 1 A peak and one turn per coil side (ampere-turns per ampere-turn).
    pub mmf_orders: Vec<u32>,
    pub mmf_amplitudes: Vec<f64>,
    /// σδ = Σ_{n≠p} A_n² / A_p² over all mechanical orders n of the rotating stator MMF,
    /// computed exactly (no truncation) from the mean square of the slot-current staircase.
    pub differential_leakage: f64,
}

fn validate_spec(spec: &WindingSpec) -> Result<(), WindingError> {
    check_inputs(spec.slots, spec.poles, spec.phases, spec.layers)?;
    if !spec.skew_slots.is_finite()
        || spec.skew_slots < 0.0
        || spec.skew_slots > f64::from(spec.slots)
    {
        return Err(WindingError::InvalidInput {
            field: "skew_slots",
            value: spec.skew_slots.to_string(),
            allowed: format!("must be finite and in 0..={} slot pitches", spec.slots),
        });
    }
    if spec.max_order == 0 || spec.max_order > MAX_ORDER {
        return Err(WindingError::InvalidInput {
            field: "max_order",
            value: spec.max_order.to_string(),
            allowed: format!("must be an integer in 1..={MAX_ORDER}"),
        });
    }
    let n_mmf = u64::from(spec.max_order) * u64::from(spec.poles / 2);
    if n_mmf > MAX_MMF_ORDERS {
        return Err(WindingError::InvalidInput {
            field: "max_order",
            value: spec.max_order.to_string(),
            allowed: format!(
                "max_order·p = {n_mmf} MMF orders is too many: max_order·p must be ≤ {MAX_MMF_ORDERS}"
            ),
        });
    }
    Ok(())
}

/// Full analysis of one winding. Errors: [`WindingError::InvalidInput`] for malformed inputs,
/// the other variants for windings that cannot be built.
pub fn analyse(spec: &WindingSpec) -> Result<WindingAnalysis, WindingError> {
    validate_spec(spec)?;
    let (pitch, layout) = match spec.pitch {
        Some(y) => (
            y,
            build_layout(spec.slots, spec.poles, spec.phases, spec.layers, y)?,
        ),
        None => build_default_layout(spec.slots, spec.poles, spec.phases, spec.layers)?,
    };
    let (q, p, m) = (
        u64::from(spec.slots),
        u64::from(spec.poles / 2),
        u64::from(spec.phases),
    );
    let winding_factors = winding_factors(&layout, spec.poles, spec.max_order, spec.skew_slots);
    let t = gcd(q, p);
    let (sector_slots, sector_poles, antiperiodic) = sector(&layout, p);
    let g = gcd(q, 2 * p * m);
    let n_mmf = u64::from(spec.max_order) * p;
    let (mmf_orders, mmf_amplitudes) = mmf_spectrum(&layout, n_mmf);
    let differential_leakage = differential_leakage(&layout, p);
    Ok(WindingAnalysis {
        spec: spec.clone(),
        pitch,
        layout,
        winding_factors,
        periodicity: t as u32,
        sector_slots,
        sector_poles,
        antiperiodic,
        lcm_slots_poles: lcm(q, 2 * p),
        q_num: q / g,
        q_den: 2 * p * m / g,
        mmf_orders,
        mmf_amplitudes,
        differential_leakage,
    })
}

/// Smallest sector (slots d, poles 2p·d/Q) such that shifting the stator layout and the rotor by
/// d slot pitches reproduces the machine (periodic) or reproduces it with all signs reversed
/// (anti-periodic). Checked on the actual layout.
fn sector(layout: &Layout, p: u64) -> (u32, u32, bool) {
    let q = u64::from(layout.slots);
    let nl = u64::from(layout.layers);
    let shifted_equals = |d: u64, flip: i8| -> bool {
        (0..q).all(|k| {
            (0..nl).all(|l| {
                let a = layout.sides[(k * nl + l) as usize];
                let b = layout.sides[(((k + d) % q) * nl + l) as usize];
                a.phase == b.phase && a.sign == flip * b.sign
            })
        })
    };
    for d in 1..=q {
        if q % d != 0 {
            continue;
        }
        let e = p * d; // electrical shift in units of 2π/Q
        if e % q == 0 && shifted_equals(d, 1) {
            return (d as u32, (2 * p * d / q) as u32, false);
        }
        if (2 * e) % q == 0 && (2 * e / q) % 2 == 1 && shifted_equals(d, -1) {
            return (d as u32, (2 * p * d / q) as u32, true);
        }
    }
    (q as u32, (2 * p) as u32, false)
}

/// Complex slot currents W_k = Σ_sides sign·e^{−jφ_phase}, φ_j = 2πj/m (balanced currents
/// i_j(t) = cos(ωt − φ_j), 1 A peak, one turn per side).
fn slot_currents(layout: &Layout) -> Vec<(f64, f64)> {
    let m = f64::from(layout.phases);
    (0..layout.slots)
        .map(|k| {
            let mut re = 0.0;
            let mut im = 0.0;
            for l in 0..layout.layers {
                let s = layout.side(k, l);
                let phi = 2.0 * PI * f64::from(s.phase) / m;
                re += f64::from(s.sign) * phi.cos();
                im -= f64::from(s.sign) * phi.sin();
            }
            (re, im)
        })
        .collect()
}

/// MMF amplitudes of mechanical orders 1..=n_max. Each order is a travelling wave in one
/// direction (or two for asymmetric layouts; the larger is reported):
/// A_n^± = |Σ_k W_k^(±) e^{−jnθ_k}| / (2πn).
pub fn mmf_spectrum(layout: &Layout, n_max: u64) -> (Vec<u32>, Vec<f64>) {
    let q = layout.slots as usize;
    let w = slot_currents(layout);
    let (cos_t, sin_t) = roots_of_unity(q);
    let mut orders = Vec::with_capacity(n_max as usize);
    let mut amps = Vec::with_capacity(n_max as usize);
    for n in 1..=n_max {
        let (mut fr, mut fi, mut br, mut bi) = (0.0, 0.0, 0.0, 0.0);
        for (k, &(wr, wi)) in w.iter().enumerate() {
            let idx = ((n % q as u64) * k as u64 % q as u64) as usize;
            let (c, s) = (cos_t[idx], -sin_t[idx]); // e^{−jnθ_k}
            fr += wr * c - wi * s;
            fi += wr * s + wi * c;
            // conjugate current weights W_k*
            br += wr * c + wi * s;
            bi += wr * s - wi * c;
        }
        let a = fr.hypot(fi).max(br.hypot(bi)) / (2.0 * PI * n as f64);
        orders.push(n as u32);
        amps.push(a);
    }
    (orders, amps)
}

/// σδ = (time-averaged mean square of the MMF staircase) / (mean square of its order-p wave) − 1,
/// i.e. Σ_{n≠p} A_n² / A_p² over all orders (Parseval), with no truncation.
pub fn differential_leakage(layout: &Layout, p: u64) -> f64 {
    let w = slot_currents(layout);
    let q = w.len() as f64;
    let ms = |pick: &dyn Fn(&(f64, f64)) -> f64| -> f64 {
        let mut cum = 0.0;
        let mut stair = Vec::with_capacity(w.len());
        for x in &w {
            cum += pick(x);
            stair.push(cum);
        }
        let mean = stair.iter().sum::<f64>() / q;
        stair.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / q
    };
    // i(t=0) = Re(W), i(ωt=π/2) = Re(jW) = −Im(W)
    let ms_avg = 0.5 * (ms(&|x| x.0) + ms(&|x| -x.1));
    // Fundamental: both directions, each a travelling wave of amplitude A contributes A²/2.
    let qn = w.len();
    let (cos_t, sin_t) = roots_of_unity(qn);
    let (mut fr, mut fi, mut br, mut bi) = (0.0, 0.0, 0.0, 0.0);
    for (k, &(wr, wi)) in w.iter().enumerate() {
        let idx = ((p % qn as u64) * k as u64 % qn as u64) as usize;
        let (c, s) = (cos_t[idx], -sin_t[idx]);
        fr += wr * c - wi * s;
        fi += wr * s + wi * c;
        br += wr * c + wi * s;
        bi += wr * s - wi * c;
    }
    let scale = 2.0 * PI * p as f64;
    let a_f = fr.hypot(fi) / scale;
    let a_b = br.hypot(bi) / scale;
    let ms_p = 0.5 * (a_f * a_f + a_b * a_b);
    if ms_p <= 0.0 {
        return f64::INFINITY;
    }
    (ms_avg / ms_p - 1.0).max(0.0)
}

#[cfg(test)]
mod tests;
