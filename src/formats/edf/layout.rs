//! Where each header field of an EDF/BDF file sits: the fixed 256-byte file header and the
//! 256 bytes per signal that follow it, stored field by field (all labels, then all
//! transducer types, …). Only positions and names live here, so every error can say which
//! field of which signal and which bytes it means.

/// Length of the file part of the header, and of each signal's part.
pub(super) const BLOCK_BYTES: usize = 256;

/// A field of the file part of the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileField {
    pub name: &'static str,
    pub offset: usize,
    pub width: usize,
}

pub(super) const VERSION: FileField = field("version", 0, 8);
pub(super) const PATIENT: FileField = field("local patient identification", 8, 80);
pub(super) const RECORDING: FileField = field("local recording identification", 88, 80);
pub(super) const START_DATE: FileField = field("startdate of recording", 168, 8);
pub(super) const START_TIME: FileField = field("starttime of recording", 176, 8);
pub(super) const HEADER_BYTES: FileField = field("number of bytes in header record", 184, 8);
pub(super) const RESERVED: FileField = field("reserved", 192, 44);
pub(super) const RECORDS: FileField = field("number of data records", 236, 8);
pub(super) const RECORD_DURATION: FileField = field("duration of a data record", 244, 8);
pub(super) const SIGNALS: FileField = field("number of signals", 252, 4);

/// The file fields in file order.
const FILE_FIELDS: [FileField; 10] = [
    VERSION,
    PATIENT,
    RECORDING,
    START_DATE,
    START_TIME,
    HEADER_BYTES,
    RESERVED,
    RECORDS,
    RECORD_DURATION,
    SIGNALS,
];

const fn field(name: &'static str, offset: usize, width: usize) -> FileField {
    FileField {
        name,
        offset,
        width,
    }
}

/// A field each signal has, in the order the header stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SignalField {
    Label,
    Transducer,
    Unit,
    PhysicalMin,
    PhysicalMax,
    DigitalMin,
    DigitalMax,
    Prefiltering,
    SamplesPerRecord,
    Reserved,
}

/// The signal fields in header order.
const SIGNAL_FIELDS: [SignalField; 10] = [
    SignalField::Label,
    SignalField::Transducer,
    SignalField::Unit,
    SignalField::PhysicalMin,
    SignalField::PhysicalMax,
    SignalField::DigitalMin,
    SignalField::DigitalMax,
    SignalField::Prefiltering,
    SignalField::SamplesPerRecord,
    SignalField::Reserved,
];

impl SignalField {
    /// The field's name as the EDF specification writes it.
    pub fn name(self) -> &'static str {
        match self {
            SignalField::Label => "label",
            SignalField::Transducer => "transducer type",
            SignalField::Unit => "physical dimension",
            SignalField::PhysicalMin => "physical minimum",
            SignalField::PhysicalMax => "physical maximum",
            SignalField::DigitalMin => "digital minimum",
            SignalField::DigitalMax => "digital maximum",
            SignalField::Prefiltering => "prefiltering",
            SignalField::SamplesPerRecord => "number of samples in each data record",
            SignalField::Reserved => "signal reserved",
        }
    }

    /// Bytes per signal.
    pub fn width(self) -> usize {
        match self {
            SignalField::Label => 16,
            SignalField::Transducer | SignalField::Prefiltering => 80,
            SignalField::Reserved => 32,
            _ => 8,
        }
    }

    /// Offset of this field's first signal's entry from the start of the signal part,
    /// per signal (multiply by the number of signals).
    fn widths_before(self) -> usize {
        SIGNAL_FIELDS
            .iter()
            .take_while(|f| **f != self)
            .map(|f| f.width())
            .sum()
    }

    /// Byte range (start, end exclusive) of this field of signal `index` (0-based) in a
    /// header with `signals` signals. Sizes come from the 4-digit signal count, so no
    /// overflow is possible.
    pub fn range(self, index: usize, signals: usize) -> (usize, usize) {
        let start = BLOCK_BYTES + signals * self.widths_before() + index * self.width();
        (start, start + self.width())
    }
}

/// Which field holds header byte `offset` in a header with `signals` signals: the
/// field's name, its signal (0-based) when it is a signal field, and its byte range.
pub(super) fn field_at(
    offset: usize,
    signals: usize,
) -> (&'static str, Option<usize>, usize, usize) {
    if offset < BLOCK_BYTES {
        for f in FILE_FIELDS {
            if offset < f.offset + f.width {
                return (f.name, None, f.offset, f.offset + f.width);
            }
        }
    }
    let mut start = BLOCK_BYTES;
    for f in SIGNAL_FIELDS {
        let span = signals.saturating_mul(f.width());
        if offset < start.saturating_add(span) {
            let index = (offset - start) / f.width();
            let (s, e) = f.range(index, signals);
            return (f.name(), Some(index), s, e);
        }
        start = start.saturating_add(span);
    }
    ("past the header", None, offset, offset + 1)
}

/// "bytes 1480–1487" for the range start..end (end exclusive), as a user reads a hex
/// dump: both ends inclusive.
pub(super) fn bytes_text(start: usize, end: usize) -> String {
    format!("bytes {}–{}", start, end.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_fields_tile_the_first_block() {
        let mut next = 0;
        for f in FILE_FIELDS {
            assert_eq!(f.offset, next, "{}", f.name);
            next += f.width;
        }
        assert_eq!(next, BLOCK_BYTES);
    }

    #[test]
    fn signal_fields_tile_256_bytes_per_signal() {
        let total: usize = SIGNAL_FIELDS.iter().map(|f| f.width()).sum();
        assert_eq!(total, BLOCK_BYTES);
        // Three signals: the digital minimum of the second one (EDF spec order).
        assert_eq!(
            SignalField::DigitalMin.range(1, 3),
            (256 + 3 * 120 + 8, 256 + 3 * 120 + 16)
        );
    }

    #[test]
    fn field_at_finds_signal_fields() {
        let (name, signal, s, e) = field_at(256 + 2 * 16 + 5, 2);
        assert_eq!((name, signal, s, e), ("transducer type", Some(0), 288, 368));
        assert_eq!(field_at(200, 2).0, "reserved");
        assert_eq!(field_at(256 + 2 * 256, 2).0, "past the header");
    }
}
