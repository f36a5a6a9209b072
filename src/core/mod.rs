//! The pure core: page-independent types and every decision the product makes.
//!
//! Nothing here touches the browser (no web-sys, no js-sys), so all of it is tested natively
//! with `cargo test`. The browser layers (`crate::readers`, `crate::frame`) turn pages into
//! these types and render what `diagnosis::diagnose` decides.
//!
//! Page text is arbitrary and a panic in the banner frame loses the whole page, so the core
//! may not panic on input: no `unwrap`/`expect`, no `[i]` indexing or slicing, no byte-offset
//! string slicing (`.get(..)`, `split_at_checked`, `strip_prefix` instead). Enforced by the
//! lints below (`cargo clippy`); tests are exempt (`clippy.toml`, and `#[allow]` in tests).
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]

pub mod account;
pub mod diagnosis;
pub mod email;
pub mod gitlab_com;
pub mod html;
pub mod lookup;
pub mod mail;
pub mod observation;
pub mod page;
pub mod protocol;
pub mod readers;
pub mod report;
pub mod settings;
pub mod similar;
pub mod sort;
pub mod store;
pub mod stored;
pub mod time;
pub mod toolbar;
pub mod url;
pub mod view;
