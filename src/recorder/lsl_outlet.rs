//! A sink that publishes the recording live on Lab Streaming Layer (DESIGN.md, "Lab
//! Streaming Layer"), for biofeedback games, PsychoPy experiments and LabRecorder:
//!
//! - stream `NAME`, type `EMGFeatures`, float32 at one sample per activation row
//!   (1 / `rms_hop_s`): per EMG channel `<emg>_pct_mvc` (or `<emg>_rms` without an MVC
//!   reference), per agonist/antagonist pair `<pair>_fw` (the latest co-contraction
//!   window), per tremor channel `<channel>_tremor_rel` (the latest tremor window), per
//!   bilateral pair `<bilateral>_lsi` (the limb symmetry index of this row's activation; NaN
//!   for force pairs), each channel labelled, with its unit, in the stream's description;
//! - stream `NAME-events`, type `Markers`, strings: `tremor_alarm_start <channel> <Hz>`,
//!   `tremor_alarm_end <channel>`, `onset <emg>`, `offset <emg>` (as the EMG onset
//!   detector finds them), `marker` (with its text when it has one).
//!
//! Consumers receive samples from the moment they connect. The sink runs queued, so a slow
//! network never holds the recording up.

use labstream::{Channel, Format, Outlet, StreamInfo};

use super::lsl_source::LslError;
use super::sink::Sink;
use super::update::Update;
use crate::engine::{Filtering, Plan};
use crate::features::symmetry::symmetry;
use crate::montage::{Kind, Montage};
use crate::results::{EventKind, FeatureGroup, GroupId, TableId};

/// Where each EMG and bilateral column comes from.
struct Layout {
    /// EMG channel names, and whether each is in %MVC.
    emg: Vec<(String, bool)>,
    pairs: Vec<String>,
    tremor: Vec<String>,
    /// Positions in `emg` of each bilateral pair's sides (`None` for non-EMG sides), and
    /// whether both are in %MVC.
    bilateral: Vec<Option<(usize, usize)>>,
}

/// The two outlets of a recording.
pub struct LslOutlet {
    features: Outlet,
    events: Outlet,
    layout: Layout,
    /// The sample being built: EMG, pairs, tremor, bilateral.
    sample: Vec<f32>,
}

impl LslOutlet {
    /// Creates the outlets `name` and `name-events` for a recording of `montage` (its
    /// rate set).
    pub fn open(name: &str, montage: &Montage) -> Result<LslOutlet, LslError> {
        let plan = Plan::new(montage, Filtering::Causal).map_err(|e| LslError::Montage {
            name: name.to_string(),
            problem: e.to_string(),
        })?;
        let tremor_channels = &plan.tremor_channels;
        let emg: Vec<(String, bool)> = montage
            .channels
            .iter()
            .filter(|c| c.kind == Kind::Emg)
            .map(|c| (c.name.clone(), c.mvc.is_some()))
            .collect();
        let position = |n: &str| emg.iter().position(|(e, _)| e == n);
        let bilateral = montage
            .bilateral
            .iter()
            .map(|b| position(&b.left).zip(position(&b.right)))
            .collect();
        let layout = Layout {
            pairs: montage.pairs.iter().map(|p| p.name.clone()).collect(),
            tremor: tremor_channels
                .iter()
                .filter_map(|&i| montage.channels.get(i).map(|c| c.name.clone()))
                .collect(),
            bilateral,
            emg,
        };
        let mut channels: Vec<Channel> = layout
            .emg
            .iter()
            .map(|(n, pct)| {
                if *pct {
                    Channel::new(&format!("{n}_pct_mvc"))
                        .unit("percent")
                        .kind("EMG")
                } else {
                    Channel::new(&format!("{n}_rms"))
                        .unit("microvolts")
                        .kind("EMG")
                }
            })
            .collect();
        channels.extend(layout.pairs.iter().map(|p| {
            Channel::new(&format!("{p}_fw"))
                .unit("percent")
                .kind("CoContraction")
        }));
        channels.extend(layout.tremor.iter().map(|t| {
            Channel::new(&format!("{t}_tremor_rel"))
                .unit("fraction")
                .kind("Tremor")
        }));
        channels.extend(montage.bilateral.iter().map(|b| {
            Channel::new(&format!("{}_lsi", b.name))
                .unit("percent")
                .kind("Symmetry")
        }));
        let width = channels.len();
        // One sample per activation row: the RMS hop in samples, as the engine cuts it.
        let rate = plan.sample_rate_hz / plan.rms.hop as f64;
        let features = Outlet::new(
            StreamInfo::builder(name, "EMGFeatures", Format::Float32)
                .rate(rate)
                .source_id(&format!("myobalance-{name}-{}", std::process::id()))
                .channels(channels)
                .build()?,
        )?;
        let events = Outlet::new(
            StreamInfo::builder(&format!("{name}-events"), "Markers", Format::String)
                .irregular()
                .source_id(&format!("myobalance-{name}-events-{}", std::process::id()))
                .channel_count(1)
                .build()?,
        )?;
        Ok(LslOutlet {
            features,
            events,
            sample: vec![f32::NAN; width],
            layout,
        })
    }

    fn rows(&mut self, g: &FeatureGroup) {
        let (n_emg, n_pairs) = (self.layout.emg.len(), self.layout.pairs.len());
        let n_tremor = self.layout.tremor.len();
        let rows = g.time_s.len();
        if rows == 0 {
            return;
        }
        let column = |table: TableId, name: &str| {
            g.table(table.as_str())
                .and_then(|t| t.columns.iter().position(|c| c == name).map(|k| (t, k)))
        };
        match g.id() {
            Some(GroupId::Activation) => {
                for r in 0..rows {
                    for (k, (name, pct)) in self.layout.emg.iter().enumerate() {
                        let table = if *pct { TableId::PctMvc } else { TableId::Rms };
                        self.sample[k] =
                            column(table, name).map_or(f64::NAN, |(t, c)| t.values[[r, c]]) as f32;
                    }
                    let first = n_emg + n_pairs + n_tremor;
                    for (b, sides) in self.layout.bilateral.iter().enumerate() {
                        self.sample[first + b] = sides.map_or(f32::NAN, |(l, r)| {
                            let (l, r) = (self.sample[l], self.sample[r]);
                            symmetry(f64::from(l), f64::from(r)).lsi_percent as f32
                        });
                    }
                    // A consumer that went away is not the recording's business.
                    let _ = self.features.push(&self.sample);
                }
            }
            Some(GroupId::Cocontraction) => {
                for (k, name) in self.layout.pairs.iter().enumerate() {
                    if let Some((t, c)) = column(TableId::Fw, name) {
                        self.sample[n_emg + k] = t.values[[rows - 1, c]] as f32;
                    }
                }
            }
            Some(GroupId::Tremor) => {
                for (k, name) in self.layout.tremor.iter().enumerate() {
                    if let Some((t, c)) = column(TableId::RelativePower, name) {
                        self.sample[n_emg + n_pairs + k] = t.values[[rows - 1, c]] as f32;
                    }
                }
            }
            Some(GroupId::Fatigue) | None => {}
        }
    }
}

impl Sink for LslOutlet {
    fn update(&mut self, update: &Update) {
        let text = match update {
            Update::Rows(g) => {
                self.rows(g);
                return;
            }
            Update::Alarm(a) => match a.peak_hz {
                Some(hz) => format!("tremor_alarm_start {} {hz:.1}", a.channel),
                None => format!("tremor_alarm_end {}", a.channel),
            },
            Update::Event(e) => match e.kind {
                EventKind::Marker if e.text.is_empty() => "marker".to_string(),
                EventKind::Marker => format!("marker {}", e.text),
                EventKind::Onset => format!("onset {}", e.channel),
                EventKind::Offset => format!("offset {}", e.channel),
                _ => return,
            },
            _ => return,
        };
        let _ = self.events.push_text(&text);
    }
}
