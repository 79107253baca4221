"""Python constructors of the example machines; ``examples/machines/*.toml`` hold the same
machines with the sources of every value in their comments (a test checks they agree)."""

from __future__ import annotations

from repm.geometry.description import Machine, Rotor, Slot, SpmMagnets, Stator, VLayer, Winding


def prius2004() -> Machine:
    """Toyota Prius 2004 MG2: 48 slots, 8 poles, single-V IPM (pyleecan model and ORNL
    dimensions; tooth width, centre post, pocket ends and magnet grade are assumptions)."""
    return Machine(
        name="Toyota Prius 2004 traction motor (MG2)",
        stator=Stator(
            outer_diameter_m=0.26924,
            bore_diameter_m=0.1619,
            stack_length_m=0.08382,
            slots=48,
            slot=Slot(
                shape="round_bottom",
                depth_m=0.0343,
                opening_width_m=0.00193,
                opening_height_m=0.001,
                wedge_height_m=0.0,
                tooth_width_m=0.0061,
            ),
            steel="M400-50A",
            stacking_factor=0.95,
        ),
        winding=Winding(
            poles=8,
            layers=1,
            pitch_slots=6,
            turns_per_coil=9,
            parallel_paths=1,
            connection="star",
            fill_factor=0.46,
            conductor="copper",
        ),
        rotor=Rotor(
            topology="ipm_v",
            air_gap_m=0.00075,
            shaft_diameter_m=0.11064,
            steel="M400-50A",
            stacking_factor=0.95,
            magnet_grade="N38SH",
            magnet_temperature_c=120.0,
            magnet_axial_length_m=0.0831,
            min_bridge_m=0.001,
            v_layers=(
                VLayer(
                    magnet_width_m=0.0189,
                    magnet_thickness_m=0.0065,
                    v_angle_deg=145.0,
                    apex_radius_m=0.070,
                    centre_post_m=0.002,
                    pocket_end_m=0.0015,
                ),
            ),
        ),
    )


def industrial_11kw_ipm() -> Machine:
    """An 11 kW, 1500 rpm, 4-pole 36-slot single-V IPM for an IEC 160 frame (example design;
    sizing in ``examples/machines/industrial_11kw_ipm.toml``)."""
    return Machine(
        name="Industrial 11 kW 1500 rpm IPM (IEC 160 frame), example design",
        stator=Stator(
            outer_diameter_m=0.26,
            bore_diameter_m=0.16,
            stack_length_m=0.08,
            slots=36,
            slot=Slot(
                shape="semi_closed",
                depth_m=0.026,
                opening_width_m=0.003,
                opening_height_m=0.001,
                wedge_height_m=0.0015,
                tooth_width_m=0.0068,
            ),
            steel="M400-50A",
            stacking_factor=0.97,
        ),
        winding=Winding(
            poles=4,
            layers=2,
            pitch_slots=7,
            turns_per_coil=17,
            parallel_paths=1,
            connection="star",
            fill_factor=0.42,
            conductor="copper",
        ),
        rotor=Rotor(
            topology="ipm_v",
            air_gap_m=0.0006,
            shaft_diameter_m=0.05,
            steel="M400-50A",
            stacking_factor=0.97,
            magnet_grade="N42SH",
            magnet_temperature_c=80.0,
            min_bridge_m=0.001,
            v_layers=(
                VLayer(
                    magnet_width_m=0.030,
                    magnet_thickness_m=0.005,
                    v_angle_deg=140.0,
                    apex_radius_m=0.058,
                    centre_post_m=0.003,
                    pocket_end_m=0.002,
                ),
            ),
        ),
    )


def spm_servo_12s10p() -> Machine:
    """A 12-slot 10-pole SPM servo motor with arc magnets (example design)."""
    return Machine(
        name="12-slot 10-pole SPM servo motor, example design",
        stator=Stator(
            outer_diameter_m=0.1,
            bore_diameter_m=0.055,
            stack_length_m=0.05,
            slots=12,
            slot=Slot(
                shape="semi_closed",
                depth_m=0.012,
                opening_width_m=0.002,
                opening_height_m=0.001,
                wedge_height_m=0.001,
                tooth_width_m=0.007,
            ),
            steel="M270-35A",
            stacking_factor=0.97,
        ),
        winding=Winding(
            poles=10,
            layers=2,
            pitch_slots=1,
            turns_per_coil=30,
            connection="star",
            fill_factor=0.45,
            conductor="copper",
        ),
        rotor=Rotor(
            topology="spm",
            air_gap_m=0.0008,
            shaft_diameter_m=0.02,
            steel="M270-35A",
            magnet_grade="N42SH",
            magnet_temperature_c=80.0,
            spm=SpmMagnets(
                thickness_m=0.003, pole_arc_ratio=0.83, shape="arc", magnetisation="radial"
            ),
        ),
    )


def outer_rotor_spm_24s20p() -> Machine:
    """A 24-slot 20-pole outer-rotor SPM hub/fan motor with arc magnets on the rotor ring's
    inner surface (example design; sizing in ``examples/machines/outer_rotor_spm_24s20p.toml``)."""
    return Machine(
        name="24-slot 20-pole outer-rotor SPM hub motor, example design",
        stator=Stator(
            outer_diameter_m=0.18,
            bore_diameter_m=0.08,
            stack_length_m=0.04,
            slots=24,
            slot=Slot(
                shape="semi_closed",
                depth_m=0.032,
                opening_width_m=0.003,
                opening_height_m=0.0012,
                wedge_height_m=0.0015,
                tooth_width_m=0.011,
            ),
            steel="M270-35A",
            stacking_factor=0.97,
        ),
        winding=Winding(
            poles=20,
            layers=2,
            pitch_slots=1,
            turns_per_coil=20,
            connection="star",
            fill_factor=0.42,
            conductor="copper",
        ),
        rotor=Rotor(
            topology="spm_outer",
            air_gap_m=0.001,
            shaft_diameter_m=0.0,
            back_iron_m=0.007,
            steel="M270-35A",
            magnet_grade="N42SH",
            magnet_temperature_c=80.0,
            spm=SpmMagnets(
                thickness_m=0.0035, pole_arc_ratio=0.8, shape="arc", magnetisation="radial"
            ),
        ),
    )
