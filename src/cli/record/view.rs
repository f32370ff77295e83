//! What the live view shows, taken from the session's latest feature rows (the view itself
//! computes nothing).

use super::session::Session;
use super::status::Status;
use crate::features::symmetry::symmetry;
use crate::live_view::{Activation, Balance, CoContraction, Snapshot, Tremor};
use crate::montage::Kind;

/// The picture of the recording now.
pub fn snapshot(session: &Session, status: &Status, source: &str, markers: usize) -> Snapshot {
    let plan = session.engine().plan();
    let montage = &plan.montage;
    let latest = session.latest();
    let activation: Vec<Activation> = montage
        .channels
        .iter()
        .filter(|c| c.kind == Kind::Emg)
        .map(|c| Activation {
            name: c.name.clone(),
            rms: latest.value("activation", "rms", &c.name),
            unit: c.unit.clone(),
            pct_mvc: c
                .mvc
                .map(|_| latest.value("activation", "pct_mvc", &c.name)),
        })
        .collect();
    let cocontraction = plan
        .pairs
        .iter()
        .map(|p| CoContraction {
            name: p.name.clone(),
            fw_percent: latest.value("cocontraction", "fw", &p.name),
        })
        .collect();
    let tremor = latest
        .alarms
        .iter()
        .map(|&(i, alarm, _)| {
            let name = &montage.channels[i].name;
            Tremor {
                name: name.clone(),
                band_power: latest.value("tremor", "band_power", name),
                relative_power: latest.value("tremor", "relative_power", name),
                peak_hz: latest.value("tremor", "peak_hz", name),
                alarm,
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
        source: source.to_string(),
        elapsed_s: status.elapsed_s,
        frames_per_s: status.frames_per_s,
        frames_received: status.stats.frames_received,
        frames_missing: status.stats.frames_missing,
        frames_corrupt: status.stats.frames_corrupt,
        ring_fill: status.ring_fill,
        markers,
        activation,
        cocontraction,
        tremor,
        balance,
    }
}
