//! Samples chunks: `[count: varlen]`, then per sample `[timestamp size: 0 or 8]`
//! `[timestamp: f64 when 8]` and the values, `channel_count` of them, little-endian in the
//! stream's format (strings: `[length: varlen] [UTF-8 bytes]` each). A sample without a
//! timestamp follows the previous one by 1/nominal rate (the first of a stream by 0 s, as
//! pyxdf counts).

use super::chunks::read_varlen;
use super::header::{StreamHeader, ValueFormat};

/// Samples of one stream read so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreamData {
    /// One per sample, seconds on the sending machine's LSL clock.
    pub timestamps: Vec<f64>,
    /// Numeric values, sample after sample, `channel_count` each.
    pub values: Vec<f32>,
    /// String values: the first channel of each sample (marker streams have one).
    pub texts: Vec<String>,
}

/// Appends the samples of a chunk's content (after the stream id) to `data`.
pub fn read_samples(
    content: &[u8],
    header: &StreamHeader,
    data: &mut StreamData,
) -> Result<(), String> {
    let (count, mut pos) =
        read_varlen(content, 0)?.ok_or("the chunk ends inside its sample count")?;
    let step = if header.nominal_srate > 0.0 {
        1.0 / header.nominal_srate
    } else {
        0.0
    };
    let n = header.channel_count;
    // Each sample takes at least one byte per value and its timestamp size byte.
    let least = 1 + n * header.format.width().unwrap_or(1);
    if count > (content.len() / least) as u64 {
        return Err(format!(
            "{count} samples cannot fit in the chunk's {} bytes",
            content.len()
        ));
    }
    for k in 0..count {
        let ends = || format!("sample {k} of {count} ends past the chunk");
        let stamp = match content.get(pos) {
            Some(0) => {
                pos += 1;
                data.timestamps.last().copied().unwrap_or(0.0) + step
            }
            Some(8) => {
                let b = content.get(pos + 1..pos + 9).ok_or_else(ends)?;
                pos += 9;
                f64::from_le_bytes(b.try_into().map_err(|_| ends())?)
            }
            Some(other) => {
                return Err(format!(
                    "sample {k} has a timestamp of {other} bytes (XDF has 0 or 8)"
                ))
            }
            None => return Err(ends()),
        };
        data.timestamps.push(stamp);
        match header.format.width() {
            Some(width) => {
                let bytes = content.get(pos..pos + n * width).ok_or_else(ends)?;
                pos += n * width;
                data.values
                    .extend(bytes.chunks_exact(width).map(|b| value(header.format, b)));
            }
            None => {
                for c in 0..n {
                    let (len, after) = read_varlen(content, pos)?.ok_or_else(ends)?;
                    let text = usize::try_from(len)
                        .ok()
                        .and_then(|len| content.get(after..after.checked_add(len)?))
                        .ok_or_else(ends)?;
                    pos = after + text.len();
                    if c == 0 {
                        data.texts.push(String::from_utf8_lossy(text).into_owned());
                    }
                }
            }
        }
    }
    Ok(())
}

/// One little-endian value of `format` (of its width) as f32.
fn value(format: ValueFormat, b: &[u8]) -> f32 {
    let mut le = [0u8; 8];
    le[..b.len()].copy_from_slice(b);
    match format {
        ValueFormat::Int8 => f32::from(b[0] as i8),
        ValueFormat::Int16 => f32::from(i16::from_le_bytes([le[0], le[1]])),
        ValueFormat::Int32 => i32::from_le_bytes([le[0], le[1], le[2], le[3]]) as f32,
        ValueFormat::Int64 => i64::from_le_bytes(le) as f32,
        ValueFormat::Float32 => f32::from_le_bytes([le[0], le[1], le[2], le[3]]),
        ValueFormat::Double64 => f64::from_le_bytes(le) as f32,
        ValueFormat::String => f32::NAN,
    }
}
