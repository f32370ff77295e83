//! OpenSignals HDF5 files (BITalino, biosignalsplux): recognised by their root group named
//! after the device's address, read into the same [`Imported`] value as the OpenSignals
//! text format, with the same per-sensor rules (`formats::opensignals`): EMG sensors in
//! mV from the datasheet, `RAW` channels in counts with the EMG transfer attached, the
//! `nSeq` counter giving gaps.
//!
//! Layout, per device group `/aa:bb:cc:dd:ee:ff`: attributes `device`, `sampling rate`,
//! `resolution` (bits per column: nSeq, digital I/O, then the analog channels), `channels`
//! (analog channel numbers), `date`, `time`; datasets `raw/nSeq` and `raw/channel_<k>` (one
//! column of counts each, attributes `label` and `sensor`).

use std::path::Path;

use hdf5::{File, Group};

use super::attrs::{get_f64, get_f64s, get_text};
use super::error::{Context, StoreError};
use crate::formats::opensignals::transfer::counts_to_signal;
use crate::formats::opensignals::{counter_gaps, iso_local, BITALINO_SEQUENCE_BITS};
use crate::formats::{Imported, SequenceCounts};

/// `aa:bb:cc:dd:ee:ff`, as OpenSignals names a device's group.
fn is_device_address(name: &str) -> bool {
    let parts: Vec<&str> = name.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The device groups of an OpenSignals file, in file order.
fn devices(file: &File) -> Vec<String> {
    file.member_names()
        .unwrap_or_default()
        .into_iter()
        .filter(|n| is_device_address(n) && file.link_exists(&format!("{n}/raw")))
        .collect()
}

/// Whether the HDF5 file at `path` is an OpenSignals file (a root group named after a
/// device address holding `raw`), not a myobalance one.
pub fn is_opensignals(path: &Path) -> Result<bool, StoreError> {
    let (file, _) = super::reader::open(path)?;
    let ours = file
        .attr_names()
        .map(|n| n.iter().any(|a| a == "format"))
        .unwrap_or(false);
    Ok(!ours && !devices(&file).is_empty())
}

fn invalid(path: &Path, object: &str, problem: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        path: path.to_path_buf(),
        object: object.to_string(),
        problem: problem.into(),
    }
}

/// One column of numbers (an `(n, 1)` or `(n,)` dataset) as f64.
fn column(g: &Group, path: &Path, name: &str, object: &str) -> Result<Vec<f64>, StoreError> {
    g.dataset(name)
        .at(path, object)?
        .read_raw::<f64>()
        .at(path, object)
}

/// Reads an OpenSignals HDF5 file: the analog channels of every device, in file order;
/// gaps from the first device's `nSeq`.
pub fn read(path: &Path) -> Result<Imported, StoreError> {
    let (file, _) = super::reader::open(path)?;
    let mut imported = Imported {
        format: "OpenSignals".to_string(),
        ..Imported::default()
    };
    let addresses = devices(&file);
    if addresses.is_empty() {
        return Err(invalid(
            path,
            "/",
            "no device group (named aa:bb:cc:dd:ee:ff) with raw data",
        ));
    }
    for (d, address) in addresses.iter().enumerate() {
        let object = format!("/{address}");
        let g = file.group(address).at(path, &object)?;
        let kind = get_text(&g, path, "device")?.unwrap_or_default();
        let rate_hz = get_f64(&g, path, "sampling rate")?
            .filter(|r| r.is_finite() && *r > 0.0)
            .ok_or_else(|| {
                invalid(
                    path,
                    &format!("{object} attribute \"sampling rate\""),
                    "missing or not a positive number",
                )
            })?;
        let channels = get_f64s(&g, path, "channels")?.unwrap_or_default();
        let resolution = get_f64s(&g, path, "resolution")?.unwrap_or_default();
        let raw = g.group("raw").at(path, &format!("{object}/raw"))?;
        for (j, number) in channels.iter().enumerate() {
            let name = format!("channel_{number}");
            let object = format!("{object}/raw/{name}");
            // The last entries of `resolution` are the analog channels', in order.
            let bits = resolution
                .len()
                .checked_sub(channels.len() - j)
                .and_then(|k| resolution.get(k))
                .copied()
                .unwrap_or(0.0);
            let ds = raw.dataset(&name).at(path, &object)?;
            let label = get_text(&ds, path, "label")?.unwrap_or_else(|| format!("A{number}"));
            let sensor = get_text(&ds, path, "sensor")?.unwrap_or_else(|| "RAW".into());
            let counts = column(&raw, path, &name, &object)?;
            let label = if addresses.len() > 1 {
                format!("{label} ({address})")
            } else {
                label
            };
            let (signal, warning) =
                counts_to_signal(&kind, &sensor, &label, bits as u32, rate_hz, &counts);
            imported.warnings.extend(warning);
            imported.signals.push(signal);
        }
        if d == 0 {
            if raw.link_exists("nSeq") {
                let sequence: Vec<u64> = column(&raw, path, "nSeq", &format!("{object}/raw/nSeq"))?
                    .into_iter()
                    .map(|v| v.max(0.0) as u64)
                    .collect();
                let bits = resolution
                    .first()
                    .map(|&b| b as u32)
                    .filter(|b| (1..=32).contains(b))
                    .or_else(|| {
                        kind.starts_with("bitalino")
                            .then_some(BITALINO_SEQUENCE_BITS)
                    })
                    .unwrap_or(BITALINO_SEQUENCE_BITS);
                let (gaps, missing) = counter_gaps(&sequence, 1u64 << bits, rate_hz);
                imported.gaps = gaps;
                imported.sequence = Some(SequenceCounts {
                    frames_received: sequence.len() as u64,
                    frames_missing: missing,
                });
            } else {
                imported
                    .warnings
                    .push("no \"nSeq\" dataset: gaps are not checked".into());
            }
            let date = get_text(&g, path, "date")?;
            let time = get_text(&g, path, "time")?;
            if let (Some(date), Some(time)) = (date, time) {
                imported.recorded_utc = iso_local(&date, &time);
            }
        }
    }
    if imported.signals.is_empty() {
        return Err(invalid(path, "/", "the devices list no analog channels"));
    }
    Ok(imported)
}
