//! Montage TOML text → [`Montage`]: syntax errors with line and column, serde errors
//! rewritten as key path and problem (`channels[1].gain: unknown key (expected one of
//! name, kind, …)`), then the full validation with each problem's line attached.

use std::ops::Range;

use toml_edit::{ImDocument, Item};

use super::error::{MontageError, Problem};
use super::locate::{text_line_col, KeyIndex};
use super::validate::problems;
use super::Montage;

/// `[analysis]` keys that hold a `[low, high]` pair. serde would silently drop a third
/// element, so their lengths are checked on the document.
const BAND_KEYS: [&str; 4] = [
    "bandpass_hz",
    "tremor_band_hz",
    "alarm_band_hz",
    "target_pct_mvc",
];

/// A TOML syntax error of montage `text`, with its line and column.
pub(crate) fn syntax_error(text: &str, origin: &str, e: &toml_edit::TomlError) -> MontageError {
    let (line, column) = text_line_col(text, e.span().map_or(0, |s| s.start));
    MontageError::Syntax {
        origin: origin.to_string(),
        line,
        column,
        message: e.message().trim().replace('\n', "; "),
    }
}

/// Parses and validates montage `text`; `origin` names it in errors.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Montage, MontageError> {
    let doc = ImDocument::parse(text).map_err(|e| syntax_error(text, origin, &e))?;
    let index = KeyIndex::new(&doc, text);
    let montage: Montage = toml::from_str(text).map_err(|e| {
        let mut problem = from_serde(e.message(), e.span(), &index);
        problem.line = index.line_of(&problem.key);
        MontageError::invalid(origin, vec![problem])
    })?;
    let mut found = band_lengths(&doc);
    found.extend(problems(&montage));
    if found.is_empty() {
        return Ok(montage);
    }
    for p in &mut found {
        p.line = index.line_of(&p.key);
    }
    // In the order of the file; problems without a line (keys left out) go last.
    found.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
    Err(MontageError::invalid(origin, found))
}

/// A serde error as a key path and a problem in the montage's words.
fn from_serde(message: &str, span: Option<Range<usize>>, index: &KeyIndex) -> Problem {
    let path = span
        .as_ref()
        .and_then(|s| index.path_at(s.start))
        .unwrap_or("")
        .to_string();
    if let Some((name, rest)) = ticked(message, "unknown field `") {
        let expected = rest.trim_start_matches(", ").replace('`', "");
        let hint = suggestion(name, &expected);
        return Problem::new(path, format!("unknown key{hint} ({expected})"));
    }
    if let Some((value, rest)) = ticked(message, "unknown variant `") {
        let expected = rest.trim_start_matches(", ").replace('`', "");
        return Problem::new(path, format!("unknown value \"{value}\" ({expected})"));
    }
    if let Some((name, _)) = ticked(message, "missing field `") {
        let table = span.as_ref().map_or("", |s| index.table_at(s));
        let key = if table.is_empty() {
            name.to_string()
        } else {
            format!("{table}.{name}")
        };
        return Problem::new(key, "required key is missing");
    }
    if let Some(n) = message
        .strip_prefix("invalid length ")
        .and_then(|rest| rest.split_once(','))
        .map(|(n, _)| n)
    {
        // Only the `[low, high]` bands have a fixed length.
        return Problem::new(path, band_length(n));
    }
    let hint = match path.as_str() {
        "mains_hz" => Some("must be 50 or 60"),
        "analysis.alarm_consecutive" => Some("must be a whole number ≥ 1"),
        _ => None,
    };
    if let Some(hint) = hint {
        // serde's own "expected u32" would contradict the hint.
        let found = message.split(", expected").next().unwrap_or(message);
        let found = found
            .trim_start_matches("invalid value: ")
            .trim_start_matches("invalid type: ")
            .replace('`', "");
        return Problem::new(path, format!("{hint}, not {found}"));
    }
    let text = message
        .replace('`', "")
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number ≥ 0")
        .replace("expected a sequence", "expected an array");
    Problem::new(path, text)
}

/// For `message` = `prefix` + `word` + "`" + `rest`: `(word, rest)`.
fn ticked<'a>(message: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    message.strip_prefix(prefix)?.split_once('`')
}

/// `; did you mean "mvc"?` when an expected key is one or two edits from `name`.
fn suggestion(name: &str, expected: &str) -> String {
    let candidates = expected
        .trim_start_matches("expected one of ")
        .trim_start_matches("expected ")
        .split([',', ' '])
        .filter(|w| !w.is_empty() && *w != "or");
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, _)| d <= 2)
        .min_by_key(|&(d, _)| d)
        .map_or(String::new(), |(_, c)| format!("; did you mean \"{c}\"?"))
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

fn band_length(n: &str) -> String {
    let plural = if n == "1" { "" } else { "s" };
    format!("must be [low, high] (2 numbers), not {n} number{plural}")
}

/// Band keys whose arrays do not hold exactly two numbers.
fn band_lengths(doc: &ImDocument<&str>) -> Vec<Problem> {
    let Some(analysis) = doc.get("analysis") else {
        return Vec::new();
    };
    BAND_KEYS
        .iter()
        .filter_map(|&key| {
            let n = match analysis.get(key)? {
                Item::Value(v) => v.as_array()?.len(),
                _ => return None,
            };
            (n != 2).then(|| Problem::new(format!("analysis.{key}"), band_length(&n.to_string())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("mvc", "mvc"), 0);
        assert_eq!(edit_distance("mcv", "mvc"), 2);
        assert_eq!(edit_distance("scal", "scale"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggests_the_nearest_expected_key() {
        let expected = "expected one of name, kind, unit, side, scale, offset, mvc";
        assert_eq!(suggestion("scal", expected), "; did you mean \"scale\"?");
        assert_eq!(suggestion("gain", expected), "");
        assert_eq!(
            suggestion("nme", "expected name or kind"),
            "; did you mean \"name\"?"
        );
    }
}
