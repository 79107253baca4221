//! Deterministic evaluation of every motor of a fleet (rayon over motors; elementwise, so the
//! result does not depend on thread count or chunking), the capital-cost model and the magnet-mass
//! model.

use rayon::prelude::*;

use crate::economics::{irr, payback_years, Finance};
use crate::error::{check_len, check_param, check_range, Result};
use crate::model::{FleetColumns, MotorPoint};

/// Per-motor results (one entry per motor, in input order). Energies in kWh per year, powers
/// in kW, money in the currency of the prices, CO2 in tonnes per year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    /// Hours-weighted mean load fraction.
    pub mean_load: Vec<f64>,
    /// Hours per year (sum of the profile).
    pub hours: Vec<f64>,
    /// Induction-motor speed at the mean load, rpm.
    pub im_speed_rpm: Vec<f64>,
    /// Untrimmed shaft-power increase from the speed effect, % (hours-weighted).
    pub shaft_power_increase_pct: Vec<f64>,
    pub baseline_kwh: Vec<f64>,
    pub pm_untrimmed_kwh: Vec<f64>,
    pub pm_trimmed_kwh: Vec<f64>,
    pub savings_untrimmed_kwh: Vec<f64>,
    pub savings_trimmed_kwh: Vec<f64>,
    /// Savings of the scenario's choice (trimmed where `trimmed`, else untrimmed).
    pub savings_kwh: Vec<f64>,
    /// First-year value of the savings.
    pub annual_value: Vec<f64>,
    pub payback_years: Vec<f64>,
    pub npv: Vec<f64>,
    /// Internal rate of return, NaN where undefined (no positive savings or no cost).
    pub irr: Vec<f64>,
    pub co2_t_per_year: Vec<f64>,
}

/// One motor's deterministic figures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MotorResult {
    pub mean_load: f64,
    pub hours: f64,
    pub im_speed_rpm: f64,
    pub shaft_power_increase_pct: f64,
    pub baseline_kwh: f64,
    pub pm_untrimmed_kwh: f64,
    pub pm_trimmed_kwh: f64,
    pub savings_kwh: f64,
    pub annual_value: f64,
    pub payback_years: f64,
    pub npv: f64,
    pub irr: f64,
    pub co2_t_per_year: f64,
}

/// Evaluates motor `i` (inputs assumed validated).
pub fn evaluate_motor(f: &FleetColumns<'_>, i: usize, fin: &Finance, annuity: f64) -> MotorResult {
    let m = MotorPoint::of(f, i);
    let (mut hours, mut hx, mut hx_pm) = (0.0, 0.0, 0.0);
    let (mut e_im, mut e_un, mut e_tr) = (0.0, 0.0, 0.0);
    for (x, h) in f.bins(i) {
        let p = m.power(x);
        hours += h;
        hx += h * x;
        hx_pm += h * x * crate::model::shaft_power_ratio(m.slip_rated, x, m.exponent, m.on_vsd);
        e_im += h * p.im_kw;
        e_un += h * p.pm_untrimmed_kw;
        e_tr += h * p.pm_trimmed_kw;
    }
    let mean_load = if hours > 0.0 { hx / hours } else { 0.0 };
    let increase = if hx > 0.0 {
        (hx_pm / hx - 1.0) * 100.0
    } else {
        0.0
    };
    let n_im = if m.on_vsd {
        f.sync_rpm[i]
    } else {
        f.sync_rpm[i] * (1.0 - m.slip_rated * mean_load)
    };
    let savings = e_im - if f.trimmed[i] { e_tr } else { e_un };
    let value = savings * f.price_per_kwh[i];
    let capex = f.capex[i];
    MotorResult {
        mean_load,
        hours,
        im_speed_rpm: n_im,
        shaft_power_increase_pct: increase,
        baseline_kwh: e_im,
        pm_untrimmed_kwh: e_un,
        pm_trimmed_kwh: e_tr,
        savings_kwh: savings,
        annual_value: value,
        payback_years: payback_years(capex, value),
        npv: value * annuity - capex,
        irr: irr(capex, value, fin.escalation, fin.horizon_years),
        co2_t_per_year: savings * f.emission_kg_per_kwh[i] / 1000.0,
    }
}

/// Evaluates every motor (in parallel, deterministic).
pub fn evaluate(f: &FleetColumns<'_>, fin: &Finance) -> Result<Evaluation> {
    f.validate()?;
    fin.validate()?;
    let annuity = fin.annuity_factor();
    let rows: Vec<MotorResult> = (0..f.len())
        .into_par_iter()
        .with_min_len(256)
        .map(|i| evaluate_motor(f, i, fin, annuity))
        .collect();
    let col = |g: fn(&MotorResult) -> f64| rows.iter().map(g).collect::<Vec<f64>>();
    Ok(Evaluation {
        mean_load: col(|r| r.mean_load),
        hours: col(|r| r.hours),
        im_speed_rpm: col(|r| r.im_speed_rpm),
        shaft_power_increase_pct: col(|r| r.shaft_power_increase_pct),
        baseline_kwh: col(|r| r.baseline_kwh),
        pm_untrimmed_kwh: col(|r| r.pm_untrimmed_kwh),
        pm_trimmed_kwh: col(|r| r.pm_trimmed_kwh),
        savings_untrimmed_kwh: col(|r| r.baseline_kwh - r.pm_untrimmed_kwh),
        savings_trimmed_kwh: col(|r| r.baseline_kwh - r.pm_trimmed_kwh),
        savings_kwh: col(|r| r.savings_kwh),
        annual_value: col(|r| r.annual_value),
        payback_years: col(|r| r.payback_years),
        npv: col(|r| r.npv),
        irr: col(|r| r.irr),
        co2_t_per_year: col(|r| r.co2_t_per_year),
    })
}

/// Capital-cost model of a replacement (every coefficient is a documented default in
/// `repm/data/fleet/defaults.csv`, user-overridable).
///
/// `motor = price_coef·P^price_exp·class_multiplier`, `installation = install_fraction·motor +
/// install_fixed`, trim: mechanical `trim_fixed + trim_per_kw·P`, or a new VSD
/// `vsd_coef·P^vsd_exp`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostModel {
    pub price_coef: f64,
    pub price_exp: f64,
    pub class_multiplier: f64,
    pub install_fraction: f64,
    pub install_fixed: f64,
    pub trim_fixed: f64,
    pub trim_per_kw: f64,
    pub vsd_coef: f64,
    pub vsd_exp: f64,
    /// True: trims are done by a new VSD; false: mechanically.
    pub trim_by_vsd: bool,
}

/// Capital-cost components per motor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Capex {
    pub motor: Vec<f64>,
    pub installation: Vec<f64>,
    pub trim: Vec<f64>,
}

impl CostModel {
    pub fn validate(&self) -> Result<()> {
        let nonneg = "a finite value ≥ 0";
        check_param("price_coef", self.price_coef, 0.0, 1e9, nonneg)?;
        check_param(
            "price_exp",
            self.price_exp,
            0.0,
            2.0,
            "an exponent in [0, 2]",
        )?;
        check_param(
            "class_multiplier",
            self.class_multiplier,
            0.0,
            100.0,
            nonneg,
        )?;
        check_param(
            "install_fraction",
            self.install_fraction,
            0.0,
            100.0,
            nonneg,
        )?;
        check_param("install_fixed", self.install_fixed, 0.0, 1e9, nonneg)?;
        check_param("trim_fixed", self.trim_fixed, 0.0, 1e9, nonneg)?;
        check_param("trim_per_kw", self.trim_per_kw, 0.0, 1e9, nonneg)?;
        check_param("vsd_coef", self.vsd_coef, 0.0, 1e9, nonneg)?;
        check_param("vsd_exp", self.vsd_exp, 0.0, 2.0, "an exponent in [0, 2]")
    }

    pub fn capex(&self, rated_kw: &[f64], trimmed: &[bool]) -> Result<Capex> {
        self.validate()?;
        check_len("trimmed", trimmed.len(), rated_kw.len())?;
        check_range(
            "rated_kw",
            rated_kw,
            1e-3,
            1e6,
            "a rated output in (0, 1e6] kW",
        )?;
        let mut out = Capex::default();
        for (&p, &t) in rated_kw.iter().zip(trimmed) {
            let motor = self.price_coef * p.powf(self.price_exp) * self.class_multiplier;
            out.motor.push(motor);
            out.installation
                .push(self.install_fraction * motor + self.install_fixed);
            out.trim.push(match (t, self.trim_by_vsd) {
                (false, _) => 0.0,
                (true, true) => self.vsd_coef * p.powf(self.vsd_exp),
                (true, false) => self.trim_fixed + self.trim_per_kw * p,
            });
        }
        Ok(out)
    }
}

/// Magnet mass (kg) from rated torque: `m = g_per_nm/1000 · T_N · grade_factor` with
/// `T_N = 1000·P_N / (2π·n_s/60)` in N·m.
pub fn magnet_mass_kg(
    rated_kw: &[f64],
    sync_rpm: &[f64],
    g_per_nm: f64,
    grade_factor: f64,
) -> Result<Vec<f64>> {
    check_len("sync_rpm", sync_rpm.len(), rated_kw.len())?;
    check_param("g_per_nm", g_per_nm, 0.0, 1e3, "grams per N·m in [0, 1000]")?;
    check_param(
        "grade_factor",
        grade_factor,
        0.0,
        100.0,
        "a factor in [0, 100]",
    )?;
    check_range(
        "rated_kw",
        rated_kw,
        1e-3,
        1e6,
        "a rated output in (0, 1e6] kW",
    )?;
    check_range("sync_rpm", sync_rpm, 1.0, 1e5, "a speed in [1, 1e5] rpm")?;
    Ok(rated_kw
        .iter()
        .zip(sync_rpm)
        .map(|(&p, &n)| {
            let torque = 1000.0 * p / (2.0 * std::f64::consts::PI * n / 60.0);
            g_per_nm / 1000.0 * torque * grade_factor
        })
        .collect())
}
