//! Output written under a temporary name beside its destination and renamed into place
//! only when complete, so a failed run never leaves a file that looks finished.

use std::path::{Path, PathBuf};

use super::error::StoreError;

/// A temporary path that becomes `destination` on [`AtomicPath::commit`] and is removed if
/// dropped uncommitted.
#[derive(Debug)]
pub struct AtomicPath {
    temporary: PathBuf,
    destination: PathBuf,
    committed: bool,
}

impl AtomicPath {
    /// A temporary name in the destination's folder: `.NAME.PID.tmp`.
    pub fn new(destination: &Path) -> AtomicPath {
        let name = destination
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".to_string());
        let temporary = destination.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        AtomicPath {
            temporary,
            destination: destination.to_path_buf(),
            committed: false,
        }
    }

    /// Where to write meanwhile.
    pub fn temporary(&self) -> &Path {
        &self.temporary
    }

    /// Renames the temporary file to the destination.
    pub fn commit(mut self) -> Result<(), StoreError> {
        std::fs::rename(&self.temporary, &self.destination).map_err(|cause| StoreError::Io {
            path: self.destination.clone(),
            cause,
        })?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for AtomicPath {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}
