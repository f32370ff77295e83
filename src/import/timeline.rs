//! Columns on one time base: samples at the recording's rate with the file's gaps filled by
//! linear interpolation between their neighbours, as a device recording's lost frames are
//! (DESIGN.md, "HDF5 file": rows of missing data are interpolated and listed in
//! `/raw/gaps`).

use ndarray::Array2;
use rayon::prelude::*;

use crate::recording::{Gap, Missing};

/// Rows per block when columns are interleaved: a block of 32 channels (512 KiB of f32)
/// stays in the cache while every column writes into it.
const BLOCK_ROWS: usize = 4096;

/// `columns` (equal lengths) with the rows `gaps` (in order, at the recording's rate)
/// says are missing filled, as `(rows, channels)`, and where each gap ended up.
pub fn assemble(columns: Vec<Vec<f32>>, gaps: &[Missing]) -> (Array2<f32>, Vec<Gap>) {
    let mut placed = Vec::with_capacity(gaps.len());
    let mut shift = 0u64;
    for g in gaps {
        placed.push(Gap {
            first_row: g.row + shift,
            rows: g.count,
        });
        shift += g.count;
    }
    let columns: Vec<Vec<f32>> = if gaps.is_empty() {
        columns
    } else {
        columns.into_par_iter().map(|c| filled(&c, gaps)).collect()
    };
    (interleave(&columns), placed)
}

/// `column` with each gap's rows inserted, interpolated between the samples either side
/// (the nearest one at the ends).
fn filled(column: &[f32], gaps: &[Missing]) -> Vec<f32> {
    let missing: u64 = gaps.iter().map(|g| g.count).sum();
    let mut out = Vec::with_capacity(column.len() + missing as usize);
    let mut from = 0usize;
    for g in gaps {
        let upto = usize::try_from(g.row)
            .unwrap_or(usize::MAX)
            .clamp(from, column.len());
        out.extend_from_slice(&column[from..upto]);
        from = upto;
        let after = column.get(upto).copied();
        let before = upto.checked_sub(1).and_then(|i| column.get(i).copied());
        let (before, after) = match (before, after) {
            (Some(b), Some(a)) => (b, a),
            (Some(b), None) => (b, b),
            (None, Some(a)) => (a, a),
            (None, None) => (0.0, 0.0),
        };
        // In f64: the difference of two finite f32 values may overflow f32.
        let (before, after) = (f64::from(before), f64::from(after));
        let n = g.count as f64 + 1.0;
        out.extend((1..=g.count).map(|k| (before + (after - before) * (k as f64 / n)) as f32));
    }
    out.extend_from_slice(&column[from..]);
    out
}

/// Columns of equal length as one row-major `(rows, channels)` array.
fn interleave(columns: &[Vec<f32>]) -> Array2<f32> {
    let width = columns.len();
    let rows = columns.first().map_or(0, Vec::len);
    let mut data = vec![0.0f32; rows * width];
    if width > 0 {
        data.par_chunks_mut(BLOCK_ROWS * width)
            .enumerate()
            .for_each(|(b, block)| {
                let start = b * BLOCK_ROWS;
                let n = block.len() / width;
                for (c, column) in columns.iter().enumerate() {
                    let src = &column[start..start + n];
                    for (dst, &v) in block[c..].iter_mut().step_by(width).zip(src) {
                        *dst = v;
                    }
                }
            });
    }
    // `data` holds `rows` whole rows of `width`.
    Array2::from_shape_vec((rows, width), data).expect("rows × channels values")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_interpolated_and_placed() {
        let columns = vec![vec![0.0, 1.0, 4.0, 5.0], vec![10.0, 10.0, 10.0, 10.0]];
        let gaps = [Missing { row: 2, count: 2 }, Missing { row: 4, count: 1 }];
        let (out, placed) = assemble(columns, &gaps);
        assert_eq!(
            placed,
            vec![
                Gap {
                    first_row: 2,
                    rows: 2
                },
                Gap {
                    first_row: 6,
                    rows: 1
                }
            ]
        );
        assert_eq!(
            out.column(0).to_vec(),
            vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 5.0]
        );
        assert_eq!(out.column(1).to_vec(), vec![10.0; 7]);
    }

    #[test]
    fn a_gap_at_the_start_holds_the_first_value() {
        let (out, placed) = assemble(vec![vec![3.0, 4.0]], &[Missing { row: 0, count: 2 }]);
        assert_eq!(
            placed,
            vec![Gap {
                first_row: 0,
                rows: 2
            }]
        );
        assert_eq!(out.column(0).to_vec(), vec![3.0, 3.0, 3.0, 4.0]);
    }
}
