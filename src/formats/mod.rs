//! Readers for the recordings labs already have (DESIGN.md, "Part 2 — Reading the
//! recordings labs already have"): one file per format, each a pure parser from the file's
//! bytes to an [`Imported`] value — signals at their own rates with their labels and units
//! as the file writes them, the start time, the subject, annotations and gaps.
//!
//! Parsers do no I/O, no resampling, no unit conversion and no DSP: turning an [`Imported`]
//! into a recording is `import`'s business, and reading files from disk the caller's.
//! OpenSignals HDF5 files are read by `store` (the only user of the `hdf5` crate) into the
//! same [`Imported`] value.
//!
//! Parsers never panic, whatever the bytes: a header that lies, a truncated file or a
//! field that is not a number is a [`FormatError`] naming the file, the field and where it
//! is; a file shorter than its header says keeps its complete records and says so in
//! [`Imported::warnings`].

pub mod c3d;
pub mod edf;
mod error;
mod imported;
pub mod openbci;
pub mod opensignals;
mod text;
pub mod wfdb;
pub mod xdf;

pub use error::FormatError;
pub use imported::{Annotation, Imported, SequenceCounts, Signal, TimeGap, Transfer};
