//! The last section: every series of the page from its first session with a value to its
//! last, with the change and, for LSI and strength ratios, whether the weaker side is
//! catching up.

use crate::report::html::{num, paragraph, text, Table};
use crate::report::page::Section;

use super::super::trend::change;
use super::ChangeRow;

/// The "First → last" section.
pub fn section(labels: &[String], rows: &[ChangeRow]) -> Section {
    let mut t = Table::new(
        "changes",
        &[
            "measure",
            "name",
            "first session",
            "first",
            "last session",
            "last",
            "change",
            "weaker side",
        ],
    );
    let mut drawn = 0;
    for r in rows {
        let Some(c) = change(&r.series.values) else {
            continue;
        };
        drawn += 1;
        t.row(vec![
            text(&r.measure),
            text(&r.name),
            text(&labels[c.first]),
            num(c.from),
            text(&labels[c.last]),
            num(c.to),
            num(c.delta()),
            text(&r.progress),
        ]);
    }
    let body = if drawn == 0 {
        paragraph("note", "No values to compare.")
    } else {
        format!(
            "{}{}",
            paragraph(
                "note",
                "Each series from the first session that has it to the last; change = last − \
                 first. For LSI and strength ratios, \"catching up\" means the sides moved \
                 closer (LSI toward 100 %, ratio toward 1); LSI changes under 2 points and ratio \
                 changes under 0.02 count as unchanged."
            ),
            t.to_html()
        )
    };
    Section {
        id: "changes",
        title: "First → last session",
        body,
    }
}
