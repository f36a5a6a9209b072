//! Which reader reads a message, and which answers count, while the frame's worker starts
//! (pure bookkeeping, tested natively).
//!
//! A dedicated worker takes some 40 ms to start (its own thread and script), longer than an
//! admin page's snapshot takes to arrive: a banner that waited for it would come that much
//! later on the page where a ticket starts. So until the worker says it is ready, the frame
//! reads small snapshots itself too, and sends every message to both readers, in the same
//! order: when the worker takes over, it has read everything the frame's reader has, and
//! keeps the same state (the page read last, what was sent to the store). Both may answer a
//! message sent to both; the first answer counts, and the other is dropped.
//!
//! A large snapshot, or many stored records, are never read on the frame's main thread, which
//! every banner frame and the popup share (src/frame/worker.rs): they go to the worker alone,
//! and the frame's reader, which would miss them, reads nothing more.
//!
//! Messages are numbered (`seq`) and each answer carries the number of the message it
//! answers. An answer older than the page shown is dropped too: a page's own view that
//! arrives after a newer page's (from the other reader), or a view of everything stored with
//! a page since replaced.

/// Snapshots up to this size (UTF-8 bytes or UTF-16 units of their markup) are read in the
/// frame while the worker starts: an admin page is 10–100 KB, and read in a few ms.
pub const SMALL_SNAPSHOT: usize = 256 * 1024;

/// The store's records, up to this many, are read in the frame while the worker starts.
pub const SMALL_STORE: usize = 1_000;

/// Where one message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// Its number, which the answer carries back.
    pub seq: u32,
    /// To the frame's own reader.
    pub in_frame: bool,
    /// To the worker.
    pub worker: bool,
}

/// The frame's readers and the answers shown.
#[derive(Debug)]
pub struct Handover {
    has_worker: bool,
    /// The frame's own reader still gets every message.
    in_frame: bool,
    /// The last number given.
    seq: u32,
    /// The last message sent to both readers: up to it, a message may be answered twice.
    both_until: u32,
    /// Messages up to `both_until` answered already (and not older than the page shown).
    answered: Vec<u32>,
    /// The message whose answer is the page shown.
    page_seq: u32,
}

impl Handover {
    /// `has_worker`: a worker was started. Without one, the frame's reader reads everything.
    pub fn new(has_worker: bool) -> Handover {
        Handover {
            has_worker,
            in_frame: true,
            seq: 0,
            both_until: 0,
            answered: Vec::new(),
            page_seq: 0,
        }
    }

    /// Whether the frame's own reader still gets messages (once it does not, it can go).
    pub fn in_frame(&self) -> bool {
        self.in_frame
    }

    /// The settings: to every reader that reads (no number, no answer).
    pub fn settings(&self) -> Route {
        Route {
            seq: 0,
            in_frame: self.in_frame,
            worker: self.has_worker,
        }
    }

    /// A snapshot or the store's records (`small`: see [`SMALL_SNAPSHOT`], [`SMALL_STORE`]).
    pub fn route(&mut self, small: bool) -> Route {
        self.seq += 1;
        let seq = self.seq;
        if !self.has_worker {
            return Route {
                seq,
                in_frame: true,
                worker: false,
            };
        }
        if self.in_frame && !small {
            self.in_frame = false;
        }
        if self.in_frame {
            self.both_until = seq;
        }
        Route {
            seq,
            in_frame: self.in_frame,
            worker: true,
        }
    }

    /// The worker is ready: it alone reads from now on.
    pub fn worker_ready(&mut self) {
        if self.has_worker {
            self.in_frame = false;
        }
    }

    /// An answer to message `seq` (a page's own view when `page`): whether to show it.
    pub fn take(&mut self, seq: u32, page: bool) -> bool {
        if seq < self.page_seq {
            return false;
        }
        if self.has_worker && seq != 0 && seq <= self.both_until {
            if self.answered.contains(&seq) {
                return false;
            }
            self.answered.push(seq);
        }
        if page {
            self.page_seq = seq;
            let shown = self.page_seq;
            self.answered.retain(|&n| n >= shown);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_worker_the_frame_reads_everything_and_every_answer_counts() {
        let mut h = Handover::new(false);
        assert_eq!(
            h.settings(),
            Route {
                seq: 0,
                in_frame: true,
                worker: false
            }
        );
        for small in [true, false, true] {
            let r = h.route(small);
            assert!(r.in_frame && !r.worker);
            assert!(h.take(r.seq, true));
        }
        h.worker_ready();
        assert!(h.in_frame());
    }

    #[test]
    fn while_the_worker_starts_both_read_and_the_first_answer_counts() {
        let mut h = Handover::new(true);
        assert_eq!(
            h.settings(),
            Route {
                seq: 0,
                in_frame: true,
                worker: true
            }
        );
        let page = h.route(true);
        assert!(page.in_frame && page.worker);
        // The frame's reader answers first; the worker's copy is dropped.
        assert!(h.take(page.seq, true));
        let stored = h.route(true);
        assert!(stored.in_frame && stored.worker);
        h.worker_ready();
        assert!(!h.in_frame());
        // The worker, now ready, answers both; then the frame's reader answers the second.
        assert!(!h.take(page.seq, true));
        assert!(h.take(stored.seq, false));
        assert!(!h.take(stored.seq, false));
        // From now on only the worker reads, and every answer of it counts.
        let next = h.route(true);
        assert_eq!(
            next,
            Route {
                seq: 3,
                in_frame: false,
                worker: true
            }
        );
        assert!(h.take(next.seq, true));
        let refresh = h.route(true);
        assert!(h.take(refresh.seq, false));
        assert!(h.settings().worker && !h.settings().in_frame);
    }

    #[test]
    fn the_worker_may_answer_first() {
        let mut h = Handover::new(true);
        let page = h.route(true);
        h.worker_ready();
        assert!(h.take(page.seq, true));
        assert!(!h.take(page.seq, true), "the frame's late answer");
    }

    #[test]
    fn a_large_snapshot_goes_to_the_worker_alone_and_ends_the_frames_reading() {
        let mut h = Handover::new(true);
        let small = h.route(true);
        assert!(small.in_frame);
        let large = h.route(false);
        assert!(!large.in_frame && large.worker);
        assert!(!h.in_frame());
        // Later small ones stay with the worker: the frame's reader missed the large one.
        assert!(!h.route(true).in_frame);
        assert!(!h.settings().in_frame);
        // The small one's answer from the frame counts, the worker's copy does not.
        assert!(h.take(small.seq, true));
        assert!(!h.take(small.seq, true));
        assert!(h.take(large.seq, true));
    }

    #[test]
    fn an_answer_older_than_the_page_shown_is_dropped() {
        let mut h = Handover::new(true);
        let first = h.route(true);
        let second = h.route(true);
        // The worker got ready and answered the newer page before the frame's reader
        // answered the older one.
        h.worker_ready();
        assert!(h.take(second.seq, true));
        assert!(!h.take(first.seq, true), "an older page");
        assert!(!h.take(first.seq, false), "a view of an older page");
        // A view of the page shown counts once.
        let stored = h.route(true);
        assert!(h.take(stored.seq, false));
    }

    #[test]
    fn a_view_answered_before_the_page_it_follows_is_still_shown_once_each() {
        // A store change while a newer snapshot is read: the reader answers the view of the
        // page shown, then the newer page. Both count.
        let mut h = Handover::new(true);
        h.worker_ready();
        let first = h.route(true);
        assert!(h.take(first.seq, true));
        let newer = h.route(false);
        let stored = h.route(true);
        assert!(h.take(stored.seq, false));
        assert!(h.take(newer.seq, true));
    }

    #[test]
    fn answers_without_a_number_count() {
        let mut h = Handover::new(true);
        assert!(h.take(0, false));
        assert!(h.take(0, true));
    }
}
