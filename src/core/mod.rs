//! The pure core: page-independent types and every decision the product makes.
//!
//! Nothing here touches the browser (no web-sys, no js-sys), so all of it is tested natively
//! with `cargo test`. The browser layers (`crate::readers`, `crate::frame`) turn pages into
//! these types and render what `diagnosis::diagnose` decides.

pub mod account;
pub mod diagnosis;
pub mod email;
pub mod lookup;
pub mod mail;
pub mod observation;
pub mod page;
pub mod report;
pub mod settings;
pub mod similar;
pub mod store;
pub mod time;
pub mod toolbar;
pub mod url;
pub mod view;
