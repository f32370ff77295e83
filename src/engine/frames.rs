//! Interleaved frames (`[ch0, ch1, …, ch0, ch1, …]`) and the columns in them: what the
//! engine takes apart into channels and the channel groups put together again for their
//! multi-channel filters.

/// Column `index` of interleaved `frames` of `width` channels. The iterator knows its exact
/// length, so `Vec::extend` writes it without a capacity check per value.
pub(super) fn column(
    frames: &[f64],
    index: usize,
    width: usize,
) -> impl ExactSizeIterator<Item = f64> + '_ {
    frames.chunks_exact(width).map(move |f| f[index])
}

/// Frames of a tile that [`split`] takes apart at a time: 4 KiB of eight lanes, which
/// stay in the L1 cache while each lane's run is read out of them.
const SPLIT_TILE: usize = 64;

/// Every column of interleaved frames given in parts (a filter's output), in one pass
/// over them: column `lane` goes to `pick(&mut members[lane])` (emptied first), each value
/// mapped through `map(lane, value)`. Reading the frames once a tile at a time, not once
/// per lane, keeps a block's frames from passing through the caches once per channel.
pub(super) fn split<M>(
    parts: [&[f64]; 2],
    members: &mut [M],
    pick: impl Fn(&mut M) -> &mut Vec<f64>,
    map: impl Fn(usize, f64) -> f64,
) {
    let width = members.len().max(1);
    let frames = (parts[0].len() + parts[1].len()) / width;
    for m in members.iter_mut() {
        let out = pick(m);
        out.clear();
        out.reserve(frames);
    }
    for part in parts {
        for tile in part.chunks(SPLIT_TILE * width) {
            for (lane, m) in members.iter_mut().enumerate() {
                pick(m).extend(column(tile, lane, width).map(|v| map(lane, v)));
            }
        }
    }
}

/// Frames of a tile that [`hand_out`] takes apart at a time: 16 KiB of eight lanes, and
/// each lane's piece (2 KiB) beside them in the L1 cache.
const HAND_TILE: usize = 256;

/// Every column of interleaved `frames`, a tile at a time: `take(&mut members[lane],
/// values)` gets each lane's values of the tile, in order. For a consumer that reads each
/// column once, in pieces of any size, this spares writing the columns out whole.
pub(super) fn hand_out<M>(frames: &[f64], members: &mut [M], mut take: impl FnMut(&mut M, &[f64])) {
    let width = members.len().max(1);
    let mut piece = [0.0; HAND_TILE];
    for tile in frames.chunks(HAND_TILE * width) {
        let n = tile.len() / width;
        for (lane, m) in members.iter_mut().enumerate() {
            for (p, v) in piece.iter_mut().zip(column(tile, lane, width)) {
                *p = v;
            }
            take(m, &piece[..n]);
        }
    }
}

/// `|v|` of every value of `parts`, one part after the other, into the front of `out`
/// (room that only grows, as [`interleave`]'s); gives how many.
pub(super) fn absolute(out: &mut Vec<f64>, parts: [&[f64]; 2]) -> usize {
    let [a, b] = parts;
    let room = room(out, a.len() + b.len());
    let (first, second) = room.split_at_mut(a.len());
    for (o, v) in first.iter_mut().zip(a).chain(second.iter_mut().zip(b)) {
        *o = v.abs();
    }
    a.len() + b.len()
}

/// The channels of a block of interleaved frames, one after another: each unit then reads
/// its channel as one contiguous run, instead of every unit striding through every frame
/// of the block for its own. Only the channels a unit reads alone are taken apart (see
/// [`Block`]).
#[derive(Debug, Default)]
pub(super) struct Columns {
    values: Vec<f32>,
    frames: usize,
    /// The channels whose runs the last fill wrote.
    filled: Vec<bool>,
}

/// Frames taken apart at a time: their values stay in the L1 cache while each channel's
/// run is written.
const TILE_FRAMES: usize = 256;

impl Columns {
    /// Takes the channels `wanted` says out of interleaved `frames` of `width` channels
    /// (a whole number of frames). Allocates nothing once the room is there.
    pub(super) fn fill(&mut self, frames: &[f32], width: usize, wanted: impl Fn(usize) -> bool) {
        let width = width.max(1);
        let n = frames.len() / width;
        self.frames = n;
        self.filled.clear();
        self.filled.extend((0..width).map(wanted));
        if !self.filled.contains(&true) {
            return;
        }
        // Every value of a wanted run is written below: only room the buffer never had is
        // zeroed.
        self.values.truncate(n * width);
        self.values.resize(n * width, 0.0);
        for (t, tile) in frames.chunks(TILE_FRAMES * width).enumerate() {
            let from = t * TILE_FRAMES;
            let rows = tile.len() / width;
            let runs = self.values.chunks_exact_mut(n.max(1)).zip(&self.filled);
            for (c, (run, _)) in runs.enumerate().filter(|(_, (_, &w))| w) {
                for (v, frame) in run[from..from + rows]
                    .iter_mut()
                    .zip(tile.chunks_exact(width))
                {
                    *v = frame[c];
                }
            }
        }
    }

    /// Channel `channel`'s samples.
    ///
    /// # Panics
    /// If the last fill did not take that channel apart.
    pub(super) fn of(&self, channel: usize) -> &[f32] {
        assert!(
            self.filled[channel],
            "channel {channel} was not taken apart"
        );
        &self.values[channel * self.frames..(channel + 1) * self.frames]
    }

    /// Channel `channel`'s samples as f64.
    pub(super) fn widened(&self, channel: usize) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.of(channel).iter().map(|&v| f64::from(v))
    }
}

/// A block of interleaved frames as the units take it: a group whose channels go straight
/// to its filters gathers them into its lanes in one pass over the frames (instead of
/// reading each channel's column, widening it and interleaving the columns again); the
/// others read their channels' [`Columns`].
pub(super) struct Block<'a> {
    frames: &'a [f32],
    width: usize,
    columns: &'a Columns,
}

impl<'a> Block<'a> {
    /// `frames` of `width` channels, and the columns taken apart from them.
    pub(super) fn new(frames: &'a [f32], width: usize, columns: &'a Columns) -> Block<'a> {
        Block {
            frames,
            width: width.max(1),
            columns,
        }
    }

    /// The block's columns.
    pub(super) fn columns(&self) -> &Columns {
        self.columns
    }

    /// Frames in the block.
    pub(super) fn frames(&self) -> usize {
        self.frames.len() / self.width
    }

    /// Channel `channel`'s first sample, if the block has a frame.
    pub(super) fn first(&self, channel: usize) -> Option<f64> {
        self.frames.get(channel).map(|&v| f64::from(v))
    }

    /// The channels `channels` of every frame, as f64, side by side into the front of
    /// `out` (room that only grows, as [`interleave`]'s), and gives them.
    ///
    /// # Panics
    /// If a channel is not one of the block's.
    pub(super) fn gather<'o>(&self, out: &'o mut Vec<f64>, channels: &[usize]) -> &'o [f64] {
        assert!(channels.iter().all(|&c| c < self.width), "no such channel");
        let lanes = channels.len();
        let frames = self.frames.chunks_exact(self.width);
        let out = room(out, frames.len() * lanes);
        for (o, frame) in out.chunks_exact_mut(lanes.max(1)).zip(frames) {
            for (v, &c) in o.iter_mut().zip(channels) {
                *v = f64::from(frame[c]);
            }
        }
        out
    }
}

/// Writes `columns` (of equal length) side by side into the front of `out` as interleaved
/// frames, and gives them. `out` only grows: a live recorder calls this every block, and
/// a zero-phase filter's outputs alternate between none and a stretch, so the room is
/// made (and zeroed) once, not every other block.
pub(super) fn interleave<'o, 'a>(
    out: &'o mut Vec<f64>,
    mut columns: impl ExactSizeIterator<Item = &'a [f64]>,
) -> &'o [f64] {
    let lanes = columns.len();
    match lanes {
        4 => return interleave_group::<4>(out, std::array::from_fn(|_| columns.next())),
        8 => return interleave_group::<8>(out, std::array::from_fn(|_| columns.next())),
        _ => {}
    }
    let mut len = 0;
    for (lane, column) in columns.enumerate() {
        if lane == 0 {
            len = column.len() * lanes;
        }
        for (frame, v) in room(out, len).chunks_exact_mut(lanes).zip(column) {
            frame[lane] = *v;
        }
    }
    &out[..len]
}

/// A group's `W` lanes in one pass, a frame at a time (the widths a filter group has).
fn interleave_group<'o, const W: usize>(
    out: &'o mut Vec<f64>,
    columns: [Option<&[f64]>; W],
) -> &'o [f64] {
    let columns = columns.map(|c| c.unwrap_or(&[]));
    let frames = columns.iter().map(|c| c.len()).min().unwrap_or(0);
    let columns = columns.map(|c| &c[..frames]);
    let out = room(out, frames * W);
    for (i, frame) in out.chunks_exact_mut(W).enumerate() {
        for (v, column) in frame.iter_mut().zip(&columns) {
            *v = column[i];
        }
    }
    out
}

/// The first `len` values of `out`, which grows to hold them. Every value is written
/// after: only room the buffer never had is zeroed.
fn room(out: &mut Vec<f64>, len: usize) -> &mut [f64] {
    if out.len() < len {
        out.resize(len, 0.0);
    }
    &mut out[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_taken_apart_give_each_channel_its_samples() {
        for (width, frames) in [(1, 5), (3, 0), (3, 1), (24, 700), (5, 256), (2, 513)] {
            let block: Vec<f32> = (0..width * frames).map(|i| i as f32 * 0.5 - 3.0).collect();
            let mut columns = Columns::default();
            // A larger block first, so that reused room is overwritten.
            columns.fill(&vec![9.0; width * (frames + 3)], width, |_| true);
            columns.fill(&block, width, |_| true);
            for c in 0..width {
                let want: Vec<f32> = (0..frames).map(|i| block[i * width + c]).collect();
                assert_eq!(columns.of(c), &want[..], "width {width}, frames {frames}");
            }
        }
    }

    #[test]
    fn only_the_wanted_channels_are_taken_apart() {
        let (width, frames) = (6, 300);
        let block: Vec<f32> = (0..width * frames).map(|i| i as f32).collect();
        let wanted = [false, true, false, false, true, true];
        let mut columns = Columns::default();
        columns.fill(&block, width, |c| wanted[c]);
        for c in [1, 4, 5] {
            let want: Vec<f32> = (0..frames).map(|i| block[i * width + c]).collect();
            assert_eq!(columns.of(c), &want[..], "channel {c}");
        }
        let unread = std::panic::catch_unwind(|| columns.of(2).len());
        assert!(unread.is_err(), "a channel not taken apart is refused");
    }

    #[test]
    fn a_gathered_group_holds_its_channels_frame_by_frame() {
        for (width, frames, channels) in [
            (24, 700, vec![0, 1, 2, 3, 6, 7, 8, 9]),
            (5, 3, vec![4, 0]),
            (3, 0, vec![1]),
            (1, 9, vec![0]),
        ] {
            let block: Vec<f32> = (0..width * frames).map(|i| i as f32 * 0.25 - 7.0).collect();
            let columns = Columns::default();
            let at = Block::new(&block, width, &columns);
            // Room that held other values, longer than needed.
            let mut out = vec![-1.0; 8 * frames + 5];
            let got = at.gather(&mut out, &channels).to_vec();
            let want: Vec<f64> = (0..frames)
                .flat_map(|i| channels.iter().map(move |&c| (i, c)))
                .map(|(i, c)| f64::from(block[i * width + c]))
                .collect();
            assert_eq!(got, want, "width {width}, channels {channels:?}");
            assert_eq!(
                at.first(channels[0]),
                block.get(channels[0]).map(|&v| f64::from(v))
            );
        }
    }

    #[test]
    fn split_gives_each_lane_its_column_across_parts_and_tiles() {
        for (width, frames, cut) in [(8, 200, 77), (3, 130, 0), (1, 5, 5), (4, 0, 0)] {
            let block: Vec<f64> = (0..width * frames).map(|i| i as f64).collect();
            let (a, b) = block.split_at(cut * width);
            // Room that held other values is emptied first.
            let mut members = vec![vec![-1.0; 3]; width];
            split([a, b], &mut members, |m| m, |lane, v| v + 0.5 * lane as f64);
            for (lane, got) in members.iter().enumerate() {
                let want: Vec<f64> = (0..frames)
                    .map(|i| (i * width + lane) as f64 + 0.5 * lane as f64)
                    .collect();
                assert_eq!(*got, want, "width {width}, frames {frames}, lane {lane}");
            }
        }
    }

    #[test]
    fn hand_out_gives_each_lane_its_column_in_pieces_in_order() {
        for (width, frames) in [(8, 3 * HAND_TILE + 17), (3, HAND_TILE), (1, 5), (4, 0)] {
            let block: Vec<f64> = (0..width * frames).map(|i| i as f64 * 0.5).collect();
            let mut members: Vec<(Vec<f64>, usize)> = vec![(Vec::new(), 0); width];
            hand_out(&block, &mut members, |(got, pieces), x| {
                assert!(!x.is_empty() && x.len() <= HAND_TILE);
                got.extend_from_slice(x);
                *pieces += 1;
            });
            for (lane, (got, pieces)) in members.iter().enumerate() {
                let want: Vec<f64> = (0..frames).map(|i| block[i * width + lane]).collect();
                assert_eq!(*got, want, "width {width}, frames {frames}, lane {lane}");
                assert_eq!(*pieces, frames.div_ceil(HAND_TILE));
            }
        }
    }

    #[test]
    fn absolute_values_follow_the_parts_in_order() {
        let mut room = vec![9.0; 8];
        assert_eq!(absolute(&mut room, [&[-1.5, 2.0], &[-0.0, -3.0, 4.0]]), 5);
        assert_eq!(room[..5], [1.5, 2.0, 0.0, 3.0, 4.0]);
        assert!(room[2].is_sign_positive());
        assert_eq!(absolute(&mut room, [&[], &[]]), 0);
    }

    #[test]
    fn columns_interleaved_come_apart_again() {
        let (a, b, c) = ([1.0, 2.0], [3.0, 4.0], [5.0, 6.0]);
        let mut room = Vec::new();
        let frames = interleave(&mut room, [&a[..], &b, &c].into_iter()).to_vec();
        assert_eq!(frames, [1.0, 3.0, 5.0, 2.0, 4.0, 6.0]);
        assert_eq!(column(&frames, 1, 3).collect::<Vec<_>>(), b);
        let mut narrow = Columns::default();
        narrow.fill(&[1.0f32, 2.0, 3.0, 4.0], 2, |c| c == 0);
        assert_eq!(narrow.widened(0).collect::<Vec<_>>(), [1.0, 3.0]);
        // Room that held more frames gives only the new ones, its values overwritten.
        assert_eq!(
            interleave(&mut room, [&a[..1], &c[..1]].into_iter()),
            [1.0, 5.0]
        );
        assert!(interleave(&mut room, std::iter::empty()).is_empty());
        // Four lanes, as a group has.
        let d = [7.0, 8.0];
        let four = interleave(&mut room, [&a[..], &b, &c, &d].into_iter());
        assert_eq!(four, [1.0, 3.0, 5.0, 7.0, 2.0, 4.0, 6.0, 8.0]);
        // Eight, as a group has with AVX-512: each lane comes apart again.
        let eight: Vec<Vec<f64>> = (0..8)
            .map(|l| (0..5).map(|i| (10 * l + i) as f64).collect())
            .collect();
        let frames = interleave(&mut room, eight.iter().map(Vec::as_slice));
        assert_eq!(frames.len(), 40);
        for (lane, want) in eight.iter().enumerate() {
            assert_eq!(column(frames, lane, 8).collect::<Vec<_>>(), *want);
        }
    }
}
