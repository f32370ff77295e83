//! Where things are in montage TOML text: an index from key paths (`channels[2].name`,
//! `analysis.bandpass_hz[1]`) to byte spans, used both ways — from the span of a parse
//! error to the key it concerns, and from the key of a validation problem to its line.
//! It reads spans only; what the keys mean is the business of the other montage modules.

use std::ops::Range;

use toml_edit::{ImDocument, Item, Table, Value};

/// What an indexed span covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Key,
    Value,
    /// A `[table]` or `[[table]]` with its body, or an inline `{ ... }` table.
    Table,
}

#[derive(Debug, Clone)]
struct Entry {
    path: String,
    span: Range<usize>,
    part: Part,
}

/// Key paths of a parsed document with their spans, and the text's line starts.
#[derive(Debug, Clone)]
pub(crate) struct KeyIndex {
    entries: Vec<Entry>,
    line_starts: Vec<usize>,
}

impl KeyIndex {
    /// Indexes every key, value and table of `doc`, parsed from `text`.
    pub(crate) fn new(doc: &ImDocument<&str>, text: &str) -> KeyIndex {
        let mut entries = Vec::new();
        walk_table(doc.as_table(), "", &mut entries);
        KeyIndex {
            entries,
            line_starts: line_starts(text),
        }
    }

    /// The innermost key path whose key, value or table contains byte `offset`.
    pub(crate) fn path_at(&self, offset: usize) -> Option<&str> {
        self.entries
            .iter()
            .filter(|e| e.span.start <= offset && offset < e.span.end.max(e.span.start + 1))
            .min_by_key(|e| e.span.len())
            .map(|e| e.path.as_str())
    }

    /// The path of the table (or inline table) spanning exactly `span`; the root table
    /// (`""`) when none does, as serde reports a key missing at the root with the span of
    /// the root's body.
    pub(crate) fn table_at(&self, span: &Range<usize>) -> &str {
        self.entries
            .iter()
            .find(|e| e.part != Part::Key && e.span == *span)
            .map_or("", |e| e.path.as_str())
    }

    /// 1-based line of `path`: where its key is written, else its table header; for a key
    /// that is not in the text (a default), the line of the nearest enclosing table that is.
    pub(crate) fn line_of(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            let found = [Part::Key, Part::Table, Part::Value]
                .iter()
                .find_map(|part| {
                    self.entries
                        .iter()
                        .find(|e| e.part == *part && e.path == path)
                });
            if let Some(e) = found {
                return Some(line_col(&self.line_starts, e.span.start).0);
            }
            path = parent(path)?;
        }
    }
}

/// 1-based line and column of byte `offset` in `text`, for errors raised before an index
/// exists (syntax errors).
pub(crate) fn text_line_col(text: &str, offset: usize) -> (usize, usize) {
    let starts = line_starts(text);
    let (line, _) = line_col(&starts, offset);
    let start = starts[line - 1];
    let end = offset.min(text.len());
    let column = text
        .get(start..end)
        .map_or(end - start, |s| s.chars().count())
        + 1;
    (line, column)
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn line_col(starts: &[usize], offset: usize) -> (usize, usize) {
    // `starts[0] == 0`, so the partition point is at least 1.
    let line = starts.partition_point(|&s| s <= offset);
    (line, offset - starts[line - 1] + 1)
}

/// `channels[2].name` → `channels[2]` → `channels`; `None` at the top.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn walk_table(table: &Table, path: &str, out: &mut Vec<Entry>) {
    for (name, item) in table.iter() {
        let child = join(path, name);
        if let Some(span) = table.key(name).and_then(|k| k.span()) {
            out.push(Entry {
                path: child.clone(),
                span,
                part: Part::Key,
            });
        }
        walk_item(item, &child, out);
    }
}

fn walk_item(item: &Item, path: &str, out: &mut Vec<Entry>) {
    match item {
        Item::None => {}
        Item::Value(value) => walk_value(value, path, out),
        Item::Table(table) => {
            push_table(table.span(), path, out);
            walk_table(table, path, out);
        }
        Item::ArrayOfTables(tables) => {
            for (i, table) in tables.iter().enumerate() {
                let child = format!("{path}[{i}]");
                push_table(table.span(), &child, out);
                walk_table(table, &child, out);
            }
        }
    }
}

fn walk_value(value: &Value, path: &str, out: &mut Vec<Entry>) {
    if let Some(span) = value.span() {
        let part = if value.is_inline_table() {
            Part::Table
        } else {
            Part::Value
        };
        out.push(Entry {
            path: path.to_string(),
            span,
            part,
        });
    }
    match value {
        Value::Array(array) => {
            for (i, element) in array.iter().enumerate() {
                walk_value(element, &format!("{path}[{i}]"), out);
            }
        }
        Value::InlineTable(table) => {
            for (name, element) in table.iter() {
                let child = join(path, name);
                if let Some(span) = table.key(name).and_then(|k| k.span()) {
                    out.push(Entry {
                        path: child.clone(),
                        span,
                        part: Part::Key,
                    });
                }
                walk_value(element, &child, out);
            }
        }
        _ => {}
    }
}

fn push_table(span: Option<Range<usize>>, path: &str, out: &mut Vec<Entry>) {
    if let Some(span) = span {
        out.push(Entry {
            path: path.to_string(),
            span,
            part: Part::Table,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "mains_hz = 50\n\n[[channels]]\nname = \"a\"\nkind = \"emg\"\n\n\
                        [[channels]]\nname = \"b\"\n\n[analysis]\nbandpass_hz = [20, 450]\n";

    fn index() -> KeyIndex {
        let doc = ImDocument::parse(TEXT).expect("valid TOML");
        KeyIndex::new(&doc, TEXT)
    }

    #[test]
    fn lines_of_keys_tables_and_defaults() {
        let index = index();
        assert_eq!(index.line_of("mains_hz"), Some(1));
        assert_eq!(index.line_of("channels[0]"), Some(3));
        assert_eq!(index.line_of("channels[1].name"), Some(8));
        // Not written: the enclosing table's header.
        assert_eq!(index.line_of("channels[1].kind"), Some(7));
        assert_eq!(index.line_of("analysis.rms_window_s"), Some(10));
        assert_eq!(index.line_of("analysis.bandpass_hz[1]"), Some(11));
        assert_eq!(index.line_of("sample_rate_hz"), None);
    }

    #[test]
    fn offsets_map_to_the_innermost_path() {
        let index = index();
        let at = |needle: &str| index.path_at(TEXT.find(needle).expect("in text"));
        assert_eq!(at("\"b\""), Some("channels[1].name"));
        assert_eq!(at("450"), Some("analysis.bandpass_hz[1]"));
        assert_eq!(at("kind"), Some("channels[0].kind"));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(text_line_col("a\nµb = ?", 5), (2, 3));
        assert_eq!(text_line_col("abc", 0), (1, 1));
    }
}
