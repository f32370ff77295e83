//! A chart's legend, drawn in a strip above the plot area instead of over the data: entries
//! flow left to right and wrap onto further rows, so no entry hides a line or another entry.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{text_width, FONT, LABEL_SIZE};

/// How an entry's sample is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// A short line.
    Line,
    /// A dot (a series of points).
    Dot,
    /// A lightly shaded block (spans, bands).
    Block,
    /// A solid block (bars).
    Bar,
    /// A short vertical tick (event markers).
    Tick,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub label: String,
    pub colour: RGBColor,
    pub sample: Sample,
}

/// Opacity of bar fills (and their legend samples).
pub const BAR_OPACITY: f64 = 0.8;

const ROW_HEIGHT: i32 = 22;
const SAMPLE_WIDTH: i32 = 22;
const GAP: i32 = 8;
const ENTRY_GAP: i32 = 22;
const LEFT: i32 = 12;

fn entry_width(e: &Entry) -> i32 {
    SAMPLE_WIDTH + GAP + text_width(&e.label, LABEL_SIZE)
}

/// Position of each entry (row, x) when the strip is `width` pixels wide.
fn layout(entries: &[Entry], width: i32) -> Vec<(i32, i32)> {
    let mut row = 0;
    let mut x = LEFT;
    entries
        .iter()
        .map(|e| {
            let w = entry_width(e);
            if x > LEFT && x + w > width - LEFT {
                row += 1;
                x = LEFT;
            }
            let at = (row, x);
            x += w + ENTRY_GAP;
            at
        })
        .collect()
}

/// Height in pixels of the strip that holds `entries` at this width (0 when empty).
pub fn height(entries: &[Entry], width: i32) -> i32 {
    match layout(entries, width).last() {
        Some((rows, _)) => (rows + 1) * ROW_HEIGHT + 6,
        None => 0,
    }
}

/// Draws `entries` into `area` (a strip [`height`] tall).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let width = area.dim_in_pixel().0 as i32;
    let font = (FONT, LABEL_SIZE).into_font();
    for (e, (row, x)) in entries.iter().zip(layout(entries, width)) {
        let y = 6 + row * ROW_HEIGHT + ROW_HEIGHT / 2;
        match e.sample {
            Sample::Line => area.draw(&PathElement::new(
                vec![(x, y), (x + SAMPLE_WIDTH, y)],
                e.colour.stroke_width(2),
            ))?,
            Sample::Dot => area.draw(&Circle::new(
                (x + SAMPLE_WIDTH / 2, y),
                4,
                e.colour.filled(),
            ))?,
            Sample::Block => area.draw(&Rectangle::new(
                [(x, y - 6), (x + SAMPLE_WIDTH, y + 6)],
                e.colour.mix(0.35).filled(),
            ))?,
            Sample::Bar => area.draw(&Rectangle::new(
                [(x, y - 6), (x + SAMPLE_WIDTH, y + 6)],
                e.colour.mix(BAR_OPACITY).filled(),
            ))?,
            Sample::Tick => area.draw(&PathElement::new(
                vec![(x + SAMPLE_WIDTH / 2, y - 8), (x + SAMPLE_WIDTH / 2, y + 8)],
                e.colour.stroke_width(2),
            ))?,
        }
        area.draw(&Text::new(
            e.label.clone(),
            (x + SAMPLE_WIDTH + GAP, y),
            TextStyle::from(font.clone())
                .pos(Pos::new(HPos::Left, VPos::Center))
                .color(&BLACK),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str) -> Entry {
        Entry {
            label: label.into(),
            colour: BLACK,
            sample: Sample::Line,
        }
    }

    #[test]
    fn entries_wrap_instead_of_overlapping() {
        let entries: Vec<Entry> = (0..6).map(|i| entry(&format!("channel_{i}_x"))).collect();
        let at = layout(&entries, 400);
        assert!(at.iter().any(|(row, _)| *row > 0), "some entries wrap");
        for w in at.windows(2).zip(&entries) {
            let ((r0, x0), (r1, x1)) = (w.0[0], w.0[1]);
            assert!(
                r1 > r0 || x1 >= x0 + entry_width(w.1),
                "no overlap in a row"
            );
        }
        assert_eq!(
            height(&entries, 400),
            (at.last().unwrap().0 + 1) * ROW_HEIGHT + 6
        );
        assert_eq!(height(&[], 400), 0);
    }
}
