//! Which of a file's signals become the recording's channels, and what each is: the ones
//! a given montage names (matched by label, see `matching`), or every signal with samples
//! and the kind the montage guess gives it.

use super::{describe, quoted_list, ImportError, Settings};
use crate::formats::Signal;
use crate::montage::guess::guess;
use crate::montage::Kind;

/// The chosen signals' indices, in the recording's channel order, and their kinds.
pub(super) struct Selection {
    pub indices: Vec<usize>,
    pub kinds: Vec<Kind>,
}

/// Chooses the signals; what is left out is said in `warnings`.
pub(super) fn select(
    signals: &[Signal],
    settings: &Settings,
    path: &str,
    warnings: &mut Vec<String>,
) -> Result<Selection, ImportError> {
    let labels: Vec<String> = signals.iter().map(|s| s.label.clone()).collect();
    let selection = match settings.montage {
        Some((m, origin)) => {
            let found = super::matching::match_channels(m, &labels).map_err(|missing| {
                ImportError::MissingChannels {
                    path: path.to_string(),
                    montage: origin.to_string(),
                    missing: missing.join(", "),
                    labels: quoted_list(&labels),
                }
            })?;
            let left_out: Vec<&str> = labels
                .iter()
                .enumerate()
                .filter(|(i, _)| !found.contains(i))
                .map(|(_, l)| l.as_str())
                .collect();
            if !left_out.is_empty() {
                warnings.push(format!(
                    "{path}: signal(s) {} not in montage {origin}: left out",
                    quoted_list(&left_out)
                ));
            }
            Selection {
                indices: found,
                kinds: m.channels.iter().map(|c| c.kind).collect(),
            }
        }
        None => {
            let (usable, empty): (Vec<usize>, Vec<usize>) =
                (0..signals.len()).partition(|&i| !signals[i].samples.is_empty());
            if !empty.is_empty() {
                let names: Vec<&str> = empty.iter().map(|&i| labels[i].as_str()).collect();
                warnings.push(format!(
                    "{path}: signal(s) {} hold no samples: left out",
                    quoted_list(&names)
                ));
            }
            // The kinds do not depend on the rate or mains given here.
            let kinds = guess(&describe(signals, &usable), 1.0, 50, "")
                .channels
                .iter()
                .map(|c| c.channel.kind)
                .collect();
            Selection {
                indices: usable,
                kinds,
            }
        }
    };
    if selection.indices.is_empty()
        || selection
            .indices
            .iter()
            .any(|&i| signals[i].samples.is_empty())
    {
        return Err(ImportError::NoSignals {
            path: path.to_string(),
        });
    }
    Ok(selection)
}
