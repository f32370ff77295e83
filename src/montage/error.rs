//! What can go wrong with a montage, worded for the person who wrote the file: every
//! message names the file (or where the montage came from), the key and the problem, and
//! the line when the montage was read from TOML text.

use std::fmt;

use thiserror::Error;

/// One thing wrong with a montage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Key path, e.g. `channels[2].name` or `analysis.rms_window_s`.
    pub key: String,
    /// 1-based line in the TOML text, when the montage came from text.
    pub line: Option<usize>,
    /// What is wrong and, where it helps, what would be right.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(key: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            key: key.into(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    /// `line 14: channels[2].name: duplicate name "biceps_l" (first used by channels[0])`,
    /// without the `line N: ` part when the line is not known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// Why a montage could not be loaded, validated or edited.
#[derive(Debug, Error)]
pub enum MontageError {
    /// The file could not be read.
    #[error("montage {path}: cannot read the file: {error}")]
    Read { path: String, error: std::io::Error },
    /// The text is not TOML.
    #[error("montage {origin}: line {line}, column {column}: not valid TOML: {message}")]
    Syntax {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The text is TOML but the montage is wrong; `problems` is never empty.
    #[error("{}", display_invalid(origin, problems))]
    Invalid {
        origin: String,
        problems: Vec<Problem>,
    },
}

impl MontageError {
    /// The problems of an `Invalid` montage (empty for the other variants).
    pub fn problems(&self) -> &[Problem] {
        match self {
            MontageError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }

    pub(crate) fn invalid(origin: &str, problems: Vec<Problem>) -> MontageError {
        MontageError::Invalid {
            origin: origin.to_string(),
            problems,
        }
    }
}

/// One problem on one line; several as an indented list under a count.
fn display_invalid(origin: &str, problems: &[Problem]) -> String {
    match problems {
        [one] => format!("montage {origin}: {one}"),
        many => {
            let mut text = format!("montage {origin}: {} problems:", many.len());
            for p in many {
                text.push_str("\n  ");
                text.push_str(&p.to_string());
            }
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_problem_reads_as_one_line() {
        let e = MontageError::invalid(
            "lab.toml",
            vec![Problem::new(
                "channels[2].name",
                "duplicate name \"biceps_l\" (first used by channels[0])",
            )],
        );
        assert_eq!(
            e.to_string(),
            "montage lab.toml: channels[2].name: duplicate name \"biceps_l\" (first used by channels[0])"
        );
    }

    #[test]
    fn several_problems_are_listed_with_lines() {
        let mut a = Problem::new("mains_hz", "must be 50 or 60, not 55");
        a.line = Some(2);
        let b = Problem::new("channels", "no channels");
        let e = MontageError::invalid("lab.toml", vec![a, b]);
        assert_eq!(
            e.to_string(),
            "montage lab.toml: 2 problems:\n  line 2: mains_hz: must be 50 or 60, not 55\n  channels: no channels"
        );
    }
}
