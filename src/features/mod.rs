//! Named features composed from the `dsp` kernels: activation, co-contraction, tremor and
//! its alarm, fatigue, symmetry, force metrics, EMG onsets. Pure: no I/O, no threads.

pub mod alarm;
pub mod bonato;
pub mod cocontraction;
pub mod force;
pub mod line_fit;
pub mod mvc;
pub mod onset_baseline;
pub mod onsets;
pub mod runs;
pub mod stats;
pub mod strength;
pub mod symmetry;
pub mod tremor;
