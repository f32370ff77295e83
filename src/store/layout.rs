//! Names and constants of format v1, shared by the writers and the reader.

/// Value of the root attribute `format`.
pub const FORMAT: &str = "myobalance";
/// Value of the root attribute `format_version`.
pub const VERSION: i64 = 1;
/// `name version` of this software, for the root attribute `software`.
pub const SOFTWARE: &str = concat!("myobalance ", env!("CARGO_PKG_VERSION"));

pub const RAW: &str = "raw";
pub const SAMPLES: &str = "samples";
pub const GAPS: &str = "gaps";
pub const TIMING: &str = "timing";
pub const FEATURES: &str = "features";
pub const EVENTS: &str = "events";
pub const SUMMARY: &str = "summary";
pub const TRUTH: &str = "truth";

/// Deflate level of `/raw/samples`: level 1 with the shuffle filter compresses sensor data
/// nearly as well as higher levels at several times the speed.
pub const DEFLATE_LEVEL: u8 = 1;
/// Rows per chunk of `/raw/samples` in files written at once (about 1 s at 2 kHz).
pub const BATCH_CHUNK_ROWS: usize = 2048;
