//! Colours and text sizes shared by every chart, so the page reads as one document.
//!
//! Sizes are in plotters' units: its SVG backend writes `font-size = size / 1.24` pixels.

use plotters::style::RGBColor;

/// Font family of all chart text (the browser's default sans-serif).
pub const FONT: &str = "sans-serif";
/// Tick labels (about 13 px on the page).
pub const TICK_SIZE: f64 = 16.0;
/// Axis descriptions and legend entries (about 14 px).
pub const LABEL_SIZE: f64 = 17.5;

/// Ten colours that stay apart for readers with common colour-vision deficiencies
/// (the Tableau 10 set).
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The `i`-th colour of the palette (repeating after ten).
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Onset markers.
pub const ONSET: RGBColor = RGBColor(44, 160, 44);
/// Offset markers.
pub const OFFSET: RGBColor = RGBColor(127, 127, 127);
/// Tremor alarm spans and warnings.
pub const ALARM: RGBColor = RGBColor(214, 39, 40);
/// Shaded frequency bands and reference lines.
pub const REFERENCE: RGBColor = RGBColor(90, 90, 90);
/// Values drawn for context only (resting epochs).
pub const REST: RGBColor = RGBColor(185, 185, 185);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(232, 232, 232);

/// Estimated width in pixels of `text` at plotters size `size` (sans-serif averages a
/// little over half an em per character).
pub fn text_width(text: &str, size: f64) -> i32 {
    (text.chars().count() as f64 * size / 1.24 * 0.56).ceil() as i32
}
