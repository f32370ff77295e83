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
pub(super) fn interleave<'a>(
    out: &mut Vec<f64>,
    columns: impl ExactSizeIterator<Item = &'a [f64]>,
) {
    let lanes = columns.len();
    if lanes == 0 {
        out.clear();
    }
    for (lane, column) in columns.enumerate() {
        if lane == 0 {
            // Every value is written below: only room the buffer never had is zeroed.
            out.truncate(column.len() * lanes);
            out.resize(column.len() * lanes, 0.0);
        }
        for (frame, v) in out.chunks_exact_mut(lanes).zip(column) {
            frame[lane] = *v;
        }
    }
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
    }
}
