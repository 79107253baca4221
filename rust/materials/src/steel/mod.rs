//! Non-oriented electrical steels: catalogue of grades (data embedded from `data/steel_*.csv`),
//! B-H curves with reluctivity ν(B²) ([`bh`]) and iron-loss models with their fit ([`loss`]).
//!
//! The catalogue data are exact copies of pyleecan material files (Apache-2.0), see
//! `data/README.md`. Loss coefficients are **fitted when the catalogue is first used**, from the
//! bundled loss tables, with kc fixed at its classical value from thickness, resistivity and
//! density (Bertotti); nothing is hard-coded.

pub mod bh;
pub mod loss;

use std::sync::OnceLock;

use crate::error::{MaterialsError, Result};
pub use bh::{BhCurve, MU0};
pub use loss::{
    classical_kc, fit_iron_loss, FitError, FitOptions, IronLossFit, IronLossModel, LossFormula,
};

const GRADES_CSV: &str = include_str!("../../data/steel_grades.csv");
const BH_CSV: &str = include_str!("../../data/steel_bh.csv");
const LOSS_CSV: &str = include_str!("../../data/steel_loss.csv");

/// One catalogue grade with its raw data and the loss model fitted to its loss table.
#[derive(Debug, Clone, PartialEq)]
pub struct SteelGrade {
    pub name: String,
    pub lamination_thickness_m: f64,
    pub density_kg_per_m3: f64,
    pub resistivity_ohm_m: f64,
    pub source: String,
    pub provenance: String,
    pub note: String,
    /// DC B-H data as given in the source (H in A/m, B in T).
    pub bh_h_a_per_m: Vec<f64>,
    pub bh_b_t: Vec<f64>,
    /// Loss table in long format (f in Hz, B peak in T, p in W/kg); empty if the source has none.
    pub loss_f_hz: Vec<f64>,
    pub loss_b_t: Vec<f64>,
    pub loss_w_per_kg: Vec<f64>,
    /// Bertotti fit of the loss table (kc classical), `None` without a loss table.
    pub loss_fit: Option<IronLossFit>,
    pub curve: BhCurve,
}

fn parse_num(file: &str, line: usize, field: &str, s: &str) -> Result<f64> {
    s.trim().parse::<f64>().map_err(|_| {
        MaterialsError::invalid(
            format!("{file} line {line} {field}"),
            format!("'{s}'"),
            "a number is required (corrupt embedded data)",
        )
    })
}

fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.split(',').collect()))
}

fn field<'a>(file: &str, line: usize, cols: &[&'a str], k: usize) -> Result<&'a str> {
    cols.get(k).copied().ok_or_else(|| {
        MaterialsError::invalid(
            format!("{file} line {line}"),
            format!("{} columns", cols.len()),
            format!("at least {} columns are required", k + 1),
        )
    })
}

fn build_catalogue() -> Result<Vec<SteelGrade>> {
    let mut grades = Vec::new();
    for (line, c) in rows(GRADES_CSV) {
        let f = "steel_grades.csv";
        let name = field(f, line, &c, 0)?.to_string();
        let mut bh_h = vec![];
        let mut bh_b = vec![];
        for (l2, r) in rows(BH_CSV) {
            if field("steel_bh.csv", l2, &r, 0)? == name {
                bh_h.push(parse_num(
                    "steel_bh.csv",
                    l2,
                    "H_A_per_m",
                    field("steel_bh.csv", l2, &r, 1)?,
                )?);
                bh_b.push(parse_num(
                    "steel_bh.csv",
                    l2,
                    "B_T",
                    field("steel_bh.csv", l2, &r, 2)?,
                )?);
            }
        }
        let (mut lf, mut lb, mut lp) = (vec![], vec![], vec![]);
        for (l2, r) in rows(LOSS_CSV) {
            let g = "steel_loss.csv";
            if field(g, l2, &r, 0)? == name {
                lf.push(parse_num(g, l2, "f_Hz", field(g, l2, &r, 1)?)?);
                lb.push(parse_num(g, l2, "B_T", field(g, l2, &r, 2)?)?);
                lp.push(parse_num(g, l2, "p_W_per_kg", field(g, l2, &r, 3)?)?);
            }
        }
        let thickness = parse_num(f, line, "lamination_thickness_m", field(f, line, &c, 1)?)?;
        let density = parse_num(f, line, "density_kg_per_m3", field(f, line, &c, 2)?)?;
        let resistivity = parse_num(f, line, "resistivity_ohm_m", field(f, line, &c, 3)?)?;
        let loss_fit = if lf.is_empty() {
            None
        } else {
            let kc = classical_kc(thickness, resistivity, density)?;
            let options = FitOptions {
                formula: LossFormula::Bertotti,
                kc_fixed: Some(kc),
                max_iter: 500,
            };
            Some(fit_iron_loss(&lf, &lb, &lp, &options).map_err(|e| {
                MaterialsError::invalid(format!("loss table of {name}"), "fit", e.to_string())
            })?)
        };
        let curve = BhCurve::new(&bh_h, &bh_b, 1.0)?;
        grades.push(SteelGrade {
            name,
            lamination_thickness_m: thickness,
            density_kg_per_m3: density,
            resistivity_ohm_m: resistivity,
            source: field(f, line, &c, 4)?.to_string(),
            provenance: field(f, line, &c, 5)?.to_string(),
            note: c.get(6).map_or(String::new(), |s| s.to_string()),
            bh_h_a_per_m: bh_h,
            bh_b_t: bh_b,
            loss_f_hz: lf,
            loss_b_t: lb,
            loss_w_per_kg: lp,
            loss_fit,
            curve,
        });
    }
    Ok(grades)
}

/// The steel catalogue, parsed and fitted once.
pub fn catalogue() -> Result<&'static [SteelGrade]> {
    static CATALOGUE: OnceLock<Result<Vec<SteelGrade>>> = OnceLock::new();
    match CATALOGUE.get_or_init(build_catalogue) {
        Ok(v) => Ok(v),
        Err(e) => Err(e.clone()),
    }
}

/// Catalogue grade names in file order.
pub fn steel_names() -> Result<Vec<String>> {
    Ok(catalogue()?.iter().map(|g| g.name.clone()).collect())
}

/// Looks a grade up by name (case-insensitive); unknown names list the closest names.
pub fn steel_grade(name: &str) -> Result<&'static SteelGrade> {
    let cat = catalogue()?;
    let key = name.trim().to_lowercase();
    cat.iter()
        .find(|g| g.name.to_lowercase() == key)
        .ok_or_else(|| MaterialsError::UnknownName {
            kind: "steel grade".into(),
            name: name.to_string(),
            suggestions: closest_names(name, cat.iter().map(|g| g.name.as_str())),
        })
}

/// Up to three names closest to `name` by case-insensitive edit distance.
pub fn closest_names<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let key: Vec<char> = name.to_lowercase().chars().collect();
    let mut scored: Vec<(usize, String)> = names
        .map(|n| {
            let c: Vec<char> = n.to_lowercase().chars().collect();
            (levenshtein(&key, &c), n.to_string())
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_required_grades() {
        for g in [
            "M235-35A", "M270-35A", "M400-50A", "M530-65A", "M800-50A", "M19",
        ] {
            let s = steel_grade(g).unwrap();
            assert_eq!(s.bh_h_a_per_m.len(), s.bh_b_t.len());
        }
        assert_eq!(steel_grade("m400-50a").unwrap().name, "M400-50A");
    }

    #[test]
    fn unknown_name_suggests_closest() {
        let e = steel_grade("M400-65A").unwrap_err();
        match e {
            MaterialsError::UnknownName { suggestions, .. } => {
                assert_eq!(suggestions[0], "M400-50A");
            }
            other => panic!("unexpected {other}"),
        }
    }

    /// Fit quality of the bundled tables (relative errors, kc classical). Multi-frequency tables
    /// span 50 Hz … 2.5 kHz and 0.1 … 1.8 T with one α; single-frequency ones are easier.
    #[test]
    fn bundled_loss_fits_are_accurate() {
        for g in catalogue().unwrap() {
            let Some(fit) = &g.loss_fit else {
                continue;
            };
            let multi = g.loss_f_hz.iter().any(|&f| f != g.loss_f_hz[0]);
            let (rms_max, max_max) = if multi { (0.15, 0.45) } else { (0.10, 0.35) };
            assert!(
                fit.rms_rel_error < rms_max && fit.max_rel_error < max_max,
                "{}: rms {} max {} params {:?}",
                g.name,
                fit.rms_rel_error,
                fit.max_rel_error,
                fit.model.params
            );
        }
    }
}
