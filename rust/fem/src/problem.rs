//! Validated problem data: nodes, elements, materials, sources, the node → (dof, sign) map and
//! the air-gap band description.

use repm_materials::steel::BhCurve;

use crate::error::{input, FemError};
use crate::material::SteelModel;
use crate::MU0;

/// Borrowed problem arrays (flat, row-major). See the crate docs for the meaning.
#[derive(Debug, Clone, Copy)]
pub struct ProblemInput<'a> {
    /// Node coordinates `[x0, y0, x1, y1, ...]`, m; rotor nodes in the rotor frame at θ = 0.
    pub nodes: &'a [f64],
    /// Triangles `[i0, j0, k0, ...]` (band triangles excluded).
    pub triangles: &'a [i64],
    /// Relative reluctivity of linear elements (ignored where `steel >= 0`).
    pub nu_r: &'a [f64],
    /// Index into `steels`, -1 for a linear element.
    pub steel: &'a [i64],
    /// B-H curves, one per steel.
    pub steels: &'a [BhCurve],
    /// Remanence vectors `[brx0, bry0, ...]`, T (ignored for steel elements).
    pub br_t: &'a [f64],
    /// Source group per element, -1 = no current.
    pub source_group: &'a [i64],
    pub n_groups: usize,
    /// Element moves with the rotor.
    pub rotor: &'a [bool],
    /// Nodes with A = 0.
    pub dirichlet_nodes: &'a [i64],
    /// Periodic pairs `[a0, b0, a1, b1, ...]`: b is the image of a; A_b = ±A_a.
    pub periodic_pairs: &'a [i64],
    pub antiperiodic: bool,
    pub sector_angle_rad: f64,
    /// Air-gap band nodes (counter-clockwise, same count); may both be empty.
    pub band_rotor_nodes: &'a [i64],
    pub band_stator_nodes: &'a [i64],
}

/// Gradient data of a first-order triangle: ∇N_i = (b_i, c_i), area in m².
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Geo {
    pub area: f64,
    pub b: [f64; 3],
    pub c: [f64; 3],
}

impl Geo {
    /// `None` for a degenerate or clockwise triangle.
    pub fn new(p: [[f64; 2]; 3]) -> Option<Geo> {
        let [p0, p1, p2] = p;
        let det = (p1[0] - p0[0]) * (p2[1] - p0[1]) - (p2[0] - p0[0]) * (p1[1] - p0[1]);
        // Relative degeneracy test against the squared edge scale.
        let scale = (p1[0] - p0[0]).powi(2)
            + (p1[1] - p0[1]).powi(2)
            + (p2[0] - p0[0]).powi(2)
            + (p2[1] - p0[1]).powi(2);
        if det.is_nan() || det <= 1e-12 * scale || !det.is_finite() {
            return None;
        }
        let inv = 1.0 / det;
        Some(Geo {
            area: 0.5 * det,
            b: [
                (p1[1] - p2[1]) * inv,
                (p2[1] - p0[1]) * inv,
                (p0[1] - p1[1]) * inv,
            ],
            c: [
                (p2[0] - p1[0]) * inv,
                (p0[0] - p2[0]) * inv,
                (p1[0] - p0[0]) * inv,
            ],
        })
    }
}

/// The air-gap band of a problem.
#[derive(Debug, Clone)]
pub(crate) struct BandInfo {
    pub rotor: Vec<i64>,
    pub stator: Vec<i64>,
    pub full: bool,
    /// Angular pitch of the band nodes, rad.
    pub step: f64,
    pub r_rotor: f64,
    pub r_stator: f64,
    /// Per node: is it a stator band node.
    pub is_stator: Vec<bool>,
    pub is_rotor: Vec<bool>,
}

/// A validated problem. Build with [`Problem::new`]; immutable afterwards.
#[derive(Debug, Clone)]
pub struct Problem {
    pub(crate) nodes: Vec<[f64; 2]>,
    pub(crate) tris: Vec<[u32; 3]>,
    /// Absolute reluctivity of linear elements, m/H.
    pub(crate) nu: Vec<f64>,
    pub(crate) steel: Vec<i32>,
    pub(crate) steels: Vec<SteelModel>,
    pub(crate) br: Vec<[f64; 2]>,
    pub(crate) group: Vec<i32>,
    pub(crate) n_groups: usize,
    pub(crate) rotor: Vec<bool>,
    pub(crate) geo: Vec<Geo>,
    pub(crate) node_dof: Vec<i32>,
    pub(crate) node_sign: Vec<f64>,
    pub(crate) elem_dof: Vec<[i32; 3]>,
    pub(crate) elem_sign: Vec<[f64; 3]>,
    pub(crate) n_dof: usize,
    pub(crate) antiperiodic: bool,
    pub(crate) sector_angle_rad: f64,
    pub(crate) band: Option<BandInfo>,
}

fn index(field: &str, j: usize, v: i64, n: usize) -> Result<u32, FemError> {
    if v < 0 || v as u64 >= n as u64 {
        return Err(input(
            format!("{field}[{j}]"),
            v,
            format!("must be a node index in 0..{n}"),
        ));
    }
    Ok(v as u32)
}

fn len_check(field: &str, got: usize, want: usize, what: &str) -> Result<(), FemError> {
    if got != want {
        return Err(input(
            field,
            format!("{got} values"),
            format!("must have {want} values ({what})"),
        ));
    }
    Ok(())
}

impl Problem {
    /// Validates the arrays and builds the node → (dof, sign) map.
    pub fn new(p: &ProblemInput<'_>) -> Result<Problem, FemError> {
        if p.nodes.len() % 2 != 0 {
            return Err(input(
                "nodes",
                format!("{} values", p.nodes.len()),
                "must hold (x, y) pairs",
            ));
        }
        let m = p.nodes.len() / 2;
        if m < 3 {
            return Err(input(
                "nodes",
                format!("{m} nodes"),
                "at least 3 nodes are needed",
            ));
        }
        if m >= i32::MAX as usize {
            return Err(input(
                "nodes",
                format!("{m} nodes"),
                "at most 2^31 - 2 nodes",
            ));
        }
        let mut nodes = Vec::with_capacity(m);
        for i in 0..m {
            let (x, y) = (p.nodes[2 * i], p.nodes[2 * i + 1]);
            if !(x.is_finite() && y.is_finite()) {
                return Err(input(
                    format!("nodes[{i}]"),
                    format!("({x}, {y})"),
                    "coordinates must be finite",
                ));
            }
            nodes.push([x, y]);
        }
        if p.triangles.len() % 3 != 0 || p.triangles.is_empty() {
            return Err(input(
                "triangles",
                format!("{} values", p.triangles.len()),
                "must hold at least one (i, j, k) triple",
            ));
        }
        let t = p.triangles.len() / 3;
        len_check("nu_r", p.nu_r.len(), t, "one per triangle")?;
        len_check("steel", p.steel.len(), t, "one per triangle")?;
        len_check("br_t", p.br_t.len(), 2 * t, "(brx, bry) per triangle")?;
        len_check("source_group", p.source_group.len(), t, "one per triangle")?;
        len_check("rotor", p.rotor.len(), t, "one per triangle")?;
        // Indices checked in one pass first (the error names the first bad one), so that the
        // loop building the triangles carries no error values (it runs on every new solver).
        if let Some(j) = p
            .triangles
            .iter()
            .position(|&v| v < 0 || v as u64 >= m as u64)
        {
            index("triangles", j, p.triangles[j], m)?;
        }
        let mut tris = Vec::with_capacity(t);
        let mut geo = Vec::with_capacity(t);
        for (e, c) in p.triangles.chunks_exact(3).enumerate() {
            let tri = [c[0] as u32, c[1] as u32, c[2] as u32];
            let g = Geo::new(tri.map(|i| nodes[i as usize])).ok_or_else(|| {
                FemError::Geometry(format!(
                    "triangles[{e}] = {tri:?} is inverted or degenerate: triangles must be \
                     counter-clockwise with positive area"
                ))
            })?;
            tris.push(tri);
            geo.push(g);
        }
        let mut steels = Vec::with_capacity(p.steels.len());
        for c in p.steels {
            steels.push(SteelModel::new(c.clone()));
        }
        let mut nu = Vec::with_capacity(t);
        let mut steel = Vec::with_capacity(t);
        let mut br = Vec::with_capacity(t);
        let mut group = Vec::with_capacity(t);
        for e in 0..t {
            let s = p.steel[e];
            if s < -1 || s >= p.steels.len() as i64 {
                return Err(input(
                    format!("steel[{e}]"),
                    s,
                    format!(
                        "must be -1 (linear) or an index into steels (0..{})",
                        p.steels.len()
                    ),
                ));
            }
            let nr = p.nu_r[e];
            if s < 0 && !(nr.is_finite() && nr > 0.0) {
                return Err(input(
                    format!("nu_r[{e}]"),
                    nr,
                    "relative reluctivity must be finite and > 0",
                ));
            }
            nu.push(if s < 0 { nr / MU0 } else { 0.0 });
            steel.push(s as i32);
            let (bx, by) = (p.br_t[2 * e], p.br_t[2 * e + 1]);
            if !(bx.is_finite() && by.is_finite()) {
                return Err(input(
                    format!("br_t[{e}]"),
                    format!("({bx}, {by})"),
                    "remanence must be finite",
                ));
            }
            br.push(if s < 0 { [bx, by] } else { [0.0, 0.0] });
            let g = p.source_group[e];
            if g < -1 || g >= p.n_groups as i64 {
                return Err(input(
                    format!("source_group[{e}]"),
                    g,
                    format!(
                        "must be -1 (no current) or a group index in 0..{}",
                        p.n_groups
                    ),
                ));
            }
            group.push(g as i32);
        }
        let s = p.sector_angle_rad;
        if !(s.is_finite() && s > 0.0 && s <= 2.0 * std::f64::consts::PI + 1e-9) {
            return Err(input("sector_angle_rad", s, "must be in (0, 2π]"));
        }
        let band = band_info(p, &nodes, m)?;
        let mut used = vec![false; m];
        for tri in &tris {
            for &i in tri {
                used[i as usize] = true;
            }
        }
        if let Some(b) = &band {
            for &i in b.rotor.iter().chain(&b.stator) {
                used[i as usize] = true;
            }
        }
        let (node_dof, node_sign, n_dof) = dof_map(p, m, &used)?;
        let mut elem_dof = Vec::with_capacity(t);
        let mut elem_sign = Vec::with_capacity(t);
        for tri in &tris {
            elem_dof.push(tri.map(|i| node_dof[i as usize]));
            elem_sign.push(tri.map(|i| node_sign[i as usize]));
        }
        Ok(Problem {
            nodes,
            tris,
            nu,
            steel,
            steels,
            br,
            group,
            n_groups: p.n_groups,
            rotor: p.rotor.to_vec(),
            geo,
            node_dof,
            node_sign,
            elem_dof,
            elem_sign,
            n_dof,
            antiperiodic: p.antiperiodic,
            sector_angle_rad: s,
            band,
        })
    }

    /// Number of nodes.
    pub fn n_nodes(&self) -> usize {
        self.nodes.len()
    }

    /// Number of triangles (band excluded).
    pub fn n_triangles(&self) -> usize {
        self.tris.len()
    }

    /// Number of unknowns after eliminating Dirichlet and slave nodes.
    pub fn n_dof(&self) -> usize {
        self.n_dof
    }

    pub fn n_groups(&self) -> usize {
        self.n_groups
    }

    /// Whether the problem has an air-gap band (rotation and Arkkio torque).
    pub fn has_band(&self) -> bool {
        self.band.is_some()
    }

    /// Angular pitch of the band nodes, rad (`None` without a band).
    pub fn band_step_rad(&self) -> Option<f64> {
        self.band.as_ref().map(|b| b.step)
    }

    /// Whether any element is nonlinear.
    pub fn is_nonlinear(&self) -> bool {
        self.steel.iter().any(|&s| s >= 0)
    }
}

fn band_info(
    p: &ProblemInput<'_>,
    nodes: &[[f64; 2]],
    m: usize,
) -> Result<Option<BandInfo>, FemError> {
    let (r, s) = (p.band_rotor_nodes, p.band_stator_nodes);
    if r.is_empty() && s.is_empty() {
        return Ok(None);
    }
    if r.len() != s.len() {
        return Err(input(
            "band_stator_nodes",
            format!("{} nodes", s.len()),
            format!("must have as many nodes as band_rotor_nodes ({})", r.len()),
        ));
    }
    for (j, &v) in r.iter().enumerate() {
        index("band_rotor_nodes", j, v, m)?;
    }
    for (j, &v) in s.iter().enumerate() {
        index("band_stator_nodes", j, v, m)?;
    }
    let full = p.periodic_pairs.is_empty()
        && (p.sector_angle_rad - 2.0 * std::f64::consts::PI).abs()
            <= 1e-9 * 2.0 * std::f64::consts::PI;
    let min_len = if full { 3 } else { 2 };
    if r.len() < min_len {
        return Err(input(
            "band_rotor_nodes",
            format!("{} nodes", r.len()),
            format!("the band needs at least {min_len} nodes per circle"),
        ));
    }
    let n_quads = if full { r.len() } else { r.len() - 1 };
    let step = p.sector_angle_rad / n_quads as f64;
    let radius = |list: &[i64]| -> f64 {
        list.iter()
            .map(|&i| {
                let q = nodes[i as usize];
                q[0].hypot(q[1])
            })
            .sum::<f64>()
            / list.len() as f64
    };
    let (r_rotor, r_stator) = (radius(r), radius(s));
    // Inner rotor: the stator circle is outside; outer rotor: inside. The Arkkio denominator
    // (r_stator − r_rotor) then carries the sign that makes the torque the one on the rotor.
    let gap = (r_stator - r_rotor).abs();
    if !(r_rotor > 0.0 && r_stator > 0.0 && gap > 1e-9 * r_stator.max(r_rotor)) {
        return Err(FemError::Geometry(format!(
            "the band circles (mean radii: rotor {r_rotor} m, stator {r_stator} m) must be \
             distinct circles centred on the origin"
        )));
    }
    let mut is_stator = vec![false; m];
    let mut is_rotor = vec![false; m];
    for &i in s {
        is_stator[i as usize] = true;
    }
    for (j, &i) in r.iter().enumerate() {
        if is_stator[i as usize] {
            return Err(input(
                format!("band_rotor_nodes[{j}]"),
                i,
                "a node cannot be on both band circles",
            ));
        }
        is_rotor[i as usize] = true;
    }
    Ok(Some(BandInfo {
        rotor: r.to_vec(),
        stator: s.to_vec(),
        full,
        step,
        r_rotor,
        r_stator,
        is_stator,
        is_rotor,
    }))
}

/// Node → (dof, sign): Dirichlet nodes (and nodes tied to one) get dof -1; slaves take the dof
/// of their master with sign -1 for anti-periodic pairs; unused nodes are fixed at 0.
fn dof_map(
    p: &ProblemInput<'_>,
    m: usize,
    used: &[bool],
) -> Result<(Vec<i32>, Vec<f64>, usize), FemError> {
    if p.periodic_pairs.len() % 2 != 0 {
        return Err(input(
            "periodic_pairs",
            format!("{} values", p.periodic_pairs.len()),
            "must hold (a, b) pairs",
        ));
    }
    let mut dirichlet = vec![false; m];
    for (j, &v) in p.dirichlet_nodes.iter().enumerate() {
        dirichlet[index("dirichlet_nodes", j, v, m)? as usize] = true;
    }
    let pair_sign = if p.antiperiodic { -1.0 } else { 1.0 };
    let mut master: Vec<Option<(u32, f64)>> = vec![None; m];
    for k in 0..p.periodic_pairs.len() / 2 {
        let a = index("periodic_pairs", 2 * k, p.periodic_pairs[2 * k], m)?;
        let b = index("periodic_pairs", 2 * k + 1, p.periodic_pairs[2 * k + 1], m)?;
        if a == b {
            return Err(input(
                format!("periodic_pairs[{k}]"),
                format!("({a}, {b})"),
                "a node cannot be its own periodic image",
            ));
        }
        match master[b as usize] {
            Some((prev, _)) if prev != a => {
                return Err(FemError::Constraint(format!(
                    "periodic_pairs[{k}] = ({a}, {b}): slave node {b} already has master {prev}; \
                     each slave may have one master"
                )));
            }
            _ => master[b as usize] = Some((a, pair_sign)),
        }
    }
    // Resolve chains (a corner node may be both a master and a slave), detecting cycles.
    let mut root = vec![0u32; m];
    let mut sign = vec![1.0f64; m];
    for i in 0..m {
        let (mut r, mut s, mut steps) = (i as u32, 1.0, 0usize);
        while let Some((a, sa)) = master[r as usize] {
            r = a;
            s *= sa;
            steps += 1;
            if steps > m {
                return Err(FemError::Constraint(format!(
                    "periodic_pairs form a cycle through node {i}: master-slave chains must end"
                )));
            }
        }
        root[i] = r;
        sign[i] = s;
    }
    let mut fixed = vec![false; m];
    let mut root_used = vec![false; m];
    for i in 0..m {
        if dirichlet[i] {
            fixed[root[i] as usize] = true;
        }
        if used[i] {
            root_used[root[i] as usize] = true;
        }
    }
    let mut dof_of_root = vec![-1i32; m];
    let mut n_dof = 0usize;
    for i in 0..m {
        if root[i] as usize == i && !fixed[i] && root_used[i] {
            dof_of_root[i] = n_dof as i32;
            n_dof += 1;
        }
    }
    let node_dof: Vec<i32> = (0..m).map(|i| dof_of_root[root[i] as usize]).collect();
    let node_sign: Vec<f64> = (0..m)
        .map(|i| if node_dof[i] < 0 { 0.0 } else { sign[i] })
        .collect();
    let has_dirichlet = dirichlet.iter().zip(used).any(|(&d, &u)| d && u);
    let anti_tied = p.antiperiodic && !p.periodic_pairs.is_empty();
    if !has_dirichlet && !anti_tied {
        return Err(FemError::Constraint(
            "dirichlet_nodes is empty (or holds no node of the mesh) and the sector is not \
             anti-periodic: A is then defined only up to a constant and the system is singular; \
             give at least one Dirichlet node (e.g. the outer boundary)"
                .into(),
        ));
    }
    Ok((node_dof, node_sign, n_dof))
}
