//! The JSON header of an OpenSignals text file (line 2, after `# `): one object per
//! device, keyed by its MAC address, read into [`Device`] descriptions with their columns
//! in file order. It checks what the rows will be read with (rate, columns, resolutions)
//! and reads nothing else.
//!
//! What it relies on (PLUX, "OpenSignals Sensor File Specifications (.TXT Format)", and
//! files of OpenSignals (r)evolution and its predecessor):
//! - `column` names every column of the device (`nSeq`, digital `I1 I2 O1 O2` or `DI`,
//!   then the analog channels); older bioplux files have none, and then hold `nSeq`
//!   followed by one column per channel;
//! - `sensor` and `label` have one entry per analog channel, the analog channels being
//!   the device's last columns;
//! - `resolution` gives bits per column (BITalino: `[4, 1, 1, 1, 1, 10]`), per analog
//!   channel (biosignalsplux: `[16, 16]`) or one number for all (old bioplux);
//! - with several devices, each device's columns follow the previous device's in every
//!   row, in the order of the devices' `position` (0, 1, …), or of the header when the
//!   positions are missing or repeat.

use serde_json::{Map, Value};

use super::transfer::{valid_bits, MAX_BITS};

/// Highest sample rate accepted from the header.
const MAX_RATE_HZ: f64 = 1e6;
/// Most columns accepted per device (biosignalsplux hubs have 16 channels).
const MAX_COLUMNS: usize = 4096;
/// Most devices accepted in one file (OpenSignals synchronises a handful).
const MAX_DEVICES: usize = 64;

/// One analog channel of a device.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Analog {
    /// Column of the channel within its device's columns.
    pub column: usize,
    pub label: String,
    pub sensor: String,
    /// ADC resolution in bits (valid per [`valid_bits`]).
    pub bits: u32,
}

/// One device of the header, its columns as they appear in each row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Device {
    /// The top-level key (the MAC address).
    pub address: String,
    /// `device`: "bitalino", "bitalino_rev", "biosignalsplux", …; empty when absent.
    pub kind: String,
    pub rate_hz: f64,
    pub columns: Vec<String>,
    /// Column of `nSeq` within the device's columns, and its bits when the header gives
    /// them.
    pub sequence: Option<(usize, Option<u32>)>,
    pub analog: Vec<Analog>,
    /// `date` and `time` as written.
    pub date: Option<String>,
    pub time: Option<String>,
    /// `convertedValues` = 1: the rows hold physical values, not counts.
    pub converted: bool,
}

/// Devices of a header line's JSON (without the leading `#`), in row order; errors are
/// (where, what).
pub(super) fn parse_devices(json: &str) -> Result<Vec<Device>, (String, String)> {
    let value: Value = serde_json::from_str(json.trim())
        .map_err(|e| (String::new(), format!("not valid JSON: {e}")))?;
    let Value::Object(top) = value else {
        return Err((
            String::new(),
            "the JSON is not an object keyed by device address".into(),
        ));
    };
    if top.is_empty() {
        return Err((String::new(), "the JSON names no device".into()));
    }
    if top.len() > MAX_DEVICES {
        return Err((
            String::new(),
            format!(
                "{} devices, more than the {MAX_DEVICES} accepted",
                top.len()
            ),
        ));
    }
    let mut devices = Vec::with_capacity(top.len());
    for (address, value) in &top {
        let at = |key: &str| format!(", device \"{address}\", key \"{key}\"");
        let Value::Object(fields) = value else {
            return Err((
                format!(", device \"{address}\""),
                "the device's settings are not a JSON object".into(),
            ));
        };
        let device = parse_device(address, fields).map_err(|(key, problem)| (at(&key), problem))?;
        let position = fields.get("position").and_then(Value::as_i64);
        let text_at = json.find(&format!("\"{address}\"")).unwrap_or(usize::MAX);
        devices.push((position, text_at, device));
    }
    let positions: Vec<Option<i64>> = devices.iter().map(|d| d.0).collect();
    let distinct = positions.iter().all(Option::is_some)
        && (1..positions.len()).all(|i| !positions[..i].contains(&positions[i]));
    if distinct {
        devices.sort_by_key(|d| d.0);
    } else {
        devices.sort_by_key(|d| d.1);
    }
    Ok(devices.into_iter().map(|d| d.2).collect())
}

/// One device's settings; errors are (key, what).
fn parse_device(address: &str, fields: &Map<String, Value>) -> Result<Device, (String, String)> {
    let key_err = |key: &str, problem: String| (key.to_string(), problem);
    let rate_hz = fields
        .get("sampling rate")
        .ok_or_else(|| key_err("sampling rate", "missing".into()))?
        .as_f64()
        .ok_or_else(|| key_err("sampling rate", "not a number".into()))?;
    if !(rate_hz.is_finite() && rate_hz > 0.0 && rate_hz <= MAX_RATE_HZ) {
        return Err(key_err(
            "sampling rate",
            format!("{rate_hz} Hz is outside (0, {MAX_RATE_HZ}] Hz"),
        ));
    }
    let sensors = string_list(fields, "sensor")?
        .ok_or_else(|| key_err("sensor", "missing: the analog channels are unknown".into()))?;
    let k = sensors.len();
    let labels = string_list(fields, "label")?;
    let columns = match string_list(fields, "column")? {
        Some(columns) => columns,
        None => {
            // Old bioplux files: nSeq, then one column per channel.
            let mut columns = vec!["nSeq".to_string()];
            match &labels {
                Some(labels) if labels.len() == k => columns.extend(labels.iter().cloned()),
                _ => columns.extend((1..=k).map(|i| format!("CH{i}"))),
            }
            columns
        }
    };
    if columns.len() > MAX_COLUMNS {
        return Err(key_err(
            "column",
            format!("{} columns, more than {MAX_COLUMNS}", columns.len()),
        ));
    }
    if columns.len() < k {
        return Err(key_err(
            "column",
            format!(
                "{} columns cannot hold the {k} analog channels that \"sensor\" lists",
                columns.len()
            ),
        ));
    }
    let labels = match labels {
        Some(labels) if labels.len() == k => labels,
        Some(labels) => {
            return Err(key_err(
                "label",
                format!(
                    "{} labels for the {k} analog channels that \"sensor\" lists",
                    labels.len()
                ),
            ))
        }
        None => columns[columns.len() - k..].to_vec(),
    };
    let first_analog = columns.len() - k;

    // Bits per column (None where the header does not say).
    let mut bits: Vec<Option<u32>> = vec![None; columns.len()];
    match fields.get("resolution") {
        None => return Err(key_err("resolution", "missing".into())),
        Some(Value::Array(list)) => {
            let list = list
                .iter()
                .map(resolution)
                .collect::<Result<Vec<u32>, String>>()
                .map_err(|p| key_err("resolution", p))?;
            if list.len() == columns.len() {
                bits.iter_mut().zip(&list).for_each(|(b, &r)| *b = Some(r));
            } else if list.len() == k {
                bits[first_analog..]
                    .iter_mut()
                    .zip(&list)
                    .for_each(|(b, &r)| *b = Some(r));
            } else {
                return Err(key_err(
                    "resolution",
                    format!(
                        "{} entries fit neither the {} columns nor the {k} analog channels",
                        list.len(),
                        columns.len()
                    ),
                ));
            }
        }
        Some(v) => {
            let r = resolution(v).map_err(|p| key_err("resolution", p))?;
            bits[first_analog..].iter_mut().for_each(|b| *b = Some(r));
        }
    }
    let analog = (0..k)
        .map(|i| {
            let column = first_analog + i;
            Analog {
                column,
                label: labels[i].clone(),
                sensor: sensors[i].clone(),
                // Every analog column received a resolution above.
                bits: bits[column].unwrap_or(MAX_BITS),
            }
        })
        .collect();
    let sequence = columns
        .iter()
        .position(|c| c.eq_ignore_ascii_case("nSeq"))
        .filter(|&i| i < first_analog)
        .map(|i| (i, bits[i]));
    let converted = fields
        .get("convertedValues")
        .and_then(Value::as_i64)
        .is_some_and(|v| v != 0);
    let text = |key: &str| fields.get(key).and_then(Value::as_str).map(str::to_string);
    Ok(Device {
        address: address.to_string(),
        kind: text("device").unwrap_or_default(),
        rate_hz,
        columns,
        sequence,
        analog,
        date: text("date"),
        time: text("time"),
        converted,
    })
}

/// A list of strings under `key`, None when the key is absent.
fn string_list(
    fields: &Map<String, Value>,
    key: &str,
) -> Result<Option<Vec<String>>, (String, String)> {
    match fields.get(key) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.trim().to_string()),
                other => Err((key.to_string(), format!("{other} is not a text"))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err((key.to_string(), format!("{other} is not a list"))),
    }
}

/// A resolution in bits, checked.
fn resolution(value: &Value) -> Result<u32, String> {
    let bits = value
        .as_u64()
        .ok_or_else(|| format!("{value} is not a whole number of bits"))?;
    match u32::try_from(bits) {
        Ok(b) if valid_bits(b) => Ok(b),
        _ => Err(format!("{bits} bits is outside 1–{MAX_BITS}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BITALINO: &str = r#"{"20:16:02:26:60:88": {"sensor": ["RAW"], "column": ["nSeq", "I1", "I2", "O1", "O2", "A1"], "time": "7:5:4.409", "channels": [1], "date": "2016-6-11", "device": "bitalino", "position": 0, "sampling rate": 1000, "label": ["A1"], "resolution": [4, 1, 1, 1, 1, 10]}}"#;

    #[test]
    fn bitalino_device() {
        let d = parse_devices(BITALINO).unwrap();
        assert_eq!(d.len(), 1);
        let d = &d[0];
        assert_eq!(d.kind, "bitalino");
        assert_eq!(d.sequence, Some((0, Some(4))));
        assert_eq!(
            d.analog,
            vec![Analog {
                column: 5,
                label: "A1".into(),
                sensor: "RAW".into(),
                bits: 10
            }]
        );
    }

    #[test]
    fn resolution_forms() {
        // Per analog channel (biosignalsplux) and a single number (old bioplux, no column).
        let plux = r#"{"A": {"sensor": ["EMG", "XYZ"], "column": ["nSeq", "DI", "CH1", "CH2"], "sampling rate": 1000, "label": ["CH1", "CH2"], "resolution": [16, 12], "device": "biosignalsplux"}}"#;
        let d = &parse_devices(plux).unwrap()[0];
        assert_eq!(d.analog[0].bits, 16);
        assert_eq!(d.analog[1].bits, 12);
        assert_eq!(d.sequence, Some((0, None)));
        let old = r#"{"B": {"sensor": ["CUSTOM/0.5/1.0/V"], "sampling rate": 1000, "label": ["CH1"], "resolution": 12, "device": "bioplux"}}"#;
        let d = &parse_devices(old).unwrap()[0];
        assert_eq!(d.columns, vec!["nSeq", "CH1"]);
        assert_eq!(d.analog[0].bits, 12);
    }

    #[test]
    fn devices_follow_their_positions() {
        let two = r#"{"Z": {"sensor": ["EMG"], "sampling rate": 100, "resolution": [10], "position": 0},
                     "A": {"sensor": ["ECG"], "sampling rate": 100, "resolution": [10], "position": 1}}"#;
        let d = parse_devices(two).unwrap();
        assert_eq!(d[0].address, "Z");
        assert_eq!(d[1].address, "A");
        // Without positions: the header's order.
        let two = two.replace("\"position\": 0", "\"x\": 0");
        let d = parse_devices(&two).unwrap();
        assert_eq!(d[0].address, "Z");
    }

    #[test]
    fn lying_headers_are_errors() {
        let cases = [
            (
                BITALINO.replace("[4, 1, 1, 1, 1, 10]", "[4, 1, 1, 1, 1, 0]"),
                "resolution",
                "0 bits",
            ),
            (
                BITALINO.replace("[4, 1, 1, 1, 1, 10]", "[4, 1, 1, 1, 1, 40]"),
                "resolution",
                "40 bits",
            ),
            (
                BITALINO.replace("[4, 1, 1, 1, 1, 10]", "[4, 1, 10]"),
                "resolution",
                "fit neither",
            ),
            (
                BITALINO.replace("[4, 1, 1, 1, 1, 10]", "[4, 1, 1, 1, 1, -3]"),
                "resolution",
                "whole number",
            ),
            (
                BITALINO.replace("\"sampling rate\": 1000", "\"sampling rate\": -5"),
                "sampling rate",
                "outside",
            ),
            (
                BITALINO.replace("\"sampling rate\": 1000", "\"sampling rate\": \"fast\""),
                "sampling rate",
                "not a number",
            ),
            (
                BITALINO.replace("\"sensor\": [\"RAW\"], ", ""),
                "sensor",
                "missing",
            ),
            (
                BITALINO.replace("[\"A1\"]", "[\"A1\", \"A2\"]"),
                "label",
                "2 labels",
            ),
            (
                BITALINO.replace(
                    "\"column\": [\"nSeq\", \"I1\", \"I2\", \"O1\", \"O2\", \"A1\"]",
                    "\"column\": []",
                ),
                "column",
                "cannot hold",
            ),
        ];
        for (json, key, words) in cases {
            let (at, problem) = parse_devices(&json).unwrap_err();
            assert!(at.contains(key), "{at} / {problem}");
            assert!(problem.contains(words), "{at} / {problem}");
        }
        assert!(parse_devices("[1, 2]")
            .unwrap_err()
            .1
            .contains("not an object"));
        assert!(parse_devices("{}").unwrap_err().1.contains("no device"));
        assert!(parse_devices("{\"a\": 3}")
            .unwrap_err()
            .1
            .contains("not a JSON object"));
        assert!(parse_devices("{\"a\": ")
            .unwrap_err()
            .1
            .contains("not valid JSON"));
    }
}
