//! Integration tests: one binary, a module per topic.

mod fixtures;

mod bitalino;
mod cli_process;
mod cli_simulate;
mod csv;
mod dsp_design;
mod dsp_envelope;
mod dsp_filter;
mod dsp_rms;
mod dsp_spectral;
mod dsp_tkeo;
mod engine_golden;
mod engine_stream;
mod engine_truth;
mod features_force;
mod features_tremor;
mod formats_c3d;
mod formats_edf;
mod formats_openbci;
mod formats_opensignals;
mod formats_wfdb;
mod formats_xdf;
mod import;
mod ingest;
mod live_view;
mod lsl;
mod montage;
mod montage_guess;
mod real_data;
mod record;
mod recorder;
mod report;
mod sim;
mod store;
mod store_crash;
