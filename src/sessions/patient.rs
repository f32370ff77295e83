//! A subject's sessions, in order, with what the page must say about files left out:
//! the files of each subject found among many, and the filter of `progress --subject`.

use super::error::SessionsError;
use super::order::{order, Order};
use super::session::Session;

/// How a page names files that have no `subject` attribute.
pub const NO_SUBJECT: &str = "(no subject)";

/// One subject's sessions, ordered.
#[derive(Debug, Clone)]
pub struct Patient {
    /// The subject, or [`NO_SUBJECT`].
    pub subject: String,
    /// In order (see [`super::order`]); never empty.
    pub sessions: Vec<Session>,
    pub order: Order,
    /// Files given that were left out, each with the reason ("P02: another subject").
    pub skipped: Vec<String>,
    /// Files given that could not be read, each with the error.
    pub failed: Vec<String>,
}

fn subject_of(s: &Session) -> String {
    match &s.subject {
        Some(subject) if !subject.trim().is_empty() => subject.clone(),
        _ => NO_SUBJECT.to_string(),
    }
}

/// The subjects of `sessions`, in the order they first appear, each with its sessions in
/// order. `failed` (files that could not be read) goes on every page.
pub fn by_subject(sessions: Vec<Session>, failed: &[String]) -> Vec<Patient> {
    let mut patients: Vec<Patient> = Vec::new();
    for s in sessions {
        let subject = subject_of(&s);
        match patients.iter_mut().find(|p| p.subject == subject) {
            Some(p) => p.sessions.push(s),
            None => patients.push(Patient {
                subject,
                sessions: vec![s],
                order: Order::ByDate,
                skipped: Vec::new(),
                failed: failed.to_vec(),
            }),
        }
    }
    for p in &mut patients {
        p.order = order(&mut p.sessions);
    }
    patients
}

/// The sessions of `wanted` alone; the files of other subjects are named in `skipped`.
/// An error naming the subjects found when none is `wanted`.
pub fn only(
    sessions: Vec<Session>,
    wanted: &str,
    failed: &[String],
) -> Result<Patient, SessionsError> {
    let mut found: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    let mut kept = Vec::new();
    for s in sessions {
        let subject = subject_of(&s);
        if subject == wanted {
            kept.push(s);
        } else {
            skipped.push(format!("{}: subject {subject}, not {wanted}", s.file));
            if !found.contains(&subject) {
                found.push(subject);
            }
        }
    }
    if kept.is_empty() {
        return Err(SessionsError::SubjectNotFound {
            wanted: wanted.to_string(),
            found: if found.is_empty() {
                "no subject".to_string()
            } else {
                found.join(", ")
            },
        });
    }
    let mut patient = by_subject(kept, failed).remove(0);
    patient.skipped = skipped;
    Ok(patient)
}
