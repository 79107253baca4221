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
//!
//! Each region's CDT is built once (in the boundary pre-pass) and kept: later boundary
//! points are inserted into it (splitting their constraint edge) and it is refined again,
//! instead of rebuilding it. Set `REPM_MESH_TIMING` to print phase times to stderr.

use std::collections::{HashMap, HashSet};

use spade::handles::{FixedFaceHandle, FixedVertexHandle, InnerTag};
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
    if !(p.sector_angle_rad.is_finite() && p.sector_angle_rad > 0.0) {
        return Err(MeshError::Input(format!(
            "sector_angle_rad = {} must be a positive finite angle (rad)",
            p.sector_angle_rad
        )));
    }
    let timing = std::env::var_os("REPM_MESH_TIMING").is_some();
    let t0 = std::time::Instant::now();
    let c = check(p)?;
    if c.n_points > opts.max_nodes {
        return Err(MeshError::TooManyNodes {
            limit: opts.max_nodes,
        });
    }
    let nodes: Vec<[f64; 2]> = (0..c.n_points as u32).map(|i| point(p.points, i)).collect();

    // --- 1. boundary discretisation -------------------------------------------------------
    let edges = unique_edges(&c);
    let edge_set: HashSet<(u32, u32)> = edges.iter().copied().collect();
    // Band-circle edges: consecutive band nodes (and the closing pair of a full circle).
    let mut band: HashSet<(u32, u32)> = HashSet::new();
    for list in [p.band_rotor_points, p.band_stator_points] {
        let n = list.len();
        for j in 0..n {
            let (a, b) = (list[j], list[(j + 1) % n]);
            if a < 0 || b < 0 || a as usize >= c.n_points || b as usize >= c.n_points {
                return Err(MeshError::Geometry(format!(
                    "band point {} is out of range 0..{}",
                    if a < 0 || a as usize >= c.n_points {
                        a
                    } else {
                        b
                    },
                    c.n_points
                )));
            }
            let (a, b) = (a as u32, b as u32);
            band.insert((a.min(b), a.max(b)));
        }
    }
    let mut protected: HashSet<(u32, u32)> = HashSet::new();
    let mut edge_size: HashMap<(u32, u32), f64> = HashMap::with_capacity(edges.len());
    let mut edge_regions: HashMap<(u32, u32), Vec<usize>> = HashMap::with_capacity(edges.len());
    for (k, &(s, e)) in c.loops.iter().enumerate() {
        let h = p.region_size_m[c.loop_region[k]];
        let lp = &c.loop_points[s..e];
        for j in 0..lp.len() {
            let (a, b) = (lp[j], lp[(j + 1) % lp.len()]);
            let key = (a.min(b), a.max(b));
            if p.loop_protected[k] && (band.is_empty() || band.contains(&key)) {
                protected.insert(key);
            }
            edge_regions.entry(key).or_default().push(c.loop_region[k]);
            if h > 0.0 {
                let entry = edge_size.entry(key).or_insert(h);
                *entry = entry.min(h);
            }
        }
    }
    // Periodic partner of each point: (partner, rotation angle from this point to it).
    let mut partner: Vec<(u32, f64)> = vec![(u32::MAX, 0.0); c.n_points];
    for pair in p.periodic_pairs.chunks_exact(2) {
        let (a, b) = (pair[0] as u32, pair[1] as u32);
        partner[a as usize] = (b, p.sector_angle_rad);
        partner[b as usize] = (a, -p.sector_angle_rad);
    }
    let mut bd = Boundary::new(nodes);
    // Sector sides: an edge between periodic points whose image edge exists. The smaller key
    // is the master; splits are made on it and rotated onto the other.
    for &key in &edges {
        if band.contains(&key) {
            continue;
        }
        let (pa, pb) = (partner[key.0 as usize], partner[key.1 as usize]);
        if pa.0 == u32::MAX || pb.0 == u32::MAX {
            continue;
        }
        if pa.1 != pb.1 {
            protected.insert(key);
            continue;
        }
        let img = (pa.0.min(pb.0), pa.0.max(pb.0));
        // Only a true rotation image is a side pair (both endpoints map by the sector angle).
        let maps = |i: u32, j: u32, angle: f64| {
            let (q, r) = (rotate(bd.nodes[i as usize], angle), bd.nodes[j as usize]);
            let scale = q[0].abs().max(q[1].abs()).max(r[0].abs()).max(r[1].abs());
            (q[0] - r[0]).hypot(q[1] - r[1]) <= 1e-9 * scale.max(f64::MIN_POSITIVE)
        };
        if !(maps(key.0, pa.0, pa.1) && maps(key.1, pb.0, pb.1)) {
            // Paired points that are not images of each other: keep the edge as it is.
            protected.insert(key);
            continue;
        }
        if img == key || !edge_set.contains(&img) || band.contains(&img) || key > img {
            continue;
        }
        bd.side.insert(key, (img, pa.1));
        bd.slave.insert(img, key);
    }
    for (&m, &(s, _)) in &bd.side {
        protected.remove(&m);
        protected.remove(&s);
    }
    // The partner side's size counts for the master's splits.
    for (&m, &(s, _)) in &bd.side {
        let hs = edge_size.get(&s).copied();
        if let Some(hs) = hs {
            let entry = edge_size.entry(m).or_insert(hs);
            *entry = entry.min(hs);
        }
    }
    // Boundary size at each point: the smallest (target size or length) of its edges, so
    // that splits grade from short edges and sharp transitions instead of leaving slivers
    // between a fine and a coarse boundary.
    let mut point_size = vec![f64::INFINITY; c.n_points];
    for &key in &edges {
        let (a, b) = (bd.nodes[key.0 as usize], bd.nodes[key.1 as usize]);
        let len = (b[0] - a[0]).hypot(b[1] - a[1]);
        let h = match edge_size.get(&key) {
            Some(&h) if !protected.contains(&key) => h.min(len),
            _ => len,
        };
        for i in [key.0, key.1] {
            point_size[i as usize] = point_size[i as usize].min(h);
        }
    }
    // Mirror point sizes across the sides so both sides grade alike.
    for i in 0..c.n_points {
        let j = partner[i].0;
        if j != u32::MAX {
            let s = point_size[i].min(point_size[j as usize]);
            point_size[i] = s;
            point_size[j as usize] = s;
        }
    }
    let mut ts: Vec<f64> = Vec::new();
    for &key in &edges {
        if protected.contains(&key) || bd.slave.contains_key(&key) {
            continue;
        }
        let Some(&h) = edge_size.get(&key) else {
            continue;
        };
        let (a, b) = (bd.nodes[key.0 as usize], bd.nodes[key.1 as usize]);
        let len = (b[0] - a[0]).hypot(b[1] - a[1]);
        if len <= h {
            continue;
        }
        let (sa, sb) = (point_size[key.0 as usize], point_size[key.1 as usize]);
        ts.clear();
        split_graded(len, h, sa, sb, 0.0, 1.0, &mut ts, opts.max_nodes);
        if bd.nodes.len() + 2 * ts.len() > opts.max_nodes {
            return Err(MeshError::TooManyNodes {
                limit: opts.max_nodes,
            });
        }
        for &t in &ts {
            bd.insert_t(key, t);
        }
    }

    // --- 1b. boundary spacing from the local feature size ------------------------------------
    // A quality refinement of each region without area limit that may split boundary edges:
    // the points it puts on non-protected boundary edges are where Ruppert's algorithm needs
    // them (thin bridges, close features). Both sides' points become fixed boundary points.
    if timing {
        eprintln!("mesh: boundary {:?}", t0.elapsed());
    }
    let kept = feature_splits(p, &c, &mut bd, &protected, opts)?;
    if timing {
        eprintln!("mesh: feature_splits {:?}", t0.elapsed());
    }

    // --- 2. region by region, then boundary splits where refinement is blocked -------------
    let n_regions = p.region_size_m.len();
    let area_factor = 3f64.sqrt() / 4.0;
    let sharp = sharp_corners(p, &c, opts.min_angle_deg);
    // Aim slightly above the limit: spade's skinny test works on the circumradius-to-shortest-
    // edge ratio and leaves the odd triangle a hair under the exact angle.
    let angle = AngleLimit::from_deg(opts.min_angle_deg + ANGLE_MARGIN_DEG);
    let mut meshes: Vec<Option<RegionTris>> = vec![None; n_regions];
    let mut dirty: Vec<usize> = (0..n_regions)
        .filter(|&r| p.region_size_m[r] > 0.0)
        .collect();
    let mut local_of: Vec<u32> = Vec::new();
    let mut cdts = kept;
    for round in 0..=MAX_SPLIT_ROUNDS {
        let mut steiner_total: usize = meshes.iter().flatten().map(|m| m.steiner.len()).sum();
        for &r in &dirty {
            if let Some(old) = &meshes[r] {
                steiner_total -= old.steiner.len();
            }
            local_of.resize(bd.nodes.len(), u32::MAX);
            let h = p.region_size_m[r];
            let tr = std::time::Instant::now();
            let (verts, cons, sub) = region_boundary(&c, r, &bd, &mut local_of);
            let budget = opts
                .max_nodes
                .saturating_sub(bd.nodes.len() + steiner_total);
            let params = RefinementParameters::<f64>::new()
                .exclude_outer_faces(true)
                .keep_constraint_edges()
                .with_angle_limit(angle)
                .with_max_allowed_area(area_factor * h * h)
                .with_max_additional_vertices(budget);
            // After the first round only boundary points were added: insert them into the
            // region's refined CDT and refine again (much cheaper than a rebuild); fall back
            // to a fresh mesh if that does not work out.
            let updated = match cdts[r].take() {
                Some(mut kept) => remesh_incremental(&mut kept, &sub, &bd.nodes, params.clone())
                    .map(|(excluded, complete)| (kept.0, kept.1, excluded, complete)),
                None => None,
            };
            let (cdt, ids, excluded, complete) = match updated {
                Some(x) => x,
                None => {
                    let (cdt, excluded, complete) = mesh_region(verts, cons, params)
                        .map_err(|msg| MeshError::Failed(format!("region {r}: {msg}")))?;
                    let ids = boundary_handles(&cdt);
                    (cdt, ids, excluded, complete)
                }
            };
            if !complete {
                return Err(MeshError::TooManyNodes {
                    limit: opts.max_nodes,
                });
            }
            let rt = collect_region(&cdt, &excluded, sub)
                .map_err(|msg| MeshError::Failed(format!("region {r}: {msg}")))?;
            cdts[r] = Some((cdt, ids));
            steiner_total += rt.steiner.len();
            if timing {
                eprintln!(
                    "mesh:   region {r}: {} boundary + {} steiner, {:?}",
                    rt.sub.len(),
                    rt.steiner.len(),
                    tr.elapsed()
                );
            }
            meshes[r] = Some(rt);
        }
        if bd.nodes.len() + steiner_total > opts.max_nodes {
            return Err(MeshError::TooManyNodes {
                limit: opts.max_nodes,
            });
        }
        if timing {
            eprintln!(
                "mesh: round {round} meshed {} regions {:?} (steiner {steiner_total})",
                dirty.len(),
                t0.elapsed()
            );
        }
        if round == MAX_SPLIT_ROUNDS {
            break;
        }
        // Bad triangles the refinement could not fix because a boundary edge blocks it.
        let mut wanted: Vec<((u32, u32), f64)> = Vec::new();
        for (r, m) in meshes.iter().enumerate() {
            let Some(m) = m else { continue };
            for tri in &m.tris {
                let pos = tri.map(|i| m.pos(&bd.nodes, i));
                let ang = min_angle_deg(pos[0], pos[1], pos[2]);
                if ang >= opts.min_angle_deg {
                    continue;
                }
                if let Verdict::Split(list) = classify(
                    tri,
                    pos,
                    m,
                    &bd,
                    &sharp[r],
                    &protected,
                    opts.min_angle_deg,
                    false,
                ) {
                    for s in list {
                        let (u, v) = m.sub[s];
                        if let Some(t) = bd.mid_t(u, v) {
                            wanted.push(t);
                        }
                    }
                }
            }
        }
        if timing {
            eprintln!("mesh: classify {} wanted {:?}", wanted.len(), t0.elapsed());
        }
        if wanted.is_empty() {
            break;
        }
        wanted.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
        wanted.dedup_by(|x, y| x.0 == y.0 && (x.1 - y.1).abs() < 1e-12);
        let mut touched: Vec<usize> = Vec::new();
        for (key, t) in wanted {
            if bd.insert_t(key, t) {
                for k in [Some(key), bd.side.get(&key).map(|x| x.0)]
                    .into_iter()
                    .flatten()
                {
                    touched.extend(edge_regions.get(&k).into_iter().flatten());
                }
            }
        }
        touched.sort_unstable();
        touched.dedup();
        dirty = touched
            .into_iter()
            .filter(|&r| p.region_size_m[r] > 0.0)
            .collect();
        if dirty.is_empty() {
            break;
        }
    }

    // --- 3. numbering: input points, boundary points, interior points region by region -----
    let first_interior = bd.nodes.len();
    let mut nodes = bd.nodes.clone();
    let mut triangles: Vec<[u32; 3]> = Vec::new();
    let mut region: Vec<u32> = Vec::new();
    let mut tri_local: Vec<(usize, usize)> = Vec::new();
    for (r, m) in meshes.iter().enumerate() {
        let Some(m) = m else { continue };
        let base = nodes.len() as u32;
        nodes.extend_from_slice(&m.steiner);
        for (k, tri) in m.tris.iter().enumerate() {
            triangles.push(tri.map(|i| if i >= LOCAL { base + (i - LOCAL) } else { i }));
            region.push(r as u32);
            tri_local.push((r, k));
        }
    }

    // Boundary Steiner points may slide along the straight input edge they split (not on the
    // sector sides, whose points must stay paired).
    let mut line_of = bd.line_of.clone();
    for (i, l) in line_of.iter_mut().enumerate() {
        if bd.paired[i] {
            *l = (u32::MAX, u32::MAX);
        }
    }
    line_of.truncate(first_interior);
    if timing {
        eprintln!("mesh: numbering {:?}", t0.elapsed());
    }
    smooth_bad(
        &mut nodes,
        &triangles,
        c.n_points,
        &line_of,
        opts.min_angle_deg,
    );
    // Classify what is still below the limit (after smoothing, on the final positions).
    let verdicts: Vec<Verdict> = triangles
        .iter()
        .zip(&tri_local)
        .map(|(tri, &(r, _))| {
            let pos = tri.map(|i| nodes[i as usize]);
            match &meshes[r] {
                Some(m) if min_angle_deg(pos[0], pos[1], pos[2]) < opts.min_angle_deg - 1e-9 => {
                    classify(
                        tri,
                        pos,
                        m,
                        &bd,
                        &sharp[r],
                        &protected,
                        opts.min_angle_deg,
                        true,
                    )
                }
                _ => Verdict::Good,
            }
        })
        .collect();
    let quality = quality(p, &nodes, &triangles, &region, &verdicts, opts);
    if timing {
        eprintln!("mesh: done {:?}", t0.elapsed());
    }
    let mut periodic_pairs: Vec<[u32; 2]> = p
        .periodic_pairs
        .chunks_exact(2)
        .map(|q| [q[0] as u32, q[1] as u32])
        .collect();
    periodic_pairs.extend_from_slice(&bd.pairs);
    Ok(Mesh {
        nodes,
        triangles,
        region,
        periodic_pairs,
        quality,
    })
}

/// Rounds of "split the boundary edges that block refinement, re-mesh their regions".
const MAX_SPLIT_ROUNDS: usize = 12;

/// Local ids at or above this index refer to a region's own Steiner points.
const LOCAL: u32 = 1 << 31;

/// The boundary points: per input edge (min, max), its split points as (parameter from min to
/// max, node id), sorted; sector-side pairs split alike.
struct Boundary {
    nodes: Vec<[f64; 2]>,
    pts: HashMap<(u32, u32), Vec<(f64, u32)>>,
    /// Master side edge → (its image edge, rotation angle master → image).
    side: HashMap<(u32, u32), ((u32, u32), f64)>,
    /// Image side edge → master.
    slave: HashMap<(u32, u32), (u32, u32)>,
    /// New periodic pairs (a, b): b is a rotated by +sector angle.
    pairs: Vec<[u32; 2]>,
    /// Input edge of each boundary point ((MAX, MAX) for input points).
    line_of: Vec<(u32, u32)>,
    /// Whether a node is on a sector side.
    paired: Vec<bool>,
}

fn rotate(q: [f64; 2], angle: f64) -> [f64; 2] {
    let (s, c) = angle.sin_cos();
    [c * q[0] - s * q[1], s * q[0] + c * q[1]]
}

impl Boundary {
    fn new(nodes: Vec<[f64; 2]>) -> Self {
        let n = nodes.len();
        Boundary {
            nodes,
            pts: HashMap::new(),
            side: HashMap::new(),
            slave: HashMap::new(),
            pairs: Vec::new(),
            line_of: vec![(u32::MAX, u32::MAX); n],
            paired: vec![false; n],
        }
    }

    /// Parameter of node `i` on input edge `key`.
    fn t_of(&self, key: (u32, u32), i: u32) -> f64 {
        if i == key.0 {
            0.0
        } else if i == key.1 {
            1.0
        } else {
            self.pts
                .get(&key)
                .and_then(|v| v.iter().find(|x| x.1 == i))
                .map_or(f64::NAN, |x| x.0)
        }
    }

    /// The input edge of boundary sub-edge (u, v) and the parameter of its midpoint.
    fn mid_t(&self, u: u32, v: u32) -> Option<((u32, u32), f64)> {
        let key = if self.line_of[u as usize].0 != u32::MAX {
            self.line_of[u as usize]
        } else if self.line_of[v as usize].0 != u32::MAX {
            self.line_of[v as usize]
        } else {
            (u.min(v), u.max(v))
        };
        let t = 0.5 * (self.t_of(key, u) + self.t_of(key, v));
        t.is_finite().then_some((key, t))
    }

    /// Adds the point at parameter `t` of input edge `key` (and its image on the partner side).
    /// Returns false when it is too close to an existing point.
    fn insert_t(&mut self, key: (u32, u32), t: f64) -> bool {
        let (key, t) = match self.slave.get(&key) {
            Some(&m) => {
                // Map to the master edge through the rotation.
                let (a, b) = (self.nodes[key.0 as usize], self.nodes[key.1 as usize]);
                let q = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
                let angle = self.side.get(&m).map_or(0.0, |x| x.1);
                (m, self.param(m, rotate(q, -angle)))
            }
            None => (key, t),
        };
        if !(t > 1e-9 && t < 1.0 - 1e-9) {
            return false;
        }
        let list = self.pts.entry(key).or_default();
        let at = list.partition_point(|x| x.0 < t);
        let close = |j: usize| {
            list.get(j)
                .is_some_and(|x: &(f64, u32)| (x.0 - t).abs() < 1e-9)
        };
        if close(at) || (at > 0 && close(at - 1)) {
            return false;
        }
        let (a, b) = (self.nodes[key.0 as usize], self.nodes[key.1 as usize]);
        let q = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
        let id = self.push(q, key);
        if let Some(list) = self.pts.get_mut(&key) {
            list.insert(at, (t, id));
        }
        if let Some(&(img, angle)) = self.side.get(&key) {
            let q2 = rotate(q, angle);
            let t2 = self.param(img, q2);
            let id2 = self.push(q2, img);
            let list = self.pts.entry(img).or_default();
            let at2 = list.partition_point(|x| x.0 < t2);
            list.insert(at2, (t2, id2));
            self.paired[id as usize] = true;
            self.paired[id2 as usize] = true;
            self.pairs
                .push(if angle > 0.0 { [id, id2] } else { [id2, id] });
        }
        true
    }

    fn param(&self, key: (u32, u32), q: [f64; 2]) -> f64 {
        let (a, b) = (self.nodes[key.0 as usize], self.nodes[key.1 as usize]);
        let d = [b[0] - a[0], b[1] - a[1]];
        ((q[0] - a[0]) * d[0] + (q[1] - a[1]) * d[1]) / (d[0] * d[0] + d[1] * d[1])
    }

    fn push(&mut self, q: [f64; 2], key: (u32, u32)) -> u32 {
        self.nodes.push(q);
        self.line_of.push(key);
        self.paired.push(false);
        (self.nodes.len() - 1) as u32
    }

    /// Points of input edge (a, b) strictly between them, ordered from a to b.
    fn between(&self, a: u32, b: u32) -> impl Iterator<Item = u32> + '_ {
        let list = self
            .pts
            .get(&(a.min(b), a.max(b)))
            .map_or(&[][..], |v| &v[..]);
        let fwd = a < b;
        list.iter()
            .map(|x| x.1)
            .filter(move |_| fwd)
            .chain(list.iter().rev().map(|x| x.1).filter(move |_| !fwd))
    }
}

/// One region's triangles: ids below `LOCAL` are global boundary nodes, others index
/// `steiner`. `sub` lists the region's boundary sub-edges (global ids).
#[derive(Clone)]
struct RegionTris {
    steiner: Vec<[f64; 2]>,
    tris: Vec<[u32; 3]>,
    sub: Vec<(u32, u32)>,
}

impl RegionTris {
    fn pos(&self, nodes: &[[f64; 2]], i: u32) -> [f64; 2] {
        if i >= LOCAL {
            self.steiner[(i - LOCAL) as usize]
        } else {
            nodes[i as usize]
        }
    }
}

fn collect_region(
    cdt: &Cdt,
    excluded: &HashSet<FixedFaceHandle<InnerTag>>,
    sub: Vec<(u32, u32)>,
) -> Result<RegionTris, String> {
    let mut new_id: Vec<u32> = vec![u32::MAX; cdt.num_vertices()];
    let mut rt = RegionTris {
        steiner: Vec::new(),
        tris: Vec::new(),
        sub,
    };
    for face in cdt.inner_faces() {
        if excluded.contains(&face.fix()) {
            continue;
        }
        let vs = face.vertices();
        let mut tri = [0u32; 3];
        for (t, v) in vs.iter().enumerate() {
            let data = v.data();
            tri[t] = if data.id == FRAME {
                return Err("a triangle reached the outer frame".to_string());
            } else if data.id != u32::MAX {
                data.id
            } else {
                let slot = &mut new_id[v.fix().index()];
                if *slot == u32::MAX {
                    *slot = LOCAL + rt.steiner.len() as u32;
                    rt.steiner.push([data.pos.x, data.pos.y]);
                }
                *slot
            };
        }
        rt.tris.push(tri);
    }
    Ok(rt)
}

/// Why a triangle is below the angle limit.
#[derive(Clone, Debug, PartialEq)]
enum Verdict {
    Good,
    /// Its small angle sits at an input corner sharper than the limit.
    SharpCorner,
    /// Its circumcentre lies in the diametral circle of an unsplittable (protected) boundary
    /// edge of its region and of no splittable one: refinement may not insert it.
    Protected,
    /// Boundary sub-edges (indices into the region's `sub`) to split.
    Split(Vec<usize>),
}

/// Per region, the input points at which the region's angle is below the limit.
fn sharp_corners(p: &Pslg<'_>, c: &Checked, limit: f64) -> Vec<HashSet<u32>> {
    let mut sharp = vec![HashSet::new(); p.region_size_m.len()];
    for (k, &(s, e)) in c.loops.iter().enumerate() {
        let lp = &c.loop_points[s..e];
        let n = lp.len();
        for j in 0..n {
            let (a, b, d) = (lp[(j + n - 1) % n], lp[j], lp[(j + 1) % n]);
            let (pa, pb, pd) = (point(p.points, a), point(p.points, b), point(p.points, d));
            if corner_angle_deg(pa, pb, pd) < limit {
                sharp[c.loop_region[k]].insert(b);
            }
        }
    }
    sharp
}

/// Angle at b inside the region on the left of a → b → d, degrees in [0, 360).
fn corner_angle_deg(pa: [f64; 2], pb: [f64; 2], pd: [f64; 2]) -> f64 {
    let u = [pd[0] - pb[0], pd[1] - pb[1]];
    let v = [pa[0] - pb[0], pa[1] - pb[1]];
    let mut ang = (u[0] * v[1] - u[1] * v[0]).atan2(u[0] * v[0] + u[1] * v[1]);
    if ang < 0.0 {
        ang += 2.0 * std::f64::consts::PI;
    }
    ang.to_degrees()
}

fn angle_at(p: [f64; 2], q: [f64; 2], r: [f64; 2]) -> f64 {
    let (u, v) = ([q[0] - p[0], q[1] - p[1]], [r[0] - p[0], r[1] - p[1]]);
    (u[0] * v[1] - u[1] * v[0])
        .abs()
        .atan2(u[0] * v[0] + u[1] * v[1])
        .to_degrees()
}

#[allow(clippy::too_many_arguments)]
fn classify(
    tri: &[u32; 3],
    pos: [[f64; 2]; 3],
    m: &RegionTris,
    bd: &Boundary,
    sharp: &HashSet<u32>,
    protected: &HashSet<(u32, u32)>,
    limit: f64,
    lune: bool,
) -> Verdict {
    for k in 0..3 {
        let i = tri[k];
        if sharp.contains(&i) && angle_at(pos[k], pos[(k + 1) % 3], pos[(k + 2) % 3]) < limit {
            return Verdict::SharpCorner;
        }
    }
    // The shortest edge spans a sharp corner: its ends lie on the two input edges meeting
    // there (the "lune" next to a small input angle, which refinement cannot improve without
    // cascading towards the corner).
    let k = (0..3)
        .min_by(|&x, &y| {
            let d = |k: usize| {
                let (a, b) = (pos[k], pos[(k + 1) % 3]);
                (a[0] - b[0]).hypot(a[1] - b[1])
            };
            d(x).total_cmp(&d(y))
        })
        .unwrap_or(0);
    let (u, v) = (tri[k] as usize, tri[(k + 1) % 3] as usize);
    if lune && u < bd.line_of.len() && v < bd.line_of.len() {
        let (ku, kv) = (bd.line_of[u], bd.line_of[v]);
        if ku.0 != u32::MAX && kv.0 != u32::MAX && ku != kv {
            let apex = [ku.0, ku.1].into_iter().find(|&a| a == kv.0 || a == kv.1);
            if apex.is_some_and(|a| sharp.contains(&a)) {
                return Verdict::SharpCorner;
            }
        }
    }
    let Some(cc) = circumcentre(pos) else {
        return Verdict::Split(Vec::new());
    };
    let is_protected = |u: u32, v: u32| -> bool {
        let key = if bd.line_of[u as usize].0 != u32::MAX {
            bd.line_of[u as usize]
        } else if bd.line_of[v as usize].0 != u32::MAX {
            bd.line_of[v as usize]
        } else {
            (u.min(v), u.max(v))
        };
        protected.contains(&key)
    };
    let mut split = Vec::new();
    let mut blocked = false;
    let mut nearest = (f64::INFINITY, usize::MAX);
    for (s, &(u, v)) in m.sub.iter().enumerate() {
        let (a, b) = (bd.nodes[u as usize], bd.nodes[v as usize]);
        let enc = (a[0] - cc[0]) * (b[0] - cc[0]) + (a[1] - cc[1]) * (b[1] - cc[1]) <= 0.0;
        if enc {
            if is_protected(u, v) {
                blocked = true;
            } else {
                split.push(s);
            }
        } else if split.is_empty() && !blocked {
            let d = seg_dist2(cc, a, b);
            if d < nearest.0 {
                nearest = (d, s);
            }
        }
    }
    if !split.is_empty() {
        return Verdict::Split(split);
    }
    if blocked {
        return Verdict::Protected;
    }
    // The circumcentre encroaches nothing, yet spade left the triangle: split the nearest
    // boundary edge (the one keeping the circumcentre out of the region).
    match nearest.1 {
        s if s != usize::MAX && !is_protected(m.sub[s].0, m.sub[s].1) => Verdict::Split(vec![s]),
        s if s != usize::MAX => Verdict::Protected,
        _ => Verdict::Split(Vec::new()),
    }
}

fn seg_dist2(q: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let d = [b[0] - a[0], b[1] - a[1]];
    let l2 = d[0] * d[0] + d[1] * d[1];
    let t = if l2 > 0.0 {
        (((q[0] - a[0]) * d[0] + (q[1] - a[1]) * d[1]) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (a[0] + t * d[0] - q[0], a[1] + t * d[1] - q[1]);
    x * x + y * y
}

fn circumcentre(t: [[f64; 2]; 3]) -> Option<[f64; 2]> {
    let (b, c) = (
        [t[1][0] - t[0][0], t[1][1] - t[0][1]],
        [t[2][0] - t[0][0], t[2][1] - t[0][1]],
    );
    let d = 2.0 * (b[0] * c[1] - b[1] * c[0]);
    if d == 0.0 {
        return None;
    }
    let (b2, c2) = (b[0] * b[0] + b[1] * b[1], c[0] * c[0] + c[1] * c[1]);
    Some([
        t[0][0] + (c[1] * b2 - b[1] * c2) / d,
        t[0][1] + (b[0] * c2 - c[0] * b2) / d,
    ])
}

/// The boundary pre-pass (see step 1b of `triangulate`): adds, on every non-protected input
/// edge, the points a splitting quality refinement of its regions puts there.
fn feature_splits(
    p: &Pslg<'_>,
    c: &Checked,
    bd: &mut Boundary,
    protected: &HashSet<(u32, u32)>,
    opts: &MeshOptions,
) -> Result<Vec<Option<KeptCdt>>, MeshError> {
    let mut kept: Vec<Option<KeptCdt>> = (0..p.region_size_m.len()).map(|_| None).collect();
    let mut local_of = vec![u32::MAX; bd.nodes.len()];
    let mut wanted: Vec<((u32, u32), f64)> = Vec::new();
    for (r, slot) in kept.iter_mut().enumerate() {
        if p.region_size_m[r] <= 0.0 {
            continue;
        }
        let (verts, cons, _) = region_boundary(c, r, bd, &mut local_of);
        // Bounded heuristic pass; an incomplete one still gives useful splits.
        let budget = (verts.len() + 100).min(opts.max_nodes.saturating_sub(bd.nodes.len()));
        let params = RefinementParameters::<f64>::new()
            .exclude_outer_faces(true)
            .with_angle_limit(AngleLimit::from_deg(opts.min_angle_deg + ANGLE_MARGIN_DEG))
            .with_max_additional_vertices(budget);
        let fail = |msg| MeshError::Failed(format!("boundary pre-pass, region {r}: {msg}"));
        let mut cdt = build_cdt(verts, cons).map_err(fail)?;
        // The unrefined CDT is where the region's main meshing starts from (it only lacks
        // the boundary points added below).
        let ids = boundary_handles(&cdt);
        *slot = Some((cdt.clone(), ids));
        refine_cdt(&mut cdt, params).map_err(fail)?;
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
                if g2 >= FRAME || g1 > g2 {
                    continue;
                }
                let Some((key, _)) = bd.mid_t(g1, g2) else {
                    continue;
                };
                if protected.contains(&key) {
                    continue;
                }
                for q in chain {
                    wanted.push((key, bd.param(key, [q.x, q.y])));
                }
            }
        }
    }
    // Deterministic node numbering: sorted edges, sorted parameters.
    wanted.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
    for (key, t) in wanted {
        bd.insert_t(key, t);
        if bd.nodes.len() > opts.max_nodes {
            return Err(MeshError::TooManyNodes {
                limit: opts.max_nodes,
            });
        }
    }
    Ok(kept)
}

/// Spade vertices, constraint edges (local) and boundary sub-edges (global ids).
type RegionLoops = (Vec<Vtx>, Vec<[usize; 2]>, Vec<(u32, u32)>);

/// Region `r`'s boundary (loops with all split points) as spade vertices and constraint
/// edges, plus a frame of four vertices well outside it, and its boundary sub-edges (global
/// ids). `local_of` is scratch space (all `u32::MAX` on entry and exit).
fn region_boundary(c: &Checked, r: usize, bd: &Boundary, local_of: &mut [u32]) -> RegionLoops {
    let mut verts: Vec<Vtx> = Vec::new();
    let mut globals: Vec<u32> = Vec::new();
    let mut cons: Vec<[usize; 2]> = Vec::new();
    let mut sub: Vec<(u32, u32)> = Vec::new();
    for (k, &(s, e)) in c.loops.iter().enumerate() {
        if c.loop_region[k] != r {
            continue;
        }
        let lp = &c.loop_points[s..e];
        let mut chain: Vec<u32> = Vec::with_capacity(lp.len());
        for j in 0..lp.len() {
            let (a, b) = (lp[j], lp[(j + 1) % lp.len()]);
            chain.push(a);
            chain.extend(bd.between(a, b));
        }
        let mut local = Vec::with_capacity(chain.len());
        for &g in &chain {
            if local_of[g as usize] == u32::MAX {
                local_of[g as usize] = verts.len() as u32;
                let q = bd.nodes[g as usize];
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
            sub.push((chain[j], chain[(j + 1) % chain.len()]));
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
    (verts, cons, sub)
}

fn quality(
    p: &Pslg<'_>,
    nodes: &[[f64; 2]],
    triangles: &[[u32; 3]],
    region: &[u32],
    verdicts: &[Verdict],
    opts: &MeshOptions,
) -> Quality {
    let limit = opts.min_angle_deg;
    let mut q = Quality {
        min_angle_deg: f64::INFINITY,
        n_below: 0,
        n_below_forced: 0,
        n_below_sharp_corner: 0,
        n_below_protected: 0,
        region_area_m2: vec![0.0; p.region_size_m.len()],
    };
    for (t, tri) in triangles.iter().enumerate() {
        let [a, b, d] = tri.map(|i| nodes[i as usize]);
        q.region_area_m2[region[t] as usize] += 0.5 * orient(a, b, d);
        let m = min_angle_deg(a, b, d);
        q.min_angle_deg = q.min_angle_deg.min(m);
        if m < limit - 1e-9 {
            q.n_below += 1;
            match verdicts[t] {
                Verdict::SharpCorner => q.n_below_sharp_corner += 1,
                Verdict::Protected => q.n_below_protected += 1,
                _ => {}
            }
        }
    }
    q.n_below_forced = q.n_below_sharp_corner + q.n_below_protected;
    if triangles.is_empty() {
        q.min_angle_deg = 0.0;
    }
    q
}
type RegionMesh = (Cdt, HashSet<FixedFaceHandle<InnerTag>>, bool);

/// A region's refined CDT and the handle of each of its boundary nodes (global id → vertex).
type KeptCdt = (Cdt, HashMap<u32, FixedVertexHandle>);

/// Adds the boundary points of `sub` (the region's boundary sub-edges, global ids) that the
/// kept CDT lacks, splitting the constraint edges they lie on, and refines again with
/// `params`. Returns the excluded faces and whether refinement completed, or `None` when the
/// update is not a plain subdivision of the old boundary or spade fails (the caller then
/// meshes the region afresh; `kept` may be left half-updated and must be dropped).
fn remesh_incremental(
    kept: &mut KeptCdt,
    sub: &[(u32, u32)],
    nodes: &[[f64; 2]],
    params: RefinementParameters<f64>,
) -> Option<(HashSet<FixedFaceHandle<InnerTag>>, bool)> {
    let run = || -> Option<(HashSet<FixedFaceHandle<InnerTag>>, bool)> {
        let (cdt, ids) = &mut *kept;
        let mut next: HashMap<u32, u32> = HashMap::with_capacity(sub.len());
        for &(u, v) in sub {
            if next.insert(u, v).is_some() {
                return None;
            }
        }
        let mut chain: Vec<u32> = Vec::new();
        for &(u, v) in sub {
            if !ids.contains_key(&u) || ids.contains_key(&v) {
                continue;
            }
            // New points u → g1 … gk → w on the old sub-edge (u, w).
            chain.clear();
            let mut cur = v;
            while !ids.contains_key(&cur) {
                if chain.len() > sub.len() {
                    return None;
                }
                chain.push(cur);
                cur = *next.get(&cur)?;
            }
            let (hu, hw) = (*ids.get(&u)?, *ids.get(&cur)?);
            let edge = cdt.get_edge_from_neighbors(hu, hw)?;
            if !edge.is_constraint_edge() {
                return None;
            }
            let edge = edge.fix().as_undirected();
            cdt.remove_constraint_edge(edge);
            let mut prev = hu;
            for &g in &chain {
                let q = nodes[g as usize];
                let before = cdt.num_vertices();
                let h = cdt
                    .insert(Vtx {
                        pos: Point2::new(q[0], q[1]),
                        id: g,
                    })
                    .ok()?;
                if cdt.num_vertices() != before + 1 {
                    return None;
                }
                ids.insert(g, h);
                cdt.add_constraint(prev, h);
                if !cdt.exists_constraint(prev, h) {
                    return None;
                }
                prev = h;
            }
            cdt.add_constraint(prev, hw);
            if !cdt.exists_constraint(prev, hw) {
                return None;
            }
        }
        // Every boundary point of the region must now be in the CDT.
        if sub.iter().any(|(u, _)| !ids.contains_key(u)) {
            return None;
        }
        let result = cdt.refine(params);
        let excluded: HashSet<_> = result.excluded_faces.into_iter().collect();
        Some((excluded, result.refinement_complete))
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or(None)
}

/// Builds and refines one region's CDT. spade panics on inputs it cannot handle (overlapping
/// constraints that slipped through validation, loss of precision); that must not cross into
/// the caller, so it becomes an error here.
fn mesh_region(
    verts: Vec<Vtx>,
    cons: Vec<[usize; 2]>,
    params: RefinementParameters<f64>,
) -> Result<RegionMesh, String> {
    let mut cdt = build_cdt(verts, cons)?;
    let (excluded, complete) = refine_cdt(&mut cdt, params)?;
    Ok((cdt, excluded, complete))
}

/// Runs `f`, turning a spade panic into an error message.
fn no_panic<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
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

/// The CDT of a region's boundary (see `mesh_region`).
fn build_cdt(verts: Vec<Vtx>, cons: Vec<[usize; 2]>) -> Result<Cdt, String> {
    no_panic(move || Cdt::bulk_load_cdt(verts, cons).map_err(|e| format!("{e:?}")))
}

/// Refines a CDT in place; returns its excluded faces and whether refinement completed.
fn refine_cdt(
    cdt: &mut Cdt,
    params: RefinementParameters<f64>,
) -> Result<(HashSet<FixedFaceHandle<InnerTag>>, bool), String> {
    no_panic(move || {
        let result = cdt.refine(params);
        let excluded: HashSet<_> = result.excluded_faces.into_iter().collect();
        Ok((excluded, result.refinement_complete))
    })
}

/// Handles of a CDT's boundary nodes (global id → vertex).
fn boundary_handles(cdt: &Cdt) -> HashMap<u32, FixedVertexHandle> {
    cdt.vertices()
        .filter(|v| v.data().id < FRAME)
        .map(|v| (v.data().id, v.fix()))
        .collect()
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
    // Smallest angle around node v and how many of its triangles are below the limit.
    let ring_min = |nodes: &[[f64; 2]], v: usize| {
        inc[ptr[v]..ptr[v + 1]]
            .iter()
            .map(|&k| tri_min(nodes, &triangles[k as usize]))
            .fold((f64::INFINITY, 0usize), |(m, n), a| {
                (m.min(a), n + usize::from(a < limit))
            })
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
                // Raise the smallest angle without pushing another triangle below the limit.
                let q = ring_min(nodes, v);
                if q.0 > best.0 .0 && q.1 <= best.0 .1 {
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
