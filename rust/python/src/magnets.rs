//! Bindings of the magnets API: catalogue lookups return plain dicts (the Python layer wraps them
//! in frozen dataclasses); vectorised curve kernels take read-only numpy arrays, release the GIL
//! and return new arrays.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use repm_materials::elements::{self, Price, PriceBasis};
use repm_materials::magnets::{self, DemagModel, MagnetGrade, Quantity};
use repm_materials::MaterialsError;

use crate::errors::materials_err;

type PriceTuple = (String, String, f64, String, String);
type ModelTuple = (f64, f64, f64, f64, f64, f64, f64, f64, f64);

fn grade_to_dict<'py>(py: Python<'py>, g: &MagnetGrade) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("name", &g.name)?;
    d.set_item("family", &g.family)?;
    d.set_item("coercivity_class", &g.coercivity_class)?;
    d.set_item("br_t", g.br_t)?;
    d.set_item("hcb_a_per_m", g.hcb_a_per_m)?;
    d.set_item("hcj_a_per_m", g.hcj_a_per_m)?;
    d.set_item("mu_rec", g.mu_rec)?;
    d.set_item("bhmax_j_per_m3", g.bhmax_j_per_m3)?;
    d.set_item("alpha_br_pct_per_c", g.alpha_br_pct_per_c)?;
    d.set_item("beta_hcj_pct_per_c", g.beta_hcj_pct_per_c)?;
    d.set_item("reference_temperature_c", g.reference_temperature_c)?;
    d.set_item("min_temperature_c", g.min_temperature_c)?;
    d.set_item("max_working_temperature_c", g.max_working_temperature_c)?;
    d.set_item("squareness", g.squareness)?;
    d.set_item("curie_temperature_c", g.curie_temperature_c)?;
    d.set_item("density_kg_per_m3", g.density_kg_per_m3)?;
    d.set_item("resistivity_ohm_m", g.resistivity_ohm_m)?;
    d.set_item("composition_wt_pct", g.composition_wt_pct.clone())?;
    d.set_item("source", &g.source)?;
    d.set_item("provenance", &g.provenance)?;
    d.set_item("notes", &g.notes)?;
    Ok(d)
}

fn missing(key: &str) -> PyErr {
    materials_err(MaterialsError::invalid(
        key,
        "missing",
        "a value is required",
    ))
}

fn get<'py, T: FromPyObjectOwned<'py>>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<Option<T>> {
    match d.get_item(key)? {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => v.extract::<T>().map(Some).map_err(|_| {
            materials_err(MaterialsError::invalid(
                key,
                v.repr().map(|r| r.to_string()).unwrap_or_default(),
                "a value of the documented type",
            ))
        }),
    }
}

fn req<'py, T: FromPyObjectOwned<'py>>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<T> {
    get(d, key)?.ok_or_else(|| missing(key))
}

/// Catalogue grade by name (case-insensitive) as a dict.
#[pyfunction]
fn magnet_grade<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyDict>> {
    let g = magnets::grade(name).map_err(materials_err)?;
    grade_to_dict(py, g)
}

/// Catalogue names, optionally of one family.
#[pyfunction]
#[pyo3(signature = (family=None))]
fn magnet_list(family: Option<&str>) -> PyResult<Vec<String>> {
    magnets::list_grades(family).map_err(materials_err)
}

/// Family names.
#[pyfunction]
fn magnet_families() -> Vec<&'static str> {
    magnets::FAMILIES.to_vec()
}

/// (squareness, min_temperature_c, curie_temperature_c) of a family.
#[pyfunction]
fn magnet_family_model(family: &str) -> PyResult<(f64, f64, Option<f64>)> {
    let f = magnets::family_model(family).map_err(materials_err)?;
    Ok((f.squareness, f.min_temperature_c, f.curie_temperature_c))
}

/// Ce-substituted NdFeB model grade as a dict.
#[pyfunction]
#[pyo3(signature = (ce_share_pct, hcj_a_per_m=None, br0_t=None, name=None))]
fn magnet_ce_substituted<'py>(
    py: Python<'py>,
    ce_share_pct: f64,
    hcj_a_per_m: Option<f64>,
    br0_t: Option<f64>,
    name: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let g =
        magnets::ce_substituted(ce_share_pct, hcj_a_per_m, br0_t, name).map_err(materials_err)?;
    grade_to_dict(py, &g)
}

/// Validates a complete user grade dict (hcb/bhmax may be None: computed from the curve).
#[pyfunction]
fn magnet_validate<'py>(
    py: Python<'py>,
    props: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyDict>> {
    let hcb: Option<f64> = get(props, "hcb_a_per_m")?;
    let bhmax: Option<f64> = get(props, "bhmax_j_per_m3")?;
    let mut g = MagnetGrade {
        name: req(props, "name")?,
        family: req(props, "family")?,
        coercivity_class: get(props, "coercivity_class")?.unwrap_or_default(),
        br_t: req(props, "br_t")?,
        hcb_a_per_m: hcb.unwrap_or(1.0),
        hcj_a_per_m: req(props, "hcj_a_per_m")?,
        mu_rec: req(props, "mu_rec")?,
        bhmax_j_per_m3: bhmax.unwrap_or(1.0),
        alpha_br_pct_per_c: req(props, "alpha_br_pct_per_c")?,
        beta_hcj_pct_per_c: req(props, "beta_hcj_pct_per_c")?,
        reference_temperature_c: req(props, "reference_temperature_c")?,
        min_temperature_c: req(props, "min_temperature_c")?,
        max_working_temperature_c: req(props, "max_working_temperature_c")?,
        squareness: req(props, "squareness")?,
        curie_temperature_c: get(props, "curie_temperature_c")?,
        density_kg_per_m3: req(props, "density_kg_per_m3")?,
        resistivity_ohm_m: req(props, "resistivity_ohm_m")?,
        composition_wt_pct: req(props, "composition_wt_pct")?,
        source: get(props, "source")?.unwrap_or_default(),
        provenance: get(props, "provenance")?.unwrap_or_else(|| "user".to_string()),
        notes: get(props, "notes")?.unwrap_or_default(),
    };
    let model = g.model().map_err(materials_err)?;
    let t_ref = g.reference_temperature_c;
    if hcb.is_none() {
        g.hcb_a_per_m = model.hcb_at(t_ref).map_err(materials_err)?;
    }
    if bhmax.is_none() {
        g.bhmax_j_per_m3 = model.bhmax_at(t_ref).map_err(materials_err)?;
    }
    g.validate().map_err(materials_err)?;
    grade_to_dict(py, &g)
}

/// Vectorised curve kernel: quantity in {br, hcj, knee, b, j, margin}; `model` is
/// (br_t, hcj_a_per_m, alpha, beta, t_ref, t_min, t_max, mu_rec, squareness).
#[pyfunction]
fn magnet_eval<'py>(
    py: Python<'py>,
    quantity: &str,
    model: ModelTuple,
    h: PyReadonlyArray1<'py, f64>,
    t: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let q = Quantity::parse(quantity).map_err(materials_err)?;
    let (br, hcj, a, b, tr, t0, t1, mu, s) = model;
    let m = DemagModel::new(br, hcj, a, b, tr, t0, t1, mu, s).map_err(materials_err)?;
    let (h, t) = (h.as_slice()?, t.as_slice()?);
    let out = py.detach(|| m.eval_many(q, h, t)).map_err(materials_err)?;
    Ok(out.into_pyarray(py))
}

fn to_prices(prices: Option<Vec<PriceTuple>>) -> Result<Vec<Price>, MaterialsError> {
    match prices {
        None => Ok(elements::default_prices()?.to_vec()),
        Some(v) => v
            .iter()
            .map(|(i, b, u, d, s)| Price::new(i, b, *u, d, s))
            .collect(),
    }
}

fn price_tuple(p: &Price) -> PriceTuple {
    let basis = match p.basis {
        PriceBasis::Element => "element",
        PriceBasis::Oxide => "oxide",
    };
    (
        p.item.clone(),
        basis.to_string(),
        p.usd_per_kg,
        p.date.clone(),
        p.source.clone(),
    )
}

/// Element bill as a dict (element_kg, oxide_kg, cost_usd, total_cost_usd, unpriced, prices).
#[pyfunction]
#[pyo3(signature = (composition_wt_pct, mass_kg, prices=None))]
fn magnet_element_bill<'py>(
    py: Python<'py>,
    composition_wt_pct: Vec<(String, f64)>,
    mass_kg: f64,
    prices: Option<Vec<PriceTuple>>,
) -> PyResult<Bound<'py, PyDict>> {
    let prices = to_prices(prices).map_err(materials_err)?;
    let bill =
        elements::element_bill(&composition_wt_pct, mass_kg, &prices).map_err(materials_err)?;
    let d = PyDict::new(py);
    d.set_item("mass_kg", bill.mass_kg)?;
    d.set_item("element_kg", bill.element_kg)?;
    d.set_item("oxide_kg", bill.oxide_kg)?;
    d.set_item("cost_usd", bill.cost_usd)?;
    d.set_item("total_cost_usd", bill.total_cost_usd)?;
    d.set_item("unpriced", bill.unpriced)?;
    d.set_item("prices", prices.iter().map(price_tuple).collect::<Vec<_>>())?;
    Ok(d)
}

/// The embedded default price table as (item, basis, usd_per_kg, date, source) tuples.
#[pyfunction]
fn magnet_default_prices() -> PyResult<Vec<PriceTuple>> {
    Ok(elements::default_prices()
        .map_err(materials_err)?
        .iter()
        .map(price_tuple)
        .collect())
}

/// Parses and validates a price CSV text (same columns as the default table).
#[pyfunction]
fn magnet_parse_prices(text: &str) -> PyResult<Vec<PriceTuple>> {
    Ok(elements::parse_prices(text)
        .map_err(materials_err)?
        .iter()
        .map(price_tuple)
        .collect())
}

/// Validates price tuples (item, basis, usd_per_kg, date, source).
#[pyfunction]
fn magnet_check_prices(prices: Vec<PriceTuple>) -> PyResult<Vec<PriceTuple>> {
    Ok(to_prices(Some(prices))
        .map_err(materials_err)?
        .iter()
        .map(price_tuple)
        .collect())
}

/// (symbol, atomic_weight, oxide, kg oxide per kg element) for every known element.
#[pyfunction]
fn magnet_element_data() -> PyResult<Vec<(String, f64, String, f64)>> {
    Ok(elements::elements()
        .map_err(materials_err)?
        .iter()
        .map(|e| {
            (
                e.symbol.clone(),
                e.atomic_weight,
                e.oxide.clone(),
                e.oxide_factor,
            )
        })
        .collect())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(magnet_grade, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_list, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_families, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_family_model, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_ce_substituted, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_validate, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_eval, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_element_bill, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_default_prices, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_parse_prices, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_check_prices, m)?)?;
    m.add_function(wrap_pyfunction!(magnet_element_data, m)?)?;
    Ok(())
}
