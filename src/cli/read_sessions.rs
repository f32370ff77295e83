//! Reads the processed files given to `summarize` and `progress` in parallel (rayon), with
//! the progress bar of [`super::progress`] on stderr. A file that cannot be read is
//! counted, named with its reason, and left out; the others go on.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use rayon::prelude::*;

use super::progress::Progress;
use crate::sessions::{load, Session};

/// The files read, in the order given, and one line per file that failed.
pub struct Read {
    pub sessions: Vec<Session>,
    /// "FILE: reason", in the order given.
    pub failed: Vec<String>,
}

/// Reads every file; prints the failures under `failed inputs:` on stderr.
pub fn read_all(files: &[PathBuf]) -> Read {
    let progress = Progress::new(files.len());
    let outcomes: Vec<Result<Session, String>> = files
        .par_iter()
        .map(|path| {
            let shown = path.display().to_string();
            let outcome = match catch_unwind(AssertUnwindSafe(|| load(path))) {
                Ok(Ok(session)) => Ok(session),
                Ok(Err(e)) => {
                    let why = e.to_string();
                    Err(if why.contains(&shown) {
                        why
                    } else {
                        format!("{shown}: {why}")
                    })
                }
                Err(_) => Err(format!(
                    "{shown}: internal error (a panic, reported above); please report it with this file"
                )),
            };
            progress.done(&match &outcome {
                Ok(_) => shown,
                Err(e) => format!("FAILED {e}"),
            });
            outcome
        })
        .collect();
    progress.finish();
    let mut read = Read {
        sessions: Vec::new(),
        failed: Vec::new(),
    };
    for o in outcomes {
        match o {
            Ok(s) => read.sessions.push(s),
            Err(e) => read.failed.push(e),
        }
    }
    if !read.failed.is_empty() {
        eprintln!("failed inputs:");
        for line in &read.failed {
            eprintln!("  {line}");
        }
    }
    read
}

/// Whether `out` is one of `files` (an output must never replace an input).
pub fn is_an_input(out: &std::path::Path, files: &[PathBuf]) -> bool {
    let key = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    files.iter().any(|f| key(f) == key(out))
}
