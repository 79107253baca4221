//! Table mode: feasibility, winding factors, periodicity, LCM and q over ranges of Q and 2p,
//! as columns. One pass, one allocation per column; no layout is built for double layers.

use crate::{
    arithmetic_code, belt, belt_side, build_default_layout, default_pitch, factors_from_weights,
    gcd, lcm, roots_of_unity, Reason, WindingError, MAX_ORDER, MAX_SIZE,
};

/// Columnar result of [`table`]; row r is (slots[r], poles[r]); `kw` is row-major
/// (`kw[r * max_order + ν − 1]`, absolute values, NaN where the row is infeasible).
#[derive(Debug, Clone, PartialEq)]
pub struct WindingTable {
    pub max_order: u32,
    pub slots: Vec<u32>,
    pub poles: Vec<u32>,
    pub feasible: Vec<bool>,
    /// [`Reason`] codes.
    pub reason: Vec<u8>,
    /// Default coil pitch used for the row (slots).
    pub pitch: Vec<u32>,
    pub kw: Vec<f64>,
    /// t = gcd(Q, p) (0 for odd pole counts).
    pub periodicity: Vec<u32>,
    /// LCM(Q, 2p).
    pub lcm: Vec<u64>,
    /// q = Q/(2p·m) as a reduced fraction.
    pub q_num: Vec<u64>,
    pub q_den: Vec<u64>,
}

fn check_list(field: &'static str, values: &[u32], min: u32) -> Result<(), WindingError> {
    if let Some(&v) = values.iter().find(|&&v| v < min || v > MAX_SIZE) {
        return Err(WindingError::InvalidInput {
            field,
            value: v.to_string(),
            allowed: format!("every value must be an integer in {min}..={MAX_SIZE}"),
        });
    }
    Ok(())
}

/// Largest number of winding-factor cells (rows × max_order) of one [`table`] call (80 MB).
pub const MAX_TABLE_CELLS: u64 = 10_000_000;
/// Largest work estimate Σ_rows Q·max_order of one [`table`] call (a few seconds).
pub const MAX_TABLE_WORK: u64 = 1_000_000_000;

/// Bounds the memory and time of a table before anything is allocated.
fn check_table_size(slots: &[u32], poles: &[u32], max_order: u32) -> Result<(), WindingError> {
    let rows = (slots.len() as u64).saturating_mul(poles.len() as u64);
    let cells = rows.saturating_mul(u64::from(max_order));
    let sum_q: u64 = slots.iter().map(|&q| u64::from(q)).sum();
    let work = sum_q
        .saturating_mul(poles.len() as u64)
        .saturating_mul(u64::from(max_order));
    if cells > MAX_TABLE_CELLS || work > MAX_TABLE_WORK {
        return Err(WindingError::InvalidInput {
            field: "slots × poles × max_order",
            value: format!(
                "{} × {} × {max_order} ({cells} cells, work {work})",
                slots.len(),
                poles.len()
            ),
            allowed: format!(
                "table too large: rows·max_order must be ≤ {MAX_TABLE_CELLS} and \
                 Σ slots·len(poles)·max_order ≤ {MAX_TABLE_WORK}; use smaller ranges"
            ),
        });
    }
    Ok(())
}

/// Analyses every combination of `slots` × `poles` (slots outer, poles inner) with the default
/// pitch of each combination, unskewed.
pub fn table(
    slots: &[u32],
    poles: &[u32],
    phases: u32,
    layers: u32,
    max_order: u32,
) -> Result<WindingTable, WindingError> {
    check_list("slots", slots, 1)?;
    check_list("poles", poles, 1)?;
    check_list("phases", &[phases], 2)?;
    if layers != 1 && layers != 2 {
        return Err(WindingError::BadLayers { layers });
    }
    if max_order == 0 || max_order > MAX_ORDER {
        return Err(WindingError::InvalidInput {
            field: "max_order",
            value: max_order.to_string(),
            allowed: format!("must be an integer in 1..={MAX_ORDER}"),
        });
    }
    check_table_size(slots, poles, max_order)?;
    let rows = slots.len() * poles.len();
    let n = max_order as usize;
    let mut out = WindingTable {
        max_order,
        slots: Vec::with_capacity(rows),
        poles: Vec::with_capacity(rows),
        feasible: Vec::with_capacity(rows),
        reason: Vec::with_capacity(rows),
        pitch: Vec::with_capacity(rows),
        kw: Vec::with_capacity(rows * n),
        periodicity: Vec::with_capacity(rows),
        lcm: Vec::with_capacity(rows),
        q_num: Vec::with_capacity(rows),
        q_den: Vec::with_capacity(rows),
    };
    let m = u64::from(phases);
    let mut weights: Vec<f64> = Vec::new();
    let mut nonzero: Vec<(usize, f64)> = Vec::new();
    for &qs in slots {
        let q = u64::from(qs);
        let (cos_t, sin_t) = roots_of_unity(qs as usize);
        for &ps in poles {
            let p = u64::from(ps / 2);
            let y = default_pitch(qs, ps);
            let mut code = arithmetic_code(qs, ps, phases, layers);
            out.slots.push(qs);
            out.poles.push(ps);
            out.pitch.push(y);
            out.periodicity
                .push(if ps % 2 == 0 { gcd(q, p) as u32 } else { 0 });
            out.lcm.push(lcm(q, u64::from(ps)));
            let g = gcd(q, u64::from(ps) * m);
            out.q_num.push(q / g);
            out.q_den.push(u64::from(ps) * m / g);
            let start = out.kw.len();
            if code == Reason::Feasible {
                nonzero.clear();
                let mut nsides = 0u32;
                if layers == 2 {
                    weights.clear();
                    weights.resize(qs as usize, 0.0);
                    for k in 0..q {
                        let s = belt_side(belt(k, p, q, m), m);
                        if s.phase == 0 {
                            let sign = f64::from(s.sign);
                            weights[k as usize] += sign;
                            weights[((k + u64::from(y)) % q) as usize] -= sign;
                            nsides += 2;
                        }
                    }
                    nonzero.extend(
                        weights
                            .iter()
                            .enumerate()
                            .filter(|(_, w)| **w != 0.0)
                            .map(|(k, w)| (k, *w)),
                    );
                } else {
                    match build_default_layout(qs, ps, phases, layers) {
                        Ok((y_used, layout)) => {
                            if let Some(last) = out.pitch.last_mut() {
                                *last = y_used;
                            }
                            for (k, s) in layout.sides.iter().enumerate() {
                                if s.phase == 0 && s.sign != 0 {
                                    nonzero.push((k, f64::from(s.sign)));
                                    nsides += 1;
                                }
                            }
                        }
                        Err(WindingError::Infeasible { code: c, .. }) => code = c,
                        Err(e) => return Err(e),
                    }
                }
                if code == Reason::Feasible {
                    let f =
                        factors_from_weights(&nonzero, nsides, &cos_t, &sin_t, p, max_order, 0.0);
                    out.kw.extend(f.iter().map(|v| v.abs()));
                }
            }
            if out.kw.len() == start {
                out.kw.resize(start + n, f64::NAN);
            }
            out.feasible.push(code == Reason::Feasible);
            out.reason.push(code.code());
        }
    }
    Ok(out)
}
