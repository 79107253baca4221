//! Counter-based random numbers: a variate is a pure function of (seed, motor key, sample,
//! stream), so results do not depend on threads, chunks or row order.
//!
//! The mixing function is the SplitMix64 finaliser (Steele, Lea & Flood, "Fast splittable
//! pseudorandom number generators", OOPSLA 2014; constants as published there), applied in a
//! chain: `h = mix(mix(mix(seed + φ) ^ key) ^ ((sample << 8 | stream)·φ))` with φ the 64-bit
//! golden-ratio constant. Motor keys come from [`motor_key`] (FNV-1a 64 of the UTF-8 id, then
//! mixed), so the same motor id always gets the same random stream.

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64 finaliser.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Stable 64-bit key of a motor id: FNV-1a 64 over the UTF-8 bytes, then [`mix`].
pub fn motor_key(id: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix(h)
}

/// Per-motor stream base: depends on the seed and the motor key only.
#[inline]
pub fn motor_base(seed: u64, key: u64) -> u64 {
    mix(mix(seed.wrapping_add(GOLDEN)) ^ key)
}

/// 64 random bits for (motor base, sample, stream).
#[inline]
pub fn bits(base: u64, sample: u32, stream: u8) -> u64 {
    mix(base ^ ((u64::from(sample) << 8) | u64::from(stream)).wrapping_mul(GOLDEN))
}

/// The counter word of (sample, stream): `bits(base, s, k) == mix(base ^ counter(s, k))`. It does
/// not depend on the motor, so the Monte Carlo computes it once per sample, not per motor.
#[inline]
pub fn counter(sample: u32, stream: u8) -> u64 {
    ((u64::from(sample) << 8) | u64::from(stream)).wrapping_mul(GOLDEN)
}

const TWO_M32: f64 = 1.0 / 4_294_967_296.0;

/// Two uniforms in (0, 1) from the high and low 32 bits.
#[inline]
pub fn two_uniforms(b: u64) -> (f64, f64) {
    let hi = (b >> 32) as f64;
    let lo = (b & 0xFFFF_FFFF) as f64;
    ((hi + 0.5) * TWO_M32, (lo + 0.5) * TWO_M32)
}

const SQRT6: f64 = 2.449_489_742_783_178;

/// Symmetric triangular variate with mean 0 and standard deviation 1 (support ±√6): the sum of
/// two uniforms. Bounded, so a relative standard deviation σ ≤ 0.4 keeps `1 + σ·t` positive.
#[inline]
pub fn triangular(b: u64) -> f64 {
    let (u1, u2) = two_uniforms(b);
    (u1 + u2 - 1.0) * SQRT6
}

const TWO_M16: f64 = 1.0 / 65_536.0;

/// Two symmetric triangular variates (mean 0, standard deviation 1, support ±√6) from one hash:
/// each is the sum of two 16-bit uniforms (resolution 2^-16, ample for Monte Carlo; one hash
/// instead of two in the hot loop).
#[inline]
pub fn two_triangular(b: u64) -> (f64, f64) {
    let u = |k: u32| (((b >> k) & 0xFFFF) as f64 + 0.5) * TWO_M16;
    ((u(48) + u(32) - 1.0) * SQRT6, (u(16) + u(0) - 1.0) * SQRT6)
}

/// [`two_triangular`] in an exact integer form (bit-identical results, one int→float conversion
/// per variate instead of two plus four additions): with 16-bit integers p, q,
/// `((p + 0.5)/2^16 + (q + 0.5)/2^16 − 1)·√6` has every step before the last product exact, and
/// equals `(p + q + 1 − 2^16)·(√6/2^16)` (a power-of-two scale commutes with rounding).
#[inline]
pub fn two_triangular_exact(b: u64) -> (f64, f64) {
    const C: f64 = SQRT6 * TWO_M16;
    let q = |k: u32| ((b >> k) & 0xFFFF) as i32;
    let t1 = q(48) + q(32) + 1 - 65_536;
    let t2 = q(16) + q(0) + 1 - 65_536;
    (f64::from(t1) * C, f64::from(t2) * C)
}

/// `(2·u1 − 1, 2·u2 − 1)` of [`two_uniforms`] in an exact integer form (bit-identical): with a
/// 32-bit integer h, `2·(h + 0.5)/2^32 − 1 = (2h + 1 − 2^32)/2^32`, every step exact.
#[inline]
pub fn two_symmetric_uniforms(b: u64) -> (f64, f64) {
    let hi = ((b >> 31) | 1) as i64 - (1i64 << 32);
    let lo = (((b & 0xFFFF_FFFF) << 1) | 1) as i64 - (1i64 << 32);
    (hi as f64 * TWO_M32, lo as f64 * TWO_M32)
}

/// Uniform variate in (−1, 1) from the high 32 bits.
#[inline]
pub fn symmetric_uniform(b: u64) -> f64 {
    let (u, _) = two_uniforms(b);
    2.0 * u - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_distinct() {
        // Pinned values: a change here changes every Monte Carlo result of every user.
        assert_eq!(motor_key(""), mix(0xCBF2_9CE4_8422_2325));
        assert_ne!(motor_key("M-0001"), motor_key("M-0002"));
        assert_eq!(motor_key("M-0001"), motor_key("M-0001"));
    }

    #[test]
    fn triangular_moments() {
        let base = motor_base(42, motor_key("x"));
        let n = 200_000u32;
        let (mut s1, mut s2, mut lo, mut hi) = (0.0, 0.0, f64::MAX, f64::MIN);
        for i in 0..n {
            let t = triangular(bits(base, i, 0));
            s1 += t;
            s2 += t * t;
            lo = lo.min(t);
            hi = hi.max(t);
        }
        let mean = s1 / f64::from(n);
        let var = s2 / f64::from(n) - mean * mean;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.01, "var {var}");
        assert!(lo > -SQRT6 && hi < SQRT6);
    }

    #[test]
    fn two_triangular_moments_and_independence() {
        let base = motor_base(9, motor_key("y"));
        let n = 200_000u32;
        let (mut m1, mut m2, mut v1, mut v2, mut c) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for i in 0..n {
            let (a, b) = two_triangular(bits(base, i, 0));
            assert!(a.abs() < SQRT6 && b.abs() < SQRT6);
            m1 += a;
            m2 += b;
            v1 += a * a;
            v2 += b * b;
            c += a * b;
        }
        let nf = f64::from(n);
        assert!((m1 / nf).abs() < 0.01 && (m2 / nf).abs() < 0.01);
        assert!((v1 / nf - 1.0).abs() < 0.01 && (v2 / nf - 1.0).abs() < 0.01);
        assert!((c / nf).abs() < 0.01, "correlation {}", c / nf);
    }

    #[test]
    fn exact_integer_forms_are_bit_identical() {
        let check = |b: u64| {
            let (a, c) = two_triangular(b);
            let (a2, c2) = two_triangular_exact(b);
            assert_eq!(
                (a.to_bits(), c.to_bits()),
                (a2.to_bits(), c2.to_bits()),
                "{b:#x}"
            );
            let (u1, u2) = two_uniforms(b);
            let (s1, s2) = two_symmetric_uniforms(b);
            let want = ((2.0 * u1 - 1.0).to_bits(), (2.0 * u2 - 1.0).to_bits());
            assert_eq!(want, (s1.to_bits(), s2.to_bits()), "{b:#x}");
        };
        for b in [
            0,
            u64::MAX,
            0x8000_0000_8000_8000,
            0x7FFF_FFFF_7FFF_7FFF,
            1 << 63,
            1,
        ] {
            check(b);
        }
        for i in 0..200_000u32 {
            check(bits(11, i, 0));
            assert_eq!(bits(5, i, 2), mix(5 ^ counter(i, 2)));
        }
    }

    #[test]
    fn uniform_in_open_interval() {
        for i in 0..10_000u32 {
            let (a, b) = two_uniforms(bits(7, i, 3));
            assert!(a > 0.0 && a < 1.0 && b > 0.0 && b < 1.0);
            let s = symmetric_uniform(bits(7, i, 4));
            assert!(s > -1.0 && s < 1.0);
        }
    }
}
