//! Ctrl-C (SIGINT), SIGTERM and SIGHUP end a recording cleanly: the handlers only set the
//! recorder's stop flag, which it polls; the file is then completed as on any other stop.
//! SIGUSR1 adds a marker (`kill -USR1 <pid>` from an experiment's script), as the live
//! view's `m` key does.

use std::sync::Arc;

use std::sync::atomic::Ordering;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGUSR1};

use crate::recorder::Control;

/// Makes the signals request a stop of `control`'s recording. A second signal while the
/// first is being handled ends the program at once (exit code 1; the file keeps every
/// flushed row).
pub fn stop_on_signals(control: &Arc<Control>) -> std::io::Result<()> {
    let flag = control.stop_flag();
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&flag))?;
        signal_hook::flag::register(signal, Arc::clone(&flag))?;
    }
    let markers = control.marker_counter();
    // SAFETY: the handler only increments an atomic counter, which is async-signal-safe.
    unsafe {
        signal_hook::low_level::register(SIGUSR1, move || {
            markers.fetch_add(1, Ordering::Relaxed);
        })?;
    }
    Ok(())
}
