//! C3D (c3d.org): motion-capture files whose analog channels hold EMG, force plates and
//! other sensors. This reader returns the analog channels as [`Signal`]s at `ANALOG:RATE`,
//! the events as annotations and the subject's name; the 3D point data are skipped.
//!
//! A C3D file is 512-byte blocks: the header (`header.rs`), the parameter section
//! (`parameters.rs`; its 4th byte names the number encoding, `numbers.rs`: Intel, DEC or
//! MIPS), then the data section of frames (`layout.rs`: points then analog samples per
//! frame, 16-bit integers or floats). The analog calibration and its defaults are in
//! `analog.rs`, the events in `events.rs`.
//!
//! - **Subject:** the first name in `SUBJECTS:NAMES` (Vicon); failing that `SUBJECT:NAME`
//!   (the NIH group the c3d.org sample files use).
//! - **Start time:** none. The C3D user guide defines no parameter for the date or time of
//!   a recording (only vendor groups such as `SUBJECT:DATE_OF_BIRTH`), so
//!   [`Imported::recorded_utc`] stays `None`.
//! - **Faults:** a header, parameter or pointer that cannot be right is a [`FormatError`]
//!   naming the header word or the parameter (`GROUP:NAME`) and its byte offset; a file
//!   shorter than its frame count keeps its complete frames and says how many are missing
//!   in [`Imported::warnings`]. Nothing is allocated beyond what the file's bytes hold.

mod analog;
mod events;
mod header;
mod layout;
mod numbers;
mod parameters;
#[cfg(test)]
mod tests;

use crate::formats::{FormatError, Imported, Signal};
use numbers::Processor;

/// The format name in errors and in [`Imported::format`].
const FORMAT: &str = "C3D";

/// A problem found while reading: where in the file, and what. The file name is added by
/// [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    pub at: String,
    pub problem: String,
}

pub(crate) fn fault(at: impl Into<String>, problem: impl Into<String>) -> Fault {
    Fault {
        at: at.into(),
        problem: problem.into(),
    }
}

/// Whether `head` (the first bytes of a file) looks like a C3D file: byte 1 is the key
/// 0x50, byte 0 points to the parameter section (block 2 or later), and that section's
/// 4th byte is a processor type 84, 85 or 86. Pass at least the first
/// `(head[0] − 1) · 512 + 4` bytes (516 for almost every file); when `head` stops before
/// the processor byte, the first two bytes decide.
pub fn is_c3d(head: &[u8]) -> bool {
    let (Some(&block), Some(&key)) = (head.first(), head.get(1)) else {
        return false;
    };
    if key != header::KEY || block < 2 {
        return false;
    }
    let at = (block as usize - 1) * header::BLOCK + 3;
    match head.get(at) {
        Some(&p) => Processor::from_byte(p).is_some(),
        None => true,
    }
}

/// Reads a C3D file's analog channels, events and subject. `file` names the file in errors.
///
/// ```
/// use myobalance::formats::c3d;
///
/// let e = c3d::parse(b"not a c3d file", "trial.c3d").unwrap_err();
/// assert_eq!(e.format, "C3D");
/// assert!(e.to_string().starts_with("trial.c3d: C3D header"));
/// ```
pub fn parse(bytes: &[u8], file: &str) -> Result<Imported, FormatError> {
    read(bytes).map_err(|f| FormatError::new(file, FORMAT).at(f.at).problem(f.problem))
}

fn read(bytes: &[u8]) -> Result<Imported, Fault> {
    let start = header::parameter_section(bytes)?;
    let processor_at = start + 3;
    let processor = Processor::from_byte(bytes[processor_at]).ok_or_else(|| {
        fault(
            format!("parameter section header, byte {processor_at} (processor type)"),
            format!(
                "is {}; C3D files say 84 (Intel), 85 (DEC) or 86 (MIPS/SGI)",
                bytes[processor_at]
            ),
        )
    })?;
    let header = header::read(bytes, processor)?;
    let params = parameters::Parameters::read(bytes, start, processor)?;
    let layout = layout::read(&params, &header, bytes.len())?;
    let mut warnings = header.warnings.clone();
    warnings.extend(params.warnings.iter().cloned());
    warnings.extend(layout.warnings.iter().cloned());

    let mut signals = Vec::new();
    if layout.analog_used == 0 {
        warnings.push(
            "the file has no analog channels (ANALOG:USED is 0); its 3D point data are not read"
                .to_string(),
        );
    } else {
        let (table, unsigned) = analog::channels(&params, layout.analog_used, &mut warnings)?;
        let samples = analog::samples(bytes, &layout, &table, unsigned, processor, &mut warnings)?;
        signals = table
            .into_iter()
            .zip(samples)
            .map(|(channel, samples)| {
                let mut signal = Signal {
                    label: channel.label,
                    unit: channel.unit,
                    rate_hz: layout.analog_rate_hz,
                    samples,
                    detail: channel.detail,
                    emg_transfer: None,
                };
                // Float data may hold NaN (a vendor's "no value") or values whose
                // scaling overflows: interpolated, and said.
                let replaced = signal.interpolate_non_finite();
                if replaced > 0 {
                    let count = if replaced == 1 {
                        "1 value was".to_string()
                    } else {
                        format!("{replaced} values were")
                    };
                    warnings.push(format!(
                        "analog channel \"{}\": {count} not a finite number (NaN, infinite or \
                         beyond ±3.4·10³⁸): interpolated between the neighbours",
                        signal.label
                    ));
                }
                signal
            })
            .collect();
    }
    let annotations = events::read(&params, &header.events, &layout)?;
    Ok(Imported {
        format: FORMAT.to_string(),
        signals,
        recorded_utc: None,
        subject: subject(&params)?,
        annotations,
        gaps: Vec::new(),
        sequence: None,
        warnings,
    })
}

/// The first non-empty name of `SUBJECTS:NAMES`, else `SUBJECT:NAME`.
fn subject(params: &parameters::Parameters) -> Result<Option<String>, Fault> {
    for (group, name) in [("SUBJECTS", "NAMES"), ("SUBJECT", "NAME")] {
        if let Some(p) = params.get(group, name) {
            if let Some(s) = p.strings()?.into_iter().find(|s| !s.is_empty()) {
                return Ok(Some(s));
            }
        }
    }
    Ok(None)
}
