//! Shards of a batch: `--shard K/N` gives task K of N its inputs. The inputs are sorted by
//! path and input i belongs to shard i mod N, so every input is in exactly one shard and
//! the split does not depend on the order the inputs were listed in — every task of an
//! array computes the same split on its own. Sorting and then dealing round-robin also
//! spreads a folder of similar files over all tasks.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// Task `index` of `count` (0 ≤ index < count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    /// `"K/N"`, as `$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT` gives it.
    ///
    /// ```
    /// use myobalance::cluster::shard::Shard;
    /// assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
    /// assert!("4/4".parse::<Shard>().unwrap_err().contains("0 to 3"));
    /// assert!("x".parse::<Shard>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = || format!("\"{text}\": give K/N, task K (from 0) of N, e.g. 0/4");
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let index: usize = k.trim().parse().map_err(|_| usage())?;
        let count: usize = n.trim().parse().map_err(|_| usage())?;
        if count == 0 {
            return Err(format!(
                "\"{text}\": the number of shards must be at least 1"
            ));
        }
        if index >= count {
            return Err(format!(
                "\"{text}\": task {index} does not exist; with {count} shards K runs from 0 to {}",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The inputs sorted by path with repeats removed: the order every shard is dealt from.
pub fn sorted(mut inputs: Vec<PathBuf>) -> Vec<PathBuf> {
    inputs.sort();
    inputs.dedup();
    inputs
}

impl Shard {
    /// Whether the input at `position` of the sorted list belongs to this shard.
    pub fn takes(&self, position: usize) -> bool {
        position % self.count == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(n: usize) -> Vec<PathBuf> {
        (0..n)
            .map(|i| PathBuf::from(format!("site{}/s{i:03}.h5", i % 3)))
            .collect()
    }

    /// The inputs of each of `count` shards.
    fn split(inputs: Vec<PathBuf>, count: usize) -> Vec<Vec<PathBuf>> {
        let all = sorted(inputs);
        (0..count)
            .map(|index| {
                let shard = Shard { index, count };
                all.iter()
                    .enumerate()
                    .filter(|(i, _)| shard.takes(*i))
                    .map(|(_, p)| p.clone())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_input_is_in_exactly_one_shard() {
        for (n, count) in [(0, 1), (1, 4), (12, 4), (13, 4), (100, 7), (5, 9)] {
            let shards = split(paths(n), count);
            let mut seen: Vec<PathBuf> = shards.concat();
            assert_eq!(seen.len(), n, "{n} inputs in {count} shards");
            seen.sort();
            assert_eq!(seen, sorted(paths(n)));
            let sizes: Vec<usize> = shards.iter().map(Vec::len).collect();
            let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(hi - lo <= 1, "unbalanced {sizes:?}");
        }
    }

    #[test]
    fn the_split_ignores_argument_order_and_repeats() {
        let inputs = paths(23);
        let mut shuffled = inputs.clone();
        // A fixed permutation: reversed, then every third moved to the front.
        shuffled.reverse();
        shuffled.sort_by_key(|p| !p.to_string_lossy().ends_with('3'));
        shuffled.push(inputs[5].clone());
        assert_eq!(split(inputs, 4), split(shuffled, 4));
    }
}
