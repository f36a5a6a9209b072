//! The popup's search and its live look-ups: what the engineer typed, which sources to ask,
//! how each request is built, and what each answer (or failure) means. The network calls
//! themselves are in `crate::popup`; every decision about them is here, tested natively.
//!
//! - [`query`]: the search box: an address out of what was pasted, or a clear message.
//! - [`mailgun_api`]: Events API and Suppressions API requests, the API key's one host.
//! - [`gitlab_api`]: GitLab.com's users API with the engineer's token: requests, the token's
//!   one host, what an answer means (an administrator's or not).
//! - [`admin`]: the admin search fetched with the engineer's session: signed out or not, and
//!   which Show pages to open.
//! - [`source`]: the sources of one search, their states and their failure messages.
//! - [`view`]: what the popup shows for an address.

pub mod admin;
pub mod gitlab_api;
pub mod mailgun_api;
pub mod query;
pub mod source;
pub mod view;
