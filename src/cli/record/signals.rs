//! Ctrl-C (SIGINT), SIGTERM and SIGHUP end a recording cleanly: the handlers only set a
//! flag, which the recorder polls; the file is then completed as on any other stop.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// A flag set when the user asks the recording to stop. A second request while the first
/// is being handled ends the program at once (exit code 1; the file keeps every flushed row).
pub fn stop_requests() -> std::io::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&flag))?;
        signal_hook::flag::register(signal, Arc::clone(&flag))?;
    }
    Ok(flag)
}
