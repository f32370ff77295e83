//! What the recorder hands the live view every ~100 ms: counters of the serial link and the
//! latest row of each live feature. Plain data; the view never derives a feature from it,
//! it only scales and formats what is there. It serialises to JSON for the web view (NaN
//! becomes `null`).

/// Everything the live view shows, as of one moment of a recording.
///
/// Numbers that are not known yet are NaN (shown as "–"); an empty vector hides its
/// section (a montage without pairs has no co-contraction to show).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Snapshot {
    /// Where the frames come from, e.g. `"simulated device (/dev/pts/3)"` or `"/dev/ttyUSB0"`.
    pub source: String,
    /// Seconds since the recording started.
    pub elapsed_s: f64,
    /// Frames (sample instants) received per second, recently.
    pub frames_per_s: f64,
    /// Frames decoded so far.
    pub frames_received: u64,
    /// Frames lost: gaps in the device's sequence numbers.
    pub frames_missing: u64,
    /// Frames dropped for a bad checksum or a malformed line.
    pub frames_corrupt: u64,
    /// Fill of the ring between reader and engine, 0 to 1.
    pub ring_fill: f64,
    /// Markers added so far (key `m`).
    pub markers: usize,
    /// The training band in %MVC (`[analysis] target_pct_mvc`), if the montage sets one.
    pub target_pct_mvc: Option<[f64; 2]>,
    /// One row per EMG channel, in montage order.
    pub activation: Vec<Activation>,
    /// One row per agonist/antagonist pair.
    pub cocontraction: Vec<CoContraction>,
    /// One row per channel the tremor tracker watches.
    pub tremor: Vec<Tremor>,
    /// One row per bilateral (left/right) pair.
    pub balance: Vec<Balance>,
}

/// The latest activation window of one EMG channel.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Activation {
    /// Channel name.
    pub name: String,
    /// RMS of the latest window in physical units; NaN before the first window.
    pub rms: f64,
    /// Unit of `rms`, e.g. `"uV"`.
    pub unit: String,
    /// `100·rms/mvc` when the channel has an MVC reference.
    pub pct_mvc: Option<f64>,
}

/// The latest co-contraction window of one agonist/antagonist pair.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CoContraction {
    /// Pair name.
    pub name: String,
    /// Falconer–Winter index, 0 to 100 %; NaN when both muscles are inactive or before the
    /// first window.
    pub fw_percent: f64,
}

/// The latest tremor window of one channel.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Tremor {
    /// Channel name.
    pub name: String,
    /// Power inside the tremor band (unit² of the channel).
    pub band_power: f64,
    /// Band power over the 1–30 Hz power, 0 to 1.
    pub relative_power: f64,
    /// Dominant frequency inside the tremor band, Hz.
    pub peak_hz: f64,
    /// The tremor alarm of this channel is on.
    pub alarm: bool,
}

/// Left/right balance of one bilateral pair.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Balance {
    /// Pair name.
    pub name: String,
    /// Left channel name.
    pub left: String,
    /// Right channel name.
    pub right: String,
    /// Activation of the left side (%MVC when both sides have an MVC, else RMS).
    pub left_value: f64,
    /// Activation of the right side, same scale as `left_value`.
    pub right_value: f64,
    /// Limb symmetry index, `100·weaker/stronger` %.
    pub lsi_percent: f64,
    /// The weaker side (`"left"` or `"right"`), when one is.
    pub weaker: Option<String>,
}
