//! The one error of the format parsers: which file, which format, where in it, what is
//! wrong.

use std::fmt;

/// A file that cannot be read as the format it claims to be.
///
/// ```
/// use myobalance::formats::FormatError;
///
/// let e = FormatError::new("trial.edf", "EDF")
///     .at("header field \"digital minimum\" of signal 2 (\"EMG R\"), bytes 1480–1487")
///     .problem("digital minimum equals digital maximum (-32768): the signal has no range");
/// assert_eq!(
///     e.to_string(),
///     "trial.edf: EDF header field \"digital minimum\" of signal 2 (\"EMG R\"), bytes \
///      1480–1487: digital minimum equals digital maximum (-32768): the signal has no range"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// The file as the user named it.
    pub file: String,
    /// "EDF", "BDF", "C3D", "OpenBCI GUI text", "OpenSignals text", "WFDB", ….
    pub format: &'static str,
    /// Where in the file: a header field, a byte offset, a line; empty for the whole file.
    pub location: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl FormatError {
    /// An error about `file` read as `format`; add where with [`at`](Self::at) and what
    /// with [`problem`](Self::problem).
    pub fn new(file: &str, format: &'static str) -> FormatError {
        FormatError {
            file: file.to_string(),
            format,
            location: String::new(),
            message: String::new(),
        }
    }

    /// Where in the file the problem is.
    pub fn at(mut self, location: impl Into<String>) -> FormatError {
        self.location = location.into();
        self
    }

    /// What the problem is.
    pub fn problem(mut self, message: impl Into<String>) -> FormatError {
        self.message = message.into();
        self
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}: {}: {}", self.file, self.format, self.message)
        } else {
            write!(
                f,
                "{}: {} {}: {}",
                self.file, self.format, self.location, self.message
            )
        }
    }
}

impl std::error::Error for FormatError {}
