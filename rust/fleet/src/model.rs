//! Physics of one motor: loss-split part-load model, the speed effect, annual energy.
//!
//! **Input power at load fraction x** (output over rated output): with the rated loss ratio
//! λ = 1/η_N − 1 and the constant-loss share c0 (iron, friction, windage),
//! `P_in(x) = P_N·(x + λ·(c0 + (1 − c0)·x²))` — the model of `repm.standards.part_load`
//! written for input power (η(x) = x / (x + λ·(c0 + (1 − c0)·x²))).
//!
//! **Speed effect.** The induction motor slips: n_IM = n_s·(1 − s_N·x) (slip proportional to
//! load, as in `part_load`). The synchronous replacement runs at n_s. On a direct-on-line (DOL)
//! drive the driven machine then runs faster; by the affinity laws its shaft power scales with
//! (n_s/n_IM)^k, k = 3 for cubic loads (centrifugal pumps and fans), 2 for quadratic loads
//! (torque ∝ speed), 1 for constant-torque loads. Untrimmed, the PM motor delivers
//! x_PM = x·(n_s/n_IM)^k. Trimmed back to the original duty (impeller trim, pulley change or a
//! VSD), it delivers x; a VSD adds its own losses (input divided by the drive efficiency). A motor
//! already on a VSD keeps its process speed: no speed effect, and the drive losses before and
//! after are taken as equal (they cancel).

use crate::error::{check_len, check_range, first_index, FleetError, Result};

/// Columns describing the fleet, one entry per motor (profile arrays: CSR layout, bins of motor
/// i are `profile_offsets[i]..profile_offsets[i + 1]`).
#[derive(Debug, Clone, Copy)]
pub struct FleetColumns<'a> {
    /// Stable per-motor key (hash of the motor id), used for random streams and tie-breaks.
    pub key: &'a [u64],
    /// Rated output P_N, kW.
    pub rated_kw: &'a [f64],
    /// Synchronous speed n_s = 120·f/poles, rpm.
    pub sync_rpm: &'a [f64],
    /// Rated slip s_N of the induction motor.
    pub im_slip_rated: &'a [f64],
    /// λ_IM = 1/η_N − 1 of the induction motor.
    pub im_loss_ratio: &'a [f64],
    /// Constant-loss share c0 of the induction motor.
    pub im_c0: &'a [f64],
    /// λ_PM of the replacement.
    pub pm_loss_ratio: &'a [f64],
    /// c0 of the replacement.
    pub pm_c0: &'a [f64],
    /// Affinity exponent k: 3 (cubic), 2 (quadratic), 1 (constant torque).
    pub speed_exponent: &'a [f64],
    /// True if the existing motor is on a VSD (no speed effect).
    pub on_vsd: &'a [bool],
    /// True if the replacement is trimmed back to the original duty.
    pub trimmed: &'a [bool],
    /// Efficiency of the trim (1 for a mechanical trim, η_VSD when a new VSD does it).
    pub trim_efficiency: &'a [f64],
    /// CSR offsets into the profile arrays, length n + 1.
    pub profile_offsets: &'a [u64],
    /// Load fraction of each profile bin.
    pub profile_load: &'a [f64],
    /// Hours per year of each profile bin.
    pub profile_hours: &'a [f64],
    /// Electricity price, currency per kWh.
    pub price_per_kwh: &'a [f64],
    /// Emission factor, kg CO2 per kWh.
    pub emission_kg_per_kwh: &'a [f64],
    /// Capital cost of the replacement (motor, installation and trim), currency.
    pub capex: &'a [f64],
}

/// Upper bound of the load fraction (as in `repm.standards.part_load`).
pub const MAX_LOAD: f64 = 1.5;
/// Hours in a (non-leap) year.
pub const HOURS_PER_YEAR: f64 = 8760.0;

impl FleetColumns<'_> {
    pub fn len(&self) -> usize {
        self.key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }

    /// Checks lengths and ranges; the kernel's guard against NaN and nonsense.
    pub fn validate(&self) -> Result<()> {
        let n = self.len();
        check_len("rated_kw", self.rated_kw.len(), n)?;
        check_len("sync_rpm", self.sync_rpm.len(), n)?;
        check_len("im_slip_rated", self.im_slip_rated.len(), n)?;
        check_len("im_loss_ratio", self.im_loss_ratio.len(), n)?;
        check_len("im_c0", self.im_c0.len(), n)?;
        check_len("pm_loss_ratio", self.pm_loss_ratio.len(), n)?;
        check_len("pm_c0", self.pm_c0.len(), n)?;
        check_len("speed_exponent", self.speed_exponent.len(), n)?;
        check_len("on_vsd", self.on_vsd.len(), n)?;
        check_len("trimmed", self.trimmed.len(), n)?;
        check_len("trim_efficiency", self.trim_efficiency.len(), n)?;
        check_len("profile_offsets", self.profile_offsets.len(), n + 1)?;
        check_len("price_per_kwh", self.price_per_kwh.len(), n)?;
        check_len("emission_kg_per_kwh", self.emission_kg_per_kwh.len(), n)?;
        check_len("capex", self.capex.len(), n)?;
        check_len(
            "profile_hours",
            self.profile_hours.len(),
            self.profile_load.len(),
        )?;
        check_range(
            "rated_kw",
            self.rated_kw,
            1e-3,
            1e6,
            "a rated output in (0, 1e6] kW",
        )?;
        check_range(
            "sync_rpm",
            self.sync_rpm,
            1.0,
            1e5,
            "a speed in [1, 1e5] rpm",
        )?;
        check_range(
            "im_slip_rated",
            self.im_slip_rated,
            0.0,
            0.5,
            "a slip in [0, 0.5]",
        )?;
        check_range(
            "im_loss_ratio",
            self.im_loss_ratio,
            0.0,
            10.0,
            "1/η − 1 in [0, 10]",
        )?;
        check_range("im_c0", self.im_c0, 0.0, 1.0, "a share in [0, 1]")?;
        check_range(
            "pm_loss_ratio",
            self.pm_loss_ratio,
            0.0,
            10.0,
            "1/η − 1 in [0, 10]",
        )?;
        check_range("pm_c0", self.pm_c0, 0.0, 1.0, "a share in [0, 1]")?;
        for (index, &k) in self.speed_exponent.iter().enumerate() {
            if !(k == 1.0 || k == 2.0 || k == 3.0) {
                return Err(FleetError::InvalidValue {
                    field: "speed_exponent",
                    index,
                    value: k,
                    allowed: "1 (constant), 2 (quadratic) or 3 (cubic)",
                });
            }
        }
        check_range(
            "trim_efficiency",
            self.trim_efficiency,
            0.5,
            1.0,
            "an efficiency in [0.5, 1]",
        )?;
        check_range(
            "price_per_kwh",
            self.price_per_kwh,
            0.0,
            1e3,
            "a price in [0, 1e3]",
        )?;
        check_range(
            "emission_kg_per_kwh",
            self.emission_kg_per_kwh,
            0.0,
            10.0,
            "kg/kWh in [0, 10]",
        )?;
        check_range("capex", self.capex, 0.0, 1e12, "a cost in [0, 1e12]")?;
        check_range(
            "profile_load",
            self.profile_load,
            0.0,
            MAX_LOAD,
            "a load fraction in [0, 1.5]",
        )?;
        check_range(
            "profile_hours",
            self.profile_hours,
            0.0,
            HOURS_PER_YEAR,
            "hours in [0, 8760]",
        )?;
        let nb = self.profile_load.len() as u64;
        let mut prev = 0u64;
        for (index, &o) in self.profile_offsets.iter().enumerate() {
            let bad = (index == 0 && o != 0) || o < prev || o > nb || (index == n && o != nb);
            if bad {
                return Err(FleetError::InvalidValue {
                    field: "profile_offsets",
                    index,
                    value: o as f64,
                    allowed: "non-decreasing offsets from 0 to the number of profile bins",
                });
            }
            prev = o;
        }
        let hours = |i: usize| -> f64 { self.bins(i).map(|(_, h)| h).sum() };
        match first_index(n, |mut r| {
            r.find(|&i| hours(i) > HOURS_PER_YEAR * (1.0 + 1e-12))
        }) {
            Some(i) => Err(FleetError::InvalidValue {
                field: "profile_hours (sum per motor)",
                index: i,
                value: hours(i),
                allowed: "at most 8760 hours per year",
            }),
            None => Ok(()),
        }
    }

    /// (load fraction, hours) of the profile bins of motor `i`.
    pub fn bins(&self, i: usize) -> impl Iterator<Item = (f64, f64)> + '_ {
        let a = self.profile_offsets[i] as usize;
        let b = self.profile_offsets[i + 1] as usize;
        self.profile_load[a..b]
            .iter()
            .copied()
            .zip(self.profile_hours[a..b].iter().copied())
    }
}

/// Input power (kW) of the loss-split model at load fraction x.
#[inline]
pub fn input_kw(rated_kw: f64, x: f64, loss_ratio: f64, c0: f64) -> f64 {
    rated_kw * (x + loss_ratio * (c0 + (1.0 - c0) * x * x))
}

/// (n_s / n_IM)^k for an induction motor at load fraction x (1 when on a VSD).
#[inline]
pub fn shaft_power_ratio(slip_rated: f64, x: f64, exponent: f64, on_vsd: bool) -> f64 {
    if on_vsd {
        return 1.0;
    }
    let r = 1.0 / (1.0 - slip_rated * x);
    match exponent as i32 {
        1 => r,
        2 => r * r,
        _ => r * r * r,
    }
}

/// Input powers (kW) at one operating point: (IM, PM untrimmed, PM trimmed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointPower {
    pub im_kw: f64,
    pub pm_untrimmed_kw: f64,
    pub pm_trimmed_kw: f64,
}

/// Per-point parameters that the Monte Carlo perturbs.
#[derive(Debug, Clone, Copy)]
pub struct MotorPoint {
    pub rated_kw: f64,
    pub slip_rated: f64,
    pub im_loss_ratio: f64,
    pub im_c0: f64,
    pub pm_loss_ratio: f64,
    pub pm_c0: f64,
    pub exponent: f64,
    pub on_vsd: bool,
    pub trim_efficiency: f64,
}

impl MotorPoint {
    pub fn of(f: &FleetColumns<'_>, i: usize) -> Self {
        Self {
            rated_kw: f.rated_kw[i],
            slip_rated: f.im_slip_rated[i],
            im_loss_ratio: f.im_loss_ratio[i],
            im_c0: f.im_c0[i],
            pm_loss_ratio: f.pm_loss_ratio[i],
            pm_c0: f.pm_c0[i],
            exponent: f.speed_exponent[i],
            on_vsd: f.on_vsd[i],
            trim_efficiency: f.trim_efficiency[i],
        }
    }

    /// Input powers at load fraction x of the induction motor.
    #[inline]
    pub fn power(&self, x: f64) -> PointPower {
        let im_kw = input_kw(self.rated_kw, x, self.im_loss_ratio, self.im_c0);
        let x_pm = x * shaft_power_ratio(self.slip_rated, x, self.exponent, self.on_vsd);
        PointPower {
            im_kw,
            pm_untrimmed_kw: input_kw(self.rated_kw, x_pm, self.pm_loss_ratio, self.pm_c0),
            pm_trimmed_kw: input_kw(self.rated_kw, x, self.pm_loss_ratio, self.pm_c0)
                / self.trim_efficiency,
        }
    }

    /// IM input power minus the replacement's (trimmed or untrimmed), kW: the Monte Carlo's
    /// inner loop, computing only what it needs (same formulas as [`MotorPoint::power`]).
    #[inline]
    pub fn savings_kw(&self, x: f64, trimmed: bool) -> f64 {
        if trimmed {
            self.savings_trimmed_kw(x)
        } else {
            self.savings_untrimmed_kw(x)
        }
    }

    /// IM input power minus the trimmed replacement's, kW.
    #[inline]
    pub fn savings_trimmed_kw(&self, x: f64) -> f64 {
        input_kw(self.rated_kw, x, self.im_loss_ratio, self.im_c0)
            - input_kw(self.rated_kw, x, self.pm_loss_ratio, self.pm_c0) / self.trim_efficiency
    }

    /// IM input power minus the untrimmed replacement's (running at synchronous speed), kW.
    #[inline]
    pub fn savings_untrimmed_kw(&self, x: f64) -> f64 {
        let x_pm = x * shaft_power_ratio(self.slip_rated, x, self.exponent, self.on_vsd);
        input_kw(self.rated_kw, x, self.im_loss_ratio, self.im_c0)
            - input_kw(self.rated_kw, x_pm, self.pm_loss_ratio, self.pm_c0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affinity_4pole_1475_to_1500_cubic() {
        // 4-pole 50 Hz: n_s = 1500; at full load the IM runs at 1475 rpm, s_N = 25/1500.
        let s_n = 25.0 / 1500.0;
        let r = shaft_power_ratio(s_n, 1.0, 3.0, false);
        assert!((r - (1500.0f64 / 1475.0).powi(3)).abs() < 1e-15);
        assert!(
            (r - 1.0 - 0.0517).abs() < 1e-3,
            "+5.2 % shaft power, got {r}"
        );
        assert_eq!(shaft_power_ratio(s_n, 1.0, 3.0, true), 1.0);
        assert!((shaft_power_ratio(s_n, 1.0, 1.0, false) - 1500.0 / 1475.0).abs() < 1e-15);
    }

    #[test]
    fn input_power_matches_efficiency_model() {
        // η(x) = x/(x + λ(c0 + (1 − c0)x²)) → P_in = P_N·x/η.
        let (p, x, lam, c0) = (11.0, 0.6, 1.0 / 0.9 - 1.0, 0.3);
        let eta = x / (x + lam * (c0 + (1.0 - c0) * x * x));
        assert!((input_kw(p, x, lam, c0) - p * x / eta).abs() < 1e-12);
        // Rated point: P_in = P_N/η_N.
        assert!((input_kw(p, 1.0, lam, c0) - p / 0.9).abs() < 1e-12);
    }
}
