//! `myobalance progress FILES... [--subject S] [--out progress.html]`: a subject's
//! progress over sessions as one self-contained HTML page ([`crate::sessions::page`]).
//!
//! - With `--subject S`, the page of S; files of other subjects are skipped, said on
//!   stderr and on the page. No file of S is an error naming the subjects found.
//! - Without it, one page per subject found: `--out` itself when the files hold a single
//!   subject, else `<out stem>-<subject>.html` beside it for each (the subject with
//!   characters other than letters, digits, `-` and `_` as `_`). Files without a
//!   `subject` attribute form the subject "(no subject)" (`-no-subject` in the name).
//! - A file that cannot be read is listed on stderr and on the page, and the exit code is
//!   1; the page is still made from the others.

use std::path::{Path, PathBuf};

use clap::Args;

use super::read_sessions::{is_an_input, read_all};
use super::{Outcome, UsageError};
use crate::sessions::page::render;
use crate::sessions::{by_subject, only, Patient, SessionsError, NO_SUBJECT};

/// Options of `myobalance progress`.
#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// Processed myobalance HDF5 files, one per session, in any order.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The subject to show; files of others are skipped (default: every subject found,
    /// each on its own page).
    #[arg(long, value_name = "S")]
    pub subject: Option<String>,
    /// The page; with several subjects and no --subject, the
    /// pages are named after it: `progress-<subject>.html`.
    #[arg(long, value_name = "progress.html", default_value = "progress.html")]
    pub out: PathBuf,
}

/// `out` with `-<subject>` before its extension.
///
/// ```
/// use myobalance::cli::progress_page::page_path;
/// use std::path::Path;
/// assert_eq!(page_path(Path::new("out/progress.html"), "P 01/a"), Path::new("out/progress-P_01_a.html"));
/// assert_eq!(page_path(Path::new("p.html"), "(no subject)"), Path::new("p-no-subject.html"));
/// ```
pub fn page_path(out: &Path, subject: &str) -> PathBuf {
    let slug: String = if subject == NO_SUBJECT {
        "no-subject".to_string()
    } else {
        subject
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let stem = out
        .file_stem()
        .map_or_else(|| "progress".into(), |s| s.to_string_lossy());
    let ext = out
        .extension()
        .map_or_else(|| "html".into(), |e| e.to_string_lossy());
    out.with_file_name(format!("{stem}-{slug}.{ext}"))
}

/// Reads the files and writes the page(s).
pub fn run(args: ProgressArgs) -> anyhow::Result<Outcome> {
    if is_an_input(&args.out, &args.files) {
        return Err(UsageError(format!(
            "--out {} is one of the inputs: choose another name",
            args.out.display()
        ))
        .into());
    }
    let read = read_all(&args.files);
    if read.sessions.is_empty() {
        return Err(SessionsError::NothingRead {
            count: args.files.len(),
        }
        .into());
    }
    let pages: Vec<(PathBuf, Patient)> = match &args.subject {
        Some(wanted) => {
            let patient = only(read.sessions, wanted, &read.failed)?;
            for line in &patient.skipped {
                eprintln!("skipped {line}");
            }
            vec![(args.out.clone(), patient)]
        }
        None => {
            let patients = by_subject(read.sessions, &read.failed);
            if patients.len() == 1 {
                patients
                    .into_iter()
                    .map(|p| (args.out.clone(), p))
                    .collect()
            } else {
                let mut pages: Vec<(PathBuf, Patient)> = Vec::new();
                for p in patients {
                    let mut path = page_path(&args.out, &p.subject);
                    // Two subjects whose names differ only in replaced characters.
                    let mut k = 2;
                    while pages.iter().any(|(q, _)| *q == path) {
                        path = page_path(&args.out, &format!("{}_{k}", p.subject));
                        k += 1;
                    }
                    pages.push((path, p));
                }
                eprintln!(
                    "progress: {} subjects and no --subject: one page each",
                    pages.len()
                );
                pages
            }
        }
    };
    for (path, patient) in &pages {
        let page = render(patient);
        super::outputs::write_atomically(path, &page)?;
        println!(
            "wrote {} ({}, {} sessions, {} kB)",
            path.display(),
            patient.subject,
            patient.sessions.len(),
            page.len().div_ceil(1024)
        );
    }
    Ok(if read.failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartialFailure
    })
}
