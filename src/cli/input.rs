//! Reading one input of `process`, `mvc`, `inspect` or `montage` into a recording, in any
//! format myobalance reads (found from the file's content): a myobalance HDF5 file with its
//! own montage or the command line's (matched by name); a CSV file with the command line's
//! montage or one guessed from its header; a foreign recording (EDF/BDF, C3D, OpenBCI,
//! OpenSignals, WFDB) with the command line's montage (matched by label) or one guessed
//! from its labels and units. What the samples are analysed into is the caller's business.

use std::path::Path;

use anyhow::Context as _;

use crate::import::open::{detect, Detected};
use crate::import::{self, Settings};
use crate::montage::guess::Guess;
use crate::montage::Montage;
use crate::recording::Recording;
use crate::store::csv::read_csv;
use crate::store::{read_file, read_header, SampleBlocks};

/// The montage given with `--montage`, with the name its errors use.
#[derive(Debug, Clone)]
pub struct MontageArg {
    /// The validated montage (its rate may still be unset).
    pub montage: Montage,
    /// The path as the user typed it.
    pub origin: String,
}

/// An input read into memory, with what the user should be told about it.
#[derive(Debug, Clone)]
pub struct Input {
    /// Samples in montage order, the montage carrying the input's rate.
    pub recording: Recording,
    /// The montage guessed for the input, when none was given and it had none.
    pub guess: Option<Guess>,
    /// A myobalance HDF5 file read with its own montage: its `/raw/samples` are exactly the
    /// recording's samples (their stored chunks can be copied).
    pub untouched_hdf5: bool,
    /// Things ignored or replaced along the way, one sentence each, naming the file.
    pub warnings: Vec<String>,
}

/// A myobalance HDF5 input read with its own montage (no `--montage`): everything but its
/// samples, which are read from the [`SampleBlocks`] as they are wanted; `None` for any
/// other input (read it with [`load`]).
pub fn open_stored(
    path: &Path,
    montage: Option<&MontageArg>,
) -> anyhow::Result<Option<(Recording, SampleBlocks)>> {
    if montage.is_some() || !matches!(detect(path)?, Detected::Hdf5) {
        return Ok(None);
    }
    if crate::store::opensignals::is_opensignals(path)? {
        return Ok(None);
    }
    let (stored, samples) = read_header(path)?;
    Ok(Some((stored.recording, samples)))
}

/// An EDF or BDF input opened to be read a block of rows at a time: what [`load`] gives
/// but the samples (the recording has no rows), and its rows. `None` for any other input,
/// and for one whose signals need resampling or whose gaps need filling (read it with
/// [`load`]).
pub fn open_imported(
    path: &Path,
    montage: Option<&MontageArg>,
    rate_hz: Option<f64>,
) -> anyhow::Result<Option<(Input, import::streamed::ImportedBlocks)>> {
    let detected = detect(path)?;
    let settings = Settings {
        rate_hz,
        montage: montage.map(|m| (&m.montage, m.origin.as_str())),
        stream: None,
    };
    let Some((imported, blocks)) = import::streamed::open(path, &detected, &settings)? else {
        return Ok(None);
    };
    let input = Input {
        recording: imported.recording,
        guess: imported.guess,
        untouched_hdf5: false,
        warnings: imported.warnings,
    };
    Ok(Some((input, blocks)))
}

/// Reads `path` with `montage` (when given) at `rate_hz` (`--rate`, for inputs that do not
/// fix their rate).
pub fn load(
    path: &Path,
    montage: Option<&MontageArg>,
    rate_hz: Option<f64>,
    stream: Option<&str>,
) -> anyhow::Result<Input> {
    let shown = path.display().to_string();
    let detected = detect(path)?;
    let settings = Settings {
        rate_hz,
        montage: montage.map(|m| (&m.montage, m.origin.as_str())),
        stream,
    };
    match (&detected, montage) {
        (Detected::Hdf5, _) if !crate::store::opensignals::is_opensignals(path)? => {
            let stored = read_file(path)?;
            match montage {
                None => Ok(Input {
                    recording: stored.recording,
                    guess: None,
                    untouched_hdf5: true,
                    warnings: Vec::new(),
                }),
                Some(m) => with_montage(stored.recording, m, &shown),
            }
        }
        (Detected::Csv, Some(m)) => {
            let mut montage = m.montage.clone();
            if let (Some(rate), None) = (rate_hz, montage.sample_rate_hz) {
                montage.sample_rate_hz = Some(rate);
            }
            let read = read_csv(path, &montage)?;
            Ok(Input {
                recording: read.recording,
                guess: None,
                untouched_hdf5: false,
                warnings: read.warnings,
            })
        }
        _ => {
            let imported = import::open::read(path, &detected, &settings)?;
            Ok(Input {
                recording: imported.recording,
                guess: imported.guess,
                untouched_hdf5: false,
                warnings: imported.warnings,
            })
        }
    }
}

/// One line saying that a montage was guessed and what it found.
pub fn guess_line(shown: &str, g: &Guess) -> String {
    let mut counts: Vec<String> = Vec::new();
    for kind in crate::montage::Kind::ALL {
        let n = g.channels.iter().filter(|c| c.channel.kind == kind).count();
        if n > 0 {
            counts.push(format!("{n} {}", kind.as_str()));
        }
    }
    let names = |items: Vec<&str>| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    format!(
        "{shown}: no --montage: guessed from the labels and units: {}; pairs: {}; bilateral: {}; mains {} Hz (`myobalance montage {shown}` shows why)",
        counts.join(", "),
        names(g.pairs.iter().map(|(p, _)| p.name.as_str()).collect()),
        names(g.bilateral.iter().map(|(b, _)| b.name.as_str()).collect()),
        g.mains_hz
    )
}

/// `recording` with its columns rearranged to `arg`'s channels (matched by name) and that
/// montage at the recording's rate. Stored samples are physical units already, so each
/// channel keeps the file's `scale` and `offset`: they describe how the samples were made.
fn with_montage(recording: Recording, arg: &MontageArg, shown: &str) -> anyhow::Result<Input> {
    let own = &recording.montage;
    let found: Vec<Option<usize>> = arg
        .montage
        .channels
        .iter()
        .map(|c| own.channel_index(&c.name))
        .collect();
    let missing: Vec<String> = arg
        .montage
        .channels
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(c, _)| format!("\"{}\"", c.name))
        .collect();
    if !missing.is_empty() {
        let held: Vec<&str> = own.channels.iter().map(|c| c.name.as_str()).collect();
        anyhow::bail!(
            "{shown}: montage {} names channels the file does not hold: {} (the file holds: {})",
            arg.origin,
            missing.join(", "),
            held.join(", ")
        );
    }
    let columns: Vec<usize> = found.into_iter().flatten().collect();
    let mut warnings = Vec::new();
    let left_out: Vec<String> = own
        .channels
        .iter()
        .enumerate()
        .filter(|(i, _)| !columns.contains(i))
        .map(|(_, c)| format!("\"{}\"", c.name))
        .collect();
    if !left_out.is_empty() {
        warnings.push(format!(
            "{shown}: channel(s) {} not in montage {}: left out of the analysis and the output",
            left_out.join(", "),
            arg.origin
        ));
    }
    let mut montage = arg
        .montage
        .clone()
        .with_sample_rate(recording.sample_rate_hz(), &arg.origin)
        .with_context(|| format!("{shown}: montage {} does not fit this file", arg.origin))?;
    for (channel, &i) in montage.channels.iter_mut().zip(&columns) {
        channel.scale = own.channels[i].scale;
        channel.offset = own.channels[i].offset;
    }
    let samples = recording.samples.select(ndarray::Axis(1), &columns);
    let mut metadata = recording.metadata.clone();
    if let Some(rates) = &metadata.source_rates_hz {
        metadata.source_rates_hz = Some(columns.iter().map(|&i| rates[i]).collect());
    }
    Ok(Input {
        recording: Recording {
            montage,
            samples,
            metadata,
            ..recording
        },
        guess: None,
        untouched_hdf5: false,
        warnings,
    })
}
