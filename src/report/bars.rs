//! Horizontal bar charts as inline SVG: one bar per named row (bilateral pairs), a value
//! axis with its description, and optional reference lines (e.g. the 90 % LSI criterion).

use plotters::prelude::*;

use super::legend::{self, Entry, Sample, BAR_OPACITY};
use super::style::{text_width, FONT, GRID, LABEL_SIZE, TICK_SIZE};

/// A vertical reference line across all bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub value: f64,
    pub label: String,
    pub colour: RGBColor,
}

/// One bar per name.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub width: u32,
    pub x_label: String,
    /// What the bars are (legend entry).
    pub label: String,
    pub colour: RGBColor,
    pub names: Vec<String>,
    /// One per name; a missing value leaves its row empty.
    pub values: Vec<f64>,
    /// Value axis range.
    pub range: (f64, f64),
    pub references: Vec<Reference>,
}

const BAR_HEIGHT: u32 = 34;

impl Bars {
    /// The chart as an `<svg>` element, or `None` when there is no row.
    pub fn to_svg(&self) -> Option<String> {
        if self.names.is_empty() {
            return None;
        }
        let mut entries = vec![Entry {
            label: self.label.clone(),
            colour: self.colour,
            sample: Sample::Bar,
        }];
        entries.extend(self.references.iter().map(|r| Entry {
            label: r.label.clone(),
            colour: r.colour,
            sample: Sample::Tick,
        }));
        let legend_height = legend::height(&entries, self.width as i32);
        let height = legend_height as u32 + 70 + BAR_HEIGHT * self.names.len() as u32;
        let mut svg = String::new();
        self.draw(&mut svg, height, legend_height, &entries).ok()?;
        Some(svg)
    }

    fn draw(
        &self,
        svg: &mut String,
        height: u32,
        legend_height: i32,
        entries: &[Entry],
    ) -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(svg, (self.width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (top, plot) = root.split_vertically(legend_height);
        legend::draw(&top, entries)?;
        let n = self.names.len() as i32;
        let (x0, x1) = if self.range.1 > self.range.0 {
            self.range
        } else {
            (0.0, 1.0)
        };
        let widest = self
            .names
            .iter()
            .map(|s| text_width(s, TICK_SIZE))
            .max()
            .unwrap_or(40);
        let names = &self.names;
        // Whole numbers for percentages; a ratio's axis (a span of a few units) needs
        // decimals to tell its ticks apart.
        let span = self.range.1 - self.range.0;
        let decimals = if span <= 5.0 { 1 } else { 0 };
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(6)
            .margin_right(22)
            .margin_left(6)
            .x_label_area_size(46)
            .y_label_area_size(widest + 16)
            .build_cartesian_2d(x0..x1, (0..n).into_segmented())?;
        chart
            .configure_mesh()
            .x_desc(self.x_label.as_str())
            .label_style((FONT, TICK_SIZE).into_font())
            .axis_desc_style((FONT, LABEL_SIZE).into_font())
            .x_labels(8)
            .y_labels(names.len() + 1)
            .x_label_formatter(&|v| format!("{v:.decimals$}"))
            .y_label_formatter(&|v| match v {
                // Row 0 is drawn at the top, as in the table.
                SegmentValue::CenterOf(i) => usize::try_from(n - 1 - *i)
                    .ok()
                    .and_then(|i| names.get(i))
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .disable_y_mesh()
            .bold_line_style(GRID)
            .light_line_style(WHITE)
            .draw()?;
        chart.draw_series(
            self.values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(i, &v)| {
                    let i = n - 1 - i as i32;
                    let v = v.clamp(x0, x1);
                    let (a, b) = if v >= 0.0 { (0.0, v) } else { (v, 0.0) };
                    let mut bar = Rectangle::new(
                        [
                            (a.max(x0), SegmentValue::Exact(i)),
                            (b, SegmentValue::Exact(i + 1)),
                        ],
                        self.colour.mix(BAR_OPACITY).filled(),
                    );
                    bar.set_margin(7, 7, 0, 0);
                    bar
                }),
        )?;
        for r in self
            .references
            .iter()
            .filter(|r| (x0..=x1).contains(&r.value))
        {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![
                    (r.value, SegmentValue::Exact(0)),
                    (r.value, SegmentValue::Exact(n)),
                ],
                r.colour.stroke_width(2),
            )))?;
        }
        root.present()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_name_their_rows_and_axis() {
        let bars = Bars {
            width: 500,
            x_label: "LSI (%)".into(),
            label: "LSI".into(),
            colour: BLUE,
            names: vec!["biceps".into(), "quads".into()],
            values: vec![79.1, f64::NAN],
            range: (0.0, 100.0),
            references: vec![Reference {
                value: 90.0,
                label: "90 % criterion".into(),
                colour: RED,
            }],
        };
        let svg = bars.to_svg().unwrap();
        for text in ["LSI (%)", "biceps", "quads", "90 % criterion"] {
            assert!(svg.contains(text), "{text}");
        }
        let none = Bars {
            names: vec![],
            values: vec![],
            ..bars
        };
        assert!(none.to_svg().is_none());
    }
}
