//! Patients over sessions: the processed files of a subject put in order, the cohort
//! table (`myobalance summarize`) and the progress page (`myobalance progress`).
//!
//! ```text
//! FILE.h5 ──► session (subject, session, recorded_utc, montage, /summary)
//!                ├──► table ──► csv        one tidy row per summary value
//!                └──► patient (by subject, in order) ──► series ──► trend ──► page
//! ```
//!
//! Everything here reads what `process` stored; nothing computes a feature. Values are
//! matched across sessions by group, measure and channel or pair name, so sessions of
//! different montages line up where they share names. This module does no I/O beyond
//! [`load`]; `cli::summarize` and `cli::progress_page` write the outputs.

pub mod csv;
pub mod error;
pub mod order;
pub mod page;
pub mod patient;
pub mod series;
pub mod session;
pub mod table;
pub mod trend;
pub mod units;

pub use error::SessionsError;
pub use patient::{by_subject, only, Patient, NO_SUBJECT};
pub use series::{series, Series};
pub use session::{load, Session};
pub use table::{rows, Row};
