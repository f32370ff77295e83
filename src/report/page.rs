//! The page around the sections: the HTML document with its style sheet, a table of
//! contents, and what every section may ask about the file ([`Context`]).

use std::fmt::Write as _;

use crate::montage::{Channel, Montage, OnsetMethod};
use crate::results::{AttrValue, Event, EventKind, FeatureGroup, Results};
use crate::store::StoredFile;

use super::html::escape;

/// Width of a chart spanning the page, pixels.
pub const FULL_WIDTH: u32 = 1300;
/// Width of a chart in the two-column grid, pixels.
pub const HALF_WIDTH: u32 = 640;

/// The file a report is made of, with the questions sections ask about it.
pub struct Context<'a> {
    pub stored: &'a StoredFile,
    pub results: &'a Results,
}

impl<'a> Context<'a> {
    pub fn montage(&self) -> &'a Montage {
        &self.stored.recording.montage
    }

    /// Sample rate in Hz (NaN when the montage lacks one).
    pub fn sample_rate_hz(&self) -> f64 {
        self.montage().sample_rate_hz.unwrap_or(f64::NAN)
    }

    /// Length of the recording in seconds (0 when unknown).
    pub fn duration_s(&self) -> f64 {
        let d = self.stored.recording.samples.nrows() as f64 / self.sample_rate_hz();
        if d.is_finite() {
            d
        } else {
            0.0
        }
    }

    /// The x range of every time chart: the whole recording.
    pub fn time_range(&self) -> Option<(f64, f64)> {
        let d = self.duration_s();
        (d > 0.0).then_some((0.0, d))
    }

    /// The montage channel called `name`.
    pub fn channel(&self, name: &str) -> Option<&'a Channel> {
        self.montage().channels.iter().find(|c| c.name == name)
    }

    /// The unit of channel `name` ("" when unknown).
    pub fn unit(&self, name: &str) -> &'a str {
        self.channel(name).map_or("", |c| c.unit.as_str())
    }

    /// Times of events of `kind` on `channel`.
    pub fn event_times(&self, kind: EventKind, channel: &str) -> Vec<f64> {
        self.results
            .events
            .iter()
            .filter(|e| e.kind == kind && e.channel == channel && self.drives(e))
            .map(|e| e.time_s)
            .collect()
    }

    /// Whether event `e` is one the page shows: every event but the EMG onsets and
    /// offsets of the detectors stored only for comparison (their `text` names another
    /// detector than `[analysis] onset_method`).
    pub fn drives(&self, e: &Event) -> bool {
        !matches!(e.kind, EventKind::Onset | EventKind::Offset)
            || OnsetMethod::parse(&e.text).is_none_or(|m| m == self.montage().analysis.onset_method)
    }

    /// Whether the features were computed causally (as live), if the file says.
    pub fn causal(&self) -> Option<bool> {
        self.results
            .features
            .iter()
            .find_map(|g| match g.param("causal") {
                Some(AttrValue::Bool(b)) => Some(*b),
                _ => None,
            })
    }
}

/// A numeric parameter of a feature group.
pub fn param_f64(group: &FeatureGroup, name: &str) -> Option<f64> {
    match group.param(name)? {
        AttrValue::Float(v) => Some(*v),
        AttrValue::Int(v) => Some(*v as f64),
        _ => None,
    }
}

/// A two-number parameter (a band) of a feature group.
pub fn param_band(group: &FeatureGroup, name: &str) -> Option<[f64; 2]> {
    match group.param(name)? {
        AttrValue::Floats(v) if v.len() == 2 => Some([v[0], v[1]]),
        _ => None,
    }
}

/// The values of column `name` of table `table` in a feature group.
pub fn column(group: &FeatureGroup, table: &str, name: &str) -> Option<Vec<f64>> {
    let t = group.table(table)?;
    let k = t.columns.iter().position(|c| c == name)?;
    (k < t.values.ncols()).then(|| t.values.column(k).to_vec())
}

/// The column names of table `table` in a feature group (none when it is missing).
pub fn columns<'g>(group: &'g FeatureGroup, table: &str) -> &'g [String] {
    group.table(table).map_or(&[], |t| t.columns.as_slice())
}

/// One part of the page.
pub struct Section {
    /// Anchor, `[a-z]+`.
    pub id: &'static str,
    pub title: &'static str,
    /// HTML.
    pub body: String,
}

/// A chart with its caption; `svg` `None` becomes a short note instead.
///
/// The chart is made an inline element of the page: the XML namespace declaration (an
/// address the page would otherwise carry, though no browser fetches it) is dropped, as
/// HTML does not need it, and the caption becomes the chart's accessible name.
pub fn figure(caption: &str, svg: Option<String>) -> String {
    let caption = escape(caption);
    match svg {
        Some(svg) => {
            let svg = svg
                .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
                .replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{caption}\" "), 1);
            format!("<figure><figcaption>{caption}</figcaption>\n{svg}</figure>\n")
        }
        None => format!(
            "<figure><figcaption>{caption}</figcaption>\n<p class=\"note\">No values to draw.</p></figure>\n"
        ),
    }
}

/// Figures side by side, two per row on a wide screen.
pub fn grid(figures: &[String]) -> String {
    format!("<div class=\"grid\">\n{}</div>\n", figures.concat())
}

const STYLE: &str = "
body { font-family: sans-serif; margin: 20px 28px; color: #222; max-width: 1340px; }
h1 { font-size: 24px; margin: 0 0 4px 0; }
h2 { font-size: 20px; border-bottom: 2px solid #ddd; padding-bottom: 4px; margin-top: 34px; }
h3 { font-size: 17px; margin: 26px 0 4px 0; }
ul.glance { font-size: 16px; line-height: 1.5; padding-left: 22px; }
ul.glance li.flag { color: #b32020; }
nav { font-size: 14px; margin: 8px 0 4px 0; }
nav a { margin-right: 14px; color: #1f5f9f; }
table { border-collapse: collapse; font-size: 14px; margin: 8px 0 12px 0; }
th, td { border: 1px solid #ccc; padding: 4px 9px; text-align: left; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.facts th { width: 190px; }
figure { margin: 10px 0 16px 0; }
figcaption { font-size: 14px; font-weight: bold; margin-bottom: 2px; }
svg { display: block; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(640px, 1fr)); column-gap: 20px; }
.note { font-size: 14px; color: #555; }
.warn { color: #b32020; font-weight: bold; }
@media screen {
  .events { max-height: 420px; overflow-y: auto; display: inline-block; border: 1px solid #ddd; }
  .events table { margin: 0; }
}
";

/// The whole document.
pub fn document(title: &str, intro: &str, sections: &[Section]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n{intro}<nav>",
        escape(title),
        escape(title)
    );
    for s in sections {
        let _ = write!(out, "<a href=\"#{}\">{}</a>", s.id, escape(s.title));
    }
    out.push_str("</nav>\n");
    for s in sections {
        let _ = write!(
            out,
            "<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n",
            s.id,
            escape(s.title),
            s.body
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}
