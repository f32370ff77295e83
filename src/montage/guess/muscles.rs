//! Surface-EMG muscles by the names and abbreviations labs write (SENIAM names and the
//! abbreviations common in gait, sports and rehabilitation labs), each with the joint it
//! moves as agonist or antagonist of the pairs myobalance guesses.

/// A joint whose agonist/antagonist couple makes a co-contraction pair, in the order pairs
/// are looked for (DESIGN.md, "Montage guess").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joint {
    Elbow,
    Knee,
    Ankle,
    Wrist,
    Trunk,
    Shoulder,
}

impl Joint {
    pub const ALL: [Joint; 6] = [
        Joint::Elbow,
        Joint::Knee,
        Joint::Ankle,
        Joint::Wrist,
        Joint::Trunk,
        Joint::Shoulder,
    ];

    /// Used in pair names: `elbow_l`.
    pub fn as_str(self) -> &'static str {
        match self {
            Joint::Elbow => "elbow",
            Joint::Knee => "knee",
            Joint::Ankle => "ankle",
            Joint::Wrist => "wrist",
            Joint::Trunk => "trunk",
            Joint::Shoulder => "shoulder",
        }
    }

    /// The two sides of the couple, in words: ("elbow flexor", "elbow extensor").
    pub fn roles(self) -> (&'static str, &'static str) {
        match self {
            Joint::Elbow => ("elbow flexor", "elbow extensor"),
            Joint::Knee => ("knee extensor", "knee flexor"),
            Joint::Ankle => ("dorsiflexor", "plantar flexor"),
            Joint::Wrist => ("wrist flexor", "wrist extensor"),
            Joint::Trunk => ("trunk flexor", "trunk extensor"),
            Joint::Shoulder => ("shoulder flexor", "shoulder extensor"),
        }
    }
}

/// Which side of a joint's couple a muscle is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Agonist,
    Antagonist,
}

/// A muscle of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Muscle {
    /// Used in bilateral pair names: `biceps_brachii`.
    pub key: &'static str,
    /// In words, for comments: "biceps brachii".
    pub name: &'static str,
    /// The joint couple it belongs to, if any.
    pub joint: Option<(Joint, Role)>,
    /// Each pattern is a set of words that must all be in the label (in any order); a
    /// word ending in `*` matches any word it begins. Longer, more specific patterns come
    /// first in the table, so "biceps femoris" is not taken for "biceps".
    patterns: &'static [&'static [&'static str]],
}

use Joint::*;
use Role::*;

const fn m(
    key: &'static str,
    name: &'static str,
    joint: Option<(Joint, Role)>,
    patterns: &'static [&'static [&'static str]],
) -> Muscle {
    Muscle {
        key,
        name,
        joint,
        patterns,
    }
}

/// The table, most specific entries first.
pub const MUSCLES: &[Muscle] = &[
    m(
        "biceps_femoris",
        "biceps femoris",
        Some((Knee, Antagonist)),
        &[
            &["biceps", "fem*"],
            &["bic", "fem*"],
            &["bf"],
            &["bfl"],
            &["bflh"],
            &["bfsh"],
            &["bifem"],
        ],
    ),
    m(
        "semitendinosus",
        "semitendinosus",
        Some((Knee, Antagonist)),
        &[&["semitend*"], &["semit"], &["st"]],
    ),
    m(
        "semimembranosus",
        "semimembranosus",
        Some((Knee, Antagonist)),
        &[&["semimem*"], &["sm"]],
    ),
    m(
        "hamstrings",
        "hamstrings",
        Some((Knee, Antagonist)),
        &[&["hamstring*"], &["hams"], &["ham"]],
    ),
    m(
        "vastus_lateralis",
        "vastus lateralis",
        Some((Knee, Agonist)),
        &[
            &["vastus", "lat*"],
            &["vas", "lat*"],
            &["vl"],
            &["vlo"],
            &["vaslat"],
            &["vastlat"],
        ],
    ),
    m(
        "vastus_medialis",
        "vastus medialis",
        Some((Knee, Agonist)),
        &[
            &["vastus", "med*"],
            &["vas", "med*"],
            &["vm"],
            &["vmo"],
            &["vasmed"],
            &["vastmed"],
        ],
    ),
    m(
        "rectus_femoris",
        "rectus femoris",
        Some((Knee, Agonist)),
        &[
            &["rectus", "fem*"],
            &["rec", "fem*"],
            &["rf"],
            &["recfem"],
            &["rfem"],
        ],
    ),
    m(
        "quadriceps",
        "quadriceps",
        Some((Knee, Agonist)),
        &[
            &["quadriceps"],
            &["quad"],
            &["quads"],
            &["vastus"],
            &["vas"],
            &["thigh"],
            &["thi"],
        ],
    ),
    m(
        "tibialis_anterior",
        "tibialis anterior",
        Some((Ankle, Agonist)),
        &[
            &["tibialis", "ant*"],
            &["tib", "ant*"],
            &["ta"],
            &["tibant"],
            &["tibialis"],
            &["tib"],
        ],
    ),
    m(
        "gastrocnemius_medialis",
        "gastrocnemius medialis",
        Some((Ankle, Antagonist)),
        &[
            &["gast*", "med*"],
            &["gas", "med*"],
            &["mg"],
            &["gasmed"],
            &["gmed", "gast*"],
        ],
    ),
    m(
        "gastrocnemius_lateralis",
        "gastrocnemius lateralis",
        Some((Ankle, Antagonist)),
        &[&["gast*", "lat*"], &["gas", "lat*"], &["lg"], &["gaslat"]],
    ),
    m(
        "gastrocnemius",
        "gastrocnemius",
        Some((Ankle, Antagonist)),
        &[&["gastroc*"], &["gastro"], &["gast"], &["gas"]],
    ),
    m(
        "soleus",
        "soleus",
        Some((Ankle, Antagonist)),
        &[&["soleus"], &["sol"]],
    ),
    m(
        "peroneus_longus",
        "peroneus (fibularis) longus",
        None,
        &[&["peroneus*"], &["peron*"], &["fibularis"]],
    ),
    m(
        "biceps_brachii",
        "biceps brachii",
        Some((Elbow, Agonist)),
        &[&["biceps"], &["bicep"], &["bic"], &["bb"]],
    ),
    m(
        "triceps_brachii",
        "triceps brachii",
        Some((Elbow, Antagonist)),
        &[&["triceps"], &["tricep"], &["tric"], &["tri"], &["tb"]],
    ),
    m(
        "brachioradialis",
        "brachioradialis",
        Some((Elbow, Agonist)),
        &[&["brachiorad*"]],
    ),
    m(
        "wrist_flexors",
        "wrist flexors",
        Some((Wrist, Agonist)),
        &[
            &["flexor", "carpi"],
            &["wrist", "flex*"],
            &["forearm", "flex*"],
            &["fcr"],
            &["fcu"],
            &["fds"],
            &["flexor*"],
            &["flex"],
        ],
    ),
    m(
        "wrist_extensors",
        "wrist extensors",
        Some((Wrist, Antagonist)),
        &[
            &["extensor", "carpi"],
            &["wrist", "ext*"],
            &["forearm", "ext*"],
            &["ecr"],
            &["ecrl"],
            &["ecrb"],
            &["ecu"],
            &["edc"],
            &["extensor*"],
            &["ext"],
        ],
    ),
    m(
        "rectus_abdominis",
        "rectus abdominis",
        Some((Trunk, Agonist)),
        &[&["rectus", "abd*"], &["abdominis"], &["ra"], &["rabd"]],
    ),
    m(
        "erector_spinae",
        "erector spinae",
        Some((Trunk, Antagonist)),
        &[
            &["erector*"],
            &["spinae"],
            &["es"],
            &["longissimus"],
            &["iliocostalis"],
            &["multifidus"],
            &["paraspinal*"],
        ],
    ),
    m(
        "external_oblique",
        "external oblique",
        None,
        &[&["oblique*"], &["eo"]],
    ),
    m(
        "deltoid_anterior",
        "anterior deltoid",
        Some((Shoulder, Agonist)),
        &[
            &["delt*", "ant*"],
            &["adelt"],
            &["antdelt"],
            &["ad"],
            &["da"],
        ],
    ),
    m(
        "deltoid_posterior",
        "posterior deltoid",
        Some((Shoulder, Antagonist)),
        &[
            &["delt*", "post*"],
            &["pdelt"],
            &["postdelt"],
            &["pd"],
            &["dp"],
        ],
    ),
    m("deltoid", "deltoid", None, &[&["deltoid*"], &["delt"]]),
    m(
        "pectoralis",
        "pectoralis major",
        None,
        &[&["pectoral*"], &["pec"], &["pect"]],
    ),
    m("trapezius", "trapezius", None, &[&["trapezius"], &["trap"]]),
    m(
        "latissimus_dorsi",
        "latissimus dorsi",
        None,
        &[&["latissimus*"], &["lat", "dorsi"], &["ld"]],
    ),
    m(
        "gluteus_maximus",
        "gluteus maximus",
        None,
        &[&["glut*", "max*"], &["gmax"]],
    ),
    m(
        "gluteus_medius",
        "gluteus medius",
        None,
        &[&["glut*", "med*"], &["gmed"]],
    ),
    m(
        "adductors",
        "hip adductors",
        None,
        &[&["adductor*"], &["add"], &["addl"]],
    ),
];

impl Muscle {
    /// Whether every word of one of the patterns is among `words`.
    fn matches(&self, words: &[String]) -> bool {
        self.patterns.iter().any(|pattern| {
            pattern
                .iter()
                .all(|p| words.iter().any(|w| word_matches(p, w)))
        })
    }

    /// Whether `word` alone is one of the single-word patterns (for a side glued in front:
    /// `LVAS`).
    fn is_abbreviation(&self, word: &str) -> bool {
        self.patterns
            .iter()
            .any(|pattern| pattern.len() == 1 && word_matches(pattern[0], word))
    }
}

fn word_matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => word == pattern,
    }
}

/// The first muscle of the table that `words` name.
pub fn find(words: &[String]) -> Option<&'static Muscle> {
    MUSCLES.iter().find(|m| m.matches(words))
}

/// Whether `word` alone names a muscle.
pub fn is_abbreviation(word: &str) -> bool {
    MUSCLES.iter().any(|m| m.is_abbreviation(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montage::guess::labels::words;

    fn key(label: &str) -> Option<&'static str> {
        find(&words(label)).map(|m| m.key)
    }

    #[test]
    fn specific_names_before_general_ones() {
        assert_eq!(key("Biceps Femoris"), Some("biceps_femoris"));
        assert_eq!(key("biceps_l"), Some("biceps_brachii"));
        assert_eq!(key("R.RECTUS FEM."), Some("rectus_femoris"));
        assert_eq!(key("Rectus abdominis"), Some("rectus_abdominis"));
        assert_eq!(key("R.MED. GASTRO"), Some("gastrocnemius_medialis"));
        assert_eq!(
            key("Gastrocnemius lateralis"),
            Some("gastrocnemius_lateralis")
        );
        assert_eq!(key("Proximal vastus lateralis"), Some("vastus_lateralis"));
        assert_eq!(key("R.VLO"), Some("vastus_lateralis"));
        assert_eq!(key("Anterior Deltoid"), Some("deltoid_anterior"));
        assert_eq!(key("Deltoid"), Some("deltoid"));
        assert_eq!(key("EMG1"), None);
        assert_eq!(key("Acc_1 :X"), None);
        assert_eq!(key("FX1"), None);
    }

    #[test]
    fn abbreviations_for_glued_sides() {
        assert!(is_abbreviation("vas"));
        assert!(is_abbreviation("tib"));
        assert!(is_abbreviation("gastrocnemius"));
        assert!(!is_abbreviation("ectus"));
    }
}
