//! Where things go: the header and the alarm banner on top, then as many feature rows as
//! the terminal has lines for. Nothing here panics at any size: a section that has no room
//! is dropped or cut (its title then says how many rows are hidden), bars go before
//! numbers, and numbers go whole.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::bar::Bar;
use super::format::{fit, width};
use super::header::{self, KEYS};
use super::sections::{sections, Gauge, Row, Section};
use super::snapshot::Snapshot;

/// From this height on, the source gets a line of its own above the status line.
const SOURCE_LINE_MIN_HEIGHT: u16 = 12;
/// Narrower than this, a bar says too little to be worth its cells and is left out.
const MIN_BAR_WIDTH: usize = 8;
/// A long channel name takes at most this share of the width.
const MAX_NAME_SHARE: usize = 3;

/// Draws `snap` over the whole frame. Pure: reads the snapshot, writes the frame's buffer.
pub fn draw(frame: &mut Frame, snap: &Snapshot) {
    let area = frame.area();
    if area.is_empty() {
        return;
    }
    let w = usize::from(area.width);
    let mut top = Vec::with_capacity(3);
    let banner = header::banner(snap, w);
    if area.height == 1 && banner.is_some() {
        // One line only: the alarm matters more than the counters.
    } else if area.height >= SOURCE_LINE_MIN_HEIGHT {
        let (source, keys_shown) = with_keys(header::source(snap, w.saturating_sub(keys_gap())), w);
        top.push(source);
        top.push(if keys_shown {
            header::status(snap, w)
        } else {
            with_keys(header::status(snap, w), w).0
        });
    } else {
        let status = header::status(snap, w.saturating_sub(keys_gap()));
        top.push(with_keys(status, w).0);
    }
    let mut y = area.y;
    for line in top {
        if y < area.bottom() {
            frame.render_widget(line, Rect::new(area.x, y, area.width, 1));
            y += 1;
        }
    }
    if let Some(text) = banner {
        if y < area.bottom() {
            let row = Rect::new(area.x, y, area.width, 1);
            frame.buffer_mut().set_style(row, header::banner_style());
            frame.render_widget(Line::styled(text, header::banner_style()), row);
            y += 1;
        }
    }
    let body = Rect::new(area.x, y, area.width, area.bottom() - y);
    draw_body(frame, body, &sections(snap));
}

/// Cells the key help needs at the right of a line, with two spaces before it.
fn keys_gap() -> usize {
    width(KEYS) + 2
}

/// `line` with the key help appended at the right edge of `w` cells, when both fit.
fn with_keys(mut line: Line<'static>, w: usize) -> (Line<'static>, bool) {
    let used = line.width();
    if used + keys_gap() > w {
        return (line, false);
    }
    line.spans
        .push(Span::raw(" ".repeat(w - used - width(KEYS))));
    line.spans
        .push(Span::styled(KEYS, Style::new().fg(Color::DarkGray)));
    (line, true)
}

/// Lines given to each section (its title included; 0 hides it) out of `lines`.
///
/// Lines are dealt one at a time to each section in turn, so when space is short every
/// section keeps a few rows before any keeps all of them; showing a section at all costs
/// two lines (its title and one row).
pub(super) fn allocate(rows: &[usize], lines: usize) -> Vec<usize> {
    let mut given = vec![0; rows.len()];
    let mut left = lines;
    loop {
        let mut dealt = false;
        for (g, &n) in given.iter_mut().zip(rows) {
            let cost = if *g == 0 { 2 } else { 1 };
            if n > 0 && *g < n + 1 && cost <= left {
                *g += cost;
                left -= cost;
                dealt = true;
            }
        }
        if !dealt {
            return given;
        }
    }
}

fn draw_body(frame: &mut Frame, body: Rect, sections: &[Section]) {
    if body.is_empty() {
        return;
    }
    if sections.is_empty() {
        let note = Line::styled("no feature rows yet", Style::new().fg(Color::DarkGray));
        frame.render_widget(note, Rect::new(body.x, body.y, body.width, 1));
        return;
    }
    let rows: Vec<usize> = sections.iter().map(|s| s.rows.len()).collect();
    let given = allocate(&rows, usize::from(body.height));
    let used: usize = given.iter().sum();
    let shown = given.iter().filter(|&&g| g > 0).count();
    let spare = usize::from(body.height) - used;
    // Blank lines between sections, and above the first, while spare lines last.
    let blank_above = |k: usize| {
        if k == 0 {
            spare >= shown
        } else {
            spare + 1 >= shown
        }
    };

    let visible_rows = sections
        .iter()
        .zip(&given)
        .flat_map(|(s, &g)| s.rows.iter().take(g.saturating_sub(1)));
    let columns = Columns::new(usize::from(body.width), visible_rows);

    let mut y = body.y;
    for (k, (section, &lines)) in sections
        .iter()
        .zip(&given)
        .filter(|(_, &g)| g > 0)
        .enumerate()
    {
        if blank_above(k) {
            y += 1;
        }
        let shown_rows = (lines - 1).min(section.rows.len());
        let hidden = section.rows.len() - shown_rows;
        let mut title = vec![Span::styled(
            section.title,
            Style::new().fg(section.color).add_modifier(Modifier::BOLD),
        )];
        if hidden > 0 {
            title.push(Span::styled(
                format!(
                    "+{hidden} {} hidden, enlarge the terminal",
                    if hidden == 1 { "row" } else { "rows" }
                ),
                Style::new().fg(Color::Yellow),
            ));
        }
        title.push(Span::styled(
            section.legend,
            Style::new().fg(Color::DarkGray),
        ));
        let title = fit(title, usize::from(body.width));
        frame.render_widget(title, Rect::new(body.x, y, body.width, 1));
        y += 1;
        for row in &section.rows[..shown_rows] {
            draw_row(
                frame,
                Rect::new(body.x, y, body.width, 1),
                &columns,
                section,
                row,
            );
            y += 1;
        }
    }
}

/// Widths of the three columns of a row: name, bar (0 when left out) and text.
struct Columns {
    name: usize,
    bar: usize,
    text: usize,
}

impl Columns {
    fn new<'a>(w: usize, rows: impl Iterator<Item = &'a Row>) -> Columns {
        let (mut name, mut text) = (0, 0);
        for row in rows {
            name = name.max(width(&row.name));
            text = text.max(fit(row.text.clone(), usize::MAX).width());
        }
        let name = name.min(w / MAX_NAME_SHARE).max(1);
        let rest = w.saturating_sub(name + 1);
        if rest >= text + 1 + MIN_BAR_WIDTH {
            Columns {
                name,
                bar: rest - text - 1,
                text,
            }
        } else {
            Columns {
                name,
                bar: 0,
                text: rest,
            }
        }
    }
}

fn draw_row(frame: &mut Frame, line: Rect, columns: &Columns, section: &Section, row: &Row) {
    let name_style = if row.alarm {
        Style::new()
            .fg(Color::White)
            .bg(Color::Red)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    let cell = |x: usize, w: usize| {
        let x = line.x.saturating_add(x as u16).min(line.right());
        Rect::new(x, line.y, (w as u16).min(line.right() - x), 1)
    };
    frame.render_widget(
        Span::styled(row.name.clone(), name_style),
        cell(0, columns.name),
    );
    let bar_color = if row.alarm { Color::Red } else { section.color };
    let bar_style = Style::new().fg(bar_color);
    let bar_x = columns.name + 1;
    if columns.bar > 0 {
        match row.gauge {
            Gauge::Single(ratio) => {
                frame.render_widget(Bar::new(ratio, bar_style), cell(bar_x, columns.bar));
            }
            Gauge::Split { left, right } => {
                let half = (columns.bar - 1) / 2;
                let left_bar = Bar {
                    from_right: true,
                    ..Bar::new(left, bar_style)
                };
                frame.render_widget(left_bar, cell(bar_x, half));
                frame.render_widget(Span::raw("│"), cell(bar_x + half, 1));
                let right_w = columns.bar - 1 - half;
                frame.render_widget(Bar::new(right, bar_style), cell(bar_x + half + 1, right_w));
            }
        }
    }
    let text_x = if columns.bar > 0 {
        bar_x + columns.bar + 1
    } else {
        bar_x
    };
    frame.render_widget(
        fit(row.text.clone(), columns.text),
        cell(text_x, columns.text),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocate_gives_everything_when_it_fits() {
        assert_eq!(allocate(&[4, 2, 6, 2], 40), [5, 3, 7, 3]);
    }

    #[test]
    fn allocate_shares_lines_in_turn() {
        assert_eq!(allocate(&[4, 2, 6, 2], 8), [2, 2, 2, 2]);
        assert_eq!(allocate(&[4, 2, 6, 2], 11), [3, 3, 3, 2]);
        assert_eq!(allocate(&[4, 2, 6, 2], 5), [3, 2, 0, 0]);
        assert_eq!(allocate(&[4, 0, 6], 1), [0, 0, 0]);
        assert_eq!(allocate(&[], 10), Vec::<usize>::new());
    }
}
