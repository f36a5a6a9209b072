//! Mail events: what Mailgun shows about the mail sent to a customer, independent of where it
//! was shown (a logs table row, an event's JSON in a detail panel, an Events API response).
//!
//! The readers (`crate::readers::mailgun`) fill these types; every rule that decides what an
//! event means (which domain, which kind of mail, which outcome, which instant) lives here and
//! is tested natively.
//!
//! - [`classify`]: subject → [`MailKind`], event word / API fields → [`Outcome`].
//! - [`shown_time`]: the date formats Mailgun's web app shows, with the zone basis recorded.
//! - [`json`]: a lenient JSON tree that deserializes from `serde_json` or is built from `JSON.parse`'s value.
//! - [`events_api`]: Events API items and pages (and event JSON shown in the web app).
//! - [`domain`]: sending domains ([`MailDomain`]) and host / header address parsing.
//! - [`event`]: a [`MailEvent`], its kind, outcome and time basis, and [`MailEvent::describe`].
//! - [`page`]: a [`MailgunPage`], the [`MailSearch`] it shows, and URL routing ([`surface_of`]).
//! - [`dedup`]: the same event read twice ([`same_event`]), details folded into rows.
//! - [`suppression`]: a suppression list checked for an address (the Suppressions API's
//!   answer, shared by the look-ups that make it and the diagnosis that reads it).

pub mod classify;
pub mod dedup;
pub mod domain;
pub mod event;
pub mod events_api;
pub mod json;
pub mod page;
pub mod shown_time;
pub mod suppression;

pub(crate) use dedup::same_fields;
pub use dedup::{fold_details, same_event};
pub use domain::{address_in, host_of, is_host_name, DomainSource, MailDomain};
#[cfg(test)]
pub(crate) use event::test_event;
pub use event::{EventSource, MailEvent, MailKind, Outcome, SuppressionList, TimeBasis};
pub use page::{surface_of, MailSearch, MailgunPage, RangeShown, Surface};
pub use suppression::{SuppressionCheck, SuppressionEntry};
