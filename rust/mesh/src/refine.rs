//! Region-by-region quality meshing on top of spade's constrained Delaunay refinement.
//!
//! 1. Every non-protected loop edge is split evenly to the smallest target size of the regions
//!    it bounds (shared boundaries get the same points on both sides, so the mesh conforms).
//! 2. Each region with a positive size is meshed on its own constrained Delaunay triangulation
//!    (its loops as constraints, holes found by parity) and refined to the angle limit and the
//!    area of an equilateral triangle of the region's edge length, never splitting a boundary
//!    edge again.
//! 3. Nodes: the input points first (in order), then the boundary split points, then the
//!    interior Steiner points region by region.

use std::collections::{HashMap, HashSet};

use spade::handles::{FixedFaceHandle, InnerTag};
use spade::{
    AngleLimit, ConstrainedDelaunayTriangulation, HasPosition, Point2, RefinementParameters,
    Triangulation,
};

use crate::error::MeshError;
use crate::validate::{check, orient, point, unique_edges, Checked};
use crate::{Mesh, MeshOptions, Pslg, Quality};

/// spade vertex carrying the global node id (`u32::MAX` for Steiner points spade inserts).
#[derive(Clone, Copy, Debug)]
struct Vtx {
    pos: Point2<f64>,
    id: u32,
}

impl HasPosition for Vtx {
    type Scalar = f64;
    fn position(&self) -> Point2<f64> {
        self.pos
    }
}

impl From<Point2<f64>> for Vtx {
    fn from(pos: Point2<f64>) -> Self {
        Vtx { pos, id: u32::MAX }
    }
}

/// Id of the frame vertices (never part of a region's triangles).
const FRAME: u32 = u32::MAX - 1;

/// Per edge (min, max): (first new node, count), nodes ordered from min to max.
type Splits = HashMap<(u32, u32), (u32, u32)>;

type Cdt = ConstrainedDelaunayTriangulation<Vtx>;

/// Margin added to the angle limit handed to spade, degrees.
const ANGLE_MARGIN_DEG: f64 = 0.5;

/// Largest accepted minimum-angle limit (deg): Delaunay refinement is not guaranteed to stop
/// above about 34°.
pub const MAX_MIN_ANGLE_DEG: f64 = 34.0;

pub(crate) fn triangulate(p: &Pslg<'_>, opts: &MeshOptions) -> Result<Mesh, MeshError> {
    if !(opts.min_angle_deg > 0.0 && opts.min_angle_deg <= MAX_MIN_ANGLE_DEG) {
        return Err(MeshError::Input(format!(
            "min_angle_deg = {} must be in (0, {MAX_MIN_ANGLE_DEG}]",
            opts.min_angle_deg
        )));
    }
    if opts.max_nodes == 0 || opts.max_nodes > (u32::MAX / 2) as usize {
        return Err(MeshError::Input(format!(
            "max_nodes = {} must be in 1..={}",
            opts.max_nodes,
            u32::MAX / 2
        )));
    }
    let c = check(p)?;
    if c.n_points > opts.max_nodes {
        return Err(MeshError::TooManyNodes {
            limit: opts.max_nodes,
        });
    }
    let mut nodes: Vec<[f64; 2]> = (0..c.n_points as u32).map(|i| point(p.points, i)).collect();

    // --- 1. boundary discretisation -------------------------------------------------------
    let edges = unique_edges(&c);
    let mut protected: HashSet<(u32, u32)> = HashSet::new();
    let mut edge_size: HashMap<(u32, u32), f64> = HashMap::with_capacity(edges.len());
    for (k, &(s, e)) in c.loops.iter().enumerate() {
        let h = p.region_size_m[c.loop_region[k]];
        let lp = &c.loop_points[s..e];
        for j in 0..lp.len() {
            let (a, b) = (lp[j], lp[(j + 1) % lp.len()]);
            let key = (a.min(b), a.max(b));
            if p.loop_protected[k] || (c.periodic[a as usize] && c.periodic[b as usize]) {
                protected.insert(key);
            }
            if h > 0.0 {
                let entry = edge_size.entry(key).or_insert(h);
                *entry = entry.min(h);
            }
        }
    }
    // Boundary size at each point: the smallest (target size or length) of its edges, so
    // that splits grade from short edges and sharp transitions instead of leaving slivers
    // between a fine and a coarse boundary.
    let mut point_size = vec![f64::INFINITY; nodes.len()];
    for &key in &edges {
        let (a, b) = (nodes[key.0 as usize], nodes[key.1 as usize]);
        let len = (b[0] - a[0]).hypot(b[1] - a[1]);
        let h = match edge_size.get(&key) {
            Some(&h) if !protected.contains(&key) => h.min(len),
            _ => len,
        };
        for i in [key.0, key.1] {
            point_size[i as usize] = point_size[i as usize].min(h);
        }
    }
    // Interior points of each split edge, ordered from key.0 to key.1.
    let mut splits: HashMap<(u32, u32), (u32, u32)> = HashMap::new();
    let mut ts: Vec<f64> = Vec::new();
    for &key in &edges {
        if protected.contains(&key) {
            continue;
        }
        let Some(&h) = edge_size.get(&key) else {
            continue;
        };
        let (a, b) = (nodes[key.0 as usize], nodes[key.1 as usize]);
        let len = (b[0] - a[0]).hypot(b[1] - a[1]);
        if len <= h {
            continue;
        }
        let (sa, sb) = (point_size[key.0 as usize], point_size[key.1 as usize]);
        ts.clear();
        split_graded(len, h, sa, sb, 0.0, 1.0, &mut ts, opts.max_nodes);
        if nodes.len() + ts.len() > opts.max_nodes {
            return Err(MeshError::TooManyNodes {
                limit: opts.max_nodes,
            });
        }
        if ts.is_empty() {
            continue;
        }
        let first = nodes.len() as u32;
        for &t in &ts {
            nodes.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
        }
        splits.insert(key, (first, ts.len() as u32));
    }

    // --- 1b. boundary spacing from the local feature size ------------------------------------
    // A quality refinement of each region without area limit that may split boundary edges:
    // the points it puts on non-protected boundary edges are where Ruppert's algorithm needs
    // them (thin bridges, close features). Both sides' points become fixed boundary points.
    let extra = feature_splits(p, &c, &mut nodes, &splits, &protected, opts)?;

    // --- 2. region by region ----------------------------------------------------------------
    // Nodes created from here on are interior Steiner points (boundary edges are kept).
    let first_interior = nodes.len();
    let n_regions = p.region_size_m.len();
    let mut triangles: Vec<[u32; 3]> = Vec::new();
    let mut region: Vec<u32> = Vec::new();
    let mut local_of: Vec<u32> = vec![u32::MAX; nodes.len()];
    let area_factor = 3f64.sqrt() / 4.0;
    // Aim slightly above the limit: spade's skinny test works on the circumradius-to-shortest-
    // edge ratio and leaves the odd triangle a hair under the exact angle.
    let angle = AngleLimit::from_deg(opts.min_angle_deg + ANGLE_MARGIN_DEG);
    for r in 0..n_regions {
        let h = p.region_size_m[r];
        if h <= 0.0 {
            continue;
        }
        let (verts, cons) = region_boundary(&c, r, &nodes, &splits, &extra, &mut local_of);
        let budget = opts.max_nodes.saturating_sub(nodes.len());
        let params = RefinementParameters::<f64>::new()
            .exclude_outer_faces(true)
            .keep_constraint_edges()
            .with_angle_limit(angle)
            .with_max_allowed_area(area_factor * h * h)
            .with_max_additional_vertices(budget);
        let (cdt, excluded, complete) = mesh_region(verts, cons, params)
            .map_err(|msg| MeshError::Failed(format!("region {r}: {msg}")))?;
        if !complete {
            return Err(MeshError::TooManyNodes {
                limit: opts.max_nodes,
            });
        }
        let mut new_id: Vec<u32> = vec![u32::MAX; cdt.num_vertices()];
        for face in cdt.inner_faces() {
            if excluded.contains(&face.fix()) {
                continue;
            }
            let vs = face.vertices();
            let mut tri = [0u32; 3];
            for (t, v) in vs.iter().enumerate() {
                let data = v.data();
                tri[t] = if data.id == FRAME {
                    return Err(MeshError::Failed(format!(
                        "region {r}: a triangle reached the outer frame"
                    )));
                } else if data.id != u32::MAX {
                    data.id
                } else {
                    let slot = &mut new_id[v.fix().index()];
                    if *slot == u32::MAX {
                        *slot = nodes.len() as u32;
                        nodes.push([data.pos.x, data.pos.y]);
                    }
                    *slot
                };
            }
            triangles.push(tri);
            region.push(r as u32);
        }
        if nodes.len() > opts.max_nodes {
            return Err(MeshError::TooManyNodes {
                limit: opts.max_nodes,
            });
        }
    }

    // Boundary Steiner points may slide along the straight input edge they split.
    let mut line_of: Vec<(u32, u32)> = vec![(u32::MAX, u32::MAX); first_interior];
    for map in [&splits, &extra] {
        for (&key, &(first, count)) in map.iter() {
            for i in first..first + count {
                line_of[i as usize] = key;
            }
        }
    }
    smooth_bad(
        &mut nodes,
        &triangles,
        c.n_points,
        &line_of,
        opts.min_angle_deg,
    );
    let quality = quality(p, &c, &nodes, &triangles, &region, &protected, opts);
    Ok(Mesh {
        nodes,
        triangles,
        region,
        quality,
    })
}

/// Split points of edge (a, b), ordered from a to b.
fn interior(splits: &HashMap<(u32, u32), (u32, u32)>, a: u32, b: u32) -> impl Iterator<Item = u32> {
    let (first, count) = splits.get(&(a.min(b), a.max(b))).copied().unwrap_or((0, 0));
    let ids = first..first + count;
    let fwd = a < b;
    ids.clone()
        .filter(move |_| fwd)
        .chain(ids.rev().filter(move |_| !fwd))
}

/// The boundary pre-pass (see step 1b of `triangulate`): returns, per boundary sub-edge
/// (consecutive boundary points, as (min, max)), the new points it needs, ordered min → max.
fn feature_splits(
    p: &Pslg<'_>,
    c: &Checked,
    nodes: &mut Vec<[f64; 2]>,
    splits: &HashMap<(u32, u32), (u32, u32)>,
    protected: &HashSet<(u32, u32)>,
    opts: &MeshOptions,
) -> Result<Splits, MeshError> {
    let none = HashMap::new();
    let mut local_of = vec![u32::MAX; nodes.len()];
    let mut params_of: HashMap<(u32, u32), Vec<f64>> = HashMap::new();
    for r in 0..p.region_size_m.len() {
        if p.region_size_m[r] <= 0.0 {
            continue;
        }
        let (verts, cons) = region_boundary(c, r, nodes, splits, &none, &mut local_of);
        // Bounded heuristic pass; an incomplete one still gives useful splits.
        let budget = (verts.len() + 100).min(opts.max_nodes.saturating_sub(nodes.len()));
        let params = RefinementParameters::<f64>::new()
            .exclude_outer_faces(true)
            .with_angle_limit(AngleLimit::from_deg(opts.min_angle_deg + ANGLE_MARGIN_DEG))
            .with_max_additional_vertices(budget);
        let (cdt, _, _) = mesh_region(verts, cons, params)
            .map_err(|msg| MeshError::Failed(format!("boundary pre-pass, region {r}: {msg}")))?;
        for v in cdt.vertices() {
            let g1 = v.data().id;
            if g1 >= FRAME {
                continue;
            }
            for e in v.out_edges() {
                if !e.is_constraint_edge() || e.to().data().id != u32::MAX {
                    continue;
                }
                // Walk along new points to the next original boundary point.
                let (mut prev, mut cur) = (v.fix(), e.to());
                let mut chain: Vec<Point2<f64>> = Vec::new();
                let mut g2 = u32::MAX;
                for _ in 0..cdt.num_vertices() {
                    let id = cur.data().id;
                    if id != u32::MAX {
                        g2 = id;
                        break;
                    }
                    chain.push(cur.position());
                    let next = cur
                        .out_edges()
                        .find(|o| o.is_constraint_edge() && o.to().fix() != prev)
                        .map(|o| o.to());
                    let Some(next) = next else {
                        break;
                    };
                    prev = cur.fix();
                    cur = next;
                }
                if g2 >= FRAME || g1 > g2 || protected.contains(&(g1, g2)) {
                    continue;
                }
                let (a, b) = (nodes[g1 as usize], nodes[g2 as usize]);
                let d = [b[0] - a[0], b[1] - a[1]];
                let len2 = d[0] * d[0] + d[1] * d[1];
                let ts = params_of.entry((g1, g2)).or_default();
                ts.extend(
                    chain
                        .iter()
                        .map(|q| ((q.x - a[0]) * d[0] + (q.y - a[1]) * d[1]) / len2),
                );
            }
        }
    }
    // Deterministic node numbering: sorted sub-edges, sorted parameters.
    let mut keys: Vec<(u32, u32)> = params_of.keys().copied().collect();
    keys.sort_unstable();
    let mut extra = HashMap::with_capacity(keys.len());
    for key in keys {
        let Some(ts) = params_of.get_mut(&key) else {
            continue;
        };
        ts.sort_by(f64::total_cmp);
        let (a, b) = (nodes[key.0 as usize], nodes[key.1 as usize]);
        let first = nodes.len() as u32;
        let mut last = 0.0;
        for &t in ts.iter() {
            if t - last < 1e-9 || t > 1.0 - 1e-9 {
                continue;
            }
            nodes.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
            last = t;
        }
        let count = nodes.len() as u32 - first;
        if count > 0 {
            extra.insert(key, (first, count));
        }
        if nodes.len() > opts.max_nodes {
            return Err(MeshError::TooManyNodes {
                limit: opts.max_nodes,
            });
        }
    }
    Ok(extra)
}

/// Region `r`'s boundary (loops with all split points) as spade vertices and constraint
/// edges, plus a frame of four vertices well outside it. `local_of` is scratch space (all
/// `u32::MAX` on entry and exit).
fn region_boundary(
    c: &Checked,
    r: usize,
    nodes: &[[f64; 2]],
    splits: &HashMap<(u32, u32), (u32, u32)>,
    extra: &HashMap<(u32, u32), (u32, u32)>,
    local_of: &mut [u32],
) -> (Vec<Vtx>, Vec<[usize; 2]>) {
    // Boundary of region r with split points, as local vertices and constraint edges.
    let mut verts: Vec<Vtx> = Vec::new();
    let mut globals: Vec<u32> = Vec::new();
    let mut cons: Vec<[usize; 2]> = Vec::new();
    for (k, &(s, e)) in c.loops.iter().enumerate() {
        if c.loop_region[k] != r {
            continue;
        }
        let lp = &c.loop_points[s..e];
        let mut chain: Vec<u32> = Vec::with_capacity(lp.len());
        for j in 0..lp.len() {
            let (a, b) = (lp[j], lp[(j + 1) % lp.len()]);
            chain.push(a);
            let mut prev = a;
            for q in interior(splits, a, b) {
                chain.extend(interior(extra, prev, q));
                chain.push(q);
                prev = q;
            }
            chain.extend(interior(extra, prev, b));
        }
        let mut local = Vec::with_capacity(chain.len());
        for &g in &chain {
            if local_of[g as usize] == u32::MAX {
                local_of[g as usize] = verts.len() as u32;
                let q = nodes[g as usize];
                verts.push(Vtx {
                    pos: Point2::new(q[0], q[1]),
                    id: g,
                });
                globals.push(g);
            }
            local.push(local_of[g as usize] as usize);
        }
        for j in 0..local.len() {
            cons.push([local[j], local[(j + 1) % local.len()]]);
        }
    }
    for &g in &globals {
        local_of[g as usize] = u32::MAX;
    }
    // A frame well outside the region becomes the convex hull: spade splits hull edges
    // even when asked to keep constraint edges, and the region's own edges must stay.
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for v in &verts {
        lo = [lo[0].min(v.pos.x), lo[1].min(v.pos.y)];
        hi = [hi[0].max(v.pos.x), hi[1].max(v.pos.y)];
    }
    let pad = 0.5 * (hi[0] - lo[0]).max(hi[1] - lo[1]);
    for (x, y) in [
        (lo[0] - pad, lo[1] - pad),
        (hi[0] + pad, lo[1] - pad),
        (hi[0] + pad, hi[1] + pad),
        (lo[0] - pad, hi[1] + pad),
    ] {
        verts.push(Vtx {
            pos: Point2::new(x, y),
            id: FRAME,
        });
    }
    (verts, cons)
}

type RegionMesh = (Cdt, HashSet<FixedFaceHandle<InnerTag>>, bool);

/// Builds and refines one region's CDT. spade panics on inputs it cannot handle (overlapping
/// constraints that slipped through validation, loss of precision); that must not cross into
/// the caller, so it becomes an error here.
fn mesh_region(
    verts: Vec<Vtx>,
    cons: Vec<[usize; 2]>,
    params: RefinementParameters<f64>,
) -> Result<RegionMesh, String> {
    let run = move || -> Result<RegionMesh, String> {
        let mut cdt = Cdt::bulk_load_cdt(verts, cons).map_err(|e| format!("{e:?}"))?;
        let result = cdt.refine(params);
        let excluded: HashSet<_> = result.excluded_faces.into_iter().collect();
        Ok((cdt, excluded, result.refinement_complete))
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "triangulation kernel panicked".to_string());
            Err(msg)
        }
    }
}

/// Local smoothing of the triangles still below the angle limit: each Steiner node of such a
/// triangle moves towards the centroid of its neighbours (boundary Steiner points: its
/// projection on their input edge, so the geometry and the region areas stay) if that raises
/// the smallest angle of the triangles around it (never inverting one). Input points never
/// move. A few sweeps, in node order, so the result is deterministic.
fn smooth_bad(
    nodes: &mut [[f64; 2]],
    triangles: &[[u32; 3]],
    n_points: usize,
    line_of: &[(u32, u32)],
    limit: f64,
) {
    let n = nodes.len();
    // Node → incident triangles (CSR).
    let mut ptr = vec![0usize; n + 1];
    for t in triangles {
        for &i in t {
            ptr[i as usize + 1] += 1;
        }
    }
    for i in 0..n {
        ptr[i + 1] += ptr[i];
    }
    let mut fill = ptr.clone();
    let mut inc = vec![0u32; ptr[n]];
    for (k, t) in triangles.iter().enumerate() {
        for &i in t {
            inc[fill[i as usize]] = k as u32;
            fill[i as usize] += 1;
        }
    }
    let tri_min = |nodes: &[[f64; 2]], t: &[u32; 3]| {
        let [a, b, c] = t.map(|i| nodes[i as usize]);
        if orient(a, b, c) <= 0.0 {
            -1.0
        } else {
            min_angle_deg(a, b, c)
        }
    };
    let ring_min = |nodes: &[[f64; 2]], v: usize| {
        inc[ptr[v]..ptr[v + 1]]
            .iter()
            .map(|&k| tri_min(nodes, &triangles[k as usize]))
            .fold(f64::INFINITY, f64::min)
    };
    for _ in 0..SMOOTH_SWEEPS {
        let mut candidates: Vec<usize> = triangles
            .iter()
            .filter(|t| tri_min(nodes, t) < limit)
            .flat_map(|t| t.iter().map(|&i| i as usize))
            .filter(|&i| i >= n_points)
            .collect();
        if candidates.is_empty() {
            break;
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut moved = false;
        for v in candidates {
            let before = ring_min(nodes, v);
            let (mut sx, mut sy, mut m) = (0.0, 0.0, 0.0);
            for &k in &inc[ptr[v]..ptr[v + 1]] {
                for &j in &triangles[k as usize] {
                    if j as usize != v {
                        sx += nodes[j as usize][0];
                        sy += nodes[j as usize][1];
                        m += 1.0;
                    }
                }
            }
            if m == 0.0 {
                continue;
            }
            let old = nodes[v];
            let mut target = [sx / m, sy / m];
            if let Some(&(a, b)) = line_of.get(v) {
                if a == u32::MAX {
                    continue;
                }
                // A boundary point: project onto its input edge's line.
                let (pa, pb) = (nodes[a as usize], nodes[b as usize]);
                let d = [pb[0] - pa[0], pb[1] - pa[1]];
                let t = ((target[0] - pa[0]) * d[0] + (target[1] - pa[1]) * d[1])
                    / (d[0] * d[0] + d[1] * d[1]);
                if !(t > 0.0 && t < 1.0) {
                    continue;
                }
                target = [pa[0] + t * d[0], pa[1] + t * d[1]];
            }
            let mut best = (before, old);
            for w in [1.0, 0.5] {
                nodes[v] = [
                    old[0] + w * (target[0] - old[0]),
                    old[1] + w * (target[1] - old[1]),
                ];
                let q = ring_min(nodes, v);
                if q > best.0 {
                    best = (q, nodes[v]);
                }
            }
            moved |= best.1 != old;
            nodes[v] = best.1;
        }
        if !moved {
            break;
        }
    }
}

/// Sweeps of the local smoothing.
const SMOOTH_SWEEPS: usize = 4;

/// Growth of the boundary spacing with the distance from a point of smaller size (m/m).
const GRADING: f64 = 0.5;

/// Bisects the parameter interval [t0, t1] of an edge of length `len` until every piece is no
/// longer than the local size `min(h, sa + GRADING·x, sb + GRADING·(len − x))`; pushes the
/// split parameters in increasing order. Stops adding once `limit` points were produced.
#[allow(clippy::too_many_arguments)]
fn split_graded(
    len: f64,
    h: f64,
    sa: f64,
    sb: f64,
    t0: f64,
    t1: f64,
    out: &mut Vec<f64>,
    limit: usize,
) {
    let mid = 0.5 * (t0 + t1);
    let x = mid * len;
    let size = h.min(sa + GRADING * x).min(sb + GRADING * (len - x));
    if (t1 - t0) * len <= size * (1.0 + 1e-9) || out.len() > limit {
        return;
    }
    split_graded(len, h, sa, sb, t0, mid, out, limit);
    out.push(mid);
    split_graded(len, h, sa, sb, mid, t1, out, limit);
}

/// Is the triangle's centroid inside the diametral circle of a protected edge? Refinement may
/// not insert points there (they would encroach an edge it must not split), so bad triangles in
/// that disc are forced by the input.
fn near_protected(nodes: &[[f64; 2]], t: [[f64; 2]; 3], protected: &HashSet<(u32, u32)>) -> bool {
    let g = [
        (t[0][0] + t[1][0] + t[2][0]) / 3.0,
        (t[0][1] + t[1][1] + t[2][1]) / 3.0,
    ];
    protected.iter().any(|&(i, j)| {
        let (p, q) = (nodes[i as usize], nodes[j as usize]);
        // Inside the diametral circle <=> the angle p-g-q is obtuse (or on the segment).
        (p[0] - g[0]) * (q[0] - g[0]) + (p[1] - g[1]) * (q[1] - g[1]) <= 0.0
    })
}

/// Smallest angle of a triangle, degrees.
pub fn min_angle_deg(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    let ang = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| {
        let (u, v) = ([q[0] - p[0], q[1] - p[1]], [r[0] - p[0], r[1] - p[1]]);
        (u[0] * v[1] - u[1] * v[0])
            .abs()
            .atan2(u[0] * v[0] + u[1] * v[1])
    };
    ang(a, b, c)
        .min(ang(b, c, a))
        .min(ang(c, a, b))
        .to_degrees()
}

fn quality(
    p: &Pslg<'_>,
    c: &Checked,
    nodes: &[[f64; 2]],
    triangles: &[[u32; 3]],
    region: &[u32],
    protected: &HashSet<(u32, u32)>,
    opts: &MeshOptions,
) -> Quality {
    // Input corners whose angle inside the region is below the limit (refinement cannot fix
    // those), by point.
    let mut sharp = vec![false; c.n_points];
    let limit = opts.min_angle_deg;
    for &(s, e) in &c.loops {
        let lp = &c.loop_points[s..e];
        let n = lp.len();
        for j in 0..n {
            let (a, b, d) = (lp[(j + n - 1) % n], lp[j], lp[(j + 1) % n]);
            let (pa, pb, pd) = (point(p.points, a), point(p.points, b), point(p.points, d));
            // Region on the left: interior angle at b from (b→d) counter-clockwise to (b→a).
            let u = [pd[0] - pb[0], pd[1] - pb[1]];
            let v = [pa[0] - pb[0], pa[1] - pb[1]];
            let mut ang = (u[0] * v[1] - u[1] * v[0]).atan2(u[0] * v[0] + u[1] * v[1]);
            if ang < 0.0 {
                ang += 2.0 * std::f64::consts::PI;
            }
            if ang.to_degrees() < limit {
                sharp[b as usize] = true;
            }
        }
    }
    let mut q = Quality {
        min_angle_deg: f64::INFINITY,
        n_below: 0,
        n_below_forced: 0,
        region_area_m2: vec![0.0; p.region_size_m.len()],
    };
    for (t, tri) in triangles.iter().enumerate() {
        let [a, b, d] = tri.map(|i| nodes[i as usize]);
        q.region_area_m2[region[t] as usize] += 0.5 * orient(a, b, d);
        let m = min_angle_deg(a, b, d);
        q.min_angle_deg = q.min_angle_deg.min(m);
        if m < limit - 1e-9 {
            q.n_below += 1;
            let forced = tri
                .iter()
                .any(|&i| (i as usize) < c.n_points && sharp[i as usize])
                || near_protected(nodes, [a, b, d], protected);
            if forced {
                q.n_below_forced += 1;
            }
        }
    }
    if triangles.is_empty() {
        q.min_angle_deg = 0.0;
    }
    q
}
