//! Opening a serial port for a recording, and the OpenBCI Cyton start/stop handshake.
//!
//! Ports are opened with `serialport` (no libudev): 8N1, no flow control, at the given baud
//! rate, with a short read timeout so the reader thread notices a stop request or an
//! unplugged device quickly. Pseudo-terminals (the simulated device) open the same way.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use serialport::TTYPort;

/// How long one read waits for bytes before the reader checks whether it should stop.
pub const READ_TIMEOUT: Duration = Duration::from_millis(50);

/// How long the Cyton has to answer `v` with `$$$` (DESIGN.md "Serial protocols").
pub const CYTON_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(3);

/// What went wrong with a port.
#[derive(Debug, thiserror::Error)]
pub enum PortError {
    #[error("cannot open serial port {port}: {cause}")]
    Open { port: String, cause: String },
    #[error("serial port {port}: {problem}")]
    Handshake { port: String, problem: String },
    #[error("serial port {port}: {cause}")]
    Io { port: String, cause: std::io::Error },
}

/// Opens `path` at `baud` for reading and writing.
pub fn open(path: &str, baud: u32) -> Result<TTYPort, PortError> {
    serialport::new(path, baud)
        .timeout(READ_TIMEOUT)
        .open_native()
        .map_err(|e| PortError::Open {
            port: path.to_string(),
            cause: e.to_string(),
        })
}

/// Starts a Cyton: stops any stream already running (`s`), asks for the version (`v`),
/// waits for the `$$$` prompt, then starts streaming (`b`). Returns the board's banner
/// (the text before `$$$`), for the log.
pub fn cyton_start<P: Read + Write>(port: &mut P, name: &str) -> Result<String, PortError> {
    let io = |cause| PortError::Io {
        port: name.to_string(),
        cause,
    };
    port.write_all(b"s").map_err(io)?;
    port.write_all(b"v").map_err(io)?;
    port.flush().ok();
    let found = |a: &[u8]| a.windows(3).any(|w| w == b"$$$");
    let Some(answer) = read_until(port, name, CYTON_HANDSHAKE_TIMEOUT, found)? else {
        return Err(PortError::Handshake {
            port: name.to_string(),
            problem: format!(
                "no `$$$` from the board within {} s of `v` (is it a Cyton, switched \
                 on, at 115200 baud?)",
                CYTON_HANDSHAKE_TIMEOUT.as_secs()
            ),
        });
    };
    port.write_all(b"b").map_err(io)?;
    port.flush().ok();
    let end = answer
        .windows(3)
        .position(|w| w == b"$$$")
        .unwrap_or(answer.len());
    Ok(String::from_utf8_lossy(&answer[..end]).trim().to_string())
}

/// What `port` sends until `found` holds for it, or `None` when `timeout` passes first.
/// Keeps the last 64 KiB at most (a device already streaming fills it fast).
pub fn read_until<P: Read>(
    port: &mut P,
    name: &str,
    timeout: Duration,
    found: impl Fn(&[u8]) -> bool,
) -> Result<Option<Vec<u8>>, PortError> {
    let start = Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 256];
    while !found(&answer) {
        if start.elapsed() >= timeout {
            return Ok(None);
        }
        match port.read(&mut buf) {
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if transient(&e) => {}
            Err(cause) => {
                return Err(PortError::Io {
                    port: name.to_string(),
                    cause,
                })
            }
        }
        if answer.len() > 64 * 1024 {
            answer.drain(..answer.len() - 1024);
        }
    }
    Ok(Some(answer))
}

/// Stops a Cyton's stream (`s`). Errors are ignored: the board may be gone.
pub fn cyton_stop<P: Write>(port: &mut P) {
    let _ = port.write_all(b"s");
    let _ = port.flush();
}

/// Whether a read error only means "nothing yet" (timeout, signal).
pub fn transient(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut
            | std::io::ErrorKind::Interrupted
            | std::io::ErrorKind::WouldBlock
    )
}
