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

    /// The summary group called `name`.
    pub fn summary(&self, name: &str) -> Option<&SummaryGroup> {
        self.summary.iter().find(|g| g.name == name)
    }
}
