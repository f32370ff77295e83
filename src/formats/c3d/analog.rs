//! The analog channels: their names, units and descriptions, their calibration, and their
//! samples in physical units.
//!
//! Calibration (C3D user guide, ANALOG group): value = (raw − `OFFSET`) · `SCALE` ·
//! `GEN_SCALE`, for integer and float files alike. Raw words are signed 16-bit integers,
//! unsigned ones when `ANALOG:FORMAT` is `UNSIGNED` (then `OFFSET` is unsigned too), or
//! floats when the file's data are floats. `ANALOG:BITS` (the ADC resolution) is descriptive
//! only — the guide says it does not change how samples are stored — so it is not read.
//!
//! Missing parameters: no `UNITS` → empty units, no `DESCRIPTIONS` → empty details, no (or
//! an empty) `SCALE` → 1, `OFFSET` → 0, `GEN_SCALE` → 1, no `FORMAT` → signed (the guide:
//! "If the ANALOG:FORMAT parameter does not exist then assume that the analog data is
//! signed"). The guide requires `SCALE` and `OFFSET` for every channel, so a list shorter
//! than `ANALOG:USED` is an error. `LABELS` may legitimately name fewer channels than
//! `ANALOG:USED` (the guide: extra channels "must be referenced by number"): those are called
//! "Analog N" and a warning says so. `LABELS2`, `UNITS2`, … continue their lists.

use super::layout::Layout;
use super::numbers::Processor;
use super::parameters::Parameters;
use super::{fault, Fault};

/// One channel's names and calibration.
#[derive(Debug, Clone)]
pub(crate) struct Channel {
    pub label: String,
    pub unit: String,
    pub detail: String,
    /// `SCALE · GEN_SCALE`.
    pub scale: f64,
    pub offset: f64,
}

/// The storage of analog words in an integer file.
fn unsigned_format(params: &Parameters) -> Result<bool, Fault> {
    let Some(p) = params.get("ANALOG", "FORMAT") else {
        return Ok(false);
    };
    let format = p.strings()?.concat().to_ascii_uppercase();
    match format.as_str() {
        "SIGNED" | "" => Ok(false),
        "UNSIGNED" => Ok(true),
        other => Err(fault(
            p.location(),
            format!("is \"{other}\"; analog data are either SIGNED or UNSIGNED"),
        )),
    }
}

/// The strings of a parameter and its continuations.
fn strings(params: &Parameters, name: &str) -> Result<Vec<String>, Fault> {
    let mut out = Vec::new();
    for p in params.series("ANALOG", name) {
        out.extend(p.strings()?);
    }
    Ok(out)
}

/// One number per channel from a parameter and its continuations, `default` for all when
/// the parameter is missing or empty; 16-bit integers read as unsigned when `unsigned`.
fn per_channel(
    params: &Parameters,
    name: &str,
    used: usize,
    default: f64,
    unsigned: bool,
) -> Result<Vec<f64>, Fault> {
    let series = params.series("ANALOG", name);
    let mut values = Vec::new();
    for p in &series {
        values.extend(if unsigned {
            p.unsigned_numbers()?
        } else {
            p.numbers()?
        });
        if values.len() >= used {
            break;
        }
    }
    let Some(first) = series.first() else {
        return Ok(vec![default; used]);
    };
    if values.is_empty() {
        return Ok(vec![default; used]);
    }
    if values.len() < used {
        return Err(fault(
            first.location(),
            format!(
                "gives {} values for the {used} channels of ANALOG:USED; the C3D format needs \
                 one per channel",
                values.len()
            ),
        ));
    }
    values.truncate(used);
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(fault(
            first.location(),
            format!(
                "value {} (channel {}) is not a finite number",
                values[i],
                i + 1
            ),
        ));
    }
    Ok(values)
}

/// The channel table for `used` channels, plus warnings. Also says whether integer words
/// are unsigned.
pub(crate) fn channels(
    params: &Parameters,
    used: usize,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Channel>, bool), Fault> {
    let unsigned = unsigned_format(params)?;
    let labels = strings(params, "LABELS")?;
    let units = strings(params, "UNITS")?;
    let details = strings(params, "DESCRIPTIONS")?;
    let scales = per_channel(params, "SCALE", used, 1.0, false)?;
    let offsets = per_channel(params, "OFFSET", used, 0.0, unsigned)?;
    let gen_scale = match params.get("ANALOG", "GEN_SCALE") {
        Some(p) => {
            let g = p.numbers()?.first().copied().unwrap_or(1.0);
            if !g.is_finite() {
                return Err(fault(p.location(), format!("is {g}, not a finite number")));
            }
            g
        }
        None => 1.0,
    };
    let mut unnamed = 0;
    let table = (0..used)
        .map(|i| {
            let label = match labels.get(i) {
                Some(l) if !l.is_empty() => l.clone(),
                _ => {
                    unnamed += 1;
                    format!("Analog {}", i + 1)
                }
            };
            Channel {
                label,
                unit: units.get(i).cloned().unwrap_or_default(),
                detail: details.get(i).cloned().unwrap_or_default(),
                scale: scales[i] * gen_scale,
                offset: offsets[i],
            }
        })
        .collect();
    if unnamed > 0 {
        warnings.push(format!(
            "ANALOG:LABELS names {} of the {used} analog channels; the {unnamed} others are \
             called \"Analog N\" by their channel number",
            used - unnamed
        ));
    }
    Ok((table, unsigned))
}

/// Every channel's samples in physical units, from the complete frames present. Says in
/// `warnings` when the file holds fewer frames than it declares.
pub(crate) fn samples(
    bytes: &[u8],
    layout: &Layout,
    table: &[Channel],
    unsigned: bool,
    processor: Processor,
    warnings: &mut Vec<String>,
) -> Result<Vec<Vec<f32>>, Fault> {
    let frame_bytes = layout.frame_bytes().ok_or_else(|| {
        fault(
            "parameters POINT:USED and ANALOG:USED",
            "one frame would be larger than any file",
        )
    })?;
    let available = bytes.len().saturating_sub(layout.data_start);
    // No frame bytes (no points, no analog channels): no frames to read.
    let complete = available.checked_div(frame_bytes).unwrap_or(0) as u64;
    let frames = layout.frames_declared.min(complete) as usize;
    if complete < layout.frames_declared {
        warnings.push(format!(
            "the file ends after {frames} of the {} frames that {} gives: kept the {frames} \
             complete frames ({} samples per channel), {} frames are missing",
            layout.frames_declared,
            layout.frames_source,
            frames * layout.analog_per_frame,
            layout.frames_declared - frames as u64,
        ));
    }
    let used = layout.analog_used;
    let per_frame = layout.analog_per_frame;
    let word = if layout.float { 4 } else { 2 };
    // Bounded by the bytes present: frames · per_frame · used words fit in `available`.
    let mut out: Vec<Vec<f32>> = (0..used)
        .map(|_| Vec::with_capacity(frames * per_frame))
        .collect();
    let raw = |at: usize| -> f64 {
        let value = if layout.float {
            processor.f32_at(bytes, at).map(f64::from)
        } else if unsigned {
            processor.u16_at(bytes, at).map(f64::from)
        } else {
            processor.i16_at(bytes, at).map(f64::from)
        };
        value.unwrap_or(f64::NAN)
    };
    for f in 0..frames {
        let analog_at = layout.data_start + f * frame_bytes + layout.point_words * word;
        for s in 0..per_frame {
            let sample_at = analog_at + s * used * word;
            for (c, (channel, series)) in table.iter().zip(out.iter_mut()).enumerate() {
                let value = (raw(sample_at + c * word) - channel.offset) * channel.scale;
                series.push(value as f32);
            }
        }
    }
    Ok(out)
}
