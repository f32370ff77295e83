//! An EDF or BDF file read a block of data records at a time, so that a recording longer
//! than memory can be analysed. Opening it reads the header, the annotation signals (their
//! bytes alone, gathered record by record) and the first records; the samples of any
//! records are decoded later, as they are wanted, by the same code that decodes a file
//! read whole ([`super::parse`]), so the values are the same.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use super::header::{self, Header};
use super::{annotations, family_of, imported, records, samples, Context};
use crate::formats::{FormatError, Imported};

/// Header bytes read at most: 256 for the file and 256 for each of at most 9999 signals.
const MAX_HEADER_BYTES: usize = 256 * 10_000;
/// Bytes of whole data records read at a time while gathering the annotation signals.
const ANNOTATION_READ_BYTES: usize = 16 << 20;

/// The samples of an EDF or BDF file, read from it as they are wanted.
pub struct EdfBlocks {
    file: File,
    header: Header,
    /// Complete data records in the file.
    records: usize,
    /// `header.signals` index of each ordinary signal, in the order of
    /// [`Imported::signals`].
    ordinary: Vec<usize>,
    shown: String,
}

/// Opens `path` (called `shown` in errors): what [`super::parse`] gives, but each signal
/// holds only the samples of the data records that start in the first `head_s` seconds;
/// the [`EdfBlocks`] reads any others.
pub fn open_blocks(
    path: &Path,
    shown: &str,
    head_s: f64,
) -> Result<(Imported, EdfBlocks), FormatError> {
    let unread = |e: std::io::Error| {
        FormatError::new(shown, "EDF/BDF").problem(format!("cannot read it: {e}"))
    };
    let file = File::open(path).map_err(unread)?;
    let len = usize::try_from(file.metadata().map_err(unread)?.len()).unwrap_or(usize::MAX);
    let mut head = vec![0u8; len.min(MAX_HEADER_BYTES)];
    file.read_exact_at(&mut head, 0).map_err(unread)?;
    let family = family_of(&head, shown)?;
    let cx = Context::new(shown, family);
    let header = header::read(&head, family, &cx)?;
    let counted = records::count(&header, len);
    let blocks = EdfBlocks {
        file,
        ordinary: (0..header.signals.len())
            .filter(|&i| !header.signals[i].annotations)
            .collect(),
        records: counted.count,
        header,
        shown: shown.to_string(),
    };
    let (compact, data) = blocks.annotation_records()?;
    let timeline = annotations::collect(&compact, &data, blocks.records);
    let first = if blocks.header.record_duration_s > 0.0 {
        (head_s / blocks.header.record_duration_s).ceil() as usize
    } else {
        blocks.records
    };
    let first = first.clamp(1, blocks.records.max(1)).min(blocks.records);
    let data = blocks.read_records_at_open(0, first)?;
    let signals = samples::decode(&blocks.header, &data, first);
    let imported = imported(&blocks.header, counted.warnings, signals, timeline);
    Ok((imported, blocks))
}

impl EdfBlocks {
    /// Complete data records in the file.
    pub fn records(&self) -> usize {
        self.records
    }

    /// Samples per data record of ordinary signal `i` (its index in
    /// [`Imported::signals`]).
    pub fn samples_per_record(&self, i: usize) -> usize {
        self.ordinary
            .get(i)
            .map_or(0, |&s| self.header.signals[s].samples_per_record)
    }

    /// Samples of ordinary signal `i` in the file.
    pub fn signal_len(&self, i: usize) -> usize {
        self.records.saturating_mul(self.samples_per_record(i))
    }

    /// The physical samples of ordinary signals `which` (indices in
    /// [`Imported::signals`]) in data records `first..first + count`, one vector each.
    pub fn read(
        &self,
        first: usize,
        count: usize,
        which: &[usize],
    ) -> std::io::Result<Vec<Vec<f32>>> {
        let count = count.min(self.records.saturating_sub(first));
        let data = self.read_records(first, count)?;
        Ok(which
            .iter()
            .map(|&i| match self.ordinary.get(i) {
                Some(&s) => {
                    samples::decode_signal(&self.header, &self.header.signals[s], &data, count)
                }
                None => Vec::new(),
            })
            .collect())
    }

    /// The bytes of data records `first..first + count`.
    fn read_records(&self, first: usize, count: usize) -> std::io::Result<Vec<u8>> {
        let record_bytes = self.header.record_bytes;
        let mut data = vec![0u8; count.saturating_mul(record_bytes)];
        let at = self.header.header_bytes as u64 + (first as u64) * record_bytes as u64;
        self.file.read_exact_at(&mut data, at).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("data records {} to {}: {e}", first + 1, first + count),
            )
        })?;
        Ok(data)
    }

    /// [`EdfBlocks::read_records`] with the error said as the file's.
    fn read_records_at_open(&self, first: usize, count: usize) -> Result<Vec<u8>, FormatError> {
        self.read_records(first, count).map_err(|e| {
            Context::new(&self.shown, self.header.family).whole(format!("cannot read it: {e}"))
        })
    }

    /// The annotation signals' bytes of every record, record after record, and a header
    /// that describes records holding only those signals.
    fn annotation_records(&self) -> Result<(Header, Vec<u8>), FormatError> {
        let family = self.header.family;
        let spans: Vec<(usize, usize)> = self
            .header
            .signals
            .iter()
            .filter(|s| s.annotations)
            .map(|s| (s.record_offset, s.record_span(family)))
            .collect();
        let mut compact = self.header.clone();
        let mut offset = 0;
        for s in compact.signals.iter_mut().filter(|s| s.annotations) {
            s.record_offset = offset;
            offset += s.record_span(family);
        }
        compact.record_bytes = offset;
        if offset == 0 {
            return Ok((compact, Vec::new()));
        }
        let mut data = Vec::with_capacity(self.records.saturating_mul(offset));
        let per_read = (ANNOTATION_READ_BYTES / self.header.record_bytes.max(1)).max(1);
        let mut first = 0;
        while first < self.records {
            let count = per_read.min(self.records - first);
            let records = self.read_records_at_open(first, count)?;
            for record in records.chunks_exact(self.header.record_bytes.max(1)) {
                for &(start, span) in &spans {
                    let end = data.len() + span;
                    data.extend_from_slice(
                        record.get(start..start.saturating_add(span)).unwrap_or(&[]),
                    );
                    data.resize(end, 0);
                }
            }
            first += count;
        }
        Ok((compact, data))
    }
}
