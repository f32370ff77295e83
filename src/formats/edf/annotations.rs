//! EDF+ annotations: the `EDF Annotations` / `BDF Annotations` signals hold, in each data
//! record, Time-stamped Annotation Lists (TALs) as bytes:
//! `+onset[0x15 duration] 0x14 text 0x14 [text 0x14 …] 0x00`, one after the other, the
//! rest of the record padded with 0x00. Onsets are seconds after the header's start
//! time, with a sign; durations have none.
//!
//! The first TAL of each record in the first annotation signal is the record's
//! time-keeping stamp: its onset is when that record starts (the EDF+D gaps and the
//! sub-second start come from it) and its empty text is not an annotation. Every other
//! non-empty text is one annotation; empty texts are dropped. Texts are UTF-8 (EDF+
//! allows it in annotations), invalid bytes replaced.
//!
//! A malformed TAL does not make the file unreadable: the rest of that record's
//! annotations are skipped and a warning says where.

use super::header::Header;
use crate::formats::Annotation;

/// Byte that ends an onset (before the texts) and every text.
const TEXT_END: u8 = 0x14;
/// Byte between onset and duration.
const DURATION_MARK: u8 = 0x15;
/// Byte that ends a TAL and pads the rest of the record.
const TAL_END: u8 = 0x00;
/// Malformed TALs described one by one; any more are only counted.
const WARNINGS_SHOWN: usize = 3;
/// Most decimals a difference of onsets is rounded back to: 10^15 is still exact in f64.
/// (A scaled difference that reaches 2^53 is no longer exact either; then
/// [`Seconds::since`] keeps the plain difference.)
const MAX_DECIMALS: u32 = 15;
/// Largest integer every f64 below it represents exactly.
const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// An onset as written: its value and how many decimals the file gave.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Seconds {
    pub value: f64,
    pub decimals: u32,
}

impl Seconds {
    /// `self − earlier`, rounded to the decimals the two were written with, so that
    /// "+0.35" − "+0.25" is 0.1 as the file means it, not 0.09999999999999998.
    pub fn since(self, earlier: Seconds) -> f64 {
        let difference = self.value - earlier.value;
        let decimals = self.decimals.max(earlier.decimals);
        if decimals > MAX_DECIMALS {
            return difference;
        }
        let scale = 10f64.powi(decimals as i32);
        let scaled = (difference * scale).round();
        if scaled.abs() >= EXACT_INTEGER {
            return difference;
        }
        scaled / scale
    }
}

/// An annotation whose time is still the onset as written (after the header's start).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Noted {
    pub onset: Seconds,
    /// `time_s` is filled in once the first record's onset is known.
    pub annotation: Annotation,
}

/// One Time-stamped Annotation List.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tal<'a> {
    /// Seconds after the header's start time.
    pub onset: Seconds,
    pub duration_s: Option<f64>,
    /// The texts as stored (possibly empty).
    pub texts: Vec<&'a [u8]>,
}

/// What the annotation signals say.
#[derive(Debug, Clone, Default)]
pub(super) struct Timeline {
    /// Each record's start (seconds after the header's start time) from its
    /// time-keeping TAL; empty when the file has no annotation signal, `None` for a
    /// record whose stamp is missing or malformed.
    pub record_onsets: Vec<Option<Seconds>>,
    /// Annotations in file order, with onsets as stored.
    pub annotations: Vec<Noted>,
    pub warnings: Vec<String>,
}

/// Reads every annotation signal of `data` (exactly `records` complete records).
pub(super) fn collect(header: &Header, data: &[u8], records: usize) -> Timeline {
    let mut timeline = Timeline::default();
    let mut problems: Vec<String> = Vec::new();
    let mut problem_count = 0usize;
    let mut first = true;
    for (index, spec) in header.signals.iter().enumerate() {
        if !spec.annotations {
            continue;
        }
        let keeps_time = first;
        first = false;
        if keeps_time {
            timeline.record_onsets = Vec::with_capacity(records);
        }
        let start = spec.record_offset;
        let end = start.saturating_add(spec.record_span(header.family));
        for (r, record) in data
            .chunks_exact(header.record_bytes.max(1))
            .take(records)
            .enumerate()
        {
            let bytes = record.get(start..end).unwrap_or(&[]);
            let (tals, problem) = parse_tals(bytes);
            if let Some(problem) = problem {
                problem_count += 1;
                if problems.len() < WARNINGS_SHOWN {
                    problems.push(format!(
                        "annotations in data record {} of signal {} (\"{}\"): {problem}; the \
                         rest of that record's annotations were skipped",
                        r + 1,
                        index + 1,
                        spec.label
                    ));
                }
            }
            let mut tals = tals.into_iter();
            if keeps_time {
                timeline.record_onsets.push(tals.next().map(|tal| {
                    push_texts(&mut timeline.annotations, &tal);
                    tal.onset
                }));
            }
            for tal in tals {
                push_texts(&mut timeline.annotations, &tal);
            }
        }
    }
    timeline.warnings = problems;
    if problem_count > WARNINGS_SHOWN {
        timeline.warnings.push(format!(
            "{} more data records had malformed annotations",
            problem_count - WARNINGS_SHOWN
        ));
    }
    timeline
}

/// One annotation per non-empty text of `tal`.
fn push_texts(out: &mut Vec<Noted>, tal: &Tal) {
    for text in &tal.texts {
        if text.is_empty() {
            continue;
        }
        out.push(Noted {
            onset: tal.onset,
            annotation: Annotation {
                time_s: tal.onset.value,
                duration_s: tal.duration_s.unwrap_or(f64::NAN),
                text: String::from_utf8_lossy(text).into_owned(),
            },
        });
    }
}

/// The TALs of one record's annotation bytes, and what stopped the reading early, if
/// anything did.
pub(super) fn parse_tals(bytes: &[u8]) -> (Vec<Tal<'_>>, Option<String>) {
    let mut tals = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = bytes.get(pos..).unwrap_or(&[]);
        // Padding between or after TALs.
        if rest.first() == Some(&TAL_END) {
            pos += 1;
            continue;
        }
        let Some(len) = rest.iter().position(|&b| b == TAL_END) else {
            return (
                tals,
                Some(format!(
                    "the annotation starting at byte {pos} is not ended by a 0 byte before \
                     the record ends"
                )),
            );
        };
        match parse_tal(rest.get(..len).unwrap_or(&[])) {
            Ok(tal) => tals.push(tal),
            Err(problem) => return (tals, Some(format!("at byte {pos}, {problem}"))),
        }
        pos += len + 1;
    }
    (tals, None)
}

/// One TAL without its closing 0 byte.
fn parse_tal(bytes: &[u8]) -> Result<Tal<'_>, String> {
    let Some(body) = bytes.strip_suffix(&[TEXT_END]) else {
        return Err("the annotation does not end with byte 20 before its 0 byte".into());
    };
    let mut parts = body.split(|&b| b == TEXT_END);
    let timing = parts.next().unwrap_or(&[]);
    let mut timing_parts = timing.splitn(2, |&b| b == DURATION_MARK);
    let onset = timing_parts.next().unwrap_or(&[]);
    let onset = parse_onset(onset).ok_or_else(|| {
        format!(
            "the onset \"{}\" is not a signed number of seconds such as +12.5",
            String::from_utf8_lossy(onset)
        )
    })?;
    let duration_s = match timing_parts.next() {
        Some(d) => Some(
            parse_unsigned(d)
                .ok_or_else(|| {
                    format!(
                        "the duration \"{}\" is not a number of seconds such as 2.5",
                        String::from_utf8_lossy(d)
                    )
                })?
                .value,
        ),
        None => None,
    };
    Ok(Tal {
        onset,
        duration_s,
        texts: parts.collect(),
    })
}

/// `+12.5` or `-0.065`: the sign is required.
fn parse_onset(text: &[u8]) -> Option<Seconds> {
    let (&sign, digits) = text.split_first()?;
    let magnitude = parse_unsigned(digits)?;
    match sign {
        b'+' => Some(magnitude),
        b'-' => Some(Seconds {
            value: -magnitude.value,
            ..magnitude
        }),
        _ => None,
    }
}

/// Digits with at most one decimal point (`12`, `0.25`, `3.`).
fn parse_unsigned(text: &[u8]) -> Option<Seconds> {
    let digits = text.iter().filter(|b| b.is_ascii_digit()).count();
    let points = text.iter().filter(|&&b| b == b'.').count();
    if digits == 0 || points > 1 || digits + points != text.len() {
        return None;
    }
    let decimals = text
        .iter()
        .position(|&b| b == b'.')
        .map_or(0, |p| text.len() - p - 1);
    Some(Seconds {
        value: std::str::from_utf8(text).ok()?.parse::<f64>().ok()?,
        decimals: u32::try_from(decimals).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tals_as_the_edf_plus_spec_writes_them() {
        let bytes = b"+0\x14\x14\x00+1.5\x152\x14MVC start\x14\x00-0.25\x14A\x14B\x14\x00\x00\x00";
        let (tals, problem) = parse_tals(bytes);
        assert_eq!(problem, None);
        assert_eq!(tals.len(), 3);
        assert_eq!((tals[0].onset.value, tals[0].duration_s), (0.0, None));
        assert_eq!(tals[0].texts, vec![&b""[..]]);
        assert_eq!((tals[1].onset.value, tals[1].duration_s), (1.5, Some(2.0)));
        assert_eq!(tals[1].onset.decimals, 1);
        assert_eq!(tals[1].texts, vec![&b"MVC start"[..]]);
        assert_eq!(
            tals[2].onset,
            Seconds {
                value: -0.25,
                decimals: 2
            }
        );
        assert_eq!(tals[2].texts, vec![&b"A"[..], &b"B"[..]]);
    }

    #[test]
    fn malformed_tals_stop_the_record_with_a_reason() {
        let (tals, problem) = parse_tals(b"+1\x14ok\x14\x0012\x14no sign\x14\x00");
        assert_eq!(tals.len(), 1);
        assert!(problem.unwrap().contains("onset \"12\""));
        let (_, problem) = parse_tals(b"+1\x14unterminated");
        assert!(problem.unwrap().contains("not ended by a 0 byte"));
        let (_, problem) = parse_tals(b"+1\x15-2\x14x\x14\x00");
        assert!(problem.unwrap().contains("duration \"-2\""));
        let (_, problem) = parse_tals(b"+1\x14x\x00");
        assert!(problem.unwrap().contains("byte 20"));
        assert_eq!(parse_onset(b"+1e3"), None);
        assert_eq!(parse_onset(b"+"), None);
        assert_eq!(parse_onset(b"+1.2.3"), None);
    }

    #[test]
    fn onset_differences_are_the_decimal_ones() {
        let at = |text: &[u8]| parse_onset(text).unwrap();
        assert_eq!(at(b"+0.35").since(at(b"+0.25")), 0.1);
        assert_eq!(at(b"+1.6").since(at(b"+0.25")), 1.35);
        assert_eq!(at(b"+3").since(at(b"-0.125")), 3.125);
        // Too many decimals to round back: the plain difference.
        let long = at(b"+0.1234567890123456789");
        assert_eq!(long.since(at(b"+0")), long.value);
    }
}
