//! Files: the HDF5 format v1 writer and reader (the only code that uses the `hdf5` crate),
//! the streaming crash-safe recording writer, and the CSV reader.
//!
//! Layout (DESIGN.md, "HDF5 file (format v1)"): root attributes describe the file and
//! carry the montage; `/raw/samples` holds f32 samples in physical units; `/features`,
//! `/events` and `/summary` hold analysis results; `/truth` the simulator's ground truth.

mod atomic;
mod attrs;
pub mod blocks;
mod chunks;
pub mod csv;
mod csv_writer;
pub mod error;
pub mod layout;
pub mod live;
pub mod opensignals;
pub mod reader;
pub mod smooth_code;
pub mod spill;
pub mod streamed;
mod summary_reader;
pub mod timestamp;
pub mod writer;

pub use blocks::{RowBlocks, SampleBlocks};
pub use csv_writer::write_csv;
pub use error::StoreError;
pub use reader::{read_file, read_header, StoredFile};
pub use streamed::StreamedFile;
pub use summary_reader::{read_summary, SummaryFile};
pub use writer::{write_file, WriteOptions};
