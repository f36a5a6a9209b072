//! cdot-triage: correlates CustomersDot admin pages and Mailgun logs into a diagnosis of
//! "I reset my password and still can't sign in".
//!
//! - [`core`]: pure types and decisions (no browser APIs), tested natively.
//! - [`readers`]: read a `web_sys::Document` (a page snapshot or a fetched page) into core types.
//! - [`frame`]: the banner frame: the snapshot channel, parsing, rendering. Decides nothing.
//! - `popup`: the toolbar popup: search by address, live look-ups (network), rendering.
//! - `options`: the options page: the settings form, the API key, host permissions.
//!   (Both with the feature `pages`, in the pages' own module: the banner's is smaller.)

#[cfg(feature = "bench")]
pub mod bench;
pub mod core;
pub mod frame;
pub mod js;
#[cfg(feature = "pages")]
pub mod options;
#[cfg(feature = "pages")]
pub mod popup;
