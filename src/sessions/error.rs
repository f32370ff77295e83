//! Why a file cannot join a table or a progress page, and why a page cannot be made.
//! Every message names the file or the subject, and says what to do.

use crate::store::StoreError;

/// Errors of [`crate::sessions`].
#[derive(Debug, thiserror::Error)]
pub enum SessionsError {
    /// The file could not be read as a format v1 file.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The file holds samples but no summary: it was never processed, or none of its
    /// channels is of a kind the features are computed for.
    #[error(
        "{file} has no summary values: run `myobalance process {file} --out PROCESSED.h5` \
         first (a file whose channels are all of kind `other` has none)"
    )]
    NoSummary { file: String },
    /// `--subject` names nobody in the files given.
    #[error("no file belongs to subject {wanted:?}; the files hold {found}")]
    SubjectNotFound { wanted: String, found: String },
    /// No file could be read at all.
    #[error("none of the {count} files could be read")]
    NothingRead { count: usize },
}
