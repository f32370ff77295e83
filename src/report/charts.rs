//! Line charts as inline SVG (plotters' SVG backend): lines over a shared x axis, shaded
//! spans (tremor alarms, frequency bands), vertical markers (onsets, offsets, reference
//! values) and dots (one per epoch), with axis descriptions and a legend strip above the
//! plot. A chart is plain data until [`Chart::to_svg`] draws it.

use plotters::prelude::*;

use super::decimate::{min_max, Segment, MAX_POINTS};
use super::legend::{self, Entry, Sample};
use super::style::{text_width, FONT, GRID, LABEL_SIZE, TICK_SIZE};

/// A line (or a set of dots) with its legend label.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub colour: RGBColor,
    /// Already thinned (see `decimate`); each segment is drawn on its own.
    pub segments: Vec<Segment>,
    /// Draw a dot per point instead of a line.
    pub dots: bool,
}

impl Line {
    /// A line through `(x[i], y[i])`, thinned to at most [`MAX_POINTS`] points.
    pub fn thinned(label: impl Into<String>, colour: RGBColor, x: &[f64], y: &[f64]) -> Line {
        Line {
            label: label.into(),
            colour,
            segments: min_max(x, y, MAX_POINTS),
            dots: false,
        }
    }
}

/// Shaded x intervals sharing one legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Spans {
    pub label: String,
    pub colour: RGBColor,
    pub ranges: Vec<(f64, f64)>,
}

/// Vertical lines at x positions sharing one legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Markers {
    pub label: String,
    pub colour: RGBColor,
    pub xs: Vec<f64>,
}

/// How the y axis maps values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YScale {
    /// Linear; with `from_zero` the axis starts at 0 when every value is positive.
    Linear { from_zero: bool },
    /// Decades (positive values only; others are left out), for spectra.
    Log,
}

/// Everything one chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub width: u32,
    /// Height of the plot with its axes (the legend strip comes on top).
    pub plot_height: u32,
    pub x_label: String,
    pub y_label: String,
    /// Fixed x range; `None` takes the lines' extent.
    pub x_range: Option<(f64, f64)>,
    pub y_scale: YScale,
    pub lines: Vec<Line>,
    pub spans: Vec<Spans>,
    pub markers: Vec<Markers>,
}

/// More visible markers than this are drawn as ticks above the data instead of lines
/// across it.
pub const RUG_ABOVE: usize = 40;
/// Height of each marker set's band of ticks, as a fraction of the data's y range.
const RUG_BAND: f64 = 0.07;

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// Extent of finite values, `None` when there is none.
fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// A range that has some width and a margin around the data.
fn padded((lo, hi): (f64, f64), pad: f64) -> (f64, f64) {
    if hi > lo {
        let m = (hi - lo) * pad;
        (lo - m, hi + m)
    } else {
        let m = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - m, hi + m)
    }
}

/// Decimals that tell ticks about `span / 8` apart from each other.
fn decimals(span: f64) -> usize {
    let step = span / 8.0;
    if step.is_finite() && step > 0.0 {
        (-step.log10().floor()).clamp(0.0, 6.0) as usize
    } else {
        0
    }
}

/// A tick value of a linear axis.
fn tick(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    // "-0" and "-0.0" read as zero.
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

/// A tick of a log axis at 10^`exponent`.
fn decade_tick(exponent: f64) -> String {
    let v = 10f64.powf(exponent);
    if (0.01..10_000.0).contains(&v) {
        let s = format!("{v:.3}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    } else {
        format!("{v:.0e}")
    }
}

impl Chart {
    /// The lines with y mapped to the axis (log10 on a log axis, non-positive values
    /// dropped there, splitting the line).
    fn mapped_lines(&self) -> Vec<Line> {
        match self.y_scale {
            YScale::Linear { .. } => self.lines.clone(),
            YScale::Log => self
                .lines
                .iter()
                .map(|l| {
                    let mut segments = Vec::new();
                    for s in &l.segments {
                        let mut current = Vec::new();
                        for &(x, y) in s {
                            if y > 0.0 && y.is_finite() {
                                current.push((x, y.log10()));
                            } else if !current.is_empty() {
                                segments.push(std::mem::take(&mut current));
                            }
                        }
                        if !current.is_empty() {
                            segments.push(current);
                        }
                    }
                    Line {
                        segments,
                        ..l.clone()
                    }
                })
                .collect(),
        }
    }

    fn legend_entries(&self) -> Vec<Entry> {
        let lines = self.lines.iter().map(|l| Entry {
            label: l.label.clone(),
            colour: l.colour,
            sample: if l.dots { Sample::Dot } else { Sample::Line },
        });
        let spans = self.spans.iter().map(|s| Entry {
            label: s.label.clone(),
            colour: s.colour,
            sample: Sample::Block,
        });
        let markers = self.markers.iter().map(|m| Entry {
            label: m.label.clone(),
            colour: m.colour,
            sample: Sample::Tick,
        });
        lines
            .chain(spans)
            .chain(markers)
            .filter(|e| !e.label.is_empty())
            .collect()
    }

    /// The chart as an `<svg>` element, or `None` when no line has a value to draw.
    pub fn to_svg(&self) -> Option<String> {
        let lines = self.mapped_lines();
        let points = || lines.iter().flat_map(|l| l.segments.iter().flatten());
        let y_data = extent(points().map(|p| p.1))?;
        let x_data = extent(points().map(|p| p.0))?;
        let (x0, x1) = match self.x_range {
            Some((a, b)) if b > a => (a, b),
            _ => padded(x_data, 0.0),
        };
        let (mut y0, mut y1) = padded(y_data, 0.06);
        if let YScale::Linear { from_zero: true } = self.y_scale {
            if y_data.0 >= 0.0 {
                y0 = 0.0;
                y1 = y1.max(y_data.1 * 1.06).max(f64::MIN_POSITIVE);
            }
        }
        if self.y_scale == YScale::Log {
            // Whole decades make the ticks land on 1, 10, 100, …
            y0 = y_data.0.floor();
            y1 = y_data.1.ceil().max(y0 + 1.0);
        }
        // Many markers would hide the lines: they become ticks in bands above the data.
        let visible = self
            .markers
            .iter()
            .flat_map(|m| &m.xs)
            .filter(|x| x.is_finite() && (x0..=x1).contains(*x))
            .count();
        let rug_band = (visible > RUG_ABOVE).then(|| {
            let band = (y1 - y0) * RUG_BAND;
            y1 += band * self.markers.len() as f64;
            band
        });
        let entries = self.legend_entries();
        let legend_height = legend::height(&entries, self.width as i32);
        let height = self.plot_height + legend_height as u32;
        let mut svg = String::new();
        let drawn = self.draw(
            &mut svg,
            height,
            legend_height,
            &entries,
            &lines,
            (x0, x1),
            (y0, y1),
            rug_band,
        );
        match drawn {
            Ok(()) => Some(svg),
            Err(_) => None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn draw(
        &self,
        svg: &mut String,
        height: u32,
        legend_height: i32,
        entries: &[Entry],
        lines: &[Line],
        (x0, x1): (f64, f64),
        (y0, y1): (f64, f64),
        rug_band: Option<f64>,
    ) -> DrawResult {
        let root = SVGBackend::with_string(svg, (self.width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (top, plot) = root.split_vertically(legend_height);
        legend::draw(&top, entries)?;

        let x_decimals = decimals(x1 - x0);
        let y_decimals = decimals(y1 - y0);
        let log = self.y_scale == YScale::Log;
        let y_tick = |v: &f64| {
            if log {
                decade_tick(*v)
            } else {
                tick(*v, y_decimals)
            }
        };
        // Room for the widest tick label and the rotated axis description.
        let widest = [y0, y1, (y0 + y1) / 2.0]
            .iter()
            .map(|v| text_width(&y_tick(v), TICK_SIZE))
            .max()
            .unwrap_or(30);
        let tick_font = (FONT, TICK_SIZE).into_font();
        let label_font = (FONT, LABEL_SIZE).into_font();
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(6)
            .margin_right(18)
            .margin_left(6)
            .x_label_area_size(46)
            .y_label_area_size(widest + 34)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        let x_tick = |v: &f64| tick(*v, x_decimals);
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .label_style(tick_font)
            .axis_desc_style(label_font)
            .x_labels(10)
            .y_labels(6)
            .x_label_formatter(&x_tick)
            .y_label_formatter(&y_tick)
            .bold_line_style(GRID)
            .light_line_style(WHITE);
        if log {
            mesh.y_labels((y1 - y0).round().max(1.0) as usize + 1);
        }
        mesh.draw()?;

        for s in &self.spans {
            chart.draw_series(
                s.ranges
                    .iter()
                    .filter(|(a, b)| b > a && *b >= x0 && *a <= x1)
                    .map(|&(a, b)| {
                        Rectangle::new(
                            [(a.max(x0), y0), (b.min(x1), y1)],
                            s.colour.mix(0.18).filled(),
                        )
                    }),
            )?;
        }
        for (j, m) in self.markers.iter().enumerate() {
            // Full height, or a tick in the marker set's own band at the top.
            let (low, high) = match rug_band {
                None => (y0, y1),
                Some(band) => {
                    let top = y1 - band * j as f64;
                    (top - band * 0.8, top)
                }
            };
            chart.draw_series(
                m.xs.iter()
                    .filter(|x| x.is_finite() && (x0..=x1).contains(*x))
                    .map(|&x| {
                        PathElement::new(vec![(x, low), (x, high)], m.colour.stroke_width(1))
                    }),
            )?;
        }
        for l in lines {
            if l.dots {
                chart.draw_series(
                    l.segments
                        .iter()
                        .flatten()
                        .map(|&p| Circle::new(p, 3, l.colour.filled())),
                )?;
            } else {
                for s in &l.segments {
                    if s.len() == 1 {
                        chart.draw_series(std::iter::once(Circle::new(
                            s[0],
                            2,
                            l.colour.filled(),
                        )))?;
                    } else {
                        chart.draw_series(LineSeries::new(
                            s.iter().copied(),
                            l.colour.stroke_width(2),
                        ))?;
                    }
                }
            }
        }
        root.present()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(lines: Vec<Line>) -> Chart {
        Chart {
            width: 600,
            plot_height: 240,
            x_label: "time (s)".into(),
            y_label: "RMS (µV)".into(),
            x_range: None,
            y_scale: YScale::Linear { from_zero: true },
            lines,
            spans: vec![Spans {
                label: "tremor alarm".into(),
                colour: RED,
                ranges: vec![(1.0, 2.0)],
            }],
            markers: vec![Markers {
                label: "onset".into(),
                colour: GREEN,
                xs: vec![0.5, f64::NAN],
            }],
        }
    }

    fn line(points: Vec<(f64, f64)>) -> Line {
        Line {
            label: "biceps_l".into(),
            colour: BLUE,
            segments: vec![points],
            dots: false,
        }
    }

    #[test]
    fn a_chart_carries_its_axis_descriptions_and_legend() {
        let svg = chart(vec![line(vec![(0.0, 1.0), (3.0, 2.0)])])
            .to_svg()
            .unwrap();
        assert!(svg.starts_with("<svg"));
        for text in ["time (s)", "RMS (µV)", "biceps_l", "tremor alarm", "onset"] {
            assert!(svg.contains(&format!(">\n{text}\n</text>")), "{text}");
        }
    }

    #[test]
    fn nothing_to_draw_gives_no_chart() {
        assert!(chart(vec![]).to_svg().is_none());
        assert!(chart(vec![line(vec![])]).to_svg().is_none());
    }

    #[test]
    fn flat_and_log_data_still_draw() {
        let flat = chart(vec![line(vec![(0.0, 5.0), (0.0, 5.0)])]);
        assert!(flat.to_svg().is_some());
        let mut log = chart(vec![line(vec![(0.0, 1e-4), (1.0, 0.0), (2.0, 3.0)])]);
        log.y_scale = YScale::Log;
        let svg = log.to_svg().unwrap();
        assert!(svg.contains("1e-4") || svg.contains("0.0001"), "{svg}");
    }

    #[test]
    fn ticks_read_well() {
        assert_eq!(tick(-0.0001, 1), "0.0");
        assert_eq!(tick(12.5, 1), "12.5");
        assert_eq!(decimals(60.0), 0);
        assert_eq!(decimals(1.0), 1);
        assert_eq!(decade_tick(2.0), "100");
        assert_eq!(decade_tick(-1.0), "0.1");
        assert_eq!(decade_tick(-5.0), "1e-5");
    }
}
