//! Reading a channel label: its words, the body side it names, and the words that say
//! what kind of signal it is. Labels come as labs write them: `LVAS`, `RTIB`, `L.Biceps`,
//! `R_Tri`, `Right Vastus Lateralis`, `EMG1`, `Fz1`, `Acc_1 :X`, `R.RECTUS FEM.`.

use crate::montage::{Kind, Side};

/// The lower-case words of `label`: split at anything not a letter or digit, and between
/// letters and digits (`EMG1` → `emg`, `1`; `Fz1` → `fz`, `1`).
pub fn words(label: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut last_digit = None;
    for c in label.chars() {
        if !c.is_alphanumeric() {
            flush(&mut word, &mut out);
            last_digit = None;
            continue;
        }
        let digit = c.is_ascii_digit();
        if last_digit.is_some_and(|d| d != digit) {
            flush(&mut word, &mut out);
        }
        last_digit = Some(digit);
        word.extend(c.to_lowercase());
    }
    flush(&mut word, &mut out);
    out
}

fn flush(word: &mut String, out: &mut Vec<String>) {
    if !word.is_empty() {
        out.push(std::mem::take(word));
    }
}

/// A side named by a word of its own: `l`, `left`, `lt`, `r`, `right`, `rt`.
pub fn side_word(word: &str) -> Option<Side> {
    match word {
        "l" | "left" | "lt" | "lft" => Some(Side::Left),
        "r" | "right" | "rt" | "rgt" => Some(Side::Right),
        _ => None,
    }
}

/// The side glued to the front of `word` (`lvas` → left, `vas`), when what follows the
/// letter passes `rest_ok` (a muscle abbreviation).
pub fn glued_side(word: &str, rest_ok: impl Fn(&str) -> bool) -> Option<(Side, String)> {
    let side = match word.as_bytes().first() {
        Some(b'l') => Side::Left,
        Some(b'r') => Side::Right,
        _ => return None,
    };
    let rest = &word[1..];
    (rest.len() >= 2 && rest_ok(rest)).then(|| (side, rest.to_string()))
}

/// The kind a label's words name without naming a muscle, with the word that said so.
pub fn kind_word(words: &[String]) -> Option<(Kind, &str)> {
    for w in words {
        let kind = match w.as_str() {
            "emg" | "exg" | "semg" | "muscle" => Kind::Emg,
            "force" | "fx" | "fy" | "fz" | "torque" | "tq" | "load" | "moment" | "mx" | "my"
            | "mz" | "grip" | "dynamometer" => Kind::Force,
            "acc" | "accel" | "acceleration" | "accelerometer" | "accx" | "accy" | "accz" => {
                Kind::Accel
            }
            _ => continue,
        };
        return Some((kind, w.as_str()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_where_labs_split_them() {
        assert_eq!(words("R.RECTUS FEM."), ["r", "rectus", "fem"]);
        assert_eq!(words("Acc_1 :X"), ["acc", "1", "x"]);
        assert_eq!(words("EMG1"), ["emg", "1"]);
        assert_eq!(words("Fz1"), ["fz", "1"]);
        assert_eq!(words("L.Biceps"), ["l", "biceps"]);
        assert_eq!(words(""), Vec::<String>::new());
        assert_eq!(words("µV ñ"), ["µv", "ñ"]);
    }

    #[test]
    fn sides_alone_and_glued() {
        assert_eq!(side_word("left"), Some(Side::Left));
        assert_eq!(side_word("rt"), Some(Side::Right));
        assert_eq!(side_word("lat"), None);
        assert_eq!(
            glued_side("lvas", |r| r == "vas"),
            Some((Side::Left, "vas".to_string()))
        );
        assert_eq!(
            glued_side("rectus", |r| r == "ectus"),
            Some((Side::Right, "ectus".into()))
        );
        assert_eq!(glued_side("rectus", |_| false), None);
        assert_eq!(glued_side("l", |_| true), None);
    }
}
