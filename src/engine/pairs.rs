//! Co-contraction of one agonist/antagonist pair over the windows of the CCI window rule,
//! from the two envelopes as they arrive.

use crate::features::cocontraction::{falconer_winter, inactive, rudolph};
use crate::features::stats::FiniteMean;

use super::rows::Rows;
use super::windows::WindowStream;
use crate::dsp::windows::WindowSpec;

/// One CCI window: Falconer–Winter (%) and Rudolph (envelope units); NaN when inactive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CciRow {
    pub fw: f64,
    pub rudolph: f64,
}

/// Streaming co-contraction of a pair.
pub struct PairCci {
    windows: WindowStream,
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
            windows: WindowStream::new(spec, 2),
            inactive_pct_mvc,
            rows: Rows::default(),
            fw_mean: FiniteMean::default(),
            rudolph_mean: FiniteMean::default(),
        }
    }

    /// Feeds the next samples of both envelopes (equal lengths).
    pub fn push(&mut self, agonist: &[f64], antagonist: &[f64]) {
        let (rows, threshold) = (&mut self.rows, self.inactive_pct_mvc);
        let (fw_mean, rudolph_mean) = (&mut self.fw_mean, &mut self.rudolph_mean);
        self.windows.push(&[agonist, antagonist], |_, w| {
            let (a, b) = (w[0], w[1]);
            let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
            let quiet = threshold.is_some_and(|t| inactive(mean(a), mean(b), t));
            let row = if quiet {
                CciRow {
                    fw: f64::NAN,
                    rudolph: f64::NAN,
                }
            } else {
                CciRow {
                    fw: falconer_winter(a, b),
                    rudolph: rudolph(a, b),
                }
            };
            fw_mean.add(row.fw);
            rudolph_mean.add(row.rudolph);
            rows.push(row);
        });
    }
}
