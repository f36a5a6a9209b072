//! Which of the reader's jobs still matter (pure bookkeeping, tested natively).
//!
//! The frame's reader (src/frame/worker.rs) reads a page in stages (parse, read,
//! observations, diagnosis) and yields to its event loop between them, so that a newer
//! message can arrive. Two kinds of job:
//!
//! - a **page** job reads a snapshot; a newer snapshot (the page changed) supersedes it,
//!   whatever stage it is in;
//! - a **stored** job diagnoses everything the store holds with the page shown; a newer
//!   stored job supersedes it, and so does any newer snapshot (its view would be of the page
//!   being replaced; the newer page's own view and its refresh follow).
//!
//! A job checks [`Jobs::current`] after each stage and drops itself when it is superseded;
//! a page job that finishes calls [`Jobs::commit`] before it changes what the reader keeps.

/// One job's place in the order of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ticket {
    /// The `n`th snapshot.
    Page { n: u64 },
    /// The `n`th stored-records message, which arrived after `pages` snapshots.
    Stored { n: u64, pages: u64 },
}

/// The counts of jobs started, and of pages shown.
#[derive(Debug, Default)]
pub struct Jobs {
    pages: u64,
    stored: u64,
    committed: u64,
}

impl Jobs {
    /// A snapshot arrived: every earlier job is superseded.
    pub fn page(&mut self) -> Ticket {
        self.pages += 1;
        Ticket::Page { n: self.pages }
    }

    /// Stored records arrived: an earlier stored job is superseded; a page job is not.
    pub fn stored(&mut self) -> Ticket {
        self.stored += 1;
        Ticket::Stored {
            n: self.stored,
            pages: self.pages,
        }
    }

    /// Whether the job still matters (nothing newer superseded it).
    pub fn current(&self, ticket: Ticket) -> bool {
        match ticket {
            Ticket::Page { n } => n == self.pages,
            Ticket::Stored { n, pages } => n == self.stored && pages == self.pages,
        }
    }

    /// A page job finished: whether it may be shown (it is still current). A stored job
    /// commits nothing and may be shown when [`Jobs::current`].
    pub fn commit(&mut self, ticket: Ticket) -> bool {
        match ticket {
            Ticket::Page { n } if n == self.pages => {
                self.committed = n;
                true
            }
            Ticket::Page { .. } => false,
            Ticket::Stored { .. } => self.current(ticket),
        }
    }

    /// How many pages were shown (the last committed snapshot's number; 0 before the first).
    pub fn committed(&self) -> u64 {
        self.committed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_snapshot_supersedes_the_older_page_job() {
        let mut jobs = Jobs::default();
        let first = jobs.page();
        assert!(jobs.current(first));
        let second = jobs.page();
        assert!(!jobs.current(first));
        assert!(!jobs.commit(first));
        assert_eq!(jobs.committed(), 0);
        assert!(jobs.commit(second));
        assert_eq!(jobs.committed(), 2);
    }

    #[test]
    fn stored_records_do_not_supersede_a_page_job() {
        let mut jobs = Jobs::default();
        let page = jobs.page();
        let stored = jobs.stored();
        assert!(jobs.current(page));
        assert!(jobs.current(stored));
        assert!(jobs.commit(page));
        // The stored job began after the snapshot: it is about the page just committed.
        assert!(jobs.commit(stored));
    }

    #[test]
    fn a_snapshot_supersedes_a_stored_job_and_a_newer_stored_job_too() {
        let mut jobs = Jobs::default();
        jobs.page();
        let stored = jobs.stored();
        jobs.page();
        assert!(!jobs.current(stored));
        assert!(!jobs.commit(stored));

        let older = jobs.stored();
        let newer = jobs.stored();
        assert!(!jobs.current(older));
        assert!(jobs.current(newer));
    }

    #[test]
    fn only_the_last_of_many_snapshots_is_shown() {
        let mut jobs = Jobs::default();
        let tickets: Vec<Ticket> = (0..10).map(|_| jobs.page()).collect();
        let shown: Vec<bool> = tickets.iter().map(|&t| jobs.commit(t)).collect();
        assert_eq!(shown.iter().filter(|s| **s).count(), 1);
        assert!(shown[9]);
    }
}
