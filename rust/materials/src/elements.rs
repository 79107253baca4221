//! Element accounting: kg of each element per kg of magnet, oxide equivalents (REO basis) and cost
//! from a dated, replaceable price table. Data: `data/element_data.csv` (standard atomic weights
//! and oxides) and `data/element_prices.csv` (default prices, each with date and source).

use std::sync::OnceLock;

use crate::error::{MaterialsError, Result};
use crate::magnets_csv::{self, Table};

const ELEMENT_CSV: &str = include_str!("../data/element_data.csv");
const PRICES_CSV: &str = include_str!("../data/element_prices.csv");

/// Name of the bucket for everything not listed as an element (additives, binder).
pub const OTHER: &str = "other";

/// One element with its standard atomic weight and reporting oxide.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub symbol: String,
    pub atomic_weight: f64,
    /// Oxide formula (e.g. `Nd2O3`), empty when none is reported.
    pub oxide: String,
    /// kg of oxide per kg of element (0 when there is no oxide).
    pub oxide_factor: f64,
}

/// Standard atomic weight of oxygen (conventional value), g/mol.
pub const ATOMIC_WEIGHT_O: f64 = 15.999;

fn load_elements() -> Result<Vec<Element>> {
    let t = magnets_csv::parse(ELEMENT_CSV, "element_data.csv")?;
    let (cs, cw, co, cm, cx) = (
        t.col("symbol")?,
        t.col("atomic_weight")?,
        t.col("oxide")?,
        t.col("oxide_metal_atoms")?,
        t.col("oxide_oxygen_atoms")?,
    );
    t.rows
        .iter()
        .map(|r| {
            let aw = t.num(r, cw)?;
            let (m, x) = (t.num(r, cm)?, t.num(r, cx)?);
            let oxide_factor = if m > 0.0 {
                (m * aw + x * ATOMIC_WEIGHT_O) / (m * aw)
            } else {
                0.0
            };
            Ok(Element {
                symbol: r[cs].clone(),
                atomic_weight: aw,
                oxide: r[co].clone(),
                oxide_factor,
            })
        })
        .collect()
}

/// All known elements (parsed once from the embedded CSV).
pub fn elements() -> Result<&'static [Element]> {
    static CELL: OnceLock<Result<Vec<Element>>> = OnceLock::new();
    CELL.get_or_init(load_elements)
        .as_deref()
        .map_err(Clone::clone)
}

/// Looks an element up by symbol (exact case, e.g. `Nd`).
pub fn element(symbol: &str) -> Result<&'static Element> {
    elements()?
        .iter()
        .find(|e| e.symbol == symbol)
        .ok_or_else(|| {
            MaterialsError::invalid(
                "element",
                symbol,
                format!(
                    "one of {} or '{OTHER}'",
                    elements()
                        .map(|v| v
                            .iter()
                            .map(|e| e.symbol.as_str())
                            .collect::<Vec<_>>()
                            .join(", "))
                        .unwrap_or_default()
                ),
            )
        })
}

/// Validates a composition in wt % (known symbols or `other`, finite, ≥ 0, summing to 100 ± 0.5)
/// and returns mass fractions (kg per kg) normalised to sum exactly to 1, in the input order.
pub fn mass_fractions(composition_wt_pct: &[(String, f64)]) -> Result<Vec<(String, f64)>> {
    let mut total = 0.0;
    for (sym, wt) in composition_wt_pct {
        if sym != OTHER {
            element(sym)?;
        }
        if !(wt.is_finite() && *wt >= 0.0) {
            return Err(MaterialsError::invalid(
                format!("composition_wt_pct[{sym}]"),
                wt,
                "a finite wt % >= 0",
            ));
        }
        total += wt;
    }
    if !(99.5..=100.5).contains(&total) {
        return Err(MaterialsError::invalid(
            "composition_wt_pct",
            format!("sum {total}"),
            "wt % summing to 100 (± 0.5)",
        ));
    }
    Ok(composition_wt_pct
        .iter()
        .map(|(s, w)| (s.clone(), w / total))
        .collect())
}

/// Whether a price is per kg of element or per kg of its oxide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceBasis {
    Element,
    Oxide,
}

/// One entry of a price table.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// Element symbol (basis Element) or oxide formula (basis Oxide).
    pub item: String,
    pub basis: PriceBasis,
    pub usd_per_kg: f64,
    pub date: String,
    pub source: String,
}

impl Price {
    /// Validated constructor; `basis` is "element" or "oxide".
    pub fn new(item: &str, basis: &str, usd_per_kg: f64, date: &str, source: &str) -> Result<Self> {
        let basis = match basis {
            "element" => PriceBasis::Element,
            "oxide" => PriceBasis::Oxide,
            _ => {
                return Err(MaterialsError::invalid(
                    format!("price basis of {item}"),
                    basis,
                    "'element' or 'oxide'",
                ))
            }
        };
        let known = match basis {
            PriceBasis::Element => elements()?.iter().any(|e| e.symbol == item),
            PriceBasis::Oxide => elements()?
                .iter()
                .any(|e| !e.oxide.is_empty() && e.oxide == item),
        };
        if !known {
            return Err(MaterialsError::invalid(
                "price item",
                item,
                "an element symbol (basis element) or an oxide of element_data.csv (basis oxide), e.g. Nd, Nd2O3, Dy2O3, Tb4O7",
            ));
        }
        if !(usd_per_kg.is_finite() && usd_per_kg >= 0.0) {
            return Err(MaterialsError::invalid(
                format!("usd_per_kg of {item}"),
                usd_per_kg,
                "finite and >= 0",
            ));
        }
        Ok(Self {
            item: item.to_string(),
            basis,
            usd_per_kg,
            date: date.to_string(),
            source: source.to_string(),
        })
    }
}

/// Parses a price table in the format of `data/element_prices.csv`
/// (columns item, basis, usd_per_kg, date, source; extra columns are ignored).
pub fn parse_prices(text: &str) -> Result<Vec<Price>> {
    let t: Table = magnets_csv::parse(text, "price table")?;
    let (ci, cb, cu, cd, cs) = (
        t.col("item")?,
        t.col("basis")?,
        t.col("usd_per_kg")?,
        t.col("date")?,
        t.col("source")?,
    );
    t.rows
        .iter()
        .map(|r| Price::new(&r[ci], &r[cb], t.num(r, cu)?, &r[cd], &r[cs]))
        .collect()
}

/// The embedded default price table.
pub fn default_prices() -> Result<&'static [Price]> {
    static CELL: OnceLock<Result<Vec<Price>>> = OnceLock::new();
    CELL.get_or_init(|| parse_prices(PRICES_CSV))
        .as_deref()
        .map_err(Clone::clone)
}

/// Element bill of a magnet mass.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementBill {
    pub mass_kg: f64,
    /// kg of each element (and `other`), in composition order.
    pub element_kg: Vec<(String, f64)>,
    /// kg of oxide equivalent per element with a reporting oxide and non-zero mass: (oxide, kg).
    pub oxide_kg: Vec<(String, f64)>,
    /// Cost per priced element in USD.
    pub cost_usd: Vec<(String, f64)>,
    pub total_cost_usd: f64,
    /// Elements with non-zero mass and no price (not costed).
    pub unpriced: Vec<String>,
}

/// Computes the element bill of `mass_kg` of magnet with the given composition and prices.
/// An element price wins over an oxide price for the same element.
pub fn element_bill(
    composition_wt_pct: &[(String, f64)],
    mass_kg: f64,
    prices: &[Price],
) -> Result<ElementBill> {
    if !(mass_kg.is_finite() && mass_kg >= 0.0) {
        return Err(MaterialsError::invalid(
            "mass_kg",
            mass_kg,
            "finite and >= 0",
        ));
    }
    let fractions = mass_fractions(composition_wt_pct)?;
    let mut bill = ElementBill {
        mass_kg,
        element_kg: Vec::new(),
        oxide_kg: Vec::new(),
        cost_usd: Vec::new(),
        total_cost_usd: 0.0,
        unpriced: Vec::new(),
    };
    for (sym, frac) in fractions {
        let kg = frac * mass_kg;
        bill.element_kg.push((sym.clone(), kg));
        if frac == 0.0 {
            continue;
        }
        if sym == OTHER {
            bill.unpriced.push(sym);
            continue;
        }
        let el = element(&sym)?;
        if !el.oxide.is_empty() {
            bill.oxide_kg.push((el.oxide.clone(), kg * el.oxide_factor));
        }
        let by_element = prices
            .iter()
            .find(|p| p.basis == PriceBasis::Element && p.item == sym);
        let by_oxide = prices
            .iter()
            .find(|p| p.basis == PriceBasis::Oxide && !el.oxide.is_empty() && p.item == el.oxide);
        let cost = match (by_element, by_oxide) {
            (Some(p), _) => Some(kg * p.usd_per_kg),
            (None, Some(p)) => Some(kg * el.oxide_factor * p.usd_per_kg),
            (None, None) => None,
        };
        match cost {
            Some(c) => {
                bill.total_cost_usd += c;
                bill.cost_usd.push((sym, c));
            }
            None => bill.unpriced.push(sym),
        }
    }
    Ok(bill)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn oxide_factors_from_atomic_weights() {
        let nd = element("Nd").unwrap();
        assert!((nd.oxide_factor - 1.16638).abs() < 1e-4); // Nd2O3: 336.48/288.48
        let tb = element("Tb").unwrap();
        assert!(
            (tb.oxide_factor - (4.0 * 158.925354 + 7.0 * 15.999) / (4.0 * 158.925354)).abs()
                < 1e-12
        );
        assert_eq!(element("O").unwrap().oxide_factor, 0.0);
    }

    #[test]
    fn default_prices_parse_and_cost() {
        let p = default_prices().unwrap();
        assert!(p.len() >= 5 && p.iter().all(|x| !x.date.is_empty() && !x.source.is_empty()));
        let comp = vec![("Nd".to_string(), 30.0), ("Fe".to_string(), 70.0)];
        let bill = element_bill(&comp, 2.0, p).unwrap();
        let nd2o3 = p.iter().find(|x| x.item == "Nd2O3").unwrap().usd_per_kg;
        assert!(
            (bill.total_cost_usd - 0.6 * element("Nd").unwrap().oxide_factor * nd2o3).abs() < 1e-9
        );
        assert_eq!(bill.unpriced, vec!["Fe".to_string()]);
    }

    #[test]
    fn bad_inputs() {
        assert!(mass_fractions(&[("Xx".into(), 100.0)]).is_err());
        assert!(mass_fractions(&[("Nd".into(), 50.0)]).is_err());
        assert!(mass_fractions(&[("Nd".into(), f64::NAN)]).is_err());
        assert!(Price::new("Nd2O3", "metal", 1.0, "", "").is_err());
        assert!(Price::new("NdO", "oxide", 1.0, "", "").is_err());
        assert!(Price::new("Nd", "element", -1.0, "", "").is_err());
        assert!(element_bill(&[("Nd".into(), 100.0)], f64::NAN, &[]).is_err());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn fractions_sum_to_one(w in proptest::collection::vec(0.0..10.0_f64, 4)) {
            let total: f64 = w.iter().sum::<f64>() + 1.0;
            let scale = 100.0 / total;
            let comp: Vec<(String, f64)> = ["Nd", "Pr", "Dy", "Tb"]
                .iter()
                .zip(&w)
                .map(|(s, x)| (s.to_string(), x * scale))
                .chain(std::iter::once(("Fe".to_string(), scale)))
                .collect();
            let f = mass_fractions(&comp).unwrap();
            prop_assert!((f.iter().map(|(_, x)| x).sum::<f64>() - 1.0).abs() < 1e-12);
            let bill = element_bill(&comp, 3.0, default_prices().unwrap()).unwrap();
            prop_assert!((bill.element_kg.iter().map(|(_, x)| x).sum::<f64>() - 3.0).abs() < 1e-9);
        }
    }
}
