//! A trend chart as inline SVG: one line with a dot per session for each name, sessions
//! evenly spaced along x and labelled by session, dashed horizontal reference lines, and
//! vertical marks at chosen sessions (where an LSI first reached its reference). Colours,
//! fonts and the legend strip are the report's ([`crate::report::style`],
//! [`crate::report::legend`]), so both pages read alike.

use plotters::prelude::*;

use crate::report::legend::{self, Entry, Sample};
use crate::report::style::{text_width, FONT, GRID, LABEL_SIZE, TICK_SIZE};

/// A name's values, one per session (NaN where missing).
#[derive(Debug, Clone, PartialEq)]
pub struct TrendLine {
    pub label: String,
    pub colour: RGBColor,
    pub values: Vec<f64>,
}

/// A horizontal line at `value` (a reference).
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub label: String,
    pub colour: RGBColor,
    pub value: f64,
}

/// A vertical line at session `session`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub label: String,
    pub colour: RGBColor,
    pub session: usize,
}

/// Everything a trend chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    pub width: u32,
    /// Height of the plot with its axes (the legend strip comes on top).
    pub plot_height: u32,
    /// The session labels, in order: the x axis.
    pub sessions: Vec<String>,
    pub y_label: String,
    /// Start the y axis at 0 when every value is positive.
    pub from_zero: bool,
    pub lines: Vec<TrendLine>,
    pub levels: Vec<Level>,
    pub marks: Vec<Mark>,
}

/// At most this many session labels on the x axis; more sessions label every k-th.
const MAX_X_LABELS: usize = 10;

type DrawResult = Result<(), Box<dyn std::error::Error>>;

impl TrendChart {
    fn entries(&self) -> Vec<Entry> {
        let lines = self
            .lines
            .iter()
            .map(|l| (l.label.clone(), l.colour, Sample::Line));
        let levels = self
            .levels
            .iter()
            .map(|l| (l.label.clone(), l.colour, Sample::Line));
        let marks = self
            .marks
            .iter()
            .map(|m| (m.label.clone(), m.colour, Sample::Tick));
        lines
            .chain(levels)
            .chain(marks)
            .filter(|(label, _, _)| !label.is_empty())
            .map(|(label, colour, sample)| Entry {
                label,
                colour,
                sample,
            })
            .collect()
    }

    /// The chart as an `<svg>` element; `None` when no line has a value.
    pub fn to_svg(&self) -> Option<String> {
        let values = || self.lines.iter().flat_map(|l| &l.values).copied();
        let finite = |v: &f64| v.is_finite();
        let lo = values().filter(finite).fold(f64::INFINITY, f64::min);
        let hi = values().filter(finite).fold(f64::NEG_INFINITY, f64::max);
        if lo > hi || self.sessions.is_empty() {
            return None;
        }
        let levels = self.levels.iter().map(|l| l.value).filter(finite);
        let (lo, hi) = levels.fold((lo, hi), |(a, b), v| (a.min(v), b.max(v)));
        let pad = if hi > lo {
            (hi - lo) * 0.08
        } else {
            lo.abs().max(1.0) * 0.1
        };
        let y0 = if self.from_zero && lo >= 0.0 {
            0.0
        } else {
            lo - pad
        };
        let y1 = hi + pad;
        let entries = self.entries();
        let legend_height = legend::height(&entries, self.width as i32);
        let mut svg = String::new();
        self.draw(&mut svg, legend_height, &entries, (y0, y1))
            .ok()?;
        Some(svg)
    }

    fn draw(
        &self,
        svg: &mut String,
        legend_height: i32,
        entries: &[Entry],
        (y0, y1): (f64, f64),
    ) -> DrawResult {
        let height = self.plot_height + legend_height as u32;
        let root = SVGBackend::with_string(svg, (self.width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (top, plot) = root.split_vertically(legend_height);
        legend::draw(&top, entries)?;

        let n = self.sessions.len();
        let (x0, x1) = (-0.5, n as f64 - 0.5);
        let every = n.div_ceil(MAX_X_LABELS).max(1);
        let x_tick = |v: &f64| {
            let i = v.round();
            let at = i as usize;
            if (v - i).abs() < 1e-6 && i >= 0.0 && at < n && at % every == 0 {
                self.sessions[at].clone()
            } else {
                String::new()
            }
        };
        let y_decimals = {
            let step = (y1 - y0) / 6.0;
            (-step.log10().floor()).clamp(0.0, 4.0) as usize
        };
        let y_tick = |v: &f64| format!("{v:.y_decimals$}");
        let widest = [y0, y1]
            .iter()
            .map(|v| text_width(&y_tick(v), TICK_SIZE))
            .max()
            .unwrap_or(30);
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(6)
            .margin_right(18)
            .margin_left(6)
            .x_label_area_size(46)
            .y_label_area_size(widest + 34)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc("session")
            .y_desc(self.y_label.as_str())
            .label_style((FONT, TICK_SIZE).into_font())
            .axis_desc_style((FONT, LABEL_SIZE).into_font())
            .x_labels(n + 1)
            .y_labels(6)
            .x_label_formatter(&x_tick)
            .y_label_formatter(&y_tick)
            .bold_line_style(GRID)
            .light_line_style(WHITE)
            .draw()?;

        for l in self.levels.iter().filter(|l| l.value.is_finite()) {
            chart.draw_series(DashedLineSeries::new(
                vec![(x0, l.value), (x1, l.value)],
                8,
                5,
                l.colour.stroke_width(2),
            ))?;
        }
        for m in self.marks.iter().filter(|m| m.session < n) {
            let x = m.session as f64;
            chart.draw_series(DashedLineSeries::new(
                vec![(x, y0), (x, y1)],
                4,
                4,
                m.colour.stroke_width(2),
            ))?;
        }
        for l in &self.lines {
            let points: Vec<(f64, f64)> = l
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(i, v)| (i as f64, *v))
                .collect();
            chart.draw_series(LineSeries::new(
                points.iter().copied(),
                l.colour.stroke_width(2),
            ))?;
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, l.colour.filled())))?;
        }
        root.present()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: Vec<f64>) -> TrendChart {
        TrendChart {
            width: 640,
            plot_height: 280,
            sessions: vec!["week 1".into(), "week 2".into(), "week 3".into()],
            y_label: "LSI (%)".into(),
            from_zero: false,
            lines: vec![TrendLine {
                label: "biceps".into(),
                colour: BLUE,
                values,
            }],
            levels: vec![Level {
                label: "reference 90 %".into(),
                colour: RED,
                value: 90.0,
            }],
            marks: vec![Mark {
                label: "reached in week 3".into(),
                colour: GREEN,
                session: 2,
            }],
        }
    }

    #[test]
    fn sessions_label_the_x_axis_and_the_legend_names_everything() {
        let svg = chart(vec![70.0, f64::NAN, 95.0]).to_svg().unwrap();
        for text in [
            "week 1",
            "week 3",
            "biceps",
            "reference 90 %",
            "reached in week 3",
            "LSI (%)",
        ] {
            assert!(svg.contains(&format!(">\n{text}\n</text>")), "{text}");
        }
        assert!(
            svg.contains("stroke-dasharray")
                || svg.matches("<path").count() + svg.matches("<polyline").count() > 3
        );
    }

    #[test]
    fn no_values_no_chart() {
        assert!(chart(vec![f64::NAN; 3]).to_svg().is_none());
        assert!(chart(vec![80.0, 80.0, 80.0]).to_svg().is_some());
    }
}
