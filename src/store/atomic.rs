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

    /// Whether committing will replace a file already at the destination.
    pub fn replaces(&self) -> bool {
        self.destination.exists()
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

/// Starts writing what the file at `path` holds so far to disk, without waiting for it.
/// For a temporary file that is to replace another: ext4 writes a file's data out before a
/// rename over another file may complete (`auto_da_alloc`), so a 50 MB output would make
/// the rename wait ~40 ms at the end of a run; begun as soon as the bulk of the file is
/// written, that writing overlaps the work still to do. Nothing off Linux; a failure only
/// forgoes the gain.
#[cfg(target_os = "linux")]
pub fn start_write_back(path: &Path) {
    use std::os::fd::AsRawFd;
    if let Ok(file) = std::fs::File::open(path) {
        // SAFETY: the descriptor is open for the duration of the call; the call only
        // schedules the file's dirty pages for writing.
        unsafe {
            libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
}

/// See the Linux version: nothing to do elsewhere.
#[cfg(not(target_os = "linux"))]
pub fn start_write_back(_: &Path) {}
