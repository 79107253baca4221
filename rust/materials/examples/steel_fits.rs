//! Prints the Bertotti fits of the bundled steel loss tables (kc classical) and their errors.
fn main() -> Result<(), repm_materials::MaterialsError> {
    for g in repm_materials::steel::catalogue()? {
        match &g.loss_fit {
            Some(fit) => println!(
                "{:10} n={:3} kh={:.4e} alpha={:.3} kc={:.3e} ke={:.3e}  rms={:.1}% max={:.1}% iters={}",
                g.name,
                fit.n_points,
                fit.model.params[0],
                fit.model.params[1],
                fit.model.params[2],
                fit.model.params[3],
                100.0 * fit.rms_rel_error,
                100.0 * fit.max_rel_error,
                fit.iterations
            ),
            None => println!("{:10} no loss table", g.name),
        }
    }
    Ok(())
}
