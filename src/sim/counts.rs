//! Physical values to device counts and back, by a channel's `scale` and `offset`
//! (`value = count · scale + offset`, DESIGN.md "Montage file"): what the simulated serial
//! device sends in its frames, and what a decoder turns them back into.

use crate::montage::Channel;

/// The count a device with `channel`'s scaling would send for `value`: rounded to the
/// nearest count and saturated at the i32 range (NaN becomes 0).
///
/// ```
/// use myobalance::montage::{Channel, Kind, Side};
/// use myobalance::sim::{from_counts, to_counts};
/// let ch = Channel {
///     name: "biceps_l".into(), kind: Kind::Emg, unit: "uV".into(), side: Side::Left,
///     label: None,
///     scale: 0.01, offset: 0.0, mvc: None,
/// };
/// assert_eq!(to_counts(123.456, &ch), 12346);
/// assert!((from_counts(12346, &ch) - 123.46).abs() < 1e-9);
/// ```
pub fn to_counts(value: f32, channel: &Channel) -> i32 {
    // `as` rounds toward zero and saturates, so round first.
    ((f64::from(value) - channel.offset) / channel.scale).round() as i32
}

/// The physical value of `count` on `channel`.
pub fn from_counts(count: i32, channel: &Channel) -> f64 {
    f64::from(count) * channel.scale + channel.offset
}
