//! The latest picture of a recording, kept from the recorder's updates: the last row of
//! every feature table and each tremor alarm's state ([`Latest`]), and the [`Snapshot`] the
//! live views show ([`snapshot`]). The terminal view and the web view build their pictures
//! here, so both show the same numbers; nothing here derives a feature but the balance of
//! two sides' latest activation (the symmetry function the features use).

use std::collections::HashMap;

use super::{Activation, Balance, CoContraction, Snapshot, Tremor};
use crate::features::symmetry::symmetry;
use crate::montage::Kind;
use crate::recorder::{Started, Status};
use crate::results::{FeatureGroup, TableId};

/// The latest row of each feature table and the alarm states, as the updates told them.
#[derive(Debug, Clone, Default)]
pub struct Latest {
    /// Per table: its columns and last row.
    rows: HashMap<TableId, (Vec<String>, Vec<f64>)>,
    /// Per table: the time of its last row, s.
    times: HashMap<TableId, f64>,
    /// Tremor alarm state per montage index: on, peak Hz.
    pub alarms: HashMap<usize, (bool, f64)>,
}

impl Latest {
    /// Takes the last row of each table of a group's new rows.
    pub fn take(&mut self, group: &FeatureGroup) {
        let Some(last) = group.time_s.len().checked_sub(1) else {
            return;
        };
        for t in &group.tables {
            let Some(id) = TableId::ALL.into_iter().find(|id| id.as_str() == t.name) else {
                continue;
            };
            self.rows
                .insert(id, (t.columns.clone(), t.values.row(last).to_vec()));
            self.times.insert(id, group.time_s[last]);
        }
    }

    /// The time of the last row of `table` (seconds from the start of the recording, as
    /// the file's feature rows have it); NaN before the first row.
    pub fn time_s(&self, table: TableId) -> f64 {
        self.times.get(&table).copied().unwrap_or(f64::NAN)
    }

    /// The last value of `column` in table `table`; NaN before the first row.
    pub fn value(&self, table: TableId, column: &str) -> f64 {
        self.rows
            .get(&table)
            .and_then(|(columns, values)| {
                columns.iter().position(|c| c == column).map(|i| values[i])
            })
            .unwrap_or(f64::NAN)
    }
}

/// The picture of the recording now.
pub fn snapshot(started: &Started, latest: &Latest, status: &Status) -> Snapshot {
    let montage = &started.montage;
    let activation: Vec<Activation> = montage
        .channels
        .iter()
        .filter(|c| c.kind == Kind::Emg)
        .map(|c| Activation {
            name: c.name.clone(),
            rms: latest.value(TableId::Rms, &c.name),
            unit: c.unit.clone(),
            pct_mvc: c.mvc.map(|_| latest.value(TableId::PctMvc, &c.name)),
        })
        .collect();
    let cocontraction = montage
        .pairs
        .iter()
        .map(|p| CoContraction {
            name: p.name.clone(),
            fw_percent: latest.value(TableId::Fw, &p.name),
        })
        .collect();
    let tremor = started
        .tremor_channels
        .iter()
        .map(|&i| {
            let name = &montage.channels[i].name;
            Tremor {
                name: name.clone(),
                band_power: latest.value(TableId::BandPower, name),
                relative_power: latest.value(TableId::RelativePower, name),
                peak_hz: latest.value(TableId::PeakHz, name),
                alarm: latest.alarms.get(&i).is_some_and(|a| a.0),
            }
        })
        .collect();
    // Left/right balance of EMG activation: %MVC when both sides have an MVC, else RMS.
    let level = |name: &str, both_mvc: bool| {
        activation
            .iter()
            .find(|a| a.name == name)
            .map_or(f64::NAN, |a| {
                if both_mvc {
                    a.pct_mvc.unwrap_or(f64::NAN)
                } else {
                    a.rms
                }
            })
    };
    let balance = montage
        .bilateral
        .iter()
        .filter_map(|b| {
            let (l, r) = (
                montage.channel_index(&b.left)?,
                montage.channel_index(&b.right)?,
            );
            let (cl, cr) = (&montage.channels[l], &montage.channels[r]);
            if cl.kind != Kind::Emg || cr.kind != Kind::Emg {
                return None;
            }
            let both_mvc = cl.mvc.is_some() && cr.mvc.is_some();
            let (left_value, right_value) = (level(&b.left, both_mvc), level(&b.right, both_mvc));
            let s = symmetry(left_value, right_value);
            let known = s.lsi_percent.is_finite();
            Some(Balance {
                name: b.name.clone(),
                left: b.left.clone(),
                right: b.right.clone(),
                left_value,
                right_value,
                lsi_percent: s.lsi_percent,
                weaker: known.then(|| s.weaker.as_str().to_string()),
            })
        })
        .collect();
    Snapshot {
        source: started.description.clone(),
        elapsed_s: status.elapsed_s,
        frames_per_s: status.frames_per_s,
        frames_received: status.stats.frames_received,
        frames_missing: status.stats.frames_missing,
        frames_corrupt: status.stats.frames_corrupt,
        ring_fill: status.ring_fill,
        markers: status.markers,
        target_pct_mvc: montage.analysis.target_pct_mvc,
        activation,
        cocontraction,
        tremor,
        balance,
    }
}
