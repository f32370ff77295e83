//! Symmetry: each bilateral pair's limb symmetry index (LSI) against its reference,
//! Robinson symmetry index and weaker side, as a table and as bars; then the strength
//! ratios of the agonist/antagonist pairs ([`super::strength`]).

use crate::results::SummaryValues;

use super::bars::{Bars, Reference};
use super::html::{num, paragraph, text, Table};
use super::page::{figure, grid, Context, Section, HALF_WIDTH};
use super::style::{colour, ALARM, REFERENCE};

/// LSI at or above this is a common return-to-sport criterion (METHODS.md, symmetry):
/// the reference of files written before the montage could set one.
pub const LSI_CRITERION_PERCENT: f64 = 90.0;

/// The "Symmetry and strength" section.
pub fn section(c: &Context) -> Section {
    let mut body = String::new();
    let Some(s) = c.results.summary("symmetry") else {
        body.push_str(&paragraph(
            "note",
            "No symmetry values: the montage has no bilateral (left/right) pair.",
        ));
        body.push_str(&super::strength::part(c));
        return Section {
            id: "symmetry",
            title: "Symmetry and strength",
            body,
        };
    };
    body.push_str(&paragraph(
        "note",
        "From the mean activation of each side over the recording (% MVC when both sides \
         have an MVC, else RMS; the force pairs use the best 500 ms mean, of a signed torque \
         the agonist's hold). LSI = 100 · \
         weaker / stronger side. Robinson SI = 100 · (right − left) / mean of both: \
         positive when the right side is larger.",
    ));
    let texts = |name: &str| -> Vec<String> {
        s.columns
            .iter()
            .find_map(|(n, v)| match v {
                SummaryValues::Texts(t) if n == name => Some(t.clone()),
                _ => None,
            })
            .unwrap_or_default()
    };
    let weaker = texts("weaker");
    let measure = texts("measure");
    let lsi = s.numbers("lsi_percent").unwrap_or(&[]).to_vec();
    let si = s.numbers("si_percent").unwrap_or(&[]).to_vec();
    let at = |v: &[f64], i: usize| v.get(i).copied().unwrap_or(f64::NAN);
    let criterion = lsi_reference(c);

    let mut t = Table::new(
        "symmetry",
        &[
            "bilateral pair",
            "left",
            "right",
            "measure",
            "LSI (%)",
            "Robinson SI (%)",
            "weaker side",
            "below reference",
        ],
    );
    for (i, name) in s.names.iter().enumerate() {
        let b = c.montage().bilateral.iter().find(|b| &b.name == name);
        t.row(vec![
            text(name),
            text(b.map_or("", |b| b.left.as_str())),
            text(b.map_or("", |b| b.right.as_str())),
            text(measure.get(i).cloned().unwrap_or_default()),
            num(at(&lsi, i)),
            num(at(&si, i)),
            text(weaker.get(i).cloned().unwrap_or_default()),
            text(match at(&lsi, i) {
                v if v.is_nan() => "–",
                v if v < criterion => "yes",
                _ => "no",
            }),
        ]);
    }
    body.push_str(&t.to_html());

    let lsi_values: Vec<f64> = (0..s.names.len()).map(|i| at(&lsi, i)).collect();
    let si_values: Vec<f64> = (0..s.names.len()).map(|i| at(&si, i)).collect();
    let largest_si = si_values
        .iter()
        .filter(|v| v.is_finite())
        .fold(10.0f64, |m, v| m.max(v.abs()));
    let si_limit = (largest_si * 1.15 / 10.0).ceil() * 10.0;
    let lsi_bars = Bars {
        width: HALF_WIDTH,
        x_label: "limb symmetry index, LSI (%)".into(),
        label: "LSI".into(),
        colour: colour(0),
        names: s.names.clone(),
        values: lsi_values,
        range: (0.0, 100.0),
        references: vec![Reference {
            value: criterion,
            label: if criterion == LSI_CRITERION_PERCENT {
                "90 % (a common return-to-sport criterion)".into()
            } else {
                format!("{criterion} % (the montage's reference)")
            },
            colour: ALARM,
        }],
    };
    let si_bars = Bars {
        width: HALF_WIDTH,
        x_label: "Robinson SI (%): < 0 left larger, > 0 right larger".into(),
        label: "Robinson SI".into(),
        colour: colour(1),
        names: s.names.clone(),
        values: si_values,
        range: (-si_limit, si_limit),
        references: vec![Reference {
            value: 0.0,
            label: "perfect symmetry".into(),
            colour: REFERENCE,
        }],
    };
    body.push_str(&grid(&[
        figure("Limb symmetry index", lsi_bars.to_svg()),
        figure("Robinson symmetry index", si_bars.to_svg()),
    ]));
    body.push_str(&super::strength::part(c));
    Section {
        id: "symmetry",
        title: "Symmetry and strength",
        body,
    }
}

/// The LSI reference of the recording: the symmetry summary's `reference`, else the
/// montage's `lsi_reference_pct` (files written before the column existed).
pub fn lsi_reference(c: &Context) -> f64 {
    c.results
        .summary("symmetry")
        .and_then(|s| s.numbers("reference"))
        .and_then(|r| r.first().copied())
        .filter(|r| r.is_finite())
        .unwrap_or(c.montage().analysis.lsi_reference_pct)
}
