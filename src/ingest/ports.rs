//! The serial ports of this machine, for `myobalance ports`: name, kind (USB with its
//! vendor, product and serial number; Bluetooth; PCI), and for FTDI USB adapters on Linux
//! the latency timer, which makes frames arrive in bursts when it is above 1 ms.

use std::path::Path;

use serialport::SerialPortType;

/// One port.
#[derive(Debug, Clone, PartialEq)]
pub struct PortInfo {
    /// Path to open, e.g. `/dev/ttyUSB0`.
    pub name: String,
    /// What kind of port, in words.
    pub description: String,
    /// FTDI latency timer in ms (Linux), when the port has one.
    pub latency_timer_ms: Option<u32>,
}

/// Lists the serial ports, or says why they cannot be listed.
pub fn list() -> Result<Vec<PortInfo>, String> {
    // Without libudev the Linux scan reads /sys/class/tty and would panic without it.
    if cfg!(target_os = "linux") && !Path::new("/sys/class/tty").is_dir() {
        return Err("/sys/class/tty is not available (no sysfs in this container?)".into());
    }
    let ports = serialport::available_ports().map_err(|e| e.to_string())?;
    Ok(ports
        .into_iter()
        .map(|p| {
            let description = match &p.port_type {
                SerialPortType::UsbPort(u) => {
                    let mut text = format!("USB {:04x}:{:04x}", u.vid, u.pid);
                    for part in [&u.manufacturer, &u.product, &u.serial_number]
                        .into_iter()
                        .flatten()
                    {
                        text.push_str(&format!(", {part}"));
                    }
                    text
                }
                SerialPortType::BluetoothPort => "Bluetooth".to_string(),
                SerialPortType::PciPort => "PCI".to_string(),
                SerialPortType::Unknown => "serial".to_string(),
            };
            PortInfo {
                latency_timer_ms: latency_timer_ms(&p.port_name),
                name: p.port_name,
                description,
            }
        })
        .collect())
}

/// The FTDI latency timer of a port, read from sysfs.
pub fn latency_timer_ms(port: &str) -> Option<u32> {
    let base = Path::new(port).file_name()?;
    let path = Path::new("/sys/bus/usb-serial/devices")
        .join(base)
        .join("latency_timer");
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// A hint for a latency timer above 1 ms, with the command that sets it.
pub fn latency_hint(port: &PortInfo) -> Option<String> {
    let ms = port.latency_timer_ms.filter(|ms| *ms > 1)?;
    let base = Path::new(&port.name)
        .file_name()?
        .to_string_lossy()
        .into_owned();
    Some(format!(
        "{}: the FTDI latency timer is {ms} ms, so frames arrive in {ms} ms bursts; \
         for live feedback set it to 1 ms: echo 1 | sudo tee /sys/bus/usb-serial/devices/{base}/latency_timer",
        port.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_only_above_one_millisecond() {
        let mut p = PortInfo {
            name: "/dev/ttyUSB0".into(),
            description: "USB".into(),
            latency_timer_ms: Some(16),
        };
        let hint = latency_hint(&p).unwrap();
        assert!(
            hint.contains("16 ms") && hint.contains("devices/ttyUSB0/latency_timer"),
            "{hint}"
        );
        p.latency_timer_ms = Some(1);
        assert!(latency_hint(&p).is_none());
        p.latency_timer_ms = None;
        assert!(latency_hint(&p).is_none());
    }

    #[test]
    fn listing_does_not_panic() {
        let _ = list();
    }
}
