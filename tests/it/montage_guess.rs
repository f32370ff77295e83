//! The montage guess over label sets as labs write them: kinds, sides, muscles, pairs and
//! bilateral pairs, and the commented TOML loading back to the same montage.

use myobalance::montage::guess::{guess, Described};
use myobalance::montage::{Kind, Montage, Side};

fn d(label: &str, unit: &str) -> Described {
    Described {
        label: label.into(),
        unit: unit.into(),
        emg_counts: false,
    }
}

/// (label, unit) → (name, kind, side).
#[test]
fn kinds_sides_and_names_of_realistic_labels() {
    let table = [
        (("LVAS", "uV"), ("LVAS", Kind::Emg, Side::Left)),
        (("RTIB", "mV"), ("RTIB", Kind::Emg, Side::Right)),
        (("L.Biceps", ""), ("L_Biceps", Kind::Emg, Side::Left)),
        (("R_Tri", ""), ("R_Tri", Kind::Emg, Side::Right)),
        (
            ("Right Vastus Lateralis", "µV"),
            ("Right_Vastus_Lateralis", Kind::Emg, Side::Right),
        ),
        (("EMG1", "uV"), ("EMG1", Kind::Emg, Side::None)),
        (("EMG1", ""), ("EMG1_2", Kind::Emg, Side::None)),
        (("Fz1", "N"), ("Fz1", Kind::Force, Side::None)),
        (("Fz2", ""), ("Fz2", Kind::Force, Side::None)),
        (("Acc_1 :X", "g"), ("Acc_1_X", Kind::Accel, Side::None)),
        (("Acc_1 :Y", ""), ("Acc_1_Y", Kind::Accel, Side::None)),
        (("MX1", "ntmm"), ("MX1", Kind::Force, Side::None)),
        (("CH7", "d.u."), ("CH7", Kind::Other, Side::None)),
        (("A1", ""), ("A1", Kind::Other, Side::None)),
        (
            ("R.MED. GASTRO", "uV"),
            ("R_MED_GASTRO", Kind::Emg, Side::Right),
        ),
        (
            ("Tri-axial acc L", ""),
            ("Tri_axial_acc_L", Kind::Accel, Side::Left),
        ),
    ];
    let described: Vec<Described> = table.iter().map(|((l, u), _)| d(l, u)).collect();
    let g = guess(&described, 2000.0, 50, "test");
    for (c, (input, (name, kind, side))) in g.channels.iter().zip(&table) {
        assert_eq!(
            (c.channel.name.as_str(), c.channel.kind, c.channel.side),
            (*name, *kind, *side),
            "{input:?}: {c:?}"
        );
    }
    let units: Vec<&str> = g.channels.iter().map(|c| c.channel.unit.as_str()).collect();
    assert_eq!(&units[..3], ["uV", "uV", ""]);
    assert_eq!(units[7], "N");
    assert_eq!(units[11], "N.m");
    assert_eq!(units[12], "d.u.");
}

fn pair_names(m: &Montage) -> Vec<(String, String, String)> {
    m.pairs
        .iter()
        .map(|p| (p.name.clone(), p.agonist.clone(), p.antagonist.clone()))
        .collect()
}

#[test]
fn pairs_per_side_and_joint_and_bilateral_muscles() {
    let labels = [
        ("LVAS", "uV"),
        ("LHAM", "uV"),
        ("RVAS", "uV"),
        ("RBF", "uV"),
        ("LTIB", "uV"),
        ("LSOL", "uV"),
        ("L.Biceps", "uV"),
        ("L.Triceps", "uV"),
        ("R.Biceps", "uV"),
        ("Right FCR", "uV"),
        ("Right ECR", "uV"),
        ("Force L", "N"),
        ("Force R", "N"),
    ];
    let described: Vec<Described> = labels.iter().map(|(l, u)| d(l, u)).collect();
    let m = guess(&described, 1000.0, 60, "test").montage();
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        pair_names(&m),
        vec![
            s("elbow_l", "L_Biceps", "L_Triceps"),
            s("knee_l", "LVAS", "LHAM"),
            s("ankle_l", "LTIB", "LSOL"),
            s("knee_r", "RVAS", "RBF"),
            s("wrist_r", "Right_FCR", "Right_ECR"),
        ]
    );
    let bilateral: Vec<(String, String, String)> = m
        .bilateral
        .iter()
        .map(|b| (b.name.clone(), b.left.clone(), b.right.clone()))
        .collect();
    assert_eq!(
        bilateral,
        vec![
            s("quadriceps", "LVAS", "RVAS"),
            s("biceps_brachii", "L_Biceps", "R_Biceps"),
            s("force", "Force_L", "Force_R"),
        ]
    );
    assert_eq!(m.mains_hz, 60);
    m.validate("guess").unwrap();
}

#[test]
fn the_commented_file_loads_back_to_the_guess() {
    let labels = [
        ("R.ADDUCTORS", "uV"),
        ("Acc_1 :X", "g"),
        ("R.VLO", "uV"),
        ("R.RECTUS FEM.", "uV"),
        ("Proximal vastus lateralis", "uV"),
        ("R.MED. GASTRO", "uV"),
        ("quote \" and \\ back", "mV"),
        ("", ""),
        ("L BF", "uV"),
        ("R BF", "uV"),
        ("R.TA", "uV"),
    ];
    let described: Vec<Described> = labels.iter().map(|(l, u)| d(l, u)).collect();
    let g = guess(&described, 2000.0, 50, "a 50 Hz line");
    let text = g.to_toml("trial.c3d");
    let loaded =
        Montage::from_toml_str(&text, "guessed.toml").unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(loaded, g.montage());
    assert!(text.contains("# guessed from the unit uV"), "{text}");
    assert!(text.contains("label = \"R.VLO\""), "{text}");
    assert!(text.contains("guessed from \"r\" in the label"), "{text}");
    assert!(text.contains("a 50 Hz line"), "{text}");
    // Every guessed kind and side carries its reason on the same line.
    for line in text
        .lines()
        .filter(|l| l.starts_with("kind =") || l.starts_with("side ="))
    {
        assert!(line.contains('#'), "no reason on {line:?}");
    }
    let m = g.montage();
    assert_eq!(m.channels[7].name, "ch8");
    let pair = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        pair_names(&m),
        vec![
            pair("knee_r", "R_VLO", "R_BF"),
            pair("ankle_r", "R_TA", "R_MED_GASTRO")
        ]
    );
    assert_eq!(m.bilateral[0].name, "biceps_femoris");
}

#[test]
fn a_slow_recording_gets_bands_that_fit_and_says_why() {
    let g = guess(&[d("EMG 1", "uV"), d("Force", "N")], 20.0, 50, "test");
    let text = g.to_toml("slow.c3d");
    let m = Montage::from_toml_str(&text, "slow.toml").unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(m, g.montage());
    assert!(m.analysis.tremor_band_hz[1] < 10.0);
    assert!(
        text.contains("narrowed below the Nyquist frequency 10 Hz"),
        "{text}"
    );
}
