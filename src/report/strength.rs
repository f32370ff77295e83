//! Strength ratios: for each agonist/antagonist pair with force channels, the best 500 ms
//! hold in each direction and their ratio (antagonist / agonist, METHODS.md E) against
//! the pair's reference, as a table and as bars. Part of the symmetry section.

use super::bars::{Bars, Reference};
use super::html::{fixed, num, paragraph, text, Table};
use super::page::{figure, Context, HALF_WIDTH};
use super::style::{colour, ALARM};

/// The strength part of the symmetry section; empty when no pair has force channels.
pub fn part(c: &Context) -> String {
    let Some(s) = c.results.summary("strength") else {
        return String::new();
    };
    let col = |name: &str| s.numbers(name).unwrap_or(&[]).to_vec();
    let at = |v: &[f64], i: usize| v.get(i).copied().unwrap_or(f64::NAN);
    let (agonist, antagonist, ratio, reference, flagged) = (
        col("agonist_mvc_500ms"),
        col("antagonist_mvc_500ms"),
        col("ratio"),
        col("reference"),
        col("flagged"),
    );
    let mut body = String::from("<h3>Agonist/antagonist strength</h3>\n");
    body.push_str(&paragraph(
        "note",
        "The best 500 ms hold in each direction over the recording and their ratio, \
         antagonist / agonist (for the knee: hamstrings:quadriceps; 0.6 is the traditional \
         norm). From a signed torque channel, each direction is measured from the \
         sensor's zero.",
    ));
    let mut t = Table::new(
        "strength",
        &[
            "pair",
            "agonist",
            "antagonist",
            "agonist best 500 ms",
            "antagonist best 500 ms",
            "ratio",
            "reference",
            "below reference",
        ],
    );
    for (i, name) in s.names.iter().enumerate() {
        let pair = c.montage().pairs.iter().find(|p| &p.name == name);
        let unit = pair
            .and_then(|p| p.torque.as_deref().or(p.agonist_force.as_deref()))
            .map_or("", |ch| c.unit(ch));
        let with_unit = |v: f64| {
            if v.is_finite() {
                text(format!("{} {unit}", super::html::number(v)))
            } else {
                num(v)
            }
        };
        let f = at(&flagged, i);
        let below = if f == 1.0 {
            "yes"
        } else if f == 0.0 {
            "no"
        } else {
            "–"
        };
        t.row(vec![
            text(name),
            text(pair.map_or("", |p| p.agonist.as_str())),
            text(pair.map_or("", |p| p.antagonist.as_str())),
            with_unit(at(&agonist, i)),
            with_unit(at(&antagonist, i)),
            fixed(at(&ratio, i), 2),
            fixed(at(&reference, i), 2),
            text(below),
        ]);
    }
    body.push_str(&t.to_html());
    let values: Vec<f64> = (0..s.names.len()).map(|i| at(&ratio, i)).collect();
    let largest = values
        .iter()
        .chain(&reference)
        .filter(|v| v.is_finite())
        .fold(1.0f64, |m, v| m.max(*v));
    let mut references: Vec<f64> = reference
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    references.sort_by(f64::total_cmp);
    references.dedup();
    let bars = Bars {
        width: HALF_WIDTH,
        x_label: "strength ratio (antagonist / agonist)".into(),
        label: "ratio".into(),
        colour: colour(2),
        names: s.names.clone(),
        values,
        range: (0.0, (largest * 1.1 * 10.0).ceil() / 10.0),
        references: references
            .into_iter()
            .map(|value| Reference {
                value,
                label: format!("reference {value}"),
                colour: ALARM,
            })
            .collect(),
    };
    body.push_str(&figure("Strength ratio", bars.to_svg()));
    body
}
