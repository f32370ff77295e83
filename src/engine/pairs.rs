//! Co-contraction of one agonist/antagonist pair over the windows of the CCI window rule,
//! from the two envelopes as they arrive.
//!
//! Windows overlap (1 s every 0.5 s by default), so the envelopes are summed in blocks of
//! the greatest common divisor of window and hop as samples arrive, and each window adds
//! up its blocks' sums: every sample is visited once, and the sample that completes a
//! window costs a few additions rather than a pass over the window.

use std::collections::VecDeque;

use crate::features::cocontraction::{inactive, CciSums};
use crate::features::stats::FiniteMean;

use super::rows::Rows;
use crate::dsp::windows::{gcd, WindowSpec};

/// One CCI window: Falconer–Winter (%) and Rudolph (envelope units); NaN when inactive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CciRow {
    pub fw: f64,
    pub rudolph: f64,
}

/// Streaming co-contraction of a pair.
pub struct PairCci {
    spec: WindowSpec,
    /// Samples per block: gcd(window, hop).
    block: usize,
    current: CciSums,
    /// The last window/block whole blocks, oldest first.
    blocks: VecDeque<CciSums>,
    /// Whole blocks so far.
    count: usize,
    /// Both channels have MVC references: envelopes are in %MVC and the inactivity rule
    /// applies with this threshold.
    inactive_pct_mvc: Option<f64>,
    pub rows: Rows<CciRow>,
    /// Means over every window.
    pub fw_mean: FiniteMean,
    pub rudolph_mean: FiniteMean,
}

impl PairCci {
    pub fn new(spec: WindowSpec, inactive_pct_mvc: Option<f64>) -> PairCci {
        PairCci {
            spec,
            block: gcd(spec.window, spec.hop).max(1),
            current: CciSums::default(),
            blocks: VecDeque::new(),
            count: 0,
            inactive_pct_mvc,
            rows: Rows::default(),
            fw_mean: FiniteMean::default(),
            rudolph_mean: FiniteMean::default(),
        }
    }

    /// Feeds the next samples of both envelopes (equal lengths).
    pub fn push(&mut self, mut agonist: &[f64], mut antagonist: &[f64]) {
        let (w, h, g) = (self.spec.window, self.spec.hop, self.block);
        let per_window = w / g;
        while !agonist.is_empty() && !antagonist.is_empty() {
            let take = (g - self.current.n)
                .min(agonist.len())
                .min(antagonist.len());
            self.current.add(&agonist[..take], &antagonist[..take]);
            (agonist, antagonist) = (&agonist[take..], &antagonist[take..]);
            if self.current.n < g {
                continue;
            }
            if self.blocks.len() == per_window {
                self.blocks.pop_front();
            }
            self.blocks.push_back(std::mem::take(&mut self.current));
            self.count += 1;
            // Window k ends where block `count` does: k·h + w = count·g.
            let end = self.count * g;
            if end >= w && (end - w) % h == 0 {
                let mut sums = CciSums::default();
                for b in &self.blocks {
                    sums.merge(b);
                }
                self.add_row(&sums);
            }
        }
    }

    fn add_row(&mut self, sums: &CciSums) {
        let (a, b) = sums.means();
        let quiet = self.inactive_pct_mvc.is_some_and(|t| inactive(a, b, t));
        let row = if quiet {
            CciRow {
                fw: f64::NAN,
                rudolph: f64::NAN,
            }
        } else {
            CciRow {
                fw: sums.falconer_winter(),
                rudolph: sums.rudolph(),
            }
        };
        self.fw_mean.add(row.fw);
        self.rudolph_mean.add(row.rudolph);
        self.rows.push(row);
    }
}
