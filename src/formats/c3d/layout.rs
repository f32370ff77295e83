//! Where the frames are and how they are laid out: the data section's start, the point
//! and analog words of one frame, whether words are 16-bit integers or floats, the rates,
//! and how many frames the file holds.
//!
//! A frame is `POINT:USED` points of 4 words (x, y, z, residual/cameras) followed by
//! `ANALOG:RATE / POINT:RATE` analog samples of `ANALOG:USED` words each (channels vary
//! fastest). Words are floats when `POINT:SCALE` is negative, 16-bit integers otherwise.
//!
//! **Frame count** (C3D user guide, "Reading the frame count"): `POINT:FRAMES` (16-bit,
//! read unsigned, or float) is the count unless it is 65535; then `POINT:LONG_FRAMES`
//! (C-Motion's float) or `TRIAL:ACTUAL_END_FIELD − TRIAL:ACTUAL_START_FIELD + 1` (Vicon's
//! 32-bit frame numbers, each as two unsigned 16-bit words, low word first) give it, and
//! without either it is 65535. The header's words 4–5 (first and last frame, 16-bit) are the
//! guide's "raw data" frame numbers and are used only when `POINT:FRAMES` is missing. The
//! guide writes the TRIAL value as `word1 + word2 · 65535`; the words form a 32-bit integer
//! (which is how Vicon and py-c3d's writer store them), so the reader uses `· 65536`.
//!
//! **First frame** (for event times): `TRIAL:ACTUAL_START_FIELD` when present, else header
//! word 4.

use super::header::{Header, BLOCK};
use super::parameters::Parameters;
use super::{fault, Fault};

/// How far `ANALOG:RATE / POINT:RATE` may be from a whole number, relative to it. Rates
/// are 32-bit floats: a ratio of 10 from 599.4 / 59.94 Hz comes out 10 ± 2·10⁻⁷; a genuinely
/// fractional ratio is off by at least 1/(2·ratio), far above this.
const RATIO_TOLERANCE: f64 = 1e-5;
/// `POINT:FRAMES` (16-bit) at this value means "look elsewhere for the count".
const FRAMES_MAX_16: u64 = 65_535;

/// The shape of the data section.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Byte offset of the first frame.
    pub data_start: usize,
    /// Words of point data per frame (4 per point).
    pub point_words: usize,
    /// Analog channels (`ANALOG:USED`).
    pub analog_used: usize,
    /// Analog samples per channel per frame.
    pub analog_per_frame: usize,
    /// Words are 32-bit floats (else 16-bit integers).
    pub float: bool,
    /// Frames per second (`POINT:RATE`), as the file writes it.
    pub point_rate_hz: f64,
    /// Analog samples per second (`ANALOG:RATE`), as the file writes it.
    pub analog_rate_hz: f64,
    /// Frames the file says it holds.
    pub frames_declared: u64,
    /// Which parameter gave `frames_declared`, for messages.
    pub frames_source: &'static str,
    /// Number of the first stored frame (1 for most files).
    pub first_frame: u64,
    /// Disagreements worth telling the user, one sentence each.
    pub warnings: Vec<String>,
}

impl Layout {
    /// Bytes of one frame.
    pub(crate) fn frame_bytes(&self) -> Option<usize> {
        let word = if self.float { 4 } else { 2 };
        self.analog_used
            .checked_mul(self.analog_per_frame)?
            .checked_add(self.point_words)?
            .checked_mul(word)
    }
}

/// A rate stored as a 32-bit float, as its shortest decimal (1000, 59.94), so 59.94 Hz is
/// not reported as 59.939998626708984.
fn decimal(rate: f64) -> f64 {
    let single = rate as f32;
    if f64::from(single) == rate {
        format!("{single}").parse().unwrap_or(rate)
    } else {
        rate
    }
}

/// Reads the layout from the parameters, with the header as fallback.
pub(crate) fn read(params: &Parameters, header: &Header, len: usize) -> Result<Layout, Fault> {
    let mut warnings = Vec::new();
    let point_used = match params.get("POINT", "USED") {
        Some(p) => p.count()?,
        None => u64::from(header.point_count),
    };
    let analog_used = match params.get("ANALOG", "USED") {
        Some(p) => p.count()?,
        None if header.analog_per_frame > 0 => {
            u64::from(header.analog_words / header.analog_per_frame)
        }
        None => 0,
    };
    let scale = match params.get("POINT", "SCALE") {
        Some(p) => p.number()?,
        None => f64::from(header.scale),
    };
    let (point_rate, point_rate_at) = match params.get("POINT", "RATE") {
        Some(p) => (p.number()?, p.location()),
        None => (
            f64::from(header.frame_rate),
            "header words 11–12 (frame rate, bytes 20–23)".to_string(),
        ),
    };
    let point_rate_ok = point_rate.is_finite() && point_rate > 0.0;

    let mut analog_per_frame = 0usize;
    let mut analog_rate = 0.0;
    if analog_used > 0 {
        if !point_rate_ok {
            return Err(fault(
                point_rate_at,
                format!("the frame rate is {point_rate}; analog samples per frame cannot be found"),
            ));
        }
        let (rate, rate_at) = match params.get("ANALOG", "RATE") {
            Some(p) => (p.number()?, p.location()),
            None => (
                f64::from(header.analog_per_frame) * point_rate,
                "header word 10 (analog samples per frame, bytes 18–19)".to_string(),
            ),
        };
        let ratio = rate / point_rate;
        let whole = ratio.round();
        if !(ratio.is_finite() && whole >= 1.0 && (ratio - whole).abs() <= RATIO_TOLERANCE * whole)
        {
            return Err(fault(
                rate_at,
                format!(
                    "the analog rate {rate} Hz is not a whole multiple of the frame rate \
                     {point_rate} Hz (POINT:RATE): the analog samples of a frame cannot be counted"
                ),
            ));
        }
        if whole > f64::from(u16::MAX) {
            return Err(fault(
                rate_at,
                format!("{whole} analog samples per frame is more than a C3D frame can hold"),
            ));
        }
        analog_per_frame = whole as usize;
        analog_rate = rate;
        if header.analog_per_frame != 0 && usize::from(header.analog_per_frame) != analog_per_frame
        {
            warnings.push(format!(
                "header word 10 gives {} analog samples per frame, ANALOG:RATE / POINT:RATE \
                 gives {analog_per_frame}; used the parameters",
                header.analog_per_frame
            ));
        }
    }

    let data_block = match header.data_block {
        0 => match params.get("POINT", "DATA_START") {
            Some(p) => p.count()?,
            None => 0,
        },
        block => u64::from(block),
    };
    if data_block < 3 {
        return Err(fault(
            "header word 9 (data section pointer, bytes 16–17)",
            format!(
                "points to block {data_block}; the data section follows the header and the \
                 parameter section (block 3 or later)"
            ),
        ));
    }
    let data_start = (data_block as usize - 1) * BLOCK;
    if data_start > len {
        return Err(fault(
            "header word 9 (data section pointer, bytes 16–17)",
            format!(
                "points to block {data_block} (byte {data_start}), past the end of the file \
                 ({len} bytes)"
            ),
        ));
    }

    let (frames_declared, frames_source) = frame_count(params, header)?;
    let first_frame = match trial_frame(params, "ACTUAL_START_FIELD")? {
        Some(f) => f,
        None => u64::from(header.first_frame),
    };

    Ok(Layout {
        data_start,
        point_words: (point_used as usize).saturating_mul(4),
        analog_used: analog_used as usize,
        analog_per_frame,
        float: scale < 0.0,
        point_rate_hz: decimal(point_rate),
        analog_rate_hz: decimal(analog_rate),
        frames_declared,
        frames_source,
        first_frame,
        warnings,
    })
}

/// A TRIAL frame number: two unsigned 16-bit words, low word first.
fn trial_frame(params: &Parameters, name: &str) -> Result<Option<u64>, Fault> {
    let Some(p) = params.get("TRIAL", name) else {
        return Ok(None);
    };
    let words = p.unsigned_numbers()?;
    match words.as_slice() {
        [low, high, ..] => Ok(Some(*low as u64 + ((*high as u64) << 16))),
        [low] => Ok(Some(*low as u64)),
        [] => Err(fault(
            p.location(),
            "is empty where a frame number is expected",
        )),
    }
}

/// The number of frames by the C3D user guide's rule (module docs).
fn frame_count(params: &Parameters, header: &Header) -> Result<(u64, &'static str), Fault> {
    let trial = || -> Result<Option<u64>, Fault> {
        let (Some(start), Some(end)) = (
            trial_frame(params, "ACTUAL_START_FIELD")?,
            trial_frame(params, "ACTUAL_END_FIELD")?,
        ) else {
            return Ok(None);
        };
        if end < start {
            let at = params
                .get("TRIAL", "ACTUAL_END_FIELD")
                .map(|p| p.location())
                .unwrap_or_default();
            return Err(fault(
                at,
                format!("the last frame {end} comes before the first frame {start} (TRIAL:ACTUAL_START_FIELD)"),
            ));
        }
        Ok(Some(end - start + 1))
    };
    match params.get("POINT", "FRAMES") {
        Some(p) => {
            let frames = p.count()?;
            if frames != FRAMES_MAX_16 {
                return Ok((frames, "POINT:FRAMES"));
            }
            if let Some(long) = params.get("POINT", "LONG_FRAMES") {
                return Ok((long.count()?, "POINT:LONG_FRAMES"));
            }
            if let Some(n) = trial()? {
                return Ok((n, "TRIAL:ACTUAL_START_FIELD and ACTUAL_END_FIELD"));
            }
            Ok((frames, "POINT:FRAMES"))
        }
        None => {
            if let Some(n) = trial()? {
                return Ok((n, "TRIAL:ACTUAL_START_FIELD and ACTUAL_END_FIELD"));
            }
            let (first, last) = (u64::from(header.first_frame), u64::from(header.last_frame));
            Ok((
                (last + 1).saturating_sub(first),
                "header words 4 and 5 (first and last frame)",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn rates_as_written() {
        assert_eq!(decimal(f64::from(59.94f32)), 59.94);
        assert_eq!(decimal(2000.0), 2000.0);
        assert_eq!(decimal(0.1), 0.1);
    }
}
