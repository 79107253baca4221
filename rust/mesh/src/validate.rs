//! Input checks on the PSLG arrays. Everything here is O(n log n) or a sweep over the edges so
//! that validation stays a small fraction of the meshing time.

use crate::error::{geometry, MeshError};
use crate::Pslg;

/// The checked PSLG: indices converted to `u32`, loops as ranges into `loop_points`.
pub(crate) struct Checked {
    pub n_points: usize,
    pub loops: Vec<(usize, usize)>,
    pub loop_points: Vec<u32>,
    pub loop_region: Vec<usize>,
}

pub(crate) fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

pub(crate) fn point(points: &[f64], i: u32) -> [f64; 2] {
    let i = i as usize;
    [points[2 * i], points[2 * i + 1]]
}

pub(crate) fn check(p: &Pslg<'_>) -> Result<Checked, MeshError> {
    if p.points.len() % 2 != 0 {
        return Err(geometry(format!(
            "points must have shape (N, 2); got {} values",
            p.points.len()
        )));
    }
    let n_points = p.points.len() / 2;
    if n_points > u32::MAX as usize / 2 {
        return Err(geometry(format!("too many points: {n_points}")));
    }
    for (i, c) in p.points.chunks_exact(2).enumerate() {
        if !(c[0].is_finite() && c[1].is_finite()) {
            return Err(geometry(format!(
                "points[{i}] = ({}, {}) is not finite; coordinates must be finite numbers (m)",
                c[0], c[1]
            )));
        }
    }
    // Unique coordinates (the mesher keeps every point as a node; duplicates would be merged).
    let mut order: Vec<u32> = (0..n_points as u32).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (point(p.points, a), point(p.points, b));
        pa[0].total_cmp(&pb[0]).then(pa[1].total_cmp(&pb[1]))
    });
    for w in order.windows(2) {
        if point(p.points, w[0]) == point(p.points, w[1]) {
            return Err(geometry(format!(
                "points[{}] and points[{}] are identical ({:?}); points must be unique",
                w[0].min(w[1]),
                w[0].max(w[1]),
                point(p.points, w[0])
            )));
        }
    }
    let n_regions = p.region_size_m.len();
    for (r, &h) in p.region_size_m.iter().enumerate() {
        if h.is_nan() || h.is_infinite() {
            return Err(geometry(format!(
                "region_size_m[{r}] = {h} is not finite; use a positive edge length (m) or \
                 <= 0 for the air-gap band"
            )));
        }
    }
    let n_loops = p.loop_region.len();
    if p.loop_ptr.len() != n_loops + 1 {
        return Err(geometry(format!(
            "loop_ptr must have len(loop_region) + 1 = {} entries; got {}",
            n_loops + 1,
            p.loop_ptr.len()
        )));
    }
    if p.loop_protected.len() != n_loops {
        return Err(geometry(format!(
            "loop_protected must have one entry per loop ({n_loops}); got {}",
            p.loop_protected.len()
        )));
    }
    if p.loop_ptr.first().copied() != Some(0)
        || p.loop_ptr.last().copied() != Some(p.loop_points.len() as i64)
    {
        return Err(geometry(format!(
            "loop_ptr must start at 0 and end at len(loop_points) = {}",
            p.loop_points.len()
        )));
    }
    let mut loops = Vec::with_capacity(n_loops);
    let mut loop_region = Vec::with_capacity(n_loops);
    for k in 0..n_loops {
        let (s, e) = (p.loop_ptr[k], p.loop_ptr[k + 1]);
        if e < s + 3 {
            return Err(geometry(format!(
                "loop {k} has {} points; a loop needs at least 3 (loop_ptr must be increasing)",
                e - s
            )));
        }
        let r = p.loop_region[k];
        if r < 0 || r as usize >= n_regions {
            return Err(geometry(format!(
                "loop_region[{k}] = {r} is out of range 0..{n_regions}"
            )));
        }
        loops.push((s as usize, e as usize));
        loop_region.push(r as usize);
    }
    let mut loop_points = Vec::with_capacity(p.loop_points.len());
    for (j, &i) in p.loop_points.iter().enumerate() {
        if i < 0 || i as usize >= n_points {
            return Err(geometry(format!(
                "loop_points[{j}] = {i} is out of range 0..{n_points}"
            )));
        }
        loop_points.push(i as u32);
    }
    let mut used = vec![false; n_points];
    let mut seen = vec![u32::MAX; n_points];
    let mut region_area = vec![0.0; n_regions];
    let mut region_has_loop = vec![false; n_regions];
    for (k, &(s, e)) in loops.iter().enumerate() {
        let lp = &loop_points[s..e];
        let mut area2 = 0.0;
        for (j, &a) in lp.iter().enumerate() {
            if seen[a as usize] == k as u32 {
                return Err(geometry(format!(
                    "loop {k} visits point {a} twice; loops must be simple"
                )));
            }
            seen[a as usize] = k as u32;
            used[a as usize] = true;
            let b = lp[(j + 1) % lp.len()];
            let (pa, pb) = (point(p.points, a), point(p.points, b));
            area2 += pa[0] * pb[1] - pb[0] * pa[1];
        }
        region_area[loop_region[k]] += 0.5 * area2;
        region_has_loop[loop_region[k]] = true;
    }
    for r in 0..n_regions {
        if p.region_size_m[r] > 0.0 && !region_has_loop[r] {
            return Err(geometry(format!(
                "region {r} has a positive size but no loop"
            )));
        }
        if region_has_loop[r] && region_area[r] <= 0.0 {
            return Err(geometry(format!(
                "region {r} has non-positive area {:.6e} m²: its outer loop must run \
                 counter-clockwise and its holes clockwise",
                region_area[r]
            )));
        }
    }
    if let Some(i) = used.iter().position(|&u| !u) {
        return Err(geometry(format!(
            "points[{i}] is not on any loop; every point must belong to a loop"
        )));
    }
    if p.periodic_pairs.len() % 2 != 0 {
        return Err(geometry("periodic_pairs must have shape (P, 2)"));
    }
    for (j, &i) in p.periodic_pairs.iter().enumerate() {
        if i < 0 || i as usize >= n_points {
            return Err(geometry(format!(
                "periodic_pairs[{}, {}] = {i} is out of range 0..{n_points}",
                j / 2,
                j % 2
            )));
        }
    }
    let checked = Checked {
        n_points,
        loops,
        loop_points,
        loop_region,
    };
    check_crossings(p.points, &unique_edges(&checked))?;
    Ok(checked)
}

/// Undirected loop edges, each once, as (min, max).
pub(crate) fn unique_edges(c: &Checked) -> Vec<(u32, u32)> {
    let mut edges = Vec::with_capacity(c.loop_points.len());
    for &(s, e) in &c.loops {
        let lp = &c.loop_points[s..e];
        for j in 0..lp.len() {
            let (a, b) = (lp[j], lp[(j + 1) % lp.len()]);
            edges.push((a.min(b), a.max(b)));
        }
    }
    edges.sort_unstable();
    edges.dedup();
    edges
}

fn on_segment(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> bool {
    c[0] >= a[0].min(b[0])
        && c[0] <= a[0].max(b[0])
        && c[1] >= a[1].min(b[1])
        && c[1] <= a[1].max(b[1])
}

/// Do segments (a, b) and (c, d) meet anywhere other than at a shared endpoint?
fn segments_conflict(pts: &[f64], e: (u32, u32), f: (u32, u32)) -> bool {
    let (a, b, c, d) = (
        point(pts, e.0),
        point(pts, e.1),
        point(pts, f.0),
        point(pts, f.1),
    );
    let shared = [e.0 == f.0, e.0 == f.1, e.1 == f.0, e.1 == f.1];
    let o1 = orient(a, b, c);
    let o2 = orient(a, b, d);
    let o3 = orient(c, d, a);
    let o4 = orient(c, d, b);
    if shared.iter().any(|&s| s) {
        // Sharing one endpoint: a conflict only if they overlap (collinear, same direction).
        let (p, q_e, q_f) = if shared[0] {
            (a, b, d)
        } else if shared[1] {
            (a, b, c)
        } else if shared[2] {
            (b, a, d)
        } else {
            (b, a, c)
        };
        let cross = orient(p, q_e, q_f);
        let dot = (q_e[0] - p[0]) * (q_f[0] - p[0]) + (q_e[1] - p[1]) * (q_f[1] - p[1]);
        return cross == 0.0 && dot > 0.0;
    }
    if o1 * o2 < 0.0 && o3 * o4 < 0.0 {
        return true;
    }
    (o1 == 0.0 && on_segment(a, b, c))
        || (o2 == 0.0 && on_segment(a, b, d))
        || (o3 == 0.0 && on_segment(c, d, a))
        || (o4 == 0.0 && on_segment(c, d, b))
}

/// Sweep over x: report the first pair of loop edges that cross or touch away from a shared
/// endpoint.
fn check_crossings(pts: &[f64], edges: &[(u32, u32)]) -> Result<(), MeshError> {
    let mut by_x: Vec<(f64, f64, usize)> = edges
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| {
            let (pa, pb) = (point(pts, a), point(pts, b));
            (pa[0].min(pb[0]), pa[0].max(pb[0]), k)
        })
        .collect();
    by_x.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.2.cmp(&y.2)));
    for i in 0..by_x.len() {
        let (_, xmax, ki) = by_x[i];
        let e = edges[ki];
        let (pa, pb) = (point(pts, e.0), point(pts, e.1));
        let (ylo, yhi) = (pa[1].min(pb[1]), pa[1].max(pb[1]));
        for &(xmin_j, _, kj) in &by_x[i + 1..] {
            if xmin_j > xmax {
                break;
            }
            let f = edges[kj];
            let (pc, pd) = (point(pts, f.0), point(pts, f.1));
            if pc[1].min(pd[1]) > yhi || pc[1].max(pd[1]) < ylo {
                continue;
            }
            if segments_conflict(pts, e, f) {
                return Err(geometry(format!(
                    "loop edges ({}, {}) and ({}, {}) cross or overlap; loops must not \
                     intersect except at shared points",
                    e.0, e.1, f.0, f.1
                )));
            }
        }
    }
    Ok(())
}
