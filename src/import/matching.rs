//! Which signal of a file each channel of a given montage is: by the channel's `label`
//! when it has one, else by its name against the file's labels as written, as montage
//! names (`R.VLO` → `R_VLO`), and without regard to case.

use crate::montage::guess::name_of;
use crate::montage::Montage;

/// For each montage channel, the index of its signal among `labels`; `Err` lists the
/// channels that match none.
pub fn match_channels(montage: &Montage, labels: &[String]) -> Result<Vec<usize>, Vec<String>> {
    let names: Vec<String> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| name_of(l, i))
        .collect();
    let mut found = Vec::with_capacity(montage.channels.len());
    let mut missing = Vec::new();
    for ch in &montage.channels {
        let wanted = ch.label.as_deref().unwrap_or(&ch.name);
        let hit = labels
            .iter()
            .position(|l| l.trim() == wanted)
            .or_else(|| names.iter().position(|n| *n == ch.name))
            .or_else(|| {
                labels
                    .iter()
                    .position(|l| l.trim().eq_ignore_ascii_case(wanted))
            })
            .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(&ch.name)));
        match hit {
            Some(i) => found.push(i),
            None => missing.push(match &ch.label {
                Some(label) => format!("\"{}\" (label \"{label}\")", ch.name),
                None => format!("\"{}\"", ch.name),
            }),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn montage(channels: &[(&str, Option<&str>)]) -> Montage {
        let mut text = String::from("mains_hz = 50\n");
        for (name, label) in channels {
            text.push_str(&format!(
                "[[channels]]\nname = \"{name}\"\nkind = \"emg\"\n"
            ));
            if let Some(l) = label {
                text.push_str(&format!("label = \"{l}\"\n"));
            }
        }
        Montage::from_toml_str(&text, "m.toml").unwrap()
    }

    #[test]
    fn by_label_then_name_then_case() {
        let labels: Vec<String> = ["R.VLO", "EMG L", "force"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let m = montage(&[("vl_r", Some("R.VLO")), ("EMG_L", None), ("Force", None)]);
        assert_eq!(match_channels(&m, &labels), Ok(vec![0, 1, 2]));
        let m = montage(&[("biceps", None), ("x", Some("nope"))]);
        assert_eq!(
            match_channels(&m, &labels),
            Err(vec![
                "\"biceps\"".to_string(),
                "\"x\" (label \"nope\")".to_string()
            ])
        );
    }
}
