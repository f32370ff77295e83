//! The engine: runs the features over a recording's blocks as they arrive, zero-phase (the
//! offline default: each filter runs forward and backward over overlapping stretches, so
//! memory is bounded by the blocks, not the recording) or causal (as a live recording
//! does), with the same window rule and the same feature code, so `process --causal` over
//! a recording equals feeding it live. EMG channels, and force channels, run four at a
//! time (eight with AVX-512) through the same filters, side by side in the SIMD lanes
//! ([`emg_group`], [`mechanical`]); groups and channels run in parallel (rayon). A
//! single-threaded run, any block size and any group width give the same results.
//!
//! ```text
//! samples ─► per channel: notch? → band-pass → y ─┬─► RMS windows ........ activation
//!                                                  ├─► epochs, periodogram . fatigue
//!                                                  ├─► |y| → Welch windows . tremor → alarm
//!                                                  ├─► |y| → low-pass ..... envelope ─► pairs: co-contraction
//!                                                  ├─► |y| → 50 Hz, 25 ms . Hodges–Bui onsets
//!                                                  ├─► |ψ(y)| → 50 Hz, 25 ms TKEO onsets
//!                                                  └─► y² pairs, r0 of m .. Bonato onsets
//!          force: Welch windows (tremor); 150 Hz low-pass → peak, MVC, RFD, steadiness
//! ```

pub mod assemble;
mod each;
pub mod emg;
pub mod emg_group;
mod frames;
pub mod mechanical;
mod moving_mean;
pub mod onset_causal;
pub mod onset_detectors;
pub mod onset_offline;
pub mod pairs;
pub mod plan;
pub mod rows;
mod run_filter;
pub mod stream;
pub mod trace;
mod windows;

pub use plan::{Filtering, Plan, Threads, STRETCH_FRAMES};
pub use stream::{KeptRows, RowCounts, StreamEngine};

use crate::dsp::error::DspError;
use crate::recording::Recording;
use crate::results::Results;

/// Frames the engine takes at a time: a longer push is split into blocks of this size.
pub const BLOCK_FRAMES: usize = 8192;

/// Analyses a whole recording: zero-phase, or causal exactly as a live run would.
pub fn analyze(recording: &Recording, filtering: Filtering) -> Result<Results, DspError> {
    analyze_with(recording, filtering, Threads::Pool)
}

/// As [`analyze`], choosing where the channels run.
pub fn analyze_with(
    recording: &Recording,
    filtering: Filtering,
    threads: Threads,
) -> Result<Results, DspError> {
    let plan = Plan::new(&recording.montage, filtering)?;
    let mut engine = StreamEngine::new(plan)?.on(threads);
    if let Some(a) = &recording.acquisition {
        for gap in &a.gaps {
            engine.add_gap(*gap);
        }
    }
    engine.push_samples(&recording.samples);
    Ok(engine.finish())
}
