//! Co-contraction: the Falconer–Winter index and the Rudolph index of each
//! agonist/antagonist pair over time, and their means over the recording.

use super::charts::{Chart, Line, YScale};
use super::html::{num, paragraph, setting, text, Table};
use super::page::{column, columns, figure, grid, param_f64, Context, Section, HALF_WIDTH};
use super::style::colour;

/// The unit of a pair's envelopes: % MVC when both muscles have an MVC, else their
/// common unit.
fn envelope_unit(c: &Context, pair: &str) -> String {
    let Some(p) = c.montage().pairs.iter().find(|p| p.name == pair) else {
        return "envelope units".into();
    };
    let (a, b) = (c.channel(&p.agonist), c.channel(&p.antagonist));
    match (a, b) {
        (Some(a), Some(b)) if a.mvc.is_some() && b.mvc.is_some() => "% MVC".into(),
        (Some(a), Some(b)) if a.mvc.is_none() && b.mvc.is_none() && a.unit == b.unit => {
            a.unit.clone()
        }
        _ => "envelope units".into(),
    }
}

/// The "Co-contraction" section.
pub fn section(c: &Context) -> Section {
    let mut body = String::new();
    match c.results.group("cocontraction") {
        None => body.push_str(&paragraph(
            "note",
            "No co-contraction features: the montage has no agonist/antagonist pair.",
        )),
        Some(g) => {
            let window = setting(param_f64(g, "window_s"));
            let hop = setting(param_f64(g, "hop_s"));
            body.push_str(&paragraph(
                "note",
                &format!(
                    "Indices of the linear envelopes of agonist and antagonist over {window} s \
                     windows every {hop} s. Falconer–Winter: 100 % means both muscles work \
                     equally, 0 % means one works alone. Windows where both muscles rest are \
                     left out (gaps in the lines)."
                ),
            ));
            let pairs = columns(g, "fw");
            let lines = |table: &str| -> Vec<Line> {
                pairs
                    .iter()
                    .enumerate()
                    .map(|(k, name)| {
                        let v = column(g, table, name).unwrap_or_default();
                        Line::thinned(name.as_str(), colour(k), &g.time_s, &v)
                    })
                    .collect()
            };
            let chart = |table: &str, y_label: String| Chart {
                width: HALF_WIDTH,
                plot_height: 260,
                x_label: "time (s)".into(),
                y_label,
                x_range: c.time_range(),
                y_scale: YScale::Linear { from_zero: true },
                lines: lines(table),
                spans: vec![],
                markers: vec![],
            };
            let units: Vec<String> = pairs.iter().map(|p| envelope_unit(c, p)).collect();
            let rudolph_unit = match units.first() {
                Some(u) if units.iter().all(|v| v == u) => u.clone(),
                _ => "envelope units".into(),
            };
            body.push_str(&grid(&[
                figure(
                    "Falconer–Winter co-contraction index",
                    chart("fw", "co-contraction FW (%)".into()).to_svg(),
                ),
                figure(
                    "Rudolph co-contraction index",
                    chart("rudolph", format!("Rudolph index ({rudolph_unit})")).to_svg(),
                ),
            ]));
        }
    }
    if let Some(s) = c.results.summary("cocontraction") {
        let mut t = Table::new(
            "cocontraction",
            &[
                "pair",
                "agonist",
                "antagonist",
                "mean FW (%)",
                "mean Rudolph",
                "Rudolph unit",
            ],
        );
        let fw = s.numbers("fw_mean").unwrap_or(&[]);
        let rudolph = s.numbers("rudolph_mean").unwrap_or(&[]);
        for (i, name) in s.names.iter().enumerate() {
            let pair = c.montage().pairs.iter().find(|p| &p.name == name);
            t.row(vec![
                text(name),
                text(pair.map_or("", |p| p.agonist.as_str())),
                text(pair.map_or("", |p| p.antagonist.as_str())),
                num(fw.get(i).copied().unwrap_or(f64::NAN)),
                num(rudolph.get(i).copied().unwrap_or(f64::NAN)),
                text(envelope_unit(c, name)),
            ]);
        }
        body.push_str("<h3>Whole recording</h3>\n");
        body.push_str(&t.to_html());
    }
    Section {
        id: "cocontraction",
        title: "Co-contraction",
        body,
    }
}
