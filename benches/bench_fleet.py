"""Benchmark: fleet Monte Carlo, Rust kernel (repm._core.fleet_monte_carlo, rayon) against a
chunked, vectorised numpy implementation of the same formulas (the reference, in this file).

The fleet is the bundled synthetic steel-plant inventory (4,000 motors, every feature: load
profiles, VSDs, trims, time-of-use prices) tiled to N motors with new motor ids. Both
implementations use the same counter-based random numbers (SplitMix64 chain, re-implemented here
in numpy uint64 arithmetic), so their per-sample fleet totals agree to rounding: the run checks
that, prints both times, the ratio and the peak RSS (resource.getrusage), and shows that memory
does not grow with the number of samples (streaming kernel).

Run: python benches/bench_fleet.py [--smoke] [--motors N] [--samples S]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import resource
import time
from pathlib import Path

import numpy as np

from repm import fleet

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "fleet" / "steel_plant.csv"
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
COMMON_KEY = np.uint64(0x636F6D6D6F6E0000)
TWO_M32 = 1.0 / 4294967296.0
SQRT6 = math.sqrt(6.0)


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def mix(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def motor_base(seed: int, keys: np.ndarray) -> np.ndarray:
    s = mix(np.array([seed], dtype=np.uint64) + GOLDEN)
    return mix(s ^ keys)


def bits(base: np.ndarray, samples: np.ndarray, stream: int) -> np.ndarray:
    """base (M, 1), samples (S,) → (M, S)."""
    ctr = ((samples.astype(np.uint64) << np.uint64(8)) | np.uint64(stream)) * GOLDEN
    return mix(base ^ ctr)


def uniforms(b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    hi = (b >> np.uint64(32)).astype(np.float64)
    lo = (b & np.uint64(0xFFFFFFFF)).astype(np.float64)
    return (hi + 0.5) * TWO_M32, (lo + 0.5) * TWO_M32


def triangular(b: np.ndarray) -> np.ndarray:
    u1, u2 = uniforms(b)
    return (u1 + u2 - 1.0) * SQRT6


def numpy_reference(
    cols: dict[str, np.ndarray],
    scen: fleet.Scenario,
    mc: fleet.MonteCarlo,
    magnet_sd: float,
    chunk: int = 10_000,
) -> dict[str, np.ndarray]:
    """Per-sample fleet totals (savings kWh, value, NPV, CO2 kg) of the same model, numpy."""
    n, ns = len(cols["key"]), mc.samples
    samples = np.arange(ns)
    cb = motor_base(mc.seed, np.array([COMMON_KEY]))[:, None]
    pf = 1.0 + mc.price_rel_sd * triangular(bits(cb, samples, 10))[0]
    ef_f = 1.0 + mc.emission_rel_sd * triangular(bits(cb, samples, 11))[0]
    ann = sum(
        (1 + scen.escalation) ** (t - 1) / (1 + scen.discount_rate) ** t
        for t in range(1, scen.horizon_years + 1)
    )
    tot = {k: np.zeros(ns) for k in ("savings", "value", "npv", "co2")}
    off = cols["profile_offsets"].astype(np.int64)
    for lo in range(0, n, chunk):
        hi = min(lo + chunk, n)
        m = slice(lo, hi)
        base = motor_base(mc.seed, cols["key"][m])[:, None]
        h0 = bits(base, samples, 0)
        q = [((h0 >> np.uint64(k)) & np.uint64(0xFFFF)).astype(np.float64) for k in (48, 32, 16, 0)]
        t_load = ((q[0] + 0.5) / 65536 + (q[1] + 0.5) / 65536 - 1.0) * SQRT6
        t_hours = ((q[2] + 0.5) / 65536 + (q[3] + 0.5) / 65536 - 1.0) * SQRT6
        a = 1.0 + mc.load_rel_sd * t_load
        hours = np.add.reduceat(cols["profile_hours"][off[lo] : off[hi]], off[lo:hi] - off[lo])
        bmax = np.where(hours > 0, 8760.0 / np.where(hours > 0, hours, 1.0), 1.0)[:, None]
        b = np.minimum(1.0 + mc.hours_rel_sd * t_hours, bmax)
        kw = cols["rated_kw"][m][:, None]
        tol = np.where(kw <= 150.0, 0.15, 0.10) if mc.efficiency_tolerance else 0.0 * kw
        u1, u2 = uniforms(bits(base, samples, 2))
        lam_im = cols["im_loss_ratio"][m][:, None] * (1.0 + tol * (2 * u1 - 1))
        lam_pm = cols["pm_loss_ratio"][m][:, None] * (1.0 + tol * (2 * u2 - 1))
        # Bins: expand motor-level (M, S) arrays to bins (B, S) with the motor index of each bin.
        nb = off[lo + 1 : hi + 1] - off[lo:hi]
        mi = np.repeat(np.arange(hi - lo), nb)
        x = np.minimum(cols["profile_load"][off[lo] : off[hi]][:, None] * a[mi], 1.5)
        h = cols["profile_hours"][off[lo] : off[hi]][:, None]
        names = ("rated_kw", "im_c0", "pm_c0", "im_slip_rated", "speed_exponent", "trim_efficiency")
        g = {k: cols[k][m][mi][:, None] for k in names}
        vsd = cols["on_vsd"][m][mi][:, None]
        trimmed = cols["trimmed"][m][mi][:, None]
        li, lp = lam_im[mi], lam_pm[mi]
        p_im = g["rated_kw"] * (x + li * (g["im_c0"] + (1 - g["im_c0"]) * x * x))
        r = 1.0 / (1.0 - g["im_slip_rated"] * x)
        ratio = np.where(vsd, 1.0, r ** g["speed_exponent"])
        xp = x * ratio
        p_un = g["rated_kw"] * (xp + lp * (g["pm_c0"] + (1 - g["pm_c0"]) * xp * xp))
        p_tr = (
            g["rated_kw"]
            * (x + lp * (g["pm_c0"] + (1 - g["pm_c0"]) * x * x))
            / g["trim_efficiency"]
        )
        e_bin = h * (p_im - np.where(trimmed, p_tr, p_un))
        e = np.add.reduceat(e_bin, off[lo:hi] - off[lo], axis=0) * b
        value = e * cols["price_per_kwh"][m][:, None] * pf
        npv = value * ann - cols["capex"][m][:, None]
        co2 = e * cols["emission_kg_per_kwh"][m][:, None] * ef_f
        tot["savings"] += e.sum(axis=0)
        tot["value"] += value.sum(axis=0)
        tot["npv"] += npv.sum(axis=0)
        tot["co2"] += co2.sum(axis=0)
    return tot


def tiled_fleet(n: int) -> tuple[fleet.FleetResult, dict[str, np.ndarray], float]:
    """The example evaluated, tiled to n motors with new ids (keys); returns the example result,
    the kernel columns and the seconds spent reading + validating + preparing the 4,000 rows."""
    t0 = time.perf_counter()
    res = fleet.evaluate(fleet.load_inventory(EXAMPLE))
    t_prep = time.perf_counter() - t0
    idx = np.resize(np.arange(len(res)), n)
    prep = res.prepared.take(idx)
    cols = dict(prep.columns)
    cols["key"] = fleet.motor_keys([f"T{i}" for i in range(n)])
    return res, cols, t_prep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="small fleet (CI)")
    ap.add_argument("--motors", type=int, default=None)
    ap.add_argument("--samples", type=int, default=100)
    args = ap.parse_args()
    n = args.motors or (20_000 if args.smoke else 1_000_000)
    s = args.samples
    res, cols, t_prep = tiled_fleet(n)
    scen = res.scenario
    mc = fleet.MonteCarlo(samples=s, seed=7, motor_quantiles=False)
    include = np.ones(n, dtype=bool)
    mib = sum(v.nbytes for v in cols.values()) / 2**20
    print(f"fleet: {n:,} motors x {s} samples ({mib:.0f} MiB of input columns); "
          f"read+validate+prepare of the 4,000-row CSV: {t_prep * 1e3:.0f} ms")  # fmt: skip
    rss0 = rss_mib()
    small = dataclasses.replace(mc, samples=max(1, s // 10))
    fleet.run_chunk(cols, include, scen, small)
    rss_small = rss_mib()
    times = []
    for _ in range(1 if args.smoke else 3):
        t0 = time.perf_counter()
        out = fleet.run_chunk(cols, include, scen, mc)
        times.append(time.perf_counter() - t0)
    t_rust = min(times)
    rss_rust = rss_mib()
    t0 = time.perf_counter()
    q = fleet.run_chunk(cols, include, scen, dataclasses.replace(mc, motor_quantiles=True))
    t_rust_q = time.perf_counter() - t0
    del q
    print(f"repm (Rust, rayon, GIL released): {t_rust:.3f} s "
          f"({n * s / t_rust / 1e6:.0f} M motor-samples/s); with per-motor NPV quantiles "
          f"{t_rust_q:.3f} s")  # fmt: skip
    print(f"peak RSS: {rss0:.0f} MiB before, {rss_small:.0f} MiB after {small.samples} samples, "
          f"{rss_rust:.0f} MiB after {s} samples (flat in samples: no N x S arrays)")  # fmt: skip
    t0 = time.perf_counter()
    ref = numpy_reference(cols, scen, mc, scen.magnet.rel_sd)
    t_np = time.perf_counter() - t0
    rss_np = rss_mib()
    print(f"numpy reference (chunked, vectorised, 1 core): {t_np:.3f} s; peak RSS {rss_np:.0f} MiB")
    scale = float(out["fixed_scale"])
    worst, ok = 0.0, True
    for name, key in (("total_savings_kwh", "savings"), ("total_value", "value"),
                      ("total_npv", "npv"), ("total_co2_kg", "co2")):  # fmt: skip
        rust = np.array([float(v) for v in out[name]]) / scale
        diff = np.abs(rust - ref[key])
        worst = max(worst, float(np.max(diff / np.maximum(np.abs(ref[key]), 1.0))))
        # Rust sums fixed-point counts truncated to 1/1024 per motor: allow n/1024 absolute.
        ok &= bool(np.all(diff <= 1e-9 * np.abs(ref[key]) + n / scale))
    print(f"agreement of the per-sample totals: max relative difference {worst:.2e} "
          f"(fixed-point resolution {1 / scale:g} per motor)")  # fmt: skip
    if not ok:
        raise SystemExit("Rust and numpy totals disagree")
    print(f"ratio numpy / repm: {t_np / t_rust:.1f}x")


if __name__ == "__main__":
    main()
