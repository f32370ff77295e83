//! One processed file as a session of a subject: the root attributes that place it
//! (`subject`, `session`, `recorded_utc`), its montage (units, bilateral pairs) and its
//! `/summary` groups. Everything else in the file (samples, feature rows, events) is left
//! behind, so many sessions fit in memory at once.

use std::path::Path;

use crate::montage::Montage;
use crate::results::{SummaryGroup, SummaryValues};
use crate::store::{read_summary, SummaryFile};

use super::error::SessionsError;

/// What a table row or a progress page needs of one processed file.
#[derive(Debug, Clone)]
pub struct Session {
    /// The file as the user named it.
    pub file: String,
    /// Root attribute `subject`, when the file has one.
    pub subject: Option<String>,
    /// Root attribute `session` (the session's label), when the file has one.
    pub session: Option<String>,
    /// Root attribute `recorded_utc` (ISO 8601), when the file has one.
    pub recorded_utc: Option<String>,
    /// The montage stored in the file: channel units and bilateral pairs.
    pub montage: Montage,
    /// The `/summary` groups, in the order the file lists them; never empty.
    pub summary: Vec<SummaryGroup>,
}

/// Reads what a session needs of `path` (not its samples, feature rows or events).
pub fn load(path: &Path) -> Result<Session, SessionsError> {
    let read = read_summary(path)?;
    Session::from_summary(&path.display().to_string(), read)
}

impl Session {
    /// The session of a file named `file` as read; an error when the file has no summary
    /// values.
    pub fn from_summary(file: &str, read: SummaryFile) -> Result<Session, SessionsError> {
        if read.summary.is_empty() {
            return Err(SessionsError::NoSummary {
                file: file.to_string(),
            });
        }
        Ok(Session {
            file: file.to_string(),
            subject: read.subject,
            session: read.session,
            recorded_utc: read.recorded_utc,
            montage: read.montage,
            summary: read.summary,
        })
    }

    /// How pages name the session: its label, or the file's name when it has none.
    ///
    /// ```
    /// # let mut s = myobalance::sessions::Session::example();
    /// s.session = None;
    /// s.file = "/data/p01/2026-03-02.h5".into();
    /// assert_eq!(s.label(), "2026-03-02.h5");
    /// ```
    pub fn label(&self) -> String {
        match &self.session {
            Some(label) if !label.trim().is_empty() => label.clone(),
            _ => Path::new(&self.file)
                .file_name()
                .map_or_else(|| self.file.clone(), |n| n.to_string_lossy().into_owned()),
        }
    }

    /// The summary group called `name`.
    pub fn group(&self, name: &str) -> Option<&SummaryGroup> {
        self.summary.iter().find(|g| g.name == name)
    }

    /// Value `measure` of row `name` in group `group`; `None` when the file lacks any of
    /// them (a NaN stored in the file is returned as NaN).
    pub fn value(&self, group: &str, measure: &str, name: &str) -> Option<f64> {
        let g = self.group(group)?;
        let row = g.names.iter().position(|n| n == name)?;
        g.numbers(measure)?.get(row).copied()
    }

    /// Text column `measure` of row `name` in group `group` (`symmetry/measure`).
    pub fn text(&self, group: &str, measure: &str, name: &str) -> Option<&str> {
        let g = self.group(group)?;
        let row = g.names.iter().position(|n| n == name)?;
        g.columns.iter().find_map(|(n, v)| match v {
            SummaryValues::Texts(t) if n == measure => t.get(row).map(String::as_str),
            _ => None,
        })
    }

    /// The unit of channel `name` in this file's montage ("" when unknown).
    pub fn channel_unit(&self, name: &str) -> &str {
        self.montage
            .channels
            .iter()
            .find(|c| c.name == name)
            .map_or("", |c| c.unit.as_str())
    }

    /// A small session for examples and tests: subject P01, "week 1", one symmetry row.
    #[doc(hidden)]
    pub fn example() -> Session {
        Session {
            file: "week1.h5".into(),
            subject: Some("P01".into()),
            session: Some("week 1".into()),
            recorded_utc: Some("2026-03-02T09:00:00Z".into()),
            montage: Montage {
                sample_rate_hz: Some(2000.0),
                mains_hz: 50,
                channels: Vec::new(),
                pairs: Vec::new(),
                bilateral: Vec::new(),
                analysis: Default::default(),
            },
            summary: vec![SummaryGroup {
                name: "symmetry".into(),
                names: vec!["biceps".into()],
                columns: vec![
                    ("lsi_percent".into(), SummaryValues::Numbers(vec![80.0])),
                    (
                        "measure".into(),
                        SummaryValues::Texts(vec!["pct_mvc".into()]),
                    ),
                ],
            }],
        }
    }
}
