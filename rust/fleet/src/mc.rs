//! Monte Carlo over uncertain inputs, streaming: memory is O(motors + samples), never
//! motors × samples.
//!
//! Uncertain inputs and their distributions (all symmetric, bounded, mean = the input value):
//! * per motor and sample: load fraction ×(1 + σ_load·t), hours ×(1 + σ_hours·t) (capped at
//!   8760 h), t triangular with unit standard deviation ([`crate::rng::two_triangular`]); rated loss
//!   ratios λ of the induction motor and of the replacement ×(1 + τ·u), u uniform in (−1, 1),
//!   τ the IEC 60034-1 efficiency tolerance on (1 − η): 0.15 up to 150 kW, 0.10 above
//!   (independently for both motors);
//! * per sample, common to the whole fleet (systematic): electricity price ×(1 + σ_price·t),
//!   emission factor ×(1 + σ_emission·t), magnet-mass model ×(1 + σ_magnet·t).
//!
//! Fleet totals per sample are summed in fixed point (`i128` counts of 1/[`FIXED_SCALE`]) so
//! that any chunking gives identical bits; per-motor statistics depend only on that motor.

use rayon::prelude::*;

use crate::economics::Finance;
use crate::error::{check_len, check_param, Result};
use crate::model::{FleetColumns, MotorPoint, HOURS_PER_YEAR, MAX_LOAD};
use crate::rng::{
    bits, counter, mix, motor_base, triangular, two_symmetric_uniforms, two_triangular_exact,
};

/// Fixed-point scale of the fleet totals: resolution 1/1024 of the unit (kWh, currency, kg).
pub const FIXED_SCALE: f64 = 1024.0;
/// Largest relative standard deviation: keeps 1 + σ·t > 0 for the bounded triangular t (±√6).
pub const MAX_REL_SD: f64 = 0.4;
/// Key of the fleet-wide (common) random streams.
const COMMON_KEY: u64 = 0x636F_6D6D_6F6E_0000;

/// Settings of a Monte Carlo run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct McSpec {
    pub seed: u64,
    pub samples: u32,
    pub load_rel_sd: f64,
    pub hours_rel_sd: f64,
    pub price_rel_sd: f64,
    pub emission_rel_sd: f64,
    pub magnet_rel_sd: f64,
    /// Vary rated losses within the IEC 60034-1 tolerance.
    pub efficiency_tolerance: bool,
    /// Also compute per-motor P10/P50/P90 of NPV (needs a sort per motor).
    pub motor_quantiles: bool,
}

impl McSpec {
    pub fn validate(&self) -> Result<()> {
        check_param(
            "samples",
            f64::from(self.samples),
            1.0,
            1e6,
            "an integer in [1, 1e6]",
        )?;
        let sd = "a relative standard deviation in [0, 0.4]";
        check_param("load_rel_sd", self.load_rel_sd, 0.0, MAX_REL_SD, sd)?;
        check_param("hours_rel_sd", self.hours_rel_sd, 0.0, MAX_REL_SD, sd)?;
        check_param("price_rel_sd", self.price_rel_sd, 0.0, MAX_REL_SD, sd)?;
        check_param("emission_rel_sd", self.emission_rel_sd, 0.0, MAX_REL_SD, sd)?;
        check_param("magnet_rel_sd", self.magnet_rel_sd, 0.0, MAX_REL_SD, sd)
    }
}

/// Fleet-wide per-sample factors (price, emission factor, magnet-mass model).
#[derive(Debug, Clone, PartialEq)]
pub struct CommonFactors {
    pub price: Vec<f64>,
    pub emission: Vec<f64>,
    pub magnet: Vec<f64>,
}

pub fn common_factors(spec: &McSpec) -> CommonFactors {
    let base = motor_base(spec.seed, COMMON_KEY);
    let f = |s: u32, stream: u8, sd: f64| 1.0 + sd * triangular(bits(base, s, stream));
    CommonFactors {
        price: (0..spec.samples)
            .map(|s| f(s, 10, spec.price_rel_sd))
            .collect(),
        emission: (0..spec.samples)
            .map(|s| f(s, 11, spec.emission_rel_sd))
            .collect(),
        magnet: (0..spec.samples)
            .map(|s| f(s, 12, spec.magnet_rel_sd))
            .collect(),
    }
}

/// Results of a Monte Carlo run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct McResult {
    /// Per-sample totals over the included motors, fixed point (value·[`FIXED_SCALE`]).
    pub total_savings_kwh: Vec<i128>,
    pub total_value: Vec<i128>,
    pub total_npv: Vec<i128>,
    pub total_co2_kg: Vec<i128>,
    /// Per-motor statistics over the samples.
    pub npv_mean: Vec<f64>,
    pub npv_sd: Vec<f64>,
    pub prob_npv_positive: Vec<f64>,
    pub savings_mean_kwh: Vec<f64>,
    /// Per-motor NPV quantiles (empty unless `motor_quantiles`); linear interpolation between
    /// order statistics (numpy's default).
    pub npv_p10: Vec<f64>,
    pub npv_p50: Vec<f64>,
    pub npv_p90: Vec<f64>,
}

/// Fixed-point count of `x`: x·[`FIXED_SCALE`] rounded to the nearest integer, ties to even.
#[inline]
fn fixed(x: f64) -> i128 {
    (x * FIXED_SCALE).round_ties_even() as i128
}

/// 1.5·2⁵²: adding it to |y| < 2⁵¹ leaves y rounded to an integer (ties to even, the default
/// rounding) in the low mantissa bits, without a float-to-integer conversion.
const ROUNDING_MAGIC: f64 = 6_755_399_441_055_744.0;
/// Counts below this magnitude take [`add_fixed`]'s fast path (2⁵¹).
const FAST_COUNT_LIMIT: f64 = 2_251_799_813_685_248.0;

/// Adds [`fixed`]`(x)` to `small` (i64: a chunk of [`CHUNK`] motors each below 2⁵¹ cannot
/// overflow it) or, for the rare huge value, to `big`; both give the same integer as
/// [`fixed`], so the totals do not depend on the path or on the chunking.
#[inline(always)]
fn add_fixed(x: f64, small: &mut i64, big: &mut i128) {
    let y = x * FIXED_SCALE;
    if y.abs() < FAST_COUNT_LIMIT {
        *small += ((y + ROUNDING_MAGIC).to_bits() as i64) - (ROUNDING_MAGIC.to_bits() as i64);
    } else {
        *big += fixed(x);
    }
}

/// Quantile q of sorted values, linear interpolation.
pub fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let pos = q * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    let w = pos - lo as f64;
    v[lo] + w * (v[hi] - v[lo])
}

/// Integer key whose order is `f64::total_cmp`'s (the transform `total_cmp` itself uses).
#[inline]
fn total_key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ ((((b >> 63) as u64) >> 1) as i64)
}

/// Inverse of [`total_key`] (the transform is an involution).
#[inline]
fn from_total_key(k: i64) -> f64 {
    f64::from_bits((k ^ ((((k >> 63) as u64) >> 1) as i64)) as u64)
}

struct Chunk {
    /// Fleet totals (savings, value, NPV, CO2) per sample, interleaved `[4·s + k]`: fast-path
    /// counts and the rare huge ones (see [`add_fixed`]).
    acc: Vec<i64>,
    acc_big: Vec<i128>,
    npv_mean: Vec<f64>,
    npv_sd: Vec<f64>,
    prob: Vec<f64>,
    sav_mean: Vec<f64>,
    q: [Vec<f64>; 3],
}

const CHUNK: usize = 1024;

/// Runs the Monte Carlo. `include[i]`: motor i counts in the fleet totals (the selected
/// program); per-motor statistics are computed for every motor.
pub fn monte_carlo(
    f: &FleetColumns<'_>,
    include: &[bool],
    fin: &Finance,
    spec: &McSpec,
) -> Result<McResult> {
    f.validate()?;
    fin.validate()?;
    spec.validate()?;
    check_len("include", include.len(), f.len())?;
    let s_n = spec.samples as usize;
    let common = common_factors(spec);
    let annuity = fin.annuity_factor();
    let n = f.len();
    let chunks: Vec<Chunk> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let lo = c * CHUNK;
            let hi = (lo + CHUNK).min(n);
            run_chunk(ChunkJob {
                f,
                include,
                spec,
                common: &common,
                annuity,
                lo,
                hi,
            })
        })
        .collect();
    let mut out = McResult {
        total_savings_kwh: vec![0; s_n],
        total_value: vec![0; s_n],
        total_npv: vec![0; s_n],
        total_co2_kg: vec![0; s_n],
        ..Default::default()
    };
    for ch in chunks {
        let count = |k: usize| i128::from(ch.acc[k]) + ch.acc_big[k];
        for s in 0..s_n {
            out.total_savings_kwh[s] += count(4 * s);
            out.total_value[s] += count(4 * s + 1);
            out.total_npv[s] += count(4 * s + 2);
            out.total_co2_kg[s] += count(4 * s + 3);
        }
        out.npv_mean.extend(ch.npv_mean);
        out.npv_sd.extend(ch.npv_sd);
        out.prob_npv_positive.extend(ch.prob);
        out.savings_mean_kwh.extend(ch.sav_mean);
        let [a, b, cq] = ch.q;
        out.npv_p10.extend(a);
        out.npv_p50.extend(b);
        out.npv_p90.extend(cq);
    }
    Ok(out)
}

/// Per-sample data shared by every motor: the counter words of the two per-motor streams and
/// the common factors.
struct Samples<'a> {
    ctr_tri: Vec<u64>,
    ctr_tol: Vec<u64>,
    price: &'a [f64],
    emission: &'a [f64],
    load_rel_sd: f64,
    hours_rel_sd: f64,
}

/// Per-motor constants of the savings model, hoisted out of the sample loop (`1 − c0`
/// precomputed: the same value `input_kw` computes).
#[derive(Clone, Copy)]
struct Motor {
    rated_kw: f64,
    im_lam: f64,
    im_c0: f64,
    im_c1: f64,
    pm_lam: f64,
    pm_c0: f64,
    pm_c1: f64,
    slip: f64,
    trim_efficiency: f64,
}

/// Savings formula of a motor, fixed for all its samples (the loop is compiled once per kind).
/// `SAME_POINT`: the replacement works at the IM's load fraction with no extra loss (trimmed
/// with efficiency 1, or untrimmed on a VSD: `x·1` and `/1` are exact no-ops).
const SAME_POINT: u8 = 0;
/// Trimmed with a trim efficiency below 1.
const TRIM_LOSS: u8 = 1;
/// Untrimmed on direct-on-line: speed effect with affinity exponent 1, 2 or 3.
const DOL_1: u8 = 2;
const DOL_2: u8 = 3;
const DOL_3: u8 = 4;

impl Motor {
    /// `MotorPoint::savings_kw` with the same operations in the same order (bit-identical).
    #[inline(always)]
    fn savings_kw<const KIND: u8>(&self, x: f64, im_lam: f64, pm_lam: f64) -> f64 {
        let p_im = self.rated_kw * (x + im_lam * (self.im_c0 + self.im_c1 * x * x));
        let pm = |x: f64| self.rated_kw * (x + pm_lam * (self.pm_c0 + self.pm_c1 * x * x));
        match KIND {
            SAME_POINT => p_im - pm(x),
            TRIM_LOSS => p_im - pm(x) / self.trim_efficiency,
            _ => {
                let r = 1.0 / (1.0 - self.slip * x);
                let ratio = match KIND {
                    DOL_1 => r,
                    DOL_2 => r * r,
                    _ => r * r * r,
                };
                p_im - pm(x * ratio)
            }
        }
    }
}

/// Pass 1 of one motor: annual savings per sample (kWh) into `ebuf`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn savings_pass<const KIND: u8, const TOL: bool, const ONE_BIN: bool>(
    m: &Motor,
    bins: &[(f64, f64)],
    base: u64,
    tol: f64,
    b_max: f64,
    smp: &Samples<'_>,
    ebuf: &mut [f64],
) {
    let (x1, h1) = bins.first().copied().unwrap_or((0.0, 0.0));
    let mut hb = [0u64; HASH_BLOCK];
    let mut ht = [0u64; HASH_BLOCK];
    for ((eb, cb), tb) in ebuf
        .chunks_mut(HASH_BLOCK)
        .zip(smp.ctr_tri.chunks(HASH_BLOCK))
        .zip(smp.ctr_tol.chunks(HASH_BLOCK))
    {
        // Hashes first (integer loop), then the floating-point model (its own loop).
        for (h, &c) in hb.iter_mut().zip(cb) {
            *h = mix(base ^ c);
        }
        if TOL {
            for (h, &c) in ht.iter_mut().zip(tb) {
                *h = mix(base ^ c);
            }
        }
        for ((e_out, &h0), &h2) in eb.iter_mut().zip(&hb).zip(&ht) {
            let (t_load, t_hours) = two_triangular_exact(h0);
            let a = 1.0 + smp.load_rel_sd * t_load;
            let b = (1.0 + smp.hours_rel_sd * t_hours).min(b_max);
            let (mut im_lam, mut pm_lam) = (m.im_lam, m.pm_lam);
            if TOL {
                let (v1, v2) = two_symmetric_uniforms(h2);
                im_lam *= 1.0 + tol * v1;
                pm_lam *= 1.0 + tol * v2;
            }
            let mut e = 0.0;
            if ONE_BIN {
                e += h1 * m.savings_kw::<KIND>((x1 * a).min(MAX_LOAD), im_lam, pm_lam);
            } else {
                for &(x, h) in bins {
                    e += h * m.savings_kw::<KIND>((x * a).min(MAX_LOAD), im_lam, pm_lam);
                }
            }
            *e_out = e * b;
        }
    }
}

const HASH_BLOCK: usize = 64;

/// Dispatches to the pass compiled for this motor's kind.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn savings_dispatch(
    kind: u8,
    m: &Motor,
    bins: &[(f64, f64)],
    base: u64,
    tol: f64,
    b_max: f64,
    smp: &Samples<'_>,
    ebuf: &mut [f64],
) {
    macro_rules! go {
        ($k:expr) => {
            match (tol > 0.0, bins.len() == 1) {
                (true, true) => {
                    savings_pass::<{ $k }, true, true>(m, bins, base, tol, b_max, smp, ebuf)
                }
                (true, false) => {
                    savings_pass::<{ $k }, true, false>(m, bins, base, tol, b_max, smp, ebuf)
                }
                (false, true) => {
                    savings_pass::<{ $k }, false, true>(m, bins, base, tol, b_max, smp, ebuf)
                }
                (false, false) => {
                    savings_pass::<{ $k }, false, false>(m, bins, base, tol, b_max, smp, ebuf)
                }
            }
        };
    }
    match kind {
        SAME_POINT => go!(SAME_POINT),
        TRIM_LOSS => go!(TRIM_LOSS),
        DOL_1 => go!(DOL_1),
        DOL_2 => go!(DOL_2),
        _ => go!(DOL_3),
    }
}

/// Motors `lo..hi` of a Monte Carlo run: the unit of parallel work.
struct ChunkJob<'a, 'b> {
    f: &'a FleetColumns<'b>,
    include: &'a [bool],
    spec: &'a McSpec,
    common: &'a CommonFactors,
    annuity: f64,
    lo: usize,
    hi: usize,
}

/// Runs the job with the kernel compiled for the widest vector unit this CPU has (`pulp`
/// dispatch: AVX-512 or AVX2 where available, else the baseline).
///
/// The vector width only changes how many samples the hashing and the model process per
/// instruction: Rust never fuses a multiply and an add on its own and no sum is reordered, so
/// every path gives the same bits.
fn run_chunk(job: ChunkJob<'_, '_>) -> Chunk {
    pulp::Arch::new().dispatch(job)
}

impl pulp::WithSimd for ChunkJob<'_, '_> {
    type Output = Chunk;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) -> Chunk {
        self.run()
    }
}

impl ChunkJob<'_, '_> {
    /// The kernel, inlined into each target-feature copy made by [`run_chunk`].
    #[inline(always)]
    fn run(self) -> Chunk {
        let ChunkJob {
            f,
            include,
            spec,
            common,
            annuity,
            lo,
            hi,
        } = self;
        let s_n = spec.samples as usize;
        let m = hi - lo;
        let mut ch = Chunk {
            acc: vec![0; 4 * s_n],
            acc_big: vec![0; 4 * s_n],
            npv_mean: Vec::with_capacity(m),
            npv_sd: Vec::with_capacity(m),
            prob: Vec::with_capacity(m),
            sav_mean: Vec::with_capacity(m),
            q: [Vec::new(), Vec::new(), Vec::new()],
        };
        let smp = Samples {
            ctr_tri: (0..spec.samples).map(|s| counter(s, 0)).collect(),
            ctr_tol: (0..spec.samples).map(|s| counter(s, 2)).collect(),
            price: &common.price,
            emission: &common.emission,
            load_rel_sd: spec.load_rel_sd,
            hours_rel_sd: spec.hours_rel_sd,
        };
        // NPV per sample of the current motor (sorted in place for the quantiles).
        let mut nbuf: Vec<f64> = Vec::with_capacity(s_n);
        let mut kbuf: Vec<i64> = Vec::with_capacity(if spec.motor_quantiles { s_n } else { 0 });
        let mut bins: Vec<(f64, f64)> = Vec::with_capacity(4);
        let mut ebuf = vec![0.0f64; s_n];
        for (i, &inc) in include.iter().enumerate().take(hi).skip(lo) {
            let base = motor_base(spec.seed, f.key[i]);
            let m0 = MotorPoint::of(f, i);
            let tol = if spec.efficiency_tolerance {
                if m0.rated_kw <= 150.0 {
                    0.15
                } else {
                    0.10
                }
            } else {
                0.0
            };
            bins.clear();
            bins.extend(f.bins(i));
            let hours: f64 = bins.iter().map(|&(_, h)| h).sum();
            let b_max = if hours > 0.0 {
                HOURS_PER_YEAR / hours
            } else {
                1.0
            };
            let motor = Motor {
                rated_kw: m0.rated_kw,
                im_lam: m0.im_loss_ratio,
                im_c0: m0.im_c0,
                im_c1: 1.0 - m0.im_c0,
                pm_lam: m0.pm_loss_ratio,
                pm_c0: m0.pm_c0,
                pm_c1: 1.0 - m0.pm_c0,
                slip: m0.slip_rated,
                trim_efficiency: m0.trim_efficiency,
            };
            let kind = if f.trimmed[i] {
                if m0.trim_efficiency == 1.0 {
                    SAME_POINT
                } else {
                    TRIM_LOSS
                }
            } else if m0.on_vsd {
                SAME_POINT
            } else {
                match m0.exponent as i32 {
                    1 => DOL_1,
                    2 => DOL_2,
                    _ => DOL_3,
                }
            };
            // Pass 1: annual savings per sample (kWh).
            savings_dispatch(kind, &motor, &bins, base, tol, b_max, &smp, &mut ebuf);
            // Pass 2: money, CO2, fleet totals and per-motor statistics.
            let price = f.price_per_kwh[i];
            let ef = f.emission_kg_per_kwh[i];
            let capex = f.capex[i];
            let (mut s1, mut s2, mut pos, mut sav) = (0.0, 0.0, 0u32, 0.0);
            nbuf.clear();
            nbuf.extend(
                ebuf.iter()
                    .zip(smp.price)
                    .map(|(&e, &cp)| e * price * cp * annuity - capex),
            );
            for (&e, &npv) in ebuf.iter().zip(&nbuf) {
                s1 += npv;
                s2 += npv * npv;
                sav += e;
                pos += u32::from(npv > 0.0);
            }
            if inc {
                let it = ebuf.iter().zip(smp.price).zip(smp.emission).zip(&nbuf);
                let small = ch
                    .acc
                    .chunks_exact_mut(4)
                    .zip(ch.acc_big.chunks_exact_mut(4));
                for ((((&e, &cp), &ce), &npv), (small, big)) in it.zip(small) {
                    for (k, x) in [e, e * price * cp, npv, e * ef * ce]
                        .into_iter()
                        .enumerate()
                    {
                        add_fixed(x, &mut small[k], &mut big[k]);
                    }
                }
            }
            let sf = f64::from(spec.samples);
            let mean = s1 / sf;
            ch.npv_mean.push(mean);
            ch.npv_sd.push((s2 / sf - mean * mean).max(0.0).sqrt());
            ch.prob.push(f64::from(pos) / sf);
            ch.sav_mean.push(sav / sf);
            if spec.motor_quantiles {
                // Sorted as integers in f64::total_cmp order (same order, cheaper comparisons).
                kbuf.clear();
                kbuf.extend(nbuf.iter().map(|&x| total_key(x)));
                kbuf.sort_unstable();
                nbuf.clear();
                nbuf.extend(kbuf.iter().map(|&k| from_total_key(k)));
                ch.q[0].push(quantile_sorted(&nbuf, 0.1));
                ch.q[1].push(quantile_sorted(&nbuf, 0.5));
                ch.q[2].push(quantile_sorted(&nbuf, 0.9));
            }
        }
        ch
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::rng::two_uniforms;
    use proptest::prelude::*;

    struct Owned {
        key: Vec<u64>,
        kw: Vec<f64>,
        sync: Vec<f64>,
        slip: Vec<f64>,
        lam: Vec<f64>,
        c0: Vec<f64>,
        k: Vec<f64>,
        vsd: Vec<bool>,
        trim: Vec<bool>,
        teff: Vec<f64>,
        off: Vec<u64>,
        x: Vec<f64>,
        h: Vec<f64>,
        price: Vec<f64>,
        ef: Vec<f64>,
        capex: Vec<f64>,
    }

    impl Owned {
        fn cols(&self) -> FleetColumns<'_> {
            FleetColumns {
                key: &self.key,
                rated_kw: &self.kw,
                sync_rpm: &self.sync,
                im_slip_rated: &self.slip,
                im_loss_ratio: &self.lam,
                im_c0: &self.c0,
                pm_loss_ratio: &self.lam,
                pm_c0: &self.c0,
                speed_exponent: &self.k,
                on_vsd: &self.vsd,
                trimmed: &self.trim,
                trim_efficiency: &self.teff,
                profile_offsets: &self.off,
                profile_load: &self.x,
                profile_hours: &self.h,
                price_per_kwh: &self.price,
                emission_kg_per_kwh: &self.ef,
                capex: &self.capex,
            }
        }

        /// Motors in the order `idx` (a permutation or a sub-range).
        fn pick(&self, idx: &[usize]) -> Owned {
            let g = |v: &Vec<f64>| idx.iter().map(|&i| v[i]).collect::<Vec<f64>>();
            let mut off = vec![0u64];
            let (mut x, mut h) = (vec![], vec![]);
            for &i in idx {
                let (a, b) = (self.off[i] as usize, self.off[i + 1] as usize);
                x.extend_from_slice(&self.x[a..b]);
                h.extend_from_slice(&self.h[a..b]);
                off.push(x.len() as u64);
            }
            Owned {
                key: idx.iter().map(|&i| self.key[i]).collect(),
                kw: g(&self.kw),
                sync: g(&self.sync),
                slip: g(&self.slip),
                lam: g(&self.lam),
                c0: g(&self.c0),
                k: g(&self.k),
                vsd: idx.iter().map(|&i| self.vsd[i]).collect(),
                trim: idx.iter().map(|&i| self.trim[i]).collect(),
                teff: g(&self.teff),
                off,
                x,
                h,
                price: g(&self.price),
                ef: g(&self.ef),
                capex: g(&self.capex),
            }
        }
    }

    fn fleet(n: usize, seed: u64) -> Owned {
        let u = |i: usize, s: u8| two_uniforms(bits(seed, i as u32, s)).0;
        let mut off = vec![0u64];
        let (mut x, mut h) = (vec![], vec![]);
        for i in 0..n {
            let bins = 1 + (u(i, 9) * 3.0) as usize;
            for b in 0..bins {
                x.push(0.2 + 1.1 * u(i, 20 + b as u8));
                h.push(8760.0 / bins as f64 * u(i, 30 + b as u8));
            }
            off.push(x.len() as u64);
        }
        Owned {
            key: (0..n)
                .map(|i| crate::rng::motor_key(&format!("M{i}")))
                .collect(),
            kw: (0..n).map(|i| 0.75 + 300.0 * u(i, 1)).collect(),
            sync: (0..n).map(|i| [3000.0, 1500.0, 1000.0][i % 3]).collect(),
            slip: (0..n).map(|i| 0.05 * u(i, 2)).collect(),
            lam: (0..n).map(|i| 0.02 + 0.2 * u(i, 3)).collect(),
            c0: (0..n).map(|i| u(i, 4)).collect(),
            k: (0..n).map(|i| [1.0, 2.0, 3.0][i % 3]).collect(),
            vsd: (0..n).map(|i| i % 5 == 0).collect(),
            trim: (0..n).map(|i| i % 2 == 0).collect(),
            teff: (0..n)
                .map(|i| if i % 4 == 0 { 0.97 } else { 1.0 })
                .collect(),
            off,
            x,
            h,
            price: (0..n).map(|i| 0.05 + 0.2 * u(i, 5)).collect(),
            ef: (0..n).map(|i| 0.8 * u(i, 6)).collect(),
            capex: (0..n).map(|i| 1e4 * u(i, 7)).collect(),
        }
    }

    fn spec(seed: u64) -> McSpec {
        McSpec {
            seed,
            samples: 17,
            load_rel_sd: 0.1,
            hours_rel_sd: 0.1,
            price_rel_sd: 0.2,
            emission_rel_sd: 0.1,
            magnet_rel_sd: 0.2,
            efficiency_tolerance: true,
            motor_quantiles: true,
        }
    }

    const FIN: Finance = Finance {
        discount_rate: 0.08,
        escalation: 0.02,
        horizon_years: 15,
    };

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]
        #[test]
        fn totals_independent_of_order_and_chunking(n in 1usize..2600, seed in 0u64..1000, cut in 0.0f64..1.0) {
            let fl = fleet(n, seed);
            let inc = vec![true; n];
            let all = monte_carlo(&fl.cols(), &inc, &FIN, &spec(seed)).unwrap();
            // Reversed order: identical totals, per-motor results reversed.
            let rev: Vec<usize> = (0..n).rev().collect();
            let r = monte_carlo(&fl.pick(&rev).cols(), &inc, &FIN, &spec(seed)).unwrap();
            prop_assert_eq!(&all.total_npv, &r.total_npv);
            prop_assert_eq!(&all.total_co2_kg, &r.total_co2_kg);
            let mut m = r.npv_p50.clone();
            m.reverse();
            prop_assert_eq!(&all.npv_p50, &m);
            // Two chunks: totals add up exactly.
            let k = ((n as f64) * cut) as usize;
            let a: Vec<usize> = (0..k).collect();
            let b: Vec<usize> = (k..n).collect();
            let ra = monte_carlo(&fl.pick(&a).cols(), &vec![true; k], &FIN, &spec(seed)).unwrap();
            let rb = monte_carlo(&fl.pick(&b).cols(), &vec![true; n - k], &FIN, &spec(seed)).unwrap();
            for s in 0..17 {
                prop_assert_eq!(all.total_savings_kwh[s], ra.total_savings_kwh[s] + rb.total_savings_kwh[s]);
                prop_assert_eq!(all.total_value[s], ra.total_value[s] + rb.total_value[s]);
            }
            for v in all.npv_mean.iter().chain(&all.npv_sd).chain(&all.npv_p10) {
                prop_assert!(v.is_finite());
            }
        }
    }

    #[test]
    fn zero_spread_reproduces_deterministic_evaluation() {
        let fl = fleet(300, 5);
        let mut sp = spec(1);
        sp.load_rel_sd = 0.0;
        sp.hours_rel_sd = 0.0;
        sp.price_rel_sd = 0.0;
        sp.emission_rel_sd = 0.0;
        sp.efficiency_tolerance = false;
        let mc = monte_carlo(&fl.cols(), &vec![true; 300], &FIN, &sp).unwrap();
        let ev = crate::eval::evaluate(&fl.cols(), &FIN).unwrap();
        for i in 0..300 {
            let e = ev.npv[i];
            prop_assert_close(mc.npv_mean[i], e);
            prop_assert_close(mc.npv_p10[i], e);
            prop_assert_close(mc.savings_mean_kwh[i], ev.savings_kwh[i]);
        }
        let total: f64 = ev.npv.iter().sum();
        let t0 = mc.total_npv[0] as f64 / FIXED_SCALE;
        assert!((t0 - total).abs() < 1e-6 * total.abs().max(1.0) + 1.0);
    }

    fn prop_assert_close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs {b}");
    }

    proptest! {
        #[test]
        fn integer_keys_sort_like_total_cmp(v in proptest::collection::vec(proptest::num::f64::ANY, 0..200)) {
            let mut a = v.clone();
            a.sort_by(f64::total_cmp);
            let mut k: Vec<i64> = v.iter().map(|&x| total_key(x)).collect();
            k.sort_unstable();
            let b: Vec<u64> = k.iter().map(|&k| from_total_key(k).to_bits()).collect();
            let a: Vec<u64> = a.iter().map(|x| x.to_bits()).collect();
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn vector_dispatch_gives_the_baseline_bits() {
        // The chunk kernel compiled for this CPU's vector unit and the plain compilation.
        let fl = fleet(700, 3);
        let cols = fl.cols();
        let inc: Vec<bool> = (0..700).map(|i| i % 3 != 0).collect();
        let sp = spec(11);
        let common = common_factors(&sp);
        let ann = FIN.annuity_factor();
        let job = || ChunkJob {
            f: &cols,
            include: &inc,
            spec: &sp,
            common: &common,
            annuity: ann,
            lo: 0,
            hi: 700,
        };
        let a = run_chunk(job());
        let b = job().run();
        assert_eq!(a.acc, b.acc);
        assert_eq!(a.acc_big, b.acc_big);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a.npv_mean), bits(&b.npv_mean));
        assert_eq!(bits(&a.npv_sd), bits(&b.npv_sd));
        assert_eq!(bits(&a.q[1]), bits(&b.q[1]));
    }

    proptest! {
        #[test]
        fn fast_fixed_point_equals_rounding(
            x in prop_oneof![
                -1e9f64..1e9,
                -3e12f64..3e12,
                proptest::num::f64::NORMAL,
                (-1_000_000i64..1_000_000).prop_map(|k| (k as f64 + 0.5) / FIXED_SCALE),
            ]
        ) {
            let (mut small, mut big) = (0i64, 0i128);
            add_fixed(x, &mut small, &mut big);
            prop_assert_eq!(i128::from(small) + big, fixed(x));
        }
    }

    #[test]
    fn bad_spec_is_rejected() {
        let fl = fleet(3, 1);
        let mut sp = spec(1);
        sp.load_rel_sd = 0.5;
        let e = monte_carlo(&fl.cols(), &[true; 3], &FIN, &sp).unwrap_err();
        assert!(e.to_string().contains("load_rel_sd"));
        sp.load_rel_sd = f64::NAN;
        assert!(monte_carlo(&fl.cols(), &[true; 3], &FIN, &sp).is_err());
    }
}
