//! The sample index of OpenBCI rows, followed row by row into gaps and sequence counts
//! (see the parent module's docs for how each board counts).

use crate::formats::TimeGap;

use super::layout::{Header, Role, LEARN_ROWS};
use super::lines::{parse_number, split_fields};

/// How the sample index counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Counter {
    /// Cyton and Cyton+Daisy: modulo 256, `step` per row (learnt from the file).
    Modulo { modulus: u64 },
    /// BrainFlow Ganglion: packet numbers modulo 100, two rows per packet.
    GanglionPackets,
    /// Not checked.
    Unchecked,
}

/// How this file's sample index counts.
pub(super) fn counter_for(
    header: &Header,
    n_exg: usize,
    rate_hz: f64,
    column_line: bool,
    roles: &[Role],
    warnings: &mut Vec<String>,
) -> Counter {
    if !roles.contains(&Role::Index) {
        warnings.push("no \"Sample Index\" column: gaps are not checked".into());
        return Counter::Unchecked;
    }
    let board = header.board.as_deref().unwrap_or("").to_ascii_lowercase();
    let ganglion = board.contains("ganglion")
        || (header.board.is_none() && n_exg == 4 && (rate_hz == 200.0 || rate_hz == 1600.0));
    if ganglion {
        if header.board.is_some() || column_line {
            return Counter::GanglionPackets;
        }
        warnings.push(
            "Ganglion files of GUI v3/v4 number their samples differently from later \
             versions: gaps are not checked"
                .into(),
        );
        return Counter::Unchecked;
    }
    Counter::Modulo { modulus: 256 }
}

/// The normal sample-index increment per row: the more common of 1 (Cyton) and 2
/// (Cyton+Daisy, whose rows join two packets) among the first rows' index jumps.
pub(super) fn learn_step<'a>(rows: impl Iterator<Item = &'a str>, at: usize, modulus: u64) -> u64 {
    let (mut ones, mut twos, mut last) = (0usize, 0usize, None);
    for line in rows.take(LEARN_ROWS) {
        let line = line.trim();
        if line.is_empty() || line.starts_with('%') {
            continue;
        }
        let Some(index) = split_fields(line).nth(at).and_then(parse_number) else {
            continue;
        };
        if index < 0.0 || index > u32::MAX as f64 {
            continue;
        }
        let index = index as u64 % modulus;
        if let Some(last) = last {
            match (index + modulus - last) % modulus {
                1 => ones += 1,
                2 => twos += 1,
                _ => {}
            }
        }
        last = Some(index);
    }
    if twos > ones {
        2
    } else {
        1
    }
}

/// Follows the sample index row by row.
#[derive(Debug)]
pub(super) struct Tracker {
    counter: Counter,
    /// Sample-index increment per row: 1, or 2 for the Cyton+Daisy (see [`learn_step`]).
    step: u64,
    rate_hz: f64,
    last: Option<u64>,
    rows_in_packet: u32,
    /// Rows missing so far.
    pub(super) missing: u64,
    pub(super) gaps: Vec<TimeGap>,
}

impl Tracker {
    pub(super) fn new(counter: Counter, step: u64, rate_hz: f64) -> Tracker {
        Tracker {
            counter,
            step: step.max(1),
            rate_hz,
            last: None,
            rows_in_packet: 0,
            missing: 0,
            gaps: Vec::new(),
        }
    }

    /// The sample index of the row that follows `rows_before` rows.
    pub(super) fn observe(&mut self, rows_before: u64, index: u64) {
        match self.counter {
            Counter::Unchecked => {}
            Counter::Modulo { modulus } => {
                let index = index % modulus;
                if let Some(last) = self.last {
                    let jump = (index + modulus - last) % modulus;
                    // A repeated index is a full turn of the counter.
                    let jump = if jump == 0 { modulus } else { jump };
                    let missing = jump.div_ceil(self.step) - 1;
                    self.add_gap(rows_before, missing);
                }
                self.last = Some(index);
            }
            Counter::GanglionPackets => {
                let id = index % 100;
                match self.last {
                    Some(last) if last == id && self.rows_in_packet < 2 => {
                        self.rows_in_packet += 1;
                    }
                    Some(last) => {
                        let jump = (id + 100 - last) % 100;
                        let packets = if jump == 0 { 100 } else { jump };
                        self.add_gap(rows_before, 2 * (packets - 1));
                        self.rows_in_packet = 1;
                    }
                    None => self.rows_in_packet = 1,
                }
                self.last = Some(id);
            }
        }
    }

    fn add_gap(&mut self, rows_before: u64, missing: u64) {
        if missing == 0 {
            return;
        }
        self.missing = self.missing.saturating_add(missing);
        self.gaps.push(TimeGap {
            at_s: rows_before as f64 / self.rate_hz,
            missing_s: missing as f64 / self.rate_hz,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaps(counter: Counter, step: u64, indices: &[u64]) -> (Vec<(u64, u64)>, u64) {
        let mut t = Tracker::new(counter, step, 1.0);
        for (row, &i) in indices.iter().enumerate() {
            t.observe(row as u64, i);
        }
        let gaps = t
            .gaps
            .iter()
            .map(|g| (g.at_s as u64, g.missing_s as u64))
            .collect();
        (gaps, t.missing)
    }

    #[test]
    fn cyton_modulo_256() {
        let cyton = Counter::Modulo { modulus: 256 };
        // 254, 255, 0 is continuous; 0 → 3 misses 2; a repeat is a full turn (255).
        assert_eq!(
            gaps(cyton, 1, &[254, 255, 0, 3, 3]),
            (vec![(3, 2), (4, 255)], 257)
        );
        // The Daisy's odd indices step by 2: 255 → 1 is continuous, 1 → 7 misses 2 rows.
        assert_eq!(gaps(cyton, 2, &[253, 255, 1, 7]), (vec![(3, 2)], 2));
    }

    #[test]
    fn ganglion_packets() {
        // Two rows per packet; 99, 100, 1 wraps (firmware 2); 1 → 4 loses packets 2 and 3.
        let g = Counter::GanglionPackets;
        assert_eq!(
            gaps(g, 1, &[99, 99, 100, 100, 1, 1, 4, 4]),
            (vec![(6, 4)], 4)
        );
        // Firmware 3 counts 0–99; a third row with one id is a full turn.
        assert_eq!(gaps(g, 1, &[98, 98, 99, 99, 0, 0]), (vec![], 0));
        assert_eq!(gaps(g, 1, &[5, 5, 5]), (vec![(2, 198)], 198));
    }

    #[test]
    fn step_is_learnt() {
        let daisy: Vec<String> = (0..50)
            .map(|i| format!("{}, 1.0", (2 * i + 1) % 256))
            .collect();
        assert_eq!(learn_step(daisy.iter().map(String::as_str), 0, 256), 2);
        let cyton: Vec<String> = (0..50).map(|i| format!("{}, 1.0", i % 256)).collect();
        assert_eq!(learn_step(cyton.iter().map(String::as_str), 0, 256), 1);
        assert_eq!(learn_step(std::iter::empty(), 0, 256), 1);
    }
}
