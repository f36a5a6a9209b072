//! A stable sort with one copy of its code for every element type.
//!
//! `slice::sort_by` is ~3.3 KB of `.wasm` for each element type and comparison it is used
//! with (driftsort: quicksort, merges, small sorts); the core sorts thirteen kinds of list
//! (events, findings, steps, observations, users...), which was 43 KB of the banner's module.
//! Here the merge sort runs once, on positions, through a `dyn` comparison, and the list is then
//! put in that order by swaps: a few hundred bytes per element type. A stable sort's result is
//! the same whichever stable sort makes it, so every list comes out as `sort_by` ordered it.
//! The lists are short (the longest, a page's mail events, a few thousand): the `dyn` call per
//! comparison does not show.

use std::cmp::Ordering;

/// Sorts `v` by `compare`, keeping equal elements in their order (as `slice::sort_by`).
pub fn sort_by<T>(v: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = order(v.len(), &mut |i, j| match (v.get(i), v.get(j)) {
        (Some(a), Some(b)) => compare(a, b) == Ordering::Less,
        _ => false,
    });
    permute(v, order);
}

/// Sorts `v` by a key, keeping elements of equal keys in their order (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` (as `slice::sort`).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The positions `0..n` in sorted order: a bottom-up merge sort taking the left one of two
/// equal elements first.
fn order(n: usize, less: &mut dyn FnMut(usize, usize) -> bool) -> Vec<usize> {
    let mut from: Vec<usize> = (0..n).collect();
    let mut width = 1;
    while width < n {
        let mut to = Vec::with_capacity(n);
        for pair in from.chunks(2 * width) {
            let (left, right) = pair.split_at_checked(width).unwrap_or((pair, &[]));
            let (mut left, mut right) = (left.iter().peekable(), right.iter().peekable());
            loop {
                match (left.peek(), right.peek()) {
                    (Some(&&a), Some(&&b)) => {
                        if less(b, a) {
                            to.push(b);
                            right.next();
                        } else {
                            to.push(a);
                            left.next();
                        }
                    }
                    (Some(_), None) => {
                        to.extend(left);
                        break;
                    }
                    (None, _) => {
                        to.extend(right);
                        break;
                    }
                }
            }
        }
        from = to;
        width *= 2;
    }
    from
}

/// Puts `v` in `order` (`v[k]` becomes the old `v[order[k]]`), one cycle at a time.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        while let Some(slot) = order.get_mut(at) {
            let from = std::mem::replace(slot, at);
            if from == start || from == at {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::unnecessary_sort_by)] // `sort_by` against `sort_by`
    fn sorts_as_the_standard_stable_sort() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for n in (0..70).chain([127, 128, 129, 1000, 4097]) {
            for range in [1, 3, 50, 1_000_000] {
                let items: Vec<(u64, usize)> = (0..n).map(|i| (next(range), i)).collect();
                let mut ours = items.clone();
                let mut std = items.clone();
                sort_by_key(&mut ours, |&(k, _)| k);
                std.sort_by_key(|&(k, _)| k);
                assert_eq!(ours, std, "{n} {range}");
                let mut ours = items.clone();
                let mut std = items;
                sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
                std.sort_by(|a, b| b.0.cmp(&a.0));
                assert_eq!(ours, std, "{n} {range} reversed");
                sort(&mut ours);
                std.sort();
                assert_eq!(ours, std);
            }
        }
    }
}
