//! Starting and stopping a BITalino (r)evolution on its serial port, as the manufacturer's
//! API does: stop any stream left running, ask for the version (the board answers with a
//! line starting `BITalino`), set the sampling rate, start the analog inputs A1…An. Frames
//! then follow from sequence number 0 (`bitalino::BitalinoDecoder`).

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use super::bitalino::{sampling_rate_command, start_command, stop_command, version_command};
use super::serial::{read_until, transient, PortError};

/// How long the board has to answer the version request.
pub const VERSION_TIMEOUT: Duration = Duration::from_secs(3);

/// How long bytes of a stream left running are drained after the stop command.
const DRAIN: Duration = Duration::from_millis(150);

/// Starts a BITalino at `rate_hz` (1, 10, 100 or 1000) with its first `channels` analog
/// inputs (A1…An, 1 to 6). Returns the board's version line, for the log.
pub fn bitalino_start<P: Read + Write>(
    port: &mut P,
    name: &str,
    rate_hz: u32,
    channels: usize,
) -> Result<String, PortError> {
    let io = |cause| PortError::Io {
        port: name.to_string(),
        cause,
    };
    let refused = |problem: String| PortError::Handshake {
        port: name.to_string(),
        problem,
    };
    let rate = sampling_rate_command(rate_hz).map_err(|e| refused(e.to_string()))?;
    let inputs: Vec<usize> = (0..channels).collect();
    let start = start_command(&inputs).map_err(|e| refused(e.to_string()))?;

    port.write_all(&[stop_command()]).map_err(io)?;
    port.flush().ok();
    let mut buf = [0u8; 4096];
    let drained = Instant::now();
    while drained.elapsed() < DRAIN {
        match port.read(&mut buf) {
            Ok(_) => {}
            Err(e) if transient(&e) => {}
            Err(e) => return Err(io(e)),
        }
    }

    port.write_all(&[version_command()]).map_err(io)?;
    port.flush().ok();
    // The API discards anything before `BITalino`; the line ends with a newline.
    let found = |a: &[u8]| {
        a.windows(8)
            .position(|w| w == b"BITalino")
            .is_some_and(|at| a[at..].contains(&b'\n'))
    };
    let Some(answer) = read_until(port, name, VERSION_TIMEOUT, found)? else {
        return Err(refused(format!(
            "no version line from the board within {} s (is it a BITalino, switched on, \
             at 115200 baud?)",
            VERSION_TIMEOUT.as_secs()
        )));
    };
    let at = answer
        .windows(8)
        .position(|w| w == b"BITalino")
        .unwrap_or(0);
    let end = answer[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(answer.len(), |e| at + e);
    let version = String::from_utf8_lossy(&answer[at..end]).trim().to_string();
    port.write_all(&[rate]).map_err(io)?;
    port.write_all(&[start]).map_err(io)?;
    port.flush().ok();
    Ok(version)
}

/// Stops a BITalino's stream. Errors are ignored: the board may be gone.
pub fn bitalino_stop<P: Write>(port: &mut P) {
    let _ = port.write_all(&[stop_command()]);
    let _ = port.flush();
}
