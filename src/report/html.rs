//! The small pieces of HTML the report is made of: escaped text, numbers written for
//! people, and tables. Every text that comes from a file (source, channel names, units)
//! goes through [`escape`] before it reaches the page.

use std::fmt::Write as _;

/// `text` safe inside HTML elements and quoted attributes.
///
/// ```
/// use myobalance::report::html::escape;
/// assert_eq!(escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number with four significant digits for a table cell; "–" for a missing value.
///
/// ```
/// use myobalance::report::html::number;
/// assert_eq!(number(f64::NAN), "–");
/// assert_eq!(number(79.1048), "79.10");
/// assert_eq!(number(-0.30931), "-0.3093");
/// assert_eq!(number(12345.6), "12346");
/// assert_eq!(number(0.0000421), "4.210e-5");
/// assert_eq!(number(0.0), "0");
/// ```
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "–".to_string()
        } else if v > 0.0 {
            "∞".to_string()
        } else {
            "−∞".to_string()
        };
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let magnitude = v.abs().log10().floor() as i32;
    if !(-3..6).contains(&magnitude) {
        return format!("{v:.3e}");
    }
    let decimals = (3 - magnitude).max(0) as usize;
    format!("{v:.decimals$}")
}

/// A setting written plainly: up to four decimals, no trailing zeros; "?" when missing.
///
/// ```
/// use myobalance::report::html::setting;
/// assert_eq!(setting(Some(0.25)), "0.25");
/// assert_eq!(setting(Some(4.0)), "4");
/// assert_eq!(setting(None), "?");
/// ```
pub fn setting(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => {
            let s = format!("{v:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        _ => "?".to_string(),
    }
}

/// A cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text from anywhere (escaped when written).
    Text(String),
    /// A number, right-aligned, written with [`number`].
    Number(f64),
    /// A count, right-aligned.
    Count(usize),
    /// A number with a fixed count of decimals, right-aligned ("–" when missing).
    Fixed(f64, usize),
}

/// An HTML table with a header row; each row a list of cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// `class` attribute of the `<table>`.
    pub class: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table with these column headings (plain text) and no rows.
    pub fn new(class: &str, header: &[&str]) -> Table {
        Table {
            class: class.to_string(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    /// The table as HTML.
    pub fn to_html(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "<table class=\"{}\">\n<thead><tr>",
            escape(&self.class)
        );
        for h in &self.header {
            let _ = write!(out, "<th>{}</th>", escape(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for cell in row {
                match cell {
                    Cell::Text(t) => {
                        let _ = write!(out, "<td>{}</td>", escape(t));
                    }
                    Cell::Number(v) => {
                        let _ = write!(out, "<td class=\"num\">{}</td>", number(*v));
                    }
                    Cell::Count(n) => {
                        let _ = write!(out, "<td class=\"num\">{n}</td>");
                    }
                    Cell::Fixed(v, d) if v.is_finite() => {
                        let _ = write!(out, "<td class=\"num\">{v:.d$}</td>");
                    }
                    Cell::Fixed(v, _) => {
                        let _ = write!(out, "<td class=\"num\">{}</td>", number(*v));
                    }
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
        out
    }
}

/// A text cell.
pub fn text(t: impl Into<String>) -> Cell {
    Cell::Text(t.into())
}

/// A number cell.
pub fn num(v: f64) -> Cell {
    Cell::Number(v)
}

/// A count cell.
pub fn count(n: usize) -> Cell {
    Cell::Count(n)
}

/// A cell with `decimals` decimals.
pub fn fixed(v: f64, decimals: usize) -> Cell {
    Cell::Fixed(v, decimals)
}

/// A paragraph of escaped text with a class (e.g. `note`).
pub fn paragraph(class: &str, t: &str) -> String {
    format!("<p class=\"{}\">{}</p>\n", escape(class), escape(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_escape_their_text() {
        let mut t = Table::new("x", &["name", "value <unit>"]);
        t.row(vec![text("<b>"), num(1.5)]);
        let html = t.to_html();
        assert!(html.contains("<th>value &lt;unit&gt;</th>"));
        assert!(html.contains("<td>&lt;b&gt;</td><td class=\"num\">1.500</td>"));
        assert_eq!(html.matches("<tr>").count(), 2);
    }

    #[test]
    fn numbers_read_well_at_every_scale() {
        assert_eq!(number(1.0), "1.000");
        assert_eq!(number(999.96), "1000.0");
        assert_eq!(number(123456.0), "123456");
        assert_eq!(number(1234567.0), "1.235e6");
        assert_eq!(number(0.001), "0.001000");
        assert_eq!(number(f64::INFINITY), "∞");
    }
}
