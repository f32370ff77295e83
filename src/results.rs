//! What analysis produces, in the shape format v1 stores it: feature groups (2-D tables
//! over time with named columns), events, and per-recording summaries.
//!
//! Pure data: the engine fills it, `store` writes and reads it, the report draws it.

use ndarray::Array2;

/// A parameter stored as an attribute next to the values it produced.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Floats(Vec<f64>),
    Text(String),
}

/// One 2-D dataset of a feature group: rows are the group's times, columns are named
/// (channels, pairs).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureTable {
    pub name: String,
    pub columns: Vec<String>,
    /// `(rows, columns)`.
    pub values: Array2<f64>,
}

/// The feature groups the engine computes, as typed names (the strings are the HDF5 group
/// names of format v1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupId {
    Activation,
    Fatigue,
    Cocontraction,
    Tremor,
}

impl GroupId {
    /// Every group, in the order the engine lays them out.
    pub const ALL: [GroupId; 4] = [
        GroupId::Activation,
        GroupId::Fatigue,
        GroupId::Cocontraction,
        GroupId::Tremor,
    ];

    /// The name under `/features`.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupId::Activation => "activation",
            GroupId::Fatigue => "fatigue",
            GroupId::Cocontraction => "cocontraction",
            GroupId::Tremor => "tremor",
        }
    }

    /// The group called `name`, if it is one of the engine's.
    pub fn parse(name: &str) -> Option<GroupId> {
        GroupId::ALL.into_iter().find(|g| g.as_str() == name)
    }
}

/// The feature tables the engine computes, as typed names (the dataset names of format v1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableId {
    /// Activation RMS per EMG channel.
    Rms,
    /// Activation as % of the channel's MVC.
    PctMvc,
    /// Median frequency per fatigue epoch.
    MdfHz,
    /// Mean frequency per fatigue epoch.
    MnfHz,
    /// Falconer–Winter co-contraction index per pair.
    Fw,
    /// Rudolph co-contraction index per pair.
    Rudolph,
    /// Tremor band power per channel.
    BandPower,
    /// Tremor band power over 1–30 Hz power.
    RelativePower,
    /// Peak frequency in the tremor band.
    PeakHz,
}

impl TableId {
    /// Every table, group by group.
    pub const ALL: [TableId; 9] = [
        TableId::Rms,
        TableId::PctMvc,
        TableId::MdfHz,
        TableId::MnfHz,
        TableId::Fw,
        TableId::Rudolph,
        TableId::BandPower,
        TableId::RelativePower,
        TableId::PeakHz,
    ];

    /// The dataset name in its group.
    pub fn as_str(self) -> &'static str {
        match self {
            TableId::Rms => "rms",
            TableId::PctMvc => "pct_mvc",
            TableId::MdfHz => "mdf_hz",
            TableId::MnfHz => "mnf_hz",
            TableId::Fw => "fw",
            TableId::Rudolph => "rudolph",
            TableId::BandPower => "band_power",
            TableId::RelativePower => "relative_power",
            TableId::PeakHz => "peak_hz",
        }
    }

    /// The group the table belongs to.
    pub fn group(self) -> GroupId {
        match self {
            TableId::Rms | TableId::PctMvc => GroupId::Activation,
            TableId::MdfHz | TableId::MnfHz => GroupId::Fatigue,
            TableId::Fw | TableId::Rudolph => GroupId::Cocontraction,
            TableId::BandPower | TableId::RelativePower | TableId::PeakHz => GroupId::Tremor,
        }
    }
}

/// A group under `/features`, e.g. `activation` with tables `rms` and `pct_mvc`.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureGroup {
    pub name: String,
    /// Time of each row (window centre), seconds from the first sample.
    pub time_s: Vec<f64>,
    pub tables: Vec<FeatureTable>,
    /// The parameters used (window_s, hop_s, band, causal, …).
    pub params: Vec<(String, AttrValue)>,
}

impl FeatureGroup {
    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<&FeatureTable> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&AttrValue> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The engine's group this is, if it is one.
    pub fn id(&self) -> Option<GroupId> {
        GroupId::parse(&self.name)
    }
}

/// What happened at a moment of the recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Onset,
    Offset,
    TremorAlarmStart,
    TremorAlarmEnd,
    Gap,
    Marker,
    /// A note that came with the recording: an EDF+ annotation, a C3D event, a marker of
    /// another program; its words are in [`Event::text`].
    Annotation,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::Onset,
        EventKind::Offset,
        EventKind::TremorAlarmStart,
        EventKind::TremorAlarmEnd,
        EventKind::Gap,
        EventKind::Marker,
        EventKind::Annotation,
    ];

    /// The name stored in `/events/kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Onset => "onset",
            EventKind::Offset => "offset",
            EventKind::TremorAlarmStart => "tremor_alarm_start",
            EventKind::TremorAlarmEnd => "tremor_alarm_end",
            EventKind::Gap => "gap",
            EventKind::Marker => "marker",
            EventKind::Annotation => "annotation",
        }
    }

    /// The kind called `name`, if it is one.
    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One row of `/events`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub time_s: f64,
    pub kind: EventKind,
    /// Channel (or pair) the event belongs to; empty for the whole recording.
    pub channel: String,
    /// Kind-specific value (e.g. missing frames of a gap, peak Hz of a tremor alarm, the
    /// duration in seconds of an annotation).
    pub value: f64,
    /// The words of an annotation (`/events/text`); empty for the other kinds.
    pub text: String,
}

/// A column of a summary group.
#[derive(Debug, Clone, PartialEq)]
pub enum SummaryValues {
    Numbers(Vec<f64>),
    Texts(Vec<String>),
}

/// A group under `/summary`, e.g. `symmetry` with `names`, `si_percent`, `weaker`.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryGroup {
    pub name: String,
    /// What each row belongs to (channel, pair or bilateral names).
    pub names: Vec<String>,
    pub columns: Vec<(String, SummaryValues)>,
}

impl SummaryGroup {
    /// The numeric column called `name`.
    pub fn numbers(&self, name: &str) -> Option<&[f64]> {
        self.columns.iter().find_map(|(n, v)| match v {
            SummaryValues::Numbers(x) if n == name => Some(x.as_slice()),
            _ => None,
        })
    }
}

/// Everything analysis adds to a recording.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    pub features: Vec<FeatureGroup>,
    pub events: Vec<Event>,
    pub summary: Vec<SummaryGroup>,
}

impl Results {
    /// The feature group called `name`.
    pub fn group(&self, name: &str) -> Option<&FeatureGroup> {
        self.features.iter().find(|g| g.name == name)
    }

    /// The table `id` (of its group), if present.
    pub fn table(&self, id: TableId) -> Option<&FeatureTable> {
        self.group(id.group().as_str())
            .and_then(|g| g.table(id.as_str()))
    }

    /// The summary group called `name`.
    pub fn summary(&self, name: &str) -> Option<&SummaryGroup> {
        self.summary.iter().find(|g| g.name == name)
    }
}
