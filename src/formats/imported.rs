//! What every format parser produces: signals at their own rates with labels and units as
//! the file writes them, and what the file says about the recording.

/// A recording as a foreign file holds it, before resampling and unit conversion.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    /// The format as users call it, with its variant: "EDF+D", "BDF", "C3D", "WFDB", ….
    pub format: String,
    /// The signals in file order.
    pub signals: Vec<Signal>,
    /// The start of the recording, ISO 8601 (`2024-03-05T14:03:11`): with `Z` only when
    /// the file says it is UTC, without a zone when it does not say.
    pub recorded_utc: Option<String>,
    /// The subject (patient code or name) as the file gives it.
    pub subject: Option<String>,
    /// Annotations and events, in time order.
    pub annotations: Vec<Annotation>,
    /// Stretches where the file has no data (EDF+D discontinuities, sequence gaps), in
    /// time order.
    pub gaps: Vec<TimeGap>,
    /// Counts from a per-sample sequence counter, for formats that have one.
    pub sequence: Option<SequenceCounts>,
    /// What the reader left out or worked around, one sentence each (without the file
    /// name: the caller adds it).
    pub warnings: Vec<String>,
}

/// One signal of an imported file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Signal {
    /// The label as the file writes it, trimmed of padding ("R.RECTUS FEM.", "EMG L").
    pub label: String,
    /// The physical unit as the file writes it, trimmed ("uV", "mV", "N", "ntmm"); empty
    /// when the file gives none.
    pub unit: String,
    /// Samples per second of this signal.
    pub rate_hz: f64,
    /// Physical values (the file's calibration applied), in time order, with no gap
    /// filling: a gap in [`Imported::gaps`] sits between samples.
    pub samples: Vec<f32>,
    /// Further words the file gives about the signal (EDF transducer type, C3D
    /// description, OpenSignals sensor), used to guess the montage; may be empty.
    pub detail: String,
    /// For raw ADC counts of a device whose EMG sensor has a datasheet transfer function
    /// (OpenSignals `RAW` channels): counts → µV as `count · scale + offset`. The reader
    /// leaves such channels in counts; the importer applies this when the montage says the
    /// channel is EMG.
    pub emg_transfer: Option<Transfer>,
}

impl Signal {
    /// Replaces samples that are not finite (NaN, infinite, or beyond f32 once computed) by
    /// linear interpolation between the finite samples either side (the nearest one at the
    /// ends; zeros when none is finite); returns how many were replaced.
    ///
    /// ```
    /// use myobalance::formats::Signal;
    ///
    /// let mut s = Signal { samples: vec![f32::NAN, 1.0, f32::INFINITY, 3.0, f32::NAN], ..Signal::default() };
    /// assert_eq!(s.interpolate_non_finite(), 3);
    /// assert_eq!(s.samples, vec![1.0, 1.0, 2.0, 3.0, 3.0]);
    ///
    /// let mut wide = Signal { samples: vec![-f32::MAX, f32::NAN, f32::MAX], ..Signal::default() };
    /// wide.interpolate_non_finite();
    /// assert_eq!(wide.samples[1], 0.0);
    /// ```
    pub fn interpolate_non_finite(&mut self) -> usize {
        let x = &mut self.samples;
        let mut replaced = 0;
        let mut last: Option<usize> = None;
        let mut i = 0;
        while i < x.len() {
            if x[i].is_finite() {
                last = Some(i);
                i += 1;
                continue;
            }
            let start = i;
            while i < x.len() && !x[i].is_finite() {
                i += 1;
            }
            replaced += i - start;
            let before = last.map(|k| x[k]);
            let after = x.get(i).copied();
            let (a, b) = match (before, after) {
                (Some(a), Some(b)) => (a, b),
                (Some(a), None) => (a, a),
                (None, Some(b)) => (b, b),
                (None, None) => (0.0, 0.0),
            };
            // In f64: b − a of two finite f32 values may overflow f32; the result, between
            // them, does not.
            let (a, b) = (f64::from(a), f64::from(b));
            let n = (i - start + 1) as f64;
            for (k, v) in x[start..i].iter_mut().enumerate() {
                *v = (a + (b - a) * ((k + 1) as f64 / n)) as f32;
            }
        }
        replaced
    }
}

/// An affine map from a signal's stored values to physical units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transfer {
    pub scale: f64,
    pub offset: f64,
}

/// A note from the file: an EDF+ annotation, a C3D event, a marker.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// Seconds from the start of the recording (the first sample) on the recording's
    /// clock: in a file with gaps (EDF+D) the time missing before it counts, as it does in
    /// the recording once the gaps are filled.
    pub time_s: f64,
    /// How long it lasts, NaN when the file gives no duration.
    pub duration_s: f64,
    /// The text as the file gives it ("Right_Foot_Strike", "MVC start").
    pub text: String,
}

/// Data missing from the file: the samples after `at_s` seconds of stored data resume
/// `missing_s` seconds later.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeGap {
    /// Seconds of samples stored before the gap (sample count / rate of any signal).
    pub at_s: f64,
    /// Length of the missing stretch in seconds (> 0).
    pub missing_s: f64,
}

/// Sample instants seen and missed by a sequence counter (OpenBCI sample index,
/// OpenSignals nSeq).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SequenceCounts {
    pub frames_received: u64,
    pub frames_missing: u64,
}
