//! How a recording is asked to stop or to mark a moment (from any thread: a signal
//! handler, a key in the live view, a web page), and why it ended.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::ingest::acquire::ReaderEnd;

/// Requests to a running recording, shared with whoever may make them.
#[derive(Debug, Default)]
pub struct Control {
    stop: Arc<AtomicBool>,
    markers: Arc<AtomicUsize>,
}

impl Control {
    /// Asks the recording to stop cleanly (as Ctrl-C does).
    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// The flag a stop request sets, for a signal handler to set.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// Whether a stop was asked for.
    pub fn stop_requested(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Asks for a `marker` event at the current end of the recording.
    pub fn request_marker(&self) {
        self.markers.fetch_add(1, Ordering::Relaxed);
    }

    /// The count a marker request adds one to, for a signal handler to increment.
    pub fn marker_counter(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.markers)
    }

    /// The markers asked for since the last call.
    pub(super) fn take_markers(&self) -> usize {
        self.markers.swap(0, Ordering::Relaxed)
    }
}

/// Why a recording ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The duration was reached.
    Duration,
    /// A stop was requested.
    User,
    /// The source ended by itself (unplugged, refused data, …).
    Source(ReaderEnd),
    /// Writing the file failed; the message says how.
    WriteFailed(String),
}

impl Stop {
    /// Whether the recording ended as asked (exit code 0) rather than by a fault.
    pub fn requested(&self) -> bool {
        matches!(self, Stop::Duration | Stop::User)
    }
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Duration => write!(f, "the duration was reached"),
            Stop::User => write!(f, "stopped"),
            Stop::Source(ReaderEnd::Unplugged(cause)) => write!(
                f,
                "the device was unplugged or its port closed ({cause}); recording stopped"
            ),
            Stop::Source(ReaderEnd::Refused(why)) => write!(f, "recording stopped: {why}"),
            Stop::Source(ReaderEnd::ConsumerGone) => {
                write!(f, "recording stopped: the writer stopped")
            }
            Stop::Source(ReaderEnd::Stopped) => write!(f, "recording stopped"),
            Stop::WriteFailed(why) => write!(f, "recording stopped: writing failed: {why}"),
        }
    }
}
