//! The cohort table: one tidy row per numeric summary value of a session, with what
//! places it (file, subject, session, date) and its unit.
//!
//! Rows follow the file's own order: its summary groups as listed, then each group's rows
//! (`names`), then its numeric columns as stored. Text columns (`symmetry/weaker`,
//! `symmetry/measure`) are not values and have no rows; what LSI was computed on is in the
//! unit of `lsi_percent` and `si_percent` (see [`super::units`]), and the weaker side
//! follows from the sign of `si_percent` (positive: the right side is larger).

use crate::results::SummaryValues;

use super::session::Session;
use super::units::unit;

/// The columns of the table, in order.
pub const HEADER: [&str; 9] = [
    "file",
    "subject",
    "session",
    "recorded_utc",
    "group",
    "name",
    "measure",
    "value",
    "unit",
];

/// One value of one session.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub file: &'a str,
    /// "" when the file has no `subject`.
    pub subject: &'a str,
    /// "" when the file has no `session`.
    pub session: &'a str,
    /// "" when the file has no `recorded_utc`.
    pub recorded_utc: &'a str,
    /// Summary group (`activation`, `symmetry`, …).
    pub group: &'a str,
    /// The channel, pair or bilateral pair the value belongs to.
    pub name: &'a str,
    /// The column (`rms_mean`, `lsi_percent`, …).
    pub measure: &'a str,
    /// NaN where the file stores NaN (a value that could not be computed).
    pub value: f64,
    pub unit: String,
}

fn text(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

/// Every numeric summary value of `session`, in the file's order.
///
/// ```
/// use myobalance::sessions::{rows, Session};
/// let s = Session::example();
/// let r = rows(&s);
/// assert_eq!(r.len(), 1); // lsi_percent; the text column `measure` has no row
/// assert_eq!((r[0].measure, r[0].value, r[0].unit.as_str()), ("lsi_percent", 80.0, "% (pct_mvc)"));
/// ```
pub fn rows(session: &Session) -> Vec<Row<'_>> {
    let (subject, label, date) = (
        text(&session.subject),
        text(&session.session),
        text(&session.recorded_utc),
    );
    let mut out = Vec::new();
    for g in &session.summary {
        for (row, name) in g.names.iter().enumerate() {
            for (measure, values) in &g.columns {
                let SummaryValues::Numbers(values) = values else {
                    continue;
                };
                out.push(Row {
                    file: &session.file,
                    subject,
                    session: label,
                    recorded_utc: date,
                    group: &g.name,
                    name,
                    measure,
                    value: values.get(row).copied().unwrap_or(f64::NAN),
                    unit: unit(session, &g.name, measure, name),
                });
            }
        }
    }
    out
}
