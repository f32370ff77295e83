//! The C3D header: the first 512-byte block. It locates the parameter and data sections and
//! repeats a few parameters (point count, frame range, scale, rate, analog words per frame)
//! as 16-bit words and floats, and may hold up to 18 "header events". The parameters are the
//! authority; the header values are fallbacks for files that lack a parameter.
//!
//! Word numbers below are the C3D user guide's (1-based 16-bit words); byte offsets are
//! 0-based.

use super::numbers::Processor;
use super::{fault, Fault};

/// Bytes in a C3D block; the header is one block, sections start on block boundaries.
pub(crate) const BLOCK: usize = 512;
/// The second byte of every C3D file (ASCII 'P': "XYZ points with analog samples").
pub(crate) const KEY: u8 = 0x50;
/// Most header events the header can hold.
const MAX_HEADER_EVENTS: usize = 18;
/// Header word 151: the number of header events.
const EVENT_COUNT_AT: usize = 300;
/// Header words 153–188: event times (floats, seconds from the first stored frame).
const EVENT_TIMES_AT: usize = 304;
/// Header words 199–234: event labels, 4 characters each.
const EVENT_LABELS_AT: usize = 396;

/// What the header says, decoded with the file's processor.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// Word 2: 3D points per frame.
    pub point_count: u16,
    /// Word 3: analog words per frame (channels × samples per frame).
    pub analog_words: u16,
    /// Word 4: number of the first frame.
    pub first_frame: u16,
    /// Word 5: number of the last frame (at most 65535).
    pub last_frame: u16,
    /// Words 7–8: the 3D scale; negative means the data are floats.
    pub scale: f32,
    /// Word 9: the first block of the data section (1-based).
    pub data_block: u16,
    /// Word 10: analog samples per channel per frame.
    pub analog_per_frame: u16,
    /// Words 11–12: frames per second.
    pub frame_rate: f32,
    /// Header events in stored order.
    pub events: Vec<HeaderEvent>,
    /// What was skipped while reading the header, one sentence each.
    pub warnings: Vec<String>,
}

/// One of the up to 18 events of the header.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HeaderEvent {
    /// Seconds from the first frame stored in the file (the C3D user guide, "Event times").
    pub time_s: f64,
    /// Up to four characters, trimmed.
    pub label: String,
}

/// The block where the parameter section starts, from byte 0, checked against the file.
/// Returns the section's byte offset.
pub(crate) fn parameter_section(bytes: &[u8]) -> Result<usize, Fault> {
    if bytes.len() < BLOCK {
        return Err(fault(
            "header (bytes 0–511)",
            format!(
                "the file has {} bytes, fewer than the 512-byte header of every C3D file",
                bytes.len()
            ),
        ));
    }
    if bytes[1] != KEY {
        return Err(fault(
            "header byte 1",
            format!(
                "is 0x{:02X}, not 0x50 ('P'): this is not a C3D file",
                bytes[1]
            ),
        ));
    }
    let block = bytes[0] as usize;
    if block < 2 {
        return Err(fault(
            "header byte 0 (parameter section pointer)",
            format!("points to block {block}; the parameter section starts at block 2 or later"),
        ));
    }
    let start = (block - 1) * BLOCK;
    if start + 4 > bytes.len() {
        return Err(fault(
            "header byte 0 (parameter section pointer)",
            format!(
                "points to block {block} (byte {start}), past the end of the file ({} bytes)",
                bytes.len()
            ),
        ));
    }
    Ok(start)
}

/// Reads the header words with the file's processor. `bytes` holds at least one block
/// (checked by [`parameter_section`]).
pub(crate) fn read(bytes: &[u8], processor: Processor) -> Result<Header, Fault> {
    let word = |at: usize| {
        processor
            .u16_at(bytes, at)
            .ok_or_else(|| fault(format!("header byte {at}"), "the header is cut short"))
    };
    let float = |at: usize| {
        processor
            .f32_at(bytes, at)
            .ok_or_else(|| fault(format!("header byte {at}"), "the header is cut short"))
    };
    let mut warnings = Vec::new();
    let count = processor.i16_at(bytes, EVENT_COUNT_AT).unwrap_or(0);
    let count = if count < 0 {
        warnings.push(format!(
            "header word 151 gives {count} header events; read none"
        ));
        0
    } else if count as usize > MAX_HEADER_EVENTS {
        warnings.push(format!(
            "header word 151 gives {count} header events, more than the 18 the header holds; read 18"
        ));
        MAX_HEADER_EVENTS
    } else {
        count as usize
    };
    let mut events = Vec::with_capacity(count);
    for i in 0..count {
        let time = float(EVENT_TIMES_AT + 4 * i)?;
        let at = EVENT_LABELS_AT + 4 * i;
        let label = super::parameters::text(bytes.get(at..at + 4).unwrap_or(&[]));
        if !time.is_finite() {
            warnings.push(format!(
                "header event {} (\"{label}\") has no finite time; skipped",
                i + 1
            ));
            continue;
        }
        events.push(HeaderEvent {
            time_s: f64::from(time),
            label,
        });
    }
    Ok(Header {
        point_count: word(2)?,
        analog_words: word(4)?,
        first_frame: word(6)?,
        last_frame: word(8)?,
        scale: float(12)?,
        data_block: word(16)?,
        analog_per_frame: word(18)?,
        frame_rate: float(20)?,
        events,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block() -> Vec<u8> {
        let mut b = vec![0u8; BLOCK];
        b[0] = 2;
        b[1] = KEY;
        b
    }

    #[test]
    fn short_file_is_an_error() {
        let e = parameter_section(&[2, KEY, 0]).unwrap_err();
        assert!(e.problem.contains("3 bytes"), "{e:?}");
    }

    #[test]
    fn wrong_key_is_an_error() {
        let mut b = block();
        b[1] = 0x51;
        let e = parameter_section(&b).unwrap_err();
        assert_eq!(e.at, "header byte 1");
    }

    #[test]
    fn parameter_pointer_checked() {
        let mut b = block();
        b[0] = 1;
        assert!(parameter_section(&b)
            .unwrap_err()
            .problem
            .contains("block 1"));
        b[0] = 2;
        // The parameter block lies past the end of a one-block file.
        let e = parameter_section(&b).unwrap_err();
        assert!(e.problem.contains("past the end"), "{e:?}");
        b.resize(2 * BLOCK, 0);
        assert_eq!(parameter_section(&b).unwrap(), BLOCK);
    }

    #[test]
    fn words_in_both_byte_orders() {
        let mut b = block();
        b[2..4].copy_from_slice(&7u16.to_be_bytes());
        b[8..10].copy_from_slice(&450u16.to_be_bytes());
        b[20..24].copy_from_slice(&50f32.to_be_bytes());
        let h = read(&b, Processor::Mips).unwrap();
        assert_eq!((h.point_count, h.last_frame, h.frame_rate), (7, 450, 50.0));
        let h = read(&b, Processor::Intel).unwrap();
        assert_eq!(h.point_count, 7 << 8);
    }

    #[test]
    fn header_events_bounded() {
        let mut b = block();
        b[EVENT_COUNT_AT..EVENT_COUNT_AT + 2].copy_from_slice(&400i16.to_le_bytes());
        let h = read(&b, Processor::Intel).unwrap();
        assert_eq!(h.events.len(), MAX_HEADER_EVENTS);
        assert_eq!(h.warnings.len(), 1);
        b[EVENT_COUNT_AT..EVENT_COUNT_AT + 2].copy_from_slice(&(-3i16).to_le_bytes());
        assert!(read(&b, Processor::Intel).unwrap().events.is_empty());
        b[EVENT_COUNT_AT..EVENT_COUNT_AT + 2].copy_from_slice(&1i16.to_le_bytes());
        b[EVENT_TIMES_AT..EVENT_TIMES_AT + 4].copy_from_slice(&f32::NAN.to_le_bytes());
        let h = read(&b, Processor::Intel).unwrap();
        assert!(h.events.is_empty());
        assert!(h.warnings[0].contains("no finite time"));
    }
}
