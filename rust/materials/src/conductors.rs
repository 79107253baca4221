//! Conductor resistivity against temperature, ρ(T) = ρ20·(1 + α20·(T − 20 °C)).
//!
//! Catalogue values (SI):
//! * **copper**: annealed copper standard, IEC 60028: ρ20 = 1/58 Ω·mm²/m = 1.724 137…e-8 Ω·m,
//!   α20 = 0.00393 /K, density 8890 kg/m³.
//! * **aluminium**: hard-drawn aluminium wire, IEC 60889: ρ20 = 0.028264 Ω·mm²/m
//!   = 2.8264e-8 Ω·m, α20 = 0.00403 /K, density 2703 kg/m³.
//!
//! The linear law is used from −50 °C to 250 °C (the validity range is a **model assumption**: the
//! standards give α at 20 °C only; the linear law is within about 1 % of tabulated copper data
//! over this range); outside it, evaluation fails with `TemperatureOutOfRange`.

use crate::error::{require_finite, MaterialsError, Result};

/// Default validity range of the linear law in °C (model assumption, see the module docs).
pub const T_MIN_C: f64 = -50.0;
pub const T_MAX_C: f64 = 250.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Conductor {
    pub name: String,
    pub resistivity_20c_ohm_m: f64,
    pub alpha_20_per_k: f64,
    pub density_kg_per_m3: f64,
    pub temperature_min_c: f64,
    pub temperature_max_c: f64,
    pub source: String,
}

impl Conductor {
    /// A validated conductor (user-defined or from the catalogue).
    pub fn new(
        name: &str,
        resistivity_20c_ohm_m: f64,
        alpha_20_per_k: f64,
        density_kg_per_m3: f64,
        temperature_min_c: f64,
        temperature_max_c: f64,
        source: &str,
    ) -> Result<Self> {
        crate::error::require_positive("resistivity_20c_ohm_m", resistivity_20c_ohm_m)?;
        require_finite("alpha_20_per_k", alpha_20_per_k)?;
        crate::error::require_positive("density_kg_per_m3", density_kg_per_m3)?;
        require_finite("temperature_min_c", temperature_min_c)?;
        require_finite("temperature_max_c", temperature_max_c)?;
        if temperature_min_c >= temperature_max_c || temperature_min_c < -273.15 {
            return Err(MaterialsError::invalid(
                "temperature_max_c",
                temperature_max_c,
                format!(
                    "must exceed temperature_min_c = {temperature_min_c} (which must be >= -273.15)"
                ),
            ));
        }
        // The resistivity must stay positive over the whole range.
        for t in [temperature_min_c, temperature_max_c] {
            if 1.0 + alpha_20_per_k * (t - 20.0) <= 0.0 {
                return Err(MaterialsError::invalid(
                    "alpha_20_per_k",
                    alpha_20_per_k,
                    format!("gives a resistivity <= 0 at {t} °C inside the validity range"),
                ));
            }
        }
        Ok(Self {
            name: name.to_string(),
            resistivity_20c_ohm_m,
            alpha_20_per_k,
            density_kg_per_m3,
            temperature_min_c,
            temperature_max_c,
            source: source.to_string(),
        })
    }

    /// ρ in Ω·m at each temperature in °C.
    pub fn resistivity_ohm_m(&self, temperature_c: &[f64]) -> Result<Vec<f64>> {
        temperature_c
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                require_finite(&format!("temperature_c[{i}]"), t)?;
                if t < self.temperature_min_c || t > self.temperature_max_c {
                    return Err(MaterialsError::TemperatureOutOfRange {
                        what: format!("conductor '{}'", self.name),
                        value: t,
                        min: self.temperature_min_c,
                        max: self.temperature_max_c,
                    });
                }
                Ok(self.resistivity_20c_ohm_m * (1.0 + self.alpha_20_per_k * (t - 20.0)))
            })
            .collect()
    }
}

/// The built-in conductors.
pub fn conductors() -> Vec<Conductor> {
    vec![
        Conductor {
            name: "copper".into(),
            resistivity_20c_ohm_m: 1e-6 / 58.0,
            alpha_20_per_k: 0.00393,
            density_kg_per_m3: 8890.0,
            temperature_min_c: T_MIN_C,
            temperature_max_c: T_MAX_C,
            source: "IEC 60028 (international standard of resistance for annealed copper): 1/58 ohm.mm2/m and 0.00393 /K at 20 degC; density 8.89 g/cm3".into(),
        },
        Conductor {
            name: "aluminium".into(),
            resistivity_20c_ohm_m: 0.028264e-6,
            alpha_20_per_k: 0.00403,
            density_kg_per_m3: 2703.0,
            temperature_min_c: T_MIN_C,
            temperature_max_c: T_MAX_C,
            source: "IEC 60889 (hard-drawn aluminium wire): 0.028264 ohm.mm2/m and 0.00403 /K at 20 degC; density 2.703 g/cm3".into(),
        },
    ]
}

/// Looks a conductor up by name (case-insensitive; "aluminum" is accepted for "aluminium",
/// "cu"/"al" as symbols).
pub fn conductor(name: &str) -> Result<Conductor> {
    let key = match name.trim().to_lowercase().as_str() {
        "cu" => "copper".to_string(),
        "al" | "aluminum" => "aluminium".to_string(),
        other => other.to_string(),
    };
    let all = conductors();
    all.iter()
        .find(|c| c.name == key)
        .cloned()
        .ok_or_else(|| MaterialsError::UnknownName {
            kind: "conductor".into(),
            name: name.to_string(),
            suggestions: crate::steel::closest_names(name, all.iter().map(|c| c.name.as_str())),
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn copper_values() {
        let cu = conductor("Copper").unwrap();
        let r = cu.resistivity_ohm_m(&[20.0, 120.0]).unwrap();
        assert!((r[0] - 1.724_137_931e-8).abs() < 1e-17);
        assert!((r[1] / r[0] - 1.393).abs() < 1e-12);
        assert_eq!(conductor("al").unwrap().name, "aluminium");
        assert!(matches!(
            conductor("gold"),
            Err(MaterialsError::UnknownName { .. })
        ));
        assert!(matches!(
            cu.resistivity_ohm_m(&[300.0]),
            Err(MaterialsError::TemperatureOutOfRange { .. })
        ));
        assert!(cu.resistivity_ohm_m(&[f64::NAN]).is_err());
        assert!(Conductor::new("x", -1.0, 0.004, 8900.0, -50.0, 250.0, "").is_err());
        assert!(Conductor::new("x", 1e-8, 0.004, 8900.0, 100.0, 50.0, "").is_err());
    }

    proptest! {
        #[test]
        fn resistivity_increases_with_temperature(a in -50.0f64..250.0, b in -50.0f64..250.0) {
            for c in conductors() {
                let r = c.resistivity_ohm_m(&[a, b]).unwrap();
                prop_assert!(r[0] > 0.0 && r[1] > 0.0);
                if a < b { prop_assert!(r[0] < r[1]); }
            }
        }
    }
}
