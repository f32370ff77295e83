//! placeholder
pub mod dsp;
