//! cdot-triage: correlates CustomersDot admin pages and Mailgun logs into a diagnosis of
//! "I reset my password and still can't sign in".
//!
//! - [`core`]: pure types and decisions (no browser APIs), tested natively.
//! - [`readers`]: read a `web_sys::Document` (a page snapshot or a fetched page) into core types.
//! - [`frame`]: the banner frame: the snapshot channel, parsing, rendering. Decides nothing.

#[cfg(feature = "bench")]
pub mod bench;
pub mod core;
pub mod frame;
pub mod js;
pub mod readers;
