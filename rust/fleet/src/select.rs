//! Budget-constrained selection: maximise the sum of an objective (NPV, CO2 abatement) subject
//! to Σ capex ≤ budget, over motors with a positive objective (a 0/1 knapsack).
//!
//! Method: greedy by objective/capex ratio (ties broken by the motor key, so the result does not
//! depend on row order), skipping motors that no longer fit and continuing with cheaper ones;
//! then the best single motor that fits is compared with the greedy set and the better is kept
//! (this guarantees at least half the optimum). The LP-relaxation (Dantzig) bound is returned,
//! so `objective_total / upper_bound` certifies how close to optimal the selection is.

use crate::error::{check_len, FleetError, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub selected: Vec<bool>,
    /// 1-based rank of each candidate in ratio order (0 = not a candidate: objective ≤ 0).
    pub rank: Vec<u32>,
    pub objective_total: f64,
    pub capex_total: f64,
    /// LP-relaxation upper bound of the optimum.
    pub upper_bound: f64,
}

pub fn select(objective: &[f64], capex: &[f64], key: &[u64], budget: f64) -> Result<Selection> {
    let n = objective.len();
    check_len("capex", capex.len(), n)?;
    check_len("key", key.len(), n)?;
    if budget.is_nan() || budget < 0.0 {
        return Err(FleetError::InvalidParameter {
            field: "budget",
            value: budget,
            allowed: "a budget ≥ 0 (inf for no limit)",
        });
    }
    for (i, (&o, &c)) in objective.iter().zip(capex).enumerate() {
        if !o.is_finite() {
            return Err(FleetError::InvalidValue {
                field: "objective",
                index: i,
                value: o,
                allowed: "a finite value",
            });
        }
        if !(c.is_finite() && c >= 0.0) {
            return Err(FleetError::InvalidValue {
                field: "capex",
                index: i,
                value: c,
                allowed: "a finite cost ≥ 0",
            });
        }
    }
    let mut cand: Vec<usize> = (0..n).filter(|&i| objective[i] > 0.0).collect();
    let ratio = |i: usize| {
        if capex[i] > 0.0 {
            objective[i] / capex[i]
        } else {
            f64::INFINITY
        }
    };
    cand.sort_by(|&a, &b| {
        ratio(b)
            .total_cmp(&ratio(a))
            .then(key[a].cmp(&key[b]))
            .then(a.cmp(&b))
    });
    let mut rank = vec![0u32; n];
    for (r, &i) in cand.iter().enumerate() {
        rank[i] = u32::try_from(r + 1).unwrap_or(u32::MAX);
    }
    // Greedy fill and the Dantzig bound.
    let mut selected = vec![false; n];
    let (mut spent, mut total) = (0.0, 0.0);
    let mut bound = None;
    let (mut lp_spent, mut lp_total) = (0.0, 0.0);
    for &i in &cand {
        if bound.is_none() {
            if lp_spent + capex[i] <= budget {
                lp_spent += capex[i];
                lp_total += objective[i];
            } else {
                let frac = (budget - lp_spent) / capex[i];
                bound = Some(lp_total + frac * objective[i]);
            }
        }
        if spent + capex[i] <= budget {
            selected[i] = true;
            spent += capex[i];
            total += objective[i];
        }
    }
    let upper_bound = bound.unwrap_or(lp_total);
    // Best single item that fits.
    let best = cand
        .iter()
        .copied()
        .filter(|&i| capex[i] <= budget)
        .max_by(|&a, &b| {
            objective[a]
                .total_cmp(&objective[b])
                .then(key[b].cmp(&key[a]))
        });
    if let Some(b) = best {
        if objective[b] > total {
            selected = vec![false; n];
            selected[b] = true;
            spent = capex[b];
            total = objective[b];
        }
    }
    Ok(Selection {
        selected,
        rank,
        objective_total: total,
        capex_total: spent,
        upper_bound,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn greedy_respects_budget_and_bound() {
        let obj = [10.0, 6.0, 5.0, -1.0, 3.0];
        let cap = [5.0, 4.0, 3.0, 1.0, 3.0];
        let key = [1, 2, 3, 4, 5];
        let s = select(&obj, &cap, &key, 8.0).unwrap();
        // ratios: 2, 1.5, 1.667, -, 1 → order 0, 2, 1, 4; fits 0 (5), 2 (8).
        assert_eq!(s.selected, vec![true, false, true, false, false]);
        assert_eq!(s.objective_total, 15.0);
        assert_eq!(s.capex_total, 8.0);
        assert!(s.upper_bound >= s.objective_total);
        assert_eq!(s.rank, vec![1, 3, 2, 0, 4]);
        let all = select(&obj, &cap, &key, f64::INFINITY).unwrap();
        assert_eq!(all.selected, vec![true, true, true, false, true]);
        assert_eq!(all.upper_bound, 24.0);
    }

    #[test]
    fn single_item_beats_greedy() {
        // Greedy takes the tiny high-ratio item, then the big one no longer fits.
        let s = select(&[2.0, 90.0], &[1.0, 100.0], &[1, 2], 100.0).unwrap();
        assert_eq!(s.selected, vec![false, true]);
        assert!(select(&[1.0], &[1.0], &[1], f64::NAN).is_err());
    }
}
