//! The rows of one feature as a run produces them, numbered from 0 over the whole run.
//! A batch run keeps them all; a live recorder hands each row on as it completes and then
//! forgets it, so its memory stays flat (the summary reads running totals, never rows).

use std::ops::Index;

#[derive(Debug, Clone)]
pub struct Rows<T> {
    /// Rows before the first kept one.
    forgotten: usize,
    kept: Vec<T>,
}

impl<T> Default for Rows<T> {
    fn default() -> Rows<T> {
        Rows {
            forgotten: 0,
            kept: Vec::new(),
        }
    }
}

impl<T> Rows<T> {
    /// Rows produced so far, forgotten ones included.
    pub fn len(&self) -> usize {
        self.forgotten + self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn push(&mut self, row: T) {
        self.kept.push(row);
    }

    /// Forgets the rows before row `k`.
    pub fn forget_before(&mut self, k: usize) {
        let n = k.saturating_sub(self.forgotten).min(self.kept.len());
        self.kept.drain(..n);
        self.forgotten += n;
    }

    /// Rows from `k` on that are still kept.
    pub fn from(&self, k: usize) -> &[T] {
        &self.kept[k.saturating_sub(self.forgotten).min(self.kept.len())..]
    }
}

impl<T> Index<usize> for Rows<T> {
    type Output = T;

    /// Row `k` of the run.
    ///
    /// # Panics
    /// If row `k` was forgotten or is not there yet.
    fn index(&self, k: usize) -> &T {
        &self.kept[k - self.forgotten]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_numbers_after_forgetting() {
        let mut r = Rows::default();
        (0..5).for_each(|k| r.push(k * 10));
        r.forget_before(3);
        assert_eq!((r.len(), r[3], r[4]), (5, 30, 40));
        assert_eq!(r.from(0), &[30, 40]);
        r.forget_before(9);
        assert_eq!((r.len(), r.from(0).len()), (5, 0));
    }
}
