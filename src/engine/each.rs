//! The channels of a group do their own work (features, onset chains, force passes) each
//! apart from the others: on the pool when the block is worth it, else in turn.

use rayon::prelude::*;

/// Runs `work` on every member with its lane; on the pool when `wide`.
pub(super) fn each<T: Send>(members: &mut [T], wide: bool, work: impl Fn(usize, &mut T) + Sync) {
    if wide {
        members
            .par_iter_mut()
            .enumerate()
            .with_max_len(1)
            .for_each(|(lane, m)| work(lane, m));
    } else {
        for (lane, m) in members.iter_mut().enumerate() {
            work(lane, m);
        }
    }
}
