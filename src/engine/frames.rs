//! Interleaved frames (`[ch0, ch1, …, ch0, ch1, …]`) and the columns in them: what the
//! engine takes apart into channels and the channel groups put together again for their
//! multi-channel filters.

/// Column `index` of interleaved `frames` of `width` channels, as f64. The iterator knows
/// its exact length, so `Vec::extend` writes it without a capacity check per value.
pub(super) fn column<T: Copy + Into<f64>>(
    frames: &[T],
    index: usize,
    width: usize,
) -> impl ExactSizeIterator<Item = f64> + '_ {
    frames.chunks_exact(width).map(move |f| f[index].into())
}

/// Writes `columns` (of equal length) side by side into `out` as interleaved frames.
/// Allocates nothing once `out` has the room (a live recorder calls it every block).
pub(super) fn interleave<'a>(
    out: &mut Vec<f64>,
    mut columns: impl ExactSizeIterator<Item = &'a [f64]>,
) {
    let lanes = columns.len();
    if lanes == 4 {
        // A group's four lanes in one pass, a frame at a time.
        let [a, b, c, d]: [&[f64]; 4] = std::array::from_fn(|_| columns.next().unwrap_or(&[]));
        fit(out, a.len() * 4);
        for ((((frame, a), b), c), d) in out.chunks_exact_mut(4).zip(a).zip(b).zip(c).zip(d) {
            frame.copy_from_slice(&[*a, *b, *c, *d]);
        }
        return;
    }
    if lanes == 0 {
        out.clear();
    }
    for (lane, column) in columns.enumerate() {
        if lane == 0 {
            fit(out, column.len() * lanes);
        }
        for (frame, v) in out.chunks_exact_mut(lanes).zip(column) {
            frame[lane] = *v;
        }
    }
}

/// Makes `out` `len` long. Every value is written after: only room the buffer never had
/// is zeroed.
fn fit(out: &mut Vec<f64>, len: usize) {
    out.truncate(len);
    out.resize(len, 0.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_interleaved_come_apart_again() {
        let (a, b, c) = ([1.0, 2.0], [3.0, 4.0], [5.0, 6.0]);
        let mut frames = Vec::new();
        interleave(&mut frames, [&a[..], &b, &c].into_iter());
        assert_eq!(frames, [1.0, 3.0, 5.0, 2.0, 4.0, 6.0]);
        assert_eq!(column(&frames, 1, 3).collect::<Vec<_>>(), b);
        let narrow: [f32; 4] = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(column(&narrow, 0, 2).collect::<Vec<_>>(), [1.0, 3.0]);
        // A buffer that held more frames is cut to the new ones.
        interleave(&mut frames, [&a[..1], &c[..1]].into_iter());
        assert_eq!(frames, [1.0, 5.0]);
        interleave(&mut frames, std::iter::empty());
        assert!(frames.is_empty());
        // Four lanes, as a group has.
        let d = [7.0, 8.0];
        interleave(&mut frames, [&a[..], &b, &c, &d].into_iter());
        assert_eq!(frames, [1.0, 3.0, 5.0, 7.0, 2.0, 4.0, 6.0, 8.0]);
    }
}
