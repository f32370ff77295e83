//! Errors of reading and writing files; each names the file and, where there is one, the
//! object inside it.

use std::path::PathBuf;

use thiserror::Error;

/// Why a file could not be read or written.
#[derive(Debug, Error)]
pub enum StoreError {
    // The cause is part of the message and not chained as a source, so `{:#}` does not
    // print it twice.
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: not an HDF5 file")]
    NotHdf5 { path: PathBuf },
    #[error("{path}: not a myobalance file (root attribute `format` is {found})")]
    NotMyobalance { path: PathBuf, found: String },
    #[error("{path}: format_version {version} is not supported (this myobalance reads version 1)")]
    WrongVersion { path: PathBuf, version: i64 },
    #[error("{path}: {object} is missing")]
    Missing { path: PathBuf, object: String },
    #[error("{path}: {object}: {problem}")]
    Invalid {
        path: PathBuf,
        object: String,
        problem: String,
    },
    #[error("{path}: {object}: {cause}")]
    Hdf5 {
        path: PathBuf,
        object: String,
        cause: hdf5::Error,
    },
}

/// Attaches the file and object to HDF5 errors.
pub(crate) trait Context<T> {
    fn at(self, path: &std::path::Path, object: &str) -> Result<T, StoreError>;
}

impl<T> Context<T> for hdf5::Result<T> {
    fn at(self, path: &std::path::Path, object: &str) -> Result<T, StoreError> {
        self.map_err(|cause| StoreError::Hdf5 {
            path: path.to_path_buf(),
            object: object.to_string(),
            cause,
        })
    }
}
