//! One-row bars: `█` for the filled cells, `░` for the rest, so the fill can be read (and
//! tested) cell by cell, in colour or not. A bar of width w at ratio r fills `round(r·w)`
//! cells; an unknown ratio fills none.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::Widget;

/// Symbol of a filled cell.
pub(super) const FILLED: &str = "█";
/// Symbol of an empty cell.
pub(super) const EMPTY: &str = "░";

/// A horizontal bar on the first row of its area.
pub(super) struct Bar {
    /// Filled share, 0 to 1; `None` when unknown.
    pub ratio: Option<f64>,
    /// Style of the filled cells.
    pub style: Style,
    /// Fill from the right edge towards the left (the left half of a balance bar).
    pub from_right: bool,
}

impl Bar {
    /// A bar filling from the left.
    pub fn new(ratio: Option<f64>, style: Style) -> Bar {
        Bar {
            ratio,
            style,
            from_right: false,
        }
    }
}

/// Filled cells of a bar `width` cells wide at `ratio`.
pub(super) fn filled_cells(ratio: Option<f64>, width: u16) -> u16 {
    match ratio {
        Some(r) if r.is_finite() => (r.clamp(0.0, 1.0) * f64::from(width)).round() as u16,
        _ => 0,
    }
}

impl Widget for Bar {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let filled = filled_cells(self.ratio, area.width);
        let empty_style = Style::new().fg(Color::DarkGray);
        for i in 0..area.width {
            let is_filled = if self.from_right {
                i >= area.width - filled
            } else {
                i < filled
            };
            let (symbol, style) = if is_filled {
                (FILLED, self.style)
            } else {
                (EMPTY, empty_style)
            };
            buf[(area.x + i, area.y)]
                .set_symbol(symbol)
                .set_style(style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(bar: Bar, width: u16) -> String {
        let area = Rect::new(0, 0, width, 1);
        let mut buf = Buffer::empty(area);
        bar.render(area, &mut buf);
        (0..width).map(|x| buf[(x, 0)].symbol()).collect()
    }

    #[test]
    fn fill_is_rounded_share_of_width() {
        assert_eq!(cells(Bar::new(Some(0.5), Style::new()), 10), "█████░░░░░");
        assert_eq!(cells(Bar::new(Some(0.26), Style::new()), 10), "███░░░░░░░");
        assert_eq!(cells(Bar::new(None, Style::new()), 4), "░░░░");
        assert_eq!(cells(Bar::new(Some(f64::NAN), Style::new()), 4), "░░░░");
        assert_eq!(cells(Bar::new(Some(7.0), Style::new()), 4), "████");
    }

    #[test]
    fn from_right_fills_the_right_end() {
        let bar = Bar {
            from_right: true,
            ..Bar::new(Some(0.25), Style::new())
        };
        assert_eq!(cells(bar, 8), "░░░░░░██");
    }

    #[test]
    fn outside_the_buffer_draws_nothing() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 1));
        Bar::new(Some(1.0), Style::new()).render(Rect::new(1, 0, 10, 3), &mut buf);
        assert_eq!(buf[(0, 0)].symbol(), " ");
        assert_eq!(buf[(1, 0)].symbol(), FILLED);
    }
}
