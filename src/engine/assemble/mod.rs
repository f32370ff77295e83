//! Turns what the channels and pairs produced into [`Results`]: the feature groups of
//! format v1 with their parameters, the events, and the summary of the recording.

mod events;
mod groups;
mod summary;

use std::ops::Range;

use ndarray::Array2;

use crate::features::force::ForceMetrics;
use crate::recording::Gap;
use crate::results::{AttrValue, Event, FeatureTable, GroupId, Results, SummaryValues, TableId};

pub use events::transition_event;
pub use groups::feature_groups;

use super::emg::{EmgOutput, TremorPart};
use super::pairs::PairCci;
use super::plan::Plan;

/// Active epochs the fatigue line needs (METHODS.md D: at least 10).
pub const MIN_FATIGUE_EPOCHS: usize = 10;

/// What the channels of one run produced, by role.
pub struct Collected<'a> {
    pub plan: &'a Plan,
    /// EMG channels in montage order.
    pub emg: Vec<(usize, &'a EmgOutput)>,
    /// Tremor channels, in the order of `plan.tremor_channels`.
    pub tremor: Vec<(usize, &'a TremorPart)>,
    pub force: Vec<(usize, ForceMetrics)>,
    pub pairs: &'a [PairCci],
    pub gaps: &'a [Gap],
    pub markers: &'a [Event],
}

/// Rows each feature group holds; the live recorder keeps the counts it has written and
/// asks only for the rows after them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub activation: usize,
    pub fatigue: usize,
    pub cocontraction: usize,
    pub tremor: usize,
}

impl RowCounts {
    /// The count of feature group `group`.
    pub fn of_mut(&mut self, group: GroupId) -> &mut usize {
        match group {
            GroupId::Activation => &mut self.activation,
            GroupId::Fatigue => &mut self.fatigue,
            GroupId::Cocontraction => &mut self.cocontraction,
            GroupId::Tremor => &mut self.tremor,
        }
    }

    /// The count of feature group `group`.
    pub fn of(&self, group: GroupId) -> usize {
        match group {
            GroupId::Activation => self.activation,
            GroupId::Fatigue => self.fatigue,
            GroupId::Cocontraction => self.cocontraction,
            GroupId::Tremor => self.tremor,
        }
    }
}

/// A table of rows `rows` (absolute row numbers passed to `value`).
fn table(
    id: TableId,
    columns: Vec<String>,
    rows: Range<usize>,
    value: impl Fn(usize, usize) -> f64,
) -> FeatureTable {
    let cols = columns.len();
    let first = rows.start;
    FeatureTable {
        name: id.as_str().to_string(),
        values: Array2::from_shape_fn((rows.len(), cols), |(r, c)| value(first + r, c)),
        columns,
    }
}

/// The row numbers `from..to`, empty when `from` is past `to`.
fn span(from: usize, to: usize) -> Range<usize> {
    from.min(to)..to
}

fn text(s: &str) -> AttrValue {
    AttrValue::Text(s.to_string())
}

fn seconds(samples: usize, plan: &Plan) -> AttrValue {
    AttrValue::Float(samples as f64 / plan.sample_rate_hz)
}

fn numbers(name: &str, values: Vec<f64>) -> (String, SummaryValues) {
    (name.to_string(), SummaryValues::Numbers(values))
}

/// Builds the results of a run, with the feature rows after `from` (all of them when
/// `from` is zero).
pub fn assemble(c: Collected, from: RowCounts) -> Results {
    let emg_names = emg_names(&c);
    let mvc: Vec<Option<f64>> = c.emg.iter().map(|(i, _)| c.plan.mvc(*i)).collect();
    Results {
        features: feature_groups(&c, from),
        events: events::events(&c),
        summary: summary::summary(&c, &emg_names, &mvc),
    }
}

fn emg_names(c: &Collected) -> Vec<String> {
    c.emg
        .iter()
        .map(|(i, _)| c.plan.montage.channels[*i].name.clone())
        .collect()
}
