//! The layout of an OpenBCI GUI text file: what its `%` header says (channel count, rate,
//! board) and what each column holds, from the v5/v6 column line or, for v3/v4 files
//! without one, from the first rows (see the parent module's docs for the layouts).

use std::collections::HashSet;

use super::lines::{parse_number, split_fields, Lines};

/// Highest sample rate accepted from the header.
const MAX_RATE_HZ: f64 = 1e6;
/// Highest channel count accepted from the header.
const MAX_CHANNELS: usize = 1024;
/// Unix times (s) below this are not wall-clock times (2001-09-09): used to recognise the
/// timestamp column of v3/v4 files.
const UNIX_S_MIN: f64 = 1e9;
/// Rows inspected to learn the layout of a file without column line, and the counter step.
pub(super) const LEARN_ROWS: usize = 256;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Role {
    Index,
    Exg(usize),
    Accel(usize),
    Timestamp,
    Marker,
    Ignored,
}

/// The `%` header's fields.
#[derive(Debug, Default)]
pub(super) struct Header {
    pub(super) channels: Option<usize>,
    pub(super) rate_hz: Option<f64>,
    pub(super) board: Option<String>,
}

/// Reads one `%key = value` header line into `header`.
pub(super) fn read_header_line(rest: &str, header: &mut Header) -> Result<(), String> {
    let Some((key, value)) = rest.split_once('=') else {
        return Ok(());
    };
    let key = key.trim().to_ascii_lowercase();
    let value = value.trim();
    match key.as_str() {
        "number of channels" => {
            let n: usize = value
                .parse()
                .map_err(|_| format!("the channel count \"{value}\" is not a whole number"))?;
            if n == 0 || n > MAX_CHANNELS {
                return Err(format!("the channel count {n} is outside 1–{MAX_CHANNELS}"));
            }
            header.channels = Some(n);
        }
        "sample rate" => {
            let number = value
                .strip_suffix("Hz")
                .or_else(|| value.strip_suffix("hz"))
                .unwrap_or(value)
                .trim();
            let rate: f64 = number
                .parse()
                .map_err(|_| format!("the sample rate \"{value}\" is not a number of Hz"))?;
            if !(rate.is_finite() && rate > 0.0 && rate <= MAX_RATE_HZ) {
                return Err(format!(
                    "the sample rate {value} is outside (0, {MAX_RATE_HZ}] Hz"
                ));
            }
            header.rate_hz = Some(rate);
        }
        "board" => header.board = Some(value.to_string()),
        _ => {}
    }
    Ok(())
}

/// Whether a line starts with a name (a column line) rather than a number.
pub(super) fn starts_as_name(line: &str) -> bool {
    line.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic())
}

/// Roles and labels from a v5/v6 column line.
pub(super) fn roles_from_column_line(line: &str) -> Result<(Vec<Role>, Vec<String>), String> {
    let names: Vec<&str> = split_fields(line).collect();
    let mut roles = Vec::with_capacity(names.len());
    let mut seen = HashSet::new();
    let (mut exg, mut accel) = (0, 0);
    for name in &names {
        let lower = name.to_ascii_lowercase();
        let role = if lower == "sample index" {
            Role::Index
        } else if lower.starts_with("exg channel") {
            exg += 1;
            Role::Exg(exg - 1)
        } else if lower.starts_with("accel channel") {
            accel += 1;
            Role::Accel(accel - 1)
        } else if lower == "timestamp" {
            Role::Timestamp
        } else if lower == "marker channel" {
            Role::Marker
        } else {
            Role::Ignored
        };
        if role != Role::Ignored && !seen.insert(role) {
            return Err(format!("the column \"{name}\" appears twice"));
        }
        roles.push(role);
    }
    Ok((roles, names.iter().map(|s| s.to_string()).collect()))
}

/// The first data rows (for learning a v3/v4 layout).
pub(super) fn sample_rows<'a>(
    first_line: &'a str,
    first_number: usize,
    rest: Lines<'a>,
) -> Vec<(usize, Vec<&'a str>)> {
    let mut rows = vec![(first_number, split_fields(first_line).collect::<Vec<_>>())];
    for (number, line) in rest {
        if rows.len() >= LEARN_ROWS {
            break;
        }
        let Ok(line) = line else { break };
        let line = line.trim();
        if line.is_empty() || line.starts_with('%') {
            continue;
        }
        rows.push((number, split_fields(line).collect()));
    }
    rows
}

/// Roles of a v3/v4 file (no column line): index, `channels` EXG columns, three
/// accelerometer columns when the first row holds numbers there, and the first later
/// column holding unix time in one of the first rows.
pub(super) fn positional_roles(
    channels: usize,
    rows: &[(usize, Vec<&str>)],
) -> Result<(Vec<Role>, Vec<String>), (usize, String)> {
    let Some((line, first)) = rows.first() else {
        return Err((0, "no data rows".into()));
    };
    if first.len() < 1 + channels {
        return Err((
            *line,
            format!(
                "{} fields, but the header's {channels} channels need at least {} (sample \
                 index and one column per channel)",
                first.len(),
                1 + channels
            ),
        ));
    }
    let mut roles = vec![Role::Ignored; first.len()];
    let mut labels: Vec<String> = (0..first.len()).map(|i| format!("column {i}")).collect();
    roles[0] = Role::Index;
    labels[0] = "Sample Index".into();
    for k in 0..channels {
        roles[1 + k] = Role::Exg(k);
        labels[1 + k] = format!("EXG Channel {k}");
    }
    let accel_at = 1 + channels;
    let has_accel = first.len() >= accel_at + 3
        && first[accel_at..accel_at + 3]
            .iter()
            .all(|f| parse_number(f).is_some());
    let mut rest_at = accel_at;
    if has_accel {
        for k in 0..3 {
            roles[accel_at + k] = Role::Accel(k);
            labels[accel_at + k] = format!("Accel Channel {k}");
        }
        rest_at += 3;
    }
    'rows: for (_, fields) in rows {
        for (i, f) in fields
            .iter()
            .enumerate()
            .skip(rest_at)
            .take(first.len() - rest_at)
        {
            if parse_number(f).is_some_and(|v| v >= UNIX_S_MIN) {
                roles[i] = Role::Timestamp;
                labels[i] = "Timestamp".into();
                break 'rows;
            }
        }
    }
    Ok((roles, labels))
}
